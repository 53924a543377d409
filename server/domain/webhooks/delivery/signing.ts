import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { decryptSecret } from "@/server/domain/shared/secrets";

/**
 * Standard Webhooks signing (docs/webhooks.md#verifying-signatures): `webhook-signature`
 * carries `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` for every
 * secret that is valid now — during a rotation the new one and, for 24 h, the old one,
 * space-separated as the specification prescribes, so a consumer holding either verifies.
 */

const SECRET_PREFIX = "whsec_";
/** how long a rotated-out secret keeps signing */
export const PREVIOUS_SECRET_VALIDITY_MS = 24 * 3_600_000;

/** A new endpoint secret: `whsec_` + 32 random bytes in base64 (the spec asks for 24–64). */
export function generateEndpointSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString("base64");
}

export interface EndpointSecrets {
  secretCiphertext: string;
  secretVersion: number;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
}

/** What signs one attempt: the secrets in force at `now`, newest first. */
export interface SigningKey {
  version: number;
  signer: Webhook;
}

// Decrypting and decoding a secret per attempt is wasted work at a thousand attempts a
// second; ciphertexts change on rotation, so they are a safe cache key. Only signers
// (never plaintext secrets) are kept, and the map is bounded.
const signers = new Map<string, Webhook>();
const MAX_CACHED_SIGNERS = 10_000;

function signerFor(ciphertext: string): Webhook {
  let signer = signers.get(ciphertext);
  if (!signer) {
    signer = new Webhook(decryptSecret(ciphertext));
    if (signers.size >= MAX_CACHED_SIGNERS) signers.delete(signers.keys().next().value!);
    signers.set(ciphertext, signer);
  }
  return signer;
}

export function signingKeys(secrets: EndpointSecrets, now: Date): SigningKey[] {
  const keys: SigningKey[] = [{ version: secrets.secretVersion, signer: signerFor(secrets.secretCiphertext) }];
  if (
    secrets.previousSecretCiphertext &&
    secrets.previousSecretExpiresAt &&
    secrets.previousSecretExpiresAt.getTime() > now.getTime()
  ) {
    keys.push({ version: secrets.secretVersion - 1, signer: signerFor(secrets.previousSecretCiphertext) });
  }
  return keys;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three Standard Webhooks headers for one attempt, and which secret versions signed. */
export function signWebhook(
  keys: readonly SigningKey[],
  message: { id: string; timestamp: Date; body: string },
): { headers: SignedHeaders; signedWith: string[] } {
  if (!keys.length) throw new Error("signWebhook: no signing key.");
  const signatures = keys.map((k) => k.signer.sign(message.id, message.timestamp, message.body));
  return {
    headers: {
      "webhook-id": message.id,
      "webhook-timestamp": String(Math.floor(message.timestamp.getTime() / 1000)),
      "webhook-signature": signatures.join(" "),
    },
    signedWith: keys.map((k) => secretVersionLabel(k.version)),
  };
}

function secretVersionLabel(version: number): string {
  return `secret_v${version}`;
}

/**
 * The signature header as stored with an attempt: enough of each signature to tell them
 * apart when supporting a consumer, not enough to replay the request.
 */
export function redactSignatureHeader(header: string): string {
  return header
    .split(" ")
    .map((sig) => {
      const [version, value = ""] = sig.split(",");
      return `${version},${value.slice(0, 6)}…`;
    })
    .join(" ");
}
