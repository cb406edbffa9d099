/**
 * The state as the network snapshot (docs/snapshot-format.md). The state is already held in the API
 * response shapes; this copies it (dropping undefined members, as a JSON response would) and
 * derives what AWS computes on read: TGW associations, propagations and the propagated routes.
 * Every account's resources are merged, each with the `OwnerId` (or `*OwnerId`) AWS reports; an
 * attachment shared across accounts appears once, as its VPC's account describes it.
 *
 * Lists come out in a canonical order (by id; routes by destination; associations main first,
 * then by subnet), not in creation order: AWS promises no order either, and Pulumi creates
 * independent resources in whatever order their inputs resolve, so the same programs give the same
 * snapshot however they were run.
 */
import type { NetworkAcl, RouteTable } from '@aws-sdk/client-ec2';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { Account } from './account';
import { tgwAssociationsOf, tgwPropagationsOf, tgwRoutesOf } from './tgw';

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function keyedByRouteTable<T>(account: Account, of: (a: Account, rt: string) => T[]): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const rtId of account.tgwRouteTables.keys()) out[rtId] = of(account, rtId);
  return out;
}

function byKey<T>(items: T[], key: (item: T) => string | undefined): T[] {
  return [...items].sort((a, b) => {
    const x = key(a) ?? '';
    const y = key(b) ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Routes local first, then by destination; associations main first, then by subnet. */
function canonicalRouteTable(table: RouteTable): RouteTable {
  return {
    ...table,
    ...(table.Routes
      ? {
          Routes: byKey(
            table.Routes,
            (r) =>
              `${r.GatewayId === 'local' ? 0 : 1}${r.DestinationCidrBlock ?? ''}|${r.DestinationPrefixListId ?? ''}|${r.DestinationIpv6CidrBlock ?? ''}`,
          ),
        }
      : {}),
    ...(table.Associations
      ? {
          Associations: byKey(
            table.Associations,
            (a) => `${a.Main ? 0 : 1}${a.SubnetId ?? a.GatewayId ?? ''}`,
          ),
        }
      : {}),
  };
}

function canonicalAcl(acl: NetworkAcl): NetworkAcl {
  return acl.Associations ? { ...acl, Associations: byKey(acl.Associations, (a) => a.SubnetId) } : acl;
}

function canonicalKeyed<T>(
  record: Record<string, T[]>,
  key: (item: T) => string | undefined,
): Record<string, T[]> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, byKey(record[k], key)]),
  );
}

/** The snapshot with every list in canonical order (see the file comment). */
export function canonicalSnapshot(s: NetworkSnapshot): NetworkSnapshot {
  return {
    ...s,
    Vpcs: byKey(s.Vpcs ?? [], (v) => v.VpcId),
    Subnets: byKey(s.Subnets ?? [], (v) => v.SubnetId),
    RouteTables: byKey(s.RouteTables ?? [], (v) => v.RouteTableId).map(canonicalRouteTable),
    InternetGateways: byKey(s.InternetGateways ?? [], (v) => v.InternetGatewayId),
    NatGateways: byKey(s.NatGateways ?? [], (v) => v.NatGatewayId),
    Addresses: byKey(s.Addresses ?? [], (v) => v.AllocationId),
    VpcEndpoints: byKey(s.VpcEndpoints ?? [], (v) => v.VpcEndpointId),
    SecurityGroups: byKey(s.SecurityGroups ?? [], (v) => v.GroupId),
    NetworkAcls: byKey(s.NetworkAcls ?? [], (v) => v.NetworkAclId).map(canonicalAcl),
    NetworkInterfaces: byKey(s.NetworkInterfaces ?? [], (v) => v.NetworkInterfaceId),
    Instances: byKey(s.Instances ?? [], (v) => v.InstanceId),
    TransitGateways: byKey(s.TransitGateways ?? [], (v) => v.TransitGatewayId),
    TransitGatewayAttachments: byKey(s.TransitGatewayAttachments ?? [], (v) => v.TransitGatewayAttachmentId),
    TransitGatewayVpcAttachments: byKey(
      s.TransitGatewayVpcAttachments ?? [],
      (v) => v.TransitGatewayAttachmentId,
    ),
    TransitGatewayRouteTables: byKey(s.TransitGatewayRouteTables ?? [], (v) => v.TransitGatewayRouteTableId),
    TransitGatewayRouteTableAssociations: canonicalKeyed(
      s.TransitGatewayRouteTableAssociations ?? {},
      (a) => a.TransitGatewayAttachmentId,
    ),
    TransitGatewayRouteTablePropagations: canonicalKeyed(
      s.TransitGatewayRouteTablePropagations ?? {},
      (a) => a.TransitGatewayAttachmentId,
    ),
    TransitGatewayRoutes: canonicalKeyed(
      s.TransitGatewayRoutes ?? {},
      (r) =>
        `${r.DestinationCidrBlock ?? ''}|${r.PrefixListId ?? ''}|${r.Type ?? ''}|${r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId ?? ''}`,
    ),
    Firewalls: byKey(s.Firewalls ?? [], (f) => f.Firewall?.FirewallArn),
    FirewallPolicies: byKey(s.FirewallPolicies ?? [], (p) => p.FirewallPolicyResponse?.FirewallPolicyArn),
    RuleGroups: byKey(s.RuleGroups ?? [], (g) => g.RuleGroupResponse?.RuleGroupArn),
    ...(s.VpcAttributes ? { VpcAttributes: byKey(s.VpcAttributes, (a) => a.VpcId) } : {}),
    ...(s.ManagedPrefixLists
      ? { ManagedPrefixLists: byKey(s.ManagedPrefixLists, (l) => l.PrefixListId) }
      : {}),
    ...(s.ManagedPrefixListEntries
      ? { ManagedPrefixListEntries: canonicalKeyed(s.ManagedPrefixListEntries, (e) => e.Cidr) }
      : {}),
    ...(s.VpcPeeringConnections
      ? { VpcPeeringConnections: byKey(s.VpcPeeringConnections, (p) => p.VpcPeeringConnectionId) }
      : {}),
  };
}

export function toSnapshot(account: Account): NetworkSnapshot {
  const snapshot: NetworkSnapshot = {
    Region: account.region,
    Vpcs: [...account.vpcs.values()].map((v) => v.vpc),
    Subnets: [...account.subnets.values()].map((s) => s.subnet),
    RouteTables: [...account.routeTables.values()],
    InternetGateways: [...account.internetGateways.values()],
    NatGateways: [...account.natGateways.values()],
    Addresses: [...account.addresses.values()],
    VpcEndpoints: [...account.vpcEndpoints.values()],
    SecurityGroups: [...account.securityGroups.values()],
    NetworkAcls: [...account.networkAcls.values()],
    NetworkInterfaces: [...account.networkInterfaces.values()],
    Instances: [...account.instances.values()],
    TransitGateways: [...account.transitGateways.values()],
    TransitGatewayAttachments: [...account.tgwAttachments.values()].map((a) => ({
      TransitGatewayAttachmentId: a.attachment.TransitGatewayAttachmentId,
      TransitGatewayId: a.attachment.TransitGatewayId,
      TransitGatewayOwnerId: a.transitGatewayOwnerId,
      ResourceOwnerId: a.attachment.VpcOwnerId,
      ResourceType: 'vpc',
      ResourceId: a.attachment.VpcId,
      State: a.attachment.State,
      ...(a.associatedRouteTableId
        ? {
            Association: {
              TransitGatewayRouteTableId: a.associatedRouteTableId,
              State: 'associated' as const,
            },
          }
        : {}),
      Tags: a.attachment.Tags,
    })),
    TransitGatewayVpcAttachments: [...account.tgwAttachments.values()].map((a) => a.attachment),
    TransitGatewayRouteTables: [...account.tgwRouteTables.values()],
    TransitGatewayRouteTableAssociations: keyedByRouteTable(account, tgwAssociationsOf),
    TransitGatewayRouteTablePropagations: keyedByRouteTable(account, tgwPropagationsOf),
    TransitGatewayRoutes: keyedByRouteTable(account, tgwRoutesOf),
    Firewalls: [...account.firewalls.values()],
    FirewallPolicies: [...account.firewallPolicies.values()],
    RuleGroups: [...account.ruleGroups.values()],
    VpcAttributes: [...account.vpcs.values()].map((v) => ({
      VpcId: v.vpc.VpcId,
      EnableDnsSupport: { Value: v.enableDnsSupport },
      EnableDnsHostnames: { Value: v.enableDnsHostnames },
    })),
    ManagedPrefixLists: [...account.prefixLists.values()].map((p) => p.list),
    ManagedPrefixListEntries: Object.fromEntries(
      [...account.prefixLists.entries()].map(([id, p]) => [id, p.entries]),
    ),
    // The mock cloud emulates no peering connection: the member is present and empty.
    VpcPeeringConnections: [],
  };
  return copy(canonicalSnapshot(snapshot));
}
