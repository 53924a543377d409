import type { Task } from "graphile-worker";
import { evaluateAlerts } from "../domain/incidents/evaluate-alerts";
import { notifyIncidents } from "../domain/incidents/notify-incidents";
import { notifyPartnerContacts } from "../domain/incidents/notify-partner-contacts";
import { systemActor } from "../domain/shared/actor";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Evaluates every alert rule (server/domain/incidents/evaluate-alerts.ts), then sends the
 * notifications of the state changes not yet told (notify-incidents.ts), after the
 * evaluation committed. Idempotent: a rerun finds the same conditions and changes nothing,
 * and a state change is notified once per recipient.
 */
export const evaluateAlertsTask: Task<typeof JOBS.evaluateAlerts> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.evaluateAlerts], payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  const actor = systemActor(JOBS.evaluateAlerts, correlationId);
  const result = await evaluateAlerts(actor);
  const changed = result.triggered + result.reopened + result.escalated + result.downgraded + result.resolved;
  if (changed) helpers.logger.info(`Alerts: ${changed} incident change(s), ${result.open} open`, { correlationId, ...result });
  const sent = await notifyIncidents(actor);
  if (sent.messages) helpers.logger.info(`Alerts: ${sent.messages} notification(s) sent`, { correlationId, ...sent });
  const told = await notifyPartnerContacts(actor);
  if (told.messages) helpers.logger.info(`Alerts: ${told.messages} partner contact e-mail(s) sent`, { correlationId, ...told });
};
