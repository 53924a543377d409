import fs from "node:fs";
import { config } from "../../config";

/**
 * What `npm start`'s supervisor (scripts/lib/supervisor.ts) says about the processes it
 * runs, for readiness (docs/operations.md#supervision): it writes its state to the file
 * named by HOLDFAST_SUPERVISOR_STATE, which it sets for its children. A process in a crash
 * loop fails readiness; one that was restarted once and stays up does not.
 */

export interface SupervisorCheck {
  ok: boolean;
  /** the processes in a crash loop */
  crash_loop: string[];
  /** restarts so far, per process */
  restarts: Record<string, number>;
  error?: string;
}

interface StateFile {
  processes?: Record<string, { restarts?: number; crash_loop?: boolean; crashes_in_window?: number }>;
}

/** null when the process is not run by the supervisor (no state file configured). */
export function readSupervisorStatus(file: string | undefined = config().supervisorState): SupervisorCheck | null {
  if (!file) return null;
  let state: StateFile;
  try {
    state = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  } catch {
    // not written yet, or being stopped: nothing known against the processes
    return { ok: true, crash_loop: [], restarts: {} };
  }
  const processes = Object.entries(state.processes ?? {});
  const looping = processes.filter(([, p]) => p.crash_loop).map(([name]) => name);
  const check: SupervisorCheck = {
    ok: looping.length === 0,
    crash_loop: looping,
    restarts: Object.fromEntries(processes.map(([name, p]) => [name, p.restarts ?? 0])),
  };
  if (looping.length) check.error = `In a crash loop (restarted again and again): ${looping.join(", ")}.`;
  return check;
}
