import { z } from "zod";
import { fieldErrorsFromZod } from "@/server/domain/shared/validation";

/**
 * How the demo partner receiver misbehaves, configured by the query string of the
 * webhook endpoint's URL, so the seed can give each demo partner its own temperament:
 *
 *   /api/demo-receiver/MARKETPLACE?fail=0.1&hang=0.02&gone=0&throttle=0.05&latency_ms=50
 *
 *   fail, hang, gone, throttle  probabilities (0–1, summing to at most 1) of answering
 *                               fail_status (default 500), hanging for hang_ms (default
 *                               20 s, longer than the dispatcher's 15 s timeout) and then
 *                               answering 200, 410 Gone, or 429 with Retry-After
 *   fail_first=N                deterministic: the first N deliveries of each webhook-id
 *                               fail (counted in PostgreSQL, so every app instance agrees)
 *   latency_ms                  added before every answer
 *   retry_after                 seconds, for 429 (default 5)
 *
 * Unknown options are refused (400) rather than silently ignored: a typo would otherwise
 * make a demo partner look healthy.
 */

export const MAX_HANG_MS = 20_000;

const Rate = z.coerce.number().min(0).max(1);

export const DemoBehaviour = z
  .strictObject({
    fail: Rate.default(0),
    hang: Rate.default(0),
    gone: Rate.default(0),
    throttle: Rate.default(0),
    fail_first: z.coerce.number().int().min(0).max(1000).default(0),
    fail_status: z.coerce.number().int().min(500).max(599).default(500),
    latency_ms: z.coerce.number().int().min(0).max(10_000).default(0),
    hang_ms: z.coerce.number().int().min(0).max(MAX_HANG_MS).default(MAX_HANG_MS),
    retry_after: z.coerce.number().int().min(0).max(3600).default(5),
  })
  .refine((b) => b.fail + b.hang + b.gone + b.throttle <= 1, { message: "fail + hang + gone + throttle must be at most 1" });

export type DemoBehaviour = z.infer<typeof DemoBehaviour>;

export type BehaviourResult = { ok: true; behaviour: DemoBehaviour } | { ok: false; message: string };

export function parseBehaviour(params: URLSearchParams): BehaviourResult {
  const result = DemoBehaviour.safeParse(Object.fromEntries(params.entries()));
  if (result.success) return { ok: true, behaviour: result.data };
  const [first] = fieldErrorsFromZod(result.error);
  return { ok: false, message: `Demo receiver option ${first?.path ? `${first.path}: ` : ""}${first?.message ?? "is invalid"}` };
}

export type Reaction =
  | { kind: "ok"; status: 200 }
  | { kind: "fail"; status: number; deterministic: boolean }
  | { kind: "gone"; status: 410 }
  | { kind: "throttle"; status: 429; retryAfterSeconds: number }
  | { kind: "hang"; status: 200; hangMs: number };

/**
 * What to answer to the `hits`-th delivery of a webhook-id: the deterministic mode
 * first, then one draw of `random()` ∈ [0, 1) against the rates laid end to end.
 */
export function decideReaction(behaviour: DemoBehaviour, hits: number, random: () => number): Reaction {
  if (hits <= behaviour.fail_first) return { kind: "fail", status: behaviour.fail_status, deterministic: true };
  const draw = random();
  let edge = behaviour.gone;
  if (draw < edge) return { kind: "gone", status: 410 };
  edge += behaviour.throttle;
  if (draw < edge) return { kind: "throttle", status: 429, retryAfterSeconds: behaviour.retry_after };
  edge += behaviour.fail;
  if (draw < edge) return { kind: "fail", status: behaviour.fail_status, deterministic: false };
  edge += behaviour.hang;
  if (draw < edge) return { kind: "hang", status: 200, hangMs: behaviour.hang_ms };
  return { kind: "ok", status: 200 };
}
