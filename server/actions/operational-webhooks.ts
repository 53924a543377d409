"use server";

import { createOperationalEndpoint, CreateOperationalEndpointInput } from "../domain/operational-webhooks/create-operational-endpoint";
import { sendOperationalTest, SendOperationalTestInput } from "../domain/operational-webhooks/send-operational-test";
import { setOperationalEndpointEnabled, SetOperationalEndpointEnabledInput } from "../domain/operational-webhooks/set-operational-endpoint-enabled";
import { consoleAction } from "./console-action";

/**
 * The operational webhooks screen's mutations (admin.manage; docs/operations.md#operational-webhooks).
 * Each checks session, permission and input (./console-action) and calls the domain
 * service, which audits. The secret leaves the server only from the create action, once.
 */

export const createOperationalEndpointAction = consoleAction(
  { action: "operational_webhook.create", permission: "admin.manage", input: CreateOperationalEndpointInput, target: () => ({ type: "operational_webhook_endpoint" }) },
  async ({ actor, input }) => {
    const created = await createOperationalEndpoint(input, actor);
    return { id: created.endpoint.id, secret: created.secret };
  },
);

export const setOperationalEndpointEnabledAction = consoleAction(
  {
    action: "operational_webhook.enable",
    permission: "admin.manage",
    input: SetOperationalEndpointEnabledInput,
    target: (input) => ({ type: "operational_webhook_endpoint", id: input.endpointId }),
  },
  async ({ actor, input }) => {
    const { endpoint, changed } = await setOperationalEndpointEnabled(input, actor);
    return { id: endpoint.id, enabled: endpoint.enabled, changed };
  },
);

export const sendOperationalTestAction = consoleAction(
  { action: "operational_webhook.test", permission: "admin.manage", input: SendOperationalTestInput, target: (input) => ({ type: "operational_webhook_endpoint", id: input.endpointId }) },
  async ({ actor, input }) => {
    const r = await sendOperationalTest(input, actor);
    return { deliveryId: r.deliveryId, success: r.success, responseStatus: r.responseStatus, failureClass: r.failureClass, errorMessage: r.errorMessage, durationMs: r.durationMs };
  },
);
