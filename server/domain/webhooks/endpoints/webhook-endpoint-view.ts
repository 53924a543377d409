import { Prisma, type Partner, type WebhookEndpoint } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { holds } from "@/server/domain/shared/authorize";
import { DomainError, forbidden } from "@/server/domain/shared/errors";
import type { SqlRow } from "@/server/domain/shared/sql-row";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * What every endpoint service shares: the view it returns (never a secret), who may do
 * what, and loading an endpoint the actor may see — another partner's endpoint, or a
 * deleted one, is "not found".
 *
 * Partners (scope webhooks:manage) manage their own endpoints. Console users read with
 * delivery.read and change with endpoint.manage (ops leads, admins). The system's jobs
 * may do anything.
 */

export type EndpointStatus = "ACTIVE" | "DISABLED";

export interface WebhookEndpointView {
  id: string;
  partnerId: string;
  partnerCode: string;
  url: string;
  description: string;
  /** empty = every event type */
  eventTypes: string[];
  status: EndpointStatus;
  disabledReason: string | null;
  disabledAt: Date | null;
  secretVersion: number;
  /** while set and in the future, the previous secret still signs too */
  previousSecretExpiresAt: Date | null;
  maxConcurrency: number;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  throttledUntil: Date | null;
  createdAt: Date;
}

export const ENDPOINT_COLUMNS = Prisma.raw(`
  ep.id, ep.partner_id, p.code AS partner_code, ep.url, ep.description, ep.event_types, ep.status::text AS status,
  ep.disabled_reason, ep.disabled_at, ep.secret_version, ep.previous_secret_expires_at, ep.max_concurrency,
  ep.consecutive_failures, ep.failing_since, ep.last_success_at, ep.last_failure_at, ep.throttled_until, ep.created_at`);

export type EndpointRow = SqlRow<
  WebhookEndpoint,
  | "id"
  | "partnerId"
  | "url"
  | "description"
  | "eventTypes"
  | "status"
  | "disabledReason"
  | "disabledAt"
  | "secretVersion"
  | "previousSecretExpiresAt"
  | "maxConcurrency"
  | "consecutiveFailures"
  | "failingSince"
  | "lastSuccessAt"
  | "lastFailureAt"
  | "throttledUntil"
  | "createdAt"
> & { partner_code: Partner["code"] };

export function toEndpointView(row: EndpointRow, now: Date = new Date()): WebhookEndpointView {
  return {
    id: row.id,
    partnerId: row.partner_id,
    partnerCode: row.partner_code,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    status: row.status,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    secretVersion: row.secret_version,
    previousSecretExpiresAt:
      row.previous_secret_expires_at && row.previous_secret_expires_at > now ? row.previous_secret_expires_at : null,
    maxConcurrency: row.max_concurrency,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since,
    lastSuccessAt: row.last_success_at,
    lastFailureAt: row.last_failure_at,
    throttledUntil: row.throttled_until && row.throttled_until > now ? row.throttled_until : null,
    createdAt: row.created_at,
  };
}

export type EndpointAction = "read" | "manage" | "operate";

/**
 * Whose endpoints the actor may see: a partner only its own (`partnerId` = itself), anyone
 * else every partner's (null). A read checks `endpoint.read` here; the services that change
 * an endpoint start with `authorize(actor, "endpoint.manage" | "endpoint.operate")` (`operate`:
 * disable, enable, concurrency, for the operator's staff only).
 */
export function endpointScope(actor: Actor, action: EndpointAction): { partnerId: string | null } {
  if (action === "read" && !holds(actor, "endpoint.read")) {
    throw forbidden(actor.type === "PARTNER" ? "This API key lacks the webhooks:manage scope." : "Your role may not see webhook endpoints.");
  }
  return { partnerId: actor.type === "PARTNER" ? actor.id : null };
}

/** Loads a live (not deleted) endpoint the actor may see, locked FOR UPDATE when changing it. */
export async function loadEndpoint(
  tx: Tx,
  actor: Actor,
  endpointId: string,
  action: EndpointAction,
  lock = action !== "read",
): Promise<EndpointRow & SqlRow<WebhookEndpoint, "secretCiphertext" | "previousSecretCiphertext">> {
  const { partnerId } = endpointScope(actor, action);
  const rows = await tx.$queryRaw<(EndpointRow & SqlRow<WebhookEndpoint, "secretCiphertext" | "previousSecretCiphertext">)[]>`
    SELECT ${ENDPOINT_COLUMNS}, ep.secret_ciphertext, ep.previous_secret_ciphertext
    FROM webhook_endpoints ep JOIN partners p ON p.id = ep.partner_id
    WHERE ep.id = ${endpointId} AND ep.deleted_at IS NULL AND (${partnerId}::uuid IS NULL OR ep.partner_id = ${partnerId}::uuid)
    ${lock ? Prisma.raw("FOR UPDATE OF ep") : Prisma.empty}`;
  const row = rows[0];
  if (!row) throw new DomainError("NOT_FOUND", `Webhook endpoint ${endpointId} was not found.`, { endpoint_id: endpointId });
  return row;
}

/** A URL as audit metadata: no query string (a partner may put a token there). */
export function auditableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? "?…" : ""}`;
  } catch {
    return "(unparseable)";
  }
}
