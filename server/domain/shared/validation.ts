import type { z } from "zod";
import { DomainError, type FieldError } from "./errors";

/**
 * The one way input is validated (docs/conventions.md#validation): a zod schema, and a
 * failure is VALIDATION_FAILED (422) with one field error per problem, `path` dotted
 * ("customer.email", "filter.status.0"), every transport answering it the same way.
 */

export interface PathOptions {
  /** the path of a problem with the input as a whole (an unknown field): "body" for a request body; "" by default */
  root?: string;
  /** the input is this field of something larger: every path starts with it ("data.amount_cents") */
  under?: string;
}

/** Parses `input` with `schema`, or refuses it with VALIDATION_FAILED and its field errors. */
export function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown, options: PathOptions = {}): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationFailed(fieldErrorsFromZod(result.error, options));
}

/** zod's issues as field errors. An unknown field is named in the message, at the input's root. */
export function fieldErrorsFromZod(error: z.ZodError, { root = "", under }: PathOptions = {}): FieldError[] {
  return error.issues.map((issue) => ({
    path: under ? [under, ...issue.path.map(String)].join(".") : issue.path.length ? issue.path.map(String).join(".") : root,
    message: issue.code === "unrecognized_keys" ? `Unknown field(s): ${issue.keys.join(", ")}.` : issue.message,
  }));
}

/** VALIDATION_FAILED for these field errors; the message lists the first few. */
export function validationFailed(fieldErrors: FieldError[], context: Record<string, unknown> = {}): DomainError {
  return new DomainError("VALIDATION_FAILED", describeFieldErrors(fieldErrors), context, fieldErrors);
}

/** One field refused (a header, a path parameter, a rule that needs data). */
export function invalidField(path: string, message: string): DomainError {
  return new DomainError("VALIDATION_FAILED", message, {}, [{ path, message }]);
}

/** "status: Invalid option; from: Invalid date": the first five, in words. */
export function describeFieldErrors(fieldErrors: readonly FieldError[]): string {
  if (!fieldErrors.length) return "The input is not valid.";
  const parts = fieldErrors.slice(0, 5).map(({ path, message }) => (path ? `${path}: ${message}` : message));
  return `Invalid input — ${parts.join("; ")}${fieldErrors.length > 5 ? "; …" : ""}`;
}
