"use server";

import { createApiKey, CreateApiKeyInput } from "../domain/admin/create-api-key";
import { createPartner, CreatePartnerInput, updatePartner, UpdatePartnerInput } from "../domain/admin/manage-partners";
import { createUser, CreateUserInput, updateUser, UpdateUserInput } from "../domain/admin/manage-users";
import { revokeApiKey, RevokeApiKeyInput } from "../domain/admin/revoke-api-key";
import { consoleAction } from "./console-action";

/**
 * The admin screen's mutations (docs/domain.md#roles-and-permissions: users, partners and
 * API keys are the admin's alone). Each checks session, permission and input itself
 * (./console-action) and calls the same domain service as every other transport; the
 * service audits. What they return is shaped here: never a hash, and a key's secret only
 * from createApiKeyAction, once.
 */

export const createPartnerAction = consoleAction(
  { action: "partner.create", permission: "admin.manage", input: CreatePartnerInput, target: (input) => ({ type: "partner", id: input.code }) },
  async ({ actor, input }) => {
    const partner = await createPartner(input, actor);
    return { id: partner.id, code: partner.code };
  },
);

export const updatePartnerAction = consoleAction(
  { action: "partner.update", permission: "admin.manage", input: UpdatePartnerInput, target: (input) => ({ type: "partner", id: input.partnerId }) },
  async ({ actor, input }) => {
    const partner = await updatePartner(input, actor);
    return {
      id: partner.id,
      code: partner.code,
      name: partner.name,
      holdTtlSeconds: partner.holdTtlSeconds,
      technicalContactEmail: partner.technicalContactEmail,
      active: partner.active,
    };
  },
);

export const createApiKeyAction = consoleAction(
  { action: "api_key.create", permission: "admin.manage", input: CreateApiKeyInput, target: (input) => ({ type: "partner", id: input.partnerId }) },
  async ({ actor, input }) => {
    const key = await createApiKey(input, actor);
    // The only response that ever carries the secret: the client shows it once.
    return { id: key.id, prefix: key.prefix, secret: key.secret };
  },
);

export const revokeApiKeyAction = consoleAction(
  { action: "api_key.revoke", permission: "admin.manage", input: RevokeApiKeyInput, target: (input) => ({ type: "api_key", id: input.apiKeyId }) },
  async ({ actor, input }) => {
    const revoked = await revokeApiKey(input, actor);
    return { id: revoked.id, revokedAt: revoked.revokedAt.toISOString() };
  },
);

export const createUserAction = consoleAction(
  { action: "user.create", permission: "admin.manage", input: CreateUserInput, target: (input) => ({ type: "user", id: input.email }) },
  async ({ actor, input }) => {
    const user = await createUser(input, actor);
    return { id: user.id, email: user.email };
  },
);

/** Role, facilities, and disabling/enabling (an admin cannot disable or demote themself). */
export const updateUserAction = consoleAction(
  { action: "user.update", permission: "admin.manage", input: UpdateUserInput, target: (input) => ({ type: "user", id: input.userId }) },
  async ({ actor, input }) => {
    const user = await updateUser(input, actor);
    return { id: user.id };
  },
);
