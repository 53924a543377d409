import { describe, expect, it } from "vitest";
import { searchShape } from "./search-bookings";

describe("searchShape (how booking search routes its text, docs/performance.md#booking-search)", () => {
  it.each([
    ["BK-7F3K2Q", "reference"],
    ["bk-7f3k2q", "reference"],
    ["evt_01jd8x7q3m4n5p6r7s8t9v0w1x", "event_id"],
    ["msg_01jd8x7q3m4n5p6r7s8t9v0w1x", "delivery_id"],
    ["jane.doe@example.com", "email"],
    ["0f8fad5b-d9cb-469f-a165-70867728950e", "uuid"],
  ] as const)("%s is a key: %s", (q, shape) => {
    expect(searchShape(q)).toBe(shape);
  });

  it.each(["smith", "Jane Doe", "jane@", "A-0114", "req_4f2a", "order-123", "evt_short"])("%s is text (every exact key, and a fragment)", (q) => {
    expect(searchShape(q)).toBe("text");
  });
});
