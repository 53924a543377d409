import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The project's own sources, for structure tests that check a rule the type checker
 * cannot (one writer per table, names declared once): every .ts/.tsx/.js/.mjs file under
 * the given folders, without tests, generated code and migrations.
 */

const ROOT = path.resolve(__dirname, "..");
const SKIPPED_DIRS = new Set(["node_modules", "generated", "migrations"]);

export interface SourceFile {
  /** relative to the repository, with forward slashes */
  file: string;
  text: string;
}

export function sourceFiles(folders: readonly string[] = ["server", "scripts", "prisma", "app", "components"]): SourceFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : walk(relative);
      if (!/\.(ts|tsx|js|mjs)$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
      return [relative];
    });
  return folders.flatMap(walk).map((file) => ({ file: file.split(path.sep).join("/"), text: readFileSync(path.join(ROOT, file), "utf8") }));
}

/** `file:line` of every line matching one of the patterns, outside the exempt files. */
export function linesMatching(files: readonly SourceFile[], patterns: readonly RegExp[], exempt: readonly string[] = []): string[] {
  return files.flatMap(({ file, text }) =>
    exempt.includes(file)
      ? []
      : text.split("\n").flatMap((line, i) => (patterns.some((pattern) => pattern.test(line)) ? [`${file}:${i + 1}`] : [])),
  );
}
