import { defineConfig } from "prisma/config";

// The Prisma CLI is only used for `generate` here; migrations run through
// scripts/db-migrate.ts (offline, Wasm schema engine) and the runtime connects through
// the pg driver adapter in server/db.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
