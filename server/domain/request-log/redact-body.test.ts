import { describe, expect, it } from "vitest";
import { capUtf8, REDACTED, redactBody } from "./redact-body";

describe("redactBody", () => {
  it("drops the values of secret-named fields at any depth and keeps everything else", () => {
    const raw = JSON.stringify({
      id: "we_1",
      url: "https://example.com/hooks",
      secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
      secret_version: 2,
      previous_secret_expires_at: null,
      nested: { access_code: "4921", Signing_Secret: "abc", api_key: "k", list: [{ gate_code: "1234", password: "p" }] },
      customer: { name: "Ada", email: "ada@example.com" },
    });
    const out = JSON.parse(redactBody(raw)!.text);
    expect(out).toEqual({
      id: "we_1",
      url: "https://example.com/hooks",
      secret: REDACTED,
      secret_version: 2,
      previous_secret_expires_at: null,
      nested: { access_code: REDACTED, Signing_Secret: REDACTED, api_key: REDACTED, list: [{ gate_code: REDACTED, password: REDACTED }] },
      customer: { name: "Ada", email: "ada@example.com" },
    });
  });

  it("replaces API keys, signing secrets and bearer credentials wherever they appear, JSON or not", () => {
    const key = "hf_live_0123456789abcdefghijABCDEFGHIJ0123456789";
    const json = redactBody(JSON.stringify({ note: `my key is ${key}`, hint: "whsec_AAAABBBBCCCC==" }))!.text;
    expect(json).not.toContain(key);
    expect(json).not.toContain("whsec_AAAA");
    expect(JSON.parse(json)).toEqual({ note: `my key is ${REDACTED}`, hint: REDACTED });
    const text = redactBody(`not json; Authorization: Bearer ${key}`)!.text;
    expect(text).not.toContain(key);
    expect(text).toBe(`not json; Authorization: ${REDACTED}`);
  });

  it("caps at 16 KB without splitting a character, and says so", () => {
    const big = JSON.stringify({ note: "é".repeat(20_000) });
    const out = redactBody(big)!;
    expect(out.truncated).toBe(true);
    expect(Buffer.byteLength(out.text, "utf8")).toBeLessThanOrEqual(16 * 1024);
    expect(out.text).not.toContain("\uFFFD");
    expect(capUtf8("small")).toEqual({ text: "small", truncated: false });
    expect(redactBody("")).toBeNull();
    expect(redactBody(null)).toBeNull();
  });
});
