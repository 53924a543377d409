import crypto from "node:crypto";
import { z } from "zod";
import { PARTNER_SCOPES } from "@/shared/permissions";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { hashApiKey } from "@/server/domain/shared/secrets";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const CreateApiKeyInput = z
  .object({
    partnerId: z.uuid(),
    name: z.string().trim().min(1, "Name the key (e.g. “production”).").max(100),
    scopes: z.array(z.enum(PARTNER_SCOPES)).min(1, "Choose at least one scope."),
    facilityIds: z.array(z.uuid()).default([]),
    readRateLimitPerMinute: z.number().int().min(1).max(100_000).nullable().default(null),
    writeRateLimitPerMinute: z.number().int().min(1).max(100_000).nullable().default(null),
  })
  .strict();
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInput>;

/** How many leading characters of a key are stored to tell keys apart. */
export const API_KEY_PREFIX_LENGTH = 12;

/** Keys are `hf_live_` + 40 base62 characters (~238 bits); only their SHA-256 is stored. */
function generateKey(): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let out = "hf_live_";
  while (out.length < 48) {
    const byte = crypto.randomBytes(1)[0]!;
    if (byte < 248) out += alphabet[byte % 62];
  }
  return out;
}

export interface CreatedApiKey {
  id: string;
  /** the only time the secret exists outside the caller's hands */
  secret: string;
  prefix: string;
}

export async function createApiKey(raw: CreateApiKeyInput, actor: Actor, options: ServiceOptions = {}): Promise<CreatedApiKey> {
  await authorize(actor, "admin.manage");
  const input = parseOrRefuse(CreateApiKeyInput, raw);
  return inTransaction(options, async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: input.partnerId } });
    if (!partner) throw new DomainError("NOT_FOUND", "Partner not found.");
    if (input.facilityIds.length) {
      const found = await tx.facility.count({ where: { id: { in: input.facilityIds } } });
      if (found !== new Set(input.facilityIds).size) throw new DomainError("VALIDATION_FAILED", "Unknown facility in the key's limits.");
    }
    const secret = generateKey();
    const key = await tx.apiKey.create({
      data: {
        partnerId: partner.id,
        name: input.name,
        prefix: secret.slice(0, API_KEY_PREFIX_LENGTH),
        keyHash: hashApiKey(secret),
        scopes: input.scopes,
        facilityIds: input.facilityIds,
        readRateLimitPerMinute: input.readRateLimitPerMinute,
        writeRateLimitPerMinute: input.writeRateLimitPerMinute,
        createdById: actor.type === "USER" ? actor.id : null,
      },
    });
    await writeAudit(tx, actor, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: key.id,
      metadata: { partner_code: partner.code, name: input.name, prefix: key.prefix, scopes: input.scopes, facility_ids: input.facilityIds },
    });
    return { id: key.id, secret, prefix: key.prefix };
  });
}
