import { describe, expect, it } from "vitest";
import { LISTED_STATUS_ORDER, parseBoardFilters, parseUnitParam, statusParam } from "./board-filters";

describe("parseBoardFilters", () => {
  it("reads type and statuses, in board order, ignoring junk", () => {
    expect(parseBoardFilters({ type: "10x10-cc", status: "blocked,HELD,nope,held" })).toEqual({ unitType: "10X10-CC", status: ["HELD", "BLOCKED"] });
    expect(parseBoardFilters({})).toEqual({});
    expect(parseBoardFilters({ type: "../etc", status: "" })).toEqual({});
    expect(parseBoardFilters({ type: ["5X5", "LOCKER"] })).toEqual({ unitType: "5X5" });
  });

  it("reads floor, code and the page, ignoring junk", () => {
    expect(parseBoardFilters({ floor: "2", code: " a-1 ", after: "A-180" })).toEqual({ floor: 2, code: "a-1", after: "A-180" });
    expect(parseBoardFilters({ floor: "-1", before: "B-7" })).toEqual({ floor: -1, before: "B-7" });
    expect(parseBoardFilters({ floor: "first", code: "x".repeat(40), after: "" })).toEqual({});
    // one direction at a time: after wins
    expect(parseBoardFilters({ after: "A-2", before: "A-1" })).toEqual({ after: "A-2" });
  });

  it("round-trips statuses through the URL", () => {
    expect(statusParam(["BLOCKED", "AVAILABLE"])).toBe("AVAILABLE,BLOCKED");
    expect(statusParam([])).toBeNull();
    expect(parseBoardFilters({ status: statusParam(["BOOKED", "OCCUPIED"])! }).status).toEqual(["BOOKED", "OCCUPIED"]);
  });

  it("reads RETIRED only where retired units are listed (the catalogue)", () => {
    expect(parseBoardFilters({ status: "retired,held" })).toEqual({ status: ["HELD"] });
    expect(parseBoardFilters({ status: "retired,held" }, LISTED_STATUS_ORDER)).toEqual({ status: ["HELD", "RETIRED"] });
    expect(statusParam(["RETIRED", "AVAILABLE"])).toBe("AVAILABLE,RETIRED");
  });

  it("reads the open unit", () => {
    expect(parseUnitParam({ unit: " A-101 " })).toBe("A-101");
    expect(parseUnitParam({ unit: "" })).toBeNull();
    expect(parseUnitParam({ unit: "x".repeat(40) })).toBeNull();
  });
});
