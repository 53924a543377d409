import { describe, expect, it } from "vitest";
import {
  findUnsafeInput,
  jsonTextDepth,
  MAX_JSON_DEPTH,
  MAX_STRING_LENGTH,
  parsePgBigint,
  parseSafeJson,
  pgBigint,
  pgDate,
  pgInt,
  pgIsoDate,
  pgIsoDateTime,
  pgText,
  safeDecodeURIComponent,
  unsafeIdentifierReason,
  unsafeStringReason,
} from "./safe-input";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("unsafeStringReason", () => {
  it("accepts ordinary text, emoji (paired surrogates) included", () => {
    expect(unsafeStringReason("Ada Lovelace — 🦄 ü")).toBeNull();
  });
  it.each([
    ["NUL", "a\u0000b", /NUL/],
    ["a lone high surrogate", "a\uD800b", /lone surrogate/],
    ["a lone low surrogate", "\uDC00", /lone surrogate/],
    ["a reversed pair", "\uDC00\uD800", /lone surrogate/],
    ["too long", "x".repeat(MAX_STRING_LENGTH + 1), /at most 8192/],
  ])("refuses %s", (_name, text, reason) => {
    expect(unsafeStringReason(text)).toMatch(reason);
  });
  it("refuses bidi controls in identifiers only", () => {
    expect(unsafeStringReason("BK-\u202EABC")).toBeNull();
    expect(unsafeIdentifierReason("BK-\u202EABC")).toMatch(/bidirectional/);
    expect(unsafeIdentifierReason("BK-\u2066ABC")).toMatch(/bidirectional/);
  });
});

describe("findUnsafeInput", () => {
  it("accepts ordinary input", () => {
    expect(findUnsafeInput({ a: [1, 2.5, "x", null, true], b: { c: new Date("2026-01-01T00:00:00Z"), d: 10n } })).toBeNull();
    expect(findUnsafeInput(undefined)).toBeNull();
  });
  it.each([
    ["NUL in a nested string", { a: { b: ["ok", "x\u0000"] } }, "a.b.1", /NUL/],
    ["a lone surrogate", { name: "\uD83D" }, "name", /surrogate/],
    ["NaN", { n: Number.NaN }, "n", /finite/],
    ["Infinity", { n: Number.POSITIVE_INFINITY }, "n", /finite/],
    ["an unsafe integer", { n: 2 ** 63 }, "n", /out of range/],
    ["a bigint above int8", { n: 2n ** 63n }, "n", /out of range/],
    ["a date past 9999", { d: new Date("+010000-01-01T00:00:00Z") }, "d", /years 1 and 9999/],
    ["a date before year 1", { d: new Date("-000001-01-01T00:00:00Z") }, "d", /years 1 and 9999/],
    ["an invalid date", { d: new Date(Number.NaN) }, "d", /years/],
    ["a __proto__ key", JSON.parse('{"__proto__": {"admin": true}}') as unknown, "__proto__", /not an allowed/],
    ["a NUL in a key", { "a\u0000": 1 }, "a\\u0000", /NUL/],
  ])("refuses %s, saying where", (_name, input, path, reason) => {
    const problem = findUnsafeInput(input);
    expect(problem?.path).toBe(path);
    expect(problem?.message).toMatch(reason);
  });
  it("refuses depth beyond the limit without recursing", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeInput(deep)?.message).toMatch(/nested too deeply/);
    let ok: unknown = "x";
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = { a: ok };
    expect(findUnsafeInput(ok)).toBeNull();
  });
  it("refuses inputs with too many values", () => {
    expect(findUnsafeInput(Array.from({ length: 20_000 }, () => 1))?.message).toMatch(/too large/);
  });
});

describe("jsonTextDepth and parseSafeJson", () => {
  it("counts nesting on the raw text, ignoring brackets in strings", () => {
    expect(jsonTextDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(jsonTextDepth('["\\"[["]')).toBe(1);
    expect(jsonTextDepth(nested(5000))).toBe(MAX_JSON_DEPTH + 1);
  });
  it("refuses a body nested 5,000 deep before parsing it", () => {
    const result = parseSafeJson(nested(5000));
    expect(result).toMatchObject({ ok: false, syntax: false });
    expect(!result.ok && result.problem.message).toMatch(/nested too deeply/);
  });
  it("refuses NUL and lone surrogates written as JSON escapes", () => {
    expect(parseSafeJson('{"a":"\\u0000"}')).toMatchObject({ ok: false, syntax: false, problem: { path: "a" } });
    expect(parseSafeJson('{"a":"\\ud800"}')).toMatchObject({ ok: false, syntax: false, problem: { path: "a" } });
    expect(parseSafeJson('{"a":"\\ud83d\\ude00"}')).toEqual({ ok: true, value: { a: "😀" } });
  });
  it("takes a file's worth of text and values when asked (an import's body), and refuses the rest as ever", () => {
    const file = JSON.stringify({ csv: "x".repeat(100_000), units: Array.from({ length: 5_000 }, () => ({ code: "A", floor: 1 })) });
    expect(parseSafeJson(JSON.stringify({ csv: "x".repeat(100_000) }))).toMatchObject({ ok: false, problem: { path: "csv" } });
    expect(parseSafeJson(JSON.stringify({ units: Array.from({ length: 5_000 }, () => ({ code: "A", floor: 1 })) }))).toMatchObject({
      ok: false,
      problem: { message: expect.stringContaining("too large") },
    });
    const limits = { maxStringLength: 8 * 1024 * 1024, maxNodes: 1_000_000 };
    expect(parseSafeJson(file, limits)).toMatchObject({ ok: true });
    expect(parseSafeJson(JSON.stringify({ csv: `${"x".repeat(100_000)}\u0000` }), limits)).toMatchObject({ ok: false, problem: { path: "csv" } });
    expect(parseSafeJson(JSON.stringify({ csv: "x".repeat(101) }), { maxStringLength: 100 })).toMatchObject({ ok: false, problem: { path: "csv" } });
  });
  it("tells a syntax error apart", () => {
    expect(parseSafeJson("{nope")).toMatchObject({ ok: false, syntax: true });
    expect(parseSafeJson("1e400")).toMatchObject({ ok: false, syntax: false });
  });
});

describe("zod building blocks", () => {
  it("pgInt keeps to int4", () => {
    expect(pgInt().safeParse(2_147_483_647).success).toBe(true);
    expect(pgInt().safeParse(2_147_483_648).success).toBe(false);
    expect(pgInt().safeParse(-2_147_483_649).success).toBe(false);
  });
  it("pgBigint and parsePgBigint keep to int8", () => {
    expect(parsePgBigint("9223372036854775807")).toBe(2n ** 63n - 1n);
    expect(parsePgBigint("9223372036854775808")).toBeNull();
    expect(parsePgBigint("-9223372036854775808")).toBe(-(2n ** 63n));
    expect(parsePgBigint("12a")).toBeNull();
    expect(pgBigint().safeParse("42").data).toBe(42n);
    expect(pgBigint().safeParse("99999999999999999999").success).toBe(false);
  });
  it("pgDate keeps to years 1–9999", () => {
    expect(pgDate().safeParse("2026-12-01T00:00:00Z").success).toBe(true);
    expect(pgDate().safeParse("+275760-09-13T00:00:00Z").success).toBe(false);
    expect(pgDate().safeParse(8.64e15).success).toBe(false);
    expect(pgDate().safeParse("not a date").success).toBe(false);
  });
  it("pgIsoDate and pgIsoDateTime refuse year 0", () => {
    expect(pgIsoDate().safeParse("2030-01-15").success).toBe(true);
    expect(pgIsoDate().safeParse("0000-01-15").success).toBe(false);
    expect(pgIsoDateTime().safeParse("2030-01-15T10:00:00Z").success).toBe(true);
    expect(pgIsoDateTime().safeParse("0000-01-01T00:00:00Z").success).toBe(false);
  });
  it("pgText refuses what PostgreSQL cannot store", () => {
    expect(pgText().safeParse("fine").success).toBe(true);
    expect(pgText().safeParse("bad\u0000").success).toBe(false);
    expect(pgText(5).safeParse("toolong").success).toBe(false);
  });
  it("safeDecodeURIComponent answers null for bad percent-encoding", () => {
    expect(safeDecodeURIComponent("BK-1%20")).toBe("BK-1 ");
    expect(safeDecodeURIComponent("%ZZ")).toBeNull();
    expect(safeDecodeURIComponent("%C0%AF")).toBeNull();
  });
});
