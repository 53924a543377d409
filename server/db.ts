import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
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
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  // Every connection's transactions are READ COMMITTED unless a transaction asks otherwise,
  // whatever the server's default: a service's transaction (inTransaction) then starts with
  // BEGIN alone, not BEGIN + SET TRANSACTION — one round trip less on every booking change.
  // pg runs this before anything else on the new connection (queries queue in order).
  pool.on("connect", (client) => {
    client.query("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED").catch(() => undefined);
  });
  // (the adapter's own copy of @types/pg differs from ours only in typings: the same pg runs)
  const adapter = new PrismaPg(pool as unknown as ConstructorParameters<typeof PrismaPg>[0], { disposeExternalPool: true });
  return new PrismaClient({ adapter });
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
