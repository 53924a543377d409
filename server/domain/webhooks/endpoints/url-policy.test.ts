import type dns from "node:dns";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../config";
import { checkEndpointUrl, deliveryDestination, endpointUrlProblem, guardedLookup, internalAddressKind, type Resolver } from "./url-policy";

/**
 * The webhook destination rule, form by form (docs/webhooks.md#where-webhooks-may-be-sent).
 * Nothing here connects anywhere: names are resolved by a table, not by DNS.
 */

const production = parseConfig({ HOLDFAST_DEMO: "0" }).webhooks;
const demo = parseConfig({ HOLDFAST_DEMO: "1", PORT: "3000" }).webhooks;
const allowList = parseConfig({ HOLDFAST_DEMO: "0", HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "10.1.2.3, hooks.vpn.partner.example.com, [fd00::7]" }).webhooks;

/** Every internal form the rule must refuse, as written in a URL's host, with the kind it is. */
const INTERNAL_HOSTS: [host: string, kind: string][] = [
  // loopback
  ["127.0.0.1", "loopback"],
  ["127.1.2.3", "loopback"],
  ["[::1]", "loopback"],
  // URL parsing turns decimal, hex and short IPv4 forms into dotted quads first
  ["2130706433", "loopback"],
  ["0x7f.1", "loopback"],
  ["0177.0.0.1", "loopback"],
  // unspecified
  ["0.0.0.0", "unspecified"],
  ["[::]", "unspecified"],
  // private
  ["10.0.0.5", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["100.64.1.1", "carrier-grade NAT"],
  // link-local and cloud metadata
  ["169.254.1.1", "link-local"],
  ["169.254.169.254", "cloud metadata"],
  ["169.254.170.2", "cloud metadata"],
  ["100.100.100.200", "cloud metadata"],
  ["[fd00:ec2::254]", "cloud metadata"],
  ["[fe80::1]", "link-local"],
  // unique-local and site-local
  ["[fd00::1]", "unique-local"],
  ["[fc00::1]", "unique-local"],
  ["[fec0::1]", "site-local"],
  // multicast, broadcast, reserved, documentation
  ["224.0.0.1", "multicast"],
  ["[ff02::1]", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["240.0.0.1", "reserved"],
  ["192.0.2.10", "reserved"],
  ["198.18.0.1", "reserved"],
  ["[2001:db8::1]", "reserved"],
  ["[100::1]", "reserved"],
  // IPv6 forms that carry an IPv4 address
  ["[::ffff:127.0.0.1]", "IPv4-mapped"],
  ["[::ffff:7f00:1]", "IPv4-mapped"],
  ["[::ffff:a9fe:a9fe]", "IPv4-mapped"],
  ["[::ffff:8.8.8.8]", "IPv4-mapped"],
  ["[::ffff:0:7f00:1]", "IPv4-mapped"],
  ["[::7f00:1]", "IPv4-compatible"],
  ["[::127.0.0.1]", "IPv4-compatible"],
  ["[64:ff9b::a9fe:a9fe]", "NAT64"],
  ["[64:ff9b::169.254.169.254]", "NAT64"],
  ["[64:ff9b::7f00:1]", "NAT64"],
  ["[64:ff9b:1::a00:1]", "NAT64"],
  ["[2002:7f00:1::]", "6to4"],
  ["[2002:a9fe:a9fe::1]", "6to4"],
  ["[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "Teredo"],
];

/** Names refused as written, before any lookup. */
const INTERNAL_NAMES = [
  "localhost",
  "LOCALHOST",
  "localhost.",
  "api.localhost",
  "hooks.example.com.",
  "db.internal",
  "metadata",
  "metadata.google.internal",
  "instance-data",
  "printer.local",
  "router.home.arpa",
  "intranet",
  "nas.lan",
  "1.0.0.127.in-addr.arpa",
];

const PUBLIC_HOSTS = ["hooks.example.com", "8.8.8.8", "1.1.1.1", "[2606:4700:4700::1111]", "[2a00:1450:4009:81f::200e]", "93.184.216.34"];

describe("internal addresses", () => {
  it.each(INTERNAL_HOSTS)("%s is %s", (host, kind) => {
    const url = new URL(`https://${host}/hook`);
    expect(internalAddressKind(url.hostname)).toBe(kind);
  });

  it.each(["8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4009:81f::200e"])("%s is public", (address) => {
    expect(internalAddressKind(address)).toBeNull();
  });

  it("refuses what is not an address rather than guess", () => {
    expect(internalAddressKind("example.com")).toBe("not an IP address");
    expect(internalAddressKind("fe80::1%eth0")).toBe("not an IP address");
  });
});

describe("endpoint URLs as written", () => {
  it.each(INTERNAL_HOSTS)("production refuses https://%s (%s)", (host, kind) => {
    expect(endpointUrlProblem(`https://${host}/hook`, production)).toContain(kind);
  });

  it.each(INTERNAL_HOSTS)("demo mode refuses http://%s too (%s)", (host) => {
    expect(endpointUrlProblem(`http://${host}:5432/`, demo)).toMatch(/public internet address/);
  });

  it.each(INTERNAL_NAMES)("refuses the name %s in production and in demo mode", (host) => {
    expect(endpointUrlProblem(`https://${host}/hook`, production)).toMatch(/public internet address/);
    expect(endpointUrlProblem(`https://${host}/hook`, demo)).toMatch(/public internet address/);
  });

  it.each(PUBLIC_HOSTS)("accepts https://%s", (host) => {
    expect(endpointUrlProblem(`https://${host}/hook`, production)).toBeNull();
  });

  it("production wants https, no credentials, no fragment, an absolute URL", () => {
    expect(endpointUrlProblem("http://hooks.example.com/holdfast", production)).toMatch(/https/);
    expect(endpointUrlProblem("https://user:pw@hooks.example.com/", production)).toMatch(/credentials/);
    expect(endpointUrlProblem("https://hooks.example.com/#x", production)).toMatch(/fragment/);
    expect(endpointUrlProblem("ftp://hooks.example.com/", production)).toMatch(/https/);
    expect(endpointUrlProblem("not a url", production)).toMatch(/absolute/);
    expect(endpointUrlProblem(`https://hooks.example.com/${"a".repeat(2048)}`, production)).toMatch(/2048/);
  });

  it("demo mode allows http to public hosts, and of internal ones only the app's own demo receiver", () => {
    expect(endpointUrlProblem("http://hooks.example.com/holdfast", demo)).toBeNull();
    expect(endpointUrlProblem("http://localhost:3000/api/demo-receiver/WEBSITE?latency_ms=15", demo)).toBeNull();
    expect(endpointUrlProblem("http://127.0.0.1:3000/api/demo-receiver/WEBSITE", demo)).toBeNull();
    expect(endpointUrlProblem("http://[::1]:3000/api/demo-receiver/WEBSITE", demo)).toBeNull();
    // the app's port and path only
    expect(endpointUrlProblem("http://127.0.0.1:5432/", demo)).toMatch(/loopback/);
    expect(endpointUrlProblem("http://127.0.0.1:3000/api/health", demo)).toMatch(/loopback/);
    expect(endpointUrlProblem("http://127.0.0.1:3001/api/demo-receiver/WEBSITE", demo)).toMatch(/loopback/);
    expect(endpointUrlProblem("http://169.254.169.254:3000/api/demo-receiver/WEBSITE", demo)).toMatch(/metadata/);
    // and never in production
    expect(endpointUrlProblem("https://localhost:3000/api/demo-receiver/WEBSITE", production)).toMatch(/internal name/);
  });

  it("the demo receiver is the app's address when it is public too", () => {
    const hosted = parseConfig({ HOLDFAST_DEMO: "1", HOLDFAST_PUBLIC_URL: "https://demo.holdfast.example.com/" }).webhooks;
    expect(endpointUrlProblem("https://demo.holdfast.example.com/api/demo-receiver/WEBSITE", hosted)).toBeNull();
    expect(endpointUrlProblem("https://localhost/api/demo-receiver/WEBSITE", hosted)).toMatch(/internal name/);
  });

  it("the allow-list exempts exactly the named hosts (partners' VPN hosts)", () => {
    expect(endpointUrlProblem("http://10.1.2.3/hook", allowList)).toBeNull();
    expect(endpointUrlProblem("http://hooks.vpn.partner.example.com/hook", allowList)).toBeNull();
    expect(endpointUrlProblem("https://[fd00::7]/hook", allowList)).toBeNull();
    expect(endpointUrlProblem("https://10.1.2.4/hook", allowList)).toMatch(/private/);
    expect(endpointUrlProblem("https://[fd00::8]/hook", allowList)).toMatch(/unique-local/);
  });
});

/** A resolver from a table: name → addresses. */
function table(entries: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = entries[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

describe("endpoint URLs after DNS (at save)", () => {
  const resolve = table({
    "hooks.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    "rebind.example.com": ["93.184.216.34", "127.0.0.1"],
    "nat64.example.com": ["64:ff9b::a9fe:a9fe"],
    "meta.example.com": ["169.254.169.254"],
    "vpn.partner.example.com": ["10.9.9.9"],
  });

  it("accepts a name whose every address is public", async () => {
    expect(await checkEndpointUrl("https://hooks.example.com/h", production, resolve)).toBeNull();
  });

  it.each([
    ["rebind.example.com", "127.0.0.1, loopback"],
    ["nat64.example.com", "64:ff9b::a9fe:a9fe, NAT64"],
    ["meta.example.com", "169.254.169.254, cloud metadata"],
    ["vpn.partner.example.com", "10.9.9.9, private"],
  ])("refuses %s: it resolves to %s", async (host, why) => {
    expect(await checkEndpointUrl(`https://${host}/h`, production, resolve)).toContain(why);
    expect(await checkEndpointUrl(`http://${host}/h`, demo, resolve)).toContain(why);
  });

  it("accepts a name that does not resolve now: the delivery resolves again", async () => {
    expect(await checkEndpointUrl("https://not-yet.example.com/h", production, resolve)).toBeNull();
  });

  it("does not resolve allow-listed hosts or the demo receiver", async () => {
    const vpn = parseConfig({ HOLDFAST_DEMO: "0", HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "vpn.partner.example.com" }).webhooks;
    expect(await checkEndpointUrl("https://vpn.partner.example.com/h", vpn, resolve)).toBeNull();
    expect(await checkEndpointUrl("http://localhost:3000/api/demo-receiver/WEBSITE", demo, resolve)).toBeNull();
  });
});

describe("at delivery", () => {
  function lookup(policy: Parameters<typeof guardedLookup>[0], resolve: Resolver, hostname: string) {
    return new Promise<{ error: NodeJS.ErrnoException | null; addresses: dns.LookupAddress[] }>((done) =>
      guardedLookup(policy, resolve)(hostname, { all: true }, (error, addresses) =>
        done({ error, addresses: addresses as dns.LookupAddress[] }),
      ),
    );
  }

  it("the connector's lookup refuses a name that now resolves to any internal address", async () => {
    for (const internal of ["127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "64:ff9b::7f00:1", "2002:7f00:1::", "fec0::1"]) {
      const result = await lookup(production, table({ "hooks.example.com": ["93.184.216.34", internal] }), "hooks.example.com");
      expect(result.error?.code, internal).toBe("EHOLDFAST_INTERNAL_ADDRESS");
      expect(result.addresses).toEqual([]);
    }
  });

  it("the connector's lookup hands over public addresses, and allow-listed hosts' addresses", async () => {
    const ok = await lookup(production, table({ "hooks.example.com": ["93.184.216.34"] }), "hooks.example.com");
    expect(ok).toEqual({ error: null, addresses: [{ address: "93.184.216.34", family: 4 }] });
    const vpn = parseConfig({ HOLDFAST_DEMO: "0", HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "vpn.partner.example.com" }).webhooks;
    const allowed = await lookup(vpn, table({ "vpn.partner.example.com": ["10.9.9.9"] }), "vpn.partner.example.com");
    expect(allowed.error).toBeNull();
  });

  it("judges the URL as written before connecting: literals, names and scheme", () => {
    expect(deliveryDestination("https://[64:ff9b::a9fe:a9fe]/", production)).toMatchObject({ refused: { code: "EHOLDFAST_INTERNAL_ADDRESS" } });
    expect(deliveryDestination("http://127.0.0.1:5432/", demo)).toMatchObject({ refused: { code: "EHOLDFAST_INTERNAL_ADDRESS" } });
    expect(deliveryDestination("https://localhost./", production)).toMatchObject({ refused: { code: "EHOLDFAST_INTERNAL_ADDRESS" } });
    expect(deliveryDestination("https://hooks.example.com/", production)).toEqual({ exempt: false });
    expect(deliveryDestination("http://localhost:3000/api/demo-receiver/WEBSITE", demo)).toEqual({ exempt: true });
    expect(deliveryDestination("http://10.1.2.3/hook", allowList)).toEqual({ exempt: true });
  });
});
