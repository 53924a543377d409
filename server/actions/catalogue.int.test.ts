import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, type TestPool } from "../../test/factories";
import { createUser } from "../../test/user-factory";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { createHold } from "../domain/bookings/create-hold";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { addUnitAction, createFacilityAction, retireUnitAction } from "./catalogue";

// The catalogue's server actions (docs/domain.md#catalogue): permission catalogue.manage,
// refusals audited and changing nothing, domain refusals passed on with their context.
afterAll(disconnectDb);

const meta = (): RequestMeta => ({ ip: "10.9.8.7", userAgent: "vitest", correlationId: `cor_cat_action_${crypto.randomUUID()}` });
const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } });

async function sessionUser(role: SessionUser["role"], facilityIds: string[] = []): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser({ role, facilityIds })).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

let pool: TestPool;
let manager: SessionUser;
let opsLead: SessionUser;

beforeAll(async () => {
  pool = await createFacilityWithPool({ units: 2 });
  [manager, opsLead] = await Promise.all([sessionUser("SITE_MANAGER", [pool.facilityId]), sessionUser("OPS_LEAD")]);
});

describe("catalogue actions", () => {
  it("a site manager may not change the catalogue, even of their own facility: FORBIDDEN, audited DENIED, nothing changes", async () => {
    const units = await getDb().unit.count({ where: { facilityId: pool.facilityId } });
    const request = meta();
    const result = await addUnitAction.withRequest({ user: manager, meta: request })({ facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, code: "Z-1" });
    expect(result).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await auditsOf(request.correlationId)).toMatchObject([{ action: "unit.add", result: "DENIED" }]);
    expect(await getDb().unit.count({ where: { facilityId: pool.facilityId } })).toBe(units);
    const create = await createFacilityAction.withRequest({ user: manager, meta: meta() })({
      code: "SM-1", name: "x", timezone: "Europe/London", address_line1: "x", city: "x", postal_code: "x", country: "GB", currency: "GBP", access_hours: "x",
    });
    expect(create).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("an ops lead adds a unit; a retire refused by a hold answers CONFLICT naming the booking", async () => {
    const added = await addUnitAction.withRequest({ user: opsLead, meta: meta() })({ facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, code: "Z-2", floor: 1 });
    expect(added).toMatchObject({ ok: true, data: { code: "Z-2" } });
    const partner = await createPartner();
    const hold = await createHold(holdInput(pool), partner.actor);
    const refused = await retireUnitAction.withRequest({ user: opsLead, meta: meta() })({ facility_code: pool.facilityCode, unit_code: hold.unitCode, reason: "x" });
    expect(refused).toMatchObject({ ok: false, code: "CONFLICT", context: { booking_reference: hold.reference } });
    const bad = await addUnitAction.withRequest({ user: opsLead, meta: meta() })({ facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, code: "no spaces" });
    expect(bad).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { code: [expect.any(String)] } });
  });
});
