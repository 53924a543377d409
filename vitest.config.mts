import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "@": path.dirname(fileURLToPath(import.meta.url)) };

// test/harness.int.test.ts runs `npm test`'s own steps on a fixture suite (one red test,
// or all green) to prove that a red test fails the build; HOLDFAST_HARNESS_FIXTURE names
// the fixture folder, and the fixtures never run otherwise.
const fixture = process.env.HOLDFAST_HARNESS_FIXTURE;
const fixtureDir = fixture ? `test/harness-fixtures/${fixture.replace(/[^a-z0-9-]/gi, "")}` : undefined;
const fixtures = "test/harness-fixtures/**";

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: fixtureDir
            ? [`${fixtureDir}/**/*.test.ts`]
            : ["server/**/*.test.ts", "shared/**/*.test.ts", "components/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**", ...(fixtureDir ? [] : [fixtures])],
          environment: "node",
          setupFiles: ["test/setup-env.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: fixtureDir
            ? [`${fixtureDir}/**/*.int.test.ts`]
            : ["server/**/*.int.test.ts", "app/**/*.int.test.ts", "scripts/**/*.int.test.ts", "test/**/*.int.test.ts"],
          exclude: ["node_modules/**", ...(fixtureDir ? [] : [fixtures])],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Files share one database (tests use unique ids); two workers fit 2 cores.
          pool: "forks",
          maxWorkers: 2,
        },
      },
    ],
  },
});
