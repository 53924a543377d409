import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

/** No page, route or component reaches the database (docs/conventions.md#layers-and-imports). */
const NO_DATABASE = {
  group: ["@/server/db", "**/server/db", "@/server/database/*"],
  message: "Routes and components go through server/api or server actions, never the database.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "server/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JS config files and scripts run in Node.
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: { process: "readonly", module: "writable", require: "readonly", __dirname: "readonly", console: "readonly" },
    },
  },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  // Layering (docs/conventions.md#layers-and-imports). Each files glob gets one
  // no-restricted-imports list: in a flat config a later entry for the same rule replaces
  // an earlier one, so the globs below do not overlap.
  {
    // Pages and route handlers never reach into the database.
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_DATABASE] }],
    },
  },
  {
    // Components ship to the browser: from server/ they take types only, and values from
    // shared/ (pure code both sides use) and the server actions.
    files: ["components/**/*.{ts,tsx}"],
    // tests run in Node and compare the console's model with the server's own (openapi-model.test.ts)
    ignores: ["components/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            NO_DATABASE,
            {
              regex: "^(@/|(\\.\\./)+)server/(?!actions/)",
              allowTypeImports: true,
              message: "Components import values from shared/ or server/actions only; from the rest of server/ use `import type`.",
            },
          ],
        },
      ],
    },
  },
  {
    // The domain knows no transport and no scheduler: it never imports server/http,
    // server/api, server/actions or server/jobs, nor Next.js or React.
    files: ["server/domain/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/server/|(\\.\\./)+)(http|api|actions|jobs)(/|$)",
              message: "The domain never imports a transport (server/http, server/api, server/actions) or server/jobs; they call it.",
            },
            { regex: "^(next|react|react-dom)(/|$)", message: "The domain knows no framework: no next/* or react." },
          ],
        },
      ],
    },
  },
  {
    // Tasks are transports too: they call domain services and never reach the database.
    files: ["server/jobs/**/*.ts"],
    ignores: ["server/jobs/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/server/|(\\.\\./)+)(db|database|http|api|actions)(/|$)",
              message: "A task calls domain services; it never imports server/db or a transport (docs/conventions.md#jobs).",
            },
          ],
        },
      ],
    },
  },
  {
    // shared/ is imported by client components and the server alike: it imports only
    // itself and zod, so it stays free of Node, Prisma, Next.js and React.
    files: ["shared/**/*.{ts,tsx}"],
    ignores: ["shared/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!zod$|\\./[^/]+$)",
              message: "shared/ is pure: it imports only its own modules (./x) and zod.",
            },
          ],
        },
      ],
    },
  },
  {
    // One configuration module (docs/operations.md#configuration): production code reads
    // settings through server/config, never process.env.
    files: ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "scripts/**/*.{ts,mjs}", "prisma/**/*.ts", "proxy.ts", "instrumentation.ts"],
    ignores: [
      // the module itself
      "server/config/index.ts",
      // tests set up their own harness (ports, per-file databases)
      "**/*.test.ts",
      // these build the environment of a child process (next, the worker, prisma generate)
      "scripts/lib/runtime.ts",
      "scripts/prisma-generate.mjs",
      // CI's summary step reads the failed-step count .ci/run hands it, not Holdfast's configuration
      "scripts/test-summary.mjs",
    ],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through server/config (config(), databaseConfig(), …); see docs/operations.md#configuration." },
      ],
    },
  },
);
