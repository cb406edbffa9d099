/**
 * The plain EC2 building blocks a program may create without awsx: `aws:ec2/vpc:Vpc`,
 * `aws:ec2/subnet:Subnet`, `aws:ec2/routeTable:RouteTable` and
 * `aws:ec2/routeTableAssociation:RouteTableAssociation`. Each goes through the account's own
 * CreateVpc / CreateSubnet / CreateRouteTable / AssociateRouteTable, so AWS's checks apply
 * (CIDR ranges, overlaps, AZ of the region, one explicit association per subnet).
 */
import type { Account } from './account';
import { fail } from './errors';
import { optBool, optString, reqString, tagsAll, type ResourceRequest, type ResourceResult } from './handler';

/** Inputs the emulation would silently ignore; refusing them keeps "passes here" meaning "works on AWS". */
function refuse(req: ResourceRequest, keys: string[]): void {
  for (const key of keys) {
    const v = req.inputs[key];
    if (v !== undefined && v !== null && v !== '' && v !== false) {
      fail(`${req.type} '${req.name}': input '${key}' is not emulated by the mock cloud`);
    }
  }
}

export function createVpcResource(account: Account, req: ResourceRequest): ResourceResult {
  refuse(req, ['ipv4IpamPoolId', 'ipv6IpamPoolId', 'assignGeneratedIpv6CidrBlock', 'ipv6CidrBlock']);
  const state = account.createVpc({
    seed: req.seed,
    owner: req.accountId,
    cidrBlock: reqString(req, 'cidrBlock'),
    tags: tagsAll(req),
    enableDnsHostnames: optBool(req, 'enableDnsHostnames'),
    enableDnsSupport: optBool(req, 'enableDnsSupport'),
  });
  const vpcId = state.vpc.VpcId!;
  return {
    id: vpcId,
    state: {
      ...req.inputs,
      arn: `arn:aws:ec2:${account.region}:${state.vpc.OwnerId}:vpc/${vpcId}`,
      cidrBlock: state.vpc.CidrBlock,
      mainRouteTableId: state.mainRouteTableId,
      defaultNetworkAclId: state.defaultNetworkAclId,
      defaultSecurityGroupId: state.defaultSecurityGroupId,
      ownerId: state.vpc.OwnerId,
      tagsAll: tagsAll(req),
    },
  };
}

export function createSubnetResource(account: Account, req: ResourceRequest): ResourceResult {
  refuse(req, ['ipv6CidrBlock', 'assignIpv6AddressOnCreation', 'outpostArn', 'availabilityZoneId']);
  const state = account.createSubnet({
    seed: req.seed,
    owner: req.accountId,
    vpcId: reqString(req, 'vpcId'),
    cidrBlock: reqString(req, 'cidrBlock'),
    availabilityZone:
      optString(req, 'availabilityZone') ??
      fail(`${req.type} '${req.name}': availabilityZone is required (the mock cloud does not pick one)`),
    mapPublicIpOnLaunch: optBool(req, 'mapPublicIpOnLaunch'),
    tags: tagsAll(req),
  });
  const subnet = state.subnet;
  return {
    id: subnet.SubnetId!,
    state: {
      ...req.inputs,
      arn: subnet.SubnetArn,
      availabilityZone: subnet.AvailabilityZone,
      availabilityZoneId: subnet.AvailabilityZoneId,
      mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch,
      ownerId: subnet.OwnerId,
      tagsAll: tagsAll(req),
    },
  };
}

export function createRouteTableResource(account: Account, req: ResourceRequest): ResourceResult {
  // Inline routes would bypass the route checks of `aws:ec2/route:Route`; programs use that instead.
  const inline = req.inputs.routes;
  if (Array.isArray(inline) && inline.length > 0) {
    fail(`${req.type} '${req.name}': inline routes are not emulated; use aws.ec2.Route resources`);
  }
  refuse(req, ['propagatingVgws']);
  const table = account.createRouteTable({
    seed: req.seed,
    owner: req.accountId,
    vpcId: reqString(req, 'vpcId'),
    tags: tagsAll(req),
  });
  return {
    id: table.RouteTableId!,
    state: {
      ...req.inputs,
      arn: `arn:aws:ec2:${account.region}:${table.OwnerId}:route-table/${table.RouteTableId}`,
      ownerId: table.OwnerId,
      tagsAll: tagsAll(req),
    },
  };
}

export function createRouteTableAssociation(account: Account, req: ResourceRequest): ResourceResult {
  refuse(req, ['gatewayId']);
  const id = account.associateRouteTable({
    seed: req.seed,
    caller: req.accountId,
    routeTableId: reqString(req, 'routeTableId'),
    subnetId: reqString(req, 'subnetId'),
  });
  return { id, state: { ...req.inputs } };
}
