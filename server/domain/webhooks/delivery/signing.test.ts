import { Webhook as StandardWebhook, WebhookVerificationError } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { encryptSecret } from "@/server/domain/shared/secrets";
import {
  generateEndpointSecret,
  PREVIOUS_SECRET_VALIDITY_MS,
  redactSignatureHeader,
  signingKeys,
  signWebhook,
  type EndpointSecrets,
} from "./signing";

/**
 * The Standard Webhooks test vector, from the reference libraries' own tests in
 * github.com/standard-webhooks/standard-webhooks: libraries/javascript/src/webhook.test.ts
 * ("sign function works") and libraries/go/webhook_test.go (TestWebhookSign) carry the
 * same one. The spec itself (spec/standard-webhooks.md) defines the scheme
 * `v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))` but publishes no vector.
 */
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

function secretsOf(secret: string, extra: Partial<EndpointSecrets> = {}): EndpointSecrets {
  return { secretCiphertext: encryptSecret(secret), secretVersion: 1, previousSecretCiphertext: null, previousSecretExpiresAt: null, ...extra };
}

function headersFor(secrets: EndpointSecrets, message: { id: string; timestamp: Date; body: string }, now = message.timestamp) {
  return signWebhook(signingKeys(secrets, now), message);
}

describe("Standard Webhooks signing", () => {
  it("matches the reference libraries' test vector", () => {
    const { headers } = headersFor(secretsOf(VECTOR.secret), {
      id: VECTOR.id,
      timestamp: new Date(VECTOR.timestamp * 1000),
      body: VECTOR.body,
    });
    expect(headers).toEqual({ "webhook-id": VECTOR.id, "webhook-timestamp": String(VECTOR.timestamp), "webhook-signature": VECTOR.signature });
  });

  it("verifies with standardwebhooks and with svix, and any tampering fails both", () => {
    const secret = generateEndpointSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const message = { id: "evt_01jh0000000000000000000000", timestamp: new Date(), body: JSON.stringify({ id: "evt_1", data: { n: 1 } }) };
    const { headers, signedWith } = headersFor(secretsOf(secret), message);
    expect(signedWith).toEqual(["secret_v1"]);
    expect(new StandardWebhook(secret).verify(message.body, { ...headers })).toEqual(JSON.parse(message.body));
    expect(new SvixWebhook(secret).verify(message.body, { ...headers })).toEqual(JSON.parse(message.body));

    const tampered = [
      { body: message.body, headers: { ...headers, "webhook-id": "evt_01jh0000000000000000000001" } },
      { body: message.body, headers: { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) + 1) } },
      { body: message.body.replace('"n":1', '"n":2'), headers },
      { body: message.body, headers: { ...headers, "webhook-signature": headers["webhook-signature"].replace(/.(?==$)/, (c) => (c === "A" ? "B" : "A")) } },
    ];
    for (const t of tampered) {
      expect(() => new StandardWebhook(secret).verify(t.body, { ...t.headers })).toThrow(WebhookVerificationError);
      expect(() => new SvixWebhook(secret).verify(t.body, { ...t.headers })).toThrow();
    }
    // and a different secret
    expect(() => new StandardWebhook(generateEndpointSecret()).verify(message.body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it("signs with both secrets during a rotation, and only the new one after 24 h", () => {
    const oldSecret = generateEndpointSecret();
    const newSecret = generateEndpointSecret();
    const rotatedAt = new Date();
    const secrets = secretsOf(newSecret, {
      secretVersion: 2,
      previousSecretCiphertext: encryptSecret(oldSecret),
      previousSecretExpiresAt: new Date(rotatedAt.getTime() + PREVIOUS_SECRET_VALIDITY_MS),
    });
    const message = { id: "evt_01jh0000000000000000000002", timestamp: new Date(), body: '{"id":"x"}' };
    const during = headersFor(secrets, message, rotatedAt);
    expect(during.signedWith).toEqual(["secret_v2", "secret_v1"]);
    expect(during.headers["webhook-signature"].split(" ")).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(() => new StandardWebhook(secret).verify(message.body, { ...during.headers })).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(message.body, { ...during.headers })).not.toThrow();
    }

    const after = headersFor(secrets, message, new Date(rotatedAt.getTime() + PREVIOUS_SECRET_VALIDITY_MS + 1));
    expect(after.signedWith).toEqual(["secret_v2"]);
    expect(() => new StandardWebhook(newSecret).verify(message.body, { ...after.headers })).not.toThrow();
    expect(() => new StandardWebhook(oldSecret).verify(message.body, { ...after.headers })).toThrow(WebhookVerificationError);
  });

  it("stores signatures only in a form that cannot be replayed", () => {
    const redacted = redactSignatureHeader("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");
    expect(redacted).toBe("v1,g0hM9S… v1,Ceo5qE…");
  });
});
