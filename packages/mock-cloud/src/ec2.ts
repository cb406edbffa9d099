/**
 * EC2 resources the programs register directly: routes, security groups, VPC endpoints,
 * instances and flow logs. Each enforces the existence / same-network checks EC2 makes.
 */
import type { _InstanceType, IpPermission, NetworkInterface } from '@aws-sdk/client-ec2';
import { ENDPOINT_AVAILABLE } from './account';
import type { Account, RouteTarget } from './account';
import { fail } from './errors';
import { ACCOUNT_ID, arn, awsId, routeId, shortHash } from './ids';
import {
  autoName,
  Inputs,
  optBool,
  optString,
  reqString,
  ResourceRequest,
  ResourceResult,
  stringList,
  tagsAll,
} from './handler';
import { awsTags } from './tags';

const ROUTE_TARGETS = [
  'transitGatewayId',
  'vpcEndpointId',
  'natGatewayId',
  'gatewayId',
  'networkInterfaceId',
] as const;
const UNSUPPORTED_ROUTE_INPUTS = [
  'carrierGatewayId',
  'coreNetworkArn',
  'egressOnlyGatewayId',
  'localGatewayId',
  'vpcPeeringConnectionId',
  'destinationIpv6CidrBlock',
  'destinationPrefixListId',
];

export function createRoute(account: Account, req: ResourceRequest): ResourceResult {
  for (const key of UNSUPPORTED_ROUTE_INPUTS) {
    if (req.inputs[key] !== undefined && req.inputs[key] !== '') {
      fail(`${req.type} '${req.name}': input '${key}' is not emulated by the mock cloud`);
    }
  }
  const routeTableId = reqString(req, 'routeTableId');
  const destination = reqString(req, 'destinationCidrBlock');
  const given = ROUTE_TARGETS.filter((k) => optString(req, k) !== undefined);
  if (given.length !== 1) {
    fail(
      `${req.type} '${req.name}': exactly one of ${ROUTE_TARGETS.join(', ')} must be set ` +
        `(got ${given.length === 0 ? 'none' : given.join(', ')}) for ${destination} in ${routeTableId}`,
    );
  }
  const target = { kind: given[0], id: optString(req, given[0])! } as RouteTarget;
  const route = account.createRoute(routeTableId, destination, target);
  return {
    id: routeId(routeTableId, route.DestinationCidrBlock!),
    state: { ...req.inputs, origin: 'CreateRoute', state: 'active', instanceId: route.InstanceId ?? '' },
  };
}

/** EC2 reports protocols by name for tcp/udp/icmp and "-1" for all. */
function normalizeProtocol(p: unknown): string {
  const s = String(p ?? '-1').toLowerCase();
  const byNumber: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1', '-1': '-1' };
  return byNumber[s] ?? s;
}

function toPermission(account: Account, groupId: string, rule: Inputs, where: string): IpPermission {
  const protocol = normalizeProtocol(rule.protocol);
  const perm: IpPermission = {
    IpProtocol: protocol,
    IpRanges: ((rule.cidrBlocks as string[] | undefined) ?? []).map((c) => ({
      CidrIp: c,
      ...(rule.description ? { Description: String(rule.description) } : {}),
    })),
    Ipv6Ranges: ((rule.ipv6CidrBlocks as string[] | undefined) ?? []).map((c) => ({ CidrIpv6: c })),
    PrefixListIds: ((rule.prefixListIds as string[] | undefined) ?? []).map((p) => ({ PrefixListId: p })),
    UserIdGroupPairs: [
      ...((rule.securityGroups as string[] | undefined) ?? []).map((g) => {
        account.securityGroup(g);
        return { GroupId: g, UserId: ACCOUNT_ID };
      }),
      ...(rule.self ? [{ GroupId: groupId, UserId: ACCOUNT_ID }] : []),
    ],
  };
  if (protocol !== '-1') {
    if (rule.fromPort === undefined || rule.toPort === undefined)
      fail(`${where}: fromPort and toPort are required for protocol ${protocol}`);
    perm.FromPort = Number(rule.fromPort);
    perm.ToPort = Number(rule.toPort);
  }
  return perm;
}

export function createSecurityGroup(account: Account, req: ResourceRequest): ResourceResult {
  const vpcId =
    optString(req, 'vpcId') ??
    fail(`${req.type} '${req.name}': vpcId is required (the mock account has no default VPC)`);
  account.vpc(vpcId);
  const id = awsId('sg', req.seed);
  const hash = shortHash(req.seed);
  const name =
    optString(req, 'name') ??
    (optString(req, 'namePrefix')
      ? `${optString(req, 'namePrefix')}${hash.slice(0, 26)}`
      : autoName(req, hash));
  for (const sg of account.securityGroups.values()) {
    if (sg.VpcId === vpcId && sg.GroupName === name) {
      fail(`InvalidGroup.Duplicate: The security group '${name}' already exists for VPC '${vpcId}'`);
    }
  }
  const description = optString(req, 'description') ?? 'Managed by Pulumi';
  const tags = tagsAll(req);
  const rules = (key: string) => (req.inputs[key] as Inputs[] | undefined) ?? [];
  const sgArn = `arn:aws:ec2:${account.region}:${ACCOUNT_ID}:security-group/${id}`;
  // Register first so `self` references resolve.
  account.securityGroups.set(id, { GroupId: id, GroupName: name, VpcId: vpcId, Description: description });
  const group = account.securityGroups.get(id)!;
  Object.assign(group, {
    OwnerId: ACCOUNT_ID,
    SecurityGroupArn: sgArn,
    IpPermissions: rules('ingress').map((r, i) => toPermission(account, id, r, `${req.name} ingress[${i}]`)),
    // The AWS provider removes EC2's default allow-all egress rule: only inline egress remains.
    IpPermissionsEgress: rules('egress').map((r, i) =>
      toPermission(account, id, r, `${req.name} egress[${i}]`),
    ),
    Tags: awsTags(tags),
  });
  return {
    id,
    state: {
      ...req.inputs,
      name,
      description,
      arn: sgArn,
      ownerId: ACCOUNT_ID,
      ingress: rules('ingress'),
      egress: rules('egress'),
      tagsAll: tags,
    },
  };
}

export function createVpcEndpoint(account: Account, req: ResourceRequest): ResourceResult {
  const vpcId = reqString(req, 'vpcId');
  const vpc = account.vpc(vpcId);
  const serviceName = reqString(req, 'serviceName');
  const type = optString(req, 'vpcEndpointType') ?? 'Gateway';
  const prefix = `com.amazonaws.${account.region}.`;
  if (
    serviceName.startsWith('com.amazonaws.') &&
    !serviceName.startsWith(prefix) &&
    !serviceName.startsWith('com.amazonaws.vpce.')
  ) {
    fail(`InvalidServiceName: The Vpc Endpoint Service '${serviceName}' does not exist in ${account.region}`);
  }
  const service = serviceName.startsWith(prefix) ? serviceName.slice(prefix.length) : serviceName;
  const id = awsId('vpce', req.seed);
  const tags = tagsAll(req);
  const privateDns = optBool(req, 'privateDnsEnabled') ?? false;
  const subnetIds = stringList(req, 'subnetIds');
  const routeTableIds = stringList(req, 'routeTableIds');
  let groupIds = stringList(req, 'securityGroupIds');
  let eniIds: string[] = [];
  const dnsEntries: { DnsName: string; HostedZoneId: string }[] = [];
  let prefixListId = '';
  if (type === 'Interface') {
    if (privateDns && !(vpc.enableDnsHostnames && vpc.enableDnsSupport)) {
      fail(
        `InvalidParameter: Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpcId} (endpoint '${req.name}')`,
      );
    }
    if (groupIds.length === 0) groupIds = [vpc.defaultSecurityGroupId];
    groupIds.forEach((g) => {
      if (account.securityGroup(g).VpcId !== vpcId)
        fail(`InvalidParameter: security group ${g} is not in ${vpcId}`);
    });
    const seenAz = new Map<string, string>();
    eniIds = subnetIds.map((subnetId) => {
      const subnet = account.subnet(subnetId);
      if (subnet.subnet.VpcId !== vpcId)
        fail(`InvalidParameter: subnet ${subnetId} is not in ${vpcId} (endpoint '${req.name}')`);
      const other = seenAz.get(subnet.az.name);
      if (other)
        fail(
          `DuplicateSubnetsInSameZone: Found another VPC endpoint subnet in the availability zone of ${subnetId} (${other})`,
        );
      seenAz.set(subnet.az.name, subnetId);
      const eni: NetworkInterface = account.createNetworkInterface({
        subnetId,
        description: `VPC Endpoint Interface ${id}`,
        interfaceType: 'vpc_endpoint',
        groupIds,
        requesterManaged: true,
        seed: `${req.seed}/eni/${subnetId}`,
      });
      return eni.NetworkInterfaceId!;
    });
    const zone = `Z${shortHash(`${account.region}/vpce`, 13).toUpperCase()}`;
    dnsEntries.push({
      DnsName: `${id}-${shortHash(id, 8)}.${service}.${account.region}.vpce.amazonaws.com`,
      HostedZoneId: zone,
    });
    if (privateDns)
      dnsEntries.push({
        DnsName: `${service}.${account.region}.amazonaws.com`,
        HostedZoneId: `Z${shortHash(id, 13).toUpperCase()}`,
      });
  } else if (type === 'Gateway') {
    prefixListId = awsId('pl', `${account.region}/${service}`).slice(0, 11);
    for (const rt of routeTableIds) {
      const table = account.routeTable(rt);
      if (table.VpcId !== vpcId)
        fail(`InvalidParameter: route table ${rt} is not in ${vpcId} (endpoint '${req.name}')`);
      table.Routes!.push({
        DestinationPrefixListId: prefixListId,
        GatewayId: id,
        Origin: 'CreateRoute',
        State: 'active',
      });
    }
  } else {
    fail(
      `${req.type} '${req.name}': vpcEndpointType '${type}' is not emulated by the mock cloud (Interface and Gateway are)`,
    );
  }
  account.vpcEndpoints.set(id, {
    VpcEndpointId: id,
    VpcEndpointType: type === 'Interface' ? 'Interface' : 'Gateway',
    VpcId: vpcId,
    ServiceName: serviceName,
    State: ENDPOINT_AVAILABLE,
    PolicyDocument: optString(req, 'policy'),
    RouteTableIds: routeTableIds,
    SubnetIds: subnetIds,
    Groups: groupIds.map((g) => ({ GroupId: g, GroupName: account.securityGroups.get(g)?.GroupName })),
    IpAddressType: 'ipv4',
    PrivateDnsEnabled: privateDns,
    RequesterManaged: false,
    NetworkInterfaceIds: eniIds,
    DnsEntries: dnsEntries,
    OwnerId: ACCOUNT_ID,
    Tags: awsTags(tags),
  });
  return {
    id,
    state: {
      ...req.inputs,
      vpcEndpointType: type,
      arn: arn('ec2', account.region, `vpc-endpoint/${id}`),
      networkInterfaceIds: eniIds,
      securityGroupIds: groupIds,
      dnsEntries: dnsEntries.map((d) => ({ dnsName: d.DnsName, hostedZoneId: d.HostedZoneId })),
      prefixListId,
      privateDnsEnabled: privateDns,
      requesterManaged: false,
      ownerId: ACCOUNT_ID,
      state: 'available',
      tagsAll: tags,
    },
  };
}

export function createInstance(account: Account, req: ResourceRequest): ResourceResult {
  const subnetId =
    optString(req, 'subnetId') ??
    fail(`${req.type} '${req.name}': subnetId is required (the mock account has no default VPC)`);
  const subnet = account.subnet(subnetId);
  const vpc = account.vpc(subnet.subnet.VpcId!);
  if (stringList(req, 'securityGroups').length > 0) {
    fail(
      `InvalidParameterCombination: ${req.type} '${req.name}': use vpcSecurityGroupIds, not securityGroups (names), for an instance in a VPC`,
    );
  }
  const ami = reqString(req, 'ami');
  const instanceType = reqString(req, 'instanceType');
  let groupIds = stringList(req, 'vpcSecurityGroupIds');
  if (groupIds.length === 0) groupIds = [vpc.defaultSecurityGroupId];
  for (const g of groupIds) {
    if (account.securityGroup(g).VpcId !== vpc.vpc.VpcId) {
      fail(`InvalidParameter: Security group ${g} and subnet ${subnetId} belong to different networks.`);
    }
  }
  const profileName = optString(req, 'iamInstanceProfile');
  const profile = profileName
    ? ([...account.instanceProfiles.values()].find((p) => p.name === profileName || p.arn === profileName) ??
      fail(
        `InvalidParameterValue: Value (${profileName}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
      ))
    : undefined;
  const id = awsId('i', req.seed);
  const tags = tagsAll(req);
  const eni = account.createNetworkInterface({
    subnetId,
    description: '',
    interfaceType: 'interface',
    groupIds,
    privateIp: optString(req, 'privateIp'),
    sourceDestCheck: optBool(req, 'sourceDestCheck') ?? true,
    seed: `${req.seed}/eni`,
  });
  const attachmentId = awsId('eni-attach', req.seed);
  eni.Attachment = {
    AttachmentId: attachmentId,
    DeleteOnTermination: true,
    DeviceIndex: 0,
    NetworkCardIndex: 0,
    InstanceId: id,
    InstanceOwnerId: ACCOUNT_ID,
    Status: 'attached',
  };
  const wantsPublic = optBool(req, 'associatePublicIpAddress') ?? subnet.subnet.MapPublicIpOnLaunch ?? false;
  const publicIp = wantsPublic ? account.publicIps.allocate() : undefined;
  const publicDns = publicIp ? `ec2-${publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com` : '';
  if (publicIp) {
    eni.Association = { IpOwnerId: 'amazon', PublicIp: publicIp, PublicDnsName: publicDns };
    eni.PrivateIpAddresses![0].Association = eni.Association;
  }
  const metadata = (req.inputs.metadataOptions ?? {}) as Record<string, unknown>;
  const httpTokens = (metadata.httpTokens as 'optional' | 'required' | undefined) ?? 'optional';
  const hopLimit = Number(metadata.httpPutResponseHopLimit ?? 1);
  const httpEndpoint = (metadata.httpEndpoint as 'enabled' | 'disabled' | undefined) ?? 'enabled';
  const groups = groupIds.map((g) => ({ GroupId: g, GroupName: account.securityGroups.get(g)?.GroupName }));
  account.instances.set(id, {
    InstanceId: id,
    ImageId: ami,
    InstanceType: instanceType as _InstanceType,
    State: { Code: 16, Name: 'running' },
    PrivateIpAddress: eni.PrivateIpAddress,
    PrivateDnsName: eni.PrivateDnsName,
    PublicIpAddress: publicIp,
    PublicDnsName: publicDns,
    SubnetId: subnetId,
    VpcId: vpc.vpc.VpcId,
    Placement: {
      AvailabilityZone: subnet.az.name,
      AvailabilityZoneId: subnet.az.zoneId,
      Tenancy: 'default',
      GroupName: '',
    },
    SecurityGroups: groups,
    SourceDestCheck: eni.SourceDestCheck,
    Architecture: instanceType.startsWith('t4g') || /^[a-z]\dg/.test(instanceType) ? 'arm64' : 'x86_64',
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    EbsOptimized: false,
    AmiLaunchIndex: 0,
    Monitoring: { State: 'disabled' },
    IamInstanceProfile: profile
      ? { Arn: profile.arn, Id: awsId('AIPA', profile.arn).toUpperCase().slice(0, 21) }
      : undefined,
    MetadataOptions: {
      State: 'applied',
      HttpTokens: httpTokens,
      HttpPutResponseHopLimit: hopLimit,
      HttpEndpoint: httpEndpoint,
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags:
        (metadata.instanceMetadataTags as 'enabled' | 'disabled' | undefined) ?? 'disabled',
    },
    NetworkInterfaces: [
      {
        NetworkInterfaceId: eni.NetworkInterfaceId,
        SubnetId: subnetId,
        VpcId: vpc.vpc.VpcId,
        Description: '',
        Groups: groups,
        MacAddress: eni.MacAddress,
        OwnerId: ACCOUNT_ID,
        PrivateDnsName: eni.PrivateDnsName,
        PrivateIpAddress: eni.PrivateIpAddress,
        PrivateIpAddresses: [
          {
            Primary: true,
            PrivateIpAddress: eni.PrivateIpAddress,
            PrivateDnsName: eni.PrivateDnsName,
            ...(publicIp
              ? { Association: { IpOwnerId: 'amazon', PublicIp: publicIp, PublicDnsName: publicDns } }
              : {}),
          },
        ],
        SourceDestCheck: eni.SourceDestCheck,
        Status: 'in-use',
        InterfaceType: 'interface',
        Attachment: {
          AttachmentId: attachmentId,
          DeleteOnTermination: true,
          DeviceIndex: 0,
          NetworkCardIndex: 0,
          Status: 'attached',
        },
        ...(publicIp
          ? { Association: { IpOwnerId: 'amazon', PublicIp: publicIp, PublicDnsName: publicDns } }
          : {}),
        Ipv6Addresses: [],
      },
    ],
    Tags: awsTags(tags),
  });
  return {
    id,
    state: {
      ...req.inputs,
      arn: arn('ec2', account.region, `instance/${id}`),
      availabilityZone: subnet.az.name,
      privateIp: eni.PrivateIpAddress,
      privateDns: eni.PrivateDnsName,
      publicIp: publicIp ?? '',
      publicDns,
      primaryNetworkInterfaceId: eni.NetworkInterfaceId,
      vpcSecurityGroupIds: groupIds,
      instanceState: 'running',
      metadataOptions: {
        httpTokens,
        httpPutResponseHopLimit: hopLimit,
        httpEndpoint,
        httpProtocolIpv6: 'disabled',
        instanceMetadataTags: 'disabled',
      },
      tagsAll: tags,
    },
  };
}

export function createFlowLog(account: Account, req: ResourceRequest): ResourceResult {
  const targets = ['vpcId', 'subnetId', 'eniId', 'transitGatewayId', 'transitGatewayAttachmentId'].filter(
    (k) => optString(req, k) !== undefined,
  );
  if (targets.length !== 1)
    fail(
      `${req.type} '${req.name}': exactly one of vpcId, subnetId, eniId, transitGatewayId, transitGatewayAttachmentId must be set`,
    );
  const resourceId = optString(req, targets[0])!;
  switch (targets[0]) {
    case 'vpcId':
      account.vpc(resourceId);
      break;
    case 'subnetId':
      account.subnet(resourceId);
      break;
    case 'eniId':
      if (!account.networkInterfaces.has(resourceId))
        fail(`InvalidNetworkInterfaceID.NotFound: ${resourceId}`);
      break;
    case 'transitGatewayId':
      if (!account.transitGateways.has(resourceId)) fail(`InvalidTransitGatewayID.NotFound: ${resourceId}`);
      break;
    default:
      if (!account.tgwAttachments.has(resourceId))
        fail(`InvalidTransitGatewayAttachmentID.NotFound: ${resourceId}`);
  }
  const destinationType = optString(req, 'logDestinationType') ?? 'cloud-watch-logs';
  if (destinationType === 'cloud-watch-logs') {
    const roleArn =
      optString(req, 'iamRoleArn') ??
      fail(
        `InvalidParameter: ${req.type} '${req.name}': iamRoleArn (DeliverLogsPermissionArn) is required for cloud-watch-logs`,
      );
    if (![...account.iamRoles.values()].some((r) => r.arn === roleArn)) {
      fail(
        `InvalidParameter: ${req.type} '${req.name}': unable to assume IAM role ${roleArn} (no such role)`,
      );
    }
    const destination = optString(req, 'logDestination');
    if (destination && !destination.startsWith('arn:'))
      fail(`InvalidParameter: logDestination must be an ARN, got ${destination}`);
  }
  const id = awsId('fl', req.seed);
  account.flowLogs.set(id, { id, resourceId });
  return {
    id,
    state: {
      ...req.inputs,
      logDestinationType: destinationType,
      trafficType: optString(req, 'trafficType') ?? 'ALL',
      arn: arn('ec2', account.region, `vpc-flow-log/${id}`),
      tagsAll: tagsAll(req),
    },
  };
}
