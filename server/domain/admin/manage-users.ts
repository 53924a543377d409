import { z } from "zod";
import { getDb } from "../../db";
import { hashPassword } from "../../auth/password";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";

const Role = z.enum(["SUPPORT", "SITE_MANAGER", "OPS_LEAD", "ADMIN"]);

export const CreateUserInput = z
  .object({
    email: z.email().max(254).toLowerCase(),
    name: z.string().trim().min(1).max(100),
    role: Role,
    facilityIds: z.array(z.uuid()).default([]),
    password: z.string().min(12, "Passwords need at least 12 characters.").max(200),
  })
  .strict()
  .refine((u) => u.role !== "SITE_MANAGER" || u.facilityIds.length > 0, {
    message: "A site manager needs at least one facility.",
    path: ["facilityIds"],
  });

export async function createUser(raw: z.input<typeof CreateUserInput>, actor: Actor, options: ServiceOptions = {}) {
  await authorize(actor, "admin.manage");
  const input = parseOrRefuse(CreateUserInput, raw);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(options, async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw new DomainError("CONFLICT", `A user with email ${input.email} exists already.`, { field: "email" });
    }
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        facilities: { create: input.role === "SITE_MANAGER" ? input.facilityIds.map((facilityId) => ({ facilityId })) : [] },
      },
    });
    await writeAudit(tx, actor, {
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      metadata: { email: user.email, role: user.role, facility_ids: input.facilityIds },
    });
    return { id: user.id, email: user.email };
  });
}

export const UpdateUserInput = z
  .object({
    userId: z.uuid(),
    role: Role.optional(),
    facilityIds: z.array(z.uuid()).optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** Role, facilities and disabling take effect on the user's next request (sessions re-check the row). */
export async function updateUser(raw: z.input<typeof UpdateUserInput>, actor: Actor, options: ServiceOptions = {}) {
  await authorize(actor, "admin.manage");
  const input = parseOrRefuse(UpdateUserInput, raw);
  if (actor.type === "USER" && actor.id === input.userId && (input.active === false || (input.role && input.role !== "ADMIN"))) {
    throw new DomainError("CONFLICT", "You cannot disable yourself or remove your own admin role.");
  }
  return inTransaction(options, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.userId }, include: { facilities: true } });
    if (!before) throw new DomainError("NOT_FOUND", "User not found.");
    const role = input.role ?? before.role;
    const facilityIds = input.facilityIds ?? before.facilities.map((f) => f.facilityId);
    if (role === "SITE_MANAGER" && facilityIds.length === 0) {
      throw new DomainError("VALIDATION_FAILED", "A site manager needs at least one facility.", {}, [
        { path: "facilityIds", message: "A site manager needs at least one facility." },
      ]);
    }
    // Disabling and a role change end every session signed in before now, even after the
    // user is enabled again (loadSessionUser compares the session's sign-in time).
    const endsSessions = (input.active === false && before.active) || role !== before.role;
    await tx.user.update({
      where: { id: input.userId },
      data: {
        role,
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(endsSessions ? { sessionsValidAfter: options.now ?? new Date() } : {}),
      },
    });
    if (input.facilityIds || input.role) {
      await tx.userFacility.deleteMany({ where: { userId: input.userId } });
      if (role === "SITE_MANAGER") {
        await tx.userFacility.createMany({ data: facilityIds.map((facilityId) => ({ userId: input.userId, facilityId })) });
      }
    }
    await writeAudit(tx, actor, {
      action: input.active === false ? "user.disable" : input.active === true ? "user.enable" : "user.update",
      targetType: "user",
      targetId: input.userId,
      metadata: {
        email: before.email,
        before: { role: before.role, active: before.active, facility_ids: before.facilities.map((f) => f.facilityId) },
        after: { role, active: input.active ?? before.active, facility_ids: role === "SITE_MANAGER" ? facilityIds : [] },
      },
    });
    return { id: input.userId };
  });
}

export async function listUsers() {
  return getDb().user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      active: true,
      lastLoginAt: true,
      createdAt: true,
      facilities: { select: { facility: { select: { id: true, code: true } } } },
    },
  });
}
