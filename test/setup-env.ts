import { inject } from "vitest";

// Test-only configuration: a throwaway key, never used outside tests.
process.env.HOLDFAST_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret-0000";
process.env.PAYMENT_WEBHOOK_SECRET ??= "whsec_dGVzdC1wYXltZW50LXNlY3JldC10ZXN0LXBheW1lbnQ=";
process.env.HOLDFAST_DEMO ??= "1";
process.env.LOG_LEVEL ??= "silent";
// Tests' webhook receivers listen on loopback (test/webhook-receiver.ts): allow-listed as a
// partner's VPN host would be. The destination-rule tests clear it (url-policy tests).
process.env.HOLDFAST_WEBHOOK_ALLOWED_HOSTS ??= "127.0.0.1";
// Workers started by tests run no webhook dispatcher unless a test asks for one: test
// files share a database, and a dispatcher would send every file's events to every
// file's endpoints (the webhook tests start their own, on databases of their own).
process.env.HOLDFAST_WEBHOOK_DISPATCH ??= "0";

try {
  const url = inject("databaseUrl");
  if (url) process.env.DATABASE_URL = url;
} catch {
  // unit project: no database
}
