import type { Task } from "graphile-worker";
import { forgetExpiredPreviousSecrets } from "../domain/webhooks/forget-expired-secrets";
import { BasePayload, jobCorrelationId, parsePayload } from "./context";

export const WEBHOOK_MAINTENANCE = "webhook_maintenance";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      webhook_maintenance: BasePayload;
    }
  }
}

/**
 * Hourly: erases rotated-out signing secrets once their 24 h are over (signing already
 * ignores them; this stops keeping them). Idempotent.
 */
export const webhookMaintenance: Task<"webhook_maintenance"> = async (payload, helpers) => {
  const input = parsePayload(BasePayload, payload, helpers);
  const forgotten = await forgetExpiredPreviousSecrets();
  if (forgotten) helpers.logger.info(`Erased ${forgotten} expired previous webhook secret(s)`, { correlationId: jobCorrelationId(input, helpers) });
};
