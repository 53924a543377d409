import { describe, expect, it } from "vitest";
import { decideReaction, MAX_HANG_MS, parseBehaviour, type DemoBehaviour } from "./behaviour";

function behaviour(query: string): DemoBehaviour {
  const parsed = parseBehaviour(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.behaviour;
}

describe("demo receiver behaviour", () => {
  it("defaults to a healthy receiver", () => {
    const b = behaviour("");
    expect(b).toMatchObject({ fail: 0, hang: 0, gone: 0, throttle: 0, fail_first: 0, latency_ms: 0, hang_ms: MAX_HANG_MS });
    expect(decideReaction(b, 1, () => 0)).toEqual({ kind: "ok", status: 200 });
  });

  it("lays the rates end to end: gone, throttle, fail, hang, then ok", () => {
    const b = behaviour("gone=0.1&throttle=0.2&fail=0.3&hang=0.1&retry_after=9&hang_ms=1500&fail_status=503");
    const at = (draw: number) => decideReaction(b, 1, () => draw);
    expect(at(0)).toEqual({ kind: "gone", status: 410 });
    expect(at(0.15)).toEqual({ kind: "throttle", status: 429, retryAfterSeconds: 9 });
    expect(at(0.45)).toEqual({ kind: "fail", status: 503, deterministic: false });
    expect(at(0.65)).toEqual({ kind: "hang", status: 200, hangMs: 1500 });
    expect(at(0.71)).toEqual({ kind: "ok", status: 200 });
    expect(at(0.999)).toEqual({ kind: "ok", status: 200 });
  });

  it("fails the first N deliveries of a webhook-id whatever the draw", () => {
    const b = behaviour("fail_first=2");
    expect(decideReaction(b, 1, () => 0.99)).toEqual({ kind: "fail", status: 500, deterministic: true });
    expect(decideReaction(b, 2, () => 0.99)).toMatchObject({ kind: "fail" });
    expect(decideReaction(b, 3, () => 0.99)).toEqual({ kind: "ok", status: 200 });
  });

  it("refuses options it does not know, rates outside 0–1, rates over 1 in total and hangs over 20 s", () => {
    expect(parseBehaviour(new URLSearchParams("fial=1"))).toMatchObject({ ok: false, message: expect.stringContaining("fial") });
    expect(parseBehaviour(new URLSearchParams("fail=1.5")).ok).toBe(false);
    expect(parseBehaviour(new URLSearchParams("fail=0.6&hang=0.6"))).toMatchObject({ ok: false, message: expect.stringContaining("at most 1") });
    expect(parseBehaviour(new URLSearchParams("hang_ms=60000")).ok).toBe(false);
    expect(parseBehaviour(new URLSearchParams("fail=abc")).ok).toBe(false);
  });
});
