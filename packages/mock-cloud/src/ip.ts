/** IPv4 arithmetic on CIDRs, subnet address allocation and the public (documentation) IP pool. */
import { fail } from './errors';

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
  size: number;
  text: string;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) fail(`invalid IPv4 address '${ip}'`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) fail(`invalid IPv4 address '${ip}'`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses `a.b.c.d/n`; a host address with bits outside the mask is invalid, as AWS says. */
export function parseCidr(text: string, what = 'CIDR block'): Cidr {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(String(text));
  if (!m || Number(m[2]) > 32) fail(`InvalidParameterValue: ${what} '${text}' is not a valid CIDR block`);
  const prefix = Number(m[2]);
  const base = ipToInt(m[1]);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    fail(`InvalidParameterValue: ${what} '${text}' is not a valid CIDR block (host bits set)`);
  }
  return { base, prefix, size, text: String(text) };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * Private addresses of one subnet: AWS reserves the first four and the last address, so the first
 * usable host is base+4 and the count is size-5. Allocation is sequential (deterministic for a
 * deterministic program); explicit addresses are checked against the range and for reuse.
 */
export class SubnetAddresses {
  private next = 4;
  private readonly taken = new Set<number>();
  constructor(readonly cidr: Cidr) {}

  get available(): number {
    return this.cidr.size - 5 - this.taken.size;
  }

  allocate(subnetId: string, explicit?: string): string {
    if (explicit !== undefined) {
      const ip = ipToInt(explicit);
      const offset = ip - this.cidr.base;
      if (offset < 4 || offset > this.cidr.size - 2) {
        fail(
          `InvalidParameterValue: address ${explicit} is not a usable address of ${subnetId} (${this.cidr.text})`,
        );
      }
      if (this.taken.has(ip))
        fail(`InvalidIPAddress.InUse: address ${explicit} is already in use in ${subnetId}`);
      this.taken.add(ip);
      return explicit;
    }
    while (this.next <= this.cidr.size - 2 && this.taken.has(this.cidr.base + this.next)) this.next++;
    if (this.next > this.cidr.size - 2) {
      fail(`InsufficientFreeAddressesInSubnet: ${subnetId} (${this.cidr.text}) has no free addresses`);
    }
    const ip = this.cidr.base + this.next++;
    this.taken.add(ip);
    return intToIp(ip);
  }
}

/** Public IPs come from the documentation ranges (RFC 5737), never from real address space. */
const PUBLIC_RANGES = ['198.51.100.0/24', '203.0.113.0/24'].map((c) => parseCidr(c));

export class PublicIpPool {
  private index = 0;
  allocate(): string {
    // .0 and .255 of each /24 are skipped so every address looks like a host address.
    const perRange = 254;
    if (this.index >= perRange * PUBLIC_RANGES.length) {
      fail(
        'AddressLimitExceeded: the mock cloud public IP pool (198.51.100.0/24, 203.0.113.0/24) is exhausted',
      );
    }
    const range = PUBLIC_RANGES[Math.floor(this.index / perRange)];
    const ip = range.base + 1 + (this.index % perRange);
    this.index++;
    return intToIp(ip);
  }
}
