import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartner, useOwnDatabase } from "../test/factories";
import { startReceiver, type Receiver } from "../test/webhook-receiver";
import { getDb } from "../server/db";
import { appendEvent } from "../server/domain/shared/events";
import { inTransaction } from "../server/domain/shared/transaction";
import { createWebhookEndpoint } from "../server/domain/webhooks/endpoints/create-webhook-endpoint";
import { Supervisor, type SupervisorLog, type SupervisorState } from "./lib/supervisor";

/**
 * Issue #16 item 5: the supervisor `npm start` runs its processes under
 * (scripts/lib/supervisor.ts). A kill -9 of the real worker (scripts/start-worker.ts) is
 * logged with its signal and the worker is started again; an event created while it was
 * dead reaches a partner's loopback receiver afterwards. A process that keeps crashing is
 * reported as a crash loop, at error level and in the state file readiness reads.
 */

const WORKER_START_BUDGET_MS = 180_000;

interface Logged {
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}
function recordingLog(): SupervisorLog & { lines: Logged[] } {
  const lines: Logged[] = [];
  return {
    lines,
    info: (fields, message) => lines.push({ level: "info", fields, message }),
    warn: (fields, message) => lines.push({ level: "warn", fields, message }),
    error: (fields, message) => lines.push({ level: "error", fields, message }),
  };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until<T>(what: string, ms: number, probe: () => T | Promise<T>): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(100);
  }
}

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-supervisor-"));
afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

describe("a crash loop", () => {
  it("is logged at error level as a crash loop and written to the state file, and the restarts go on", async () => {
    const log = recordingLog();
    const stateFile = path.join(stateDir, "crash-loop.json");
    const supervisor = new Supervisor(
      [{ name: "crasher", command: process.execPath, args: ["-e", "process.exit(3)"], env: { NODE_ENV: "test", PATH: process.env.PATH } }],
      { log, stateFile, initialBackoffMs: 20, maxBackoffMs: 200, crashLoopCrashes: 5, crashLoopWindowMs: 60_000, stdio: "pipe" },
    );
    supervisor.start();
    try {
      await until("a crash loop reported", 60_000, () => log.lines.find((l) => l.fields.crash_loop === true));
      const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as SupervisorState;
      expect(state.processes.crasher).toMatchObject({ crash_loop: true, last_exit: { code: 3, signal: null } });
      expect(state.processes.crasher!.crashes_in_window).toBeGreaterThanOrEqual(5);
      // every stop before it was logged at error level too, with its exit code
      const stops = log.lines.filter((l) => l.level === "error");
      expect(stops.length).toBeGreaterThanOrEqual(5);
      expect(stops[0]!.message).toContain("exit code 3");
      expect(stops.at(-1)!.message).toContain("CRASH LOOP");
      // and it keeps trying
      const restarts = state.processes.crasher!.restarts;
      await until("another restart", 30_000, () => supervisor.state().processes.crasher!.restarts > restarts);
    } finally {
      await supervisor.stop();
    }
    expect(fs.existsSync(stateFile)).toBe(false);
  });

  it("stop() stops the children and restarts none", async () => {
    const log = recordingLog();
    const supervisor = new Supervisor(
      [{ name: "sleeper", command: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"], env: { NODE_ENV: "test", PATH: process.env.PATH } }],
      { log, initialBackoffMs: 10, stdio: "pipe" },
    );
    supervisor.start();
    const child = supervisor.child("sleeper")!;
    await supervisor.stop();
    expect(child.signalCode).toBe("SIGTERM");
    await sleep(300);
    expect(supervisor.child("sleeper")).toBeNull();
    expect(log.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe("kill -9 of the worker under the supervisor", () => {
  let dropDatabase: () => Promise<void>;
  let receiver: Receiver;
  let supervisor: Supervisor | null = null;

  beforeAll(async () => {
    dropDatabase = await useOwnDatabase("supervisor");
    receiver = await startReceiver(() => ({ status: 204 }));
  });
  afterAll(async () => {
    await supervisor?.stop();
    await receiver.close();
    await dropDatabase();
  });

  async function emit(partnerId: string, label: string): Promise<string> {
    return inTransaction({}, (tx) =>
      appendEvent(tx, {
        type: "booking.confirmed",
        aggregateType: "booking",
        aggregateId: crypto.randomUUID(),
        aggregateVersion: 1,
        partnerId,
        correlationId: `cor_supervisor_${label}`,
        data: { label },
      }),
    );
  }

  const delivered = (eventId: string) => receiver.requests.some((r) => (JSON.parse(r.body) as { id: string }).id === eventId);

  it("restarts the worker, says why, and the event created while it was dead is delivered", { timeout: 3 * WORKER_START_BUDGET_MS + 120_000 }, async () => {
    const partner = await createPartner();
    await createWebhookEndpoint({ url: `${receiver.url}/supervised` }, partner.actor);

    const log = recordingLog();
    const ready: ChildProcess[] = [];
    let stderr = "";
    supervisor = new Supervisor(
      [
        {
          name: "worker",
          command: process.execPath,
          args: ["--import", "tsx", path.resolve("scripts/start-worker.ts")],
          env: {
            NODE_ENV: "production",
            PATH: process.env.PATH,
            DATABASE_URL: process.env.DATABASE_URL,
            // production rules, with the loopback receiver allow-listed
            HOLDFAST_DEMO: "0",
            HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
            HOLDFAST_WORKER_METRICS_PORT: "0",
            NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
            HOLDFAST_ENCRYPTION_KEY: process.env.HOLDFAST_ENCRYPTION_KEY,
            PAYMENT_WEBHOOK_SECRET: process.env.PAYMENT_WEBHOOK_SECRET,
            LOG_LEVEL: "info",
            HOLDFAST_WORKER_CONCURRENCY: "2",
            HOLDFAST_WEBHOOK_TIMEOUT_MS: "2000",
            HOLDFAST_WEBHOOK_LEASE_MS: "3000",
          },
        },
      ],
      { log, initialBackoffMs: 500, stdio: "pipe" },
    );
    supervisor.onStart((_name, child) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"webhook dispatcher started"')) {
          ready.push(child);
          out = "";
        }
        if (out.length > 100_000) out = out.slice(-1000);
      });
      child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    });
    supervisor.start();

    // Starting is compiling the worker with tsx and connecting: seconds alone, much longer
    // on a machine busy with a whole CI run. The budgets are for that, not a measure.
    const first = await until("the worker started", WORKER_START_BUDGET_MS, () => ready[0]).catch((error: Error) => {
      throw new Error(`${error.message}; supervisor log: ${JSON.stringify(log.lines)}; stderr: ${stderr}`);
    });
    const before = await emit(partner.id, "before");
    await until("the event before the kill delivered", 60_000, () => delivered(before));

    first.kill("SIGKILL");
    await new Promise((resolve) => (first.exitCode !== null || first.signalCode !== null ? resolve(null) : first.once("exit", resolve)));
    // created while no worker runs
    const during = await emit(partner.id, "while-dead");

    const stopped = await until("the kill logged", 10_000, () => log.lines.find((l) => l.level === "error" && l.fields.process === "worker"));
    expect(stopped.fields).toMatchObject({ signal: "SIGKILL", code: null, restarts: 1 });
    expect(stopped.message).toContain("killed by SIGKILL");

    const second = await until("the worker restarted", WORKER_START_BUDGET_MS, () => ready[1]);
    expect(second.pid).not.toBe(first.pid);
    await until("the event created while it was dead delivered", 120_000, () => delivered(during));
    const after = await emit(partner.id, "after");
    await until("the event after the restart delivered", 60_000, () => delivered(after));

    // nothing lost: every event has its delivery, and every delivery is recorded as succeeded
    await until("every delivery recorded as succeeded", 60_000, async () => {
      const deliveries = await getDb().webhookDelivery.findMany({ where: { eventId: { in: [before, during, after] } } });
      return deliveries.length === 3 && deliveries.every((d) => d.status === "SUCCEEDED");
    });
    expect(supervisor.state().processes.worker).toMatchObject({ restarts: 1, crash_loop: false });
  });
});
