/**
 * IPv4 addresses and CIDRs as unsigned 32-bit integers, so route lookups and rule matches are
 * integer compares instead of string parsing on every hop.
 */

export interface Cidr {
  /** Network address (host bits cleared), unsigned. */
  base: number;
  prefix: number;
  /** Netmask, unsigned. */
  mask: number;
  text: string;
}

/** Parses a dotted IPv4 address; throws naming the value (and `what`) when it is not one. */
export function ipToInt(ip: string, what = 'IP address'): number {
  // Hand-rolled (no regex, no split): this runs several times per hop.
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3) break;
    } else if (c === 46 && digits > 0 && dots < 3) {
      if (octet > 255) throw new Error(`invalid ${what} "${ip}": octet ${octet} > 255`);
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      digits = 4; // invalid character
      break;
    }
  }
  if (dots !== 3 || digits === 0 || digits > 3 || typeof ip !== 'string')
    throw new Error(`invalid ${what} "${ip}": expected a dotted IPv4 address`);
  if (octet > 255) throw new Error(`invalid ${what} "${ip}": octet ${octet} > 255`);
  return n * 256 + octet;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`; a bare address is a /32. Host bits are cleared (AWS rejects them, we tolerate). */
export function parseCidr(text: string, what = 'CIDR'): Cidr {
  const [ip, len, extra] = text.split('/');
  if (extra !== undefined || ip === undefined) throw new Error(`invalid ${what} "${text}"`);
  const prefix = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32 || (len !== undefined && !/^\d+$/.test(len))) {
    throw new Error(`invalid ${what} "${text}": prefix length must be 0..32`);
  }
  const mask = maskOf(prefix);
  const base = (ipToInt(ip, what) & mask) >>> 0;
  return { base, prefix, mask, text };
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return (ip & cidr.mask) >>> 0 === cidr.base;
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** `nth` address of a block as text (0 = network address). */
export function nthAddress(cidr: Cidr, nth: number): string {
  if (nth < 0 || nth >= cidrSize(cidr)) throw new Error(`address #${nth} is outside ${cidr.text}`);
  return intToIp(cidr.base + nth);
}

/** A sub-block: the `index`th block of length `prefix` inside `cidr`. */
export function subCidr(cidr: Cidr, prefix: number, index: number): string {
  if (prefix < cidr.prefix) throw new Error(`/${prefix} does not fit in ${cidr.text}`);
  const count = 2 ** (prefix - cidr.prefix);
  if (index < 0 || index >= count) throw new Error(`block #${index} of /${prefix} is outside ${cidr.text}`);
  return `${intToIp(cidr.base + index * 2 ** (32 - prefix))}/${prefix}`;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) =>
  parseCidr(c),
);

/** RFC 1918 or shared address space (RFC 6598): never routable on the internet. */
export function isPrivateIp(ip: number): boolean {
  return PRIVATE_RANGES.some((r) => cidrContains(r, ip));
}
