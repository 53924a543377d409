import type { Logger } from "pino";
import { logger as rootLogger } from "../../../observability/logger";
import { attemptClaimed, type AttemptResult } from "./attempt-delivery";
import { claimDueDeliveries, type ClaimedDelivery } from "./claim-deliveries";
import { webhookConfig } from "../../../config";
import { fanOutCommitted, fanOutEvents, hasEventsToFanOut } from "./fan-out-events";
import { WebhookSender } from "./http-sender";
import { AttemptRecorder } from "./record-attempts";

/**
 * The worker process's webhook engine: one loop and a bounded set of requests in flight.
 *
 * Each turn: (1) a cheap indexed probe for committed events past the fan-out cursor
 * and, if there are any, the fan-out (fan-out-events.ts), which leases to this process as
 * many of the new deliveries as it has free request slots — within each endpoint's
 * max_concurrency, counted across all worker processes — and they are attempted at once;
 * (2) a claim of due deliveries when some may be waiting (ones the fan-out could not
 * lease, or, every claimPollMs, retries coming due); (3) a wait of fanoutPollMs, cut short
 * when an attempt finishes and deliveries are waiting. Attempts run concurrently without
 * blocking the loop; their outcomes are written in group commits (record-attempts.ts).
 *
 * Throughput is bounded by `concurrency` requests in flight per process (I/O, not CPU),
 * not by job slots: a graphile-worker job per delivery spends job-table round trips and a
 * worker slot per attempt (bench/dispatch measures both), and a worker killed mid-job
 * leaves its jobs locked for four hours, where a lease here lapses after `leaseMs`.
 * Several worker processes run a dispatcher each; they share the work through the
 * database alone (advisory locks, leases, SKIP LOCKED).
 */

export interface DispatcherOptions {
  /** requests in flight in this process (default HOLDFAST_WEBHOOK_CONCURRENCY, 128) */
  concurrency?: number;
  timeoutMs?: number;
  leaseMs?: number;
  fanoutPollMs?: number;
  claimPollMs?: number;
  /** the clock (tests drive the retry schedule with their own) */
  clock?: () => Date;
  random?: () => number;
  disableAfterMs?: number;
  log?: Logger;
  /** called after every attempt (metrics, tests) */
  onAttempt?: (result: AttemptResult) => void;
}

export interface DispatcherStats {
  attempts: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  fannedOut: number;
  errors: number;
}

export class WebhookDispatcher {
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly fanoutPollMs: number;
  private readonly claimPollMs: number;
  private readonly clock: () => Date;
  private readonly log: Logger;
  private readonly sender: WebhookSender;
  private readonly recorder = new AttemptRecorder();
  /** attempts not yet recorded (requests in flight, and answers being written) */
  private readonly inFlight = new Set<Promise<void>>();
  /** attempts whose HTTP request is still open: what `concurrency` limits */
  private requests = 0;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  /** due deliveries may be waiting that this process has not claimed */
  private backlog = true;
  readonly stats: DispatcherStats = { attempts: 0, succeeded: 0, failed: 0, inFlight: 0, fannedOut: 0, errors: 0 };

  constructor(private readonly options: DispatcherOptions = {}) {
    const config = webhookConfig();
    this.concurrency = options.concurrency ?? config.concurrency;
    this.timeoutMs = options.timeoutMs ?? config.timeoutMs;
    this.leaseMs = options.leaseMs ?? (options.timeoutMs !== undefined ? options.timeoutMs + 30_000 : config.leaseMs);
    if (this.leaseMs <= this.timeoutMs) throw new RangeError("The lease must outlast the request timeout.");
    this.fanoutPollMs = options.fanoutPollMs ?? config.fanoutPollMs;
    this.claimPollMs = options.claimPollMs ?? config.claimPollMs;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? rootLogger.child({ component: "webhook-dispatcher" });
    this.sender = new WebhookSender({ ...config, timeoutMs: this.timeoutMs });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    this.log.info({ concurrency: this.concurrency, timeoutMs: this.timeoutMs, leaseMs: this.leaseMs }, "webhook dispatcher started");
  }

  /**
   * Stops claiming, lets attempts in flight finish for up to `graceMs`, then abandons the
   * rest: their leases lapse and another dispatcher retries them (same webhook-id).
   */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeUp?.();
    await this.loopDone;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    await this.recorder.drained();
    await this.sender.close();
    this.log.info({ abandoned: this.inFlight.size, ...this.stats }, "webhook dispatcher stopped");
  }

  /** Look for due deliveries now (e.g. new deliveries were made in this process). */
  wake(): void {
    this.backlog = true;
    this.wakeUp?.();
  }

  /**
   * Request slots free. A slot is taken while the HTTP request is open, not while its
   * outcome is being written (a batch commit can take longer than a fast consumer's
   * answer); outcomes still being written are capped at four times `concurrency`, so a
   * slow database slows the claims instead of piling up unwritten results.
   */
  private freeSlots(): number {
    const writing = this.inFlight.size - this.requests;
    if (writing >= 4 * this.concurrency) return 0;
    return Math.max(0, this.concurrency - this.requests);
  }

  /** Below this many free slots, wait for more before claiming: fewer, larger claims under load. */
  private get claimThreshold(): number {
    return Math.max(1, Math.floor(this.concurrency / 8));
  }

  private waitForWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  /**
   * One loop, so fan-out and claims never compete for the same free slots: fan out what
   * has committed (attempting at once the new deliveries it could lease), then claim due
   * deliveries when some may be waiting — ones the fan-out could not lease, or, every
   * claimPollMs, retries coming due — then wait for a finished attempt or the next poll.
   */
  private async loop(): Promise<void> {
    let lastClaimPoll = 0;
    while (this.running) {
      let progressed = false;
      try {
        if (await hasEventsToFanOut()) {
          const result = await fanOutEvents({ now: this.clock(), lease: { max: this.freeSlots(), leaseMs: this.leaseMs } });
          this.stats.fannedOut += result.deliveries;
          for (const delivery of result.leased) this.launch(delivery);
          if (result.deliveries > result.leased.length) this.backlog = true;
          progressed = result.events > 0;
        }

        const free = this.freeSlots();
        const pollDue = Date.now() - lastClaimPoll >= this.claimPollMs;
        if (free > 0 && (pollDue || (this.backlog && (free >= this.claimThreshold || progressed)))) {
          if (pollDue) lastClaimPoll = Date.now();
          const claimed = await claimDueDeliveries({ limit: free, now: this.clock(), leaseMs: this.leaseMs });
          for (const delivery of claimed) this.launch(delivery);
          // Every slot filled: there may be more. Fewer: nothing else is due, or the
          // endpoints are at their limit — a finished attempt (which wakes us) frees theirs.
          this.backlog = claimed.length === free || (this.backlog && claimed.length > 0);
          progressed ||= claimed.length === free;
        }
      } catch (error) {
        this.stats.errors++;
        if (!this.running) break;
        this.log.error({ err: error }, "webhook dispatch failed; retrying in a second");
        await this.waitForWake(1000);
        continue;
      }
      if (!progressed) await this.waitForWake(this.fanoutPollMs);
    }
  }

  private launch(delivery: ClaimedDelivery): void {
    this.requests++;
    let requestOpen = true;
    const requestDone = () => {
      if (!requestOpen) return;
      requestOpen = false;
      this.requests--;
    };
    const task = attemptClaimed(delivery, {
      onResponse: requestDone,
      trigger: null,
      now: this.clock(),
      timeoutMs: this.timeoutMs,
      sender: this.sender,
      recorder: this.recorder,
      random: this.options.random,
      disableAfterMs: this.options.disableAfterMs,
    })
      .then((result) => {
        this.stats.attempts++;
        if (result.success) this.stats.succeeded++;
        else this.stats.failed++;
        this.options.onAttempt?.(result);
      })
      .catch((error: unknown) => {
        // The lease lapses and the delivery is attempted again: nothing is lost.
        this.stats.errors++;
        this.log.error({ err: error, deliveryId: delivery.id }, "webhook attempt could not be recorded; it will be retried");
      })
      .finally(() => {
        requestDone();
        this.inFlight.delete(task);
        this.stats.inFlight = this.inFlight.size;
        // The endpoint's lease is released: waiting deliveries may be claimable now.
        if (this.backlog) this.wakeUp?.();
      });
    this.inFlight.add(task);
    this.stats.inFlight = this.inFlight.size;
  }
}

/** Runs one dispatcher pass to completion: fan out everything committed, then attempt everything due (tests, tools). */
export async function dispatchOnce(
  options: { now?: Date; limit?: number; timeoutMs?: number; sender?: WebhookSender; random?: () => number; disableAfterMs?: number } = {},
): Promise<AttemptResult[]> {
  const config = webhookConfig();
  const now = options.now ?? new Date();
  await fanOutCommitted({ now });
  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  const claimed = await claimDueDeliveries({ limit: options.limit ?? 1000, now, leaseMs: timeoutMs + 30_000 });
  const sender = options.sender ?? new WebhookSender({ ...config, timeoutMs });
  const recorder = new AttemptRecorder();
  try {
    return await Promise.all(
      claimed.map((delivery) =>
        attemptClaimed(delivery, {
          trigger: null,
          now,
          timeoutMs,
          sender,
          recorder,
          random: options.random,
          disableAfterMs: options.disableAfterMs,
        }),
      ),
    );
  } finally {
    if (!options.sender) await sender.close();
  }
}
