import type { PrismaClient } from "../../server/generated/prisma/client";
import { DEMO_FACILITY_CODES, isDatabaseEmpty, seedDemo, type HistorySummary } from "../../prisma/seed";
import { DEMO_API_KEYS, DEMO_PASSWORD, DEMO_USERS } from "../../prisma/seed/catalog";
import { loadOrCreateDemoSecrets } from "../../server/config/demo-secrets";
import { config, configure, DEMO_PAYMENT_WEBHOOK_SECRET } from "../../server/config";

/**
 * The demo history's move-ins store access codes encrypted, so the seeding process needs
 * the same HOLDFAST_ENCRYPTION_KEY the web server and worker will decrypt them with: the
 * environment's, or else the demo secrets file, exactly as prepareRuntime settles it.
 */
export function ensureDemoEncryptionKey(): void {
  if (!config().secrets.encryptionKey) configure({ HOLDFAST_ENCRYPTION_KEY: loadOrCreateDemoSecrets().HOLDFAST_ENCRYPTION_KEY });
}

/** A few lines on what the history step made, for the seed's output. */
export function describeHistory(history: HistorySummary): string[] {
  const s = history.bookingsByStatus;
  const bookings = Object.values(s).reduce((sum, n) => sum + n, 0);
  const pct = (value: number | undefined) => `${Math.round((value ?? 0) * 100)} %`.padStart(8);
  const middle = Math.floor(history.days / 2);
  return [
    `  ${bookings} bookings over ${history.days} days: ${s.TENTATIVE} tentative, ${s.CONFIRMED} confirmed, ` +
      `${s.FULFILLED} fulfilled, ${s.EXPIRED} expired, ${s.CANCELLED} cancelled (${history.cancelled.moveOuts} move-outs)`,
    `  ${history.holds.created} holds (${history.holds.refused} refused on full pools, ${history.holds.live} live now), ` +
      `${history.confirmed} confirmations, ${history.fulfilled} move-ins, ` +
      `${history.blocks.created + history.blocks.scheduled} maintenance blocks (${history.blocks.unblocked} ended)`,
    `  ${"occupancy".padEnd(10)}${"day 0".padStart(8)}${`day ${middle}`.padStart(8)}${"today".padStart(8)}`,
    ...DEMO_FACILITY_CODES.map((code) => {
      const series = history.occupancy[code];
      return `  ${code.padEnd(10)}${pct(series[0])}${pct(series[middle])}${pct(series.at(-1))}`;
    }),
  ];
}

/** A progress line that rewrites itself on a terminal and prints plainly elsewhere. */
function progressPrinter(): (step: string, done: number, total: number) => void {
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

export async function seedIfEmpty(db: PrismaClient, log: (line: string) => void, databaseUrl?: string): Promise<boolean> {
  if (!(await isDatabaseEmpty(db))) return false;
  log("Empty database: loading the demo data and its booking history…");
  ensureDemoEncryptionKey();
  const started = Date.now();
  const summary = await seedDemo(db, { log, progress: progressPrinter(), databaseUrl });
  if (summary.history) for (const line of describeHistory(summary.history)) log(line);
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
