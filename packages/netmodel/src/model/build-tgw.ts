/**
 * Transit gateways: attachments (VPC attachments carry the per-AZ subnets, the generic list adds
 * other resource types and associations) and TGW route tables with their associations, routes and
 * propagations. The TGW ids seen here are recorded in ctx.tgwIds for VPC route target validation.
 * Associations, propagations and routes are objects keyed by TGW route table id.
 *
 * A peering attachment joins two transit gateways under one attachment id, and each gateway
 * associates that id with a route table of its own: "one association per attachment" holds per
 * gateway. Amazon VPC Transit Gateways, "Transit gateway peering attachments":
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html
 */
import { parseCidr, type Cidr } from '../ip/cidr';
import { LpmTable } from '../ip/lpm';
import { lower } from './build-context';
import type { BuildContext } from './build-context';
import { at, snapshotError } from './errors';
import type { TgwAttachmentInfo, TgwRouteTableInfo } from './types';

export function indexTgwAttachments(ctx: BuildContext): void {
  for (const t of ctx.s.TransitGateways ?? []) if (t.TransitGatewayId) ctx.tgwIds.add(t.TransitGatewayId);
  const ensure = (id: string): TgwAttachmentInfo => {
    let a = ctx.m.tgwAttachments.get(id);
    if (!a) {
      a = {
        id,
        tgwId: '',
        resourceType: 'vpc',
        subnetByAz: new Map(),
        applianceMode: false,
        state: 'available',
        available: true,
      };
      ctx.m.tgwAttachments.set(id, a);
    }
    return a;
  };
  // Only an available attachment forwards; one being modified keeps forwarding. Amazon VPC Transit
  // Gateways, "Transit gateway attachment lifecycle":
  // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-lifecycle
  const setState = (a: TgwAttachmentInfo, s: string | undefined): void => {
    a.state = s || 'available';
    a.available = ['', 'available', 'modifying'].includes(lower(s));
  };
  (ctx.s.TransitGatewayVpcAttachments ?? []).forEach((v, i) => {
    const id = ctx.requireId(
      'TransitGatewayVpcAttachments',
      i,
      v.TransitGatewayAttachmentId,
      'TransitGatewayAttachmentId',
    );
    const vpc = ctx.vpc('TransitGatewayVpcAttachments', i, id, v.VpcId);
    if (!v.TransitGatewayId)
      throw snapshotError('TransitGatewayVpcAttachments', i, id, 'TransitGatewayId missing');
    const a = ensure(id);
    a.tgwId = v.TransitGatewayId;
    a.vpcId = vpc.id;
    a.resourceType = 'vpc';
    a.applianceMode = lower(v.Options?.ApplianceModeSupport) === 'enable';
    setState(a, v.State);
    for (const sn of v.SubnetIds ?? []) {
      const sub = ctx.subnet('TransitGatewayVpcAttachments', i, id, sn, 'SubnetIds[]');
      if (sub.vpcId !== vpc.id)
        throw snapshotError(
          'TransitGatewayVpcAttachments',
          i,
          id,
          `subnet ${sn} is in ${sub.vpcId}, not ${vpc.id}`,
        );
      if (a.subnetByAz.has(sub.az))
        throw snapshotError(
          'TransitGatewayVpcAttachments',
          i,
          id,
          `two subnets in ${sub.az} (${a.subnetByAz.get(sub.az)}, ${sn}); AWS allows one per AZ`,
        );
      a.subnetByAz.set(sub.az, sub.id);
    }
    ctx.tgwIds.add(v.TransitGatewayId);
  });
  (ctx.s.TransitGatewayAttachments ?? []).forEach((t, i) => {
    const id = ctx.requireId(
      'TransitGatewayAttachments',
      i,
      t.TransitGatewayAttachmentId,
      'TransitGatewayAttachmentId',
    );
    const known = ctx.m.tgwAttachments.has(id);
    const a = ensure(id);
    if (t.TransitGatewayId) a.tgwId ||= t.TransitGatewayId;
    if (t.ResourceType) a.resourceType = lower(t.ResourceType);
    if (!known) setState(a, t.State);
    if (a.resourceType === 'peering') indexPeeringView(ctx, a, t, i);
    if (a.resourceType === 'vpc') {
      if (!known)
        throw snapshotError(
          'TransitGatewayAttachments',
          i,
          id,
          'VPC attachment is not in TransitGatewayVpcAttachments (its subnets are needed)',
        );
      if (t.ResourceId && a.vpcId && t.ResourceId !== a.vpcId)
        throw snapshotError(
          'TransitGatewayAttachments',
          i,
          id,
          `ResourceId ${t.ResourceId} differs from the VPC attachment's ${a.vpcId}`,
        );
    }
    if (t.Association?.TransitGatewayRouteTableId && lower(t.Association.State) === 'associated') {
      // Each account's view reports the association on its own gateway.
      if (a.peer && t.TransitGatewayId === a.peer.tgwId)
        a.peer.routeTableId = t.Association.TransitGatewayRouteTableId;
      else a.routeTableId = t.Association.TransitGatewayRouteTableId;
    }
    if (a.tgwId) ctx.tgwIds.add(a.tgwId);
  });
  for (const a of ctx.m.tgwAttachments.values()) {
    if (a.vpcId) {
      ctx.m.tgwAttachmentByVpc.set(`${a.tgwId}|${a.vpcId}`, a.id);
      ctx.m.vpcs.get(a.vpcId)!.tgwAttachmentIds.push(a.id);
    }
  }
}

/**
 * One account's view of a peering attachment: `TransitGatewayId` is its own gateway, `ResourceId`
 * the gateway at the other end. A merged snapshot holds both views of the same attachment id.
 */
function indexPeeringView(
  ctx: BuildContext,
  a: TgwAttachmentInfo,
  t: NonNullable<BuildContext['s']['TransitGatewayAttachments']>[number],
  i: number,
): void {
  const own = t.TransitGatewayId;
  const other = t.ResourceId;
  if (!own || !other)
    throw snapshotError(
      'TransitGatewayAttachments',
      i,
      a.id,
      'peering attachment without TransitGatewayId and ResourceId (the peer transit gateway)',
    );
  if (!a.peer) {
    a.peer = { tgwId: other, ...(t.ResourceOwnerId ? { ownerId: t.ResourceOwnerId } : {}) };
    return;
  }
  const pair = new Set([a.tgwId, a.peer.tgwId]);
  if (!pair.has(own) || !pair.has(other) || own === other)
    throw snapshotError(
      'TransitGatewayAttachments',
      i,
      a.id,
      `joins ${own} and ${other}, but another view of it joins ${a.tgwId} and ${a.peer.tgwId}`,
    );
  ctx.tgwIds.add(own);
}

/** The route table `tgwId` associates the attachment with (peering attachments have one per side). */
function associate(a: TgwAttachmentInfo, tgwId: string, rtb: string): void {
  if (a.peer && tgwId === a.peer.tgwId) a.peer.routeTableId = rtb;
  else a.routeTableId = rtb;
}

function associationOn(a: TgwAttachmentInfo, tgwId: string): string | undefined {
  return a.peer && tgwId === a.peer.tgwId ? a.peer.routeTableId : a.routeTableId;
}

export function indexTgwRouteTables(ctx: BuildContext): void {
  // Route tables: those listed, plus those only named as keys (a reader may skip the list).
  const listed = ctx.s.TransitGatewayRouteTables;
  // Attachments already associated by TransitGatewayRouteTableAssociations: a second such association is
  // an error, whereas one from TransitGatewayAttachments[].Association is simply overridden.
  const assocFromKeyed = new Set<string>();
  const tables = ctx.m.tgwRouteTables;
  const addTable = (id: string, tgwId: string): TgwRouteTableInfo => {
    let t = tables.get(id);
    if (!t) {
      t = { id, tgwId, routes: new LpmTable() };
      tables.set(id, t);
    }
    return t;
  };
  (listed ?? []).forEach((rt, i) => {
    const id = ctx.requireId(
      'TransitGatewayRouteTables',
      i,
      rt.TransitGatewayRouteTableId,
      'TransitGatewayRouteTableId',
    );
    if (rt.TransitGatewayId && !ctx.tgwIds.has(rt.TransitGatewayId)) ctx.tgwIds.add(rt.TransitGatewayId);
    addTable(id, rt.TransitGatewayId ?? '');
  });
  const keyed = (
    member:
      | 'TransitGatewayRouteTableAssociations'
      | 'TransitGatewayRouteTablePropagations'
      | 'TransitGatewayRoutes',
  ): [string, unknown[]][] =>
    Object.entries(ctx.s[member] ?? {}).map(([rtb, v]) => {
      if (listed && !tables.has(rtb))
        throw snapshotError(
          member,
          rtb,
          undefined,
          `route table "${rtb}" is not in TransitGatewayRouteTables`,
        );
      if (!Array.isArray(v)) throw snapshotError(member, rtb, undefined, 'expected an array');
      return [rtb, v];
    });
  const attachment = (member: string, rtb: string, id: string | undefined, j: number): TgwAttachmentInfo => {
    const a = id ? ctx.m.tgwAttachments.get(id) : undefined;
    if (!a)
      throw snapshotError(
        member,
        rtb,
        undefined,
        `[${j}] TransitGatewayAttachmentId "${id}" is not in TransitGatewayVpcAttachments/TransitGatewayAttachments`,
      );
    return a;
  };
  for (const [rtb] of keyed('TransitGatewayRouteTableAssociations')) {
    const t = tables.get(rtb) ?? addTable(rtb, '');
    (ctx.s.TransitGatewayRouteTableAssociations![rtb] ?? []).forEach((assoc, j) => {
      const st = lower(assoc.State);
      if (st !== '' && st !== 'associated' && st !== 'associating') return;
      const a = attachment('TransitGatewayRouteTableAssociations', rtb, assoc.TransitGatewayAttachmentId, j);
      // The gateway this table belongs to; a table known only by its key belongs to the
      // attachment's own gateway (or, for a peering attachment already associated there, the peer's).
      const tgwId = t.tgwId || (a.peer && a.routeTableId && a.routeTableId !== rtb ? a.peer.tgwId : a.tgwId);
      const current = associationOn(a, tgwId);
      const key = `${a.id}|${tgwId}`;
      if (current && current !== rtb && assocFromKeyed.has(key)) {
        throw snapshotError(
          'TransitGatewayRouteTableAssociations',
          rtb,
          a.id,
          `attachment is also associated with ${current} on ${tgwId}; an attachment has one association per transit gateway`,
        );
      }
      associate(a, tgwId, rtb);
      assocFromKeyed.add(key);
      t.tgwId ||= tgwId;
    });
  }
  for (const [rtb] of keyed('TransitGatewayRoutes')) {
    const t = tables.get(rtb) ?? addTable(rtb, '');
    (ctx.s.TransitGatewayRoutes![rtb] ?? []).forEach((r, j) => {
      const st = lower(r.State);
      if (st === 'deleted' || st === 'deleting' || st === 'pending') return;
      let dests: Cidr[];
      if (r.DestinationCidrBlock)
        dests = [
          at('TransitGatewayRoutes', rtb, undefined, () =>
            parseCidr(r.DestinationCidrBlock!, { hostBits: 'clear', what: `[${j}].DestinationCidrBlock` }),
          ),
        ];
      else if (r.PrefixListId)
        dests = ctx.prefixList(
          'TransitGatewayRoutes',
          rtb,
          undefined,
          r.PrefixListId,
          `[${j}].PrefixListId`,
        ).cidrs;
      else return; // IPv6 routes carry none of the IPv4 flows the model traces
      const blackhole = st === 'blackhole';
      const attachmentIds = blackhole
        ? []
        : (r.TransitGatewayAttachments ?? []).map(
            (x) => attachment('TransitGatewayRoutes', rtb, x.TransitGatewayAttachmentId, j).id,
          );
      if (!blackhole && attachmentIds.length === 0)
        throw snapshotError(
          'TransitGatewayRoutes',
          rtb,
          undefined,
          `[${j}] ${r.DestinationCidrBlock ?? r.PrefixListId}: active route without TransitGatewayAttachments`,
        );
      const type = lower(r.Type) === 'propagated' ? 'propagated' : 'static';
      for (const dest of dests)
        t.routes.add(dest, {
          dest,
          blackhole,
          attachmentIds,
          type,
          text: tgwRouteText(
            rtb,
            dest,
            blackhole,
            attachmentIds,
            type,
            r.DestinationCidrBlock ? undefined : r.PrefixListId,
          ),
        });
    });
  }
  // A route search that lists propagated routes is the truth for that table. One that lists only
  // static routes (or none) came from a source that cannot search: derive the propagated routes
  // from the propagations and the VPC CIDRs (a static route for the same prefix still wins).
  for (const [rtb] of keyed('TransitGatewayRouteTablePropagations')) {
    const t = tables.get(rtb) ?? addTable(rtb, '');
    if (t.routes.values().some((r) => r.type === 'propagated')) continue;
    (ctx.s.TransitGatewayRouteTablePropagations![rtb] ?? []).forEach((p, j) => {
      const st = lower(p.State);
      if (st !== '' && st !== 'enabled' && st !== 'enabling') return;
      const a = attachment('TransitGatewayRouteTablePropagations', rtb, p.TransitGatewayAttachmentId, j);
      if (!a.vpcId) return;
      for (const dest of ctx.m.vpcs.get(a.vpcId)!.cidrs) {
        if (t.routes.exact(dest).length > 0) continue;
        t.routes.add(dest, {
          dest,
          blackhole: false,
          attachmentIds: [a.id],
          type: 'propagated',
          text: tgwRouteText(rtb, dest, false, [a.id], 'propagated'),
        });
      }
    });
  }
  for (const a of ctx.m.tgwAttachments.values()) {
    for (const [rtb, tgwId] of [
      [a.routeTableId, a.tgwId],
      [a.peer?.routeTableId, a.peer?.tgwId ?? ''],
    ] as const) {
      if (!rtb || tables.has(rtb)) continue;
      if (listed)
        throw snapshotError(
          'TransitGatewayAttachments',
          a.id,
          a.id,
          `associated route table "${rtb}" is not in TransitGatewayRouteTables`,
        );
      addTable(rtb, tgwId);
    }
  }
}

function tgwRouteText(
  rtb: string,
  dest: Cidr,
  blackhole: boolean,
  attachments: string[],
  type: string,
  prefixListId?: string,
): string {
  const d = prefixListId ? `${prefixListId} (${dest.text})` : dest.text;
  return `${rtb}: ${d} -> ${blackhole ? 'blackhole' : attachments.join(', ')} (${type})`;
}
