/**
 * Small, named edits of the hub-and-spoke fixture (netmodel's buildHubSpokeSnapshot) that cases
 * use to build their scenario, so each case reads as "the reference network, except ...".
 * Every lookup throws naming what it did not find, so a fixture change breaks loudly.
 */
import type {
  Instance,
  NetworkAclEntry,
  NetworkInterface,
  Route,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';

export const ACCOUNT = '111122223333';

function find<T>(list: T[] | undefined, pred: (t: T) => boolean, what: string): T {
  const hit = (list ?? []).find(pred);
  if (!hit) throw new Error(`fixture: no ${what}`);
  return hit;
}

/** The fixture with options; the default is the reference network (2 spokes, 2 AZs). */
export const reference = (options: HubSpokeFixtureOptions = {}): NetworkSnapshot =>
  buildHubSpokeSnapshot(options);

export const vpc = (s: NetworkSnapshot, id: string): Vpc => find(s.Vpcs, (v) => v.VpcId === id, `VPC ${id}`);
export const subnet = (s: NetworkSnapshot, id: string): Subnet =>
  find(s.Subnets, (x) => x.SubnetId === id, `subnet ${id}`);
export const routeTable = (s: NetworkSnapshot, id: string): RouteTable =>
  find(s.RouteTables, (r) => r.RouteTableId === id, `route table ${id}`);
export const instance = (s: NetworkSnapshot, id: string): Instance =>
  find(s.Instances, (i) => i.InstanceId === id, `instance ${id}`);
export const securityGroup = (s: NetworkSnapshot, id: string): SecurityGroup =>
  find(s.SecurityGroups, (g) => g.GroupId === id, `security group ${id}`);

/** Sets one DNS attribute of a VPC (the fixture turns both on). */
export function setDnsAttribute(
  s: NetworkSnapshot,
  vpcId: string,
  attribute: 'EnableDnsSupport' | 'EnableDnsHostnames',
  value: boolean,
): void {
  find(s.VpcAttributes, (a) => a.VpcId === vpcId, `VpcAttributes of ${vpcId}`)[attribute] = { Value: value };
}

/** Replaces the route of `destination` in a table, or adds it. */
export function setRoute(s: NetworkSnapshot, tableId: string, route: Route): void {
  const t = routeTable(s, tableId);
  const key = (r: Route) => r.DestinationCidrBlock ?? r.DestinationPrefixListId;
  t.Routes = [
    ...(t.Routes ?? []).filter((r) => key(r) !== key(route)),
    { Origin: 'CreateRoute', State: 'active', ...route },
  ];
}

/** A network ACL of its own for `subnetIds` (taken from the VPC's default ACL), with these entries. */
export function setNacl(
  s: NetworkSnapshot,
  vpcId: string,
  aclId: string,
  subnetIds: string[],
  entries: NetworkAclEntry[],
): void {
  for (const acl of s.NetworkAcls ?? [])
    acl.Associations = (acl.Associations ?? []).filter((a) => !subnetIds.includes(a.SubnetId ?? ''));
  s.NetworkAcls!.push({
    NetworkAclId: aclId,
    VpcId: vpcId,
    IsDefault: false,
    OwnerId: ACCOUNT,
    Entries: entries,
    Associations: subnetIds.map((SubnetId, i) => ({
      NetworkAclAssociationId: `aclassoc-${aclId}-${i}`,
      NetworkAclId: aclId,
      SubnetId,
    })),
  });
}

/** NACL entries: `allow`/`deny`, inbound or outbound, `-1` or a protocol with a port range. */
export function naclEntry(
  ruleNumber: number,
  direction: 'in' | 'out',
  action: 'allow' | 'deny',
  cidr: string,
  ports?: [number, number],
): NetworkAclEntry {
  return {
    RuleNumber: ruleNumber,
    Egress: direction === 'out',
    RuleAction: action,
    CidrBlock: cidr,
    Protocol: ports ? '6' : '-1',
    ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
  };
}

/** A VPC of its own (one subnet, a route table with the given routes, the default NACL and SG). */
export function addVpc(
  s: NetworkSnapshot,
  o: { vpcId: string; cidr: string; subnetCidr: string; az: string; routes: Route[]; ownerId?: string },
): { subnetId: string; routeTableId: string } {
  const owner = o.ownerId ?? ACCOUNT;
  s.Vpcs!.push({
    VpcId: o.vpcId,
    CidrBlock: o.cidr,
    CidrBlockAssociationSet: [{ CidrBlock: o.cidr, CidrBlockState: { State: 'associated' } }],
    State: 'available',
    OwnerId: owner,
    Tags: [{ Key: 'Name', Value: o.vpcId }],
  });
  s.VpcAttributes!.push({
    VpcId: o.vpcId,
    EnableDnsSupport: { Value: true },
    EnableDnsHostnames: { Value: true },
  });
  const subnetId = `subnet-${o.vpcId.slice(4)}`;
  s.Subnets!.push({
    SubnetId: subnetId,
    VpcId: o.vpcId,
    CidrBlock: o.subnetCidr,
    AvailabilityZone: o.az,
    OwnerId: owner,
  });
  const routeTableId = `rtb-${o.vpcId.slice(4)}`;
  s.RouteTables!.push({
    RouteTableId: routeTableId,
    VpcId: o.vpcId,
    OwnerId: owner,
    Routes: [{ DestinationCidrBlock: o.cidr, GatewayId: 'local', State: 'active' }, ...o.routes],
    Associations: [{ Main: true, RouteTableId: routeTableId, AssociationState: { State: 'associated' } }],
  });
  s.NetworkAcls!.push({
    NetworkAclId: `acl-${o.vpcId.slice(4)}`,
    VpcId: o.vpcId,
    IsDefault: true,
    OwnerId: owner,
    Entries: [naclEntry(100, 'in', 'allow', '0.0.0.0/0'), naclEntry(100, 'out', 'allow', '0.0.0.0/0')],
    Associations: [{ NetworkAclId: `acl-${o.vpcId.slice(4)}`, SubnetId: subnetId }],
  });
  return { subnetId, routeTableId };
}

/**
 * A running instance with one ENI at `ip` and a security group admitting `ingressCidr` on TCP
 * `port` (all egress): a workload that answers.
 */
export function addWorkload(
  s: NetworkSnapshot,
  o: { instanceId: string; vpcId: string; subnetId: string; ip: string; ingressCidr: string; port: number },
): void {
  const groupId = `sg-${o.instanceId.slice(2)}`;
  s.SecurityGroups!.push({
    GroupId: groupId,
    GroupName: groupId,
    VpcId: o.vpcId,
    OwnerId: ACCOUNT,
    IpPermissions: [
      { IpProtocol: 'tcp', FromPort: o.port, ToPort: o.port, IpRanges: [{ CidrIp: o.ingressCidr }] },
    ],
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });
  const eni: NetworkInterface = {
    NetworkInterfaceId: `eni-${o.instanceId.slice(2)}`,
    InterfaceType: 'interface',
    SubnetId: o.subnetId,
    VpcId: o.vpcId,
    PrivateIpAddress: o.ip,
    Groups: [{ GroupId: groupId }],
    Attachment: { InstanceId: o.instanceId, DeviceIndex: 0, Status: 'attached' },
    Status: 'in-use',
  };
  s.NetworkInterfaces!.push(eni);
  s.Instances!.push({
    InstanceId: o.instanceId,
    State: { Code: 16, Name: 'running' },
    SubnetId: o.subnetId,
    VpcId: o.vpcId,
    PrivateIpAddress: o.ip,
    SecurityGroups: [{ GroupId: groupId }],
    NetworkInterfaces: [
      {
        NetworkInterfaceId: eni.NetworkInterfaceId,
        SubnetId: o.subnetId,
        VpcId: o.vpcId,
        PrivateIpAddress: o.ip,
        Groups: [{ GroupId: groupId }],
        Attachment: { DeviceIndex: 0, Status: 'attached' },
      },
    ],
  });
}

/** A customer-managed or AWS-managed prefix list with its entries. */
export function addPrefixList(
  s: NetworkSnapshot,
  id: string,
  name: string,
  cidrs: string[],
  ownerId = ACCOUNT,
): void {
  s.ManagedPrefixLists!.push({
    PrefixListId: id,
    PrefixListName: name,
    AddressFamily: 'IPv4',
    State: 'create-complete',
    OwnerId: ownerId,
  });
  s.ManagedPrefixListEntries![id] = cidrs.map((Cidr) => ({ Cidr }));
}
