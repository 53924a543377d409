import { describe, expect, it } from "vitest";
import { DeliveryFilter } from "@/server/domain/webhooks/delivery/delivery-filter";
import {
  describeFilter,
  filterFromParams,
  isDeadLetterView,
  isoToLocalInput,
  localInputToIso,
  searchToFilter,
} from "./filter-params";
import { formatDuration, formatRate, shortUrl } from "./format";

describe("the delivery log's URL filter", () => {
  it("turns URL params into a filter the server accepts", () => {
    const { filter, ignored } = filterFromParams({
      status: "retrying,DEAD,DEAD",
      class: "5xx",
      type: "booking.held",
      endpoint: "ep_01m7yhgrd3n4wc2sg11a6yfc71",
      partner: "6F1C1E2A-0B0B-4C4C-8D8D-000000000001",
      from: "2026-11-20T00:00:00Z",
      to: "2026-11-21T00:00:00.000Z",
      q: " bk-7f3k2q ",
    });
    expect(ignored).toEqual([]);
    expect(filter).toEqual({
      status: ["RETRYING", "DEAD"],
      statusClass: "5xx",
      eventType: "booking.held",
      endpointId: "ep_01m7yhgrd3n4wc2sg11a6yfc71",
      partnerId: "6f1c1e2a-0b0b-4c4c-8d8d-000000000001",
      from: "2026-11-20T00:00:00.000Z",
      to: "2026-11-21T00:00:00.000Z",
      bookingReference: "BK-7F3K2Q",
    });
    expect(DeliveryFilter.safeParse(filter).success).toBe(true);
  });

  it("drops what the server would refuse and says which keys", () => {
    const { filter, ignored } = filterFromParams({
      status: "LOST",
      class: "6xx",
      type: "booking.exploded",
      endpoint: "ep_x",
      partner: "nope",
      from: "2026-11-21T00:00:00Z",
      to: "2026-11-20T00:00:00Z",
    });
    expect(ignored).toEqual(["status", "class", "type", "endpoint", "partner", "to"]);
    expect(filter).toEqual({ from: "2026-11-21T00:00:00.000Z" });
    expect(DeliveryFilter.safeParse(filter).success).toBe(true);
    expect(filterFromParams({ from: "yesterday" })).toEqual({ filter: {}, ignored: ["from"] });
  });

  it("reads the search box as a booking reference, an event id or a correlation id", () => {
    expect(searchToFilter("BK-7F3K2Q")).toEqual({ bookingReference: "BK-7F3K2Q" });
    expect(searchToFilter("evt_01M7YHGRD3N4WC2SG11A6YFC71")).toEqual({ eventId: "evt_01m7yhgrd3n4wc2sg11a6yfc71" });
    expect(searchToFilter("cor_abc123")).toEqual({ correlationId: "cor_abc123" });
    expect(searchToFilter("   ")).toEqual({});
  });

  it("knows the dead-letter view and describes a filter in words", () => {
    expect(isDeadLetterView({ status: ["DEAD"] })).toBe(true);
    expect(isDeadLetterView({ status: ["DEAD", "RETRYING"] })).toBe(false);
    expect(describeFilter({ status: ["DEAD"], endpointId: "ep_1", to: "2026-11-21T08:00:00.000Z" }, { endpoint: () => "MARKETPLACE" })).toEqual([
      "status DEAD",
      "endpoint MARKETPLACE",
      "until 2026-11-21 08:00 UTC",
    ]);
    // a stored replay job's filter comes back with Dates
    expect(describeFilter({ endpointId: "ep_1", from: new Date("2026-11-20T08:00:00Z"), to: new Date("2026-11-21T08:00:00Z") })).toEqual([
      "endpoint ep_1",
      "from 2026-11-20 08:00 UTC",
      "until 2026-11-21 08:00 UTC",
    ]);
  });

  it("round-trips datetime-local values through ISO", () => {
    const iso = "2026-11-21T08:30:00.000Z";
    expect(localInputToIso(isoToLocalInput(iso))).toBe(iso);
    expect(localInputToIso("")).toBeNull();
    expect(isoToLocalInput("garbage")).toBe("");
  });
});

describe("webhook formats", () => {
  it("formats rates, durations and URLs", () => {
    expect(formatRate(0.9734)).toBe("97.3 %");
    expect(formatRate(1)).toBe("100 %");
    expect(formatRate(null)).toBe("—");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(12 * 60 + 5)).toBe("12 min");
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe("3 h 05 min");
    expect(formatDuration(52 * 3600)).toBe("2 d 4 h");
    expect(shortUrl("https://hooks.example.com/in?token=abc")).toBe("hooks.example.com/in?…");
  });
});
