// bench/reconcile: issue 6's benchmark — the time to reconcile 100k units and to roll up
// 1M events into KPI buckets, each beside a plain SQL aggregate over the same data,
// measured in the same run (see reconcile.ts and rollup.ts for what each side does).
// Run: npm run bench:reconcile
import { benchReconcile } from "./reconcile";
import { benchRollup } from "./rollup";

async function main() {
  console.log("── reconciliation ──");
  const reconcile = await benchReconcile();
  console.log("");
  console.log("── KPI roll-up ──");
  const rollup = await benchRollup();
  console.log("");
  console.log("summary (ratio = time ÷ the plain-SQL baseline measured in the same run):");
  console.log(
    `  reconcile ${reconcile.units.toLocaleString("en-GB")} units: counters ${reconcile.countersRatio.toFixed(1)}×, all checks ${reconcile.fullRatio.toFixed(1)}× ` +
      `(${reconcile.fullMs.toFixed(0)} ms vs ${reconcile.baselineMs.toFixed(0)} ms)`,
  );
  console.log(
    `  roll up ${rollup.events.toLocaleString("en-GB")} events: ${rollup.ratio.toFixed(2)}× (${(rollup.rollupMs / 1000).toFixed(1)} s vs ${(rollup.baselineMs / 1000).toFixed(1)} s); ` +
      `minute job ${(rollup.incrementalMs / 1000).toFixed(2)} s`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
