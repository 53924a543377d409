import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { graphileLogger } from "./graphile-logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, log: pino({ level: "debug" }, stream) };
}

describe("graphileLogger", () => {
  it("writes graphile-worker's messages as pino lines without job payloads", () => {
    const { lines, log } = capture();
    const logger = graphileLogger(log).scope({ workerId: "worker-abc", taskIdentifier: "t", jobId: "7" });
    logger.info("Completed task 7", {
      job: { id: "7", task_identifier: "t", attempts: 1, max_attempts: 25, payload: { email: "a@b.c", secret: "s" } },
      duration: 3,
    });
    logger.warn("slow", { cancelledJobs: [{ id: "8", payload: { x: 1 } }] });
    logger.error("Failed", { error: new Error("boom") });
    logger.debug("detail", {});
    logger.info("Worker connected", {});

    // a completed job is debug (one every few seconds); other info stays info
    expect(lines.map((l) => l.level)).toEqual([20, 40, 50, 20, 30]);
    expect(lines[0]).toMatchObject({ slotId: "worker-abc", taskIdentifier: "t", jobId: "7", duration: 3, msg: "Completed task 7" });
    expect(lines[0]!.job).toEqual({ id: "7", task_identifier: "t", attempts: 1, max_attempts: 25 });
    expect(JSON.stringify(lines)).not.toContain("a@b.c");
    expect(lines[1]!.cancelledJobs).toEqual([{ id: "8" }]);
    expect(lines[2]).toMatchObject({ err: { message: "boom" } });
  });
});
