/**
 * The network snapshot (docs/snapshot-format.md): one JSON object whose members are named and shaped exactly as
 * the AWS API responses. The mock cloud, the live AWS reader and JSON files all produce this.
 * Absent members mean "none".
 */
import type {
  Address,
  DescribeVpcAttributeResult,
  Instance,
  InternetGateway,
  ManagedPrefixList,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  PrefixListEntry,
  RouteTable,
  SecurityGroup,
  Subnet,
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayPropagation,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  TransitGatewayRouteTableAssociation,
  TransitGatewayVpcAttachment,
  Vpc,
  VpcEndpoint,
  VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type {
  DescribeFirewallPolicyResponse,
  DescribeFirewallResponse,
  DescribeRuleGroupResponse,
} from '@aws-sdk/client-network-firewall';

/**
 * A VPC's DNS attributes: two `DescribeVpcAttribute` responses (`enableDnsSupport`,
 * `enableDnsHostnames`) merged into one object per VPC.
 */
export type VpcAttributes = Pick<
  DescribeVpcAttributeResult,
  'VpcId' | 'EnableDnsSupport' | 'EnableDnsHostnames'
>;

export interface NetworkSnapshot {
  Region?: string;
  Vpcs?: Vpc[];
  Subnets?: Subnet[];
  RouteTables?: RouteTable[];
  InternetGateways?: InternetGateway[];
  NatGateways?: NatGateway[];
  Addresses?: Address[];
  VpcEndpoints?: VpcEndpoint[];
  SecurityGroups?: SecurityGroup[];
  NetworkAcls?: NetworkAcl[];
  NetworkInterfaces?: NetworkInterface[];
  /** DescribeInstances Reservations[].Instances[], flattened. */
  Instances?: Instance[];
  TransitGateways?: TransitGateway[];
  TransitGatewayAttachments?: TransitGatewayAttachment[];
  TransitGatewayVpcAttachments?: TransitGatewayVpcAttachment[];
  TransitGatewayRouteTables?: TransitGatewayRouteTable[];
  /** Keyed by TGW route table id: GetTransitGatewayRouteTableAssociations.Associations. */
  TransitGatewayRouteTableAssociations?: Record<string, TransitGatewayRouteTableAssociation[]>;
  /** Keyed by TGW route table id: GetTransitGatewayRouteTablePropagations.TransitGatewayRouteTablePropagations. */
  TransitGatewayRouteTablePropagations?: Record<string, TransitGatewayPropagation[]>;
  /** Keyed by TGW route table id: SearchTransitGatewayRoutes.Routes. */
  TransitGatewayRoutes?: Record<string, TransitGatewayRoute[]>;
  Firewalls?: DescribeFirewallResponse[];
  FirewallPolicies?: DescribeFirewallPolicyResponse[];
  RuleGroups?: DescribeRuleGroupResponse[];
  /** One per VPC; absent (an older file) = DNS attributes unknown. */
  VpcAttributes?: VpcAttributes[];
  /** DescribeManagedPrefixLists.PrefixLists, AWS-managed lists included. */
  ManagedPrefixLists?: ManagedPrefixList[];
  /** Keyed by prefix-list id: GetManagedPrefixListEntries.Entries. */
  ManagedPrefixListEntries?: Record<string, PrefixListEntry[]>;
  /** DescribeVpcPeeringConnections.VpcPeeringConnections. */
  VpcPeeringConnections?: VpcPeeringConnection[];
}

/** Member names of the snapshot, in contract order (readers and writers iterate this). */
export const SNAPSHOT_MEMBERS = [
  'Region',
  'Vpcs',
  'Subnets',
  'RouteTables',
  'InternetGateways',
  'NatGateways',
  'Addresses',
  'VpcEndpoints',
  'SecurityGroups',
  'NetworkAcls',
  'NetworkInterfaces',
  'Instances',
  'TransitGateways',
  'TransitGatewayAttachments',
  'TransitGatewayVpcAttachments',
  'TransitGatewayRouteTables',
  'TransitGatewayRouteTableAssociations',
  'TransitGatewayRouteTablePropagations',
  'TransitGatewayRoutes',
  'Firewalls',
  'FirewallPolicies',
  'RuleGroups',
  'VpcAttributes',
  'ManagedPrefixLists',
  'ManagedPrefixListEntries',
  'VpcPeeringConnections',
] as const satisfies readonly (keyof NetworkSnapshot)[];

/**
 * Members that are objects of arrays, with what they are keyed by (TGW route table id, prefix-list
 * id); every other member but Region is an array.
 */
export const SNAPSHOT_KEYED_BY = {
  TransitGatewayRouteTableAssociations: 'TGW route table id',
  TransitGatewayRouteTablePropagations: 'TGW route table id',
  TransitGatewayRoutes: 'TGW route table id',
  ManagedPrefixListEntries: 'prefix-list id',
} as const satisfies Partial<Record<(typeof SNAPSHOT_MEMBERS)[number], string>>;

export const SNAPSHOT_KEYED_MEMBERS = Object.keys(SNAPSHOT_KEYED_BY) as (keyof typeof SNAPSHOT_KEYED_BY)[];

type ListMember = Exclude<
  (typeof SNAPSHOT_MEMBERS)[number],
  'Region' | (typeof SNAPSHOT_KEYED_MEMBERS)[number]
>;

/** Members that are arrays of API objects. */
export const SNAPSHOT_LIST_MEMBERS = SNAPSHOT_MEMBERS.filter(
  (m): m is ListMember => m !== 'Region' && !(SNAPSHOT_KEYED_MEMBERS as readonly string[]).includes(m),
);
