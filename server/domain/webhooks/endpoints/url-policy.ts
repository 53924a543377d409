import dns from "node:dns";
import net from "node:net";
import type { WebhookConfig } from "../../../config";

/**
 * Which URLs an endpoint may have, and which addresses a delivery may connect to.
 *
 * Always: http or https, no credentials in the URL, at most 2,048 characters.
 * In production (config.strictUrls, i.e. not HOLDFAST_DEMO=1): https only, and neither
 * the URL's host nor any address it resolves to may be loopback, private, link-local,
 * CGNAT, multicast or otherwise internal — a partner-supplied URL must not reach into our
 * network (SSRF). Names are checked when an endpoint is saved and again at every
 * connection (a name can be re-pointed after it was saved). Hosts in
 * HOLDFAST_WEBHOOK_ALLOWED_HOSTS are exempt from both rules.
 */

export const MAX_URL_LENGTH = 2048;

const internal = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}

/** Whether an IP address is one a webhook must never be sent to in production. */
export function isInternalAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").toLowerCase();
  const family = net.isIP(ip);
  if (family === 4) return internal.check(ip, "ipv4");
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses: judge the IPv4 inside.
    const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
    if (mapped) return internal.check(mapped[1]!, "ipv4");
    const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
    if (hexMapped) {
      const hi = parseInt(hexMapped[1]!, 16);
      const lo = parseInt(hexMapped[2]!, 16);
      return internal.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, "ipv4");
    }
    return internal.check(ip, "ipv6");
  }
  return true; // not an address at all: refuse rather than guess
}

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

function isAllowListed(host: string, config: Pick<WebhookConfig, "allowedHosts">): boolean {
  return config.allowedHosts.has(host.replace(/^\[|\]$/g, "").toLowerCase());
}

/**
 * The reason `raw` cannot be an endpoint URL, or null when it may. (Names are resolved
 * at delivery time, not here: saving must not depend on a partner's DNS being up.)
 */
export function endpointUrlProblem(raw: string, config: Pick<WebhookConfig, "strictUrls" | "allowedHosts">): string | null {
  if (raw.length > MAX_URL_LENGTH) return `The URL may be at most ${MAX_URL_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Give an absolute http(s) URL, e.g. https://example.com/webhooks/holdfast.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "The URL must use https (or http outside production).";
  if (url.username || url.password) return "The URL may not contain credentials; verify our signature instead.";
  if (url.hash) return "The URL may not contain a #fragment.";
  const host = hostOf(url);
  if (!config.strictUrls || isAllowListed(host, config)) return null;
  if (url.protocol !== "https:") return "The URL must use https.";
  if (net.isIP(host) ? isInternalAddress(host) : INTERNAL_NAMES.test(host) || !host.includes(".")) {
    return "The URL must point at a public internet address, not a loopback, private or internal one.";
  }
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for undici's connector: resolves as usual, then — under production rules and
 * unless the host is allow-listed — refuses a name that resolves to an internal address.
 */
export function guardedLookup(config: Pick<WebhookConfig, "strictUrls" | "allowedHosts">) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as dns.LookupAddress[];
      if (config.strictUrls && !isAllowListed(hostname, config)) {
        const bad = list.find((a) => isInternalAddress(a.address));
        if (bad) {
          const refused: NodeJS.ErrnoException = new Error(`Refused to connect to ${hostname}: it resolves to an internal address.`);
          refused.code = "EHOLDFAST_INTERNAL_ADDRESS";
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** An IP literal in a URL is connected to without a lookup: check it directly. */
export function literalAddressRefused(url: URL, config: Pick<WebhookConfig, "strictUrls" | "allowedHosts">): boolean {
  const host = hostOf(url);
  return config.strictUrls && net.isIP(host) !== 0 && !isAllowListed(host, config) && isInternalAddress(host);
}
