import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../../server/db";
import { addUnit } from "../../server/domain/catalogue/add-unit";
import { changeUnitTypeRate } from "../../server/domain/catalogue/change-unit-type-rate";
import { createFacility } from "../../server/domain/catalogue/create-facility";
import { createUnitType } from "../../server/domain/catalogue/create-unit-type";
import { retireUnit } from "../../server/domain/catalogue/retire-unit";
import { updateFacility } from "../../server/domain/catalogue/update-facility";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createConsoleUser, createPartner, uniq, type TestPartner, type TestUser } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

// GET /api/v1/facilities/{facility_code} (docs/partner-api.md#facility-detail) over real HTTP.
let server: RouteServer;
let partner: TestPartner;
let admin: TestUser;

beforeAll(async () => {
  server = await startRouteServer();
  partner = await createPartner();
  admin = await createConsoleUser({ role: "ADMIN" });
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

describe("GET /api/v1/facilities/{facility_code}", () => {
  it("answers the catalogue by the current or a previous code: types, features, rates in force and scheduled, counts without retired units", async () => {
    const code = uniq("API");
    await createFacility(
      { code, name: "API Storage", timezone: "Europe/London", address_line1: "1 Road", city: "Hull", postal_code: "HU1 1AA", country: "GB", currency: "GBP", access_hours: "24/7" },
      admin.actor,
    );
    await createUnitType({ facility_code: code, code: "5X5", name: "Small", width_ft: 5, depth_ft: 5, climate_controlled: true, features: ["drive-up"], monthly_rate_cents: 3_900 }, admin.actor);
    for (const unit of ["A-1", "A-2", "A-3"]) await addUnit({ facility_code: code, unit_type_code: "5X5", code: unit }, admin.actor);
    await retireUnit({ facility_code: code, unit_code: "A-3", reason: "gone" }, admin.actor);
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString("en-CA", { timeZone: "Europe/London" });
    await changeUnitTypeRate({ facility_code: code, unit_type_code: "5X5", monthly_rate_cents: 4_500, effective_from: nextWeek }, admin.actor);
    const renamed = uniq("API");
    await updateFacility({ facility_code: code, code: renamed }, admin.actor);

    const api = client(server.url, partner.apiKey);
    for (const asked of [renamed, code]) {
      const response = await api("GET", `/api/v1/facilities/${asked}`);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        facility_code: renamed,
        previous_codes: [code],
        currency: "GBP",
        unit_types: [
          {
            unit_type_code: "5X5",
            climate_controlled: true,
            features: ["drive-up"],
            monthly_rate_cents: 3_900,
            scheduled_rates: [{ effective_from: nextWeek, monthly_rate_cents: 4_500 }],
            total: 2,
            available: 2,
            inventory_version: 4,
          },
        ],
      });
    }
  });

  it("404 for an unknown facility and one outside the key's facilities; 403 without inventory:read", async () => {
    const api = client(server.url, partner.apiKey);
    const unknown = await api("GET", "/api/v1/facilities/NO-SUCH-FACILITY");
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe("NOT_FOUND");

    const code = uniq("API");
    const other = await createFacility(
      { code, name: "Elsewhere", timezone: "Europe/London", address_line1: "1 Road", city: "Hull", postal_code: "HU1 1AA", country: "GB", currency: "GBP", access_hours: "24/7" },
      admin.actor,
    );
    const mine = await createPartner({ facilityIds: [other.id] });
    expect((await client(server.url, mine.apiKey)("GET", `/api/v1/facilities/${code}`)).status).toBe(200);
    const second = await createFacility(
      { code: uniq("API"), name: "Second", timezone: "Europe/London", address_line1: "2 Road", city: "Hull", postal_code: "HU1 1AB", country: "GB", currency: "GBP", access_hours: "24/7" },
      admin.actor,
    );
    const someoneElse = await createPartner({ scopes: ["inventory:read"], facilityIds: [second.id] });
    const outside = await client(server.url, someoneElse.apiKey)("GET", `/api/v1/facilities/${code}`);
    expect(outside.status).toBe(404);
    const noScope = await createPartner({ scopes: ["bookings:read"] });
    const forbidden = await client(server.url, noScope.apiKey)("GET", `/api/v1/facilities/${code}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.code).toBe("FORBIDDEN");
  });
});
