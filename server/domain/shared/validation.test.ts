import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError } from "./errors";
import { fieldErrorsFromZod, parseOrRefuse } from "./validation";

const Input = z.object({ name: z.string().min(1, "Name it."), tags: z.array(z.string()) }).strict();

function refusalOf(input: unknown, options?: Parameters<typeof parseOrRefuse>[2]): DomainError {
  try {
    parseOrRefuse(Input, input, options);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("parseOrRefuse", () => {
  it("returns the parsed input", () => {
    expect(parseOrRefuse(Input, { name: "a", tags: [] })).toEqual({ name: "a", tags: [] });
  });

  it("refuses with VALIDATION_FAILED and one field error per problem, paths dotted", () => {
    const error = refusalOf({ name: "", tags: [1] });
    expect({ code: error.code, status: error.status, fieldErrors: error.fieldErrors }).toEqual({
      code: "VALIDATION_FAILED",
      status: 422,
      fieldErrors: [
        { path: "name", message: "Name it." },
        { path: "tags.0", message: expect.any(String) },
      ],
    });
    expect(error.message).toMatch(/^Invalid input — name: Name it\.; tags\.0: /);
  });

  it("names an unknown field at the root it is given", () => {
    expect(refusalOf({ name: "a", tags: [], secret: 1 }).fieldErrors).toEqual([{ path: "", message: "Unknown field(s): secret." }]);
    expect(refusalOf({ name: "a", tags: [], secret: 1 }, { root: "body" }).fieldErrors).toEqual([
      { path: "body", message: "Unknown field(s): secret." },
    ]);
  });

  it("puts every path under a field when the input is part of something larger", () => {
    const result = Input.safeParse({ tags: [] });
    expect(result.success ? [] : fieldErrorsFromZod(result.error, { under: "data" }).map((f) => f.path)).toEqual(["data.name"]);
  });
});
