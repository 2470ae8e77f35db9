import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { WebhookUrlPolicy, isNonPublicAddress, urlHost } from './webhook-url-policy';

/** How much of a receiver's reply is read: only the status matters, and a hostile receiver could stream forever. */
export const MAX_REPLY_BYTES = 64 * 1024;

/** The destination resolved to an address paydesk does not send to. */
export class BlockedDestinationError extends Error {
  override readonly name = 'BlockedDestination';
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  policy: WebhookUrlPolicy;
  maxReplyBytes?: number;
}

/**
 * Resolves the name at connect time and refuses if ANY of its addresses is not
 * public. Checking inside the connection's own lookup (rather than resolving
 * first and connecting later) leaves no gap for DNS rebinding: the address
 * checked is the address connected to.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { family: options.family, hints: options.hints, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => isNonPublicAddress(a.address));
    if (bad) return callback(new BlockedDestinationError(`${hostname} resolves to ${bad.address}, which is not a public address`), '');
    if (addresses.length === 0) return callback(new BlockedDestinationError(`${hostname} has no address`), '');
    if ((options as { all?: boolean }).all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * POSTs one webhook and answers the reply's status. Redirects are not followed
 * (the signed body goes only where the subscriber registered), at most
 * maxReplyBytes of the reply are read, and unless the policy allows local
 * receivers only public addresses are connected to.
 */
export function postWebhook(p: WebhookPost): Promise<{ status: number }> {
  const u = new URL(p.url);
  const host = urlHost(u);
  const guarded = !p.policy.allowInsecureLocal;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return Promise.reject(new BlockedDestinationError(`unsupported scheme ${u.protocol}`));
  // An address literal is never looked up, so it is checked here.
  if (guarded && isIP(host) !== 0 && isNonPublicAddress(host))
    return Promise.reject(new BlockedDestinationError(`${host} is not a public address`));
  const max = p.maxReplyBytes ?? MAX_REPLY_BYTES;
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        headers: { ...p.headers, 'content-length': String(Buffer.byteLength(p.body)) },
        signal: AbortSignal.timeout(p.timeoutMs),
        // A connection of its own: a reply cut short must not leave a half-read socket in a shared pool.
        agent: false,
        ...(guarded ? { lookup: publicOnlyLookup } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= max) {
            resolve({ status });
            res.destroy();
          }
        });
        res.on('end', () => resolve({ status }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(p.body);
  });
}
