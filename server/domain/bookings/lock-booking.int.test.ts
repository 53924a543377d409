import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner } from "../../../test/factories";
import { databaseConfig } from "../../config";
import { disconnectDb, getDb } from "../../db";
import { createHold } from "./create-hold";
import { lockBookingForActor } from "./lock-booking";

let partner: TestPartner;
beforeAll(async () => {
  partner = await createPartner();
});
afterAll(disconnectDb);

describe("lockBookingForActor", () => {
  it("waiting for a transaction that moves the booking to another unit, finds the booking on its new unit (not NOT_FOUND)", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const held = await createHold(holdInput(pool), partner.actor);
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } });
    const [other] = await getDb().$queryRaw<{ id: string; code: string }[]>`
      SELECT id::text, code FROM units WHERE pool_id = ${pool.poolId}::uuid AND id <> ${booking.unitId}::uuid ORDER BY code LIMIT 1`;

    // Another transaction moves the booking (as a block moving it off its unit does) and holds its row lock.
    const mover = new pg.Client({ connectionString: databaseConfig().url! });
    await mover.connect();
    try {
      await mover.query("BEGIN");
      await mover.query("UPDATE bookings SET unit_id = $1 WHERE id = $2", [other!.id, booking.id]);
      const locked = getDb().$transaction((tx) => lockBookingForActor(tx, booking.reference, partner.actor));
      // the lock waits for the mover; wait until PostgreSQL shows it waiting
      for (let i = 0; i < 100; i++) {
        const { rows } = await mover.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()`,
        );
        if (rows.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await mover.query("COMMIT");
      const row = await locked;
      expect(row.reference).toBe(booking.reference);
      expect(row.unit_id).toBe(other!.id);
      expect(row.unit_code).toBe(other!.code);
      expect(row.facility_code).toBe(pool.facilityCode);
    } finally {
      await mover.end();
    }
  });
});
