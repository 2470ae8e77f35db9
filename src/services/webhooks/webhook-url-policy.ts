import { BlockList, isIP } from 'node:net';

/**
 * Where paydesk may send webhooks. A `payments:read` token registers the URL,
 * so without these rules any ERP integration could make paydesk POST into the
 * internal network (cloud metadata, admin consoles, the database host).
 */
export interface WebhookUrlPolicy {
  /**
   * Lets development and tests use a receiver on this machine: http to a
   * loopback host, and sending to private addresses. False unless the
   * operator turns it on (WEBHOOK_ALLOW_LOCAL=on, see webhookPolicyFrom).
   */
  allowInsecureLocal?: boolean;
}

/**
 * The policy the composition root uses: the guard is on unless the operator said
 * otherwise (WEBHOOK_ALLOW_LOCAL), never because of NODE_ENV alone; switching it off
 * is logged as a warning at every start so it cannot go unnoticed in production.
 */
export function webhookPolicyFrom(
  settings: { allowInsecureLocal: boolean },
  log: { warn(obj: object, msg: string): void },
): Required<WebhookUrlPolicy> {
  if (settings.allowInsecureLocal)
    log.warn({ setting: 'WEBHOOK_ALLOW_LOCAL' }, 'webhook SSRF guard relaxed: http and loopback/private receivers are allowed (development only)');
  return { allowInsecureLocal: settings.allowInsecureLocal };
}

// Private, loopback, link-local, unique-local and other non-public ranges (RFC 6890 and friends).
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network": 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
// (IPv4-mapped IPv6 addresses such as ::ffff:10.0.0.1 are matched against the IPv4 ranges by BlockList itself.)

/** True when the address is not a public unicast address. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: never connect to it
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The URL's host without IPv6 brackets. */
export const urlHost = (u: URL): string => u.hostname.replace(/^\[(.*)\]$/, '$1');

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(h);
  return false;
}

export type UrlVerdict = 'ok' | 'invalid' | 'not_allowed';

/**
 * Checks a URL at registration: an http(s) URL without credentials ('invalid'
 * otherwise), https to a host that is not obviously internal ('not_allowed'
 * otherwise). Names are resolved again at every send (webhook-http.ts), so a
 * name that points inside later is still refused.
 */
export function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy = {}): UrlVerdict {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'invalid';
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return 'invalid';
  const host = urlHost(u);
  const loopback = isLoopbackHost(host);
  if (policy.allowInsecureLocal) return u.protocol === 'https:' || loopback ? 'ok' : 'not_allowed';
  if (u.protocol !== 'https:' || loopback) return 'not_allowed';
  if (isIP(host) !== 0 && isNonPublicAddress(host)) return 'not_allowed';
  return 'ok';
}
