/**
 * Transit gateways: attachments (VPC attachments carry the per-AZ subnets, the generic list adds
 * other resource types and associations) and TGW route tables with their associations, routes and
 * propagations. The TGW ids seen here are recorded in ctx.tgwIds for VPC route target validation.
 * Associations, propagations and routes are objects keyed by TGW route table id.
 */
import { parseCidr } from '../ip/cidr';
import type { Cidr } from '../ip/cidr';
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
        available: true,
      };
      ctx.m.tgwAttachments.set(id, a);
    }
    return a;
  };
  const activeState = (s: string | undefined): boolean =>
    ['', 'available', 'modifying', 'pendingacceptance'].includes(lower(s)) || lower(s) === 'pending';
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
    a.available = activeState(v.State);
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
    if (!known) a.available = activeState(t.State);
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
    if (t.Association?.TransitGatewayRouteTableId && lower(t.Association.State) === 'associated')
      a.routeTableId = t.Association.TransitGatewayRouteTableId;
    if (a.tgwId) ctx.tgwIds.add(a.tgwId);
  });
  for (const a of ctx.m.tgwAttachments.values()) {
    if (a.vpcId) {
      ctx.m.tgwAttachmentByVpc.set(`${a.tgwId}|${a.vpcId}`, a.id);
      ctx.m.vpcs.get(a.vpcId)!.tgwAttachmentIds.push(a.id);
    }
  }
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
      if (a.routeTableId && a.routeTableId !== rtb && assocFromKeyed.has(a.id)) {
        throw snapshotError(
          'TransitGatewayRouteTableAssociations',
          rtb,
          a.id,
          `attachment is also associated with ${a.routeTableId}; an attachment has one association`,
        );
      }
      a.routeTableId = rtb;
      assocFromKeyed.add(a.id);
      t.tgwId ||= a.tgwId;
    });
  }
  for (const [rtb] of keyed('TransitGatewayRoutes')) {
    const t = tables.get(rtb) ?? addTable(rtb, '');
    (ctx.s.TransitGatewayRoutes![rtb] ?? []).forEach((r, j) => {
      if (!r.DestinationCidrBlock) return; // prefix-list routes are not modelled
      const st = lower(r.State);
      if (st === 'deleted' || st === 'deleting' || st === 'pending') return;
      const dest = at('TransitGatewayRoutes', rtb, undefined, () =>
        parseCidr(r.DestinationCidrBlock!, { hostBits: 'clear', what: `[${j}].DestinationCidrBlock` }),
      );
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
          `[${j}] ${dest.text}: active route without TransitGatewayAttachments`,
        );
      const type = lower(r.Type) === 'propagated' ? 'propagated' : 'static';
      t.routes.add(dest, {
        dest,
        blackhole,
        attachmentIds,
        type,
        text: tgwRouteText(rtb, dest, blackhole, attachmentIds, type),
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
    if (a.routeTableId && !tables.has(a.routeTableId)) {
      if (listed)
        throw snapshotError(
          'TransitGatewayAttachments',
          a.id,
          a.id,
          `associated route table "${a.routeTableId}" is not in TransitGatewayRouteTables`,
        );
      addTable(a.routeTableId, a.tgwId);
    }
  }
}

function tgwRouteText(
  rtb: string,
  dest: Cidr,
  blackhole: boolean,
  attachments: string[],
  type: string,
): string {
  return `${rtb}: ${dest.text} -> ${blackhole ? 'blackhole' : attachments.join(', ')} (${type})`;
}
