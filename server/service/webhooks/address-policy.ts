import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may connect. A webhook's URL is written by a project admin or team maintainer,
 * and the service POSTs from inside the hub's network: without this, a webhook reaches the hub's
 * API, the cloud's metadata service or any pod, and its delivery log tells which ports answer.
 * So every address a delivery would dial — after DNS, at connect time, on every attempt — is
 * refused when it is loopback, unspecified, link-local, private, shared (CGNAT), reserved,
 * multicast, or an IPv6 form that embeds such an IPv4 address (IPv4-mapped, NAT64, 6to4).
 */
export interface AddressPolicyOptions {
  /** Loopback (this machine) may be reached, over http too: for tests and local receivers. */
  allowLoopbackHttp: boolean;
  /** Host names (exactly) and addresses or CIDR ranges the operator lets webhooks reach. */
  allowedHosts: readonly string[];
}

const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4]
];

const BLOCKED_V6: [string, number][] = [
  // ::/96 holds the unspecified and loopback addresses and the old IPv4-compatible form.
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8]
];

const blocked = new BlockList();
for (const [network, prefix] of BLOCKED_V4) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of BLOCKED_V6) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map(group => parseInt(group, 16));
}

const v4Of = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/** The IPv4 address an IPv6 address stands for (IPv4-mapped, NAT64 well-known prefix, 6to4), if any. */
function embeddedV4(address: string): string | undefined {
  const g = groupsOf(address);
  if (g.slice(0, 5).every(group => group === 0) && g[5] === 0xffff) {
    return v4Of(g[6], g[7]);
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every(group => group === 0)) {
    return v4Of(g[6], g[7]);
  }
  if (g[0] === 0x2002) {
    return v4Of(g[1], g[2]);
  }
  return undefined;
}

export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    return address.startsWith('127.');
  }
  const v4 = embeddedV4(address);
  return v4 !== undefined ? v4.startsWith('127.') : groupsOf(address).every((group, index) => group === (index === 7 ? 1 : 0));
}

/** Whether a host name means this machine, by its name alone. */
export function isLoopbackName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
}

/** The literal address in a URL's hostname (without IPv6 brackets), or undefined for a name. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare : undefined;
}

export class AddressPolicy {
  private readonly allowedNames = new Set<string>();
  private readonly allowedRanges = new BlockList();

  /** @throws Error naming an entry of `allowedHosts` that is neither a host name nor an address or CIDR range. */
  constructor(private readonly options: AddressPolicyOptions) {
    for (const entry of options.allowedHosts) {
      const [network, prefix] = entry.split('/');
      const family = isIP(network);
      if (family !== 0) {
        const type = family === 4 ? 'ipv4' : 'ipv6';
        const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
        if (!/^\d{1,3}$/.test(prefix ?? '0') || bits > (family === 4 ? 32 : 128)) {
          throw new Error(`"${entry}" is not an address range.`);
        }
        this.allowedRanges.addSubnet(network, bits, type);
      } else if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry) && prefix === undefined) {
        this.allowedNames.add(entry.toLowerCase());
      } else {
        throw new Error(`"${entry}" is not a host name, an address or an address range.`);
      }
    }
  }

  get allowLoopbackHttp(): boolean {
    return this.options.allowLoopbackHttp;
  }

  /** Whether the operator let webhooks reach this host name, whatever it resolves to. */
  allowsName(hostname: string): boolean {
    return this.allowedNames.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  /** Whether a delivery may connect to `address` (an IPv4 or IPv6 address, as resolved). */
  allowsAddress(address: string): boolean {
    const family = isIP(address);
    if (family === 0) {
      return false;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowedRanges.check(address, type)) {
      return true;
    }
    if (this.options.allowLoopbackHttp && isLoopbackAddress(address)) {
      return true;
    }
    if (blocked.check(address, type)) {
      return false;
    }
    const v4 = family === 6 ? embeddedV4(address) : undefined;
    return v4 === undefined || this.allowsAddress(v4);
  }
}
