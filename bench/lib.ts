import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import pg from "pg";
import { embeddedUrl, ensureDatabaseExists, startEmbedded } from "../server/database/embedded";
import { applyMigrations } from "../server/database/migrate";
import { installWorkerSchema } from "../server/worker/worker-schema";

/** A fresh, migrated database for one benchmark run (embedded unless DATABASE_URL is set). */
export async function benchDatabase(name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  let adminUrl: string;
  let stop = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const port = Number(process.env.BENCH_PG_PORT ?? 54381);
    const server = await startEmbedded({ dataDir: `.data/bench-pg-${port}`, port, database: "postgres" });
    adminUrl = embeddedUrl(port, "postgres");
    stop = server.stop;
  }
  const database = `holdfast_bench_${name}_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabaseExists(adminUrl, database);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  await applyMigrations(url.toString());
  await installWorkerSchema(url.toString());
  return {
    url: url.toString(),
    stop: async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
      await stop();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface RunResult {
  name: string;
  ops: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** every successful op's latency, ms, sorted */
  latencies: number[];
}

/** Runs `op` `perClient` times on each of `clients` concurrent clients; latencies in ms. */
export async function runClients(
  name: string,
  clients: number,
  perClient: number,
  op: (client: number, i: number) => Promise<void>,
): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        try {
          await op(c, i);
          latencies.push(performance.now() - t);
        } catch (error) {
          errors++;
          if (errors <= 3) console.error(`  ${name}: ${String(error)}`);
        }
      }
    }),
  );
  return resultOf(name, latencies, (performance.now() - started) / 1000, errors);
}

/** A contender's result from its latencies (ms, any order), wall time and errors. */
export function resultOf(name: string, latencies: number[], seconds: number, errors: number): RunResult {
  latencies.sort((a, b) => a - b);
  return { name, ops: latencies.length, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, latencies };
}

/**
 * Runs two contenders in alternating rounds (A B B A A B …, `rounds` each), so the
 * machine's load drifting during the run falls on both alike, and merges each one's
 * rounds into one result. `op` gets an index unique across rounds.
 */
export async function runAlternating(
  rounds: number,
  clients: number,
  perClient: number,
  a: { name: string; op: (client: number, i: number) => Promise<void> },
  b: { name: string; op: (client: number, i: number) => Promise<void> },
): Promise<[RunResult, RunResult]> {
  const perRound = Math.max(1, Math.floor(perClient / rounds));
  const done: Record<"a" | "b", RunResult[]> = { a: [], b: [] };
  for (let round = 0; round < rounds; round++) {
    const order: ("a" | "b")[] = round % 2 === 0 ? ["a", "b"] : ["b", "a"];
    for (const which of order) {
      const contender = which === "a" ? a : b;
      done[which].push(await runClients(contender.name, clients, perRound, (c, i) => contender.op(c, round * perRound + i)));
    }
  }
  return [mergeRuns(a.name, done.a), mergeRuns(b.name, done.b)];
}

/** One result from a contender's rounds: every latency, the rounds' time summed. */
export function mergeRuns(name: string, runs: RunResult[]): RunResult {
  const sum = (of: (r: RunResult) => number) => runs.reduce((total, r) => total + of(r), 0);
  return resultOf(name, runs.flatMap((r) => r.latencies), sum((r) => r.seconds), sum((r) => r.errors));
}

export function formatRow(r: RunResult, baseline?: RunResult, baselineName = "baseline"): string {
  const ratio = baseline ? `  ${((r.perSecond / baseline.perSecond) * 100).toFixed(0)} % of ${baselineName} throughput` : "";
  return `${r.name.padEnd(34)} ${r.perSecond.toFixed(1).padStart(8)} /s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99
    .toFixed(1)
    .padStart(7)} ms   errors ${r.errors}${ratio}`;
}

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A TypeScript entry point in a process of its own, resolved once its stdout matches `ready`. */
export function spawnChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Child & { match: RegExpExecArray }> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (c: Buffer) => {
      out += c.toString();
      const match = ready.exec(out);
      if (match) {
        child.stdout!.off("data", onData);
        if (process.env.BENCH_DEBUG) child.stdout!.on("data", (c: Buffer) => process.stderr.write(c));
        else child.stdout!.resume();
        resolve({
          process: child,
          match,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      } else if (out.length > 200_000) out = out.slice(-2000);
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}): ${err.slice(-2000)}`)));
  });
}

