import { describe, expect, it } from "vitest";
import { applySummary, describeRowChange, importDetailInput, importRefetchInterval, planSummary, progressText } from "./import-format";

const plan = { rows: 502, add: 500, change: 0, retire: 0, unchanged: 0, errors: 2 };
const progress = { toApply: 500, processed: 250, added: 250, changed: 0, retired: 0, failed: 0, percent: 50 };

describe("import wording", () => {
  it("asks to apply with the counts, and names the rows left out", () => {
    expect(applySummary({ facilityCode: "LON-01", plan })).toBe("Apply 500 units to add, 0 to change, 0 to retire at LON-01? 2 rows with errors are left out.");
    expect(applySummary({ facilityCode: "LON-01", plan: { ...plan, add: 1, change: 1_200, errors: 0 } })).toBe("Apply 1 unit to add, 1,200 to change, 0 to retire at LON-01?");
  });

  it("describes a row's change against what the unit was", () => {
    expect(describeRowChange({ action: "ADD", unitTypeCode: "5X5", floor: 2, before: null })).toBe("New 5X5 unit on floor 2");
    expect(describeRowChange({ action: "CHANGE", unitTypeCode: "10X10", floor: 1, before: { unit_type_code: "5X5", floor: 1, status: "AVAILABLE" } })).toBe("type 5X5 → 10X10");
    expect(describeRowChange({ action: "CHANGE", unitTypeCode: "5X5", floor: 3, before: { unit_type_code: "5X5", floor: 1, status: "AVAILABLE" } })).toBe("floor 1 → 3");
    expect(describeRowChange({ action: "RETIRE", unitTypeCode: "5X5", floor: 1, before: null })).toBe("Retired");
  });

  it("refreshes every second while the worker is on it, never once ended", () => {
    expect([importRefetchInterval("PLANNING"), importRefetchInterval("APPLYING"), importRefetchInterval("PLANNED"), importRefetchInterval("COMPLETED"), importRefetchInterval(undefined)]).toEqual([
      1_000, 1_000, 10_000, false, false,
    ]);
  });

  it("words the progress", () => {
    expect(progressText({ status: "APPLYING", progress, plan })).toBe("250 of 500 changes applied (50%)");
    expect(progressText({ status: "PLANNING", progress, plan })).toBe("Reading 502 rows and comparing them with the facility's units…");
  });
});

describe("importDetailInput", () => {
  it("reads the rows and the page from the URL, ignoring what it cannot use", () => {
    expect(importDetailInput("imp_1", {})).toEqual({ import_id: "imp_1", rows: "errors", after_line: 0, limit: 50 });
    expect(importDetailInput("imp_1", { rows: "changes", after: "120" })).toEqual({ import_id: "imp_1", rows: "changes", after_line: 120, limit: 50 });
    expect(importDetailInput("imp_1", { rows: "all", after: "-3" })).toEqual({ import_id: "imp_1", rows: "errors", after_line: 0, limit: 50 });
  });
});

describe("planSummary", () => {
  it("names only what the plan does", () => {
    expect(planSummary(plan)).toBe("500 to add · 2 errors");
    expect(planSummary({ ...plan, add: 0, change: 3, retire: 1_500, errors: 1 })).toBe("3 to change · 1,500 to retire · 1 error");
    expect(planSummary({ ...plan, add: 0, errors: 0 })).toBe("no changes");
  });
});
