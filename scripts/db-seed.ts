// npm run db:seed — migrate, then write the demo data into an empty database
// (docs/operations.md#demo-mode-and-demo-data).
import { DEMO_FACILITIES, DEMO_PARTNERS, DEMO_PASSWORD, DEMO_USERS, isDatabaseEmpty, seedDemo } from "../prisma/seed";
import { createPrismaClient } from "../server/db";
import { assertReachable } from "../server/database/embedded";
import { applyMigrations } from "../server/database/migrate";
import { config, databaseConfig, DEMO_PAYMENT_WEBHOOK_SECRET } from "../server/config";
import { runMain, scriptDatabase } from "./lib/cli";
import { describeHistory, ensureDemoEncryptionKey } from "./lib/seed-on-start";

/** One line per step: redrawn in place on a terminal, printed once when done otherwise. */
function progressPrinter() {
  const tty = Boolean(process.stdout.isTTY);
  let startedAt = Date.now();
  let current: string | undefined;

  const line = (step: string, done: number, total: number) => {
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    return `  ${step.padEnd(11)} ${bar} ${String(done).padStart(4)}/${total}`;
  };

  return (step: string, done: number, total: number) => {
    if (step !== current) {
      current = step;
      startedAt = Date.now();
    }
    const finished = done >= total;
    if (tty) {
      process.stdout.write(`\r\x1b[2K${line(step, done, total)}`);
      if (finished) process.stdout.write(`  ✔ ${Date.now() - startedAt} ms\n`);
    } else if (finished) {
      console.log(`  ✔ ${step}: ${total} (${Date.now() - startedAt} ms)`);
    }
  };
}

runMain(async () => {
  if (databaseConfig().url && !config().demo) {
    throw new Error(
      "DATABASE_URL points at your own database, so the demo seed (public demo passwords and API keys) refuses to run there unless HOLDFAST_DEMO=1 is set.",
    );
  }

  const database = await scriptDatabase();
  await assertReachable(database.url);
  await applyMigrations(database.url, { log: (line) => console.log(line) });

  // The history step runs one transaction per facility side by side.
  const db = createPrismaClient(database.url, 4);
  try {
    if (!(await isDatabaseEmpty(db))) {
      console.log("✔ The database already has data, so it was left as it is (the demo seed only runs on an empty database).");
      return;
    }

    console.log("Seeding the demo data and ~90 days of booking history…");
    ensureDemoEncryptionKey();
    const summary = await seedDemo(db, { progress: progressPrinter(), databaseUrl: database.url });

    console.log(
      `\n✔ Seeded in ${(summary.durationMs / 1000).toFixed(1)} s: ${summary.facilities} facilities, ` +
        `${summary.unitTypes} unit types, ${summary.units} units, ${summary.partners} partners, ${summary.users} users.\n`,
    );
    console.log("Facilities");
    for (const facility of DEMO_FACILITIES) {
      const counts = summary.perFacility[facility.code];
      console.log(
        `  ${facility.code}  ${facility.name.padEnd(36)} ${facility.timezone.padEnd(18)} ` +
          `${counts.units} units, ${counts.unitTypes} types, rates in ${facility.currency}`,
      );
    }
    if (summary.history) {
      console.log("\nBooking history (made through the booking services on a simulated clock)");
      for (const line of describeHistory(summary.history)) console.log(line);
    }
    console.log(`\nConsole users (password: ${DEMO_PASSWORD})`);
    for (const user of DEMO_USERS) {
      const scope = user.facilityCodes.length ? ` of ${user.facilityCodes.join(", ")}` : "";
      console.log(`  ${user.email.padEnd(24)} ${user.role}${scope}`);
    }
    console.log("\nPartner API keys (demo only; every scope, every facility)");
    for (const partner of DEMO_PARTNERS) {
      console.log(`  ${partner.code.padEnd(12)} Authorization: Bearer ${partner.apiKey}`);
    }
    console.log(`\nPayment provider signing secret (demo): ${DEMO_PAYMENT_WEBHOOK_SECRET}`);
  } finally {
    await db.$disconnect();
    await database.stop();
  }
});
