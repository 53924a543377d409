import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { encryptSecret } from "@/server/domain/shared/secrets";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { generateEndpointSecret, PREVIOUS_SECRET_VALIDITY_MS } from "../delivery/signing";
import { ENDPOINT_COLUMNS, loadEndpoint, toEndpointView, type EndpointRow, type WebhookEndpointView } from "./webhook-endpoint-view";

export interface RotatedSecret {
  endpoint: WebhookEndpointView;
  /** the new secret: returned this once */
  secret: string;
}

/**
 * A new signing secret. The one it replaces keeps signing alongside it for 24 h (both
 * signatures in one webhook-signature header), so the consumer can switch without losing
 * a webhook. Rotating again within those 24 h retires the older secret at once: only the
 * one just replaced stays valid.
 */
export async function rotateWebhookSecret(endpointId: string, actor: Actor, options: ServiceOptions = {}): Promise<RotatedSecret> {
  await authorize(actor, "endpoint.manage", { target: { type: "webhook_endpoint", id: endpointId } });
  return inTransaction(options, async (tx) => {
    const endpoint = await loadEndpoint(tx, actor, endpointId, "manage");
    const now = options.now ?? new Date();
    const secret = generateEndpointSecret();
    const previousExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_VALIDITY_MS);
    const rows = await tx.$queryRaw<EndpointRow[]>`
      WITH ep AS (
        UPDATE webhook_endpoints SET
          previous_secret_ciphertext = secret_ciphertext,
          previous_secret_expires_at = ${previousExpiresAt},
          secret_ciphertext = ${encryptSecret(secret)},
          secret_version = secret_version + 1
        WHERE id = ${endpointId}
        RETURNING *
      )
      SELECT ${ENDPOINT_COLUMNS} FROM ep JOIN partners p ON p.id = ep.partner_id`;
    const row = rows[0]!;
    await writeAudit(tx, actor, {
      action: "webhook_endpoint.rotate_secret",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      at: options.now,
      metadata: {
        partner_code: endpoint.partner_code,
        secret_version: row.secret_version,
        previous_secret_valid_until: previousExpiresAt.toISOString(),
      },
    });
    return { endpoint: toEndpointView(row, now), secret };
  });
}
