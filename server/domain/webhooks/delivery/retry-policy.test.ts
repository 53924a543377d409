import { describe, expect, it } from "vitest";
import { decideOutcome } from "./attempt-delivery";
import { endpointSubscribes, type OutboxEvent, type SubscriberEndpoint } from "./fan-out-events";
import {
  classifyError,
  classifyStatus,
  MAX_ATTEMPTS,
  parseRetryAfter,
  RETRY_AFTER_CAP_MS,
  RETRY_SCHEDULE_MS,
  retryDelayMs,
} from "./retry-policy";

describe("retry schedule", () => {
  it("is immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then nothing", () => {
    expect(RETRY_SCHEDULE_MS).toEqual([0, 5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6]);
    expect(MAX_ATTEMPTS).toBe(8);
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, mid))).toEqual(RETRY_SCHEDULE_MS.slice(1));
    expect(retryDelayMs(8, mid)).toBeNull();
  });

  it("jitters by at most ±10 %", () => {
    for (let n = 1; n < MAX_ATTEMPTS; n++) {
      const base = RETRY_SCHEDULE_MS[n]!;
      expect(retryDelayMs(n, () => 0)).toBe(Math.round(base * 0.9));
      expect(retryDelayMs(n, () => 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.1));
      for (let i = 0; i < 50; i++) {
        const d = retryDelayMs(n)!;
        expect(d).toBeGreaterThanOrEqual(base * 0.9 - 1);
        expect(d).toBeLessThanOrEqual(base * 1.1 + 1);
      }
    }
  });
});

describe("Retry-After", () => {
  const now = new Date("2026-11-21T10:00:00Z");
  it("reads seconds and HTTP dates, caps them and ignores nonsense", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Sat, 21 Nov 2026 10:05:00 GMT", now)).toBe(300_000);
    expect(parseRetryAfter("Sat, 21 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("9999999", now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("failure classes", () => {
  it("2xx succeeds; 3xx and 4xx are HTTP_4XX; 5xx HTTP_5XX", () => {
    expect(classifyStatus(200)).toBeNull();
    expect(classifyStatus(204)).toBeNull();
    expect(classifyStatus(301)).toBe("HTTP_4XX");
    expect(classifyStatus(404)).toBe("HTTP_4XX");
    expect(classifyStatus(429)).toBe("HTTP_4XX");
    expect(classifyStatus(500)).toBe("HTTP_5XX");
    expect(classifyStatus(503)).toBe("HTTP_5XX");
  });

  it("classifies errors without an answer", () => {
    const code = (c: string) => Object.assign(new Error(c), { code: c });
    expect(classifyError(new DOMException("The operation timed out.", "TimeoutError"))).toBe("TIMEOUT");
    expect(classifyError(code("UND_ERR_HEADERS_TIMEOUT"))).toBe("TIMEOUT");
    expect(classifyError(code("ECONNREFUSED"))).toBe("CONNECT");
    expect(classifyError(new AggregateError([code("ECONNREFUSED"), code("ECONNREFUSED")]))).toBe("CONNECT");
    expect(classifyError(code("UND_ERR_CONNECT_TIMEOUT"))).toBe("CONNECT");
    expect(classifyError(code("ENOTFOUND"))).toBe("CONNECT");
    expect(classifyError(code("DEPTH_ZERO_SELF_SIGNED_CERT"))).toBe("TLS");
    expect(classifyError(Object.assign(new Error("x"), { cause: code("ERR_TLS_CERT_ALTNAME_INVALID") }))).toBe("TLS");
  });
});

describe("an attempt's outcome", () => {
  const finishedAt = new Date("2026-11-21T10:00:00Z");
  const base = { current: "PENDING" as const, trigger: null, success: false, httpStatus: 500, retryAfterMs: null, finishedAt, random: () => 0.5 };

  it("follows the schedule, then dead-letters", () => {
    expect(decideOutcome({ ...base, attemptNumber: 1 })).toMatchObject({ status: "RETRYING", nextAttemptAt: new Date(finishedAt.getTime() + 5000) });
    expect(decideOutcome({ ...base, attemptNumber: 8 })).toMatchObject({ status: "DEAD", nextAttemptAt: null });
    expect(decideOutcome({ ...base, attemptNumber: 3, success: true, httpStatus: 200 })).toMatchObject({ status: "SUCCEEDED" });
  });

  it("honours Retry-After on 429/503 when later than the schedule, and throttles the endpoint", () => {
    const later = decideOutcome({ ...base, attemptNumber: 1, httpStatus: 429, retryAfterMs: 60_000 });
    expect(later.nextAttemptAt).toEqual(new Date(finishedAt.getTime() + 60_000));
    expect(later.throttleUntil).toEqual(new Date(finishedAt.getTime() + 60_000));
    const sooner = decideOutcome({ ...base, attemptNumber: 3, httpStatus: 503, retryAfterMs: 1000 });
    expect(sooner.nextAttemptAt).toEqual(new Date(finishedAt.getTime() + 1_800_000));
    const ignored = decideOutcome({ ...base, attemptNumber: 1, httpStatus: 500, retryAfterMs: 60_000 });
    expect(ignored.nextAttemptAt).toEqual(new Date(finishedAt.getTime() + 5000));
    expect(ignored.throttleUntil).toBeNull();
  });

  it("marks 410 Gone, and leaves delivered or dead-lettered deliveries as they were after a failed replay", () => {
    expect(decideOutcome({ ...base, attemptNumber: 1, httpStatus: 410 }).gone).toBe(true);
    expect(decideOutcome({ ...base, current: "SUCCEEDED", attemptNumber: 2, trigger: "MANUAL_REPLAY" }).status).toBe("SUCCEEDED");
    expect(decideOutcome({ ...base, current: "DEAD", attemptNumber: 2, trigger: "MANUAL_REPLAY" })).toMatchObject({ status: "DEAD", nextAttemptAt: null });
    expect(decideOutcome({ ...base, current: "DEAD", attemptNumber: 9, trigger: "BULK_REPLAY", success: true, httpStatus: 200 }).status).toBe("SUCCEEDED");
  });
});

describe("who receives an event", () => {
  const endpoint: SubscriberEndpoint = { id: "ep_a", partnerId: "p1", eventTypes: [], createdAt: new Date("2026-01-01") };
  const event = (over: Partial<OutboxEvent>): OutboxEvent => ({
    id: "evt_1",
    type: "inventory.updated",
    aggregateType: "pool",
    partnerId: "p2",
    createdAt: new Date("2026-02-01"),
    ...over,
  });

  it("every partner gets inventory and unit events; only the owner gets booking and access events", () => {
    expect(endpointSubscribes(endpoint, event({}))).toBe(true);
    expect(endpointSubscribes(endpoint, event({ type: "unit.blocked", aggregateType: "unit", partnerId: null }))).toBe(true);
    expect(endpointSubscribes(endpoint, event({ type: "booking.held", aggregateType: "booking", partnerId: "p2" }))).toBe(false);
    expect(endpointSubscribes(endpoint, event({ type: "booking.held", aggregateType: "booking", partnerId: "p1" }))).toBe(true);
    expect(endpointSubscribes(endpoint, event({ type: "access.granted", aggregateType: "booking", partnerId: null }))).toBe(false);
  });

  it("respects the subscribed types and the endpoint's creation", () => {
    const picky = { ...endpoint, eventTypes: ["booking.confirmed"] };
    expect(endpointSubscribes(picky, event({}))).toBe(false);
    expect(endpointSubscribes(picky, event({ type: "booking.confirmed", aggregateType: "booking", partnerId: "p1" }))).toBe(true);
    expect(endpointSubscribes(endpoint, event({ createdAt: new Date("2025-12-31") }))).toBe(false);
  });
});
