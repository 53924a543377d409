import crypto from "node:crypto";
import { getDb } from "../../server/db";

export interface Call {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export function client(baseUrl: string, apiKey?: string) {
  return async function call(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string>; idempotencyKey?: string | null } = {},
  ): Promise<Call> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    if ((method === "POST" || method === "PATCH") && options.idempotencyKey !== null) {
      headers["idempotency-key"] = options.idempotencyKey ?? crypto.randomUUID();
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, text, json };
  };
}

/** Everything a refused request must leave untouched. */
export async function worldState(poolId: string) {
  const db = getDb();
  const { facilityId } = await db.inventoryPool.findUniqueOrThrow({ where: { id: poolId }, select: { facilityId: true } });
  // Scoped to the facility: other test files write to the same database at the same time.
  const [pool, bookings, events, audits, units] = await Promise.all([
    db.inventoryPool.findUniqueOrThrow({ where: { id: poolId } }),
    db.booking.findMany({ where: { poolId }, orderBy: { id: "asc" }, select: { id: true, status: true, version: true, unitId: true } }),
    db.event.count({ where: { facilityId } }),
    // SUCCESS only: a refused call now legitimately writes its own DENIED / FAILED entry.
    db.auditEntry.count({ where: { facilityId, result: "SUCCESS" } }),
    db.unit.findMany({ where: { poolId }, orderBy: { id: "asc" }, select: { id: true, status: true } }),
  ]);
  return { pool, bookings, events, audits, units };
}
