import { z } from "zod";
import type { Prisma } from "@/server/generated/prisma/client";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

/** What the admin screen shows of an operational endpoint: never its secret. */
export const OPERATIONAL_ENDPOINT_SELECT = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  minSeverity: true,
  enabled: true,
  disabledAt: true,
  secretVersion: true,
  createdAt: true,
} as const satisfies Prisma.OperationalWebhookEndpointSelect;

export type OperationalEndpointView = Prisma.OperationalWebhookEndpointGetPayload<{ select: typeof OPERATIONAL_ENDPOINT_SELECT }>;

export const OPERATIONAL_ENDPOINT_ID = z.string().regex(ID_PATTERN.owh, NOT_AN_ID.owh);
