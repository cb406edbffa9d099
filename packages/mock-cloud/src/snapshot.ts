/**
 * The state as the network snapshot (docs/snapshot-format.md). The state is already held in the API
 * response shapes; this copies it (dropping undefined members, as a JSON response would) and
 * derives what AWS computes on read: TGW associations, propagations and the propagated routes.
 * Every account's resources are merged, each with the `OwnerId` (or `*OwnerId`) AWS reports; an
 * attachment shared across accounts appears once, as its VPC's account describes it.
 */
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
  return copy(snapshot);
}
