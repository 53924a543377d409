"use server";

import { z } from "zod";
import { cancelReplayJob, CancelReplayJobInput } from "../domain/webhooks/replay/cancel-replay-job";
import { replayDelivery, ReplayDeliveryInput } from "../domain/webhooks/replay/replay-delivery";
import { replayEvent, ReplayEventInput } from "../domain/webhooks/replay/replay-event";
import { rotateWebhookSecret } from "../domain/webhooks/endpoints/rotate-webhook-secret";
import { sendTestPing, SendTestPingInput } from "../domain/webhooks/endpoints/send-test-ping";
import { DisableWebhookEndpointInput, disableWebhookEndpoint, enableWebhookEndpoint } from "../domain/webhooks/endpoints/set-webhook-endpoint-status";
import { updateWebhookEndpoint, UpdateWebhookEndpointInput } from "../domain/webhooks/endpoints/update-webhook-endpoint";
import { replayWindow, ReplayWindowInput, startBulkReplay, StartBulkReplayInput } from "../domain/webhooks/replay/start-bulk-replay";
import { consoleAction } from "./console-action";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

/**
 * The webhooks screens' mutations (docs/webhooks.md#replay,
 * docs/domain.md#roles-and-permissions): replays for support and up, bulk
 * replays and endpoint management for ops leads and admins. Each checks session,
 * permission and input itself (./console-action) — a refusal is audited as DENIED — and
 * calls the same domain service as every other transport; the service audits what it
 * did. Results are shaped here: never a secret, except the rotated one, once.
 */

const EndpointTarget = z.object({ endpointId: z.string().regex(ID_PATTERN.ep, NOT_AN_ID.ep) }).strict();

export const replayDeliveryAction = consoleAction(
  { action: "delivery.replay", permission: "delivery.replay", input: ReplayDeliveryInput, target: (input) => ({ type: "webhook_delivery", id: input.deliveryId }) },
  async ({ actor, input }) => replayDelivery(input, actor),
);

/** Every delivery of one event (one per subscribed endpoint), now. */
export const replayEventAction = consoleAction(
  { action: "delivery.replay", permission: "delivery.bulk_replay", input: ReplayEventInput, target: (input) => ({ type: "event", id: input.eventId }) },
  async ({ actor, input }) => {
    const result = await replayEvent(input, actor);
    return { eventId: result.eventId, attempted: result.attempted, succeeded: result.succeeded, skipped: result.skipped };
  },
);

/** A bulk replay of what the delivery log's filter matches, after its preview count. */
export const startBulkReplayAction = consoleAction(
  { action: "delivery.bulk_replay", permission: "delivery.bulk_replay", input: StartBulkReplayInput, target: () => ({ type: "replay_job" }) },
  async ({ actor, input }) => startBulkReplay(input, actor),
);

/** The failed and dead deliveries of one endpoint created between two times. */
export const replayWindowAction = consoleAction(
  { action: "delivery.bulk_replay", permission: "delivery.bulk_replay", input: ReplayWindowInput, target: (input) => ({ type: "webhook_endpoint", id: input.endpointId }) },
  async ({ actor, input }) => replayWindow(input, actor),
);

export const cancelReplayJobAction = consoleAction(
  { action: "replay_job.cancel", permission: "delivery.bulk_replay", input: CancelReplayJobInput, target: (input) => ({ type: "replay_job", id: input.jobId }) },
  async ({ actor, input }) => cancelReplayJob(input, actor),
);

export const disableEndpointAction = consoleAction(
  {
    action: "webhook_endpoint.disable",
    permission: "endpoint.manage",
    input: EndpointTarget.extend(DisableWebhookEndpointInput.shape).strict(),
    target: (input) => ({ type: "webhook_endpoint", id: input.endpointId }),
  },
  async ({ actor, input }) => {
    const endpoint = await disableWebhookEndpoint(input.endpointId, { reason: input.reason }, actor);
    return { id: endpoint.id, status: endpoint.status, disabledReason: endpoint.disabledReason };
  },
);

export const enableEndpointAction = consoleAction(
  { action: "webhook_endpoint.enable", permission: "endpoint.manage", input: EndpointTarget, target: (input) => ({ type: "webhook_endpoint", id: input.endpointId }) },
  async ({ actor, input }) => {
    const endpoint = await enableWebhookEndpoint(input.endpointId, actor);
    return { id: endpoint.id, status: endpoint.status };
  },
);

/**
 * Edit an endpoint's URL, description, event types and concurrency. Only the changed
 * fields are sent; the service parses and checks them (the URL against the destination
 * policy) and audits the change.
 */
export const updateEndpointAction = consoleAction(
  {
    action: "webhook_endpoint.update",
    permission: "endpoint.manage",
    input: EndpointTarget.extend(UpdateWebhookEndpointInput.shape).strict(),
    target: (input) => ({ type: "webhook_endpoint", id: input.endpointId }),
  },
  async ({ actor, input: { endpointId, ...changes } }) => {
    const endpoint = await updateWebhookEndpoint(endpointId, changes, actor);
    return { id: endpoint.id, url: endpoint.url, eventTypes: endpoint.eventTypes, maxConcurrency: endpoint.maxConcurrency };
  },
);

export const rotateSecretAction = consoleAction(
  {
    action: "webhook_endpoint.rotate_secret",
    permission: "endpoint.manage",
    input: EndpointTarget,
    target: (input) => ({ type: "webhook_endpoint", id: input.endpointId }),
  },
  async ({ actor, input }) => {
    const rotated = await rotateWebhookSecret(input.endpointId, actor);
    // The only response that ever carries the secret: the dialog shows it once.
    return {
      id: rotated.endpoint.id,
      secretVersion: rotated.endpoint.secretVersion,
      previousSecretExpiresAt: rotated.endpoint.previousSecretExpiresAt?.toISOString() ?? null,
      secret: rotated.secret,
    };
  },
);

export const sendTestPingAction = consoleAction(
  { action: "endpoint.test", permission: "endpoint.manage", input: SendTestPingInput, target: (input) => ({ type: "webhook_endpoint", id: input.endpointId }) },
  async ({ actor, input }) => {
    const ping = await sendTestPing(input, actor);
    return {
      id: ping.id,
      success: ping.success,
      responseStatus: ping.responseStatus,
      durationMs: ping.durationMs,
      failureClass: ping.failureClass,
      errorMessage: ping.errorMessage,
      signedWith: ping.signedWith,
    };
  },
);
