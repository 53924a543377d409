import { describe, expect, it } from "vitest";
import { deleteInBatches } from "./batched-delete";

function fakeTable(rows: number) {
  let left = rows;
  const calls: number[] = [];
  return {
    calls,
    deleteBatch: async (limit: number) => {
      calls.push(limit);
      const n = Math.min(limit, left);
      left -= n;
      return n;
    },
  };
}

describe("deleteInBatches", () => {
  it("loops until a batch comes back short", async () => {
    const table = fakeTable(7);
    expect(await deleteInBatches(table.deleteBatch, { batchSize: 3 })).toEqual({ deleted: 7, batches: 3, complete: true });
    expect(table.calls).toEqual([3, 3, 3]);
  });

  it("needs one extra, empty batch when the rows divide evenly", async () => {
    const table = fakeTable(6);
    expect(await deleteInBatches(table.deleteBatch, { batchSize: 3 })).toEqual({ deleted: 6, batches: 3, complete: true });
  });

  it("stops at maxBatches and says it is not complete", async () => {
    const table = fakeTable(100);
    expect(await deleteInBatches(table.deleteBatch, { batchSize: 10, maxBatches: 2 })).toEqual({ deleted: 20, batches: 2, complete: false });
  });

  it("stops when the worker shuts down", async () => {
    const controller = new AbortController();
    const table = fakeTable(100);
    const result = await deleteInBatches(
      async (limit) => {
        const n = await table.deleteBatch(limit);
        controller.abort();
        return n;
      },
      { batchSize: 10, signal: controller.signal },
    );
    expect(result).toEqual({ deleted: 10, batches: 1, complete: false });
  });

  it("rejects a nonsensical batch size", async () => {
    await expect(deleteInBatches(async () => 0, { batchSize: 0 })).rejects.toThrow(RangeError);
  });
});
