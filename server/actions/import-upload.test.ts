import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/shared/errors";
import { importFileInput, importFormatOf } from "./import-upload";

const file = (name: string, text: string, type = "") => ({ name, type, size: Buffer.byteLength(text), text });

function refusal(run: () => unknown): { code: string; fieldErrors: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, fieldErrors: error.fieldErrors };
    throw error;
  }
  throw new Error("not refused");
}

describe("importFormatOf", () => {
  it.each([
    [file("units.csv", "[not json"), "csv"],
    [file("units.JSON", "code,unit_type_code"), "json"],
    [file("units", "code,unit_type_code", "text/csv"), "csv"],
    [file("units", "[]", "application/json"), "json"],
    [file("units.txt", '  [{"code":"A"}]'), "json"],
    [file("units.txt", "\uFEFF{}"), "json"],
    [file("units.txt", "code,unit_type_code\nA-1,5X5"), "csv"],
  ])("%o → %s", (upload, format) => {
    expect(importFormatOf(upload)).toBe(format);
  });
});

describe("importFileInput", () => {
  it("passes CSV text as it is", () => {
    expect(importFileInput(file("u.csv", "code,unit_type_code\nA-1,5X5\n"))).toEqual({ csv: "code,unit_type_code\nA-1,5X5\n" });
  });

  it("reads a JSON array, or an object's units", () => {
    expect(importFileInput(file("u.json", '[{"code":"A-1","unit_type_code":"5X5"}]'))).toEqual({ units: [{ code: "A-1", unit_type_code: "5X5" }] });
    expect(importFileInput(file("u.json", '\uFEFF{"units":[{"code":"A-2"}]}'))).toEqual({ units: [{ code: "A-2" }] });
  });

  it("refuses, at the file field, JSON that does not parse or is not a list of units", () => {
    const broken = refusal(() => importFileInput(file("u.json", "[{")));
    expect(broken.code).toBe("VALIDATION_FAILED");
    expect(broken.fieldErrors).toEqual([{ path: "file", message: expect.stringMatching(/^The file is not readable as JSON: /) }]);
    expect(refusal(() => importFileInput(file("u.json", '{"code":"A-1"}'))).fieldErrors).toEqual([{ path: "file", message: expect.stringMatching(/is an array of units/) }]);
  });

  it("refuses a binary file and one larger than an import takes", () => {
    expect(refusal(() => importFileInput(file("u.csv", "code\u0000"))).fieldErrors).toEqual([{ path: "file", message: expect.stringMatching(/not a text file/) }]);
    const big = { ...file("u.csv", "code,unit_type_code\n"), size: 9 * 1024 * 1024 };
    expect(refusal(() => importFileInput(big)).fieldErrors).toEqual([{ path: "file", message: "The file is 9.0 MiB; an import takes at most 8.0 MiB." }]);
  });
});
