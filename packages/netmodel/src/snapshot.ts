/**
 * The network snapshot (docs/snapshot-format.md): one JSON object whose members are named and shaped exactly as
 * the AWS API responses. The mock cloud, the live AWS reader and JSON files all produce this.
 * Absent members mean "none".
 */
import type {
  Address,
  Instance,
  InternetGateway,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
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
} from '@aws-sdk/client-ec2';
import type {
  DescribeFirewallPolicyResponse,
  DescribeFirewallResponse,
  DescribeRuleGroupResponse,
} from '@aws-sdk/client-network-firewall';

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
] as const satisfies readonly (keyof NetworkSnapshot)[];

/** Members keyed by TGW route table id (objects of arrays); every other member but Region is an array. */
export const SNAPSHOT_KEYED_MEMBERS = [
  'TransitGatewayRouteTableAssociations',
  'TransitGatewayRouteTablePropagations',
  'TransitGatewayRoutes',
] as const satisfies readonly (typeof SNAPSHOT_MEMBERS)[number][];

type ListMember = Exclude<
  (typeof SNAPSHOT_MEMBERS)[number],
  'Region' | (typeof SNAPSHOT_KEYED_MEMBERS)[number]
>;

/** Members that are arrays of API objects. */
export const SNAPSHOT_LIST_MEMBERS = SNAPSHOT_MEMBERS.filter(
  (m): m is ListMember => m !== 'Region' && !(SNAPSHOT_KEYED_MEMBERS as readonly string[]).includes(m),
);
