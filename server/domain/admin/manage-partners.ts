import { z } from "zod";
import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * Who at the partner is e-mailed when its endpoint starts failing or is disabled
 * (docs/operations.md#partner-technical-contact); empty clears it.
 */
const TechnicalContactEmail = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value),
  z.email("Technical contact: an e-mail address, or empty.").max(254).nullable(),
);

export const CreatePartnerInput = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z][A-Z0-9_-]{1,31}$/, "Code: 2–32 letters, digits, - or _, starting with a letter."),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(["MARKETPLACE", "PHONE_AGENT", "WEBSITE", "OTHER"]),
    holdTtlSeconds: z.number().int().min(60).max(86_400).default(900),
    technicalContactEmail: TechnicalContactEmail.optional(),
  })
  .strict();

export async function createPartner(raw: z.input<typeof CreatePartnerInput>, actor: Actor, options: ServiceOptions = {}) {
  await authorize(actor, "admin.manage");
  const input = parseOrRefuse(CreatePartnerInput, raw);
  return inTransaction(options, async (tx) => {
    if (await tx.partner.findUnique({ where: { code: input.code } })) {
      throw new DomainError("CONFLICT", `A partner with code ${input.code} exists already.`, { field: "code" });
    }
    const partner = await tx.partner.create({ data: input });
    await writeAudit(tx, actor, { action: "partner.create", targetType: "partner", targetId: partner.id, metadata: input });
    return partner;
  });
}

export const UpdatePartnerInput = z
  .object({
    partnerId: z.uuid(),
    name: z.string().trim().min(1).max(100).optional(),
    holdTtlSeconds: z.number().int().min(60).max(86_400).optional(),
    technicalContactEmail: TechnicalContactEmail.optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** Deactivating a partner refuses all its keys at once. */
export async function updatePartner(raw: z.input<typeof UpdatePartnerInput>, actor: Actor, options: ServiceOptions = {}) {
  await authorize(actor, "admin.manage");
  const { partnerId, ...changes } = parseOrRefuse(UpdatePartnerInput, raw);
  return inTransaction(options, async (tx) => {
    const before = await tx.partner.findUnique({ where: { id: partnerId } });
    if (!before) throw new DomainError("NOT_FOUND", "Partner not found.");
    const partner = await tx.partner.update({ where: { id: partnerId }, data: changes });
    await writeAudit(tx, actor, {
      action: "partner.update",
      targetType: "partner",
      targetId: partnerId,
      metadata: {
        before: { name: before.name, holdTtlSeconds: before.holdTtlSeconds, technicalContactEmail: before.technicalContactEmail, active: before.active },
        changes,
      },
    });
    return partner;
  });
}

/** Partners with their keys (never a hash or secret) for the admin screen. */
export async function listPartnersWithKeys() {
  const partners = await getDb().partner.findMany({
    orderBy: { code: "asc" },
    include: {
      apiKeys: {
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          name: true,
          prefix: true,
          scopes: true,
          facilityIds: true,
          readRateLimitPerMinute: true,
          writeRateLimitPerMinute: true,
          createdAt: true,
          lastUsedAt: true,
          revokedAt: true,
        },
      },
    },
  });
  return partners;
}
