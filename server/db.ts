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
  const adapter = new PrismaPg({ connectionString: url, max: poolMax });
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
