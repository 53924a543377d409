import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A fingerprint of everything `next build` reads, so `npm start` rebuilds after a change
 * (or a pull) and skips the build when nothing changed.
 */
const INPUTS = ["app", "components", "server", "proxy.ts", "instrumentation.ts", "next.config.js", "package-lock.json", "postcss.config.mjs", "tsconfig.json", "prisma/schema.prisma"];
const SKIP = new Set(["node_modules", "generated", ".next"]);

function walk(entry: string, out: string[]): void {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isDirectory()) {
    for (const child of fs.readdirSync(entry).sort()) {
      if (!SKIP.has(child)) walk(path.join(entry, child), out);
    }
  } else {
    out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
  }
}

function sourceFingerprint(root = process.cwd()): string {
  const lines: string[] = [];
  for (const input of INPUTS) walk(path.join(root, input), lines);
  return crypto.createHash("sha256").update(lines.join("\n")).digest("hex");
}

const STAMP = ".next/holdfast-source.sha256";

export function buildIsCurrent(root = process.cwd()): boolean {
  const stamp = path.join(root, STAMP);
  return (
    fs.existsSync(path.join(root, ".next/BUILD_ID")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === sourceFingerprint(root)
  );
}

export function recordBuild(root = process.cwd()): void {
  fs.writeFileSync(path.join(root, STAMP), sourceFingerprint(root));
}
