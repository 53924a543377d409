import { getDb } from "../../db";
import type { Actor } from "../shared/actor";
import { DomainError } from "../shared/errors";
import { hashApiKey } from "../shared/secrets";

export const API_SCOPES = ["inventory:read", "bookings:read", "bookings:write", "availability:write", "webhooks:manage"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

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
  const key = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(apiKey) },
    include: { partner: { select: { id: true, code: true, active: true } } },
  });
  if (!key || key.revokedAt || !key.partner.active) {
    throw new DomainError("UNAUTHENTICATED", "The API key is missing, unknown or revoked.");
  }
  // Remember use at most once a minute per key, off the request's critical path.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    void db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
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
