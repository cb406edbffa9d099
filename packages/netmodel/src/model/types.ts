/**
 * The indexed network model: the snapshot resolved once into maps keyed the way the tracer looks
 * things up (ids, subnet per VPC, route table per subnet, owner per IP, CIDRs as integers).
 */
import type {
  DescribeFirewallPolicyResponse,
  DescribeRuleGroupResponse,
} from '@aws-sdk/client-network-firewall';
import type { Instance, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { Cidr } from '../ip/cidr';
import type { LpmTable } from '../ip/lpm';
import type { FirewallEngine } from '../firewall/engine';
import type { NetworkSnapshot } from '../snapshot';

export type RouteTarget =
  | { kind: 'local' }
  | { kind: 'igw'; id: string }
  | { kind: 'nat'; id: string }
  | { kind: 'tgw'; id: string }
  | { kind: 'eni'; id: string }
  | { kind: 'instance'; id: string }
  /** A `GatewayId: vpce-...` route: a Network Firewall (Gateway Load Balancer) or a gateway endpoint. */
  | { kind: 'vpce'; id: string }
  /** A VPC peering connection. */
  | { kind: 'pcx'; id: string }
  /** A virtual private gateway: the way to on-premises networks. */
  | { kind: 'vgw'; id: string }
  /** Targets the model does not follow (egress-only IGW, carrier and local gateways, Cloud WAN, ...). */
  | { kind: 'unsupported'; id: string; what: string };

export interface VpcRoute {
  dest: Cidr;
  target: RouteTarget;
  blackhole: boolean;
  /**
   * Route priority at equal prefix length (Amazon VPC User Guide, "How route priority works"):
   * static routes, then prefix-list routes, then propagated (VGW) routes.
   */
  priority: 'static' | 'prefix-list' | 'propagated';
  /** The managed prefix list this route's destination came from (`DestinationPrefixListId`). */
  prefixListId?: string;
  /** `rtb-1: 0.0.0.0/0 -> tgw-1` */
  text: string;
}

export interface RouteTableInfo {
  id: string;
  vpcId: string;
  routes: LpmTable<VpcRoute>;
  main: boolean;
}

export interface SubnetInfo {
  id: string;
  vpcId: string;
  az: string;
  cidr: Cidr;
  routeTable: RouteTableInfo | undefined;
  /** How the route table was found, for messages. */
  routeTableSource: 'explicit' | 'main' | 'none';
  nacl: NaclInfo | undefined;
  name?: string;
}

export interface VpcInfo {
  id: string;
  cidrs: Cidr[];
  subnets: SubnetInfo[];
  mainRouteTable: RouteTableInfo | undefined;
  igwIds: string[];
  /** Route tables associated with a gateway (IGW, VGW) as its edge (ingress) route table, by gateway id. */
  edgeRouteTables: Map<string, RouteTableInfo>;
  tgwAttachmentIds: string[];
  name?: string;
  ownerId?: string;
  /**
   * The VPC's `enableDnsSupport` / `enableDnsHostnames`, from `VpcAttributes`; undefined when the
   * snapshot does not carry them (an older file): DNS grounds then decide nothing.
   */
  dns?: { support: boolean; hostnames: boolean };
}

export type EniKind = 'instance' | 'vpc-endpoint' | 'nat' | 'tgw' | 'firewall-endpoint' | 'other';

export interface EniInfo {
  id: string;
  ip: number;
  ipText: string;
  subnetId: string;
  vpcId: string;
  groups: string[];
  kind: EniKind;
  /** `InterfaceType` as DescribeNetworkInterfaces reports it (`interface`, `lambda`, ...), when known. */
  interfaceType?: string;
  /** True when the ENI is attached to something (an instance, a service); false = a detached ENI. */
  attached?: boolean;
  instanceId?: string;
  vpcEndpointId?: string;
  natGatewayId?: string;
  /** Public IP mapped 1:1 by the IGW (EIP or auto-assigned public IP). */
  publicIp?: string;
}

export interface NatInfo {
  id: string;
  subnetId: string;
  vpcId: string;
  public: boolean;
  /** `State` as reported (`available`, `pending`, `failed`, `deleting`, `deleted`). */
  state: string;
  available: boolean;
  /** One (private IP, public IP) pair per address; a flow uses one of them. */
  addresses: { privateIp: string; publicIp?: string }[];
}

export interface FirewallEndpointInfo {
  endpointId: string;
  firewallArn: string;
  firewallName: string;
  az: string;
  subnetId: string;
  vpcId: string;
  /** `SyncStates[az].Attachment.Status`: READY and SCALING forward; CREATING, DELETING, FAILED, ERROR do not. */
  status: string;
  forwards: boolean;
}

export interface FirewallInfo {
  arn: string;
  name: string;
  vpcId: string;
  policyArn: string;
  policy: DescribeFirewallPolicyResponse | undefined;
  ruleGroups: DescribeRuleGroupResponse[];
  endpointsByAz: Map<string, string>;
}

export interface InterfaceEndpointInfo {
  id: string;
  vpcId: string;
  serviceName: string;
  type: string;
  subnetIds: string[];
  eniIds: string[];
  groups: string[];
  /** `State` in lower case (`available`, `pending`, `pendingacceptance`, `failed`, ...). */
  state: string;
  privateDns: boolean;
}

/** A gateway endpoint (S3, DynamoDB): traffic its prefix-list route matches is delivered to the service. */
export interface GatewayEndpointInfo {
  id: string;
  vpcId: string;
  serviceName: string;
  state: string;
}

/** A managed prefix list with its entries. */
export interface PrefixListInfo {
  id: string;
  name: string;
  ownerId?: string;
  cidrs: Cidr[];
}

/** One side of a VPC peering connection. */
export interface PeeringSide {
  vpcId: string;
  ownerId?: string;
  region?: string;
  /** The CIDRs of this side the peering carries. */
  cidrs: Cidr[];
}

export interface PeeringInfo {
  id: string;
  /** `Status.Code` (`active`, `pending-acceptance`, `failed`, `expired`, `rejected`, `deleted`, ...). */
  state: string;
  requester: PeeringSide;
  accepter: PeeringSide;
}

export interface TgwAttachmentInfo {
  id: string;
  tgwId: string;
  resourceType: string;
  vpcId?: string;
  /** Attachment subnet per AZ (VPC attachments). */
  subnetByAz: Map<string, string>;
  applianceMode: boolean;
  /** TGW route table the attachment is associated with on its own transit gateway (`tgwId`). */
  routeTableId?: string;
  /** `State` as reported; only `available` and `modifying` forward. */
  state: string;
  available: boolean;
  /**
   * Peering attachments: the transit gateway at the other end and the route table that gateway
   * associates this same attachment id with (each side associates it with a table of its own).
   */
  peer?: { tgwId: string; ownerId?: string; routeTableId?: string };
}

export interface TgwRoute {
  dest: Cidr;
  blackhole: boolean;
  attachmentIds: string[];
  type: 'static' | 'propagated';
  /** `tgw-rtb-1: 0.0.0.0/0 -> tgw-attach-1 (static)` */
  text: string;
}

export interface TgwRouteTableInfo {
  id: string;
  tgwId: string;
  routes: LpmTable<TgwRoute>;
}

export interface SgRule {
  /** '-1' all, else IANA number as text ('6', '17', '1'). */
  protocol: string;
  fromPort: number;
  toPort: number;
  /** The rule's CIDRs, and the entries of the prefix lists it references. */
  cidrs: Cidr[];
  groupIds: string[];
  text: string;
}

export interface SecurityGroupInfo {
  id: string;
  vpcId?: string;
  ingress: SgRule[];
  egress: SgRule[];
}

export interface NaclEntry {
  ruleNumber: number;
  protocol: string;
  allow: boolean;
  cidr: Cidr;
  fromPort?: number;
  toPort?: number;
  text: string;
}

export interface NaclInfo {
  id: string;
  vpcId: string;
  ingress: NaclEntry[];
  egress: NaclEntry[];
}

/** Creates the firewall evaluator for a firewall (injectable so tests can stub the engine). */
export type FirewallEngineFactory = (
  policy: DescribeFirewallPolicyResponse,
  ruleGroups: DescribeRuleGroupResponse[],
  options: { firewallVpcCidrs: string[] },
) => FirewallEngine;

export interface BuildModelOptions {
  firewallEngineFactory?: FirewallEngineFactory;
}

export interface NetworkModel {
  snapshot: NetworkSnapshot;
  vpcs: Map<string, VpcInfo>;
  subnets: Map<string, SubnetInfo>;
  routeTables: Map<string, RouteTableInfo>;
  /** VPC id per IGW id (attached IGWs only). */
  igwVpc: Map<string, string>;
  natGateways: Map<string, NatInfo>;
  enis: Map<string, EniInfo>;
  /** ENIs by private IP, per VPC (VPC CIDRs may overlap across VPCs). */
  enisByIp: Map<string, Map<number, EniInfo>>;
  /** Private IP -> public IP owner, by public IP (IGW 1:1 NAT and NAT EIPs). */
  publicIpOwner: Map<string, { vpcId: string; privateIp: string }>;
  /** Every instance, whatever its state (`State.Name`); only running ones send or answer. */
  instances: Map<string, Instance>;
  instanceIp: Map<string, string>;
  /** Primary ENI (the one holding the instance's private IP) per instance id. */
  instanceEni: Map<string, EniInfo>;
  securityGroups: Map<string, SecurityGroupInfo>;
  firewalls: Map<string, FirewallInfo>;
  firewallEndpoints: Map<string, FirewallEndpointInfo>;
  vpcEndpoints: Map<string, VpcEndpoint>;
  interfaceEndpoints: Map<string, InterfaceEndpointInfo>;
  gatewayEndpoints: Map<string, GatewayEndpointInfo>;
  prefixLists: Map<string, PrefixListInfo>;
  peerings: Map<string, PeeringInfo>;
  tgwAttachments: Map<string, TgwAttachmentInfo>;
  /** TGW attachment id per (TGW id, VPC id): `${tgwId}|${vpcId}`. */
  tgwAttachmentByVpc: Map<string, string>;
  tgwRouteTables: Map<string, TgwRouteTableInfo>;
  /** Subnets of each VPC by CIDR (which subnet holds an IP). */
  subnetTables: Map<string, LpmTable<SubnetInfo>>;
  /** Every VPC CIDR, to decide "inside AWS" vs "the internet". */
  vpcCidrTable: LpmTable<string>;
  /** Lazily built firewall evaluator per firewall ARN. */
  firewallEngine(arn: string): FirewallEngine;
}
