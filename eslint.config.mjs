import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

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
  {
    // Layering (docs/conventions.md#layers-and-imports): routes never reach into the
    // database or the domain.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/server/db", "**/server/db", "@/server/database/*"], message: "Routes and components go through server/api or server actions, never the database." },
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
