/**
 * The one IPv4/CIDR module of the repository (the stack components, the mock cloud and the network
 * model all use it). Parsing is ipaddr.js's; what is ours is the integer view the model computes
 * with (route lookups and rule matches are integer compares, not string parsing on every hop), the
 * bigint view that lets firewall rules hold IPv4 and IPv6 alike, and one explicit rule for host bits.
 *
 * Host bits (`10.0.0.1/24`): AWS rejects them in every API that takes a CIDR, so code that plans or
 * creates resources passes `hostBits: 'reject'`; code that reads what already exists (a snapshot,
 * a Suricata rule) passes `hostBits: 'clear'` and keeps the network part. The caller always says
 * which: there is no default to disagree about.
 */
import ipaddr from 'ipaddr.js';

export type HostBits = 'reject' | 'clear';

export interface CidrOptions {
  /** `reject` (AWS API inputs: an error naming the network address) or `clear` (mask them off). */
  hostBits: HostBits;
  /** What the value is, for messages: `DestinationCidrBlock`, `spoke-a:vpcCidr`, ... */
  what?: string;
}

/** An IPv4 block as unsigned 32-bit integers. */
export interface Cidr {
  /** Network address (host bits cleared), unsigned. */
  base: number;
  prefix: number;
  /** Netmask, unsigned. */
  mask: number;
  /** The text it was parsed from. */
  text: string;
}

/**
 * Addresses parsed so far: the tracer converts the same addresses at every hop, and a Map hit is
 * cheaper than the library's regular expressions. Bounded so a long run cannot grow it.
 */
const parsed = new Map<string, number>();
const PARSED_LIMIT = 1 << 16;

/** A dotted-quad IPv4 address, nothing else (no `127.1`, `0x7f.0.0.1` or leading zeros). */
export function isIpv4(text: string): boolean {
  return typeof text === 'string' && (parsed.has(text) || ipaddr.IPv4.isValidFourPartDecimal(text));
}

/** Parses a dotted IPv4 address; throws naming the value (and `what`) when it is not one. */
export function ipToInt(ip: string, what = 'IP address'): number {
  const hit = parsed.get(ip);
  if (hit !== undefined) return hit;
  if (!isIpv4(ip)) throw new Error(`invalid ${what} "${ip}": expected a dotted IPv4 address`);
  const [a, b, c, d] = ipaddr.IPv4.parse(ip).octets as [number, number, number, number];
  const n = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(ip, n);
  return n;
}

export function intToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Why a CIDR was refused, so callers that speak another dialect (the mock cloud's AWS errors) can say it their way. */
export type CidrFault = 'malformed' | 'prefix-length' | 'host-bits';

export class CidrError extends Error {
  constructor(
    message: string,
    readonly fault: CidrFault,
  ) {
    super(message);
    this.name = 'CidrError';
  }
}

/** Parses `a.b.c.d/n` (the prefix length is required), with the caller's host-bit rule. */
export function parseCidr(text: string, options: CidrOptions): Cidr {
  const what = options.what ?? 'CIDR';
  const slash = typeof text === 'string' ? text.indexOf('/') : -1;
  const addr = slash < 0 ? '' : text.slice(0, slash);
  const len = slash < 0 ? '' : text.slice(slash + 1);
  if (!isIpv4(addr) || !/^\d{1,2}$/.test(len))
    throw new CidrError(
      `invalid ${what}: ${JSON.stringify(text)} is not an IPv4 CIDR block like 10.0.0.0/16`,
      'malformed',
    );
  const prefix = Number(len);
  if (prefix > 32)
    throw new CidrError(
      `invalid ${what} "${text}": not a valid CIDR block (prefix length must be 0..32)`,
      'prefix-length',
    );
  const mask = maskOf(prefix);
  const ip = ipToInt(addr, what);
  const base = (ip & mask) >>> 0;
  if (base !== ip && options.hostBits === 'reject')
    throw new CidrError(
      `invalid ${what} "${text}": host bits set; did you mean ${intToIp(base)}/${prefix}?`,
      'host-bits',
    );
  return { base, prefix, mask, text };
}

/** The block of length `prefix` starting at `base` (which must be aligned to it). */
export function cidrAt(base: number, prefix: number): Cidr {
  const mask = maskOf(prefix);
  if ((base & mask) >>> 0 !== base) throw new Error(`${intToIp(base)} is not aligned to a /${prefix}`);
  return { base, prefix, mask, text: `${intToIp(base)}/${prefix}` };
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return (ip & cidr.mask) >>> 0 === cidr.base;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.base);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrWithin(a, b) || cidrWithin(b, a);
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** The last address of the block, unsigned. */
export function lastAddress(cidr: Cidr): number {
  return cidr.base + cidrSize(cidr) - 1;
}

/** The block of the same length right after `cidr`, or undefined past 255.255.255.255. */
export function nextCidr(cidr: Cidr): Cidr | undefined {
  const base = cidr.base + cidrSize(cidr);
  return base > 0xffffffff ? undefined : cidrAt(base, cidr.prefix);
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
  parseCidr(c, { hostBits: 'reject' }),
);

/** RFC 1918 or shared address space (RFC 6598): never routable on the internet. */
export function isPrivateIp(ip: number): boolean {
  return PRIVATE_RANGES.some((r) => cidrContains(r, ip));
}

// ---- IPv4 and IPv6 alike (firewall rules and flows may carry either) -----------------------------

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpBlock {
  family: 4 | 6;
  network: bigint;
  prefix: number;
  text: string;
}

function toBigint(bytes: number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** A dotted-quad IPv4 or an IPv6 address; anything else (incl. `127.1`, `0x7f.0.0.1`) is undefined. */
export function parseIp(text: string): IpAddress | undefined {
  if (isIpv4(text)) return { family: 4, value: toBigint(ipaddr.IPv4.parse(text).toByteArray()) };
  if (text.includes(':') && ipaddr.IPv6.isValid(text))
    return { family: 6, value: toBigint(ipaddr.IPv6.parse(text).toByteArray()) };
  return undefined;
}

/**
 * An IPv4 or IPv6 block (`a.b.c.d/n`, `2001:db8::/32`) or a bare address (a host block); undefined
 * when it is none of these, or when it has host bits and the caller rejects them.
 */
export function parseIpBlock(text: string, options: Pick<CidrOptions, 'hostBits'>): IpBlock | undefined {
  const [addr, prefixText, extra] = text.split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  if (network !== ip.value && options.hostBits === 'reject') return undefined;
  return { family: ip.family, network, prefix, text };
}

export function ipBlockContains(block: IpBlock, ip: IpAddress): boolean {
  if (block.family !== ip.family) return false;
  const hostBits = BigInt((block.family === 4 ? 32 : 128) - block.prefix);
  return ip.value >> hostBits === block.network >> hostBits;
}
