import type { Task } from "graphile-worker";
import { applyPaymentEvent, markPaymentEventFailed } from "../domain/payments/apply-payment-event";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Applies one stored inbound payment event to its booking (server/domain/payments).
 * Idempotent: the event's row is locked and only a RECEIVED one is applied, so a rerun
 * finds it final and does nothing. Refusals by the booking are final outcomes, not
 * errors; only unexpected errors are retried, and after the last attempt the event is
 * marked FAILED so it does not sit RECEIVED for ever.
 */
export const applyPaymentEventTask: Task<typeof JOBS.applyPaymentEvent> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.applyPaymentEvent], payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  try {
    const result = await applyPaymentEvent(input.inboundEventId, { correlationId });
    if (result.kind === "applied") {
      helpers.logger.info(`Payment event ${input.inboundEventId}: ${result.status} (${result.outcome})`, { correlationId });
    } else {
      helpers.logger.info(`Payment event ${input.inboundEventId}: nothing to do (${result.kind})`, { correlationId });
    }
  } catch (error) {
    if (helpers.job.attempts >= helpers.job.max_attempts) {
      await markPaymentEventFailed(input.inboundEventId, `Gave up after ${helpers.job.attempts} attempts: ${String((error as Error)?.message ?? error)}`);
    }
    throw error;
  }
};
