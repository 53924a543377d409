import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, DEMO_PAYMENT_WEBHOOK_SECRET, parseConfig, REQUIRED_TO_SERVE } from "./index";
import { loadOrCreateDemoSecrets } from "./demo-secrets";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-secrets-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("loadOrCreateDemoSecrets", () => {
  it("creates the file once, mode 0600, and returns the same values afterwards", () => {
    const dataDir = path.join(dir, "nested", ".data");
    const first = loadOrCreateDemoSecrets(dataDir);
    const file = path.join(dataDir, "secrets.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.HOLDFAST_DEMO).toBe("1");
    expect(Buffer.from(first.HOLDFAST_ENCRYPTION_KEY, "base64")).toHaveLength(32);
    expect(first.PAYMENT_WEBHOOK_SECRET).toBe(DEMO_PAYMENT_WEBHOOK_SECRET);
    expect(loadOrCreateDemoSecrets(dataDir)).toEqual(first);
    expect(fs.readdirSync(dataDir)).toEqual(["secrets.json"]);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).not.toHaveProperty("HOLDFAST_DEMO");
  });

  it("is random per machine", () => {
    const a = loadOrCreateDemoSecrets(path.join(dir, "a"));
    const b = loadOrCreateDemoSecrets(path.join(dir, "b"));
    expect(a.NEXTAUTH_SECRET).not.toBe(b.NEXTAUTH_SECRET);
    expect(a.HOLDFAST_ENCRYPTION_KEY).not.toBe(b.HOLDFAST_ENCRYPTION_KEY);
  });

  it("passes the environment schema in demo mode", () => {
    const settings = parseConfig(
      { NODE_ENV: "test", ...loadOrCreateDemoSecrets(dir), DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" },
      { require: REQUIRED_TO_SERVE },
    );
    expect(settings.demo).toBe(true);
  });

  it("keeps existing values, fills in missing ones and tightens permissions", () => {
    const file = path.join(dir, "secrets.json");
    fs.writeFileSync(file, JSON.stringify({ HOLDFAST_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") }), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const secrets = loadOrCreateDemoSecrets(dir);
    expect(secrets.HOLDFAST_ENCRYPTION_KEY).toBe(Buffer.alloc(32, 1).toString("base64"));
    expect(secrets.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).NEXTAUTH_SECRET).toBe(secrets.NEXTAUTH_SECRET);
  });

  it("refuses a corrupt file rather than replacing the encryption key", () => {
    fs.writeFileSync(path.join(dir, "secrets.json"), "{not json");
    expect(() => loadOrCreateDemoSecrets(dir)).toThrow(ConfigError);
    expect(fs.readFileSync(path.join(dir, "secrets.json"), "utf8")).toBe("{not json");
  });
});
