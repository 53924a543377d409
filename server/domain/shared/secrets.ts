import crypto from "node:crypto";
import { requireSetting } from "../../config";

/**
 * Encryption at rest for webhook signing secrets and access codes: AES-256-GCM under
 * HOLDFAST_ENCRYPTION_KEY. Stored as v1.<iv>.<tag>.<ciphertext>, base64url parts.
 */

function key(): Buffer {
  // Its format (32 bytes in base64) is checked where it is parsed, server/config.
  return Buffer.from(requireSetting("HOLDFAST_ENCRYPTION_KEY"), "base64");
}

export function encryptSecret(plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined) throw new Error("Unreadable encrypted value.");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** API keys are long random strings, so a plain SHA-256 is the right lookup hash. */
export function hashApiKey(apiKey: string): string {
  return crypto.createHash("sha256").update(apiKey, "utf8").digest("hex");
}
