import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const RevokeApiKeyInput = z.object({ apiKeyId: z.uuid() }).strict();

/** Revokes a key at once (the next request with it is 401). Revoking twice is a no-op. */
export async function revokeApiKey(raw: z.input<typeof RevokeApiKeyInput>, actor: Actor, options: ServiceOptions = {}) {
  await authorize(actor, "admin.manage");
  const { apiKeyId } = parseOrRefuse(RevokeApiKeyInput, raw);
  return inTransaction(options, async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: apiKeyId }, include: { partner: { select: { code: true } } } });
    if (!key) throw new DomainError("NOT_FOUND", "API key not found.");
    if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: options.now ?? new Date() } });
    await writeAudit(tx, actor, {
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: key.id,
      metadata: { partner_code: key.partner.code, prefix: key.prefix, name: key.name },
    });
    return { id: revoked.id, revokedAt: revoked.revokedAt! };
  });
}
