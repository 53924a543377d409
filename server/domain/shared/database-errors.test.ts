import { describe, expect, it } from "vitest";
import { Prisma } from "../../generated/prisma/client";
import { fromDatabaseError } from "./database-errors";
import { DomainError } from "./errors";

const known = (code: string, message: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: "7", meta });

describe("fromDatabaseError", () => {
  const contention: [string, unknown][] = [
    ["node-postgres deadlock", Object.assign(new Error("deadlock detected"), { code: "40P01" })],
    ["node-postgres lock timeout", Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" })],
    ["node-postgres serialization failure", Object.assign(new Error("could not serialize access"), { code: "40001" })],
    ["Prisma raw query, pg adapter", known("P2010", "Raw query failed", { driverAdapterError: { cause: { originalCode: "55P03", kind: "postgres" } } })],
    ["Prisma write conflict (adapter kind)", known("P2010", "x", { driverAdapterError: { cause: { kind: "TransactionWriteConflict" } } })],
    ["Prisma P2034", known("P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction")],
    ["Prisma P2028 timeout", known("P2028", "Transaction API error: Unable to start a transaction in the given time.")],
    ["Prisma P2028 expired", known("P2028", "Transaction API error: A query cannot be executed on an expired transaction. The timeout for this transaction was 15000 ms")],
    ["wrapped", new Error("outer", { cause: Object.assign(new Error("inner"), { code: "40P01" }) })],
  ];
  it.each(contention)("%s is the retryable INVENTORY_HELD_BY_OTHER_TXN", (_name, error) => {
    const mapped = fromDatabaseError(error);
    expect({ code: mapped?.code, status: mapped?.status, retryable: mapped?.retryable }).toEqual({
      code: "INVENTORY_HELD_BY_OTHER_TXN",
      status: 409,
      retryable: true,
    });
  });

  const other: [string, unknown][] = [
    ["a unique violation", Object.assign(new Error("duplicate key"), { code: "23505" })],
    ["Prisma P2028 that is no timeout", known("P2028", "Transaction API error: Transaction not found.")],
    ["Prisma P2002", known("P2002", "Unique constraint failed")],
    ["a plain error", new Error("ECONNREFUSED")],
    ["a domain refusal", new DomainError("NOT_FOUND", "gone")],
    ["nothing", undefined],
  ];
  it.each(other)("%s is not contention", (_name, error) => {
    expect(fromDatabaseError(error)).toBeNull();
  });
});
