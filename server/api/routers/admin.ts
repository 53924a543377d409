import { z } from "zod";
import { ROLES } from "@/shared/permissions";
import { CreatePartnerInput, listPartnersWithKeys } from "../../domain/admin/manage-partners";
import { listUsers } from "../../domain/admin/manage-users";
import { listFacilitiesWithUnitTypes } from "../../domain/inventory/list-facilities";
import { PARTNER_SCOPES } from "@/shared/permissions";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The admin screen's reads (docs/domain.md#roles-and-permissions: ADMIN only). Mutations
 * are server actions (server/actions/admin.ts). Every output is shaped field by field and
 * checked against an explicit schema, which also strips anything unlisted: no key hash, no
 * password hash, no secret can reach the client through here.
 */

const adminProcedure = permissionProcedure("admin.manage");

const FacilityRef = z.object({ id: z.string(), code: z.string() });

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  /** the key's first characters, to tell keys apart; never enough to use it */
  prefix: z.string(),
  scopes: z.array(z.string()),
  /** empty: every facility */
  facilities: z.array(FacilityRef),
  readRateLimitPerMinute: z.number().int().nullable(),
  writeRateLimitPerMinute: z.number().int().nullable(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const PartnerView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  holdTtlSeconds: z.number().int(),
  technicalContactEmail: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.date(),
  activeKeyCount: z.number().int(),
  keys: z.array(ApiKeyView),
});

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  facilities: z.array(FacilityRef),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
});

export const AdminOptions = z.object({
  facilities: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  apiScopes: z.array(z.string()),
  partnerKinds: z.array(z.string()),
  roles: z.array(z.enum(ROLES)),
});

export const adminRouter = createTRPCRouter({
  /** Partners with their API keys (prefix, scopes, limits, use; never a hash). */
  partners: adminProcedure.output(z.array(PartnerView)).query(async ({ ctx }) => {
    const [partners, facilities] = await Promise.all([listPartnersWithKeys(), listFacilitiesWithUnitTypes(ctx.actor)]);
    const codeOf = new Map(facilities.map((f) => [f.id, f.code]));
    return partners.map((partner) => ({
      id: partner.id,
      code: partner.code,
      name: partner.name,
      kind: partner.kind,
      holdTtlSeconds: partner.holdTtlSeconds,
      technicalContactEmail: partner.technicalContactEmail,
      active: partner.active,
      createdAt: partner.createdAt,
      activeKeyCount: partner.apiKeys.filter((key) => !key.revokedAt).length,
      keys: partner.apiKeys.map((key) => ({
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        scopes: key.scopes,
        facilities: key.facilityIds.map((id) => ({ id, code: codeOf.get(id) ?? id })),
        readRateLimitPerMinute: key.readRateLimitPerMinute,
        writeRateLimitPerMinute: key.writeRateLimitPerMinute,
        createdAt: key.createdAt,
        lastUsedAt: key.lastUsedAt,
        revokedAt: key.revokedAt,
      })),
    }));
  }),

  /** Console users with role, facilities and last sign-in (never a password hash). */
  users: adminProcedure.output(z.array(UserView)).query(async () => {
    const users = await listUsers();
    return users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      active: user.active,
      facilities: user.facilities
        .map(({ facility }) => ({ id: facility.id, code: facility.code }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
    }));
  }),

  /** What the admin forms offer: facilities, API key scopes, partner kinds, roles. */
  options: adminProcedure.output(AdminOptions).query(async ({ ctx }) => {
    const facilities = await listFacilitiesWithUnitTypes(ctx.actor);
    return {
      facilities: facilities.map((f) => ({ id: f.id, code: f.code, name: f.name })),
      apiScopes: [...PARTNER_SCOPES],
      partnerKinds: [...CreatePartnerInput.shape.kind.options],
      roles: [...ROLES],
    };
  }),
});
