import { describe, expect, it } from "vitest";
import { pauseAfterBatch } from "./run-import";

describe("pauseAfterBatch: the import backs off in proportion to what its batch cost", () => {
  it("waits the yield share of the batch's own duration", () => {
    expect(pauseAfterBatch(400, { batchPauseMs: 25, yieldRatio: 0.5 })).toBe(200);
    expect(pauseAfterBatch(400, { batchPauseMs: 25, yieldRatio: 1 })).toBe(400);
    // the same batch on a database three times as busy leaves it three times as long
    expect(pauseAfterBatch(1200, { batchPauseMs: 25, yieldRatio: 0.5 })).toBe(600);
  });

  it("never waits less than the least pause, and a yield of 0 is the fixed pause", () => {
    expect(pauseAfterBatch(20, { batchPauseMs: 25, yieldRatio: 0.5 })).toBe(25);
    expect(pauseAfterBatch(5000, { batchPauseMs: 25, yieldRatio: 0 })).toBe(25);
  });
});
