/**
 * The mock cloud's view of IPv4: CIDRs parsed by the repository's one IPv4 module
 * (`@hubspoke/netmodel`) with host bits rejected, failing with the error AWS returns; subnet
 * address allocation; and the public (documentation) IP pool.
 */
import {
  CidrError,
  cidrSize,
  cidrsOverlap,
  cidrWithin,
  intToIp,
  ipToInt,
  parseCidr as parseCidrWith,
  type Cidr,
} from '@hubspoke/netmodel';
import { createHash } from 'crypto';
import { fail } from './errors';

export type { Cidr };

/**
 * The first slot (of `slots`) an address with identity `seed` tries. AWS picks a free address of
 * its own choosing; picking by identity instead of by arrival keeps the account the same whichever
 * order independent registrations arrive in (Pulumi promises no order, and a program run in-process
 * and one run through the engine register in different orders).
 */
function preferredSlot(seed: string, slots: number): number {
  return createHash('sha1').update(seed).digest().readUInt32BE(0) % slots;
}
export { cidrSize };

/** Parses `a.b.c.d/n` as an AWS API does: a malformed block or one with host bits is InvalidParameterValue. */
export function parseCidr(text: string, what = 'CIDR block'): Cidr {
  try {
    return parseCidrWith(String(text), { hostBits: 'reject', what });
  } catch (e) {
    if (!(e instanceof CidrError)) throw e;
    const why = e.fault === 'host-bits' ? ' (host bits set)' : '';
    return fail(`InvalidParameterValue: ${what} '${text}' is not a valid CIDR block${why}`);
  }
}

/** True when `inner` lies entirely inside `outer`. */
export const cidrContains = (outer: Cidr, inner: Cidr): boolean => cidrWithin(inner, outer);
export const cidrOverlaps = cidrsOverlap;

/** An address given to an API call: InvalidParameterValue when it is not a dotted IPv4 address. */
function addressToInt(ip: string): number {
  try {
    return ipToInt(ip);
  } catch {
    return fail(`InvalidParameterValue: invalid IPv4 address '${ip}'`);
  }
}

/**
 * Private addresses of one subnet: AWS reserves the first four and the last address, so the first
 * usable host is base+4 and the count is size-5. With a seed (the ENI's identity) the address is
 * the first free one from a slot derived from it, so it does not depend on which ENI came first
 * (unless two seeds meet on one slot); without, allocation is sequential. Explicit addresses are
 * checked against the range and for reuse.
 */
export class SubnetAddresses {
  private next = 4;
  private readonly taken = new Set<number>();
  private readonly size: number;
  constructor(readonly cidr: Cidr) {
    this.size = cidrSize(cidr);
  }

  get available(): number {
    return this.size - 5 - this.taken.size;
  }

  allocate(subnetId: string, explicit?: string, seed?: string): string {
    if (explicit !== undefined) {
      const ip = addressToInt(explicit);
      const offset = ip - this.cidr.base;
      if (offset < 4 || offset > this.size - 2) {
        fail(
          `InvalidParameterValue: address ${explicit} is not a usable address of ${subnetId} (${this.cidr.text})`,
        );
      }
      if (this.taken.has(ip))
        fail(`InvalidIPAddress.InUse: address ${explicit} is already in use in ${subnetId}`);
      this.taken.add(ip);
      return explicit;
    }
    if (seed !== undefined) {
      const usable = this.size - 5;
      const first = preferredSlot(seed, usable);
      for (let i = 0; i < usable; i++) {
        const ip = this.cidr.base + 4 + ((first + i) % usable);
        if (!this.taken.has(ip)) {
          this.taken.add(ip);
          return intToIp(ip);
        }
      }
      fail(`InsufficientFreeAddressesInSubnet: ${subnetId} (${this.cidr.text}) has no free addresses`);
    }
    while (this.next <= this.size - 2 && this.taken.has(this.cidr.base + this.next)) this.next++;
    if (this.next > this.size - 2) {
      fail(`InsufficientFreeAddressesInSubnet: ${subnetId} (${this.cidr.text}) has no free addresses`);
    }
    const ip = this.cidr.base + this.next++;
    this.taken.add(ip);
    return intToIp(ip);
  }
}

/** Public IPs come from the documentation ranges (RFC 5737), never from real address space. */
const PUBLIC_RANGES = ['198.51.100.0/24', '203.0.113.0/24'].map((c) => parseCidr(c));

/** Public addresses, by slot; with a seed, from a slot derived from it (see SubnetAddresses). */
export class PublicIpPool {
  private index = 0;
  private readonly taken = new Set<number>();
  allocate(seed?: string): string {
    // .0 and .255 of each /24 are skipped so every address looks like a host address.
    const perRange = 254;
    const slots = perRange * PUBLIC_RANGES.length;
    const first = seed === undefined ? this.index : preferredSlot(seed, slots);
    for (let i = 0; i < slots; i++) {
      const slot = (first + i) % slots;
      if (this.taken.has(slot)) continue;
      this.taken.add(slot);
      if (seed === undefined) this.index = slot + 1;
      const range = PUBLIC_RANGES[Math.floor(slot / perRange)];
      return intToIp(range.base + 1 + (slot % perRange));
    }
    return fail(
      'AddressLimitExceeded: the mock cloud public IP pool (198.51.100.0/24, 203.0.113.0/24) is exhausted',
    );
  }
}
