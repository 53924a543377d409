// Adds up the vitest and Playwright JSON reports into one closing line, and exits 1 when
// any test failed, any report is missing, or a step failed (FAILED_STEPS): the closing
// line and the exit code must never read as green when something was red.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** @returns {{ passed: number, failed: number, skipped: number, missing: string[] }} */
export function summarise(files, readFile = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null)) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing = [];
  for (const file of files) {
    const text = readFile(file);
    if (text === null) {
      missing.push(file);
      failed += 1;
      continue;
    }
    let report;
    try {
      report = JSON.parse(text);
    } catch {
      missing.push(file);
      failed += 1;
      continue;
    }
    if ("numPassedTests" in report) {
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      // A suite that failed to load (an import error) has no failed test but is red.
      failed += report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0;
      skipped += report.numPendingTests + (report.numTodoTests ?? 0);
      if (report.success === false && !report.numFailedTests && !report.numFailedTestSuites) failed += 1;
    } else if (report.stats) {
      passed += report.stats.expected + (report.stats.flaky ?? 0);
      failed += report.stats.unexpected;
      skipped += report.stats.skipped;
      failed += report.errors?.length ?? 0;
    } else {
      missing.push(file);
      failed += 1;
    }
  }
  return { passed, failed, skipped, missing };
}

function main() {
  const { passed, failed: failedTests, skipped, missing } = summarise(process.argv.slice(2));
  for (const file of missing) console.log(`(no readable report at ${file}: that step did not run to the end)`);
  const failedSteps = Number(process.env.FAILED_STEPS ?? 0);
  const failed = failedTests || failedSteps;
  console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
