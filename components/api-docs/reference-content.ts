/**
 * The prose of the API reference that the OpenAPI document does not carry: what to do
 * about each error code, what each event means, what each scope allows. Codes, types
 * and scopes themselves come from the document (and tests keep these lists complete).
 */

export const ERROR_GUIDANCE: Record<string, string> = {
  VALIDATION_FAILED:
    "The body or query does not match the schema: `errors` lists each field and what is wrong with it. Fix the request. Refusals are not stored, so you may resend with the same Idempotency-Key.",
  UNAUTHENTICATED:
    "The API key is missing, unknown or revoked, or its partner is inactive. Send `Authorization: Bearer <key>` with a current key.",
  FORBIDDEN: "The key is valid but lacks the scope this endpoint needs. Ask for a key with that scope.",
  NOT_FOUND:
    "No such resource, or one this key may not see: another partner's booking, or a facility outside the key's facility limits.",
  METHOD_NOT_ALLOWED:
    "The path exists but not with this HTTP method. The `Allow` header lists the methods it has; check the method in the reference.",
  IDEMPOTENCY_KEY_REQUIRED: "A POST without an `Idempotency-Key` header. Send a new unique key (e.g. a UUID) per operation.",
  IDEMPOTENCY_KEY_REUSED:
    "This Idempotency-Key was used before with a different request (method, path or body). Use a new key for a new operation.",
  IDEMPOTENCY_KEY_IN_USE: "The first request with this key is still running. Retry shortly with the same key to get its response.",
  INVENTORY_UNAVAILABLE: "No unit of that type is available at the facility. Read availability again and offer the customer something else.",
  INVENTORY_HELD_BY_OTHER_TXN: "Another request is changing the same inventory at this moment. Retry with backoff, with the same Idempotency-Key.",
  HOLD_EXPIRED: "The hold passed its `hold_expires_at` before it was confirmed, and the unit was released. Create a new hold.",
  INVALID_TRANSITION:
    "The action is not allowed in the booking's current state. `current_status` and `allowed_actions` in the problem say what is.",
  VERSION_CONFLICT:
    "Your `If-Match` inventory_version is stale: the pool changed since you read it. Read availability again and decide again.",
  RATE_LIMITED:
    "Too many requests for this key and endpoint class. Wait `Retry-After` seconds; the `RateLimit-*` headers show your remaining budget.",
  PAYLOAD_TOO_LARGE: "The request body is larger than the API accepts. Send a smaller body.",
  MALFORMED_REQUEST:
    "The request cannot be read at all: its path has invalid percent-encoding (such as `%ZZ` or `%C0%AF`) or a NUL character. Fix the URL.",
  REQUEST_TIMEOUT:
    "The request's body did not arrive in time (it stalled, or was shorter than its `Content-Length`). The connection is closed; send the request again.",
  CONFLICT: "The request conflicts with the current state of the resource (for example, a duplicate).",
  SERVICE_UNAVAILABLE:
    "Holdfast cannot reach its database for a moment. Retry after `Retry-After` seconds with the same Idempotency-Key, so a request that did go through is not done twice.",
  INTERNAL:
    "Something failed on our side; no internals are shown. Retry with backoff (same Idempotency-Key), and quote `correlation_id` if it persists.",
};

export const EVENT_DESCRIPTIONS: Record<string, string> = {
  "booking.held": "A unit was held for a new booking (status tentative).",
  "booking.confirmed": "A held booking was confirmed, by the partner or by a payment.",
  "booking.fulfilled": "Move-in: the customer took the unit; an access grant is issued.",
  "booking.expired": "A hold passed its expiry unconfirmed; its unit is available again.",
  "booking.cancelled": "A booking was cancelled; its unit is available again.",
  "booking.moved_out": "Move-out: the tenant left; access is revoked and the unit is blocked for cleaning before it is available again.",
  "inventory.updated": "A pool's availability changed: carries the new counters and inventory_version.",
  "inventory.corrected": "Reconciliation corrected a pool's counters to match its units.",
  "unit.blocked": "A unit was taken out of service for maintenance.",
  "unit.unblocked": "A maintenance block ended; the unit is back in service.",
  "access.granted": "A gate or lock access code was issued, at move-in or when the code was regenerated (never the code itself).",
  "access.revoked": "An access code was revoked: at cancellation, move-out, or when it was regenerated.",
  "access.suspended": "The unit was overlocked or its lock is faulty: the tenant's code opens nothing until the block ends.",
  "access.restored": "The overlock or lock fault ended: the tenant's code works again.",
  "customer.erased": "The customer's name, e-mail and phone were erased on request; the booking and its history stay. Delete your copy.",
  "facility.created": "A new facility; its unit types and units follow as their own events.",
  "facility.updated": "A facility's details changed; on a rename `previous_code` names the old code, which still finds it.",
  "unit_type.created": "A new unit type with its (empty) pool, size, features and rate.",
  "unit_type.updated": "A unit type's details or rate changed; a rate carries its `effective_from`.",
  "unit.added": "A unit joined its type's pool (the pool's inventory.updated comes with it).",
  "unit.retired": "A unit left the catalogue for good; its pool counts one fewer.",
  "unit.retyped": "A unit moved to another unit type; both pools' inventory.updated come with it.",
  "unit.updated": "A unit's details changed (its floor); its pool is unchanged.",
};

export const SCOPES: { scope: string; allows: string }[] = [
  { scope: "inventory:read", allows: "Facilities, unit types, availability, and the event feed" },
  { scope: "bookings:read", allows: "Your own bookings" },
  { scope: "bookings:write", allows: "Hold, confirm, fulfil, move out and cancel bookings" },
  { scope: "availability:write", allows: "Report availability snapshots (input to drift checks)" },
  { scope: "webhooks:manage", allows: "Your webhook endpoints and their signing secrets" },
  { scope: "logs:read", allows: "Your own request log: every call your keys made, with its bodies (secrets redacted)" },
  { scope: "access:read", allows: "The gate code of your own moved-in bookings (every read is audited and rate-limited)" },
  { scope: "catalogue:write", allows: "Import a facility's units from a file and follow the import (the bulk lane, its own rate limit)" },
];
