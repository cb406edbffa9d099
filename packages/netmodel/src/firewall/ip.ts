/**
 * IPv4/IPv6 addresses and CIDR blocks as bigints, so one containment test serves both families
 * (rule sets and flows may carry IPv6). Parsing is ipaddr.js's; only the bigint view is ours.
 */
import ipaddr from 'ipaddr.js';

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface CidrBlock {
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
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { family: 4, value: toBigint(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) {
    return { family: 6, value: toBigint(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return undefined;
}

/** Parses `a.b.c.d/n`, an IPv6 CIDR, or a bare address (a host block). */
export function parseCidr(text: string): CidrBlock | undefined {
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
  return { family: ip.family, network, prefix, text };
}

export function cidrContains(block: CidrBlock, ip: IpAddress): boolean {
  if (block.family !== ip.family) return false;
  const hostBits = BigInt((block.family === 4 ? 32 : 128) - block.prefix);
  return ip.value >> hostBits === block.network >> hostBits;
}
