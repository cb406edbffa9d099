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

/**
 * How a member is shaped (docs/snapshot-format.md): Region is a string; a list member is an array of
 * API objects, each identified by `id`; a keyed member is an object of arrays keyed by another
 * resource's id.
 */
export type SnapshotMemberShape =
  | { readonly kind: 'string' }
  | {
      readonly kind: 'list';
      /**
       * Where an element's id is, as dotted paths in the AWS response, in order of preference (an
       * Elastic IP without an allocation id is known by its address). A snapshot file's element
       * must carry the first field of one of them (it catches a whole response pasted in), and
       * merging accounts' reads keeps one element per id (a shared attachment both describe).
       */
      readonly id: readonly string[];
    }
  | { readonly kind: 'keyed'; readonly keyedBy: string };

/**
 * Every member of the snapshot, in contract order, with its shape: the one list readers, writers,
 * the file validator and the account merge follow (a member added here is validated and merged).
 */
export const SNAPSHOT_MEMBER_SHAPES = {
  Region: { kind: 'string' },
  Vpcs: { kind: 'list', id: ['VpcId'] },
  Subnets: { kind: 'list', id: ['SubnetId'] },
  RouteTables: { kind: 'list', id: ['RouteTableId'] },
  InternetGateways: { kind: 'list', id: ['InternetGatewayId'] },
  NatGateways: { kind: 'list', id: ['NatGatewayId'] },
  Addresses: { kind: 'list', id: ['AllocationId', 'PublicIp'] },
  VpcEndpoints: { kind: 'list', id: ['VpcEndpointId'] },
  SecurityGroups: { kind: 'list', id: ['GroupId'] },
  NetworkAcls: { kind: 'list', id: ['NetworkAclId'] },
  NetworkInterfaces: { kind: 'list', id: ['NetworkInterfaceId'] },
  Instances: { kind: 'list', id: ['InstanceId'] },
  TransitGateways: { kind: 'list', id: ['TransitGatewayId'] },
  TransitGatewayAttachments: { kind: 'list', id: ['TransitGatewayAttachmentId'] },
  TransitGatewayVpcAttachments: { kind: 'list', id: ['TransitGatewayAttachmentId'] },
  TransitGatewayRouteTables: { kind: 'list', id: ['TransitGatewayRouteTableId'] },
  TransitGatewayRouteTableAssociations: { kind: 'keyed', keyedBy: 'TGW route table id' },
  TransitGatewayRouteTablePropagations: { kind: 'keyed', keyedBy: 'TGW route table id' },
  TransitGatewayRoutes: { kind: 'keyed', keyedBy: 'TGW route table id' },
  Firewalls: { kind: 'list', id: ['Firewall.FirewallArn'] },
  FirewallPolicies: { kind: 'list', id: ['FirewallPolicyResponse.FirewallPolicyArn'] },
  RuleGroups: { kind: 'list', id: ['RuleGroupResponse.RuleGroupArn'] },
  VpcAttributes: { kind: 'list', id: ['VpcId'] },
  // AWS-managed prefix lists are seen from every account.
  ManagedPrefixLists: { kind: 'list', id: ['PrefixListId'] },
  ManagedPrefixListEntries: { kind: 'keyed', keyedBy: 'prefix-list id' },
  // A peering between two accounts' VPCs is described by both.
  VpcPeeringConnections: { kind: 'list', id: ['VpcPeeringConnectionId'] },
} as const satisfies Record<keyof Required<NetworkSnapshot>, SnapshotMemberShape>;

type Shapes = typeof SNAPSHOT_MEMBER_SHAPES;
type MembersOfKind<K extends SnapshotMemberShape['kind']> = {
  [M in keyof Shapes]: Shapes[M]['kind'] extends K ? M : never;
}[keyof Shapes];

const membersOfKind = <K extends SnapshotMemberShape['kind']>(kind: K): MembersOfKind<K>[] =>
  (Object.keys(SNAPSHOT_MEMBER_SHAPES) as (keyof Shapes)[]).filter(
    (m): m is MembersOfKind<K> => SNAPSHOT_MEMBER_SHAPES[m].kind === kind,
  );

/** Member names of the snapshot, in contract order (readers and writers iterate this). */
export const SNAPSHOT_MEMBERS = Object.keys(SNAPSHOT_MEMBER_SHAPES) as (keyof Shapes)[];

/** Members that are objects of arrays; every other member but Region is an array. */
export const SNAPSHOT_KEYED_MEMBERS = membersOfKind('keyed');

/** What each keyed member is keyed by (TGW route table id, prefix-list id). */
export const SNAPSHOT_KEYED_BY = Object.fromEntries(
  SNAPSHOT_KEYED_MEMBERS.map((m) => [m, SNAPSHOT_MEMBER_SHAPES[m].keyedBy]),
) as { [M in MembersOfKind<'keyed'>]: Shapes[M]['keyedBy'] };

/** Members that are arrays of API objects. */
export const SNAPSHOT_LIST_MEMBERS = membersOfKind('list');

/**
 * The id of an element of a list member: the first of the shape's id paths it has a value at, as a
 * string; undefined when it has none.
 */
export function snapshotElementId(
  shape: Extract<SnapshotMemberShape, { kind: 'list' }>,
  element: unknown,
): string | undefined {
  for (const path of shape.id) {
    let value: unknown = element;
    for (const step of path.split('.'))
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[step] : undefined;
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}
