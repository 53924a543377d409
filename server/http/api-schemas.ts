import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../domain/shared/errors";
import { CancelBookingInput } from "../domain/bookings/cancel-booking";
import { CreateHoldInput } from "../domain/bookings/create-hold";
import { MoveOutBookingInput } from "../domain/bookings/move-out-booking";
import { CreateImportInput } from "../domain/catalogue/imports/create-import";
import { GetImportInput } from "../domain/catalogue/imports/get-import";
import { AvailabilitySnapshotInput } from "../domain/inventory/record-availability-snapshot";
import { EVENT_TYPES } from "../domain/shared/events";
import { CreateWebhookEndpointInput } from "../domain/webhooks/endpoints/create-webhook-endpoint";
import { PartnerUpdateWebhookEndpointInput } from "../domain/webhooks/endpoints/update-webhook-endpoint";
import { ID_PATTERN } from "@/shared/ids";

/**
 * The partner API's request and response schemas: route handlers validate with them and
 * the OpenAPI document is generated from them, so the two cannot drift apart.
 */

export const CreateBookingBody = CreateHoldInput.meta({ id: "CreateBookingRequest" });
export const CancelBookingBody = CancelBookingInput.meta({ id: "CancelBookingRequest" });
export const MoveOutBookingBody = MoveOutBookingInput.meta({ id: "MoveOutBookingRequest" });
export const AvailabilitySnapshotBody = AvailabilitySnapshotInput.meta({ id: "AvailabilitySnapshotRequest" });
export const CreateWebhookEndpointBody = CreateWebhookEndpointInput.meta({ id: "CreateWebhookEndpointRequest" });
export const UpdateWebhookEndpointBody = PartnerUpdateWebhookEndpointInput.meta({ id: "UpdateWebhookEndpointRequest" });

/** A catalogue import's file (docs/partner-api.md#catalogue-imports); the example is the one /api-docs runs against the demo. */
export const CreateImportBody = CreateImportInput.meta({
  id: "CreateImportRequest",
  description:
    "The file as `csv` (a header line naming the columns code, unit_type_code, floor, retired — floor and retired optional, in any order) or as `units` (an array of { code, unit_type_code, floor?, retired? }), one of the two.",
  example: {
    facility_code: "LON-01",
    csv: "code,unit_type_code,floor\nC-101,10X10-CC,1\nC-102,10X10-CC,1\n",
    dry_run: true,
    file_name: "lon-01-new-units.csv",
  },
});

export const AvailabilityQuery = z
  .object({
    facility_code: z.string().min(1).max(32).optional(),
    unit_type_code: z.string().min(1).max(32).optional(),
  })
  .strict();

export const EventsQuery = z
  .object({
    after: z.string().regex(ID_PATTERN.evt, "after must be an event id (evt_…)").optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const WebhookEndpointsQuery = z
  .object({
    after: z.string().regex(ID_PATTERN.ep, "after must be an endpoint id (ep_…)").optional(),
    limit: z.coerce.number().int().min(1).max(100).default(100),
  })
  .strict();

const Timestamp = z.iso.datetime({ offset: true }).describe("RFC 3339, UTC");

/** GET /api/v1/imports/{import_id}: which of the import's rows to list with it, a page at a time (docs/partner-api.md#catalogue-imports). */
export const ImportQuery = z
  .object({
    rows: GetImportInput.shape.rows.describe("which rows to list: errors (planned as errors, or failed when applied; the default), changes (add, change, retire), or none"),
    after_line: z.coerce.number().int().min(0).max(10_000_000).default(0).describe("rows after this line: the previous page's next_after_line"),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** GET /api/v1/request-logs: your own calls, newest first (docs/request-log.md#reading-it). */
export const RequestLogsQuery = z
  .object({
    key_prefix: z.string().min(1).max(32).optional().describe("the first 12 characters of the key used"),
    route: z.string().min(1).max(200).optional().describe("a route pattern, e.g. /api/v1/bookings/{reference}/confirm"),
    method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]).optional(),
    status: z.coerce.number().int().min(100).max(599).optional().describe("an exact HTTP status"),
    status_class: z.enum(["2xx", "3xx", "4xx", "5xx"]).optional(),
    code: z.string().min(1).max(64).optional().describe("a problem code, e.g. HOLD_EXPIRED"),
    idempotency_key: z.string().min(1).max(255).optional(),
    correlation_id: z.string().min(1).max(200).optional(),
    booking_reference: z.string().min(1).max(64).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe("RFC 3339; calls at or after"),
    to: z.iso.datetime({ offset: true }).optional().describe("RFC 3339; calls before"),
    after: z.string().regex(/^\d{1,19}$/, "after must be a request log id (the next_cursor of a page)").optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const BookingResource = z
  .object({
    reference: z.string().describe("Holdfast's booking reference, e.g. BK-7F3K2Q"),
    status: z.enum(["tentative", "confirmed", "fulfilled", "expired", "cancelled", "moved_out"]),
    facility_code: z.string(),
    unit_type_code: z.string(),
    unit_code: z.string(),
    partner_booking_reference: z.string(),
    customer: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
    move_in_date: z.iso.date(),
    hold_expires_at: Timestamp,
    inventory_version: z.number().int().describe("the pool's inventory_version after this booking's last change"),
    idempotency_key: z.string().nullable(),
    last_event_at: Timestamp,
    created_at: Timestamp,
    cancel_reason: z.string().optional().describe("present once cancelled"),
    moved_out_at: Timestamp.optional().describe("present once moved out"),
    allowed_actions: z.array(z.enum(["confirm", "fulfil", "cancel", "move_out"])),
  })
  .meta({ id: "Booking" });

export const AccessCodeResource = z
  .object({
    reference: z.string().describe("the booking's reference"),
    access_grant_id: z.string(),
    status: z.enum(["active", "suspended"]).describe("suspended while the unit is overlocked or its lock is faulty: the code opens nothing"),
    issued_at: Timestamp,
    access_code: z.string().describe("the gate code; every read is audited and counted against an hourly limit"),
  })
  .meta({ id: "AccessCode" });

export const PoolResource = z
  .object({
    facility_code: z.string(),
    unit_type_code: z.string(),
    total: z.number().int(),
    available: z.number().int(),
    held: z.number().int(),
    booked: z.number().int(),
    occupied: z.number().int(),
    blocked: z.number().int(),
    inventory_version: z.number().int(),
  })
  .meta({ id: "Pool" });

export const FacilityResource = z
  .object({
    facility_code: z.string(),
    name: z.string(),
    timezone: z.string().describe("IANA time zone"),
    currency: z.string().describe("ISO 4217"),
    address: z.object({ line1: z.string(), city: z.string(), postal_code: z.string(), country: z.string() }),
    access_hours: z.string(),
    unit_types: z.array(
      z.object({
        unit_type_code: z.string(),
        name: z.string(),
        width_ft: z.number(),
        depth_ft: z.number(),
        area_sq_ft: z.number(),
        climate_controlled: z.boolean(),
        monthly_rate_cents: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Facility" });

/** GET /api/v1/facilities/{facility_code}: the facility's catalogue (docs/partner-api.md#facility-detail). */
export const FacilityDetailResource = z
  .object({
    facility_code: z.string(),
    previous_codes: z.array(z.string()).describe("codes the facility had before a rename; each still finds it"),
    name: z.string(),
    timezone: z.string().describe("IANA time zone"),
    currency: z.string().describe("ISO 4217; every rate is in integer cents of it"),
    address: z.object({ line1: z.string(), city: z.string(), postal_code: z.string(), country: z.string() }),
    access_hours: z.string(),
    today: z.string().describe("YYYY-MM-DD at the facility when read: the day rates are taken for"),
    unit_types: z.array(
      z.object({
        unit_type_code: z.string(),
        previous_codes: z.array(z.string()),
        name: z.string(),
        width_ft: z.number(),
        depth_ft: z.number(),
        area_sq_ft: z.number(),
        climate_controlled: z.boolean(),
        features: z.array(z.string()),
        monthly_rate_cents: z.number().int().describe("the rate a hold made now takes"),
        scheduled_rates: z
          .array(z.object({ effective_from: z.string().describe("YYYY-MM-DD at the facility"), monthly_rate_cents: z.number().int() }))
          .describe("rate changes after today, soonest first; bookings keep the rate they were held at"),
        total: z.number().int().describe("units in service (retired units are counted nowhere)"),
        available: z.number().int(),
        inventory_version: z.number().int(),
      }),
    ),
  })
  .meta({ id: "FacilityDetail" });

export const EventResource = z
  .object({
    id: z.string().describe("evt_…; also the webhook-id of its deliveries"),
    type: z.enum(EVENT_TYPES),
    schema_version: z.number().int(),
    created_at: Timestamp,
    correlation_id: z.string().nullable(),
    aggregate_version: z.number().int().describe("rises by 1 per change of the booking or pool: drop older ones"),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Event" });

export const SnapshotResource = z
  .object({
    id: z.string(),
    facility_code: z.string(),
    unit_type_code: z.string(),
    available: z.number().int(),
    inventory_version: z.number().int(),
    reported_at: Timestamp,
    current: z.object({ available: z.number().int(), inventory_version: z.number().int() }),
  })
  .meta({ id: "AvailabilitySnapshot" });

export const WebhookEndpointResource = z
  .object({
    id: z.string().describe("ep_…"),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.enum(EVENT_TYPES)).describe("empty = every event type"),
    status: z.enum(["active", "disabled"]),
    disabled_reason: z.string().nullable().describe("why deliveries stopped (410 Gone, failing too long, the operator)"),
    disabled_at: Timestamp.nullable(),
    secret_version: z.number().int().describe("rises by 1 per rotation"),
    previous_secret_expires_at: Timestamp.nullable().describe("while set, webhooks are also signed with the previous secret"),
    created_at: Timestamp,
  })
  .meta({ id: "WebhookEndpoint" });

export const WebhookEndpointWithSecretResource = WebhookEndpointResource.extend({
  secret: z.string().describe("whsec_… signing secret: shown this once; store it now"),
}).meta({ id: "WebhookEndpointWithSecret" });

export const WebhookEndpointHealthResource = WebhookEndpointResource.extend({
  health: z.object({
    window_hours: z.number().int(),
    attempts: z.number().int(),
    success_rate: z.number().nullable(),
    latency_p50_ms: z.number().int().nullable(),
    latency_p95_ms: z.number().int().nullable(),
    consecutive_failures: z.number().int(),
    failing_since: Timestamp.nullable(),
    last_success_at: Timestamp.nullable(),
    last_failure_at: Timestamp.nullable(),
    pending_deliveries: z.number().int(),
    dead_deliveries: z.number().int(),
    oldest_undelivered: z
      .object({ event_id: z.string(), event_type: z.string(), created_at: Timestamp, lag_seconds: z.number().int() })
      .nullable(),
    pool_acks: z.array(
      z.object({
        facility_code: z.string(),
        unit_type_code: z.string(),
        acked_version: z.number().int().describe("the last inventory_version this endpoint answered 2xx to"),
        current_version: z.number().int(),
        versions_behind: z.number().int(),
        acked_at: Timestamp,
      }),
    ),
  }),
}).meta({ id: "WebhookEndpointWithHealth" });

const IMPORT_STATUSES = ["planning", "planned", "applying", "completed", "cancelled", "failed"] as const;

export const ImportResource = z
  .object({
    id: z.string().describe("imp_…"),
    facility_code: z.string(),
    status: z
      .enum(IMPORT_STATUSES)
      .describe("planning → planned (a dry run waits here for apply) → applying → completed; or cancelled, or failed (the file could not be read by the worker)"),
    dry_run: z.boolean().describe("true: plan only and wait in planned for apply; false: apply as soon as planned"),
    format: z.enum(["csv", "json"]),
    file_name: z.string().nullable(),
    plan: z
      .object({
        rows: z.number().int().describe("rows in the file"),
        add: z.number().int(),
        change: z.number().int(),
        retire: z.number().int(),
        unchanged: z.number().int(),
        errors: z.number().int().describe("rows that will not be applied: see rows=errors"),
      })
      .describe("the dry run's diff against the facility's units; zero until planned"),
    progress: z.object({
      to_apply: z.number().int().describe("add + change + retire"),
      processed: z.number().int(),
      added: z.number().int(),
      changed: z.number().int(),
      retired: z.number().int(),
      failed: z.number().int().describe("rows refused when applied (a unit booked meanwhile, a code taken): see rows=errors"),
      percent: z.number().int().min(0).max(100),
    }),
    error: z.string().nullable().describe("why a failed import failed"),
    created_at: Timestamp,
    planned_at: Timestamp.nullable(),
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    cancelled_at: Timestamp.nullable(),
  })
  .meta({ id: "Import" });

export const ImportRowResource = z
  .object({
    line: z.number().int().describe("the row's line in the CSV file (the header is line 1), or its position in units from 1"),
    unit_code: z.string().nullable(),
    unit_type_code: z.string().nullable(),
    floor: z.number().int().nullable(),
    action: z.enum(["add", "change", "retire", "none", "error"]),
    status: z.enum(["pending", "applied", "failed", "skipped"]),
    before: z
      .object({ unit_type_code: z.string(), floor: z.number().int(), status: z.string().describe("the unit's status when planned, e.g. AVAILABLE") })
      .nullable()
      .describe("the unit as it was when planned; null for a new one"),
    error: z
      .object({ code: z.enum(["VALIDATION_FAILED", "NOT_FOUND", "CONFLICT"]), message: z.string(), field: z.string().optional().describe("the column at fault") })
      .nullable(),
  })
  .meta({ id: "ImportRow" });

export const ImportDetailResource = ImportResource.extend({
  rows: z.array(ImportRowResource).describe("a page of the rows asked for with `rows`, in line order"),
  next_after_line: z.number().int().nullable().describe("pass as after_line for the next page; null on the last"),
}).meta({ id: "ImportDetail" });

export const ProblemResource = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    detail: z.string(),
    correlation_id: z.string(),
    retryable: z.boolean(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    current_status: z.string().optional(),
    allowed_actions: z.array(z.string()).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem" });

export const listOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({ data: z.array(item), next_cursor: z.string().nullable() })
    .meta({ id });

export const FacilityListResource = listOf(FacilityResource, "FacilityList");
export const PoolListResource = listOf(PoolResource, "PoolList");
export const EventPageResource = listOf(EventResource, "EventPage")
  .extend({ has_more: z.boolean().describe("a full page came back: ask again from next_cursor") })
  .meta({ id: "EventPage" });
export const WebhookEndpointListResource = listOf(WebhookEndpointResource, "WebhookEndpointList");

export const RequestLogResource = z
  .object({
    id: z.string().describe("the log entry's id; pass the last one of a page as `after`"),
    created_at: Timestamp,
    method: z.string(),
    route: z.string().describe("the route pattern"),
    path: z.string(),
    query: z.string().nullable(),
    status: z.number().int(),
    code: z.string().nullable().describe("the problem code of a refusal"),
    duration_ms: z.number().int(),
    key_prefix: z.string().nullable(),
    idempotency_key: z.string().nullable(),
    replayed: z.boolean().describe("the answer was the stored answer to an earlier request with this Idempotency-Key"),
    correlation_id: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    booking_references: z.array(z.string()),
    request_body: z.string().nullable().describe("as sent, secrets redacted, at most 16 KB"),
    response_body: z.string().nullable().describe("as answered, secrets redacted, at most 16 KB"),
    request_truncated: z.boolean(),
    response_truncated: z.boolean(),
  })
  .meta({ id: "RequestLog" });
export const RequestLogListResource = listOf(RequestLogResource, "RequestLogList");
