import { z } from "zod";
import { ERROR_CODES } from "../domain/shared/errors";
import {
  AccessCodeResource,
  AvailabilityQuery,
  AvailabilitySnapshotBody,
  BookingResource,
  CancelBookingBody,
  MoveOutBookingBody,
  CreateBookingBody,
  CreateImportBody,
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  EventPageResource,
  EventResource,
  EventsQuery,
  FacilityDetailResource,
  FacilityListResource,
  FacilityResource,
  ImportDetailResource,
  ImportQuery,
  ImportResource,
  ImportRowResource,
  PoolListResource,
  PoolResource,
  ProblemResource,
  RequestLogListResource,
  RequestLogResource,
  RequestLogsQuery,
  SnapshotResource,
  WebhookEndpointHealthResource,
  WebhookEndpointListResource,
  WebhookEndpointResource,
  WebhookEndpointsQuery,
  WebhookEndpointWithSecretResource,
} from "./api-schemas";
import { IMPORT_MAX_BODY_BYTES } from "./body-limits";
import { MAX_BODY_BYTES } from "./partner-route";

/**
 * OpenAPI 3.1 for the partner API, generated from the same zod schemas the route
 * handlers validate with (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod emits).
 */

type Json = Record<string, unknown>;

/** Request schemas are described as what a client may send (defaults optional)… */
const REQUESTS = {
  CreateBookingRequest: CreateBookingBody,
  CancelBookingRequest: CancelBookingBody,
  MoveOutBookingRequest: MoveOutBookingBody,
  AvailabilitySnapshotRequest: AvailabilitySnapshotBody,
  CreateWebhookEndpointRequest: CreateWebhookEndpointBody,
  UpdateWebhookEndpointRequest: UpdateWebhookEndpointBody,
  CreateImportRequest: CreateImportBody,
};
/**
 * …response schemas as what the server sends: every handler's body is parsed through
 * these same schemas (server/http/resources.ts), so a response cannot drift from them.
 */
const RESPONSES = {
  Booking: BookingResource,
  AccessCode: AccessCodeResource,
  Pool: PoolResource,
  Facility: FacilityResource,
  Event: EventResource,
  AvailabilitySnapshot: SnapshotResource,
  Problem: ProblemResource,
  FacilityList: FacilityListResource,
  FacilityDetail: FacilityDetailResource,
  PoolList: PoolListResource,
  EventPage: EventPageResource,
  WebhookEndpoint: WebhookEndpointResource,
  WebhookEndpointWithSecret: WebhookEndpointWithSecretResource,
  WebhookEndpointWithHealth: WebhookEndpointHealthResource,
  WebhookEndpointList: WebhookEndpointListResource,
  RequestLog: RequestLogResource,
  RequestLogList: RequestLogListResource,
  Import: ImportResource,
  ImportRow: ImportRowResource,
  ImportDetail: ImportDetailResource,
};
type SchemaId = keyof typeof REQUESTS | keyof typeof RESPONSES;

function jsonSchemas(named: Record<string, z.ZodType>, io: "input" | "output"): Record<string, Json> {
  const registry = z.registry<{ id?: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}`, io }) as {
    schemas: Record<string, Json>;
  };
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema as Json & { $schema?: unknown; $id?: unknown };
    out[id] = rest;
  }
  return out;
}

function componentSchemas(): Record<string, Json> {
  return { ...jsonSchemas(REQUESTS, "input"), ...jsonSchemas(RESPONSES, "output") };
}

const ref = (id: SchemaId) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: SchemaId) => ({ "application/json": { schema: ref(id) } });

/** Returned on every response, refusals included. */
const correlationResponseHeader = {
  "X-Correlation-Id": { required: true, description: "the request's correlation id (yours, or a new one)", schema: { type: "string" } },
};
const ok = (description: string, schema: SchemaId | null, headers: Json = {}) => ({
  description,
  headers: { ...correlationResponseHeader, ...headers },
  ...(schema ? { content: json(schema) } : {}),
});
const problem = (description: string, headers: Json = {}) => ({
  description,
  headers: { ...correlationResponseHeader, ...headers },
  content: { "application/problem+json": { schema: ref("Problem") } },
});

function queryParameters(schema: z.ZodObject): Json[] {
  const jsonSchema = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(jsonSchema.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: jsonSchema.required?.includes(name) ?? false,
    schema: s,
  }));
}

/**
 * What an operation can answer besides its success, from the steps every request goes
 * through (proxy.ts, then server/http/partner-route.ts): a readable URL (400) → API key (401) → scope (403) → rate limit (429,
 * reads too) → body size (413) → headers, query and body (422: a malformed If-Match or
 * Idempotency-Key on any operation, an unknown or malformed query parameter, a body that
 * does not match) → Idempotency-Key (400, 409, 422) → the service → 500 for anything
 * unexpected. server/http/openapi.test.ts checks every route against this.
 */
interface Refusals {
  query?: boolean;
  body?: boolean;
  idempotent?: boolean;
  /** the 404 of an operation on one resource, or with a lookup in its input */
  notFound?: string;
  /** the service's own 409s */
  conflict?: string;
  /** the route's body limit, when not the partner API's (server/http/body-limits.ts) */
  maxBodyBytes?: number;
  extra?: Record<string, Json>;
}

function responses(success: Record<string, Json>, r: Refusals): Record<string, Json> {
  const invalid = [
    r.body ? "the body does not match the schema" : null,
    r.query ? "a query parameter is malformed or unknown" : null,
    "a malformed If-Match or Idempotency-Key header",
  ].filter(Boolean);
  const validation = `VALIDATION_FAILED (with field errors): ${invalid.join("; ")}${r.idempotent ? "; or IDEMPOTENCY_KEY_REUSED" : ""}`;
  const conflicts = [r.conflict, r.idempotent ? "IDEMPOTENCY_KEY_IN_USE (retryable)" : null].filter(Boolean);
  return {
    ...success,
    // Before any route runs, proxy.ts refuses a path or query it cannot read (invalid
    // percent-encoding, a NUL character) with MALFORMED_REQUEST, on every operation.
    "400": problem(`${r.idempotent ? "IDEMPOTENCY_KEY_REQUIRED, or " : ""}MALFORMED_REQUEST — a path or query with invalid percent-encoding or a NUL character`),
    "401": problem("UNAUTHENTICATED — missing, unknown or revoked key"),
    "403": problem("FORBIDDEN — the key lacks the scope"),
    ...(r.notFound ? { "404": problem(r.notFound) } : {}),
    ...(conflicts.length ? { "409": problem(conflicts.join(", or ")) } : {}),
    ...(r.body ? { "413": problem(`PAYLOAD_TOO_LARGE — bodies are limited to ${r.maxBodyBytes ?? MAX_BODY_BYTES} bytes`) } : {}),
    "422": problem(validation),
    "429": problem("RATE_LIMITED — see Retry-After and RateLimit-* headers", {
      "Retry-After": { required: true, description: "seconds to wait", schema: { type: "string", pattern: "^[0-9]+$" } },
    }),
    "500": problem("INTERNAL — retryable; quote the correlation_id"),
    "503": problem("SERVICE_UNAVAILABLE — the database cannot be reached at the moment; retryable, see Retry-After", {
      "Retry-After": { required: true, description: "seconds to wait", schema: { type: "string", pattern: "^[0-9]+$" } },
    }),
    ...r.extra,
  };
}

/**
 * What a request that matches no operation gets, whatever its path or method (the
 * catch-all routes under /api): an unknown path is a 404, a known path with a method it
 * does not have a 405 that lists the methods it has.
 */
const unmatchedResponses = {
  UnknownPath: problem("NOT_FOUND — no such path in this API"),
  MethodNotAllowed: problem("METHOD_NOT_ALLOWED — the path exists, but not with this method", {
    Allow: { required: true, description: "the methods this path has, comma-separated", schema: { type: "string" } },
  }),
};

const idempotencyHeader = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description:
    "Required on every POST and PATCH (≤ 255 characters). The same key and request replays the stored response byte for byte with `Idempotent-Replayed: true`; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_KEY_IN_USE. Kept at least 24 h.",
  schema: { type: "string", maxLength: 255 },
};
const correlationHeader = {
  name: "X-Correlation-Id",
  in: "header",
  required: false,
  description: "Your trace id (1–128 of A–Z a–z 0–9 . _ : -); generated when absent; returned on every response.",
  schema: { type: "string" },
};
const referenceParam = { name: "reference", in: "path", required: true, schema: { type: "string", example: "BK-7F3K2Q" } };
const importParam = { name: "import_id", in: "path", required: true, schema: { type: "string", example: "imp_01jh2x3y4z5a6b7c8d9e0f1g2h" } };
const endpointParam = { name: "id", in: "path", required: true, schema: { type: "string", example: "ep_01jh2x3y4z5a6b7c8d9e0f1g2h" } };

const WEBHOOKS_DESCRIPTION = [
  "Scope `webhooks:manage`; your own endpoints only (another partner's is 404).",
  "Each endpoint receives, as a signed POST of the event envelope (the same shape as `/api/v1/events`), the event types it lists (none = all):",
  "every `inventory.*` and `unit.*` event, and the `booking.*` and `access.*` events of your own bookings.",
  "Signing is [Standard Webhooks](https://www.standardwebhooks.com): `webhook-id` (the event id — the same on every retry and replay: dedupe on it),",
  "`webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">` keyed with the endpoint's `whsec_` secret;",
  "after a rotation the previous secret signs too for 24 h (two space-separated signatures). Any 2xx within 15 s is success; anything else is retried",
  "after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (±10 %), then dead-lettered. `Retry-After` on 429/503 is honoured. `410 Gone` disables the endpoint,",
  "and so does failing continuously for 72 h. Redirects are not followed. Order is not guaranteed: use `aggregate_version`.",
].join(" ");

const IMPORTS_DESCRIPTION = [
  "Scope `catalogue:write`; your own imports only, at facilities your key may see (anything else is 404).",
  "Send a facility's units as a file (CSV, or JSON `units`): a file that cannot be read at all (no header, an unknown column, more than 100,000 rows) is 422 and nothing is stored;",
  "otherwise the import is accepted (202, `planning`) and planned in the background against the facility's units: each row is an add, a change (type or floor), a retire (`retired` yes), unchanged, or an error with its line number.",
  "A dry run (the default) then waits in `planned` for `apply`; with `dry_run: false` it is applied as soon as planned. Applying runs in batches, each row its own change with its events (`unit.added`, `unit.retyped`, `unit.updated`, `unit.retired`, `inventory.updated`);",
  "a row the catalogue refuses when applied (a unit booked meanwhile) fails alone. Creating an import is the bulk rate class (`RATE_LIMIT_BULK_PER_MINUTE`, default 10 a minute per key), counted apart from your live traffic; bodies up to 8 MiB.",
].join(" ");

const REQUEST_LOG_DESCRIPTION = [
  "Every call your keys made that got an answer — successes, replays and refusals, 401s and 429s included — with its status, problem code,",
  "Idempotency-Key, correlation id and bodies (secrets redacted, at most 16 KB each), kept 30 days. Debug a refused call without a support ticket.",
].join(" ");

/** POST /api/v1/bookings/{reference}/{action}: one operation per booking action. */
function bookingActions(actions: readonly (readonly [string, string, string, "CancelBookingRequest" | "MoveOutBookingRequest" | null])[]): Record<string, Json> {
  return Object.fromEntries(
    actions.map(([action, summary, description, body]) => [
      `/api/v1/bookings/{reference}/${action}`,
      {
        post: {
          tags: ["Bookings"],
          summary,
          description: `Scope \`bookings:write\`. ${description} Any other illegal move: 409 INVALID_TRANSITION with current_status and allowed_actions.`,
          parameters: [referenceParam, idempotencyHeader, correlationHeader],
          ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
          responses: responses(
            { "200": ok("The booking after the action", "Booking") },
            {
              body: body !== null,
              idempotent: true,
              notFound: "NOT_FOUND",
              conflict: "INVALID_TRANSITION, HOLD_EXPIRED, INVENTORY_HELD_BY_OTHER_TXN (retryable)",
            },
          ),
        },
      },
    ]),
  );
}

export function buildOpenApiDocument(serverUrl = "/"): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Holdfast partner API",
      version: "1.0.0",
      description:
        "Hold, confirm, fulfil and cancel storage units; read availability and the event feed. JSON with snake_case; timestamps are RFC 3339 UTC; errors are RFC 9457 problem+json with a machine-readable `code`. Each operation lists every status it can answer; a path that does not exist is a 404 `NOT_FOUND` and a method a path does not have a 405 `METHOD_NOT_ALLOWED` with `Allow` (components.responses UnknownPath and MethodNotAllowed).",
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Inventory" },
      { name: "Bookings" },
      { name: "Events" },
      { name: "Webhooks", description: WEBHOOKS_DESCRIPTION },
      { name: "Request log", description: REQUEST_LOG_DESCRIPTION },
      { name: "Catalogue imports", description: IMPORTS_DESCRIPTION },
    ],
    paths: {
      "/api/v1/facilities": {
        get: {
          tags: ["Inventory"],
          summary: "Facilities and unit types visible to the key",
          description: "Scope `inventory:read`.",
          parameters: [correlationHeader],
          responses: responses({ "200": ok("Facilities", "FacilityList") }, {}),
        },
      },
      "/api/v1/facilities/{facility_code}": {
        get: {
          tags: ["Inventory"],
          summary: "One facility's catalogue: unit types, features, rates in force and scheduled, pool counts",
          description:
            "Scope `inventory:read`. `facility_code` may be a code the facility had before a rename (it is listed in `previous_codes`). Rates are integer cents of the facility's currency; a hold takes the rate in force on the facility's day, and a booking keeps it.",
          parameters: [
            { name: "facility_code", in: "path", required: true, schema: { type: "string", example: "LON-01" } },
            correlationHeader,
          ],
          responses: responses({ "200": ok("The facility", "FacilityDetail") }, { notFound: "NOT_FOUND — unknown facility or outside the key's facilities" }),
        },
      },
      "/api/v1/availability": {
        get: {
          tags: ["Inventory"],
          summary: "Pools with counters and inventory_version",
          description: "Scope `inventory:read`.",
          parameters: [...queryParameters(AvailabilityQuery), correlationHeader],
          responses: responses(
            { "200": ok("Pools", "PoolList") },
            { query: true, notFound: "NOT_FOUND — unknown facility or outside the key's facilities" },
          ),
        },
      },
      "/api/v1/bookings": {
        post: {
          tags: ["Bookings"],
          summary: "Hold a unit (create a booking in status tentative)",
          description:
            "Scope `bookings:write`. Picks one specific available unit of the type and holds it for `hold_ttl_seconds` (default: the partner's setting, 15 min). Send `If-Match: <inventory_version>` to fail with 412 if the pool changed since you read it.",
          parameters: [
            idempotencyHeader,
            correlationHeader,
            { name: "If-Match", in: "header", required: false, schema: { type: "string", example: '"42"' } },
          ],
          requestBody: { required: true, content: json("CreateBookingRequest") },
          responses: responses(
            { "201": ok("Held", "Booking", { Location: { required: true, schema: { type: "string" } } }) },
            {
              body: true,
              idempotent: true,
              notFound: "NOT_FOUND — facility or unit type",
              conflict: "INVENTORY_UNAVAILABLE, INVENTORY_HELD_BY_OTHER_TXN (retryable)",
              extra: { "412": problem("VERSION_CONFLICT — the If-Match inventory_version is stale") },
            },
          ),
        },
      },
      "/api/v1/bookings/{reference}": {
        get: {
          tags: ["Bookings"],
          summary: "A booking",
          description: "Scope `bookings:read`. Your own bookings only.",
          parameters: [referenceParam, correlationHeader],
          responses: responses({ "200": ok("The booking", "Booking") }, { notFound: "NOT_FOUND" }),
        },
      },
      // In the order the examples run them on one booking (components/api-docs/curl-example.ts):
      // confirm, move in, read the gate code, move out, then cancel (a 200 no-op by then).
      ...bookingActions([
        ["confirm", "Confirm a held booking", "Confirming a confirmed booking is a 200 no-op. After the hold expired: 409 HOLD_EXPIRED.", null],
        ["fulfil", "Move-in: fulfil a confirmed booking (issues an access grant)", "Fulfilling a fulfilled booking is a 200 no-op.", null],
      ]),
      "/api/v1/bookings/{reference}/access": {
        get: {
          tags: ["Bookings"],
          summary: "The gate code of a moved-in booking",
          description:
            "Scope `access:read`. Your own bookings only, once moved in (before, or after move-out or cancellation: 409 CONFLICT). Every read is audited and counted against an hourly limit per partner (429 RATE_LIMITED). The code never appears in webhooks or the event feed.",
          parameters: [referenceParam, correlationHeader],
          responses: responses({ "200": ok("The code", "AccessCode") }, { notFound: "NOT_FOUND", conflict: "CONFLICT — the booking has no live access grant" }),
        },
      },
      ...bookingActions([
        ["move-out", "Move-out: end a moved-in tenancy (revokes access; the unit is cleaned before it is on sale again)", "Moving out a moved-out booking is a 200 no-op.", "MoveOutBookingRequest"],
        ["cancel", "Cancel a booking", "Cancelling a cancelled, expired or moved-out booking is a 200 no-op. Cancelling a moved-in booking voids the tenancy and puts the unit straight back on sale; a tenant leaving is `move-out`.", "CancelBookingRequest"],
      ]),
      "/api/v1/events": {
        get: {
          tags: ["Events"],
          summary: "The event feed, for consumers that missed webhooks",
          description:
            "Scope `inventory:read`. Ordered and resumable: pass the last event id you processed as `after`. Events appear once their transaction has committed and every older transaction has finished, so resuming never skips one.",
          parameters: [...queryParameters(EventsQuery), correlationHeader],
          responses: responses({ "200": ok("A page of events", "EventPage") }, { query: true, notFound: "NOT_FOUND — unknown `after`" }),
        },
      },
      "/api/v1/webhook-endpoints": {
        get: {
          tags: ["Webhooks"],
          summary: "Your webhook endpoints (never their secrets)",
          description: "Scope `webhooks:manage`. Oldest first; resume with `after`.",
          parameters: [...queryParameters(WebhookEndpointsQuery), correlationHeader],
          responses: responses({ "200": ok("Endpoints", "WebhookEndpointList") }, { query: true }),
        },
        post: {
          tags: ["Webhooks"],
          summary: "Register an endpoint; its signing secret is returned this once",
          description:
            "Scope `webhooks:manage`. The URL must be https and reach a public address. The `secret` (`whsec_…`) is shown only in this response (and an idempotent replay of it); it is stored encrypted. At most 20 endpoints per partner.",
          parameters: [idempotencyHeader, correlationHeader],
          requestBody: { required: true, content: json("CreateWebhookEndpointRequest") },
          responses: responses(
            { "201": ok("Registered", "WebhookEndpointWithSecret", { Location: { required: true, schema: { type: "string" } } }) },
            { body: true, idempotent: true, conflict: "CONFLICT — the partner already has the maximum number of endpoints" },
          ),
        },
      },
      // Before /{id}: the reference page shows operations in this order, and its examples
      // run in that order (rotate, read, change, then delete).
      "/api/v1/webhook-endpoints/{id}/rotate-secret": {
        post: {
          tags: ["Webhooks"],
          summary: "Rotate the signing secret; the new one is returned this once",
          description:
            "Scope `webhooks:manage`. For the next 24 h every webhook is signed with both the new and the previous secret, so you can switch without losing one.",
          parameters: [endpointParam, idempotencyHeader, correlationHeader],
          responses: responses({ "200": ok("Rotated", "WebhookEndpointWithSecret") }, { idempotent: true, notFound: "NOT_FOUND" }),
        },
      },
      "/api/v1/webhook-endpoints/{id}": {
        get: {
          tags: ["Webhooks"],
          summary: "An endpoint with its health",
          description:
            "Scope `webhooks:manage`. Success rate and p50/p95 latency over the last 24 h of attempts, the failure streak, the oldest event not yet delivered (lag) and, per pool, the last `inventory_version` you acknowledged with a 2xx.",
          parameters: [endpointParam, correlationHeader],
          responses: responses({ "200": ok("The endpoint", "WebhookEndpointWithHealth") }, { notFound: "NOT_FOUND" }),
        },
        patch: {
          tags: ["Webhooks"],
          summary: "Change an endpoint's URL, description or event types",
          description:
            "Scope `webhooks:manage`. Send only the fields to change (at least one). A new URL is checked like a new endpoint's; new event types apply to events from now on, and deliveries already made keep going. The secret is not returned: rotate it to get a new one.",
          parameters: [endpointParam, idempotencyHeader, correlationHeader],
          requestBody: { required: true, content: json("UpdateWebhookEndpointRequest") },
          responses: responses({ "200": ok("The endpoint after the change", "WebhookEndpoint") }, { body: true, idempotent: true, notFound: "NOT_FOUND" }),
        },
        delete: {
          tags: ["Webhooks"],
          summary: "Delete an endpoint: nothing more is sent to it",
          description: "Scope `webhooks:manage`. Pending deliveries stop. A deleted endpoint is 404 afterwards.",
          parameters: [endpointParam, correlationHeader],
          responses: responses({ "204": ok("Deleted", null) }, { notFound: "NOT_FOUND" }),
        },
      },
      "/api/v1/request-logs": {
        get: {
          tags: ["Request log"],
          summary: "Your own calls, newest first",
          description:
            "Scope `logs:read`. Only your partner's calls (made with any of its keys); a call with an unknown key has no partner and is not listed. Filter by any of the parameters; page with `after` = the previous page's `next_cursor`.",
          parameters: [...queryParameters(RequestLogsQuery), correlationHeader],
          responses: responses({ "200": ok("A page of calls", "RequestLogList") }, { query: true }),
        },
      },
      "/api/v1/availability-snapshots": {
        post: {
          tags: ["Inventory"],
          summary: "Report what you believe is available (input to drift checks)",
          description: "Scope `availability:write`.",
          parameters: [idempotencyHeader, correlationHeader],
          requestBody: { required: true, content: json("AvailabilitySnapshotRequest") },
          responses: responses(
            { "201": ok("Stored", "AvailabilitySnapshot") },
            { body: true, idempotent: true, notFound: "NOT_FOUND — facility or unit type" },
          ),
        },
      },
      // In the order the examples run them (components/api-docs/curl-example.ts): upload a
      // dry run, read it, apply it once planned, then cancel a dry run of its own.
      "/api/v1/imports": {
        post: {
          tags: ["Catalogue imports"],
          summary: "Import a facility's units from a file (a dry run by default)",
          description:
            "Scope `catalogue:write`. Rate class bulk. The file is checked at once: one that cannot be read is 422 VALIDATION_FAILED on `csv` or `units` and nothing is stored. A row that is wrong (a bad floor, an unknown unit type, a code twice) is not: it is that row's error in the plan, with its line. Follow the import at `Location`.",
          parameters: [idempotencyHeader, correlationHeader],
          requestBody: { required: true, content: json("CreateImportRequest") },
          responses: responses(
            { "202": ok("Accepted: the import, planning", "Import", { Location: { required: true, schema: { type: "string" } } }) },
            { body: true, idempotent: true, maxBodyBytes: IMPORT_MAX_BODY_BYTES, notFound: "NOT_FOUND — unknown facility or outside the key's facilities" },
          ),
        },
      },
      "/api/v1/imports/{import_id}": {
        get: {
          tags: ["Catalogue imports"],
          summary: "An import: its status, plan, progress and a page of its rows",
          description:
            "Scope `catalogue:write`. `rows=errors` (the default) lists the rows planned as errors or failed when applied, each with its line and error; `rows=changes` the adds, changes and retires with the unit as it was (`before`) and their status. Page with `after_line` = the previous page's `next_after_line`.",
          parameters: [importParam, ...queryParameters(ImportQuery), correlationHeader],
          responses: responses({ "200": ok("The import", "ImportDetail") }, { query: true, notFound: "NOT_FOUND" }),
        },
      },
      "/api/v1/imports/{import_id}/apply": {
        post: {
          tags: ["Catalogue imports"],
          summary: "Apply a planned dry run",
          description:
            "Scope `catalogue:write`. `planned` → `applying`; the worker applies the rows in batches (follow with GET). Applying one already applying or completed is a 202 no-op. Still `planning`, or cancelled or failed: 409 CONFLICT with `current_status`.",
          parameters: [importParam, idempotencyHeader, correlationHeader],
          responses: responses(
            { "202": ok("Accepted: the import, applying", "Import") },
            { idempotent: true, notFound: "NOT_FOUND", conflict: "CONFLICT — the import is not planned (current_status)" },
          ),
        },
      },
      "/api/v1/imports/{import_id}/cancel": {
        post: {
          tags: ["Catalogue imports"],
          summary: "Cancel an import that has not ended",
          description:
            "Scope `catalogue:write`. The rows not yet applied are skipped; rows already applied stay applied (each was its own change). Cancelling a cancelled import is a 200 no-op; a completed or failed one is 409 CONFLICT.",
          parameters: [importParam, idempotencyHeader, correlationHeader],
          responses: responses(
            { "200": ok("The import, cancelled", "Import") },
            { idempotent: true, notFound: "NOT_FOUND", conflict: "CONFLICT — the import has already ended (current_status)" },
          ),
        },
      },
    },
    webhooks: {
      event: {
        post: {
          tags: ["Webhooks"],
          summary: "What your endpoint receives: one event, signed",
          description: WEBHOOKS_DESCRIPTION,
          security: [],
          parameters: [
            { name: "webhook-id", in: "header", required: true, schema: { type: "string" }, description: "the event id; stable across retries and replays" },
            { name: "webhook-timestamp", in: "header", required: true, schema: { type: "string" }, description: "Unix seconds of this attempt" },
            { name: "webhook-signature", in: "header", required: true, schema: { type: "string" }, description: "space-separated `v1,<base64>` signatures" },
          ],
          requestBody: { required: true, content: json("Event") },
          responses: { "2XX": { description: "Received; anything else is retried (410 Gone disables the endpoint)" } },
        },
      },
    },
    components: {
      responses: unmatchedResponses,
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "Authorization: Bearer <api key>" } },
      schemas: componentSchemas(),
    },
    "x-error-codes": Object.entries(ERROR_CODES).map(([code, meta]) => ({ code, status: meta.status, title: meta.title, retryable: meta.retryable })),
  };
}
