import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { hashApiKey } from "@/server/domain/shared/secrets";

import { PARTNER_SCOPES, type PartnerScope } from "@/shared/permissions";

export interface AuthenticatedKey {
  actor: Actor;
  apiKeyId: string;
  partnerCode: string;
  readRateLimitPerMinute: number | null;
  writeRateLimitPerMinute: number | null;
}

/**
 * A bearer API key → the partner acting, with the key's scopes and facility limits.
 * Keys are looked up by their SHA-256; a revoked key or an inactive partner is refused
 * like an unknown one.
 */
export async function authenticateApiKey(
  apiKey: string,
  request: { correlationId: string; ip?: string | null; userAgent?: string | null },
): Promise<AuthenticatedKey> {
  const db = getDb();
  // One query on every partner request.
  const rows = await db.$queryRaw<
    {
      id: string;
      scopes: string[];
      facility_ids: string[];
      read_rate_limit_per_minute: number | null;
      write_rate_limit_per_minute: number | null;
      last_used_at: Date | null;
      partner_id: string;
      partner_code: string;
    }[]
  >`
    SELECT k.id, coalesce(k.scopes, '{}') AS scopes, coalesce(k.facility_ids, '{}') AS facility_ids, k.read_rate_limit_per_minute, k.write_rate_limit_per_minute, k.last_used_at,
           p.id AS partner_id, p.code AS partner_code
    FROM api_keys k JOIN partners p ON p.id = k.partner_id
    WHERE k.key_hash = ${hashApiKey(apiKey)} AND k.revoked_at IS NULL AND p.active`;
  const row = rows[0];
  if (!row) {
    throw new DomainError("UNAUTHENTICATED", "The API key is missing, unknown or revoked.");
  }
  // Remember use at most once a minute per key, off the request's critical path.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    void db.$executeRaw`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id}::uuid`.catch(() => undefined);
  }
  const key = {
    id: row.id,
    // A scope the vocabulary no longer has grants nothing.
    scopes: row.scopes.filter((scope): scope is PartnerScope => (PARTNER_SCOPES as readonly string[]).includes(scope)),
    facilityIds: row.facility_ids,
    readRateLimitPerMinute: row.read_rate_limit_per_minute,
    writeRateLimitPerMinute: row.write_rate_limit_per_minute,
    partner: { id: row.partner_id, code: row.partner_code },
  };
  return {
    apiKeyId: key.id,
    partnerCode: key.partner.code,
    readRateLimitPerMinute: key.readRateLimitPerMinute,
    writeRateLimitPerMinute: key.writeRateLimitPerMinute,
    actor: {
      type: "PARTNER",
      id: key.partner.id,
      label: key.partner.code,
      scopes: key.scopes,
      facilityIds: key.facilityIds.length ? key.facilityIds : null,
      correlationId: request.correlationId,
      ip: request.ip ?? null,
      userAgent: request.userAgent ?? null,
      apiKeyId: key.id,
    },
  };
}
