// Adds up the vitest and Playwright JSON reports into one closing line.
import fs from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.log(`(no report at ${file}: that step did not run to the end)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  if ("numPassedTests" in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  } else if (report.stats) {
    passed += report.stats.expected + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
  }
}
// A step that failed without failing a test (typecheck, lint, a server that did not
// start) still counts: the closing line must never read as all green when it is not.
const failedSteps = Number(process.env.FAILED_STEPS ?? 0);
if (failedSteps && !failed) failed = failedSteps;
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
