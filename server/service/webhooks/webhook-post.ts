import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type AddressPolicy, literalAddress } from './address-policy';

/** Resolves a host name to all its addresses (dns.lookup by default; tests resolve their own names). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = hostname =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** A delivery refused before any connection: its target is inside the hub's network. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EHUBSHARE_FORBIDDEN_ADDRESS';
  constructor() {
    super('refused: the receiver is inside the hub\'s network');
  }
}

export class WebhookTimeoutError extends Error {
  readonly name = 'TimeoutError';
}

/**
 * The `lookup` the connection uses: every address the name resolves to must be allowed (one
 * bad answer refuses them all), checked on this very connection, so a name that resolved to a
 * public address when checked and to a private one when dialled (DNS rebinding) is refused.
 */
function checkedLookup(policy: AddressPolicy, resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      addresses => {
        if (addresses.length === 0 || (!policy.allowsName(hostname) && addresses.some(entry => !policy.allowsAddress(entry.address)))) {
          callback(new ForbiddenAddressError(), '', 4);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter(entry => entry.family === options.family) : addresses;
        if (options.all) {
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted);
        } else if (wanted.length === 0) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        } else {
          callback(null, wanted[0].address, wanted[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4)
    );
  };
}

/**
 * POSTs one webhook delivery and answers the receiver's HTTP status. Redirects are not
 * followed (a redirect is an answer like any other). The answer's body is not read.
 * @throws ForbiddenAddressError before connecting to a forbidden address; WebhookTimeoutError
 *   after `timeoutMs`; the connection's error otherwise.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { policy: AddressPolicy; resolver: Resolver; timeoutMs: number }
): Promise<number> {
  const target = new URL(url);
  const literal = literalAddress(target.hostname);
  // A literal address never goes through `lookup`: it is checked here.
  if (literal !== undefined && !options.policy.allowsAddress(literal)) {
    return Promise.reject(new ForbiddenAddressError());
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(target, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: checkedLookup(options.policy, options.resolver),
      agent: false
    });
    const timer = setTimeout(() => request.destroy(new WebhookTimeoutError(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('response', (response: IncomingMessage) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
