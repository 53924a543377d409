import { PrismaPg } from "@prisma/adapter-pg";
import { databaseConfig } from "./config";
import { PrismaClient } from "./generated/prisma/client";

/**
 * The Prisma client singleton, created on first use (so `next build` needs no database)
 * from DATABASE_URL, which npm start / the test harness resolve through
 * server/database/embedded.ts. Imported only by server/domain.
 */

export type Db = PrismaClient;

const globalForPrisma = globalThis as unknown as { holdfastPrisma?: PrismaClient };

export function createPrismaClient(url: string, poolMax = 10): PrismaClient {
  const adapter = new PrismaPg({ connectionString: readCommittedByDefault(url), max: poolMax });
  return new PrismaClient({ adapter });
}

/**
 * Every connection's transactions are READ COMMITTED unless a transaction asks otherwise,
 * whatever the server's default: a service's transaction (inTransaction) then starts with
 * BEGIN alone, not BEGIN + SET TRANSACTION — one round trip less on every booking change
 * (docs/performance.md#the-booking-hot-path). A startup option (libpq's `options`, after any
 * the URL carries, so it wins), so it costs no query of its own.
 */
function readCommittedByDefault(url: string): string {
  const parsed = new URL(url);
  const options = [parsed.searchParams.get("options"), "-c default_transaction_isolation=read\\ committed"].filter(Boolean).join(" ");
  parsed.searchParams.set("options", options);
  return parsed.toString();
}

export function getDb(): PrismaClient {
  if (!globalForPrisma.holdfastPrisma) {
    const { url, poolMax } = databaseConfig();
    if (!url) throw new Error("DATABASE_URL is not set: start Holdfast with npm start, or export DATABASE_URL.");
    globalForPrisma.holdfastPrisma = createPrismaClient(url, poolMax);
  }
  return globalForPrisma.holdfastPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.holdfastPrisma?.$disconnect();
  globalForPrisma.holdfastPrisma = undefined;
}
