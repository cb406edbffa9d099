/**
 * `aws:ec2/vpcEndpoint:VpcEndpoint`: Interface endpoints (one ENI per subnet, private DNS rules)
 * and Gateway endpoints (prefix-list routes in the given tables).
 */
import type { NetworkInterface } from '@aws-sdk/client-ec2';
import { ENDPOINT_AVAILABLE } from './account';
import type { Account } from './account';
import {
  optBool,
  optString,
  reqString,
  ResourceRequest,
  ResourceResult,
  stringList,
  tagsAll,
} from './handler';
import { arn, awsId, shortHash } from './ids';
import { awsTags } from './tags';
import { fail } from './errors';

export function createVpcEndpoint(account: Account, req: ResourceRequest): ResourceResult {
  const vpcId = reqString(req, 'vpcId');
  const owner = req.accountId;
  const vpc = account.vpc(vpcId, owner);
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
  account.own(id, owner);
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
      if (account.securityGroup(g, owner).VpcId !== vpcId)
        fail(`InvalidParameter: security group ${g} is not in ${vpcId}`);
    });
    const seenAz = new Map<string, string>();
    eniIds = subnetIds.map((subnetId) => {
      const subnet = account.subnet(subnetId, owner);
      if (subnet.subnet.VpcId !== vpcId)
        fail(`InvalidParameter: subnet ${subnetId} is not in ${vpcId} (endpoint '${req.name}')`);
      const other = seenAz.get(subnet.az.name);
      if (other)
        fail(
          `DuplicateSubnetsInSameZone: Found another VPC endpoint subnet in the availability zone of ${subnetId} (${other})`,
        );
      seenAz.set(subnet.az.name, subnetId);
      const eni: NetworkInterface = account.createNetworkInterface({
        owner,
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
    prefixListId = account.awsManagedPrefixList(service);
    for (const rt of routeTableIds) {
      const table = account.routeTable(rt, owner);
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
    OwnerId: owner,
    Tags: awsTags(tags),
  });
  return {
    id,
    state: {
      ...req.inputs,
      vpcEndpointType: type,
      arn: arn('ec2', account.region, owner, `vpc-endpoint/${id}`),
      networkInterfaceIds: eniIds,
      securityGroupIds: groupIds,
      dnsEntries: dnsEntries.map((d) => ({ dnsName: d.DnsName, hostedZoneId: d.HostedZoneId })),
      prefixListId,
      privateDnsEnabled: privateDns,
      requesterManaged: false,
      ownerId: owner,
      state: 'available',
      tagsAll: tags,
    },
  };
}
