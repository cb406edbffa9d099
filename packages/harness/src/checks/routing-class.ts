/**
 * Routing classes of workload subnets, so east-west symmetry is checked once per class instead of
 * once per subnet pair (quadratic: 100 spokes x 3 AZs is ~30,000 pairs).
 *
 * Two destination subnets B and B' are in one class when every input of a trace towards them, or
 * of their replies, is the same once "my own VPC / subnet / attachment" is written as SELF:
 *  - their AZ;
 *  - their own route table and network ACL (replies leave through them);
 *  - their VPC's TGW attachments: associated TGW route table, appliance mode, AZs, and the route
 *    table and ACL of each attachment subnet (requests arrive through them);
 *  - how every other route table of the network (VPC and TGW) routes their address.
 * Then a path from any source A to B is the path from A to B' with SELF swapped, so tracing A to
 * one member (outside A's VPC) decides the symmetry of A to every member. The signature errs on the
 * side of splitting: anything it does not normalise keeps subnets apart.
 */
import { ipToInt, type NetworkModel } from '@hubspoke/netmodel';
import type { WorkloadSubnet } from './topology';

type SubnetInfo = NonNullable<ReturnType<NetworkModel['subnets']['get']>>;
type RouteTableInfo = NonNullable<SubnetInfo['routeTable']>;
type VpcRoute = ReturnType<RouteTableInfo['routes']['values']>[number];

interface ForeignTable {
  routes: { base: number; mask: number; prefix: number; text: string }[];
}

export function routingClasses(model: NetworkModel, subnets: WorkloadSubnet[]): WorkloadSubnet[][] {
  const foreign = foreignRouteTables(model);
  const classes = new Map<string, WorkloadSubnet[]>();
  for (const w of subnets) {
    const sig = signature(model, w, foreign);
    const list = classes.get(sig);
    if (list) list.push(w);
    else classes.set(sig, [w]);
  }
  return [...classes.values()];
}

/** Distinct VPC route-table contents without their local routes (which never match another VPC's address). */
function foreignRouteTables(model: NetworkModel): ForeignTable[] {
  const seen = new Map<string, ForeignTable>();
  for (const rt of model.routeTables.values()) {
    const routes = rt.routes
      .values()
      .filter((r) => r.target.kind !== 'local')
      .map((r) => ({
        base: r.dest.base,
        mask: r.dest.mask,
        prefix: r.dest.prefix,
        text: `${r.dest.text}>${r.blackhole ? 'blackhole' : targetText(r)}`,
      }))
      .sort((a, b) => b.prefix - a.prefix || a.text.localeCompare(b.text));
    const key = routes.map((r) => r.text).join(',');
    if (!seen.has(key)) seen.set(key, { routes });
  }
  return [...seen.values()];
}

function targetText(r: VpcRoute): string {
  return r.target.kind === 'local' ? 'local' : `${r.target.kind}:${r.target.id}`;
}

function signature(model: NetworkModel, w: WorkloadSubnet, foreign: ForeignTable[]): string {
  const subnet = model.subnets.get(w.subnetId)!;
  const vpc = model.vpcs.get(w.vpcId)!;
  const vpcCidrs = new Set(vpc.cidrs.map((c) => c.text));
  const norm = (cidr: string): string =>
    cidr === subnet.cidr.text ? 'SELF_SUBNET' : vpcCidrs.has(cidr) ? 'SELF_VPC' : cidr;
  const ownAtts = new Set(vpc.tgwAttachmentIds);
  const att = (id: string): string => (ownAtts.has(id) ? 'SELF_ATT' : id);
  const ip = ipToInt(w.freeIp);

  const parts: string[] = [
    `az=${subnet.az}`,
    `rt=${routeTableText(subnet, norm)}`,
    `acl=${naclText(subnet, norm)}`,
  ];
  for (const id of [...vpc.tgwAttachmentIds].sort()) {
    const a = model.tgwAttachments.get(id);
    if (!a) continue;
    const azs = [...a.subnetByAz.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([az, sn]) => {
        const s = model.subnets.get(sn);
        return `${az}:${s ? `${routeTableText(s, norm)}/${naclText(s, norm)}` : 'missing'}`;
      });
    parts.push(
      `att=${a.tgwId},${a.routeTableId ?? 'none'},${a.applianceMode},${a.available},${azs.join(';')}`,
    );
  }
  for (const t of foreign) {
    let hit: string[] = [];
    let best = -1;
    for (const r of t.routes) {
      if (r.prefix < best) break;
      if ((ip & r.mask) >>> 0 === r.base) {
        best = r.prefix;
        hit.push(r.text);
      }
    }
    hit = hit.map((h) => {
      const [dest, target] = h.split('>');
      return `${norm(dest!)}>${target}`;
    });
    parts.push(`v=${hit.join('+') || '-'}`);
  }
  for (const rt of [...model.tgwRouteTables.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const hit = rt.routes
      .lookup(ip)
      .map(
        (r) =>
          `${norm(r.dest.text)}>${r.blackhole ? 'blackhole' : r.attachmentIds.map(att).sort().join('+')}`,
      );
    parts.push(`t=${rt.id}:${hit.sort().join('|') || '-'}`);
  }
  return parts.join('\n');
}

function routeTableText(s: SubnetInfo, norm: (c: string) => string): string {
  if (!s.routeTable) return 'none';
  return s.routeTable.routes
    .values()
    .map((r) => `${norm(r.dest.text)}>${r.blackhole ? 'blackhole' : targetText(r)}`)
    .sort()
    .join(',');
}

function naclText(s: SubnetInfo, norm: (c: string) => string): string {
  if (!s.nacl) return 'none';
  const entry = (e: (typeof s.nacl.ingress)[number]): string =>
    `${e.ruleNumber}:${e.protocol}:${e.allow}:${norm(e.cidr.text)}:${e.fromPort ?? ''}-${e.toPort ?? ''}`;
  return `in[${s.nacl.ingress.map(entry).join(',')}]out[${s.nacl.egress.map(entry).join(',')}]`;
}
