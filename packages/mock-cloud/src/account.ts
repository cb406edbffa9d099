/**
 * The state of the emulated AWS region, kept in the shapes of the EC2 / Network Firewall API
 * responses so the snapshot is a plain copy, plus the EC2 primitives every emulated resource is
 * built from (VPC, subnet, route table, route, ENI, IGW, EIP, NAT). Each primitive enforces the
 * checks AWS makes on that call, with AWS's error codes, so a program that breaks them fails here.
 *
 * Several accounts share the region: every resource records the account that owns it (the account
 * of the provider that created it), and a lookup on behalf of another account fails with AWS's
 * NotFound error, because AWS shows one account's resources to another only when they are shared
 * (a transit gateway through RAM: `transitGateway`). Amazon VPC Transit Gateways, "Transit
 * gateway sharing considerations": https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 */
import type {
  Address,
  AttachmentStatus,
  Instance,
  InternetGateway,
  ManagedPrefixList,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  PrefixListEntry,
  Route,
  RouteTable,
  SecurityGroup,
  Subnet,
  TransitGateway,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  TransitGatewayVpcAttachment,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { State as EndpointState } from '@aws-sdk/client-ec2';
import type {
  DescribeFirewallPolicyResponse,
  DescribeFirewallResponse,
  DescribeRuleGroupResponse,
} from '@aws-sdk/client-network-firewall';
import { principalCovers, type Principal } from './accounts';
import { fail } from './errors';
import { awsId, SeedRegistry, shortHash } from './ids';
import { Cidr, cidrContains, cidrOverlaps, parseCidr, PublicIpPool, SubnetAddresses } from './ip';
import { AvailabilityZone, availabilityZones, requireAz } from './regions';
import { awsTags, TagMap } from './tags';

export interface VpcState {
  vpc: Vpc;
  cidr: Cidr;
  mainRouteTableId: string;
  defaultNetworkAclId: string;
  defaultSecurityGroupId: string;
  enableDnsHostnames: boolean;
  enableDnsSupport: boolean;
  subnetIds: string[];
  internetGatewayId?: string;
}

export interface SubnetState {
  subnet: Subnet;
  cidr: Cidr;
  az: AvailabilityZone;
  addresses: SubnetAddresses;
}

/** A route target as given to CreateRoute: exactly one of these. */
export type RouteTarget =
  | { kind: 'gatewayId'; id: string }
  | { kind: 'natGatewayId'; id: string }
  | { kind: 'transitGatewayId'; id: string }
  | { kind: 'vpcEndpointId'; id: string }
  | { kind: 'networkInterfaceId'; id: string };

export interface TgwAttachmentState {
  /** The VPC owner's view (`VpcOwnerId` is the account that requested the attachment). */
  attachment: TransitGatewayVpcAttachment;
  /** Account that owns the transit gateway (accepts, associates, propagates). */
  transitGatewayOwnerId: string;
  /** TGW route table the attachment is associated with (AWS allows one). */
  associatedRouteTableId?: string;
  vpcCidr: string;
}

/** A RAM resource share, as its owner sees it. */
export interface ResourceShareState {
  arn: string;
  name: string;
  ownerId: string;
  allowExternalPrincipals: boolean;
  /** ARNs of the shared resources. */
  resources: Set<string>;
  /** Principals as given (account id, organization or OU ARN). */
  principals: Map<string, Principal>;
}

/** Key of a name that is unique per account (IAM roles, instance profiles, log groups). */
export function accountKey(account: string, name: string): string {
  return `${account}/${name}`;
}

export interface IamRoleState {
  name: string;
  arn: string;
  assumeRolePolicy: string;
  inlinePolicies: Map<string, string>;
  managedPolicyArns: Set<string>;
}

export interface NewEni {
  subnetId: string;
  description: string;
  interfaceType: NetworkInterface['InterfaceType'];
  groupIds?: string[];
  requesterManaged?: boolean;
  privateIp?: string;
  sourceDestCheck?: boolean;
  seed: string;
  /** Account that owns the interface (the VPC's). */
  owner: string;
}

export class Account {
  readonly azs: AvailabilityZone[];
  readonly seeds = new SeedRegistry();
  readonly publicIps = new PublicIpPool();

  readonly vpcs = new Map<string, VpcState>();
  readonly subnets = new Map<string, SubnetState>();
  readonly routeTables = new Map<string, RouteTable>();
  /** Subnet id -> explicitly associated route table id. */
  readonly subnetRouteTable = new Map<string, string>();
  readonly internetGateways = new Map<string, InternetGateway>();
  readonly natGateways = new Map<string, NatGateway>();
  /** Keyed by allocation id. */
  readonly addresses = new Map<string, Address>();
  readonly vpcEndpoints = new Map<string, VpcEndpoint>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly networkAcls = new Map<string, NetworkAcl>();
  readonly networkInterfaces = new Map<string, NetworkInterface>();
  readonly instances = new Map<string, Instance>();
  /** Managed prefix lists by id (the AWS-managed lists of the gateway endpoints' services). */
  readonly prefixLists = new Map<string, { list: ManagedPrefixList; entries: PrefixListEntry[] }>();

  readonly transitGateways = new Map<string, TransitGateway>();
  readonly tgwAttachments = new Map<string, TgwAttachmentState>();
  readonly tgwRouteTables = new Map<string, TransitGatewayRouteTable>();
  /** TGW route table id -> attachment ids associated / propagating, in creation order. */
  readonly tgwAssociations = new Map<string, string[]>();
  readonly tgwPropagations = new Map<string, string[]>();
  /** TGW route table id -> static routes by destination. */
  readonly tgwStaticRoutes = new Map<string, Map<string, TransitGatewayRoute>>();

  /** Keyed by ARN. */
  readonly firewalls = new Map<string, DescribeFirewallResponse>();
  readonly firewallPolicies = new Map<string, DescribeFirewallPolicyResponse>();
  readonly ruleGroups = new Map<string, DescribeRuleGroupResponse>();
  /** Firewall endpoint id -> firewall ARN (endpoints are route targets). */
  readonly firewallEndpoints = new Map<string, string>();

  /** IAM names are unique per account: keyed by `<account>/<name>` (`accountKey`). */
  readonly iamRoles = new Map<string, IamRoleState>();
  readonly instanceProfiles = new Map<string, { name: string; arn: string; role?: string }>();
  /** Log group names are unique per account and region: keyed by `<account>/<name>`. */
  readonly logGroups = new Map<string, { name: string; arn: string }>();
  readonly flowLogs = new Map<string, { id: string; resourceId: string }>();

  /** RAM resource shares, keyed by ARN. */
  readonly resourceShares = new Map<string, ResourceShareState>();
  /** Resource id (or ARN) -> the account that owns it. */
  private readonly owners = new Map<string, string>();

  constructor(readonly region: string) {
    this.azs = availabilityZones(region);
  }

  // ---- ownership -------------------------------------------------------------------------

  /** Records that `account` owns the resource `id` (an id, or an ARN where AWS keys by ARN). */
  own(id: string, account: string): void {
    this.owners.set(id, account);
  }

  ownerOf(id: string): string | undefined {
    return this.owners.get(id);
  }

  /** Whether `caller` sees `id` as its own; another account's resource does not exist for it. */
  owns(caller: string, id: string): boolean {
    return this.owners.get(id) === caller;
  }

  /** `value` when `caller` owns `id`, else undefined (AWS answers NotFound). */
  ownedBy<T>(caller: string, id: string, value: T | undefined): T | undefined {
    return value !== undefined && this.owns(caller, id) ? value : undefined;
  }

  /** Shares of `resourceArn` made by its owner. */
  sharesOf(resourceArn: string): ResourceShareState[] {
    const owner = this.ownerOf(resourceArn);
    return [...this.resourceShares.values()].filter(
      (s) => s.ownerId === owner && s.resources.has(resourceArn),
    );
  }

  /** Whether a RAM share of its owner makes `resourceArn` visible to `account`. */
  sharedWith(resourceArn: string, account: string): boolean {
    return this.sharesOf(resourceArn).some((s) =>
      [...s.principals.values()].some((p) => principalCovers(p, account)),
    );
  }

  // ---- lookups with AWS's NotFound errors -------------------------------------------------

  vpc(id: string, caller: string): VpcState {
    return (
      this.ownedBy(caller, id, this.vpcs.get(id)) ??
      fail(`InvalidVpcID.NotFound: The vpc ID '${id}' does not exist`)
    );
  }
  subnet(id: string, caller: string): SubnetState {
    return (
      this.ownedBy(caller, id, this.subnets.get(id)) ??
      fail(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`)
    );
  }
  routeTable(id: string, caller: string): RouteTable {
    return (
      this.ownedBy(caller, id, this.routeTables.get(id)) ??
      fail(`InvalidRouteTableID.NotFound: The routeTable ID '${id}' does not exist`)
    );
  }
  /**
   * A security group of `caller`. A bare group id names a group of the caller's own account, so a
   * rule or an interface cannot use another account's group. Amazon VPC User Guide, "Security
   * group rules" (a group in another account is referenced with its account id, over peering
   * only): https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
   */
  securityGroup(id: string, caller: string): SecurityGroup {
    return (
      this.ownedBy(caller, id, this.securityGroups.get(id)) ??
      fail(`InvalidGroup.NotFound: The security group '${id}' does not exist`)
    );
  }
  /**
   * A transit gateway `caller` may attach to: its own, or one its owner shares with it through
   * RAM. Everything else about the gateway (route tables, associations, propagations, accepting
   * attachments) stays with the owner.
   */
  transitGateway(id: string, caller: string): TransitGateway | undefined {
    const tgw = this.transitGateways.get(id);
    if (!tgw) return undefined;
    return this.owns(caller, id) || this.sharedWith(tgw.TransitGatewayArn!, caller) ? tgw : undefined;
  }

  /**
   * The AWS-managed prefix list of a gateway-endpoint service (`com.amazonaws.<region>.s3`), created
   * on first use. Its entries stand in for the service's public ranges with documentation-range
   * blocks (RFC 5737), like every public address of the mock cloud.
   */
  awsManagedPrefixList(service: string): string {
    const name = `com.amazonaws.${this.region}.${service}`;
    const cidrs = AWS_SERVICE_RANGES[service];
    if (!cidrs)
      fail(`InvalidServiceName: no AWS-managed prefix list is emulated for ${name} (s3 and dynamodb are)`);
    const id = awsId('pl', name).slice(0, 11);
    if (!this.prefixLists.has(id))
      this.prefixLists.set(id, {
        list: {
          PrefixListId: id,
          AddressFamily: 'IPv4',
          State: 'create-complete',
          PrefixListArn: `arn:aws:ec2:${this.region}:aws:prefix-list/${id}`,
          PrefixListName: name,
          OwnerId: 'AWS',
          Tags: [],
        },
        entries: cidrs.map((Cidr) => ({ Cidr })),
      });
    return id;
  }

  // ---- VPC and its defaults -------------------------------------------------------------

  /** CreateVpc: also creates the main route table, the default NACL and the default SG. */
  createVpc(args: {
    seed: string;
    owner: string;
    cidrBlock: string;
    tags: TagMap;
    enableDnsHostnames?: boolean;
    enableDnsSupport?: boolean;
  }): VpcState {
    const cidr = parseCidr(args.cidrBlock, 'VPC cidrBlock');
    if (cidr.prefix < 16 || cidr.prefix > 28) {
      fail(
        `InvalidVpc.Range: The CIDR '${cidr.text}' is invalid (a VPC netmask must be between /16 and /28)`,
      );
    }
    const vpcId = awsId('vpc', args.seed);
    const owner = args.owner;
    const vpc: Vpc = {
      VpcId: vpcId,
      OwnerId: owner,
      CidrBlock: cidr.text,
      CidrBlockAssociationSet: [
        {
          AssociationId: awsId('vpc-cidr-assoc', args.seed),
          CidrBlock: cidr.text,
          CidrBlockState: { State: 'associated' },
        },
      ],
      State: 'available',
      InstanceTenancy: 'default',
      IsDefault: false,
      DhcpOptionsId: awsId('dopt', this.region),
      Tags: awsTags(args.tags),
    };
    const mainRouteTableId = awsId('rtb', `${args.seed}/main`);
    const state: VpcState = {
      vpc,
      cidr,
      mainRouteTableId,
      defaultNetworkAclId: awsId('acl', `${args.seed}/default`),
      defaultSecurityGroupId: awsId('sg', `${args.seed}/default`),
      enableDnsHostnames: args.enableDnsHostnames ?? false,
      enableDnsSupport: args.enableDnsSupport ?? true,
      subnetIds: [],
    };
    this.vpcs.set(vpcId, state);
    for (const id of [vpcId, mainRouteTableId, state.defaultNetworkAclId, state.defaultSecurityGroupId]) {
      this.own(id, owner);
    }
    this.routeTables.set(mainRouteTableId, {
      RouteTableId: mainRouteTableId,
      VpcId: vpcId,
      OwnerId: owner,
      Routes: [localRoute(cidr.text)],
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: awsId('rtbassoc', `${args.seed}/main`),
          RouteTableId: mainRouteTableId,
          AssociationState: { State: 'associated' },
        },
      ],
      PropagatingVgws: [],
      Tags: [],
    });
    // The default NACL allows everything both ways (rule 100) above the implicit deny (32767).
    const entries = (egress: boolean) => [
      {
        CidrBlock: '0.0.0.0/0',
        Egress: egress,
        Protocol: '-1',
        RuleAction: 'allow' as const,
        RuleNumber: 100,
      },
      {
        CidrBlock: '0.0.0.0/0',
        Egress: egress,
        Protocol: '-1',
        RuleAction: 'deny' as const,
        RuleNumber: 32767,
      },
    ];
    this.networkAcls.set(state.defaultNetworkAclId, {
      NetworkAclId: state.defaultNetworkAclId,
      VpcId: vpcId,
      OwnerId: owner,
      IsDefault: true,
      Entries: [...entries(true), ...entries(false)],
      Associations: [],
      Tags: [],
    });
    // The default SG: all traffic from members of itself in, everything out.
    this.securityGroups.set(state.defaultSecurityGroupId, {
      GroupId: state.defaultSecurityGroupId,
      GroupName: 'default',
      Description: 'default VPC security group',
      VpcId: vpcId,
      OwnerId: owner,
      SecurityGroupArn: `arn:aws:ec2:${this.region}:${owner}:security-group/${state.defaultSecurityGroupId}`,
      IpPermissions: [
        {
          IpProtocol: '-1',
          UserIdGroupPairs: [{ GroupId: state.defaultSecurityGroupId, UserId: owner }],
          IpRanges: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
        },
      ],
      IpPermissionsEgress: [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          UserIdGroupPairs: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
        },
      ],
      Tags: [],
    });
    return state;
  }

  /** CreateSubnet: inside the VPC CIDR, no overlap with the VPC's other subnets, AZ of the region. */
  createSubnet(args: {
    seed: string;
    owner: string;
    vpcId: string;
    cidrBlock: string;
    availabilityZone: string;
    mapPublicIpOnLaunch?: boolean;
    tags: TagMap;
  }): SubnetState {
    const vpc = this.vpc(args.vpcId, args.owner);
    const cidr = parseCidr(args.cidrBlock, 'subnet cidrBlock');
    const az = requireAz(this.region, args.availabilityZone);
    if (!cidrContains(vpc.cidr, cidr) || cidr.prefix > 28) {
      fail(
        `InvalidSubnet.Range: The CIDR '${cidr.text}' is invalid for VPC ${args.vpcId} (${vpc.cidr.text})`,
      );
    }
    for (const other of vpc.subnetIds) {
      const o = this.subnets.get(other)!;
      if (cidrOverlaps(o.cidr, cidr)) {
        fail(
          `InvalidSubnet.Conflict: The CIDR '${cidr.text}' conflicts with another subnet (${other} ${o.cidr.text})`,
        );
      }
    }
    const subnetId = awsId('subnet', args.seed);
    const addresses = new SubnetAddresses(cidr);
    const subnet: Subnet = {
      SubnetId: subnetId,
      SubnetArn: `arn:aws:ec2:${this.region}:${args.owner}:subnet/${subnetId}`,
      VpcId: args.vpcId,
      CidrBlock: cidr.text,
      AvailabilityZone: az.name,
      AvailabilityZoneId: az.zoneId,
      AvailableIpAddressCount: addresses.available,
      DefaultForAz: false,
      MapPublicIpOnLaunch: args.mapPublicIpOnLaunch ?? false,
      MapCustomerOwnedIpOnLaunch: false,
      State: 'available',
      OwnerId: args.owner,
      Tags: awsTags(args.tags),
    };
    const state: SubnetState = { subnet, cidr, az, addresses };
    this.subnets.set(subnetId, state);
    this.own(subnetId, args.owner);
    vpc.subnetIds.push(subnetId);
    this.networkAcls.get(vpc.defaultNetworkAclId)!.Associations!.push({
      NetworkAclAssociationId: awsId('aclassoc', args.seed),
      NetworkAclId: vpc.defaultNetworkAclId,
      SubnetId: subnetId,
    });
    return state;
  }

  createRouteTable(args: { seed: string; owner: string; vpcId: string; tags: TagMap }): RouteTable {
    const vpc = this.vpc(args.vpcId, args.owner);
    const id = awsId('rtb', args.seed);
    this.own(id, args.owner);
    const table: RouteTable = {
      RouteTableId: id,
      VpcId: args.vpcId,
      OwnerId: args.owner,
      Routes: [localRoute(vpc.cidr.text)],
      Associations: [],
      PropagatingVgws: [],
      Tags: awsTags(args.tags),
    };
    this.routeTables.set(id, table);
    return table;
  }

  /** AssociateRouteTable: same VPC; a subnet has at most one explicit association. */
  associateRouteTable(args: {
    seed: string;
    caller: string;
    routeTableId: string;
    subnetId: string;
  }): string {
    const table = this.routeTable(args.routeTableId, args.caller);
    const subnet = this.subnet(args.subnetId, args.caller);
    if (subnet.subnet.VpcId !== table.VpcId) {
      fail(
        `InvalidParameterValue: route table ${args.routeTableId} and subnet ${args.subnetId} belong to different networks`,
      );
    }
    const existing = this.subnetRouteTable.get(args.subnetId);
    if (existing) {
      fail(
        `Resource.AlreadyAssociated: the specified association for route table ${existing} conflicts with an existing association (subnet ${args.subnetId})`,
      );
    }
    const id = awsId('rtbassoc', args.seed);
    table.Associations!.push({
      Main: false,
      RouteTableAssociationId: id,
      RouteTableId: args.routeTableId,
      SubnetId: args.subnetId,
      AssociationState: { State: 'associated' },
    });
    this.subnetRouteTable.set(args.subnetId, args.routeTableId);
    return id;
  }

  /** CreateRoute with AWS's checks: table and target exist, same network, no duplicate destination. */
  createRoute(
    caller: string,
    routeTableId: string,
    destinationCidrBlock: string,
    target: RouteTarget,
  ): Route {
    const table = this.routeTable(routeTableId, caller);
    const dest = parseCidr(destinationCidrBlock, 'destinationCidrBlock');
    const vpcId = table.VpcId!;
    const differentNetworks = (what: string) =>
      fail(`InvalidParameterValue: route table ${routeTableId} and ${what} belong to different networks`);
    if (table.Routes!.some((r) => r.DestinationCidrBlock === dest.text)) {
      fail(
        `RouteAlreadyExists: The route identified by ${dest.text} already exists (route table ${routeTableId}).`,
      );
    }
    const route: Route = { DestinationCidrBlock: dest.text, Origin: 'CreateRoute', State: 'active' };
    switch (target.kind) {
      case 'gatewayId': {
        if (target.id.startsWith('vpce-'))
          return this.createRoute(caller, routeTableId, destinationCidrBlock, {
            kind: 'vpcEndpointId',
            id: target.id,
          });
        const igw =
          this.ownedBy(caller, target.id, this.internetGateways.get(target.id)) ??
          fail(`InvalidGatewayID.NotFound: The gateway ID '${target.id}' does not exist`);
        if (!igw.Attachments!.some((a) => a.VpcId === vpcId))
          differentNetworks(`network gateway ${target.id}`);
        route.GatewayId = target.id;
        break;
      }
      case 'natGatewayId': {
        const nat =
          this.ownedBy(caller, target.id, this.natGateways.get(target.id)) ??
          fail(`InvalidNatGatewayID.NotFound: The natGateway ID '${target.id}' does not exist`);
        if (nat.VpcId !== vpcId) differentNetworks(`NAT gateway ${target.id}`);
        route.NatGatewayId = target.id;
        break;
      }
      case 'transitGatewayId': {
        const notFound = `InvalidTransitGatewayID.NotFound: The transitGateway ID '${target.id}' does not exist`;
        if (!this.transitGateway(target.id, caller)) fail(notFound);
        const attachment = [...this.tgwAttachments.values()].find(
          (a) => a.attachment.TransitGatewayId === target.id && a.attachment.VpcId === vpcId,
        );
        if (!attachment) {
          fail(
            `InvalidTransitGatewayID.NotFound: transit gateway ${target.id} has no attachment in VPC ${vpcId} ` +
              `(route table ${routeTableId}); create the VPC attachment before the route (dependsOn)`,
          );
        }
        // A route to the gateway needs an attachment that forwards: one still waiting for the
        // owner's acceptance does not, and CreateRoute answers as if the gateway did not exist.
        if (attachment.attachment.State !== 'available') {
          fail(
            `InvalidTransitGatewayID.NotFound: transit gateway ${target.id}: attachment ` +
              `${attachment.attachment.TransitGatewayAttachmentId} of VPC ${vpcId} is ${attachment.attachment.State} ` +
              `(route table ${routeTableId}); the route needs it accepted first (dependsOn the VpcAttachmentAccepter)`,
          );
        }
        route.TransitGatewayId = target.id;
        break;
      }
      case 'vpcEndpointId': {
        const ep =
          this.ownedBy(caller, target.id, this.vpcEndpoints.get(target.id)) ??
          fail(`InvalidVpcEndpointId.NotFound: The Vpc Endpoint Id '${target.id}' does not exist`);
        if (ep.VpcEndpointType !== 'GatewayLoadBalancer') {
          fail(
            `InvalidParameterValue: VPC endpoint ${target.id} is of type ${ep.VpcEndpointType}; only Gateway Load Balancer (firewall) endpoints can be route targets`,
          );
        }
        if (ep.VpcId !== vpcId) differentNetworks(`VPC endpoint ${target.id}`);
        // DescribeRouteTables reports endpoint targets as GatewayId.
        route.GatewayId = target.id;
        break;
      }
      case 'networkInterfaceId': {
        const eni =
          this.ownedBy(caller, target.id, this.networkInterfaces.get(target.id)) ??
          fail(`InvalidNetworkInterfaceID.NotFound: The networkInterface ID '${target.id}' does not exist`);
        if (eni.VpcId !== vpcId) differentNetworks(`network interface ${target.id}`);
        route.NetworkInterfaceId = target.id;
        if (eni.Attachment?.InstanceId) {
          route.InstanceId = eni.Attachment.InstanceId;
          route.InstanceOwnerId = caller;
        }
        break;
      }
    }
    table.Routes!.push(route);
    return route;
  }

  /** A requester-managed or instance ENI with a private IP from its subnet. */
  createNetworkInterface(args: NewEni): NetworkInterface {
    const subnet = this.subnet(args.subnetId, args.owner);
    const id = awsId('eni', args.seed);
    this.own(id, args.owner);
    const ip = subnet.addresses.allocate(args.subnetId, args.privateIp, id);
    subnet.subnet.AvailableIpAddressCount = subnet.addresses.available;
    const vpc = this.vpc(subnet.subnet.VpcId!, args.owner);
    const groupIds = args.groupIds ?? [];
    const dnsName = privateDnsName(ip, this.region);
    const eni: NetworkInterface = {
      NetworkInterfaceId: id,
      SubnetId: args.subnetId,
      VpcId: vpc.vpc.VpcId,
      AvailabilityZone: subnet.az.name,
      AvailabilityZoneId: subnet.az.zoneId,
      Description: args.description,
      InterfaceType: args.interfaceType,
      MacAddress: macAddress(id),
      OwnerId: args.owner,
      PrivateDnsName: dnsName,
      PrivateIpAddress: ip,
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip, PrivateDnsName: dnsName }],
      RequesterManaged: args.requesterManaged ?? false,
      SourceDestCheck: args.sourceDestCheck ?? true,
      Status: 'in-use',
      Groups: groupIds.map((g) => ({ GroupId: g, GroupName: this.securityGroups.get(g)?.GroupName })),
      Ipv6Addresses: [],
      TagSet: [],
    };
    this.networkInterfaces.set(id, eni);
    return eni;
  }

  /** CreateInternetGateway + AttachInternetGateway (a VPC takes one IGW). */
  createInternetGateway(args: { seed: string; owner: string; vpcId: string; tags: TagMap }): InternetGateway {
    const vpc = this.vpc(args.vpcId, args.owner);
    if (vpc.internetGatewayId) {
      fail(
        `Resource.AlreadyAssociated: VPC ${args.vpcId} already has internet gateway ${vpc.internetGatewayId} attached`,
      );
    }
    const id = awsId('igw', args.seed);
    this.own(id, args.owner);
    const igw: InternetGateway = {
      InternetGatewayId: id,
      OwnerId: args.owner,
      // DescribeInternetGateways reports an attached IGW as "available", outside the SDK's enum.
      Attachments: [{ State: 'available' as AttachmentStatus, VpcId: args.vpcId }],
      Tags: awsTags(args.tags),
    };
    vpc.internetGatewayId = id;
    this.internetGateways.set(id, igw);
    return igw;
  }

  /** AllocateAddress (domain vpc) from the documentation ranges. */
  allocateAddress(args: { seed: string; owner: string; tags: TagMap }): Address {
    const allocationId = awsId('eipalloc', args.seed);
    this.own(allocationId, args.owner);
    const address: Address = {
      AllocationId: allocationId,
      PublicIp: this.publicIps.allocate(allocationId),
      Domain: 'vpc',
      NetworkBorderGroup: this.region,
      Tags: awsTags(args.tags),
    };
    this.addresses.set(allocationId, address);
    return address;
  }

  /** CreateNatGateway (public): an ENI in the subnet and the EIP associated with it. */
  createNatGateway(args: {
    seed: string;
    owner: string;
    subnetId: string;
    allocationId: string;
    tags: TagMap;
  }): NatGateway {
    const subnet = this.subnet(args.subnetId, args.owner);
    const address =
      this.ownedBy(args.owner, args.allocationId, this.addresses.get(args.allocationId)) ??
      fail(`InvalidAllocationID.NotFound: The allocation ID '${args.allocationId}' does not exist`);
    if (address.AssociationId) {
      fail(`Resource.AlreadyAssociated: Elastic IP address [${args.allocationId}] is already associated`);
    }
    const id = awsId('nat', args.seed);
    this.own(id, args.owner);
    const eni = this.createNetworkInterface({
      owner: args.owner,
      subnetId: args.subnetId,
      description: `Interface for NAT Gateway ${id}`,
      interfaceType: 'natGateway',
      requesterManaged: true,
      sourceDestCheck: false,
      seed: `${args.seed}/eni`,
    });
    const associationId = awsId('eipassoc', args.seed);
    Object.assign(address, {
      AssociationId: associationId,
      NetworkInterfaceId: eni.NetworkInterfaceId,
      NetworkInterfaceOwnerId: args.owner,
      PrivateIpAddress: eni.PrivateIpAddress,
      SubnetId: args.subnetId,
    } satisfies Address);
    eni.Association = {
      AllocationId: args.allocationId,
      AssociationId: associationId,
      IpOwnerId: args.owner,
      PublicIp: address.PublicIp,
    };
    eni.PrivateIpAddresses![0].Association = eni.Association;
    const nat: NatGateway = {
      NatGatewayId: id,
      SubnetId: args.subnetId,
      VpcId: subnet.subnet.VpcId,
      State: 'available',
      ConnectivityType: 'public',
      NatGatewayAddresses: [
        {
          AllocationId: args.allocationId,
          NetworkInterfaceId: eni.NetworkInterfaceId,
          PrivateIp: eni.PrivateIpAddress,
          PublicIp: address.PublicIp,
          AssociationId: associationId,
          IsPrimary: true,
          Status: 'succeeded',
        },
      ],
      Tags: awsTags(args.tags),
    };
    this.natGateways.set(id, nat);
    return nat;
  }
}

export function localRoute(cidr: string): Route {
  return { DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
}

function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

function macAddress(seed: string): string {
  const h = shortHash(seed, 10);
  return `0a:${h.match(/../g)!.join(':')}`;
}

/** Stand-ins for the public ranges of the gateway-endpoint services (documentation range, RFC 5737). */
const AWS_SERVICE_RANGES: Record<string, string[]> = {
  s3: ['192.0.2.128/26'],
  dynamodb: ['192.0.2.192/26'],
};

/** DescribeVpcEndpoints reports "available" in lower case, unlike the SDK's `State` enum. */
export const ENDPOINT_AVAILABLE = 'available' as EndpointState;
