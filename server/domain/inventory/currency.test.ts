import { describe, expect, it } from "vitest";
import { currencyForCountry } from "./currency";

describe("currencyForCountry", () => {
  it("gives the demo facilities' currencies", () => {
    expect(currencyForCountry("GB")).toBe("GBP");
    expect(currencyForCountry("US")).toBe("USD");
    expect(currencyForCountry("AU")).toBe("AUD");
  });

  it("tolerates the padding and case of a char(2) column", () => {
    expect(currencyForCountry(" gb")).toBe("GBP");
  });

  it("does not guess for a country it does not know", () => {
    expect(currencyForCountry("ZZ")).toBeNull();
  });
});
