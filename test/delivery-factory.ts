import crypto from "node:crypto";
import { getDb } from "../server/db";
import type { Prisma } from "../server/generated/prisma/client";
import { newId } from "../server/domain/shared/ids";
import { encryptSecret } from "../server/domain/shared/secrets";
import { generateEndpointSecret } from "../server/domain/webhooks/delivery/signing";

/**
 * Webhook history for read-side tests (the delivery log, the delivery page): endpoints,
 * events, deliveries and attempts written as rows, the way the dispatcher leaves them,
 * with times chosen by the test. Nothing here dispatches: no worker sends these.
 */

export async function createTestEndpoint(partnerId: string, options: { url?: string; status?: "ACTIVE" | "DISABLED" } = {}) {
  const id = newId("ep");
  await getDb().webhookEndpoint.create({
    data: {
      id,
      partnerId,
      url: options.url ?? `https://partner.example/${id}`,
      secretCiphertext: encryptSecret(generateEndpointSecret()),
      status: options.status ?? "ACTIVE",
      disabledReason: options.status === "DISABLED" ? "test" : null,
      disabledAt: options.status === "DISABLED" ? new Date() : null,
    },
  });
  return id;
}

export interface TestAttempt {
  status: number | null;
  failureClass?: "TIMEOUT" | "CONNECT" | "TLS" | "HTTP_4XX" | "HTTP_5XX" | null;
  durationMs?: number;
  trigger?: "SCHEDULED" | "RETRY" | "MANUAL_REPLAY" | "BULK_REPLAY" | "TEST";
  triggeredById?: string | null;
  responseBody?: string | null;
  requestHeaders?: Record<string, string>;
}

export interface TestDeliveryOptions {
  endpointId: string;
  partnerId?: string | null;
  facilityId?: string | null;
  bookingId?: string | null;
  type?: string;
  status: "PENDING" | "RETRYING" | "SUCCEEDED" | "DEAD";
  createdAt?: Date;
  correlationId?: string;
  attempts?: TestAttempt[];
  data?: Prisma.InputJsonObject;
}

export interface TestDelivery {
  deliveryId: string;
  eventId: string;
  correlationId: string;
}

export async function createTestDelivery(options: TestDeliveryOptions): Promise<TestDelivery> {
  const db = getDb();
  const createdAt = options.createdAt ?? new Date();
  const eventId = newId("evt", createdAt.getTime());
  const deliveryId = newId("msg", createdAt.getTime());
  const correlationId = options.correlationId ?? `cor_${crypto.randomBytes(6).toString("hex")}`;
  const attempts = options.attempts ?? [];
  await db.event.create({
    data: {
      id: eventId,
      type: options.type ?? "booking.confirmed",
      aggregateType: options.bookingId ? "booking" : "pool",
      aggregateId: options.bookingId ?? crypto.randomUUID(),
      aggregateVersion: 1,
      facilityId: options.facilityId ?? null,
      partnerId: options.partnerId ?? null,
      bookingId: options.bookingId ?? null,
      correlationId,
      data: options.data ?? { test: true },
      createdAt,
    },
  });
  const last = attempts.at(-1);
  const lastAt = attempts.length ? new Date(createdAt.getTime() + attempts.length * 1000) : null;
  await db.webhookDelivery.create({
    data: {
      id: deliveryId,
      endpointId: options.endpointId,
      eventId,
      status: options.status,
      attemptCount: attempts.length,
      lastAttemptAt: lastAt,
      lastStatus: last?.status ?? null,
      nextAttemptAt: options.status === "RETRYING" || options.status === "PENDING" ? new Date(Date.now() + 3_600_000) : null,
      succeededAt: options.status === "SUCCEEDED" ? lastAt : null,
      deadAt: options.status === "DEAD" ? lastAt : null,
      createdAt,
    },
  });
  if (attempts.length) {
    await db.webhookAttempt.createMany({
      data: attempts.map((a, i) => ({
        deliveryId,
        endpointId: options.endpointId,
        attemptNumber: i + 1,
        trigger: a.trigger ?? (i === 0 ? "SCHEDULED" : "RETRY"),
        triggeredById: a.triggeredById ?? null,
        startedAt: new Date(createdAt.getTime() + (i + 1) * 1000),
        durationMs: a.durationMs ?? 120,
        responseStatus: a.status,
        responseBody: a.responseBody ?? (a.status ? `{"status":${a.status}}` : null),
        failureClass: a.failureClass ?? (a.status === null ? "TIMEOUT" : a.status >= 500 ? "HTTP_5XX" : a.status >= 300 ? "HTTP_4XX" : null),
        errorMessage: a.status === null ? "timed out after 15000 ms" : null,
        requestHeaders: a.requestHeaders ?? {
          "content-type": "application/json",
          "webhook-id": eventId,
          "webhook-timestamp": String(Math.floor(createdAt.getTime() / 1000)),
          "webhook-signature": "v1,abcdef…",
        },
        signedWith: ["secret_v1"],
        correlationId,
      })),
    });
  }
  return { deliveryId, eventId, correlationId };
}
