import { describe, expect, it } from "vitest";
import { parseBoardFilters, parseUnitParam, statusParam } from "./board-filters";

describe("parseBoardFilters", () => {
  it("reads type and statuses, in board order, ignoring junk", () => {
    expect(parseBoardFilters({ type: "10x10-cc", status: "blocked,HELD,nope,held" })).toEqual({ unitType: "10X10-CC", status: ["HELD", "BLOCKED"] });
    expect(parseBoardFilters({})).toEqual({});
    expect(parseBoardFilters({ type: "../etc", status: "" })).toEqual({});
    expect(parseBoardFilters({ type: ["5X5", "LOCKER"] })).toEqual({ unitType: "5X5" });
  });

  it("round-trips statuses through the URL", () => {
    expect(statusParam(["BLOCKED", "AVAILABLE"])).toBe("AVAILABLE,BLOCKED");
    expect(statusParam([])).toBeNull();
    expect(parseBoardFilters({ status: statusParam(["BOOKED", "OCCUPIED"])! }).status).toEqual(["BOOKED", "OCCUPIED"]);
  });

  it("reads the open unit", () => {
    expect(parseUnitParam({ unit: " A-101 " })).toBe("A-101");
    expect(parseUnitParam({ unit: "" })).toBeNull();
    expect(parseUnitParam({ unit: "x".repeat(40) })).toBeNull();
  });
});
