/**
 * Transit Gateway emulation: gateways, route tables, VPC attachments (one ENI per subnet), the
 * acceptance of shared attachments, associations, propagations and static / blackhole routes, with
 * the errors AWS returns for duplicates and cross-gateway references. Propagated routes are
 * derived at snapshot time.
 *
 * Across accounts, as Amazon VPC Transit Gateways documents it ("Transit gateway sharing
 * considerations", https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html, and
 * "Amazon VPC attachments", https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html):
 *  - a VPC attaches to a gateway of another account only when the owner shares the gateway with
 *    that account through AWS RAM; otherwise the gateway does not exist for it;
 *  - a shared attachment is `pendingAcceptance` until the owner accepts it, unless the gateway
 *    accepts shared attachments automatically (`AutoAcceptSharedAttachments`); until then it
 *    forwards nothing, so no route can use it;
 *  - only the owner creates or changes route tables, associations, propagations and routes, and
 *    an attachment must be `available` for them.
 */
import type {
  TransitGatewayPropagation,
  TransitGatewayRoute,
  TransitGatewayRouteTableAssociation,
} from '@aws-sdk/client-ec2';
import type { Account } from './account';
import { fail } from './errors';
import { arn, awsId } from './ids';
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

const NOT_ACCEPTED = 'pendingAcceptance';

function attachmentNotFound(id: string): never {
  return fail(
    `InvalidTransitGatewayAttachmentID.NotFound: Transit Gateway Attachment ${id} was deleted or does not exist.`,
  );
}

function attachment(account: Account, id: string) {
  return account.tgwAttachments.get(id) ?? attachmentNotFound(id);
}

/** An attachment `caller` sees: the VPC's account and the gateway's account both do. */
function visibleAttachment(account: Account, id: string, caller: string) {
  const att = account.tgwAttachments.get(id);
  if (!att || (att.attachment.VpcOwnerId !== caller && att.transitGatewayOwnerId !== caller)) {
    attachmentNotFound(id);
  }
  return att;
}

/**
 * An attachment the gateway's owner can associate, propagate or route to: it must be `available`.
 * EC2 API error codes, "IncorrectState" (the resource is in an incorrect state for the request):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
function usableAttachment(account: Account, id: string, caller: string) {
  const att = visibleAttachment(account, id, caller);
  const state = att.attachment.State;
  if (state !== 'available') {
    const hint =
      state === NOT_ACCEPTED ? ': the transit gateway owner accepts it first (VpcAttachmentAccepter)' : '';
    fail(`IncorrectState: Transit Gateway Attachment ${id} is in state ${state}, not available${hint}`);
  }
  return att;
}

function routeTable(account: Account, id: string) {
  return (
    account.tgwRouteTables.get(id) ??
    fail(`InvalidRouteTableID.NotFound: Transit Gateway Route Table ${id} was deleted or does not exist.`)
  );
}

/** A route table `caller` may change: only the gateway's owner sees its route tables. */
function ownedRouteTable(account: Account, id: string, caller: string) {
  const rt = account.tgwRouteTables.get(id);
  if (rt && account.owns(caller, id)) return rt;
  const notFound = `InvalidRouteTableID.NotFound: Transit Gateway Route Table ${id} was deleted or does not exist.`;
  return fail(
    rt
      ? `${notFound} (it belongs to account ${account.ownerOf(id)}, which owns the transit gateway: only the ` +
          `owner changes its route tables, associations, propagations and routes; this provider acts in account ${caller})`
      : notFound,
  );
}

/**
 * CreateTransitGatewayVpcAttachment's answer for a gateway the caller neither owns nor is shared:
 * the gateway does not exist for it. The note names the owner and what its shares cover.
 */
function notSharedWith(account: Account, tgwId: string, caller: string): never {
  const notFound = `InvalidTransitGatewayID.NotFound: Transit Gateway ${tgwId} was deleted or does not exist.`;
  const tgw = account.transitGateways.get(tgwId);
  if (!tgw) return fail(notFound);
  const shares = account.sharesOf(tgw.TransitGatewayArn!);
  const covered =
    shares.length === 0
      ? `no resource share of account ${tgw.OwnerId} includes it`
      : shares
          .map(
            (sh) =>
              `resource share ${sh.name} (${sh.arn}) shares it with ${[...sh.principals.keys()].join(', ') || 'no principal'}`,
          )
          .join('; ');
  return fail(
    `${notFound} (it belongs to account ${tgw.OwnerId} and is not shared with account ${caller} through AWS RAM: ${covered})`,
  );
}

function createTgwRouteTable(
  account: Account,
  seed: string,
  owner: string,
  tgwId: string,
  tags: Record<string, string>,
  defaults: boolean,
) {
  const id = awsId('tgw-rtb', seed);
  account.own(id, owner);
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
  const owner = req.accountId;
  const id = awsId('tgw', req.seed);
  const tags = tagsAll(req);
  const association = enableFlag(req, 'defaultRouteTableAssociation', 'enable');
  const propagation = enableFlag(req, 'defaultRouteTablePropagation', 'enable');
  const asn = optNumber(req, 'amazonSideAsn') ?? 64512;
  // AWS creates one default route table when either default behaviour is enabled.
  const defaultRt =
    association === 'enable' || propagation === 'enable'
      ? createTgwRouteTable(account, `${req.seed}/default`, owner, id, {}, true)
      : undefined;
  const tgwArn = arn('ec2', account.region, owner, `transit-gateway/${id}`);
  account.own(id, owner);
  account.own(tgwArn, owner);
  account.transitGateways.set(id, {
    TransitGatewayId: id,
    TransitGatewayArn: tgwArn,
    State: 'available',
    OwnerId: owner,
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
      ownerId: owner,
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
  if (!account.ownedBy(req.accountId, tgwId, account.transitGateways.get(tgwId))) {
    // A shared gateway's route tables stay with its owner (transit-gateway-share.html).
    fail(`InvalidTransitGatewayID.NotFound: Transit Gateway ${tgwId} was deleted or does not exist.`);
  }
  const tags = tagsAll(req);
  const id = createTgwRouteTable(account, req.seed, req.accountId, tgwId, tags, false);
  return {
    id,
    state: {
      ...req.inputs,
      arn: arn('ec2', account.region, req.accountId, `transit-gateway-route-table/${id}`),
      defaultAssociationRouteTable: false,
      defaultPropagationRouteTable: false,
      tagsAll: tags,
    },
  };
}

/**
 * The attachment's default route table flags cannot be applied or read back across accounts: the
 * AWS provider reads them as `true` there, so `false` would show as a change on every preview.
 * Pulumi AWS, `ec2transitgateway.VpcAttachment` (transitGatewayDefaultRouteTableAssociation:
 * "This cannot be configured or perform drift detection with Resource Access Manager shared EC2
 * Transit Gateways"): https://www.pulumi.com/registry/packages/aws/api-docs/ec2transitgateway/vpcattachment/
 */
const DEFAULT_TABLE_FLAGS = [
  'transitGatewayDefaultRouteTableAssociation',
  'transitGatewayDefaultRouteTablePropagation',
] as const;

export function createTgwVpcAttachment(account: Account, req: ResourceRequest): ResourceResult {
  const caller = req.accountId;
  const tgwId = reqString(req, 'transitGatewayId');
  const tgw = account.transitGateway(tgwId, caller) ?? notSharedWith(account, tgwId, caller);
  const crossAccount = tgw.OwnerId !== caller;
  const vpcId = reqString(req, 'vpcId');
  const vpc = account.vpc(vpcId, caller);
  const subnetIds = stringList(req, 'subnetIds');
  if (subnetIds.length === 0) fail(`${req.type} '${req.name}': subnetIds must name at least one subnet`);
  const seenAz = new Map<string, string>();
  for (const subnetId of subnetIds) {
    const subnet = account.subnet(subnetId, caller);
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
  if (crossAccount) {
    for (const key of DEFAULT_TABLE_FLAGS) {
      if (optBool(req, key) === false) {
        fail(
          `${req.type} '${req.name}': ${key} is false, but ${tgwId} belongs to account ${tgw.OwnerId}: ` +
            'the provider cannot apply or read it on a shared transit gateway and reads it back as true, so every ' +
            "preview shows a change; leave it unset and let the gateway's owner associate and propagate",
        );
      }
    }
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
      owner: caller,
      subnetId,
      description: `Network Interface for Transit Gateway Attachment ${id}`,
      interfaceType: 'transit_gateway',
      requesterManaged: true,
      sourceDestCheck: false,
      seed: `${req.seed}/eni/${subnetId}`,
    }),
  );
  const autoAccept = tgw.Options!.AutoAcceptSharedAttachments === 'enable';
  const state = crossAccount && !autoAccept ? NOT_ACCEPTED : 'available';
  account.tgwAttachments.set(id, {
    attachment: {
      TransitGatewayAttachmentId: id,
      TransitGatewayId: tgwId,
      VpcId: vpcId,
      VpcOwnerId: caller,
      State: state,
      SubnetIds: subnetIds,
      Options: {
        DnsSupport: dns,
        Ipv6Support: ipv6,
        ApplianceModeSupport: appliance,
        SecurityGroupReferencingSupport: sgRef,
      },
      Tags: awsTags(tags),
    },
    transitGatewayOwnerId: tgw.OwnerId!,
    vpcCidr: vpc.cidr.text,
  });
  // The provider applies the default-table flags only on its own gateway; on a shared one the
  // gateway's own defaults apply once the attachment is available.
  const defaultAssociation = crossAccount || (optBool(req, DEFAULT_TABLE_FLAGS[0]) ?? true);
  const defaultPropagation = crossAccount || (optBool(req, DEFAULT_TABLE_FLAGS[1]) ?? true);
  if (state === 'available') applyGatewayDefaults(account, id, defaultAssociation, defaultPropagation);
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
      vpcOwnerId: caller,
      arn: arn('ec2', account.region, caller, `transit-gateway-attachment/${id}`),
      tagsAll: tags,
    },
  };
}

/** Associates / propagates a newly available attachment with the gateway's default route tables. */
function applyGatewayDefaults(
  account: Account,
  attachmentId: string,
  association: boolean,
  propagation: boolean,
) {
  const att = attachment(account, attachmentId);
  const tgw = account.transitGateways.get(att.attachment.TransitGatewayId!)!;
  const assocRt = tgw.Options!.AssociationDefaultRouteTableId;
  const propRt = tgw.Options!.PropagationDefaultRouteTableId;
  if (association && assocRt) associate(account, assocRt, attachmentId, false);
  if (propagation && propRt) propagate(account, propRt, attachmentId);
}

/**
 * `aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter`: the gateway's owner accepts
 * a shared attachment (AcceptTransitGatewayVpcAttachment), which then becomes `available`. Its
 * default-table flags apply to the gateway's default route tables and are read back as false when
 * the gateway has none, so they must be false there (else every preview shows a change).
 */
export function createTgwAttachmentAccepter(account: Account, req: ResourceRequest): ResourceResult {
  const caller = req.accountId;
  const id = reqString(req, 'transitGatewayAttachmentId');
  const att = visibleAttachment(account, id, caller);
  const tgwId = att.attachment.TransitGatewayId!;
  if (att.transitGatewayOwnerId !== caller) {
    fail(
      `InvalidParameterValue: Cannot accept ${id}: only the owner of ${tgwId} (account ${att.transitGatewayOwnerId}) ` +
        `accepts its attachments; this provider acts in account ${caller}, which requested it`,
    );
  }
  if (att.attachment.State !== NOT_ACCEPTED) {
    fail(
      `IncorrectState: Transit Gateway Attachment ${id} is in state ${att.attachment.State}, not ${NOT_ACCEPTED} ` +
        "(an attachment from the gateway's own account, or to a gateway that auto-accepts, needs no acceptance)",
    );
  }
  const tgw = account.transitGateways.get(tgwId)!;
  const flags = DEFAULT_TABLE_FLAGS.map((key, i) => {
    const value = optBool(req, key) ?? true;
    const table =
      i === 0 ? tgw.Options!.AssociationDefaultRouteTableId : tgw.Options!.PropagationDefaultRouteTableId;
    if (value && !table) {
      fail(
        `${req.type} '${req.name}': ${key} is true (the default), but ${tgwId} has no default route table: ` +
          'the provider reads it back as false, so every preview shows a change; set it to false',
      );
    }
    return value;
  });
  att.attachment.State = 'available';
  applyGatewayDefaults(account, id, flags[0], flags[1]);
  const a = att.attachment;
  return {
    id,
    state: {
      ...req.inputs,
      transitGatewayId: tgwId,
      vpcId: a.VpcId,
      vpcOwnerId: a.VpcOwnerId,
      subnetIds: a.SubnetIds,
      applianceModeSupport: a.Options!.ApplianceModeSupport,
      dnsSupport: a.Options!.DnsSupport,
      ipv6Support: a.Options!.Ipv6Support,
      securityGroupReferencingSupport: a.Options!.SecurityGroupReferencingSupport,
      transitGatewayDefaultRouteTableAssociation: flags[0],
      transitGatewayDefaultRouteTablePropagation: flags[1],
      tagsAll: tagsAll(req),
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
  ownedRouteTable(account, rtId, req.accountId);
  usableAttachment(account, attId, req.accountId);
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
  ownedRouteTable(account, rtId, req.accountId);
  usableAttachment(account, attId, req.accountId);
  propagate(account, rtId, attId);
  const att = attachment(account, attId);
  return {
    id: `${rtId}_${attId}`,
    state: { ...req.inputs, resourceId: att.attachment.VpcId, resourceType: 'vpc' },
  };
}

export function createTgwRoute(account: Account, req: ResourceRequest): ResourceResult {
  const rtId = reqString(req, 'transitGatewayRouteTableId');
  ownedRouteTable(account, rtId, req.accountId);
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
    usableAttachment(account, attId, req.accountId);
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
