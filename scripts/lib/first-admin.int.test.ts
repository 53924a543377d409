import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "../../test/factories";
import { getDb } from "../../server/db";
import { firstAdminNotice } from "./first-admin";
import { NO_ADMIN_NOTICE } from "./first-admin-notice";

/**
 * Issue #13 item 2: a production start (scripts/start.ts, scripts/start-web.ts) with
 * nobody able to administer the console says, in one sentence, how to create the first
 * admin; once an active admin exists it says nothing. The web start printing it is seen
 * by e2e/first-admin.spec.ts.
 */

let dropDatabase: () => Promise<void>;
beforeAll(async () => {
  dropDatabase = await useOwnDatabase("first_admin_notice");
});
afterAll(() => dropDatabase());

const url = () => process.env.DATABASE_URL!;
const user = (email: string, role: "ADMIN" | "OPS_LEAD", active = true) =>
  getDb().user.create({ data: { email, name: email, role, active, passwordHash: "x" } });

describe("firstAdminNotice", () => {
  it("is one sentence naming the command while no active admin exists, and null once one does", async () => {
    expect(NO_ADMIN_NOTICE).toContain('npm run admin:create -- --email you@example.com --name "Your Name"');
    expect(NO_ADMIN_NOTICE.match(/[.:] [A-Z]/g)).toBeNull();

    // an empty production database
    expect(await firstAdminNotice(url())).toBe(NO_ADMIN_NOTICE);
    // staff who cannot administer, and a disabled admin, are not enough
    await user("ops@example.com", "OPS_LEAD");
    await user("former-admin@example.com", "ADMIN", false);
    expect(await firstAdminNotice(url())).toBe(NO_ADMIN_NOTICE);

    await user("admin@example.com", "ADMIN");
    expect(await firstAdminNotice(url())).toBeNull();
  });
});
