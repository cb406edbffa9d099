/**
 * Transit Gateway emulation: gateways, route tables, VPC attachments (one ENI per subnet),
 * associations, propagations and static / blackhole routes, with the errors AWS returns for
 * duplicates and cross-gateway references. Propagated routes are derived at snapshot time.
 */
import type {
  TransitGatewayPropagation,
  TransitGatewayRoute,
  TransitGatewayRouteTableAssociation,
} from '@aws-sdk/client-ec2';
import type { Account } from './account';
import { fail } from './errors';
import { ACCOUNT_ID, arn, awsId } from './ids';
import {
  optBool,
  optNumber,
  optString,
  reqString,
  ResourceRequest,
  ResourceResult,
  stringList,
  tagsAll,
} from './handler';
import { parseCidr } from './ip';
import { awsTags } from './tags';

function enableFlag(req: ResourceRequest, key: string, dflt: 'enable' | 'disable'): 'enable' | 'disable' {
  const v = optString(req, key) ?? dflt;
  if (v !== 'enable' && v !== 'disable')
    fail(`${req.type} '${req.name}': ${key} must be "enable" or "disable", got "${v}"`);
  return v;
}

function attachment(account: Account, id: string) {
  return (
    account.tgwAttachments.get(id) ??
    fail(
      `InvalidTransitGatewayAttachmentID.NotFound: Transit Gateway Attachment ${id} was deleted or does not exist.`,
    )
  );
}

function routeTable(account: Account, id: string) {
  return (
    account.tgwRouteTables.get(id) ??
    fail(`InvalidRouteTableID.NotFound: Transit Gateway Route Table ${id} was deleted or does not exist.`)
  );
}

function createTgwRouteTable(
  account: Account,
  seed: string,
  tgwId: string,
  tags: Record<string, string>,
  defaults: boolean,
) {
  const id = awsId('tgw-rtb', seed);
  account.tgwRouteTables.set(id, {
    TransitGatewayRouteTableId: id,
    TransitGatewayId: tgwId,
    State: 'available',
    DefaultAssociationRouteTable: defaults,
    DefaultPropagationRouteTable: defaults,
    Tags: awsTags(tags),
  });
  account.tgwAssociations.set(id, []);
  account.tgwPropagations.set(id, []);
  account.tgwStaticRoutes.set(id, new Map());
  return id;
}

export function createTransitGateway(account: Account, req: ResourceRequest): ResourceResult {
  const id = awsId('tgw', req.seed);
  const tags = tagsAll(req);
  const association = enableFlag(req, 'defaultRouteTableAssociation', 'enable');
  const propagation = enableFlag(req, 'defaultRouteTablePropagation', 'enable');
  const asn = optNumber(req, 'amazonSideAsn') ?? 64512;
  // AWS creates one default route table when either default behaviour is enabled.
  const defaultRt =
    association === 'enable' || propagation === 'enable'
      ? createTgwRouteTable(account, `${req.seed}/default`, id, {}, true)
      : undefined;
  const tgwArn = arn('ec2', account.region, `transit-gateway/${id}`);
  account.transitGateways.set(id, {
    TransitGatewayId: id,
    TransitGatewayArn: tgwArn,
    State: 'available',
    OwnerId: ACCOUNT_ID,
    Description: optString(req, 'description'),
    Options: {
      AmazonSideAsn: asn,
      AutoAcceptSharedAttachments: enableFlag(req, 'autoAcceptSharedAttachments', 'disable'),
      DefaultRouteTableAssociation: association,
      AssociationDefaultRouteTableId: association === 'enable' ? defaultRt : undefined,
      DefaultRouteTablePropagation: propagation,
      PropagationDefaultRouteTableId: propagation === 'enable' ? defaultRt : undefined,
      VpnEcmpSupport: enableFlag(req, 'vpnEcmpSupport', 'enable'),
      DnsSupport: enableFlag(req, 'dnsSupport', 'enable'),
      SecurityGroupReferencingSupport: enableFlag(req, 'securityGroupReferencingSupport', 'disable'),
      MulticastSupport: enableFlag(req, 'multicastSupport', 'disable'),
      TransitGatewayCidrBlocks: stringList(req, 'transitGatewayCidrBlocks'),
    },
    Tags: awsTags(tags),
  });
  return {
    id,
    state: {
      ...req.inputs,
      arn: tgwArn,
      ownerId: ACCOUNT_ID,
      amazonSideAsn: asn,
      defaultRouteTableAssociation: association,
      defaultRouteTablePropagation: propagation,
      associationDefaultRouteTableId: association === 'enable' ? defaultRt : '',
      propagationDefaultRouteTableId: propagation === 'enable' ? defaultRt : '',
      tagsAll: tags,
    },
  };
}

export function createTgwRouteTableResource(account: Account, req: ResourceRequest): ResourceResult {
  const tgwId = reqString(req, 'transitGatewayId');
  if (!account.transitGateways.has(tgwId)) {
    fail(`InvalidTransitGatewayID.NotFound: Transit Gateway ${tgwId} was deleted or does not exist.`);
  }
  const tags = tagsAll(req);
  const id = createTgwRouteTable(account, req.seed, tgwId, tags, false);
  return {
    id,
    state: {
      ...req.inputs,
      arn: arn('ec2', account.region, `transit-gateway-route-table/${id}`),
      defaultAssociationRouteTable: false,
      defaultPropagationRouteTable: false,
      tagsAll: tags,
    },
  };
}

export function createTgwVpcAttachment(account: Account, req: ResourceRequest): ResourceResult {
  const tgwId = reqString(req, 'transitGatewayId');
  const tgw =
    account.transitGateways.get(tgwId) ??
    fail(`InvalidTransitGatewayID.NotFound: Transit Gateway ${tgwId} was deleted or does not exist.`);
  const vpcId = reqString(req, 'vpcId');
  const vpc = account.vpc(vpcId);
  const subnetIds = stringList(req, 'subnetIds');
  if (subnetIds.length === 0) fail(`${req.type} '${req.name}': subnetIds must name at least one subnet`);
  const seenAz = new Map<string, string>();
  for (const subnetId of subnetIds) {
    const subnet = account.subnet(subnetId);
    if (subnet.subnet.VpcId !== vpcId) {
      fail(`InvalidParameterValue: subnet ${subnetId} is not in VPC ${vpcId} (attachment '${req.name}')`);
    }
    const other = seenAz.get(subnet.az.name);
    if (other)
      fail(
        `DuplicateSubnetsInSameZone: Duplicate Subnets for same AZ (${subnetId} and ${other} in ${subnet.az.name})`,
      );
    seenAz.set(subnet.az.name, subnetId);
  }
  for (const existing of account.tgwAttachments.values()) {
    if (existing.attachment.TransitGatewayId === tgwId && existing.attachment.VpcId === vpcId) {
      fail(
        `DuplicateTransitGatewayAttachment: ${tgwId} already has attachment ${existing.attachment.TransitGatewayAttachmentId} to ${vpcId}`,
      );
    }
  }
  const id = awsId('tgw-attach', req.seed);
  const tags = tagsAll(req);
  const appliance = enableFlag(req, 'applianceModeSupport', 'disable');
  const dns = enableFlag(req, 'dnsSupport', 'enable');
  const ipv6 = enableFlag(req, 'ipv6Support', 'disable');
  const sgRef = enableFlag(req, 'securityGroupReferencingSupport', 'enable');
  subnetIds.forEach((subnetId) =>
    account.createNetworkInterface({
      subnetId,
      description: `Network Interface for Transit Gateway Attachment ${id}`,
      interfaceType: 'transit_gateway',
      requesterManaged: true,
      sourceDestCheck: false,
      seed: `${req.seed}/eni/${subnetId}`,
    }),
  );
  account.tgwAttachments.set(id, {
    attachment: {
      TransitGatewayAttachmentId: id,
      TransitGatewayId: tgwId,
      VpcId: vpcId,
      VpcOwnerId: ACCOUNT_ID,
      State: 'available',
      SubnetIds: subnetIds,
      Options: {
        DnsSupport: dns,
        Ipv6Support: ipv6,
        ApplianceModeSupport: appliance,
        SecurityGroupReferencingSupport: sgRef,
      },
      Tags: awsTags(tags),
    },
    vpcCidr: vpc.cidr.text,
  });
  const defaultAssociation = optBool(req, 'transitGatewayDefaultRouteTableAssociation') ?? true;
  const defaultPropagation = optBool(req, 'transitGatewayDefaultRouteTablePropagation') ?? true;
  const assocRt = tgw.Options!.AssociationDefaultRouteTableId;
  const propRt = tgw.Options!.PropagationDefaultRouteTableId;
  if (defaultAssociation && assocRt) associate(account, assocRt, id, false);
  if (defaultPropagation && propRt) propagate(account, propRt, id);
  return {
    id,
    state: {
      ...req.inputs,
      applianceModeSupport: appliance,
      dnsSupport: dns,
      ipv6Support: ipv6,
      securityGroupReferencingSupport: sgRef,
      transitGatewayDefaultRouteTableAssociation: defaultAssociation,
      transitGatewayDefaultRouteTablePropagation: defaultPropagation,
      vpcOwnerId: ACCOUNT_ID,
      arn: arn('ec2', account.region, `transit-gateway-attachment/${id}`),
      tagsAll: tags,
    },
  };
}

function sameGateway(account: Account, routeTableId: string, attachmentId: string): void {
  const rt = routeTable(account, routeTableId);
  const att = attachment(account, attachmentId);
  if (rt.TransitGatewayId !== att.attachment.TransitGatewayId) {
    fail(
      `InvalidParameterValue: attachment ${attachmentId} (${att.attachment.TransitGatewayId}) and route table ` +
        `${routeTableId} (${rt.TransitGatewayId}) belong to different transit gateways`,
    );
  }
}

function associate(account: Account, routeTableId: string, attachmentId: string, replace: boolean): void {
  sameGateway(account, routeTableId, attachmentId);
  const att = attachment(account, attachmentId);
  if (att.associatedRouteTableId && att.associatedRouteTableId !== routeTableId && !replace) {
    fail(
      `Resource.AlreadyAssociated: Transit Gateway Attachment ${attachmentId} is already associated to a route table (${att.associatedRouteTableId}).`,
    );
  }
  if (att.associatedRouteTableId === routeTableId) {
    fail(
      `Resource.AlreadyAssociated: Transit Gateway Attachment ${attachmentId} is already associated to ${routeTableId}.`,
    );
  }
  if (att.associatedRouteTableId) {
    const list = account.tgwAssociations.get(att.associatedRouteTableId)!;
    list.splice(list.indexOf(attachmentId), 1);
  }
  att.associatedRouteTableId = routeTableId;
  account.tgwAssociations.get(routeTableId)!.push(attachmentId);
}

function propagate(account: Account, routeTableId: string, attachmentId: string): void {
  sameGateway(account, routeTableId, attachmentId);
  const list = account.tgwPropagations.get(routeTableId)!;
  if (list.includes(attachmentId)) {
    fail(
      `TransitGatewayRouteTablePropagation.Duplicate: Propagation for ${attachmentId} is already enabled in ${routeTableId}.`,
    );
  }
  list.push(attachmentId);
}

export function createTgwAssociation(account: Account, req: ResourceRequest): ResourceResult {
  const rtId = reqString(req, 'transitGatewayRouteTableId');
  const attId = reqString(req, 'transitGatewayAttachmentId');
  associate(account, rtId, attId, optBool(req, 'replaceExistingAssociation') ?? false);
  const att = attachment(account, attId);
  return {
    id: `${rtId}_${attId}`,
    state: { ...req.inputs, resourceId: att.attachment.VpcId, resourceType: 'vpc' },
  };
}

export function createTgwPropagation(account: Account, req: ResourceRequest): ResourceResult {
  const rtId = reqString(req, 'transitGatewayRouteTableId');
  const attId = reqString(req, 'transitGatewayAttachmentId');
  propagate(account, rtId, attId);
  const att = attachment(account, attId);
  return {
    id: `${rtId}_${attId}`,
    state: { ...req.inputs, resourceId: att.attachment.VpcId, resourceType: 'vpc' },
  };
}

export function createTgwRoute(account: Account, req: ResourceRequest): ResourceResult {
  const rtId = reqString(req, 'transitGatewayRouteTableId');
  routeTable(account, rtId);
  const dest = parseCidr(reqString(req, 'destinationCidrBlock'), 'destinationCidrBlock').text;
  const blackhole = optBool(req, 'blackhole') ?? false;
  const attId = optString(req, 'transitGatewayAttachmentId');
  if (blackhole === (attId !== undefined)) {
    fail(
      `${req.type} '${req.name}': exactly one of transitGatewayAttachmentId and blackhole=true must be given`,
    );
  }
  const routes = account.tgwStaticRoutes.get(rtId)!;
  if (routes.has(dest)) {
    fail(`RouteAlreadyExists: Route ${dest} already exists in Transit Gateway Route Table ${rtId}.`);
  }
  const route: TransitGatewayRoute = {
    DestinationCidrBlock: dest,
    Type: 'static',
    State: blackhole ? 'blackhole' : 'active',
  };
  if (attId !== undefined) {
    sameGateway(account, rtId, attId);
    const att = attachment(account, attId);
    route.TransitGatewayAttachments = [
      { ResourceId: att.attachment.VpcId, TransitGatewayAttachmentId: attId, ResourceType: 'vpc' },
    ];
  }
  routes.set(dest, route);
  return { id: `${rtId}_${dest}`, state: { ...req.inputs, blackhole } };
}

/** GetTransitGatewayRouteTableAssociations, per route table. */
export function tgwAssociationsOf(account: Account, rtId: string): TransitGatewayRouteTableAssociation[] {
  return (account.tgwAssociations.get(rtId) ?? []).map((attId) => ({
    TransitGatewayAttachmentId: attId,
    ResourceId: account.tgwAttachments.get(attId)!.attachment.VpcId,
    ResourceType: 'vpc',
    State: 'associated',
  }));
}

/** GetTransitGatewayRouteTablePropagations, per route table. */
export function tgwPropagationsOf(account: Account, rtId: string): TransitGatewayPropagation[] {
  return (account.tgwPropagations.get(rtId) ?? []).map((attId) => ({
    TransitGatewayAttachmentId: attId,
    ResourceId: account.tgwAttachments.get(attId)!.attachment.VpcId,
    ResourceType: 'vpc',
    TransitGatewayRouteTableId: rtId,
    State: 'enabled',
  }));
}

/**
 * SearchTransitGatewayRoutes: static routes plus one propagated route per propagating VPC CIDR.
 * A static route wins over a propagated one for the same destination, so only it is listed.
 */
export function tgwRoutesOf(account: Account, rtId: string): TransitGatewayRoute[] {
  const statics = account.tgwStaticRoutes.get(rtId) ?? new Map<string, TransitGatewayRoute>();
  const routes: TransitGatewayRoute[] = [...statics.values()].map((r) => ({ ...r }));
  for (const attId of account.tgwPropagations.get(rtId) ?? []) {
    const att = account.tgwAttachments.get(attId)!;
    if (statics.has(att.vpcCidr)) continue;
    routes.push({
      DestinationCidrBlock: att.vpcCidr,
      TransitGatewayAttachments: [
        { ResourceId: att.attachment.VpcId, TransitGatewayAttachmentId: attId, ResourceType: 'vpc' },
      ],
      Type: 'propagated',
      State: 'active',
    });
  }
  return routes;
}
