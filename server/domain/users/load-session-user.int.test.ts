import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../db";
import { createConsoleUser, createFacilityWithPool } from "../../../test/factories";
import { updateUser } from "../admin/manage-users";
import { createUser } from "../../../test/user-factory";
import { loadSessionUser } from "./load-session-user";

afterAll(disconnectDb);

describe("loadSessionUser", () => {
  it("loads the user with role and facilities", async () => {
    const facility = await createFacilityWithPool({ units: 1 });
    const user = await createUser({ role: "SITE_MANAGER", facilityIds: [facility.facilityId], name: "Sam Site" });
    expect(await loadSessionUser(user.id)).toEqual({
      id: user.id,
      email: user.email,
      name: "Sam Site",
      role: "SITE_MANAGER",
      facilityIds: [facility.facilityId],
      facilityCodes: [facility.facilityCode],
    });
  });

  it("rejects a deactivated user at once", async () => {
    const user = await createUser({ role: "ADMIN" });
    expect(await loadSessionUser(user.id)).not.toBeNull();
    await getDb().user.update({ where: { id: user.id }, data: { active: false } });
    expect(await loadSessionUser(user.id)).toBeNull();
  });

  it("sees a changed role and facilities on the next request", async () => {
    const facility = await createFacilityWithPool({ units: 1 });
    const user = await createUser({ role: "OPS_LEAD" });
    await getDb().user.update({
      where: { id: user.id },
      data: { role: "SITE_MANAGER", facilities: { create: [{ facilityId: facility.facilityId }] } },
    });
    expect(await loadSessionUser(user.id)).toMatchObject({ role: "SITE_MANAGER", facilityIds: [facility.facilityId] });
  });

  it("returns null for a deleted user, a missing id or a malformed id", async () => {
    const user = await createUser();
    await getDb().user.delete({ where: { id: user.id } });
    expect(await loadSessionUser(user.id)).toBeNull();
    expect(await loadSessionUser(null)).toBeNull();
    expect(await loadSessionUser("not-a-uuid")).toBeNull();
  });

  it("ends every session signed in before a disable, even after re-enabling, and before a role change; a new sign-in works", async () => {
    const admin = await createConsoleUser({ role: "ADMIN" });
    const user = await createUser({ role: "OPS_LEAD" });
    const before = { signedInAt: Date.now() - 60_000 };
    expect(await loadSessionUser(user.id, before)).not.toBeNull();

    await updateUser({ userId: user.id, active: false }, admin.actor);
    await updateUser({ userId: user.id, active: true }, admin.actor);
    expect(await loadSessionUser(user.id, before)).toBeNull();
    expect(await loadSessionUser(user.id, { signedInAt: null })).toBeNull(); // a token from before sign-in times were kept
    const afterEnable = { signedInAt: Date.now() + 1 };
    expect(await loadSessionUser(user.id, afterEnable)).toMatchObject({ role: "OPS_LEAD" });

    // an update that keeps the role keeps sessions; a role change ends them
    await updateUser({ userId: user.id, role: "OPS_LEAD" }, admin.actor);
    expect(await loadSessionUser(user.id, afterEnable)).not.toBeNull();
    await updateUser({ userId: user.id, role: "SUPPORT" }, admin.actor);
    expect(await loadSessionUser(user.id, afterEnable)).toBeNull();
    expect(await loadSessionUser(user.id, { signedInAt: Date.now() + 1 })).toMatchObject({ role: "SUPPORT" });
  });
});
