import type { Task } from "graphile-worker";
import { forgetExpiredPreviousSecrets } from "../domain/webhooks/endpoints/forget-expired-secrets";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Hourly: erases rotated-out signing secrets once their 24 h are over (signing already
 * ignores them; this stops keeping them). Idempotent.
 */
export const webhookMaintenance: Task<typeof JOBS.webhookMaintenance> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.webhookMaintenance], payload, helpers);
  const forgotten = await forgetExpiredPreviousSecrets();
  if (forgotten) helpers.logger.info(`Erased ${forgotten} expired previous webhook secret(s)`, { correlationId: jobCorrelationId(input, helpers) });
};
