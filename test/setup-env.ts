import { inject } from "vitest";

// Test-only configuration: a throwaway key, never used outside tests.
process.env.HOLDFAST_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret-0000";
process.env.PAYMENT_WEBHOOK_SECRET ??= "whsec_dGVzdC1wYXltZW50LXNlY3JldC10ZXN0LXBheW1lbnQ=";
process.env.HOLDFAST_DEMO ??= "1";
process.env.LOG_LEVEL ??= "silent";

try {
  const url = inject("databaseUrl");
  if (url) process.env.DATABASE_URL = url;
} catch {
  // unit project: no database
}
