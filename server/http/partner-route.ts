import crypto from "node:crypto";
import type { z } from "zod";
import type { PartnerScope } from "@/shared/permissions";
import { authenticateApiKey, type AuthenticatedKey } from "../domain/partners/authenticate-api-key";
import { API_KEY_PREFIX_LENGTH } from "../domain/admin/create-api-key";
import { bookingReferencesIn, recordApiRequest, type ApiRequestRecord } from "../domain/request-log/record-api-request";
import {
  beginIdempotentRequest,
  completeIdempotentRefusal,
  completeIdempotentRequest,
  releaseIdempotentRequest,
  type StoredResponse,
} from "../domain/idempotency/idempotency-store";
import { consumeRateLimit, type RateClass, type RateDecision } from "../domain/rate-limits/consume";
import type { Actor } from "../domain/shared/actor";
import { BookingReference } from "../domain/bookings/booking-reference";
import { ImportId } from "../domain/catalogue/imports/find-import";
import { DomainError } from "../domain/shared/errors";
import { invalidField, parseOrRefuse } from "../domain/shared/validation";
import { findUnsafeInput, parseSafeJson, PG_INT4_MAX, unsafeIdentifierReason } from "../domain/shared/safe-input";
import { decryptSecret, encryptSecret } from "../domain/shared/secrets";
import { inTransaction } from "../domain/shared/transaction";
import type { Tx } from "../domain/shared/tx";
import { correlationIdOf } from "../observability/correlation";
import { observeHttpRequest } from "../observability/metrics";
import { recordPartnerRefusal } from "./partner-refusal";
import { problemBody, problemResponse, toDomainError, PROBLEM_CONTENT_TYPE } from "./problem";
import { bodyLimitFor, PARTNER_API_MAX_BODY_BYTES } from "./body-limits";
import { readLimitedBody } from "./read-limited-body";
import { requestMetaFrom } from "../auth/request-meta";

/**
 * Everything every partner API request goes through, in this order: correlation id →
 * API key (401) → scope (403) → rate limit (429) → body size (413) → JSON and schema
 * (422, never stored) → Idempotency-Key (400) → idempotency claim (replay / 409 / 422) →
 * the handler, in one transaction with the stored response → problem+json on refusal →
 * a refused call on a booking audited (./partner-refusal; a replayed answer is not) →
 * the request log row, written before the answer is returned (docs/request-log.md): inside
 * the idempotent transaction for a mutation that did its work, else on its own.
 * Handlers stay thin: parse → one domain service → a resource.
 */

export const MAX_BODY_BYTES = PARTNER_API_MAX_BODY_BYTES;
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  bookingId?: string | null;
}

export interface PartnerContext<TBody, TQuery> {
  request: Request;
  actor: Actor;
  auth: AuthenticatedKey;
  body: TBody;
  query: TQuery;
  params: Record<string, string>;
  correlationId: string;
  /** the idempotent request's transaction (POST only) */
  tx?: Tx;
  idempotencyKey: string | null;
  /** If-Match as an inventory_version, when sent */
  ifMatch: number | null;
}

export interface PartnerRouteOptions<TBody extends z.ZodType, TQuery extends z.ZodType> {
  /** the route pattern, for logs and metrics, e.g. "/api/v1/bookings/{reference}" */
  route: string;
  scope: PartnerScope;
  rateClass: RateClass;
  body?: TBody;
  query?: TQuery;
  /** POSTs are idempotent with a required Idempotency-Key */
  idempotent?: boolean;
  /**
   * The response carries a secret shown once (a webhook signing secret): the copy kept
   * for idempotent replays is stored encrypted, like the secret itself, not in clear.
   */
  sealStoredResponse?: boolean;
  /**
   * The body is a file (a catalogue import, docs/partner-api.md#catalogue-imports): one
   * string may be as long as the route's body limit, and it may hold a file's worth of
   * values. Every other check of safe-input (NUL, lone surrogates, depth, numbers) stands.
   */
  fileBody?: boolean;
}

/** What a file body may hold: 100,000 rows of a few fields each, and some to spare. */
const FILE_BODY_MAX_VALUES = 1_000_000;

type RouteArgs = { params?: Promise<Record<string, string | string[]>> };

/** A route handler that carries its options, so a test can check the OpenAPI document against them. */
export type PartnerRouteHandler = ((request: Request, args?: RouteArgs) => Promise<Response>) & {
  partnerRoute: PartnerRouteOptions<z.ZodType, z.ZodType>;
};

export function partnerRoute<TBody extends z.ZodType = z.ZodUndefined, TQuery extends z.ZodType = z.ZodUndefined>(
  options: PartnerRouteOptions<TBody, TQuery>,
  handler: (ctx: PartnerContext<z.infer<TBody>, z.infer<TQuery>>) => Promise<HandlerResult>,
): PartnerRouteHandler {
  return Object.assign(partnerRequestHandler(options, handler), { partnerRoute: options as PartnerRouteOptions<z.ZodType, z.ZodType> });
}

function partnerRequestHandler<TBody extends z.ZodType, TQuery extends z.ZodType>(
  options: PartnerRouteOptions<TBody, TQuery>,
  handler: (ctx: PartnerContext<z.infer<TBody>, z.infer<TQuery>>) => Promise<HandlerResult>,
): (request: Request, args?: RouteArgs) => Promise<Response> {
  return async (request, args) => {
    const started = performance.now();
    const correlationId = correlationIdOf(request);
    // Filled in as the request gets through each step; read for the log line.
    const seen: {
      auth: AuthenticatedKey | null;
      rate: RateDecision | null;
      replayed: boolean;
      refusal: DomainError | null;
      /** the body as read (null: none, or not read) */
      rawBody: string | null;
      /** the parsed body, once valid */
      body: unknown;
      /** the request-log row is already written (with the work, in its transaction) */
    } = {
      auth: null,
      rate: null,
      replayed: false,
      refusal: null,
      rawBody: null,
      body: undefined,
    };
    let response: Response;
    try {
      response = await handle();
    } catch (thrown) {
      const error = (seen.refusal = toDomainError(thrown, correlationId));
      response = problemResponse(error, correlationId, rateHeaders(seen.rate));
    }
    if (seen.auth && seen.refusal && !seen.replayed) {
      const actor = seen.auth.actor;
      const refusal = seen.refusal;
      await resolveParams(args)
        .then((params) => recordPartnerRefusal({ route: options.route, method: request.method, params, actor, error: refusal }))
        .catch(() => undefined);
    }
    // One log row per answer, written before it is returned (docs/request-log.md).
    if (options.body && seen.rawBody === null && seen.refusal && !request.bodyUsed) {
      // Refused before its body was read (401, 403, 429): read it now, within the route's
      // limit, so the log has it and the call is counted at the facility it names.
      seen.rawBody = await readLimitedBody(request, bodyLimitFor(options.route), 0)
        .then((body) => (body.ok ? body.text : null))
        .catch(() => null);
    }
    const code = response.headers.get("x-holdfast-error-code");
    const text = await response.clone().text();
    const reference = await rawReference(args);
    await recordApiRequest(logRecord(response.status, code, text, reference));
    observeHttpRequest(options.route, request.method, response.status, (performance.now() - started) / 1000);
    return response;

    /** The request-log row of this call as it was answered (docs/request-log.md). */
    function logRecord(status: number, code: string | null, responseBody: string, pathReference: string | null): ApiRequestRecord {
      const url = new URL(request.url);
      // the facility the body names, even in a body refused as invalid
      const body = (seen.body ?? lenientJson(seen.rawBody)) as { facility_code?: unknown } | undefined;
      const facilityCode = typeof body?.facility_code === "string" ? body.facility_code : url.searchParams.get("facility_code");
      const token = /^Bearer\s+(\S+)/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;
      const meta = requestMetaFrom(request.headers);
      return {
        source: "partner_api",
        partnerId: seen.auth?.actor.id ?? null,
        apiKeyId: seen.auth?.apiKeyId ?? null,
        keyPrefix: token ? token.slice(0, API_KEY_PREFIX_LENGTH) : null,
        method: request.method,
        route: options.route,
        path: url.pathname,
        query: url.search ? url.search.slice(1) : null,
        status,
        code,
        durationMs: Math.round(performance.now() - started),
        idempotencyKey: request.headers.get("idempotency-key"),
        correlationId,
        replayed: seen.replayed,
        ip: meta.ip,
        userAgent: meta.userAgent,
        bookingReferences: [...(pathReference ? [pathReference] : []), ...bookingReferencesIn(responseBody)],
        facilityCode,
        requestBody: seen.rawBody,
        responseBody,
      };
    }

    async function handle(): Promise<Response> {
      const auth = (seen.auth = await authenticate(request, correlationId));
      if (!auth.actor.scopes.includes(options.scope)) {
        throw new DomainError("FORBIDDEN", `This API key lacks the ${options.scope} scope.`, { required_scope: options.scope });
      }
      const rate = (seen.rate = await consumeRateLimit(auth.apiKeyId, options.rateClass, rateLimitFor(auth, options.rateClass)));
      if (!rate.allowed) {
        throw new DomainError("RATE_LIMITED", `Rate limit of ${rate.limit} ${options.rateClass} requests per minute reached.`, {
          retry_after_seconds: rate.resetSeconds,
        });
      }

      const raw = options.body ? await readBody(request, bodyLimitFor(options.route)) : "";
      if (options.body) seen.rawBody = raw;
      const bodyLimits = options.fileBody ? { maxStringLength: bodyLimitFor(options.route), maxNodes: FILE_BODY_MAX_VALUES } : {};
      const body = (seen.body = options.body ? parseJson(raw, options.body, bodyLimits) : undefined);
      const query = options.query ? parseQuery(request, options.query) : undefined;
      const params = await resolveParams(args);
      const ifMatch = parseIfMatch(request.headers.get("if-match"));
      const idempotencyKey = request.headers.get("idempotency-key");

      const ctx: PartnerContext<z.infer<TBody>, z.infer<TQuery>> = {
        request,
        actor: auth.actor,
        auth,
        body: body as z.infer<TBody>,
        query: query as z.infer<TQuery>,
        params,
        correlationId,
        idempotencyKey,
        ifMatch,
      };
      if (!options.idempotent) return jsonResponse(await handler(ctx), correlationId, rate);

      if (!idempotencyKey) {
        throw new DomainError("IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key header (a unique string per intended change).");
      }
      if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(idempotencyKey)) {
        throw invalidField("Idempotency-Key", "Idempotency-Key must be 1–255 visible ASCII characters.");
      }
      const url = new URL(request.url);
      const begun = await beginIdempotentRequest({
        partnerId: auth.actor.id,
        key: idempotencyKey,
        fingerprint: fingerprint(request.method, url.pathname, body, ifMatch),
        method: request.method,
        path: url.pathname,
        correlationId,
      });
      if (begun.kind === "reused") {
        throw new DomainError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request.");
      }
      if (begun.kind === "in_use") {
        throw new DomainError("IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still being processed; retry shortly.");
      }
      if (begun.kind === "replay") {
        seen.replayed = true;
        return storedResponse(unsealStored(begun.response), correlationId, rate, true);
      }

      const recordId = begun.recordId;
      try {
        const stored = await inTransaction({}, async (tx) => {
          const result = await handler({ ...ctx, tx });
          const toStore = toStoredResponse(result);
          await completeIdempotentRequest(tx, recordId, options.sealStoredResponse ? sealStored(toStore) : toStore, result.bookingId);
          return toStore;
        });
        return storedResponse(stored, correlationId, rate, false);
      } catch (thrown) {
        const error = toDomainError(thrown, correlationId);
        if (error.retryable || error.code === "VALIDATION_FAILED") {
          // Nothing was done and the client should be free to try again with this key.
          await releaseIdempotentRequest(recordId);
          throw error;
        }
        // A refusal is the request's answer: store it so a retry gets the same one.
        seen.refusal = error;
        const refusal: StoredResponse = {
          status: error.status,
          body: JSON.stringify(problemBody(error, correlationId)),
          headers: { "content-type": PROBLEM_CONTENT_TYPE, "x-holdfast-error-code": error.code },
        };
        await completeIdempotentRefusal(recordId, refusal);
        return storedResponse(refusal, correlationId, rate, false);
      }
    }
  };
}

async function authenticate(request: Request, correlationId: string): Promise<AuthenticatedKey> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S{8,200})\s*$/i.exec(header);
  if (!match) {
    throw new DomainError("UNAUTHENTICATED", "Send your API key as Authorization: Bearer <key>.");
  }
  return authenticateApiKey(match[1]!, {
    correlationId,
    ip: requestMetaFrom(request.headers).ip,
    userAgent: request.headers.get("user-agent"),
  });
}

function rateLimitFor(auth: AuthenticatedKey, rateClass: RateClass): number | null {
  // bulk: the configured limit for every key (RATE_LIMIT_BULK_PER_MINUTE); a key's own limits are for live traffic
  return rateClass === "read" ? auth.readRateLimitPerMinute : rateClass === "write" ? auth.writeRateLimitPerMinute : null;
}

async function readBody(request: Request, maxBytes: number): Promise<string> {
  // Stops reading past the limit (and at once when Content-Length already says so).
  const body = await readLimitedBody(request, maxBytes, 0);
  if (!body.ok) throw tooLarge(maxBytes);
  return body.text;
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${maxBytes} bytes.`, { max_bytes: maxBytes });
}

function parseJson<T extends z.ZodType>(raw: string, schema: T, limits: { maxStringLength?: number; maxNodes?: number }): z.infer<T> {
  if (raw.trim() === "") throw invalidField("body", "The request body is empty; send a JSON object.");
  // Depth-checked before parsing; NUL, lone surrogates, huge strings and unsafe numbers refused (safe-input).
  const parsed = parseSafeJson(raw, limits);
  if (!parsed.ok) {
    if (parsed.syntax) throw invalidField("body", "The request body is not valid JSON.");
    throw unsafeInputError(parsed.problem, "body");
  }
  return parseOrRefuse(schema, parsed.value, { root: "body" });
}

function parseQuery<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  const unsafe = findUnsafeInput(params);
  if (unsafe) throw unsafeInputError(unsafe, "query");
  return parseOrRefuse(schema, params, { root: "query" });
}

/** Path parameters with a shared normalisation, by name: every route's {reference} is read the same way. */
const PATH_PARAMS: Record<string, z.ZodType<string, string>> = { reference: BookingReference, import_id: ImportId };

function lenientJson(raw: string | null): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** The path's {reference} as sent, when it looks like one (for the log, whatever else failed). */
async function rawReference(args?: RouteArgs): Promise<string | null> {
  const raw = await args?.params?.catch(() => undefined);
  const value = raw?.reference;
  const text = Array.isArray(value) ? value.join("/") : value;
  const parsed = BookingReference.safeParse(text);
  return parsed.success ? parsed.data : null;
}

async function resolveParams(args?: RouteArgs): Promise<Record<string, string>> {
  const raw = (await args?.params) ?? {};
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const text = Array.isArray(value) ? value.join("/") : value;
    const reason = unsafeIdentifierReason(text);
    if (reason) throw unsafeInputError({ path: name, message: reason }, "path");
    const schema = PATH_PARAMS[name];
    if (!schema) {
      params[name] = text;
      continue;
    }
    params[name] = parseOrRefuse(schema, text, { root: `path.${name}` });
  }
  return params;
}

function unsafeInputError(problem: { path: string; message: string }, where: "body" | "query" | "path"): DomainError {
  const path = problem.path ? `${where}.${problem.path}` : where;
  return invalidField(path, `${path} ${problem.message}.`);
}

function parseIfMatch(header: string | null): number | null {
  if (header === null) return null;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(header);
  // inventory_version is an int4: a larger number is a refusal, not an overflow in PostgreSQL.
  if (!match || Number(match[1]) > PG_INT4_MAX) throw invalidField("If-Match", 'If-Match must be an inventory_version, e.g. If-Match: "42".');
  return Number(match[1]);
}

/** Method, path and the canonical JSON of the body: the same request however it is spaced. */
function fingerprint(method: string, path: string, body: unknown, ifMatch: number | null): string {
  return crypto
    .createHash("sha256")
    .update(`${method}\n${path}\n${ifMatch ?? ""}\n${canonicalJson(body)}`)
    .digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function toStoredResponse(result: HandlerResult): StoredResponse {
  return {
    status: result.status,
    body: JSON.stringify(result.body),
    headers: { "content-type": "application/json", ...(result.headers ?? {}) },
  };
}

const SEALED_PREFIX = "sealed:";

function sealStored(response: StoredResponse): StoredResponse {
  return { ...response, body: SEALED_PREFIX + encryptSecret(response.body) };
}

function unsealStored(response: StoredResponse): StoredResponse {
  if (!response.body.startsWith(SEALED_PREFIX)) return response;
  return { ...response, body: decryptSecret(response.body.slice(SEALED_PREFIX.length)) };
}

function rateHeaders(rate: RateDecision | null): Record<string, string> {
  if (!rate) return {};
  const headers: Record<string, string> = {
    "ratelimit-limit": String(rate.limit),
    "ratelimit-remaining": String(rate.remaining),
    "ratelimit-reset": String(rate.resetSeconds),
    "ratelimit-policy": `${rate.limit};w=60`,
  };
  if (!rate.allowed) headers["retry-after"] = String(rate.resetSeconds);
  return headers;
}

function storedResponse(stored: StoredResponse, correlationId: string, rate: RateDecision | null, replay: boolean): Response {
  return new Response(stored.body, {
    status: stored.status,
    headers: {
      ...stored.headers,
      "x-correlation-id": correlationId,
      ...rateHeaders(rate),
      ...(replay ? { "idempotent-replayed": "true" } : {}),
    },
  });
}

function jsonResponse(result: HandlerResult, correlationId: string, rate: RateDecision | null): Response {
  return storedResponse(toStoredResponse(result), correlationId, rate, false);
}
