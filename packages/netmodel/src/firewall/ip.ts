/**
 * IPv4/IPv6 addresses and CIDR blocks as bigints, so one containment test serves both families.
 * Kept local (instead of `netmask`) because rule sets and flows may carry IPv6.
 */

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

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  let groups: string[];
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const all = [...headGroups, ...tailGroups];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = all[all.length - 1];
  const v4 = last !== undefined && last.includes('.') ? parseIpv4(last) : undefined;
  if (last !== undefined && last.includes('.') && v4 === undefined) return undefined;
  const width = all.length + (v4 !== undefined ? 1 : 0);
  if (tail === undefined) {
    if (width !== 8) return undefined;
    groups = headGroups;
  } else {
    if (width > 7) return undefined;
    groups = [...headGroups, ...Array<string>(8 - width).fill('0'), ...tailGroups];
  }
  let value = 0n;
  for (const group of v4 !== undefined ? groups.slice(0, -1) : groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (v4 !== undefined) value = (value << 32n) | v4;
  return value;
}

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 !== undefined ? { family: 6, value: v6 } : undefined;
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
