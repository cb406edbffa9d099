/**
 * Provider functions (invokes) the programs call, answered from the account state in the shapes of
 * the @pulumi/aws result types (camelCase), as the account of the calling provider sees it.
 * Lookups that AWS would not find fail like AWS.
 */
import type { Route } from '@aws-sdk/client-ec2';
import type { Account } from './account';
import { fail } from './errors';
import { arn, awsId } from './ids';
import type { Inputs } from './handler';

/** `caller` is the account of the provider the invoke goes through. */
export type InvokeHandler = (account: Account, inputs: Inputs, caller: string) => Record<string, unknown>;

function tagsOf(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
}

function getSubnet(account: Account, inputs: Inputs, caller: string): Record<string, unknown> {
  const id = inputs.id as string | undefined;
  if (!id) fail('aws:ec2/getSubnet:getSubnet: the mock cloud looks subnets up by id only');
  const s = account.subnet(id, caller).subnet;
  return {
    id: s.SubnetId,
    arn: s.SubnetArn,
    availabilityZone: s.AvailabilityZone,
    availabilityZoneId: s.AvailabilityZoneId,
    availableIpAddressCount: s.AvailableIpAddressCount,
    cidrBlock: s.CidrBlock,
    defaultForAz: false,
    mapPublicIpOnLaunch: s.MapPublicIpOnLaunch,
    assignIpv6AddressOnCreation: false,
    ipv6CidrBlock: '',
    ownerId: s.OwnerId,
    state: s.State,
    vpcId: s.VpcId,
    region: account.region,
    tags: tagsOf(s.Tags),
  };
}

function routeOut(r: Route): Record<string, string> {
  return {
    cidrBlock: r.DestinationCidrBlock ?? '',
    destinationPrefixListId: r.DestinationPrefixListId ?? '',
    gatewayId: r.GatewayId?.startsWith('vpce-') ? '' : (r.GatewayId ?? ''),
    vpcEndpointId: r.GatewayId?.startsWith('vpce-') ? r.GatewayId : '',
    natGatewayId: r.NatGatewayId ?? '',
    transitGatewayId: r.TransitGatewayId ?? '',
    networkInterfaceId: r.NetworkInterfaceId ?? '',
    instanceId: r.InstanceId ?? '',
  };
}

function getRouteTable(account: Account, inputs: Inputs, caller: string): Record<string, unknown> {
  let tableId = inputs.routeTableId as string | undefined;
  const subnetId = inputs.subnetId as string | undefined;
  if (!tableId && subnetId) {
    account.subnet(subnetId, caller);
    tableId =
      account.subnetRouteTable.get(subnetId) ??
      fail(
        `aws:ec2/getRouteTable:getRouteTable: no matching Route Table found (subnet ${subnetId} has no explicit association)`,
      );
  }
  if (!tableId)
    fail(
      'aws:ec2/getRouteTable:getRouteTable: the mock cloud looks route tables up by subnetId or routeTableId',
    );
  const t = account.routeTable(tableId, caller);
  return {
    id: t.RouteTableId,
    routeTableId: t.RouteTableId,
    arn: arn('ec2', account.region, t.OwnerId!, `route-table/${t.RouteTableId}`),
    vpcId: t.VpcId,
    ownerId: t.OwnerId,
    subnetId: subnetId ?? '',
    gatewayId: '',
    // The provider lists only non-local routes.
    routes: t.Routes!.filter((r) => r.GatewayId !== 'local').map(routeOut),
    associations: t.Associations!.map((a) => ({
      main: a.Main,
      routeTableAssociationId: a.RouteTableAssociationId,
      routeTableId: a.RouteTableId,
      subnetId: a.SubnetId ?? '',
      gatewayId: a.GatewayId ?? '',
    })),
    tags: tagsOf(t.Tags),
    region: account.region,
  };
}

function getNatGateway(account: Account, inputs: Inputs, caller: string): Record<string, unknown> {
  const id = inputs.id as string | undefined;
  const subnetId = inputs.subnetId as string | undefined;
  const vpcId = inputs.vpcId as string | undefined;
  const state = inputs.state as string | undefined;
  const matches = [...account.natGateways.values()].filter(
    (n) =>
      account.owns(caller, n.NatGatewayId!) &&
      (!id || n.NatGatewayId === id) &&
      (!subnetId || n.SubnetId === subnetId) &&
      (!vpcId || n.VpcId === vpcId) &&
      (!state || n.State === state),
  );
  if (matches.length === 0)
    fail(
      `aws:ec2/getNatGateway:getNatGateway: no matching EC2 NAT Gateway found (${JSON.stringify(inputs)})`,
    );
  if (matches.length > 1)
    fail(
      `aws:ec2/getNatGateway:getNatGateway: multiple EC2 NAT Gateways matched; use additional constraints to reduce matches to a single EC2 NAT Gateway`,
    );
  const n = matches[0];
  const a = n.NatGatewayAddresses![0];
  return {
    id: n.NatGatewayId,
    allocationId: a.AllocationId,
    associationId: a.AssociationId,
    connectivityType: n.ConnectivityType,
    networkInterfaceId: a.NetworkInterfaceId,
    privateIp: a.PrivateIp,
    publicIp: a.PublicIp,
    secondaryAllocationIds: [],
    secondaryPrivateIpAddresses: [],
    secondaryPrivateIpAddressCount: 0,
    state: n.State,
    subnetId: n.SubnetId,
    vpcId: n.VpcId,
    region: account.region,
    tags: tagsOf(n.Tags),
  };
}

const PUBLIC_AMI_PARAMETER = /^\/aws\/service\/ami-amazon-linux-latest\/[a-z0-9._-]+$/;

function getParameter(account: Account, inputs: Inputs): Record<string, unknown> {
  const name = String(inputs.name ?? '');
  if (!PUBLIC_AMI_PARAMETER.test(name)) {
    fail(
      `ParameterNotFound: aws:ssm/getParameter:getParameter: the mock cloud holds only the public Amazon Linux AMI parameters (/aws/service/ami-amazon-linux-latest/...), not '${name}'`,
    );
  }
  const value = awsId('ami', `${account.region}${name}`);
  return {
    id: name,
    name,
    arn: `arn:aws:ssm:${account.region}::parameter${name}`,
    type: 'String',
    value,
    insecureValue: value,
    version: 1,
    withDecryption: true,
    region: account.region,
  };
}

function getAvailabilityZones(account: Account): Record<string, unknown> {
  return {
    id: account.region,
    names: account.azs.map((z) => z.name),
    zoneIds: account.azs.map((z) => z.zoneId),
    groupNames: [account.region],
    state: 'available',
    region: account.region,
  };
}

export const INVOKES: Record<string, InvokeHandler> = {
  'aws:ec2/getSubnet:getSubnet': getSubnet,
  'aws:ec2/getRouteTable:getRouteTable': getRouteTable,
  'aws:ec2/getNatGateway:getNatGateway': getNatGateway,
  'aws:ssm/getParameter:getParameter': getParameter,
  'aws:index/getAvailabilityZones:getAvailabilityZones': getAvailabilityZones,
};
