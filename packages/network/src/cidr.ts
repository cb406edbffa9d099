/**
 * CIDR planning and validation for a hub-and-spoke plan: containment in the supernet, no overlaps,
 * and carving a VPC into per-AZ subnets that tile it exactly (awsx's "Exact" strategy rejects
 * gaps). Parsing and block arithmetic are the repository's one IPv4 module (`@hubspoke/netmodel`),
 * with host bits rejected, as every AWS API that takes a CIDR rejects them.
 */
import {
  cidrAt,
  cidrsOverlap,
  cidrWithin,
  nextCidr,
  parseCidr as parseCidrWith,
  type Cidr,
} from '@hubspoke/netmodel';

/** A CIDR with a label saying where it came from, so errors can name both sides. */
export interface NamedCidr {
  name: string;
  cidr: string;
}

/** AWS's smallest subnet is a /28 and its largest VPC a /16. */
export const MIN_SUBNET_PREFIX = 28;
export const MAX_VPC_PREFIX = 16;

/** Parses an IPv4 CIDR, rejecting host bits (AWS rejects `10.0.0.1/24`). */
export function parseCidr(cidr: string, label = 'CIDR'): Cidr {
  return parseCidrWith(cidr, { hostBits: 'reject', what: label });
}

export function cidrContains(outer: string, inner: string): boolean {
  return cidrWithin(parseCidr(inner), parseCidr(outer));
}

/** Throws naming both CIDRs when `inner` is not inside `outer`. */
export function assertWithin(outer: NamedCidr, inner: NamedCidr): void {
  const o = parseCidr(outer.cidr, outer.name);
  const i = parseCidr(inner.cidr, inner.name);
  if (!cidrWithin(i, o)) {
    throw new Error(`${inner.name} ${inner.cidr} is outside ${outer.name} ${outer.cidr}`);
  }
}

/** Throws naming the first overlapping pair. */
export function assertNoOverlap(cidrs: NamedCidr[]): void {
  const parsed = cidrs.map((c) => parseCidr(c.cidr, c.name));
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      if (cidrsOverlap(parsed[i], parsed[j])) {
        throw new Error(
          `${cidrs[i].name} ${cidrs[i].cidr} overlaps ${cidrs[j].name} ${cidrs[j].cidr}; CIDRs in one network must be disjoint`,
        );
      }
    }
  }
}

/** Validates a VPC CIDR: a valid block, /16 to /28 as AWS allows. */
export function assertVpcCidr(cidr: string, label: string): void {
  const block = parseCidr(cidr, label);
  if (block.prefix < MAX_VPC_PREFIX || block.prefix > MIN_SUBNET_PREFIX) {
    throw new Error(
      `${label} ${cidr} must be between /${MAX_VPC_PREFIX} and /${MIN_SUBNET_PREFIX} (AWS VPC limits)`,
    );
  }
}

/**
 * The first block of `prefix` length inside `supernet` that overlaps none of `taken`.
 * Used by the add-spoke tool to pick the next free spoke CIDR.
 */
export function nextFreeCidr(supernet: string, taken: string[], prefix: number): string {
  const outer = parseCidr(supernet, 'supernet');
  if (prefix < outer.prefix) {
    throw new Error(`a /${prefix} does not fit in the supernet ${supernet}`);
  }
  const used = taken.map((t) => parseCidr(t, 'taken CIDR'));
  let candidate: Cidr | undefined = cidrAt(outer.base, prefix);
  while (candidate && cidrWithin(candidate, outer)) {
    const c = candidate;
    if (!used.some((t) => cidrsOverlap(t, c))) return c.text;
    candidate = nextCidr(c);
  }
  throw new Error(`no free /${prefix} left in the supernet ${supernet} (taken: ${taken.join(', ')})`);
}

/** Planned CIDRs: role name -> one CIDR per AZ, in the order of the AZ list. */
export type SubnetPlan<R extends string = string> = Record<R, string[]>;

/**
 * Carves `vpcCidr` into one subnet per role per AZ, in awsx's explicit-layout order (AZ first, then
 * roles as given) so that the blocks tile the VPC with no gap, as awsx's "Exact" strategy requires.
 * It halves the block recursively and splits the ordered list in the middle, so every subnet is
 * aligned and none is smaller than a /28. When the number of subnets is not a power of two some
 * subnets get twice the addresses of others: the price of a gapless layout.
 */
export function planExactSubnets<R extends string>(
  vpcCidr: string,
  azs: string[],
  roles: readonly R[],
): SubnetPlan<R> {
  const vpc = parseCidr(vpcCidr, 'VPC CIDR');
  assertAzs(azs);
  const items = azs.flatMap((_, azIndex) => roles.map((role) => ({ azIndex, role })));
  const depth = ceilLog2(items.length);
  if (vpc.prefix + depth > MIN_SUBNET_PREFIX) {
    throw new Error(
      `VPC CIDR ${vpcCidr} is too small for ${items.length} subnets (${roles.length} per AZ x ${azs.length} AZs) of at least /${MIN_SUBNET_PREFIX}; use a /${MIN_SUBNET_PREFIX - depth} or larger`,
    );
  }
  const plan = emptyPlan(roles, azs.length);
  const assign = (block: Cidr, from: number, to: number): void => {
    if (to - from === 1) {
      plan[items[from].role][items[from].azIndex] = block.text;
      return;
    }
    const left = cidrAt(block.base, block.prefix + 1);
    const middle = from + Math.ceil((to - from) / 2);
    assign(left, from, middle);
    assign(nextCidr(left)!, middle, to);
  };
  assign(vpc, 0, items.length);
  return plan;
}

/**
 * Spoke layout: the VPC is cut into equal slots, one workload subnet per AZ and one slot left for
 * the TGW attachment subnets, which are /28s as AWS recommends (they only hold attachment ENIs).
 * What the TGW subnets leave of their slot stays free for later subnets.
 */
export function planSpokeSubnets(vpcCidr: string, azs: string[]): SubnetPlan<'workload' | 'tgw'> {
  const vpc = parseCidr(vpcCidr, 'VPC CIDR');
  assertAzs(azs);
  const slotPrefix = vpc.prefix + ceilLog2(azs.length + 1);
  const tgwFit = ceilLog2(azs.length);
  if (slotPrefix > MIN_SUBNET_PREFIX || slotPrefix + tgwFit > MIN_SUBNET_PREFIX) {
    throw new Error(
      `VPC CIDR ${vpcCidr} is too small for ${azs.length} workload subnets and ${azs.length} TGW subnets of at least /${MIN_SUBNET_PREFIX}`,
    );
  }
  const workload: string[] = [];
  let slot = cidrAt(vpc.base, slotPrefix);
  for (let i = 0; i < azs.length; i++) {
    workload.push(slot.text);
    slot = nextCidr(slot)!;
  }
  const tgw: string[] = [];
  let tgwBlock = cidrAt(slot.base, MIN_SUBNET_PREFIX);
  for (let i = 0; i < azs.length; i++) {
    tgw.push(tgwBlock.text);
    tgwBlock = nextCidr(tgwBlock)!;
  }
  return { workload, tgw };
}

function emptyPlan<R extends string>(roles: readonly R[], azCount: number): SubnetPlan<R> {
  return Object.fromEntries(roles.map((r) => [r, new Array<string>(azCount)])) as SubnetPlan<R>;
}

function assertAzs(azs: string[]): void {
  if (azs.length === 0) throw new Error('at least one availability zone is required');
  const dup = azs.find((az, i) => azs.indexOf(az) !== i);
  if (dup) throw new Error(`availability zone ${dup} is listed twice`);
}

function ceilLog2(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}
