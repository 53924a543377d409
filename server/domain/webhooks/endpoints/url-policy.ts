import dns from "node:dns";
import ipaddr from "ipaddr.js";
import type { WebhookConfig } from "../../../config";

/**
 * Where a webhook may be sent: one rule, applied when an endpoint is saved
 * (`checkEndpointUrl`) and again at every connection a delivery makes (`guardedLookup`,
 * after DNS, so a name re-pointed at an internal address after it was saved — DNS
 * rebinding — is refused at the socket). docs/webhooks.md#where-webhooks-may-be-sent.
 *
 * Always: an absolute http(s) URL, no credentials, no #fragment, at most 2,048 characters;
 * no trailing-dot name, no internal name (localhost, *.internal, a single label, cloud
 * metadata names); and every address it is or resolves to is a public unicast one — not
 * loopback, private, CGNAT, link-local (cloud metadata), unique-local, site-local,
 * multicast, reserved or documentation, and no IPv6 form that carries an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), whose inside we would otherwise
 * have to trust.
 * In production (config.strictUrls, i.e. not HOLDFAST_DEMO=1): https only.
 * Exempt from all of it: hosts in HOLDFAST_WEBHOOK_ALLOWED_HOSTS (partners' VPN hosts),
 * and in demo mode the app's own demo receiver (`{app}/api/demo-receiver/…`), the one
 * internal destination a demo may have.
 */

export const MAX_URL_LENGTH = 2048;

export type UrlPolicy = Pick<WebhookConfig, "strictUrls" | "allowedHosts" | "demoReceiver">;

/** Why an address is not a public destination (null: it is one). */
export type AddressKind =
  | "unspecified"
  | "loopback"
  | "private"
  | "carrier-grade NAT"
  | "link-local"
  | "cloud metadata"
  | "unique-local"
  | "site-local"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "IPv4-mapped"
  | "IPv4-compatible"
  | "NAT64"
  | "6to4"
  | "Teredo"
  | "not an IP address";

/** Cloud providers' instance-metadata services, named so the refusal says what was hit. */
const METADATA_ADDRESSES = new Set([
  "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  "169.254.170.2", // AWS ECS task metadata
  "100.100.100.200", // Alibaba Cloud
  "192.0.0.192", // Oracle Cloud (legacy)
  "fd00:ec2::254", // AWS IPv6
]);

const IPV4_KINDS: Record<string, AddressKind> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade NAT",
  private: "private",
  reserved: "reserved",
  as112: "reserved",
  amt: "reserved",
};

const IPV6_KINDS: Record<string, AddressKind> = {
  unspecified: "unspecified",
  linkLocal: "link-local",
  multicast: "multicast",
  loopback: "loopback",
  uniqueLocal: "unique-local",
  ipv4Mapped: "IPv4-mapped",
  deprecatedSiteLocal: "site-local",
  rfc6145: "IPv4-mapped",
  rfc6052: "NAT64",
  "6to4": "6to4",
  teredo: "Teredo",
};

/** Global unicast IPv6 is 2000::/3; anything outside it is not a destination. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
/** ::/96, the deprecated IPv4-compatible form (`[::7f00:1]` is 127.0.0.1). */
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

/**
 * What kind of internal address `address` is, or null for a public unicast one. A
 * bracketed IPv6 literal (as in a URL) is accepted; a zone id is refused.
 */
export function internalAddressKind(address: string): AddressKind | null {
  const text = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (!ipaddr.isValid(text) || text.includes("%")) return "not an IP address";
  // ipaddr.isValid accepts the classful shorthands ("127.1", "0x7f.1") that URL parsing
  // would have normalised already; a resolver never returns them: judge the dotted form.
  const ip = ipaddr.parse(text);
  if (METADATA_ADDRESSES.has(ip.toNormalizedString()) || METADATA_ADDRESSES.has(ip.toString())) return "cloud metadata";
  const range = ip.range();
  if (ip.kind() === "ipv4") return range === "unicast" ? null : (IPV4_KINDS[range] ?? "reserved");
  const v6 = ip as ipaddr.IPv6;
  if (IPV6_KINDS[range]) return IPV6_KINDS[range]!;
  if (v6.match(IPV4_COMPATIBLE)) return "IPv4-compatible";
  if (range !== "unicast" || !v6.match(GLOBAL_UNICAST_V6)) return "reserved";
  return null;
}

/** Whether an IP address is one a webhook must never be sent to. */
export function isInternalAddress(address: string): boolean {
  return internalAddressKind(address) !== null;
}

/** Names that are internal by construction (never resolved: refused as written). */
const INTERNAL_NAMES =
  /(^|\.)(localhost|localdomain|local|internal|intranet|lan|corp|home|home\.arpa|in-addr\.arpa|ip6\.arpa|test|invalid|example)$/;
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal"]);

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host) && (host.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(host));
}

function isAllowListed(host: string, policy: Pick<UrlPolicy, "allowedHosts">): boolean {
  return policy.allowedHosts.has(host.replace(/^\[|\]$/g, "").toLowerCase());
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/**
 * Whether `url` is the app's own demo receiver (demo mode only): the app's scheme and
 * port, a path under /api/demo-receiver/, and the app's host — or, when the app is
 * reached on loopback, any loopback spelling of it (localhost, 127.0.0.1, [::1]).
 */
export function isDemoReceiver(url: URL, policy: Pick<UrlPolicy, "strictUrls" | "demoReceiver">): boolean {
  if (policy.strictUrls || !policy.demoReceiver) return false;
  let app: URL;
  try {
    app = new URL(policy.demoReceiver);
  } catch {
    return false;
  }
  if (url.protocol !== app.protocol || url.port !== app.port) return false;
  if (!url.pathname.startsWith("/api/demo-receiver/")) return false;
  const [host, appHost] = [hostOf(url), hostOf(app)];
  return host === appHost || (LOOPBACK_NAMES.has(host) && LOOPBACK_NAMES.has(appHost));
}

/** The syntax every endpoint URL must have, in any mode; the parsed URL or the reason. */
function parseEndpointUrl(raw: string): URL | string {
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
  return url;
}

const NOT_PUBLIC = "The URL must point at a public internet address, not a loopback, private or internal one";

/**
 * The reason `raw` cannot be a webhook destination, judged without DNS (the URL as
 * written: scheme, names, IP literals), or null when it may be one so far. An exempt URL
 * (allow-listed host, the demo receiver) is null here and skips the resolver too.
 */
export function endpointUrlProblem(raw: string, policy: UrlPolicy): string | null {
  const url = parseEndpointUrl(raw);
  if (typeof url === "string") return url;
  const host = hostOf(url);
  if (isAllowListed(host, policy) || isDemoReceiver(url, policy)) return null;
  if (policy.strictUrls && url.protocol !== "https:") return "The URL must use https.";
  if (host.endsWith(".")) return `${NOT_PUBLIC}: write the host without a trailing dot.`;
  if (isIpLiteral(host)) {
    const kind = internalAddressKind(host);
    return kind ? `${NOT_PUBLIC} (${host} is ${kind}).` : null;
  }
  if (METADATA_NAMES.has(host)) return `${NOT_PUBLIC} (${host} is a cloud metadata service).`;
  if (INTERNAL_NAMES.test(host) || !host.includes(".")) return `${NOT_PUBLIC} (${host} is an internal name).`;
  return null;
}

/** One name → addresses resolver: node's `dns.lookup` by default; tests pass their own. */
export type Resolver = (hostname: string) => Promise<dns.LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The first address of `addresses` that may not be connected to, with its kind. */
function firstInternal(addresses: readonly dns.LookupAddress[]): { address: string; kind: AddressKind } | null {
  for (const { address } of addresses) {
    const kind = internalAddressKind(address);
    if (kind) return { address, kind };
  }
  return null;
}

/** How long saving waits for DNS: a name that does not resolve in time is judged at delivery. */
const SAVE_LOOKUP_TIMEOUT_MS = 3000;

/**
 * The whole rule at save time: the URL as written, then — for a name — every address it
 * resolves to now. A name that does not resolve (yet, or not from here) is accepted:
 * saving must not depend on a partner's DNS being up, and every delivery resolves again.
 */
export async function checkEndpointUrl(raw: string, policy: UrlPolicy, resolve: Resolver = systemResolver): Promise<string | null> {
  const problem = endpointUrlProblem(raw, policy);
  if (problem) return problem;
  const url = new URL(raw);
  const host = hostOf(url);
  if (isIpLiteral(host) || isAllowListed(host, policy) || isDemoReceiver(url, policy)) return null;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolve(host).catch(() => [] as dns.LookupAddress[]),
    new Promise<dns.LookupAddress[]>((done) => {
      timer = setTimeout(() => done([]), SAVE_LOOKUP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  const bad = firstInternal(addresses);
  return bad ? `${NOT_PUBLIC} (${host} resolves to ${bad.address}, ${bad.kind}).` : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

export const INTERNAL_ADDRESS_CODE = "EHOLDFAST_INTERNAL_ADDRESS";

function refusal(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: INTERNAL_ADDRESS_CODE });
}

/**
 * A `lookup` for undici's connector: resolves, then refuses the connection when any
 * address the name has now is internal (unless the host is allow-listed). The socket
 * connects to exactly the addresses judged here, so a re-pointed name cannot slip
 * between the check and the connect.
 */
export function guardedLookup(policy: Pick<UrlPolicy, "allowedHosts"> | "exempt", resolve: Resolver = systemResolver) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (list) => {
        const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
        if (policy !== "exempt" && !isAllowListed(host, policy)) {
          const bad = firstInternal(list);
          if (bad) return callback(refusal(`Refused to connect to ${hostname}: it resolves to ${bad.address} (${bad.kind}).`), []);
        }
        const wanted = options.family === 4 || options.family === 6 ? list.filter((a) => a.family === options.family) : list;
        if (options.all) return callback(null, wanted);
        const first = wanted[0];
        if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), []);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

/**
 * The check a delivery makes before connecting: the URL as written (an IP literal is
 * connected to without a lookup, so it is judged here), and whether it is exempt from
 * the resolver's check. Returns the refusal, or how to connect.
 */
export function deliveryDestination(raw: string, policy: UrlPolicy): { refused: NodeJS.ErrnoException } | { exempt: boolean } {
  const problem = endpointUrlProblem(raw, policy);
  if (problem) return { refused: refusal(`Refused to send: ${problem}`) };
  const url = new URL(raw);
  return { exempt: isAllowListed(hostOf(url), policy) || isDemoReceiver(url, policy) };
}
