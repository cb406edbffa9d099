/**
 * VPC-level indexing: VPCs (and their CIDR lookup table, DNS attributes), subnets, route tables with
 * their subnet, main and edge associations, and internet gateway attachments. Subnets without an
 * explicit association fall back to the VPC's main route table, as in AWS. A prefix-list route
 * becomes one route per entry of the list. Route targets are checked only after every other member
 * is indexed (validateRouteTargets), since they may name NAT gateways, ENIs, instances, endpoints
 * or transit gateways.
 */
import type { Route } from '@aws-sdk/client-ec2';
import { parseCidr, type Cidr } from '../ip/cidr';
import { LpmTable } from '../ip/lpm';
import { lower, nameTag } from './build-context';
import type { BuildContext } from './build-context';
import { at, snapshotError } from './errors';
import type { RouteTableInfo, RouteTarget, SubnetInfo, VpcRoute } from './types';

export function indexVpcs(ctx: BuildContext): void {
  (ctx.s.Vpcs ?? []).forEach((v, i) => {
    const id = ctx.requireId('Vpcs', i, v.VpcId, 'VpcId');
    if (ctx.m.vpcs.has(id)) throw snapshotError('Vpcs', i, id, 'duplicate VpcId');
    const texts = new Set<string>();
    if (v.CidrBlock) texts.add(v.CidrBlock);
    for (const a of v.CidrBlockAssociationSet ?? []) {
      const state = lower(a.CidrBlockState?.State);
      if (a.CidrBlock && (state === '' || state === 'associated')) texts.add(a.CidrBlock);
    }
    if (texts.size === 0) throw snapshotError('Vpcs', i, id, 'no CidrBlock');
    const cidrs = [...texts].map((t) =>
      at('Vpcs', i, id, () => parseCidr(t, { hostBits: 'clear', what: 'CidrBlock' })),
    );
    cidrs.forEach((c) => ctx.m.vpcCidrTable.add(c, id));
    ctx.m.vpcs.set(id, {
      id,
      cidrs,
      subnets: [],
      mainRouteTable: undefined,
      igwIds: [],
      edgeRouteTables: new Map(),
      tgwAttachmentIds: [],
      name: nameTag(v.Tags),
      ...(v.OwnerId ? { ownerId: v.OwnerId } : {}),
    });
    ctx.m.enisByIp.set(id, new Map());
    ctx.m.subnetTables.set(id, new LpmTable());
  });
}

/**
 * `enableDnsSupport` / `enableDnsHostnames` per VPC. A snapshot without the member leaves them
 * unknown (docs/contracts.md "Network snapshot"); one that has it must list every VPC it names.
 */
export function indexVpcAttributes(ctx: BuildContext): void {
  (ctx.s.VpcAttributes ?? []).forEach((a, i) => {
    const id = ctx.requireId('VpcAttributes', i, a.VpcId, 'VpcId');
    const vpc = ctx.vpc('VpcAttributes', i, id, id);
    const flag = (field: 'EnableDnsSupport' | 'EnableDnsHostnames'): boolean => {
      const v = a[field]?.Value;
      if (typeof v !== 'boolean') throw snapshotError('VpcAttributes', i, id, `${field}.Value missing`);
      return v;
    };
    vpc.dns = { support: flag('EnableDnsSupport'), hostnames: flag('EnableDnsHostnames') };
  });
}

export function indexSubnets(ctx: BuildContext): void {
  (ctx.s.Subnets ?? []).forEach((sn, i) => {
    const id = ctx.requireId('Subnets', i, sn.SubnetId, 'SubnetId');
    if (ctx.m.subnets.has(id)) throw snapshotError('Subnets', i, id, 'duplicate SubnetId');
    const vpc = ctx.vpc('Subnets', i, id, sn.VpcId);
    if (!sn.CidrBlock) throw snapshotError('Subnets', i, id, 'CidrBlock missing');
    const cidr = at('Subnets', i, id, () =>
      parseCidr(sn.CidrBlock!, { hostBits: 'clear', what: 'CidrBlock' }),
    );
    if (!vpc.cidrs.some((c) => c.prefix <= cidr.prefix && (cidr.base & c.mask) >>> 0 === c.base)) {
      throw snapshotError('Subnets', i, id, `CidrBlock ${sn.CidrBlock} is outside the CIDRs of ${vpc.id}`);
    }
    if (!sn.AvailabilityZone) throw snapshotError('Subnets', i, id, 'AvailabilityZone missing');
    const info: SubnetInfo = {
      id,
      vpcId: vpc.id,
      az: sn.AvailabilityZone,
      cidr,
      routeTable: undefined,
      routeTableSource: 'none',
      nacl: undefined,
      name: nameTag(sn.Tags),
    };
    ctx.m.subnets.set(id, info);
    vpc.subnets.push(info);
    ctx.m.subnetTables.get(vpc.id)!.add(cidr, info);
  });
}

export function indexRouteTables(ctx: BuildContext): void {
  (ctx.s.RouteTables ?? []).forEach((rt, i) => {
    const id = ctx.requireId('RouteTables', i, rt.RouteTableId, 'RouteTableId');
    const vpc = ctx.vpc('RouteTables', i, id, rt.VpcId);
    const info: RouteTableInfo = { id, vpcId: vpc.id, routes: new LpmTable(), main: false };
    (rt.Routes ?? []).forEach((r, j) => {
      const target = routeTarget(r);
      const blackhole = lower(r.State) === 'blackhole';
      const suffix = `${targetText(target)}${blackhole ? ' (blackhole)' : ''}`;
      const add = (dest: Cidr, extra: Pick<VpcRoute, 'priority' | 'prefixListId'>, destText: string): void =>
        info.routes.add(dest, { dest, target, blackhole, ...extra, text: `${id}: ${destText} -> ${suffix}` });
      if (r.DestinationCidrBlock) {
        const dest = at('RouteTables', i, id, () =>
          parseCidr(r.DestinationCidrBlock!, {
            hostBits: 'clear',
            what: `Routes[${j}].DestinationCidrBlock`,
          }),
        );
        const propagated = lower(r.Origin) === 'enablevgwroutepropagation';
        add(dest, { priority: propagated ? 'propagated' : 'static' }, dest.text);
      } else if (r.DestinationPrefixListId) {
        // One route per entry of the list (Amazon VPC User Guide, "How route priority works":
        // longest prefix first, then static routes before prefix-list routes).
        const plId = r.DestinationPrefixListId;
        const pl = ctx.prefixList('RouteTables', i, id, plId, `Routes[${j}].DestinationPrefixListId`);
        for (const dest of pl.cidrs)
          add(dest, { priority: 'prefix-list', prefixListId: plId }, `${plId} (${pl.name}: ${dest.text})`);
      }
      // IPv6 routes carry none of the IPv4 flows the model traces.
    });
    ctx.m.routeTables.set(id, info);
    for (const [j, a] of (rt.Associations ?? []).entries()) {
      const state = lower(a.AssociationState?.State);
      if (state !== '' && state !== 'associated') continue;
      if (a.Main) {
        info.main = true;
        vpc.mainRouteTable = info;
      } else if (a.SubnetId) {
        const sub = ctx.subnet('RouteTables', i, id, a.SubnetId, `Associations[${j}].SubnetId`);
        if (sub.vpcId !== vpc.id)
          throw snapshotError(
            'RouteTables',
            i,
            id,
            `Associations[${j}].SubnetId ${a.SubnetId} is in ${sub.vpcId}, not ${vpc.id}`,
          );
        if (sub.routeTable && sub.routeTable.id !== id) {
          throw snapshotError(
            'RouteTables',
            i,
            id,
            `Associations[${j}].SubnetId ${a.SubnetId} is already associated with ${sub.routeTable.id}`,
          );
        }
        sub.routeTable = info;
        sub.routeTableSource = 'explicit';
      } else if (a.GatewayId) {
        vpc.edgeRouteTables.set(a.GatewayId, info);
      }
    }
  });
  // Subnets without an explicit association use the VPC's main route table.
  for (const sub of ctx.m.subnets.values()) {
    if (!sub.routeTable) {
      const main = ctx.m.vpcs.get(sub.vpcId)!.mainRouteTable;
      if (main) {
        sub.routeTable = main;
        sub.routeTableSource = 'main';
      }
    }
  }
}

export function indexInternetGateways(ctx: BuildContext): void {
  (ctx.s.InternetGateways ?? []).forEach((g, i) => {
    const id = ctx.requireId('InternetGateways', i, g.InternetGatewayId, 'InternetGatewayId');
    for (const a of g.Attachments ?? []) {
      const state = lower(a.State);
      if (state !== '' && state !== 'available' && state !== 'attached') continue;
      const vpc = ctx.vpc('InternetGateways', i, id, a.VpcId);
      ctx.m.igwVpc.set(id, vpc.id);
      vpc.igwIds.push(id);
    }
  });
}

/** Active routes must point at things the snapshot holds (AWS marks routes to deleted targets blackhole). */
export function validateRouteTargets(ctx: BuildContext): void {
  const vpceIds = new Set([...ctx.m.vpcEndpoints.keys(), ...ctx.m.firewallEndpoints.keys()]);
  const instanceIds = new Set(ctx.m.instances.keys());
  for (const rt of ctx.m.routeTables.values()) {
    for (const r of rt.routes.values()) {
      if (r.blackhole) continue;
      const t = r.target;
      const missing = (what: string, member: string): never => {
        throw snapshotError(
          'RouteTables',
          rt.id,
          undefined,
          `route ${r.dest.text} -> ${what} "${'id' in t ? t.id : ''}" is not in ${member}`,
        );
      };
      if (t.kind === 'igw' && ctx.m.igwVpc.get(t.id) === undefined)
        missing('internet gateway', 'InternetGateways (attached)');
      if (t.kind === 'nat' && !ctx.m.natGateways.has(t.id)) missing('NAT gateway', 'NatGateways');
      if (t.kind === 'tgw' && !ctx.tgwIds.has(t.id)) missing('transit gateway', 'TransitGateways');
      if (t.kind === 'vpce' && !vpceIds.has(t.id))
        missing('VPC endpoint', 'VpcEndpoints or Firewalls[].FirewallStatus.SyncStates');
      if (t.kind === 'eni' && !ctx.m.enis.has(t.id)) missing('network interface', 'NetworkInterfaces');
      // A peering connection absent from VpcPeeringConnections is not an error (older snapshots do
      // not carry the member): the tracer reports such a path as not modelled.
      if (t.kind === 'instance' && !instanceIds.has(t.id)) missing('instance', 'Instances');
    }
  }
}

function routeTarget(r: Route): RouteTarget {
  const g = r.GatewayId;
  if (g === 'local') return { kind: 'local' };
  if (g?.startsWith('igw-')) return { kind: 'igw', id: g };
  if (g?.startsWith('vpce-')) return { kind: 'vpce', id: g };
  if (r.NatGatewayId) return { kind: 'nat', id: r.NatGatewayId };
  if (r.TransitGatewayId) return { kind: 'tgw', id: r.TransitGatewayId };
  if (r.NetworkInterfaceId && !r.InstanceId) return { kind: 'eni', id: r.NetworkInterfaceId };
  if (r.InstanceId) return { kind: 'instance', id: r.InstanceId };
  if (r.NetworkInterfaceId) return { kind: 'eni', id: r.NetworkInterfaceId };
  if (r.VpcPeeringConnectionId) return { kind: 'pcx', id: r.VpcPeeringConnectionId };
  if (r.EgressOnlyInternetGatewayId)
    return { kind: 'unsupported', id: r.EgressOnlyInternetGatewayId, what: 'egress-only IGW' };
  if (r.CarrierGatewayId) return { kind: 'unsupported', id: r.CarrierGatewayId, what: 'carrier gateway' };
  if (r.LocalGatewayId) return { kind: 'unsupported', id: r.LocalGatewayId, what: 'local gateway' };
  if (r.CoreNetworkArn) return { kind: 'unsupported', id: r.CoreNetworkArn, what: 'Cloud WAN core network' };
  if (g?.startsWith('vgw-')) return { kind: 'vgw', id: g };
  if (g) return { kind: 'unsupported', id: g, what: 'gateway' };
  return { kind: 'unsupported', id: '(none)', what: 'route without target' };
}

function targetText(t: RouteTarget): string {
  return t.kind === 'local' ? 'local' : t.id;
}
