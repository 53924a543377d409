import { describe, expect, it } from "vitest";
import { csvFileName, toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes commas, quotes and newlines and neutralises formulas", () => {
    const csv = toCsv(
      [
        { header: "name", value: (r: { name: string; n: number | null }) => r.name },
        { header: "n", value: (r) => r.n },
      ],
      [
        { name: 'Ann, "the" tenant', n: 1 },
        { name: "=HYPERLINK(1)", n: null },
        { name: "two\nlines", n: -3 },
      ],
    );
    expect(csv).toBe('name,n\r\n"Ann, ""the"" tenant",1\r\n\'=HYPERLINK(1),\r\n"two\nlines",-3\r\n');
  });

  it("names the file after the list and the time", () => {
    expect(csvFileName("bookings", new Date("2026-11-21T07:46:42Z"))).toBe("holdfast-bookings-20261121T0746Z.csv");
  });
});
