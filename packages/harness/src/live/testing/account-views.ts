/**
 * Test helper: what each account of a multi-account environment describes, cut from one merged
 * snapshot (e.g. the mock cloud's run of env `org`). An account sees the VPCs it owns and what is
 * in them; the network account also sees its transit gateway with every attachment to it (its
 * owner sees the other accounts' attachments too), its route tables and routes, and its
 * firewalls. A shared transit gateway's tags stay with its owner, so a spoke account's
 * `tag:hubspoke:env` search finds no gateway. Amazon VPC Transit Gateways, "Transit gateway
 * sharing considerations": https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';

export function accountView(s: NetworkSnapshot, account: string, networkAccount: string): NetworkSnapshot {
  const vpcOwner = new Map((s.Vpcs ?? []).map((v) => [v.VpcId, v.OwnerId]));
  const owned = <T extends { OwnerId?: string }>(items: T[] | undefined) =>
    (items ?? []).filter((i) => i.OwnerId === account);
  const inOwnVpc = <T extends { VpcId?: string }>(items: T[] | undefined) =>
    (items ?? []).filter((i) => vpcOwner.get(i.VpcId) === account);
  const network = account === networkAccount;
  return {
    ...(s.Region ? { Region: s.Region } : {}),
    Vpcs: owned(s.Vpcs),
    Subnets: owned(s.Subnets),
    RouteTables: owned(s.RouteTables),
    InternetGateways: owned(s.InternetGateways),
    NatGateways: inOwnVpc(s.NatGateways),
    Addresses: (s.Addresses ?? []).filter((a) => (a.NetworkInterfaceOwnerId ?? networkAccount) === account),
    VpcEndpoints: owned(s.VpcEndpoints),
    SecurityGroups: owned(s.SecurityGroups),
    NetworkAcls: owned(s.NetworkAcls),
    NetworkInterfaces: owned(s.NetworkInterfaces),
    Instances: inOwnVpc(s.Instances),
    TransitGateways: network ? (s.TransitGateways ?? []) : [],
    TransitGatewayAttachments: network ? (s.TransitGatewayAttachments ?? []) : [],
    TransitGatewayVpcAttachments: network ? (s.TransitGatewayVpcAttachments ?? []) : [],
    TransitGatewayRouteTables: network ? (s.TransitGatewayRouteTables ?? []) : [],
    TransitGatewayRouteTableAssociations: network ? (s.TransitGatewayRouteTableAssociations ?? {}) : {},
    TransitGatewayRouteTablePropagations: network ? (s.TransitGatewayRouteTablePropagations ?? {}) : {},
    TransitGatewayRoutes: network ? (s.TransitGatewayRoutes ?? {}) : {},
    Firewalls: network ? (s.Firewalls ?? []) : [],
    FirewallPolicies: network ? (s.FirewallPolicies ?? []) : [],
    RuleGroups: network ? (s.RuleGroups ?? []) : [],
    VpcAttributes: inOwnVpc(s.VpcAttributes),
    // AWS-managed prefix lists: every account sees them.
    ManagedPrefixLists: s.ManagedPrefixLists ?? [],
    ManagedPrefixListEntries: s.ManagedPrefixListEntries ?? {},
    VpcPeeringConnections: (s.VpcPeeringConnections ?? []).filter(
      (p) => p.RequesterVpcInfo?.OwnerId === account || p.AccepterVpcInfo?.OwnerId === account,
    ),
  };
}
