import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, DEMO_PAYMENT_WEBHOOK_SECRET } from "./index";

/**
 * Secrets for the embedded demo (docs/operations.md#demo-mode-and-demo-data): generated
 * once per machine, kept in `<dataDir>/secrets.json` (mode 0600) so the web server, the
 * worker and later restarts all share them. Never used against an external database unless
 * HOLDFAST_DEMO=1.
 *
 * The payment provider's signing secret is the documented demo one, so demo users can
 * sign payment events themselves; the session secret and the encryption key are random.
 */

export interface DemoSecrets {
  NEXTAUTH_SECRET: string;
  HOLDFAST_ENCRYPTION_KEY: string;
  PAYMENT_WEBHOOK_SECRET: string;
}

/** The secrets plus HOLDFAST_DEMO=1: ready to merge into an environment. */
export type DemoEnvironment = DemoSecrets & { HOLDFAST_DEMO: "1" };

const DEMO_SECRETS_FILE = "secrets.json";

const KEYS = ["NEXTAUTH_SECRET", "HOLDFAST_ENCRYPTION_KEY", "PAYMENT_WEBHOOK_SECRET"] as const;

function generate(key: keyof DemoSecrets): string {
  switch (key) {
    case "NEXTAUTH_SECRET":
      return crypto.randomBytes(32).toString("base64url");
    case "HOLDFAST_ENCRYPTION_KEY":
      return crypto.randomBytes(32).toString("base64");
    case "PAYMENT_WEBHOOK_SECRET":
      return DEMO_PAYMENT_WEBHOOK_SECRET;
  }
}

function readExisting(file: string): Partial<DemoSecrets> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(`Configuration error: cannot read ${file} (${(error as Error).message}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Regenerating would change the encryption key and make stored secrets unreadable.
    throw new ConfigError(`Configuration error: ${file} is not valid JSON; fix it, or delete .data to start the demo afresh.`);
  }
  if (!parsed || typeof parsed !== "object") {
    throw new ConfigError(`Configuration error: ${file} does not hold a JSON object; fix it, or delete .data to start afresh.`);
  }
  const out: Partial<DemoSecrets> = {};
  for (const key of KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === "string" && value.length > 0) out[key] = value;
  }
  return out;
}

function tempName(file: string): string {
  return `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
}

function writeAtomically(file: string, secrets: DemoSecrets): void {
  const tmp = tempName(file);
  fs.writeFileSync(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Reads `<dataDir>/secrets.json`, creating it (or filling in keys it lacks) on first use.
 * Safe when the web server and the worker start at the same moment: creation is
 * exclusive, and the loser reads what the winner wrote.
 */
export function loadOrCreateDemoSecrets(dataDir = ".data"): DemoEnvironment {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, DEMO_SECRETS_FILE);
  fs.mkdirSync(dir, { recursive: true });

  let existing = readExisting(file);
  if (existing === null) {
    const fresh = Object.fromEntries(KEYS.map((key) => [key, generate(key)])) as unknown as DemoSecrets;
    // Written whole to a temporary file, then linked into place: link fails if the file
    // exists, so a concurrent starter never sees a half-written file.
    const tmp = tempName(file);
    fs.writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
      return { ...fresh, HOLDFAST_DEMO: "1" };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      existing = readExisting(file) ?? {};
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  const missing = KEYS.filter((key) => !existing[key]);
  const secrets = { ...existing } as DemoSecrets;
  for (const key of missing) secrets[key] = generate(key);
  if (missing.length) writeAtomically(file, secrets);
  // Tighten a file someone copied in with looser permissions.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return { ...secrets, HOLDFAST_DEMO: "1" };
}
