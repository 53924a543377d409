import { afterAll, describe, expect, it } from "vitest";
import { createConsoleUser, createPartner } from "../../../../test/factories";
import { disconnectDb, getDb } from "../../../db";
import { systemActor } from "@/server/domain/shared/actor";
import { createWebhookEndpoint, MAX_ENDPOINTS_PER_PARTNER } from "./create-webhook-endpoint";
import { deleteWebhookEndpoint } from "./delete-webhook-endpoint";
import { getWebhookEndpoint } from "./get-webhook-endpoint";
import { listWebhookEndpoints } from "./list-webhook-endpoints";
import { disableWebhookEndpoint, enableWebhookEndpoint } from "./set-webhook-endpoint-status";
import { updateWebhookEndpoint } from "./update-webhook-endpoint";

/** The endpoint services with the actors the console and the partner API pass in. */

afterAll(async () => {
  await disconnectDb();
});

const URL_A = "https://hooks.example.com/holdfast";

async function audits(endpointId: string) {
  return (await getDb().auditEntry.findMany({ where: { targetId: endpointId }, orderBy: { id: "asc" }, select: { action: true } })).map(
    (a) => a.action,
  );
}

describe("webhook endpoint services", () => {
  it("staff with endpoint.manage register, change, disable and enable a partner's endpoint; every change is audited", async () => {
    const partner = await createPartner();
    const ops = await createConsoleUser({ role: "OPS_LEAD" });
    const { endpoint } = await createWebhookEndpoint({ url: URL_A, event_types: ["inventory.updated"] }, ops.actor, { partnerId: partner.id });
    expect(endpoint).toMatchObject({ partnerId: partner.id, partnerCode: partner.code, status: "ACTIVE", maxConcurrency: 4 });

    const updated = await updateWebhookEndpoint(
      endpoint.id,
      { url: "https://hooks.example.com/v2", event_types: ["booking.confirmed", "booking.confirmed"], max_concurrency: 16 },
      ops.actor,
    );
    expect(updated).toMatchObject({ url: "https://hooks.example.com/v2", eventTypes: ["booking.confirmed"], maxConcurrency: 16 });

    const disabled = await disableWebhookEndpoint(endpoint.id, { reason: "Partner asked for a pause" }, ops.actor);
    expect(disabled).toMatchObject({ status: "DISABLED", disabledReason: "Partner asked for a pause" });
    await disableWebhookEndpoint(endpoint.id, { reason: "again" }, ops.actor); // no-op
    const enabled = await enableWebhookEndpoint(endpoint.id, ops.actor);
    expect(enabled).toMatchObject({ status: "ACTIVE", disabledReason: null, disabledAt: null });
    expect(await audits(endpoint.id)).toEqual([
      "webhook_endpoint.create",
      "webhook_endpoint.update",
      "webhook_endpoint.disable",
      "webhook_endpoint.enable",
    ]);
  });

  it("support reads but may not change; partners may not disable or set concurrency; nothing changes on refusal", async () => {
    const partner = await createPartner();
    const support = await createConsoleUser({ role: "SUPPORT" });
    const { endpoint } = await createWebhookEndpoint({ url: URL_A }, partner.actor);
    const before = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });

    expect((await getWebhookEndpoint(endpoint.id, support.actor)).id).toBe(endpoint.id);
    await expect(updateWebhookEndpoint(endpoint.id, { description: "x" }, support.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(disableWebhookEndpoint(endpoint.id, { reason: "x" }, support.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createWebhookEndpoint({ url: URL_A }, support.actor, { partnerId: partner.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(disableWebhookEndpoint(endpoint.id, { reason: "x" }, partner.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateWebhookEndpoint(endpoint.id, { max_concurrency: 64 }, partner.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateWebhookEndpoint(endpoint.id, { url: "gopher://x" }, partner.actor)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(updateWebhookEndpoint(endpoint.id, {}, partner.actor)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });

    expect(await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toEqual(before);
    expect(await audits(endpoint.id)).toEqual(["webhook_endpoint.create"]);
  });

  it("a partner sees only its own live endpoints; a deleted one is gone", async () => {
    const [a, b] = [await createPartner(), await createPartner()];
    const mine = await createWebhookEndpoint({ url: URL_A }, a.actor);
    const theirs = await createWebhookEndpoint({ url: URL_A }, b.actor);
    const listed = await listWebhookEndpoints({}, a.actor);
    expect(listed.endpoints.map((e) => e.id)).toEqual([mine.endpoint.id]);
    await expect(getWebhookEndpoint(theirs.endpoint.id, a.actor)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await deleteWebhookEndpoint(mine.endpoint.id, a.actor);
    await expect(getWebhookEndpoint(mine.endpoint.id, a.actor)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listWebhookEndpoints({}, a.actor)).endpoints).toEqual([]);
    expect((await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: mine.endpoint.id } })).deletedAt).not.toBeNull();
  });

  it("caps a partner's live endpoints", async () => {
    const partner = await createPartner();
    const system = systemActor("test", "cor_cap");
    for (let i = 0; i < MAX_ENDPOINTS_PER_PARTNER; i++) {
      await createWebhookEndpoint({ url: `${URL_A}/${i}` }, system, { partnerId: partner.id });
    }
    await expect(createWebhookEndpoint({ url: URL_A }, partner.actor)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await getDb().webhookEndpoint.count({ where: { partnerId: partner.id } })).toBe(MAX_ENDPOINTS_PER_PARTNER);
  });
});
