import type { PrismaClient } from "../../server/generated/prisma/client";
import { isDatabaseEmpty, seedDemo } from "../../prisma/seed";
import { DEMO_API_KEYS, DEMO_PASSWORD, DEMO_USERS } from "../../prisma/seed/catalog";
import { DEMO_PAYMENT_WEBHOOK_SECRET } from "../../server/env";

/** A progress line that rewrites itself on a terminal and prints plainly elsewhere. */
export function progressPrinter(): (step: string, done: number, total: number) => void {
  let last = "";
  return (step, done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const line = `  seeding ${step.padEnd(14)} ${String(done).padStart(6)}/${total} (${pct}%)`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}`);
      if (done >= total) process.stdout.write("\n");
    } else if (done >= total && line !== last) {
      console.log(line);
    }
    last = line;
  };
}

export async function seedIfEmpty(db: PrismaClient, log: (line: string) => void): Promise<boolean> {
  if (!(await isDatabaseEmpty(db))) return false;
  log("Empty database: loading the demo data…");
  const started = Date.now();
  await seedDemo(db, { log, progress: progressPrinter() });
  log(`Demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

export function printDemoBanner(port: number): void {
  const lines = [
    "",
    `  Holdfast is running: http://localhost:${port}`,
    "",
    `  Console users (password: ${DEMO_PASSWORD})`,
    ...DEMO_USERS.map((u) => `    ${u.email.padEnd(26)} ${u.role}${u.facilityCodes?.length ? ` (${u.facilityCodes.join(", ")})` : ""}`),
    "",
    "  Partner API keys (demo only; all scopes, all facilities)",
    ...DEMO_API_KEYS.map((k) => `    ${k.partnerCode.padEnd(12)} ${k.key}`),
    "",
    `  Payment provider signing secret: ${DEMO_PAYMENT_WEBHOOK_SECRET}`,
    "  Stop with Ctrl+C.",
    "",
  ];
  console.log(lines.join("\n"));
}
