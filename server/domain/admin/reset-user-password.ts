import { z } from "zod";
import { hashPassword } from "../../auth/password";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { CreateUserInput } from "./manage-users";

/** The same e-mail and password rules as a new user's. */
export const ResetUserPasswordInput = z
  .object({ email: CreateUserInput.shape.email, password: CreateUserInput.shape.password })
  .strict();

/**
 * A new password for an existing user (`npm run admin:create -- --reset-password`, for an
 * admin locked out: docs/operations.md#going-live). Every session signed in before now
 * ends, as after a role change; role and active flag are left as they are.
 */
export async function resetUserPassword(raw: z.input<typeof ResetUserPasswordInput>, actor: Actor, options: ServiceOptions = {}) {
  await authorize(actor, "admin.manage");
  const input = parseOrRefuse(ResetUserPasswordInput, raw);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(options, async (tx) => {
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, email: true, role: true, active: true } });
    if (!user) throw new DomainError("NOT_FOUND", `No user has the email ${input.email}.`, { field: "email" });
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionsValidAfter: options.now ?? new Date() } });
    await writeAudit(tx, actor, {
      action: "user.password_reset",
      targetType: "user",
      targetId: user.id,
      metadata: { email: user.email, role: user.role },
    });
    return user;
  });
}
