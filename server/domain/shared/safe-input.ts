import { z } from "zod";

/**
 * What PostgreSQL (and our own stack) can take, checked once at the edge of every
 * transport (docs/partner-api.md#error-codes): the partner API's bodies, queries, headers
 * and paths, every tRPC procedure's raw input, every server action's input, the payment
 * webhook and next-auth's routes. Input it refuses is answered with a 4xx and changes
 * nothing; before this, such input reached the database and came back as a 500
 * (issue #10: NUL bytes, lone surrogates, int4/int8 overflow, dates PostgreSQL cannot
 * store, JSON nested deep enough to overflow the stack).
 *
 * Pure: no server imports, so schemas the browser shares can use the zod types here.
 */

/** Longer strings are refused: no field we store is anywhere near this. */
export const MAX_STRING_LENGTH = 8192;
/** Deeper JSON is refused; our deepest input is 3 levels. */
export const MAX_JSON_DEPTH = 32;
/** Object keys, summed over the whole input: a cap on work, not on any one field. */
const MAX_JSON_NODES = 10_000;

const PG_INT4_MIN = -2_147_483_648;
export const PG_INT4_MAX = 2_147_483_647;
const PG_INT8_MIN = -(2n ** 63n);
const PG_INT8_MAX = 2n ** 63n - 1n;
/** Years every layer agrees on: ISO 8601 four-digit years, inside PostgreSQL's range. */
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

/** A reason the input is unsafe, and where: path segments joined with "." ("" = the whole input). */
export interface UnsafeInput {
  path: string;
  message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Bidirectional formatting characters (Trojan Source, CVE-2021-42574): never in an identifier.
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** Why a string cannot be stored as text, or null when it can. */
export function unsafeStringReason(text: string, maxLength = MAX_STRING_LENGTH): string | null {
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (hasLoneSurrogate(text)) return "must be valid Unicode (it has a lone surrogate)";
  if (text.length > maxLength) return `must be at most ${maxLength} characters`;
  return null;
}

/** An identifier (a code, a reference, an id in a path) additionally has no bidi controls. */
export function unsafeIdentifierReason(text: string, maxLength = 255): string | null {
  return unsafeStringReason(text, maxLength) ?? (hasBidiControl(text) ? "must not contain bidirectional control characters" : null);
}

export function isValidDate(date: Date): boolean {
  const time = date.getTime();
  if (Number.isNaN(time)) return false;
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/**
 * The first thing in a decoded input that PostgreSQL or the stack cannot take, or null.
 * Walks iteratively (a hostile depth cannot overflow the stack here), and checks
 * strings (also object keys), numbers (finite; integers within int8), bigints (int8),
 * dates (years 1–9999), nesting depth and size, and prototype-polluting keys.
 */
export function findUnsafeInput(value: unknown, options: { maxDepth?: number; maxNodes?: number; maxStringLength?: number } = {}): UnsafeInput | null {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const maxNodes = options.maxNodes ?? MAX_JSON_NODES;
  const maxStringLength = options.maxStringLength ?? MAX_STRING_LENGTH;
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  let nodes = 0;
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    const at = (message: string, extra?: string): UnsafeInput => ({ path: [...path, ...(extra ? [extra] : [])].join("."), message });
    if (++nodes > maxNodes) return at(`is too large (more than ${maxNodes} values)`);
    switch (typeof current) {
      case "string": {
        const reason = unsafeStringReason(current, maxStringLength);
        if (reason) return at(reason);
        continue;
      }
      case "number":
        if (!Number.isFinite(current)) return at("must be a finite number");
        if (Number.isInteger(current) && !Number.isSafeInteger(current)) return at("is out of range");
        continue;
      case "bigint":
        if (current < PG_INT8_MIN || current > PG_INT8_MAX) return at("is out of range");
        continue;
      case "object": {
        if (current === null) continue;
        if (current instanceof Date) {
          if (!isValidDate(current)) return at(`must be a date between years ${MIN_YEAR} and ${MAX_YEAR}`);
          continue;
        }
        if (depth >= maxDepth) return at(`is nested too deeply (more than ${maxDepth} levels)`);
        if (current instanceof Map || current instanceof Set) {
          for (const item of current instanceof Map ? [...current.keys(), ...current.values()] : current.values()) {
            stack.push({ value: item, path, depth: depth + 1 });
          }
          continue;
        }
        if (Array.isArray(current)) {
          current.forEach((item, index) => stack.push({ value: item, path: [...path, String(index)], depth: depth + 1 }));
          continue;
        }
        for (const key of Object.keys(current)) {
          if (FORBIDDEN_KEYS.has(key)) return at("is not an allowed field name", key);
          const reason = unsafeStringReason(key, 255);
          if (reason) return at(`field name ${reason}`, key.replaceAll("\u0000", "\\u0000"));
          stack.push({ value: (current as Record<string, unknown>)[key], path: [...path, key], depth: depth + 1 });
        }
        continue;
      }
      default:
        continue;
    }
  }
  return null;
}

/**
 * The nesting depth of a JSON text, counted on the raw characters (strings skipped) —
 * so a body nested 5,000 deep is refused before any recursive parser sees it.
 * Returns early once `limit` is exceeded.
 */
export function jsonTextDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return max;
}

export type SafeJsonResult = { ok: true; value: unknown } | { ok: false; problem: UnsafeInput; syntax: boolean };

/**
 * JSON.parse for untrusted text: refuses too-deep nesting before parsing, then anything
 * findUnsafeInput refuses (NUL — raw or as \u0000 —, lone surrogates, huge strings,
 * unsafe numbers, __proto__ keys). `syntax` tells a parse failure from an unsafe value.
 */
export function parseSafeJson(text: string, options: { maxDepth?: number; maxNodes?: number; maxStringLength?: number } = {}): SafeJsonResult {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  if (jsonTextDepth(text, maxDepth) > maxDepth) {
    return { ok: false, syntax: false, problem: { path: "", message: `is nested too deeply (more than ${maxDepth} levels)` } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, syntax: true, problem: { path: "", message: "is not valid JSON" } };
  }
  const problem = findUnsafeInput(value, { maxDepth, maxNodes: options.maxNodes, maxStringLength: options.maxStringLength });
  return problem ? { ok: false, syntax: false, problem } : { ok: true, value };
}

/** A decodeURIComponent that answers null instead of throwing on %ZZ or invalid UTF-8 (%C0%AF). */
export function safeDecodeURIComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

// ───────────────────────── zod building blocks ─────────────────────────

/** A string PostgreSQL can store: no NUL, no lone surrogate, bounded. */
export const pgText = (maxLength = MAX_STRING_LENGTH) =>
  z.string().superRefine((text, ctx) => {
    const reason = unsafeStringReason(text, maxLength);
    if (reason) ctx.addIssue({ code: "custom", message: `Must be text PostgreSQL can store: ${reason}.` });
  });

/** An integer that fits PostgreSQL's int4 (integer). */
export const pgInt = () =>
  z
    .number()
    .int()
    .min(PG_INT4_MIN, `Must be at least ${PG_INT4_MIN}.`)
    .max(PG_INT4_MAX, `Must be at most ${PG_INT4_MAX}.`);

/** A decimal integer string that fits PostgreSQL's int8 (bigint), or null. */
export function parsePgBigint(text: string): bigint | null {
  if (!/^-?\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  return value < PG_INT8_MIN || value > PG_INT8_MAX ? null : value;
}

/** An int8 given as a decimal string (how ids and cursors travel), parsed to a bigint. */
export const pgBigint = () =>
  z.string().transform((text, ctx) => {
    const value = parsePgBigint(text);
    if (value === null) {
      ctx.addIssue({ code: "custom", message: "Must be an integer between -2^63 and 2^63-1." });
      return z.NEVER;
    }
    return value;
  });

/** A Date (or anything z.coerce.date takes) in years 1–9999, which PostgreSQL stores. */
export const pgDate = () =>
  z.coerce.date().refine(isValidDate, { message: `Must be a date between years ${MIN_YEAR} and ${MAX_YEAR}.` });

function isoYearInRange(text: string): boolean {
  const year = Number(text.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** A calendar date, YYYY-MM-DD, years 1–9999. */
export const pgIsoDate = () =>
  z.iso.date().refine(isoYearInRange, { message: `Must be a date between years ${MIN_YEAR} and ${MAX_YEAR}.` });

/** An RFC 3339 timestamp with an offset, whose instant is in years 1–9999. */
export const pgIsoDateTime = () =>
  z.iso
    .datetime({ offset: true })
    .refine((text) => isoYearInRange(text) && isValidDate(new Date(text)), {
      message: `Must be a time between years ${MIN_YEAR} and ${MAX_YEAR}.`,
    });
