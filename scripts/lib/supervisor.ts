import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * What keeps `npm start`'s processes running (docs/operations.md#supervision): each child
 * (the web server, the worker) that exits without being asked to is started again, after
 * a wait that doubles with each crash in a row (1 s, 2 s, 4 s … at most 30 s; back to 1 s
 * once it has stayed up a minute), and the log says why it stopped (exit code or signal).
 * Five crashes of one process within a minute is a crash loop: logged at error level as
 * such, written to the state file the readiness check reads (HOLDFAST_SUPERVISOR_STATE),
 * and the restarts go on at the longest wait. Only stop() — on Ctrl+C or SIGTERM — ends it.
 */

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface SupervisorLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface SupervisorOptions {
  log: SupervisorLog;
  /** the first wait before a restart, doubled for each crash in a row */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** a process that ran this long before exiting starts its backoff afresh */
  stableAfterMs?: number;
  /** this many crashes of one process within `crashLoopWindowMs` is a crash loop */
  crashLoopCrashes?: number;
  crashLoopWindowMs?: number;
  /** where the state is written as JSON for the readiness check (none: not written) */
  stateFile?: string;
  /** how long a child has to stop after SIGTERM before SIGKILL */
  stopTimeoutMs?: number;
  /** for tests: inherit the children's output (default) or pipe it */
  stdio?: "inherit" | "pipe";
}

export interface ProcessState {
  pid: number | null;
  started_at: string | null;
  restarts: number;
  crashes_in_window: number;
  crash_loop: boolean;
  last_exit: { code: number | null; signal: string | null; at: string; ran_ms: number } | null;
}

export interface SupervisorState {
  updated_at: string;
  processes: Record<string, ProcessState>;
}

interface Supervised {
  spec: ChildSpec;
  child: ChildProcess | null;
  startedAt: number;
  crashesInARow: number;
  crashTimes: number[];
  state: ProcessState;
  restartTimer: NodeJS.Timeout | null;
}

export class Supervisor {
  private readonly supervised: Supervised[];
  private stopping = false;
  private readonly options: Required<Omit<SupervisorOptions, "stateFile">> & { stateFile?: string };
  private readonly listeners: ((name: string, child: ChildProcess) => void)[] = [];

  constructor(specs: ChildSpec[], options: SupervisorOptions) {
    this.options = {
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      stableAfterMs: 60_000,
      crashLoopCrashes: 5,
      crashLoopWindowMs: 60_000,
      stopTimeoutMs: 10_000,
      stdio: "inherit",
      ...options,
    };
    this.supervised = specs.map((spec) => ({
      spec,
      child: null,
      startedAt: 0,
      crashesInARow: 0,
      crashTimes: [],
      restartTimer: null,
      state: { pid: null, started_at: null, restarts: 0, crashes_in_window: 0, crash_loop: false, last_exit: null },
    }));
  }

  /** Called with each child as it is started (and started again). */
  onStart(listener: (name: string, child: ChildProcess) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    for (const entry of this.supervised) this.launch(entry);
  }

  /** The running child of that name, if any. */
  child(name: string): ChildProcess | null {
    return this.supervised.find((s) => s.spec.name === name)?.child ?? null;
  }

  state(): SupervisorState {
    return {
      updated_at: new Date().toISOString(),
      processes: Object.fromEntries(this.supervised.map((s) => [s.spec.name, { ...s.state }])),
    };
  }

  /** Stops every child (SIGTERM, then SIGKILL after the timeout) and restarts none. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.supervised.map(async (entry) => {
        if (entry.restartTimer) clearTimeout(entry.restartTimer);
        const child = entry.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill("SIGKILL"), this.options.stopTimeoutMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        });
      }),
    );
    if (this.options.stateFile) fs.rmSync(this.options.stateFile, { force: true });
  }

  private launch(entry: Supervised): void {
    entry.restartTimer = null;
    if (this.stopping) return;
    const { spec } = entry;
    const child = spawn(spec.command, spec.args, { env: spec.env, stdio: this.options.stdio });
    entry.child = child;
    entry.startedAt = Date.now();
    entry.state.pid = child.pid ?? null;
    entry.state.started_at = new Date(entry.startedAt).toISOString();
    this.writeState();
    child.on("error", (error) => this.options.log.error({ process: spec.name, err: error.message }, `${spec.name} could not be started`));
    child.once("exit", (code, signal) => this.exited(entry, child, code, signal));
    for (const listener of this.listeners) listener(spec.name, child);
  }

  private exited(entry: Supervised, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (entry.child === child) entry.child = null;
    entry.state.pid = null;
    if (this.stopping) return;
    // Ctrl+C in a terminal reaches the children too, and one may be seen stopping before
    // this process sees its own signal: a stop by SIGINT/SIGTERM waits a moment to tell.
    const stoppedBySignal = signal === "SIGINT" || signal === "SIGTERM" || code === 130 || code === 143;
    if (stoppedBySignal && !entry.restartTimer) {
      entry.restartTimer = setTimeout(() => {
        entry.restartTimer = null;
        if (!this.stopping) this.crashed(entry, code, signal);
      }, 500);
      return;
    }
    this.crashed(entry, code, signal);
  }

  private crashed(entry: Supervised, code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    const ranMs = now - entry.startedAt;
    entry.crashesInARow = ranMs >= this.options.stableAfterMs ? 1 : entry.crashesInARow + 1;
    entry.crashTimes = [...entry.crashTimes.filter((t) => now - t < this.options.crashLoopWindowMs), now];
    // once in a crash loop, until the process stays up for the window
    const crashLoop = entry.state.crash_loop || entry.crashTimes.length >= this.options.crashLoopCrashes;
    const backoffMs = crashLoop
      ? this.options.maxBackoffMs
      : Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** (entry.crashesInARow - 1));
    entry.state.restarts += 1;
    entry.state.crashes_in_window = entry.crashTimes.length;
    entry.state.last_exit = { code, signal, at: new Date(now).toISOString(), ran_ms: ranMs };
    const why = signal ? `killed by ${signal}` : `exit code ${code}`;
    const fields = { process: entry.spec.name, code, signal, ran_ms: ranMs, restart_in_ms: backoffMs, restarts: entry.state.restarts };
    if (crashLoop) {
      entry.state.crash_loop = true;
      this.options.log.error(
        { ...fields, crashes: entry.crashTimes.length, window_ms: this.options.crashLoopWindowMs, crash_loop: true },
        `CRASH LOOP: the ${entry.spec.name} keeps stopping (${entry.crashTimes.length} times within ${Math.round(this.options.crashLoopWindowMs / 1000)} s, ${entry.state.restarts} restarts in all; last: ${why}); restarting it every ${Math.round(backoffMs / 1000)} s until it stays up`,
      );
    } else {
      this.options.log.error(fields, `the ${entry.spec.name} stopped (${why}) after ${Math.round(ranMs / 1000)} s; restarting it in ${Math.round(backoffMs / 1000)} s`);
    }
    this.writeState();
    entry.restartTimer = setTimeout(() => {
      this.launch(entry);
      // a crash loop is over once the process has stayed up for the window
      const started = entry.startedAt;
      setTimeout(() => {
        if (entry.startedAt === started && entry.child && entry.state.crash_loop) {
          entry.state.crash_loop = false;
          entry.crashTimes = [];
          entry.state.crashes_in_window = 0;
          this.options.log.warn({ process: entry.spec.name }, `the ${entry.spec.name} has stayed up for ${Math.round(this.options.crashLoopWindowMs / 1000)} s: no longer in a crash loop`);
          this.writeState();
        }
      }, this.options.crashLoopWindowMs).unref();
    }, backoffMs);
  }

  private writeState(): void {
    const file = this.options.stateFile;
    if (!file || this.stopping) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(this.state(), null, 2));
      fs.renameSync(temporary, file);
    } catch (error) {
      this.options.log.warn({ err: error instanceof Error ? error.message : String(error) }, "the supervisor could not write its state file");
    }
  }
}
