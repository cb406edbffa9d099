/**
 * Builds an AWS-shaped NetworkSnapshot of the docs/network-design.md hub-and-spoke topology, with options
 * that break it in the ways the checks must catch. Test support only (the `testing` entry, never the
 * package index): used by the netmodel, checks, conformance and CLI tests;
 * every member is shaped exactly as the matching AWS API response.
 *
 * Layout (defaults): supernet 10.0.0.0/8; inspection VPC 10.0.0.0/16 with per AZ index z a public
 * subnet 10.0.z.0/24, a firewall subnet 10.0.(16+z).0/24 and a TGW subnet 10.0.(32+z).0/24;
 * spoke k (1-based) 10.k.0.0/16 with a workload subnet 10.k.z.0/24 and a TGW subnet 10.k.(32+z).0/28.
 * With `spokePrefix` longer than 16 (more spokes than /16s), the spokes are the blocks of that length
 * after the inspection /16, their TGW subnets the /28s of their last /24.
 */
import type {
  Address,
  AttachmentStatus,
  Instance,
  InternetGateway,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  Route,
  RouteTable,
  SecurityGroup,
  Subnet,
  Tag,
  TransitGatewayAttachment,
  TransitGatewayPropagation,
  TransitGatewayRoute,
  TransitGatewayRouteTableAssociation,
  TransitGatewayVpcAttachment,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type {
  DescribeFirewallPolicyResponse,
  DescribeFirewallResponse,
  DescribeRuleGroupResponse,
  SyncState,
} from '@aws-sdk/client-network-firewall';
import type { NetworkSnapshot } from '../src/snapshot';
import { DEFAULT_ALLOWED_DOMAINS } from '../src/default-allowlist';
import { nthAddress, parseCidr as parseCidrWith, subCidr, type Cidr } from '../src/ip/cidr';
import { PROBE_TAG, SSM_SERVICES } from '../src/model/queries';

export interface HubSpokeFixtureOptions {
  region?: string;
  /** AZ names, in order. Default: the region's `a` and `b` zones. */
  azs?: string[];
  /** Number of spokes (named spoke-a, spoke-b, ... then spoke-27 ...). Default 2. */
  spokeCount?: number;
  /** Supernet every VPC lives in; its prefix must be <= /16 (each VPC is a /16). Default 10.0.0.0/8. */
  supernet?: string;
  /** Prefix length of each spoke VPC, 16 to 20. Default 16 (at most 255 spokes in a /8). */
  spokePrefix?: number;
  /** Appliance mode on the inspection TGW attachment. Default true. */
  applianceMode?: boolean;
  /** Spoke indexes (0-based) whose workload subnets route 0.0.0.0/0 to an IGW of their own. */
  spokeRouteToIgw?: number[];
  /** AZs whose inspection TGW subnet lacks the 0.0.0.0/0 -> firewall endpoint route. */
  omitFirewallRouteAzs?: string[];
  /** Inspection TGW subnets route 0.0.0.0/0 straight to the same-AZ NAT (bypassing the firewall). */
  bypassFirewall?: boolean;
  /**
   * Routes to firewall endpoints use the endpoint of the NEXT AZ (the bug of keying the endpoint map
   * by something other than the subnet's AZ), in both the TGW and the public subnets.
   */
  crossAzEndpoints?: boolean;
  /** HOME_NET of the policy and the domain-list group. Default [supernet]; null = not set (firewall VPC CIDR). */
  homeNet?: string[] | null;
  /** Domain allowlist (TLS_SNI + HTTP_HOST). Default ['.amazon.com', 'checkip.amazonaws.com']. */
  allowedDomains?: string[];
  /** Adds the seed's handshake pass rules (tcp 443 and 80, flow:not_established) as group priority 1. Default true. */
  handshakeRule?: boolean;
  /** Extra Suricata rules (one stateful group, priority 300). */
  extraRules?: string;
  /** Default ['aws:drop_strict']. */
  statefulDefaultActions?: string[];
  /** Default 'STRICT_ORDER'. */
  ruleOrder?: 'STRICT_ORDER' | 'DEFAULT_ACTION_ORDER';
  /** Probe instance per spoke (AZ 0 workload subnet). Default true. */
  probes?: boolean;
  /** Public IP given to the probe of each spoke in spokeRouteToIgw (an instance with a public IP). */
  probePublicIps?: boolean;
  /** Include the propagated routes in TransitGatewayRoutes. Default true; false lists only static ones. */
  tgwRoutes?: boolean;
  /** CIDRs blackholed in both TGW route tables. Default none. */
  tgwBlackholeCidrs?: string[];
  /** Spokes also propagate into the spoke route table (east-west bypasses the firewall). Default false. */
  spokesPropagateToSpokeRt?: boolean;
  /** Environment name used in tags. Default 'dev'. */
  env?: string;
  /**
   * Spoke indexes (0-based) with no TGW attachment: their workload subnets keep only the local
   * route (plus the IGW route when also in spokeRouteToIgw). The VPC keeps its project tags.
   */
  detachedSpokes?: number[];
  /** Spoke indexes (0-based) whose TGW attachment is associated with no TGW route table. */
  unassociatedSpokes?: number[];
  /**
   * Adds the account's default VPC (172.31.0.0/16, no project tag, an IGW and one public subnet
   * per AZ, not attached): outside the network. Default false.
   */
  defaultVpc?: boolean;
}

const ACCOUNT = '111122223333';
/** DescribeInternetGateways reports "available" for a VPC attachment; the SDK enum lacks it. */
const IGW_ATTACHED = 'available' as AttachmentStatus;

/** Spoke name for index i: spoke-a .. spoke-z, then spoke-27 ... */
function spokeName(i: number): string {
  return i < 26 ? `spoke-${String.fromCharCode(97 + i)}` : `spoke-${i + 1}`;
}

const azSuffix = (az: string): string => az.slice(-1);
/** Every CIDR the fixture writes is one AWS would accept: no host bits. */
const parseCidr = (text: string, what = 'CIDR'): Cidr => parseCidrWith(text, { hostBits: 'reject', what });

export function buildHubSpokeSnapshot(options: HubSpokeFixtureOptions = {}): NetworkSnapshot {
  const region = options.region ?? 'us-east-1';
  const azs = options.azs ?? [`${region}a`, `${region}b`];
  const spokeCount = options.spokeCount ?? 2;
  const supernetText = options.supernet ?? '10.0.0.0/8';
  const supernet = parseCidr(supernetText, 'supernet');
  if (supernet.prefix > 16) throw new Error(`supernet ${supernetText}: prefix must be <= /16`);
  const spokePrefix = options.spokePrefix ?? 16;
  if (!Number.isInteger(spokePrefix) || spokePrefix < 16 || spokePrefix > 20)
    throw new Error(`spokePrefix ${spokePrefix}: must be 16 to 20`);
  // Spokes come after the inspection /16: block i + (the number of spoke blocks in a /16).
  const firstSpoke = 2 ** (spokePrefix - 16);
  if (spokeCount + firstSpoke > 2 ** (spokePrefix - supernet.prefix)) {
    throw new Error(
      `supernet ${supernetText} cannot hold the inspection /16 and ${spokeCount} /${spokePrefix} spokes`,
    );
  }
  if (azs.length === 0 || azs.length > 16) throw new Error('azs: between 1 and 16 AZs required');
  const env = options.env ?? 'dev';
  const applianceMode = options.applianceMode ?? true;
  const homeNet = options.homeNet === undefined ? [supernetText] : options.homeNet;
  const allowed = options.allowedDomains ?? [...DEFAULT_ALLOWED_DOMAINS];
  const probes = options.probes ?? true;

  const s: Required<Omit<NetworkSnapshot, 'Region'>> & { Region: string } = {
    Region: region,
    Vpcs: [],
    Subnets: [],
    RouteTables: [],
    InternetGateways: [],
    NatGateways: [],
    Addresses: [],
    VpcEndpoints: [],
    SecurityGroups: [],
    NetworkAcls: [],
    NetworkInterfaces: [],
    Instances: [],
    TransitGateways: [],
    TransitGatewayAttachments: [],
    TransitGatewayVpcAttachments: [],
    TransitGatewayRouteTables: [],
    TransitGatewayRouteTableAssociations: {},
    TransitGatewayRouteTablePropagations: {},
    TransitGatewayRoutes: {},
    Firewalls: [],
    FirewallPolicies: [],
    RuleGroups: [],
    VpcAttributes: [],
    ManagedPrefixLists: [],
    ManagedPrefixListEntries: {},
    VpcPeeringConnections: [],
  };
  const tags = (stack: string, name: string, extra: Tag[] = []): Tag[] => [
    { Key: 'Name', Value: name },
    { Key: 'hubspoke:env', Value: env },
    { Key: 'hubspoke:stack', Value: stack },
    ...extra,
  ];
  const subnetByName = new Map<string, Subnet>();

  const tgwId = 'tgw-hub';
  const spokeRtb = 'tgw-rtb-spoke';
  const inspRtb = 'tgw-rtb-inspection';

  // ---- VPC building blocks ----
  const addVpc = (stack: string, vpcId: string, cidr: string): void => {
    s.Vpcs.push({
      VpcId: vpcId,
      CidrBlock: cidr,
      CidrBlockAssociationSet: [
        { AssociationId: `${vpcId}-cidr-assoc`, CidrBlock: cidr, CidrBlockState: { State: 'associated' } },
      ],
      State: 'available',
      IsDefault: false,
      OwnerId: ACCOUNT,
      Tags: tags(stack, vpcId),
    } satisfies Vpc);
    // DNS resolution and hostnames on: the SSM endpoints' private DNS needs both.
    s.VpcAttributes.push({
      VpcId: vpcId,
      EnableDnsSupport: { Value: true },
      EnableDnsHostnames: { Value: true },
    });
    // The main route table holds only the local route; every subnet gets an explicit table below.
    s.RouteTables.push({
      RouteTableId: `rtb-${vpcId.slice(4)}-main`,
      VpcId: vpcId,
      OwnerId: ACCOUNT,
      Routes: [localRoute(cidr)],
      Associations: [
        {
          Main: true,
          RouteTableId: `rtb-${vpcId.slice(4)}-main`,
          RouteTableAssociationId: `rtbassoc-${vpcId.slice(4)}-main`,
          AssociationState: { State: 'associated' },
        },
      ],
      Tags: tags(stack, `${vpcId}-main`),
    });
    s.SecurityGroups.push({
      GroupId: `sg-${vpcId.slice(4)}-default`,
      GroupName: 'default',
      Description: 'default VPC security group',
      VpcId: vpcId,
      OwnerId: ACCOUNT,
      IpPermissions: [
        {
          IpProtocol: '-1',
          UserIdGroupPairs: [{ GroupId: `sg-${vpcId.slice(4)}-default`, UserId: ACCOUNT }],
        },
      ],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    } satisfies SecurityGroup);
  };
  const addSubnet = (
    stack: string,
    vpcId: string,
    name: string,
    cidr: string,
    az: string,
    routes: Route[],
  ): Subnet => {
    const subnetId = `subnet-${name}`;
    const subnet: Subnet = {
      SubnetId: subnetId,
      VpcId: vpcId,
      CidrBlock: cidr,
      AvailabilityZone: az,
      AvailabilityZoneId: `use1-az${azs.indexOf(az) + 1}`,
      AvailableIpAddressCount: 2 ** (32 - parseCidr(cidr).prefix) - 5,
      MapPublicIpOnLaunch: false,
      State: 'available',
      OwnerId: ACCOUNT,
      Tags: tags(stack, name),
    };
    s.Subnets.push(subnet);
    subnetByName.set(name, subnet);
    const rtbId = `rtb-${name}`;
    s.RouteTables.push({
      RouteTableId: rtbId,
      VpcId: vpcId,
      OwnerId: ACCOUNT,
      Routes: [localRoute(parseCidr(vpcCidrOf(vpcId)).text), ...routes],
      Associations: [
        {
          Main: false,
          RouteTableId: rtbId,
          SubnetId: subnetId,
          RouteTableAssociationId: `rtbassoc-${name}`,
          AssociationState: { State: 'associated' },
        },
      ],
      Tags: tags(stack, `${name}-rt`),
    } satisfies RouteTable);
    return subnet;
  };
  const vpcCidrs = new Map<string, string>();
  const vpcCidrOf = (vpcId: string): string => {
    const c = vpcCidrs.get(vpcId);
    if (!c) throw new Error(`fixture: unknown VPC ${vpcId}`);
    return c;
  };
  const addNacl = (stack: string, vpcId: string): void => {
    const subnets = s.Subnets.filter((x) => x.VpcId === vpcId);
    const naclId = `acl-${vpcId.slice(4)}`;
    s.NetworkAcls.push({
      NetworkAclId: naclId,
      VpcId: vpcId,
      IsDefault: true,
      OwnerId: ACCOUNT,
      Entries: [
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
      ],
      Associations: subnets.map((x) => ({
        NetworkAclAssociationId: `aclassoc-${x.SubnetId!.slice(7)}`,
        NetworkAclId: naclId,
        SubnetId: x.SubnetId,
      })),
      Tags: tags(stack, naclId),
    } satisfies NetworkAcl);
  };
  const addEni = (eni: NetworkInterface): void => {
    s.NetworkInterfaces.push({ Status: 'in-use', OwnerId: ACCOUNT, ...eni });
  };
  const addTgwAttachment = (
    stack: string,
    vpcId: string,
    attId: string,
    subnets: Subnet[],
    appliance: boolean,
  ): void => {
    s.TransitGatewayVpcAttachments.push({
      TransitGatewayAttachmentId: attId,
      TransitGatewayId: tgwId,
      VpcId: vpcId,
      VpcOwnerId: ACCOUNT,
      State: 'available',
      SubnetIds: subnets.map((x) => x.SubnetId!),
      Options: {
        DnsSupport: 'enable',
        Ipv6Support: 'disable',
        ApplianceModeSupport: appliance ? 'enable' : 'disable',
        SecurityGroupReferencingSupport: 'disable',
      },
      Tags: tags(stack, attId),
    } satisfies TransitGatewayVpcAttachment);
    for (const sub of subnets) {
      addEni({
        NetworkInterfaceId: `eni-${attId.slice(11)}-${azSuffix(sub.AvailabilityZone!)}`,
        InterfaceType: 'transit_gateway',
        SubnetId: sub.SubnetId,
        VpcId: vpcId,
        AvailabilityZone: sub.AvailabilityZone,
        PrivateIpAddress: nthAddress(parseCidr(sub.CidrBlock!), 4),
        RequesterManaged: true,
        Description: `Network Interface for Transit Gateway Attachment ${attId}`,
        Groups: [],
      });
    }
  };

  // ---- inspection VPC ----
  const inspVpc = 'vpc-inspection';
  const inspCidr = subCidr(supernet, 16, 0);
  vpcCidrs.set(inspVpc, inspCidr);
  addVpc('inspection', inspVpc, inspCidr);
  const ic = parseCidr(inspCidr);
  s.InternetGateways.push({
    InternetGatewayId: 'igw-inspection',
    OwnerId: ACCOUNT,
    Attachments: [{ VpcId: inspVpc, State: IGW_ATTACHED }],
    Tags: tags('inspection', 'igw-inspection'),
  } satisfies InternetGateway);
  const endpointOf = (z: number): string => `vpce-fw-${azSuffix(azs[z]!)}`;
  const routedEndpoint = (z: number): string =>
    endpointOf(options.crossAzEndpoints ? (z + 1) % azs.length : z);
  const natOf = (z: number): string => `nat-${azSuffix(azs[z]!)}`;
  azs.forEach((az, z) => {
    const a = azSuffix(az);
    const pub = addSubnet('inspection', inspVpc, `inspection-public-${a}`, subCidr(ic, 24, z), az, [
      {
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: 'igw-inspection',
        Origin: 'CreateRoute',
        State: 'active',
      },
      {
        DestinationCidrBlock: supernetText,
        GatewayId: routedEndpoint(z),
        Origin: 'CreateRoute',
        State: 'active',
      },
    ]);
    addSubnet('inspection', inspVpc, `inspection-firewall-${a}`, subCidr(ic, 24, 16 + z), az, [
      { DestinationCidrBlock: supernetText, TransitGatewayId: tgwId, Origin: 'CreateRoute', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natOf(z), Origin: 'CreateRoute', State: 'active' },
    ]);
    const tgwRoutes: Route[] = [];
    if (options.bypassFirewall) {
      tgwRoutes.push({
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: natOf(z),
        Origin: 'CreateRoute',
        State: 'active',
      });
    } else if (!options.omitFirewallRouteAzs?.includes(az)) {
      tgwRoutes.push({
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: routedEndpoint(z),
        Origin: 'CreateRoute',
        State: 'active',
      });
    }
    addSubnet('inspection', inspVpc, `inspection-tgw-${a}`, subCidr(ic, 24, 32 + z), az, tgwRoutes);

    const eip = `203.0.113.${10 + z}`;
    const natEni = `eni-nat-${a}`;
    const natPrivate = nthAddress(parseCidr(pub.CidrBlock!), 10);
    s.NatGateways.push({
      NatGatewayId: natOf(z),
      SubnetId: pub.SubnetId,
      VpcId: inspVpc,
      State: 'available',
      ConnectivityType: 'public',
      NatGatewayAddresses: [
        {
          AllocationId: `eipalloc-nat-${a}`,
          NetworkInterfaceId: natEni,
          PrivateIp: natPrivate,
          PublicIp: eip,
          AssociationId: `eipassoc-nat-${a}`,
          IsPrimary: true,
          Status: 'succeeded',
        },
      ],
      Tags: tags('inspection', natOf(z)),
    } satisfies NatGateway);
    s.Addresses.push({
      AllocationId: `eipalloc-nat-${a}`,
      AssociationId: `eipassoc-nat-${a}`,
      Domain: 'vpc',
      NetworkInterfaceId: natEni,
      NetworkInterfaceOwnerId: ACCOUNT,
      PrivateIpAddress: natPrivate,
      PublicIp: eip,
      NetworkBorderGroup: region,
      PublicIpv4Pool: 'amazon',
      Tags: tags('inspection', `eip-nat-${a}`),
    } satisfies Address);
    addEni({
      NetworkInterfaceId: natEni,
      InterfaceType: 'natGateway',
      SubnetId: pub.SubnetId,
      VpcId: inspVpc,
      AvailabilityZone: az,
      PrivateIpAddress: natPrivate,
      RequesterManaged: true,
      Association: {
        PublicIp: eip,
        AllocationId: `eipalloc-nat-${a}`,
        AssociationId: `eipassoc-nat-${a}`,
        IpOwnerId: 'amazon',
      },
      Description: `Interface for NAT Gateway ${natOf(z)}`,
      Groups: [],
    });
  });
  // Network Firewall: one endpoint per firewall subnet, reported per AZ in SyncStates.
  const firewallArn = `arn:aws:network-firewall:${region}:${ACCOUNT}:firewall/hubspoke-${env}`;
  const policyArn = `arn:aws:network-firewall:${region}:${ACCOUNT}:firewall-policy/hubspoke-${env}`;
  const syncStates: Record<string, SyncState> = {};
  azs.forEach((az, z) => {
    const fwSubnet = subnetByName.get(`inspection-firewall-${azSuffix(az)}`)!;
    syncStates[az] = {
      Attachment: { SubnetId: fwSubnet.SubnetId, EndpointId: endpointOf(z), Status: 'READY' },
      Config: { [policyArn]: { SyncStatus: 'IN_SYNC', UpdateToken: 'token-1' } },
    };
    const eniId = `eni-fw-${azSuffix(az)}`;
    s.VpcEndpoints.push({
      VpcEndpointId: endpointOf(z),
      VpcEndpointType: 'GatewayLoadBalancer',
      VpcId: inspVpc,
      ServiceName: `com.amazonaws.vpce.${region}.vpce-svc-hubspoke${env}`,
      State: 'Available',
      SubnetIds: [fwSubnet.SubnetId!],
      NetworkInterfaceIds: [eniId],
      RequesterManaged: true,
      OwnerId: ACCOUNT,
    } satisfies VpcEndpoint);
    addEni({
      NetworkInterfaceId: eniId,
      InterfaceType: 'gateway_load_balancer_endpoint',
      SubnetId: fwSubnet.SubnetId,
      VpcId: inspVpc,
      AvailabilityZone: az,
      PrivateIpAddress: nthAddress(parseCidr(fwSubnet.CidrBlock!), 10),
      RequesterManaged: true,
      Description: `VPC Endpoint Interface ${endpointOf(z)}`,
      Groups: [],
    });
  });
  s.Firewalls.push({
    UpdateToken: 'token-1',
    Firewall: {
      FirewallName: `hubspoke-${env}`,
      FirewallArn: firewallArn,
      FirewallId: `fw-hubspoke-${env}`,
      FirewallPolicyArn: policyArn,
      VpcId: inspVpc,
      SubnetMappings: azs.map((az) => ({
        SubnetId: subnetByName.get(`inspection-firewall-${azSuffix(az)}`)!.SubnetId!,
        IPAddressType: 'IPV4',
      })),
      DeleteProtection: false,
      SubnetChangeProtection: false,
      FirewallPolicyChangeProtection: false,
      Tags: tags('inspection', `hubspoke-${env}`).map((t) => ({ Key: t.Key!, Value: t.Value! })),
    },
    FirewallStatus: { Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC', SyncStates: syncStates },
  } satisfies DescribeFirewallResponse);

  // Firewall policy and rule groups, as DescribeFirewallPolicy / DescribeRuleGroup return them.
  const ruleOrder = options.ruleOrder ?? 'STRICT_ORDER';
  const groupArn = (name: string): string =>
    `arn:aws:network-firewall:${region}:${ACCOUNT}:stateful-rulegroup/${name}`;
  const refs: { ResourceArn: string; Priority?: number }[] = [];
  const addGroup = (name: string, priority: number, group: DescribeRuleGroupResponse['RuleGroup']): void => {
    s.RuleGroups.push({
      UpdateToken: 'token-1',
      RuleGroupResponse: {
        RuleGroupArn: groupArn(name),
        RuleGroupName: name,
        RuleGroupId: `rg-${name}`,
        Type: 'STATEFUL',
        Capacity: 100,
        RuleGroupStatus: 'ACTIVE',
      },
      RuleGroup: group,
    } satisfies DescribeRuleGroupResponse);
    refs.push(
      ruleOrder === 'STRICT_ORDER'
        ? { ResourceArn: groupArn(name), Priority: priority }
        : { ResourceArn: groupArn(name) },
    );
  };
  const strict = { StatefulRuleOptions: { RuleOrder: ruleOrder } };
  if (options.handshakeRule ?? true) {
    addGroup(`hubspoke-${env}-handshake`, 1, {
      RulesSource: {
        RulesString:
          'pass tcp any any <> $EXTERNAL_NET 443 (msg:"Allowing TCP in port 443"; flow:not_established; sid:892123; rev:1;)\n' +
          'pass tcp any any <> $EXTERNAL_NET 80 (msg:"Allowing TCP in port 80"; flow:not_established; sid:892124; rev:1;)',
      },
      ...strict,
    });
  }
  addGroup(`hubspoke-${env}-domains`, 100, {
    ...(homeNet ? { RuleVariables: { IPSets: { HOME_NET: { Definition: homeNet } } } } : {}),
    RulesSource: {
      RulesSourceList: {
        Targets: allowed,
        TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
        GeneratedRulesType: 'ALLOWLIST',
      },
    },
    ...strict,
  });
  if (options.extraRules) {
    addGroup(`hubspoke-${env}-custom`, 300, { RulesSource: { RulesString: options.extraRules }, ...strict });
  }
  s.FirewallPolicies.push({
    UpdateToken: 'token-1',
    FirewallPolicyResponse: {
      FirewallPolicyName: `hubspoke-${env}`,
      FirewallPolicyArn: policyArn,
      FirewallPolicyId: `fwp-hubspoke-${env}`,
      FirewallPolicyStatus: 'ACTIVE',
    },
    FirewallPolicy: {
      StatelessDefaultActions: ['aws:forward_to_sfe'],
      StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
      StatefulRuleGroupReferences: refs,
      StatefulDefaultActions:
        ruleOrder === 'STRICT_ORDER'
          ? (options.statefulDefaultActions ?? ['aws:drop_strict'])
          : options.statefulDefaultActions,
      StatefulEngineOptions: { RuleOrder: ruleOrder },
      ...(homeNet ? { PolicyVariables: { RuleVariables: { HOME_NET: { Definition: homeNet } } } } : {}),
    },
  } satisfies DescribeFirewallPolicyResponse);

  const inspTgwSubnets = azs.map((az) => subnetByName.get(`inspection-tgw-${azSuffix(az)}`)!);
  addTgwAttachment('inspection', inspVpc, 'tgw-attach-inspection', inspTgwSubnets, applianceMode);
  addNacl('inspection', inspVpc);

  // ---- spokes ----
  // TGW /28s: from 10.k.32.0 in a /16; in the last /24 of a longer prefix.
  const tgwBlock = Math.min(32 * 16, 2 ** (28 - spokePrefix) - 16);
  const spokeAttachments: { attId: string; vpcId: string; cidr: string; associated: boolean }[] = [];
  for (let i = 0; i < spokeCount; i++) {
    const name = spokeName(i);
    const vpcId = `vpc-${name}`;
    const cidr = subCidr(supernet, spokePrefix, i + firstSpoke);
    vpcCidrs.set(vpcId, cidr);
    addVpc(name, vpcId, cidr);
    const vc = parseCidr(cidr);
    const toIgw = options.spokeRouteToIgw?.includes(i) ?? false;
    const attached = !(options.detachedSpokes?.includes(i) ?? false);
    if (toIgw) {
      s.InternetGateways.push({
        InternetGatewayId: `igw-${name}`,
        OwnerId: ACCOUNT,
        Attachments: [{ VpcId: vpcId, State: IGW_ATTACHED }],
        Tags: tags(name, `igw-${name}`),
      });
    }
    const defaultRoute: Route[] = toIgw
      ? [
          {
            DestinationCidrBlock: '0.0.0.0/0',
            GatewayId: `igw-${name}`,
            Origin: 'CreateRoute',
            State: 'active',
          },
        ]
      : attached
        ? [
            {
              DestinationCidrBlock: '0.0.0.0/0',
              TransitGatewayId: tgwId,
              Origin: 'CreateRoute',
              State: 'active',
            },
          ]
        : [];
    const workload = azs.map((az, z) =>
      addSubnet(name, vpcId, `${name}-workload-${azSuffix(az)}`, subCidr(vc, 24, z), az, defaultRoute),
    );
    const tgwSubnets = azs.map((az, z) =>
      addSubnet(name, vpcId, `${name}-tgw-${azSuffix(az)}`, subCidr(vc, 28, tgwBlock + z), az, []),
    );
    addNacl(name, vpcId);
    const attId = `tgw-attach-${name}`;
    if (attached) {
      addTgwAttachment(name, vpcId, attId, tgwSubnets, false);
      const associated = !(options.unassociatedSpokes?.includes(i) ?? false);
      spokeAttachments.push({ attId, vpcId, cidr, associated });
    }

    // SSM interface endpoints in every workload subnet, reachable on 443 from the VPC.
    const endpointSg = `sg-${name}-endpoints`;
    s.SecurityGroups.push({
      GroupId: endpointSg,
      GroupName: `${name}-endpoints`,
      Description: 'HTTPS from the VPC to the interface endpoints',
      VpcId: vpcId,
      OwnerId: ACCOUNT,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      Tags: tags(name, endpointSg),
    });
    SSM_SERVICES.forEach((svc, j) => {
      const vpceId = `vpce-${name}-${svc}`;
      const eniIds = workload.map((w) => `eni-${name}-${svc}-${azSuffix(w.AvailabilityZone!)}`);
      s.VpcEndpoints.push({
        VpcEndpointId: vpceId,
        VpcEndpointType: 'Interface',
        VpcId: vpcId,
        ServiceName: `com.amazonaws.${region}.${svc}`,
        State: 'Available',
        SubnetIds: workload.map((w) => w.SubnetId!),
        Groups: [{ GroupId: endpointSg, GroupName: `${name}-endpoints` }],
        PrivateDnsEnabled: true,
        RequesterManaged: false,
        NetworkInterfaceIds: eniIds,
        DnsEntries: [{ DnsName: `${vpceId}.${svc}.${region}.vpce.amazonaws.com` }],
        OwnerId: ACCOUNT,
        Tags: tags(name, vpceId),
      } satisfies VpcEndpoint);
      workload.forEach((w, z) =>
        addEni({
          NetworkInterfaceId: eniIds[z],
          InterfaceType: 'vpc_endpoint',
          SubnetId: w.SubnetId,
          VpcId: vpcId,
          AvailabilityZone: w.AvailabilityZone,
          PrivateIpAddress: nthAddress(parseCidr(w.CidrBlock!), 20 + j),
          RequesterManaged: true,
          Description: `VPC Endpoint Interface ${vpceId}`,
          Groups: [{ GroupId: endpointSg, GroupName: `${name}-endpoints` }],
        }),
      );
    });

    if (probes) {
      const probeSg = `sg-${name}-probe`;
      s.SecurityGroups.push({
        GroupId: probeSg,
        GroupName: `${name}-probe`,
        Description: 'Probe: no ingress, all egress',
        VpcId: vpcId,
        OwnerId: ACCOUNT,
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        Tags: tags(name, probeSg),
      });
      const w = workload[0]!;
      const ip = nthAddress(parseCidr(w.CidrBlock!), 10);
      const instanceId = `i-${name}-probe`;
      const eniId = `eni-${name}-probe`;
      const publicIp = toIgw && options.probePublicIps ? `198.51.100.${10 + i}` : undefined;
      const group = { GroupId: probeSg, GroupName: `${name}-probe` };
      addEni({
        NetworkInterfaceId: eniId,
        InterfaceType: 'interface',
        SubnetId: w.SubnetId,
        VpcId: vpcId,
        AvailabilityZone: w.AvailabilityZone,
        PrivateIpAddress: ip,
        Groups: [group],
        RequesterManaged: false,
        Attachment: {
          InstanceId: instanceId,
          DeviceIndex: 0,
          Status: 'attached',
          AttachmentId: `eni-attach-${name}-probe`,
        },
        ...(publicIp ? { Association: { PublicIp: publicIp, IpOwnerId: 'amazon' } } : {}),
      });
      s.Instances.push({
        InstanceId: instanceId,
        InstanceType: 't3.micro',
        ImageId: 'ami-0123456789abcdef0',
        State: { Code: 16, Name: 'running' },
        Placement: { AvailabilityZone: w.AvailabilityZone },
        SubnetId: w.SubnetId,
        VpcId: vpcId,
        PrivateIpAddress: ip,
        ...(publicIp ? { PublicIpAddress: publicIp } : {}),
        SecurityGroups: [group],
        IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}-probe` },
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', State: 'applied' },
        NetworkInterfaces: [
          {
            NetworkInterfaceId: eniId,
            SubnetId: w.SubnetId,
            VpcId: vpcId,
            PrivateIpAddress: ip,
            Groups: [group],
            Attachment: { AttachmentId: `eni-attach-${name}-probe`, DeviceIndex: 0, Status: 'attached' },
            ...(publicIp ? { Association: { PublicIp: publicIp, IpOwnerId: 'amazon' } } : {}),
          },
        ],
        Tags: tags(name, `${name}-probe`, [{ Key: PROBE_TAG.key, Value: PROBE_TAG.value }]),
      } satisfies Instance);
    }
  }

  // ---- Transit Gateway ----
  s.TransitGateways.push({
    TransitGatewayId: tgwId,
    TransitGatewayArn: `arn:aws:ec2:${region}:${ACCOUNT}:transit-gateway/${tgwId}`,
    State: 'available',
    OwnerId: ACCOUNT,
    Options: {
      AmazonSideAsn: 64512,
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
      DnsSupport: 'enable',
      VpnEcmpSupport: 'enable',
    },
    Tags: tags('tgw', tgwId),
  });
  for (const rtb of [spokeRtb, inspRtb]) {
    s.TransitGatewayRouteTables.push({
      TransitGatewayRouteTableId: rtb,
      TransitGatewayId: tgwId,
      State: 'available',
      DefaultAssociationRouteTable: false,
      DefaultPropagationRouteTable: false,
      Tags: tags('tgw', rtb),
    });
  }
  const allAttachments = [
    { attId: 'tgw-attach-inspection', vpcId: inspVpc, cidr: inspCidr, associated: true },
    ...spokeAttachments,
  ];
  for (const a of allAttachments) {
    s.TransitGatewayAttachments.push({
      TransitGatewayAttachmentId: a.attId,
      TransitGatewayId: tgwId,
      TransitGatewayOwnerId: ACCOUNT,
      ResourceOwnerId: ACCOUNT,
      ResourceType: 'vpc',
      ResourceId: a.vpcId,
      State: 'available',
      ...(a.associated
        ? {
            Association: {
              TransitGatewayRouteTableId: a.vpcId === inspVpc ? inspRtb : spokeRtb,
              State: 'associated',
            },
          }
        : {}),
    } satisfies TransitGatewayAttachment);
  }
  const assoc = (a: { attId: string; vpcId: string }): TransitGatewayRouteTableAssociation => ({
    TransitGatewayAttachmentId: a.attId,
    ResourceId: a.vpcId,
    ResourceType: 'vpc',
    State: 'associated',
  });
  const prop = (rtb: string, a: { attId: string; vpcId: string }): TransitGatewayPropagation => ({
    TransitGatewayAttachmentId: a.attId,
    ResourceId: a.vpcId,
    ResourceType: 'vpc',
    TransitGatewayRouteTableId: rtb,
    State: 'enabled',
  });
  s.TransitGatewayRouteTableAssociations[spokeRtb] = spokeAttachments.filter((a) => a.associated).map(assoc);
  s.TransitGatewayRouteTableAssociations[inspRtb] = [assoc(allAttachments[0]!)];
  s.TransitGatewayRouteTablePropagations[inspRtb] = spokeAttachments.map((a) => prop(inspRtb, a));
  s.TransitGatewayRouteTablePropagations[spokeRtb] = options.spokesPropagateToSpokeRt
    ? spokeAttachments.map((a) => prop(spokeRtb, a))
    : [];

  const blackholes = options.tgwBlackholeCidrs ?? [];
  const route = (
    cidr: string,
    a: { attId: string; vpcId: string } | null,
    type: 'static' | 'propagated',
  ): TransitGatewayRoute => ({
    DestinationCidrBlock: cidr,
    Type: type,
    State: a ? 'active' : 'blackhole',
    ...(a
      ? {
          TransitGatewayAttachments: [
            { ResourceId: a.vpcId, TransitGatewayAttachmentId: a.attId, ResourceType: 'vpc' },
          ],
        }
      : {}),
  });
  if (options.tgwRoutes ?? true) {
    s.TransitGatewayRoutes[spokeRtb] = [
      route('0.0.0.0/0', allAttachments[0]!, 'static'),
      ...(options.spokesPropagateToSpokeRt
        ? spokeAttachments.map((a) => route(a.cidr, a, 'propagated'))
        : []),
      ...blackholes.map((c) => route(c, null, 'static')),
    ];
    s.TransitGatewayRoutes[inspRtb] = [
      ...spokeAttachments.map((a) => route(a.cidr, a, 'propagated')),
      ...blackholes.map((c) => route(c, null, 'static')),
    ];
  } else {
    // Only the static routes are listed (as a reader that cannot search routes would); the model
    // derives the propagated ones from the propagations and the VPC CIDRs.
    s.TransitGatewayRoutes[spokeRtb] = [
      route('0.0.0.0/0', allAttachments[0]!, 'static'),
      ...blackholes.map((c) => route(c, null, 'static')),
    ];
    if (blackholes.length > 0)
      s.TransitGatewayRoutes[inspRtb] = blackholes.map((c) => route(c, null, 'static'));
  }
  if (options.defaultVpc) addDefaultVpc(s, azs);
  return s;
}

/** The default VPC AWS creates in every account: public subnets, an IGW, no project tags. */
function addDefaultVpc(
  s: Pick<Required<NetworkSnapshot>, 'Vpcs' | 'InternetGateways' | 'RouteTables' | 'Subnets' | 'NetworkAcls'>,
  azs: string[],
): void {
  const vpcId = 'vpc-default';
  const cidr = '172.31.0.0/16';
  s.Vpcs.push({
    VpcId: vpcId,
    CidrBlock: cidr,
    CidrBlockAssociationSet: [
      { AssociationId: `${vpcId}-cidr-assoc`, CidrBlock: cidr, CidrBlockState: { State: 'associated' } },
    ],
    State: 'available',
    IsDefault: true,
    OwnerId: ACCOUNT,
  });
  s.InternetGateways.push({
    InternetGatewayId: 'igw-default',
    OwnerId: ACCOUNT,
    Attachments: [{ VpcId: vpcId, State: IGW_ATTACHED }],
  });
  s.RouteTables.push({
    RouteTableId: 'rtb-default-main',
    VpcId: vpcId,
    OwnerId: ACCOUNT,
    Routes: [
      localRoute(cidr),
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-default', Origin: 'CreateRoute', State: 'active' },
    ],
    Associations: [
      {
        Main: true,
        RouteTableId: 'rtb-default-main',
        RouteTableAssociationId: 'rtbassoc-default-main',
        AssociationState: { State: 'associated' },
      },
    ],
  });
  azs.forEach((az, z) =>
    s.Subnets.push({
      SubnetId: `subnet-default-${azSuffix(az)}`,
      VpcId: vpcId,
      CidrBlock: subCidr(parseCidr(cidr), 20, z),
      AvailabilityZone: az,
      AvailableIpAddressCount: 4091,
      MapPublicIpOnLaunch: true,
      DefaultForAz: true,
      State: 'available',
      OwnerId: ACCOUNT,
    }),
  );
  s.NetworkAcls.push({
    NetworkAclId: 'acl-default',
    VpcId: vpcId,
    IsDefault: true,
    OwnerId: ACCOUNT,
    Entries: [false, true].flatMap((Egress) => [
      { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress, CidrBlock: '0.0.0.0/0' },
    ]),
    Associations: azs.map((az) => ({
      NetworkAclAssociationId: `aclassoc-default-${azSuffix(az)}`,
      NetworkAclId: 'acl-default',
      SubnetId: `subnet-default-${azSuffix(az)}`,
    })),
  });
}

function localRoute(cidr: string): Route {
  return { DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
}
