import { z } from "zod";
import { ERROR_CODES } from "../domain/shared/errors";
import {
  AvailabilityQuery,
  AvailabilitySnapshotBody,
  BookingResource,
  CancelBookingBody,
  CreateBookingBody,
  CreateWebhookEndpointBody,
  EventResource,
  EventsQuery,
  FacilityResource,
  PoolResource,
  ProblemResource,
  SnapshotResource,
  WebhookEndpointHealthResource,
  WebhookEndpointResource,
  WebhookEndpointsQuery,
  WebhookEndpointWithSecretResource,
  listOf,
} from "./api-schemas";
import { MAX_BODY_BYTES } from "./partner-route";

/**
 * OpenAPI 3.1 for the partner API, generated from the same zod schemas the route
 * handlers validate with (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod emits).
 */

type Json = Record<string, unknown>;

const registry = z.registry<{ id?: string }>();
const NAMED = {
  CreateBookingRequest: CreateBookingBody,
  CancelBookingRequest: CancelBookingBody,
  AvailabilitySnapshotRequest: AvailabilitySnapshotBody,
  Booking: BookingResource,
  Pool: PoolResource,
  Facility: FacilityResource,
  Event: EventResource,
  AvailabilitySnapshot: SnapshotResource,
  Problem: ProblemResource,
  FacilityList: listOf(FacilityResource, "FacilityList"),
  PoolList: listOf(PoolResource, "PoolList"),
  EventPage: listOf(EventResource, "EventPage").extend({ has_more: z.boolean() }).meta({ id: "EventPage" }),
  CreateWebhookEndpointRequest: CreateWebhookEndpointBody,
  WebhookEndpoint: WebhookEndpointResource,
  WebhookEndpointWithSecret: WebhookEndpointWithSecretResource,
  WebhookEndpointWithHealth: WebhookEndpointHealthResource,
  WebhookEndpointList: listOf(WebhookEndpointResource, "WebhookEndpointList"),
};
for (const [id, schema] of Object.entries(NAMED)) registry.add(schema, { id });

function componentSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}`, io: "input" }) as {
    schemas: Record<string, Json>;
  };
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema as Json & { $schema?: unknown; $id?: unknown };
    out[id] = rest;
  }
  return out;
}

const ref = (id: keyof typeof NAMED) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: keyof typeof NAMED) => ({ "application/json": { schema: ref(id) } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

function queryParameters(schema: z.ZodObject): Json[] {
  const jsonSchema = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(jsonSchema.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: jsonSchema.required?.includes(name) ?? false,
    schema: s,
  }));
}

const common = {
  auth: { "401": problem("UNAUTHENTICATED — missing, unknown or revoked key"), "403": problem("FORBIDDEN — the key lacks the scope") },
  limited: { "429": { ...problem("RATE_LIMITED — see Retry-After and RateLimit-* headers") } },
  internal: { "500": problem("INTERNAL — retryable; quote the correlation_id") },
};

const idempotencyHeader = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description:
    "Required on every POST (≤ 255 characters). The same key and request replays the stored response byte for byte with `Idempotent-Replayed: true`; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_KEY_IN_USE. Kept at least 24 h.",
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
const postWrites = (extra: Record<string, unknown>) => ({
  "400": problem("IDEMPOTENCY_KEY_REQUIRED"),
  "413": problem(`PAYLOAD_TOO_LARGE — bodies are limited to ${MAX_BODY_BYTES} bytes`),
  "422": problem("VALIDATION_FAILED (with field errors) or IDEMPOTENCY_KEY_REUSED"),
  ...common.auth,
  ...common.limited,
  ...common.internal,
  ...extra,
});

export function buildOpenApiDocument(serverUrl = "/"): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Holdfast partner API",
      version: "1.0.0",
      description:
        "Hold, confirm, fulfil and cancel storage units; read availability and the event feed. JSON with snake_case; timestamps are RFC 3339 UTC; errors are RFC 9457 problem+json with a machine-readable `code`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Inventory" },
      { name: "Bookings" },
      { name: "Events" },
      { name: "Webhooks", description: WEBHOOKS_DESCRIPTION },
    ],
    paths: {
      "/api/v1/facilities": {
        get: {
          tags: ["Inventory"],
          summary: "Facilities and unit types visible to the key",
          description: "Scope `inventory:read`.",
          parameters: [correlationHeader],
          responses: { "200": { description: "Facilities", content: json("FacilityList") }, ...common.auth, ...common.limited },
        },
      },
      "/api/v1/availability": {
        get: {
          tags: ["Inventory"],
          summary: "Pools with counters and inventory_version",
          description: "Scope `inventory:read`.",
          parameters: [...queryParameters(AvailabilityQuery), correlationHeader],
          responses: {
            "200": { description: "Pools", content: json("PoolList") },
            "404": problem("NOT_FOUND — unknown facility or outside the key's facilities"),
            ...common.auth,
            ...common.limited,
          },
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
          responses: postWrites({
            "201": { description: "Held", content: json("Booking"), headers: { Location: { schema: { type: "string" } } } },
            "404": problem("NOT_FOUND — facility or unit type"),
            "409": problem("INVENTORY_UNAVAILABLE, INVENTORY_HELD_BY_OTHER_TXN (retryable) or IDEMPOTENCY_KEY_IN_USE (retryable)"),
            "412": problem("VERSION_CONFLICT — the If-Match inventory_version is stale"),
          }),
        },
      },
      "/api/v1/bookings/{reference}": {
        get: {
          tags: ["Bookings"],
          summary: "A booking",
          description: "Scope `bookings:read`. Your own bookings only.",
          parameters: [referenceParam, correlationHeader],
          responses: { "200": { description: "The booking", content: json("Booking") }, "404": problem("NOT_FOUND"), ...common.auth },
        },
      },
      ...Object.fromEntries(
        (
          [
            ["confirm", "Confirm a held booking", "Confirming a confirmed booking is a 200 no-op. After the hold expired: 409 HOLD_EXPIRED.", null],
            ["fulfil", "Move-in: fulfil a confirmed booking (issues an access grant)", "Fulfilling a fulfilled booking is a 200 no-op.", null],
            ["cancel", "Cancel a booking (or move out)", "Cancelling a cancelled or expired booking is a 200 no-op.", "CancelBookingRequest"],
          ] as const
        ).map(([action, summary, description, body]) => [
          `/api/v1/bookings/{reference}/${action}`,
          {
            post: {
              tags: ["Bookings"],
              summary,
              description: `Scope \`bookings:write\`. ${description} Any other illegal move: 409 INVALID_TRANSITION with current_status and allowed_actions.`,
              parameters: [referenceParam, idempotencyHeader, correlationHeader],
              ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
              responses: postWrites({
                "200": { description: "The booking after the action", content: json("Booking") },
                "404": problem("NOT_FOUND"),
                "409": problem("INVALID_TRANSITION, HOLD_EXPIRED or IDEMPOTENCY_KEY_IN_USE"),
              }),
            },
          },
        ]),
      ),
      "/api/v1/events": {
        get: {
          tags: ["Events"],
          summary: "The event feed, for consumers that missed webhooks",
          description:
            "Scope `inventory:read`. Ordered and resumable: pass the last event id you processed as `after`. Events appear once their transaction has committed and every older transaction has finished, so resuming never skips one.",
          parameters: [...queryParameters(EventsQuery), correlationHeader],
          responses: { "200": { description: "A page of events", content: json("EventPage") }, "404": problem("NOT_FOUND — unknown `after`"), ...common.auth },
        },
      },
      "/api/v1/webhook-endpoints": {
        get: {
          tags: ["Webhooks"],
          summary: "Your webhook endpoints (never their secrets)",
          description: "Scope `webhooks:manage`. Oldest first; resume with `after`.",
          parameters: [...queryParameters(WebhookEndpointsQuery), correlationHeader],
          responses: { "200": { description: "Endpoints", content: json("WebhookEndpointList") }, ...common.auth, ...common.limited },
        },
        post: {
          tags: ["Webhooks"],
          summary: "Register an endpoint; its signing secret is returned this once",
          description:
            "Scope `webhooks:manage`. The URL must be https and reach a public address. The `secret` (`whsec_…`) is shown only in this response (and an idempotent replay of it); it is stored encrypted. At most 20 endpoints per partner.",
          parameters: [idempotencyHeader, correlationHeader],
          requestBody: { required: true, content: json("CreateWebhookEndpointRequest") },
          responses: postWrites({
            "201": { description: "Registered", content: json("WebhookEndpointWithSecret"), headers: { Location: { schema: { type: "string" } } } },
            "409": problem("CONFLICT — the partner already has the maximum number of endpoints; or IDEMPOTENCY_KEY_IN_USE"),
          }),
        },
      },
      "/api/v1/webhook-endpoints/{id}": {
        get: {
          tags: ["Webhooks"],
          summary: "An endpoint with its health",
          description:
            "Scope `webhooks:manage`. Success rate and p50/p95 latency over the last 24 h of attempts, the failure streak, the oldest event not yet delivered (lag) and, per pool, the last `inventory_version` you acknowledged with a 2xx.",
          parameters: [endpointParam, correlationHeader],
          responses: { "200": { description: "The endpoint", content: json("WebhookEndpointWithHealth") }, "404": problem("NOT_FOUND"), ...common.auth },
        },
        delete: {
          tags: ["Webhooks"],
          summary: "Delete an endpoint: nothing more is sent to it",
          description: "Scope `webhooks:manage`. Pending deliveries stop. A deleted endpoint is 404 afterwards.",
          parameters: [endpointParam, correlationHeader],
          responses: { "204": { description: "Deleted" }, "404": problem("NOT_FOUND"), ...common.auth, ...common.limited },
        },
      },
      "/api/v1/webhook-endpoints/{id}/rotate-secret": {
        post: {
          tags: ["Webhooks"],
          summary: "Rotate the signing secret; the new one is returned this once",
          description:
            "Scope `webhooks:manage`. For the next 24 h every webhook is signed with both the new and the previous secret, so you can switch without losing one.",
          parameters: [endpointParam, idempotencyHeader, correlationHeader],
          responses: postWrites({ "200": { description: "Rotated", content: json("WebhookEndpointWithSecret") }, "404": problem("NOT_FOUND") }),
        },
      },
      "/api/v1/availability-snapshots": {
        post: {
          tags: ["Inventory"],
          summary: "Report what you believe is available (input to drift checks)",
          description: "Scope `availability:write`.",
          parameters: [idempotencyHeader, correlationHeader],
          requestBody: { required: true, content: json("AvailabilitySnapshotRequest") },
          responses: postWrites({ "201": { description: "Stored", content: json("AvailabilitySnapshot") }, "404": problem("NOT_FOUND") }),
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
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "Authorization: Bearer <api key>" } },
      schemas: componentSchemas(),
    },
    "x-error-codes": Object.entries(ERROR_CODES).map(([code, meta]) => ({ code, status: meta.status, title: meta.title, retryable: meta.retryable })),
  };
}
