/**
 * Every member of the snapshot must be shaped exactly as the AWS API response types. The key
 * lists below are typed `Record<keyof T, 1>`, so the type check proves each list is exactly the
 * SDK type's members; the test then proves the snapshot uses no key outside them.
 */
import type {
  Address,
  Instance,
  InstanceNetworkInterface,
  InternetGateway,
  IpPermission,
  NatGateway,
  NatGatewayAddress,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  Route,
  RouteTable,
  RouteTableAssociation,
  SecurityGroup,
  Subnet,
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayOptions,
  TransitGatewayPropagation,
  TransitGatewayRoute,
  TransitGatewayRouteAttachment,
  TransitGatewayRouteTable,
  TransitGatewayRouteTableAssociation,
  TransitGatewayVpcAttachment,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type {
  Attachment,
  DescribeFirewallPolicyResponse,
  DescribeFirewallResponse,
  DescribeRuleGroupResponse,
  Firewall,
  FirewallPolicy,
  FirewallPolicyResponse,
  FirewallStatus,
  RuleGroup,
  RuleGroupResponse,
  RulesSource,
  RulesSourceList,
  StatefulEngineOptions,
  StatefulRuleGroupReference,
  SyncState,
} from '@aws-sdk/client-network-firewall';
import { SNAPSHOT_MEMBERS } from '@hubspoke/netmodel';
import { MockCloud } from '../src';
import { hubProgram, inspectionProgram, spokeProgram } from './fixtures/network';
import { run } from './helpers';

const keys =
  <T>() =>
  (k: Record<keyof T, 1>): Set<string> =>
    new Set(Object.keys(k));

const KEYS = {
  Vpc: keys<Vpc>()({ OwnerId: 1, InstanceTenancy: 1, Ipv6CidrBlockAssociationSet: 1, CidrBlockAssociationSet: 1, IsDefault: 1, EncryptionControl: 1, Tags: 1, BlockPublicAccessStates: 1, VpcId: 1, State: 1, CidrBlock: 1, DhcpOptionsId: 1 }),
  Subnet: keys<Subnet>()({ AvailabilityZoneId: 1, EnableLniAtDeviceIndex: 1, MapCustomerOwnedIpOnLaunch: 1, CustomerOwnedIpv4Pool: 1, OwnerId: 1, AssignIpv6AddressOnCreation: 1, Ipv6CidrBlockAssociationSet: 1, Tags: 1, SubnetArn: 1, OutpostArn: 1, EnableDns64: 1, Ipv6Native: 1, PrivateDnsNameOptionsOnLaunch: 1, BlockPublicAccessStates: 1, Type: 1, SubnetId: 1, State: 1, VpcId: 1, CidrBlock: 1, AvailableIpAddressCount: 1, AvailabilityZone: 1, DefaultForAz: 1, MapPublicIpOnLaunch: 1 }),
  RouteTable: keys<RouteTable>()({ Associations: 1, PropagatingVgws: 1, RouteTableId: 1, Routes: 1, Tags: 1, VpcId: 1, OwnerId: 1 }),
  Route: keys<Route>()({ DestinationCidrBlock: 1, DestinationIpv6CidrBlock: 1, DestinationPrefixListId: 1, EgressOnlyInternetGatewayId: 1, GatewayId: 1, InstanceId: 1, InstanceOwnerId: 1, NatGatewayId: 1, TransitGatewayId: 1, LocalGatewayId: 1, CarrierGatewayId: 1, NetworkInterfaceId: 1, Origin: 1, State: 1, VpcPeeringConnectionId: 1, CoreNetworkArn: 1, OdbNetworkArn: 1, IpAddress: 1 }),
  RouteTableAssociation: keys<RouteTableAssociation>()({ Main: 1, RouteTableAssociationId: 1, RouteTableId: 1, SubnetId: 1, GatewayId: 1, PublicIpv4Pool: 1, AssociationState: 1 }),
  InternetGateway: keys<InternetGateway>()({ Attachments: 1, InternetGatewayId: 1, OwnerId: 1, Tags: 1 }),
  NatGateway: keys<NatGateway>()({ CreateTime: 1, DeleteTime: 1, FailureCode: 1, FailureMessage: 1, NatGatewayAddresses: 1, NatGatewayId: 1, ProvisionedBandwidth: 1, State: 1, SubnetId: 1, VpcId: 1, Tags: 1, ConnectivityType: 1, AvailabilityMode: 1, AutoScalingIps: 1, AutoProvisionZones: 1, AttachedAppliances: 1, RouteTableId: 1 }),
  NatGatewayAddress: keys<NatGatewayAddress>()({ AllocationId: 1, NetworkInterfaceId: 1, PrivateIp: 1, PublicIp: 1, AssociationId: 1, IsPrimary: 1, FailureMessage: 1, Status: 1, AvailabilityZone: 1, AvailabilityZoneId: 1 }),
  Address: keys<Address>()({ AllocationId: 1, AssociationId: 1, Domain: 1, NetworkInterfaceId: 1, NetworkInterfaceOwnerId: 1, PrivateIpAddress: 1, Tags: 1, PublicIpv4Pool: 1, NetworkBorderGroup: 1, CustomerOwnedIp: 1, CustomerOwnedIpv4Pool: 1, CarrierIp: 1, SubnetId: 1, ServiceManaged: 1, InstanceId: 1, PublicIp: 1 }),
  VpcEndpoint: keys<VpcEndpoint>()({ VpcEndpointId: 1, VpcEndpointType: 1, VpcId: 1, ServiceName: 1, State: 1, PolicyDocument: 1, RouteTableIds: 1, SubnetIds: 1, Groups: 1, IpAddressType: 1, DnsOptions: 1, PrivateDnsEnabled: 1, RequesterManaged: 1, NetworkInterfaceIds: 1, DnsEntries: 1, CreationTimestamp: 1, Tags: 1, OwnerId: 1, LastError: 1, Ipv4Prefixes: 1, Ipv6Prefixes: 1, FailureReason: 1, ServiceNetworkArn: 1, ResourceConfigurationArn: 1, ServiceRegion: 1 }),
  SecurityGroup: keys<SecurityGroup>()({ GroupId: 1, IpPermissionsEgress: 1, Tags: 1, VpcId: 1, SecurityGroupArn: 1, OwnerId: 1, GroupName: 1, Description: 1, IpPermissions: 1 }),
  IpPermission: keys<IpPermission>()({ IpProtocol: 1, FromPort: 1, ToPort: 1, UserIdGroupPairs: 1, IpRanges: 1, Ipv6Ranges: 1, PrefixListIds: 1 }),
  NetworkAcl: keys<NetworkAcl>()({ Associations: 1, Entries: 1, IsDefault: 1, NetworkAclId: 1, Tags: 1, VpcId: 1, OwnerId: 1 }),
  NetworkAclEntry: keys<NetworkAclEntry>()({ CidrBlock: 1, Egress: 1, IcmpTypeCode: 1, Ipv6CidrBlock: 1, PortRange: 1, Protocol: 1, RuleAction: 1, RuleNumber: 1 }),
  NetworkInterface: keys<NetworkInterface>()({ Association: 1, Attachment: 1, AvailabilityZone: 1, ConnectionTrackingConfiguration: 1, Description: 1, Groups: 1, InterfaceType: 1, Ipv6Addresses: 1, MacAddress: 1, NetworkInterfaceId: 1, OutpostArn: 1, OwnerId: 1, PrivateDnsName: 1, PublicDnsName: 1, PublicIpDnsNameOptions: 1, PrivateIpAddress: 1, PrivateIpAddresses: 1, Ipv4Prefixes: 1, Ipv6Prefixes: 1, RequesterId: 1, RequesterManaged: 1, SourceDestCheck: 1, Status: 1, SubnetId: 1, TagSet: 1, VpcId: 1, DenyAllIgwTraffic: 1, Ipv6Native: 1, Ipv6Address: 1, Operator: 1, AssociatedSubnets: 1, AvailabilityZoneId: 1 }),
  Instance: keys<Instance>()({ Architecture: 1, BlockDeviceMappings: 1, ClientToken: 1, EbsOptimized: 1, EnaSupport: 1, Hypervisor: 1, IamInstanceProfile: 1, InstanceLifecycle: 1, ElasticGpuAssociations: 1, ElasticInferenceAcceleratorAssociations: 1, NetworkInterfaces: 1, OutpostArn: 1, RootDeviceName: 1, RootDeviceType: 1, SecurityGroups: 1, SourceDestCheck: 1, SpotInstanceRequestId: 1, SriovNetSupport: 1, StateReason: 1, Tags: 1, VirtualizationType: 1, CpuOptions: 1, CapacityBlockId: 1, CapacityReservationId: 1, CapacityReservationSpecification: 1, HibernationOptions: 1, Licenses: 1, MetadataOptions: 1, EnclaveOptions: 1, BootMode: 1, PlatformDetails: 1, UsageOperation: 1, UsageOperationUpdateTime: 1, PrivateDnsNameOptions: 1, Ipv6Address: 1, TpmSupport: 1, MaintenanceOptions: 1, CurrentInstanceBootMode: 1, NetworkPerformanceOptions: 1, Operator: 1, SecondaryInterfaces: 1, InstanceId: 1, ImageId: 1, State: 1, PrivateDnsName: 1, PublicDnsName: 1, StateTransitionReason: 1, KeyName: 1, AmiLaunchIndex: 1, ProductCodes: 1, InstanceType: 1, LaunchTime: 1, Placement: 1, KernelId: 1, RamdiskId: 1, Platform: 1, Monitoring: 1, SubnetId: 1, VpcId: 1, PrivateIpAddress: 1, PublicIpAddress: 1 }),
  InstanceNetworkInterface: keys<InstanceNetworkInterface>()({ Association: 1, Attachment: 1, Description: 1, Groups: 1, Ipv6Addresses: 1, MacAddress: 1, NetworkInterfaceId: 1, OwnerId: 1, PrivateDnsName: 1, PrivateIpAddress: 1, PrivateIpAddresses: 1, SourceDestCheck: 1, Status: 1, SubnetId: 1, VpcId: 1, InterfaceType: 1, Ipv4Prefixes: 1, Ipv6Prefixes: 1, ConnectionTrackingConfiguration: 1, Operator: 1 }),
  TransitGateway: keys<TransitGateway>()({ TransitGatewayId: 1, TransitGatewayArn: 1, State: 1, OwnerId: 1, Description: 1, CreationTime: 1, Options: 1, Tags: 1 }),
  TransitGatewayOptions: keys<TransitGatewayOptions>()({ AmazonSideAsn: 1, TransitGatewayCidrBlocks: 1, AutoAcceptSharedAttachments: 1, DefaultRouteTableAssociation: 1, AssociationDefaultRouteTableId: 1, DefaultRouteTablePropagation: 1, PropagationDefaultRouteTableId: 1, VpnEcmpSupport: 1, DnsSupport: 1, SecurityGroupReferencingSupport: 1, MulticastSupport: 1, EncryptionSupport: 1 }),
  TransitGatewayAttachment: keys<TransitGatewayAttachment>()({ TransitGatewayAttachmentId: 1, TransitGatewayId: 1, TransitGatewayOwnerId: 1, ResourceOwnerId: 1, ResourceType: 1, ResourceId: 1, State: 1, Association: 1, CreationTime: 1, Tags: 1 }),
  TransitGatewayVpcAttachment: keys<TransitGatewayVpcAttachment>()({ TransitGatewayAttachmentId: 1, TransitGatewayId: 1, VpcId: 1, VpcOwnerId: 1, State: 1, SubnetIds: 1, CreationTime: 1, Options: 1, Tags: 1 }),
  TransitGatewayRouteTable: keys<TransitGatewayRouteTable>()({ TransitGatewayRouteTableId: 1, TransitGatewayId: 1, State: 1, DefaultAssociationRouteTable: 1, DefaultPropagationRouteTable: 1, CreationTime: 1, Tags: 1 }),
  TransitGatewayRouteTableAssociation: keys<TransitGatewayRouteTableAssociation>()({ TransitGatewayAttachmentId: 1, ResourceId: 1, ResourceType: 1, State: 1 }),
  TransitGatewayPropagation: keys<TransitGatewayPropagation>()({ TransitGatewayAttachmentId: 1, ResourceId: 1, ResourceType: 1, TransitGatewayRouteTableId: 1, State: 1, TransitGatewayRouteTableAnnouncementId: 1 }),
  TransitGatewayRoute: keys<TransitGatewayRoute>()({ DestinationCidrBlock: 1, PrefixListId: 1, TransitGatewayRouteTableAnnouncementId: 1, TransitGatewayAttachments: 1, Type: 1, State: 1 }),
  TransitGatewayRouteAttachment: keys<TransitGatewayRouteAttachment>()({ ResourceId: 1, TransitGatewayAttachmentId: 1, ResourceType: 1 }),
  DescribeFirewallResponse: keys<DescribeFirewallResponse>()({ UpdateToken: 1, Firewall: 1, FirewallStatus: 1 }),
  Firewall: keys<Firewall>()({ FirewallName: 1, FirewallArn: 1, FirewallPolicyArn: 1, VpcId: 1, SubnetMappings: 1, DeleteProtection: 1, SubnetChangeProtection: 1, FirewallPolicyChangeProtection: 1, Description: 1, FirewallId: 1, Tags: 1, EncryptionConfiguration: 1, NumberOfAssociations: 1, EnabledAnalysisTypes: 1, TransitGatewayId: 1, TransitGatewayOwnerAccountId: 1, AvailabilityZoneMappings: 1, AvailabilityZoneChangeProtection: 1 }),
  FirewallStatus: keys<FirewallStatus>()({ Status: 1, ConfigurationSyncStateSummary: 1, SyncStates: 1, CapacityUsageSummary: 1, TransitGatewayAttachmentSyncState: 1 }),
  SyncState: keys<SyncState>()({ Attachment: 1, Config: 1 }),
  Attachment: keys<Attachment>()({ SubnetId: 1, EndpointId: 1, Status: 1, StatusMessage: 1 }),
  DescribeFirewallPolicyResponse: keys<DescribeFirewallPolicyResponse>()({ UpdateToken: 1, FirewallPolicyResponse: 1, FirewallPolicy: 1 }),
  FirewallPolicyResponse: keys<FirewallPolicyResponse>()({ FirewallPolicyName: 1, FirewallPolicyArn: 1, FirewallPolicyId: 1, Description: 1, FirewallPolicyStatus: 1, Tags: 1, ConsumedStatelessRuleCapacity: 1, ConsumedStatefulRuleCapacity: 1, ConsumedStatefulDomainCapacity: 1, NumberOfAssociations: 1, EncryptionConfiguration: 1, LastModifiedTime: 1 }),
  FirewallPolicy: keys<FirewallPolicy>()({ StatelessRuleGroupReferences: 1, StatelessDefaultActions: 1, StatelessFragmentDefaultActions: 1, StatelessCustomActions: 1, StatefulRuleGroupReferences: 1, StatefulDefaultActions: 1, StatefulEngineOptions: 1, TLSInspectionConfigurationArn: 1, PolicyVariables: 1, EnableTLSSessionHolding: 1 }),
  StatefulRuleGroupReference: keys<StatefulRuleGroupReference>()({ ResourceArn: 1, Priority: 1, Override: 1, DeepThreatInspection: 1 }),
  StatefulEngineOptions: keys<StatefulEngineOptions>()({ RuleOrder: 1, StreamExceptionPolicy: 1, FlowTimeouts: 1 }),
  DescribeRuleGroupResponse: keys<DescribeRuleGroupResponse>()({ UpdateToken: 1, RuleGroup: 1, RuleGroupResponse: 1 }),
  RuleGroupResponse: keys<RuleGroupResponse>()({ RuleGroupArn: 1, RuleGroupName: 1, RuleGroupId: 1, Description: 1, Type: 1, Capacity: 1, RuleGroupStatus: 1, Tags: 1, ConsumedCapacity: 1, NumberOfAssociations: 1, EncryptionConfiguration: 1, SourceMetadata: 1, SnsTopic: 1, LastModifiedTime: 1, AnalysisResults: 1, SummaryConfiguration: 1 }),
  RuleGroup: keys<RuleGroup>()({ RuleVariables: 1, ReferenceSets: 1, RulesSource: 1, StatefulRuleOptions: 1 }),
  RulesSource: keys<RulesSource>()({ RulesString: 1, RulesSourceList: 1, StatefulRules: 1, StatelessRulesAndCustomActions: 1 }),
  RulesSourceList: keys<RulesSourceList>()({ Targets: 1, TargetTypes: 1, GeneratedRulesType: 1 }),
};

type Shape = keyof typeof KEYS;
/** Nested members to descend into: a list/object of a shape, or a map whose values are one. */
const NESTED: Partial<Record<Shape, Record<string, Shape | { map: Shape }>>> = {
  RouteTable: { Routes: 'Route', Associations: 'RouteTableAssociation' },
  NatGateway: { NatGatewayAddresses: 'NatGatewayAddress' },
  SecurityGroup: { IpPermissions: 'IpPermission', IpPermissionsEgress: 'IpPermission' },
  NetworkAcl: { Entries: 'NetworkAclEntry' },
  Instance: { NetworkInterfaces: 'InstanceNetworkInterface' },
  TransitGateway: { Options: 'TransitGatewayOptions' },
  TransitGatewayRoute: { TransitGatewayAttachments: 'TransitGatewayRouteAttachment' },
  DescribeFirewallResponse: { Firewall: 'Firewall', FirewallStatus: 'FirewallStatus' },
  FirewallStatus: { SyncStates: { map: 'SyncState' } },
  SyncState: { Attachment: 'Attachment' },
  DescribeFirewallPolicyResponse: { FirewallPolicyResponse: 'FirewallPolicyResponse', FirewallPolicy: 'FirewallPolicy' },
  FirewallPolicy: { StatefulRuleGroupReferences: 'StatefulRuleGroupReference', StatefulEngineOptions: 'StatefulEngineOptions' },
  DescribeRuleGroupResponse: { RuleGroupResponse: 'RuleGroupResponse', RuleGroup: 'RuleGroup' },
  RuleGroup: { RulesSource: 'RulesSource' },
  RulesSource: { RulesSourceList: 'RulesSourceList' },
};

const MEMBER_SHAPES: Record<string, Shape | { map: Shape }> = {
  Vpcs: 'Vpc',
  Subnets: 'Subnet',
  RouteTables: 'RouteTable',
  InternetGateways: 'InternetGateway',
  NatGateways: 'NatGateway',
  Addresses: 'Address',
  VpcEndpoints: 'VpcEndpoint',
  SecurityGroups: 'SecurityGroup',
  NetworkAcls: 'NetworkAcl',
  NetworkInterfaces: 'NetworkInterface',
  Instances: 'Instance',
  TransitGateways: 'TransitGateway',
  TransitGatewayAttachments: 'TransitGatewayAttachment',
  TransitGatewayVpcAttachments: 'TransitGatewayVpcAttachment',
  TransitGatewayRouteTables: 'TransitGatewayRouteTable',
  TransitGatewayRouteTableAssociations: { map: 'TransitGatewayRouteTableAssociation' },
  TransitGatewayRouteTablePropagations: { map: 'TransitGatewayPropagation' },
  TransitGatewayRoutes: { map: 'TransitGatewayRoute' },
  Firewalls: 'DescribeFirewallResponse',
  FirewallPolicies: 'DescribeFirewallPolicyResponse',
  RuleGroups: 'DescribeRuleGroupResponse',
};

function check(value: unknown, shape: Shape | { map: Shape }, path: string, errors: string[], seen: Set<Shape>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => check(v, shape, `${path}[${i}]`, errors, seen));
    return;
  }
  if (typeof shape !== 'string') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) check(v, shape.map, `${path}.${k}`, errors, seen);
    return;
  }
  seen.add(shape);
  const allowed = KEYS[shape];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!allowed.has(k)) errors.push(`${path}.${k} is not a member of ${shape}`);
    const nested = NESTED[shape]?.[k];
    if (nested) check(v, nested, `${path}.${k}`, errors, seen);
  }
}

describe('snapshot member shapes', () => {
  let snapshot: Record<string, unknown>;
  beforeAll(async () => {
    const cloud = new MockCloud();
    for (const [project, program] of [
      ['tgw', hubProgram],
      ['inspection', inspectionProgram],
      ['spoke-a', spokeProgram('10.1.0.0/24')],
    ] as const) {
      cloud.setStackOutputs(project, 'dev', await run(cloud, project, program));
    }
    snapshot = cloud.toSnapshot() as Record<string, unknown>;
  });

  it('has every contract member and nothing else', () => {
    expect(Object.keys(snapshot)).toEqual([...SNAPSHOT_MEMBERS]);
    expect(snapshot.Region).toBe('us-east-1');
  });

  it('uses only the members of the SDK response types, at every level checked', () => {
    const errors: string[] = [];
    const seen = new Set<Shape>();
    for (const [member, shape] of Object.entries(MEMBER_SHAPES)) check(snapshot[member], shape, member, errors, seen);
    expect(errors).toEqual([]);
    // every shape was actually exercised, so a regression in any of them would be caught
    expect([...Object.keys(KEYS)].filter((k) => !seen.has(k as Shape))).toEqual([]);
  });

  it('is plain JSON (what a live reader or a file would hold)', () => {
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('includes the implicit local route and the main route table association', () => {
    const tables = snapshot.RouteTables as RouteTable[];
    const main = tables.filter((t) => t.Associations!.some((a) => a.Main));
    expect(main).toHaveLength((snapshot.Vpcs as Vpc[]).length);
    for (const t of tables) expect(t.Routes).toContainEqual(expect.objectContaining({ GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }));
  });
});
