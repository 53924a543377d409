import { isValidDate, parsePgBigint } from "@/server/domain/shared/safe-input";
import { DomainError } from "@/server/domain/shared/errors";

/** The audit log's keyset cursor: the last entry's time and id, opaque to the client. */

export interface AuditCursor {
  occurredAt: Date;
  id: bigint;
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.occurredAt.toISOString()}|${cursor.id}`).toString("base64url");
}

export function decodeAuditCursor(raw: string): AuditCursor {
  const invalid = () => new DomainError("VALIDATION_FAILED", "The page cursor is not valid; start from the first page.", {}, [{ path: "cursor", message: "Not a cursor from this list" }]);
  const decoded = Buffer.from(raw, "base64url").toString("utf8");
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,19})$/.exec(decoded);
  if (!match) throw invalid();
  const occurredAt = new Date(match[1]!);
  // An id above int8 (2^63-1) would be a PostgreSQL error, not a refusal.
  const id = parsePgBigint(match[2]!);
  if (!isValidDate(occurredAt) || id === null) throw invalid();
  return { occurredAt, id };
}
