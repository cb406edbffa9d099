/**
 * `aws:ec2/instance:Instance`: an ENI with a private IP from its subnet, a public IP only when
 * asked or mapped by the subnet, IMDS options and an existing instance profile.
 */
import type { _InstanceType } from '@aws-sdk/client-ec2';
import { accountKey, type Account } from './account';
import {
  optBool,
  optString,
  reqString,
  ResourceRequest,
  ResourceResult,
  stringList,
  tagsAll,
} from './handler';
import { arn, arnAccount, awsId } from './ids';
import { awsTags } from './tags';
import { fail } from './errors';

export function createInstance(account: Account, req: ResourceRequest): ResourceResult {
  const subnetId =
    optString(req, 'subnetId') ??
    fail(`${req.type} '${req.name}': subnetId is required (the mock account has no default VPC)`);
  const owner = req.accountId;
  const subnet = account.subnet(subnetId, owner);
  const vpc = account.vpc(subnet.subnet.VpcId!, owner);
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
    if (account.securityGroup(g, owner).VpcId !== vpc.vpc.VpcId) {
      fail(`InvalidParameter: Security group ${g} and subnet ${subnetId} belong to different networks.`);
    }
  }
  const profileName = optString(req, 'iamInstanceProfile');
  const profile = profileName
    ? (account.instanceProfiles.get(accountKey(owner, profileName)) ??
      [...account.instanceProfiles.values()].find(
        (p) => p.arn === profileName && arnAccount(p.arn) === owner,
      ) ??
      fail(
        `InvalidParameterValue: Value (${profileName}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
      ))
    : undefined;
  const id = awsId('i', req.seed);
  account.own(id, owner);
  const tags = tagsAll(req);
  const eni = account.createNetworkInterface({
    owner,
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
    InstanceOwnerId: owner,
    Status: 'attached',
  };
  const wantsPublic = optBool(req, 'associatePublicIpAddress') ?? subnet.subnet.MapPublicIpOnLaunch ?? false;
  const publicIp = wantsPublic ? account.publicIps.allocate(id) : undefined;
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
        OwnerId: owner,
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
      arn: arn('ec2', account.region, owner, `instance/${id}`),
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
