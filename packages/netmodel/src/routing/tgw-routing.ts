/**
 * Transit Gateway routing: the route table the ingress attachment is associated with on this
 * gateway decides (longest prefix; a static route beats a propagated one for the same prefix); the
 * AZ the packet leaves in follows the appliance-mode rules of docs/network-design.md.
 */
import { ipToInt } from '../ip/cidr';
import type { NetworkModel, TgwAttachmentInfo, TgwRoute } from '../model/types';

export type TgwLookup =
  | { kind: 'route'; routeTableId: string; route: TgwRoute }
  | { kind: 'blackhole'; routeTableId: string; route: TgwRoute }
  | { kind: 'no-route'; routeTableId?: string; detail: string };

/** The route table `tgwId` associates `attachment` with (a peering attachment has one per side). */
export function associatedTable(attachment: TgwAttachmentInfo, tgwId: string): string | undefined {
  return attachment.peer && tgwId === attachment.peer.tgwId
    ? attachment.peer.routeTableId
    : attachment.routeTableId;
}

export function lookupTgwRoute(
  model: NetworkModel,
  ingress: TgwAttachmentInfo,
  tgwId: string,
  dst: string,
): TgwLookup {
  const routeTableId = associatedTable(ingress, tgwId);
  if (!routeTableId)
    return { kind: 'no-route', detail: `${ingress.id} is not associated with a route table of ${tgwId}` };
  const table = model.tgwRouteTables.get(routeTableId);
  const routes = table?.routes.lookup(ipToInt(dst)) ?? [];
  if (routes.length === 0)
    return { kind: 'no-route', routeTableId, detail: `${routeTableId}: no route to ${dst}` };
  // A static route and a propagated one for the same prefix: the static one wins.
  const route = routes.find((r) => r.type === 'static') ?? routes[0]!;
  return route.blackhole
    ? { kind: 'blackhole', routeTableId, route }
    : { kind: 'route', routeTableId, route };
}

export interface AzChoice {
  az: string;
  subnetId: string;
  reason: string;
}

/**
 * The AZs a packet may leave the TGW in through `egress`, having entered in `entryAz`.
 * Appliance mode: one AZ per flow, chosen by flow hash and kept for both directions, so every AZ is
 * a possible path unless the flow already has one (`pinned`). Without it: the entry AZ when the
 * attachment has a subnet there, else any of its AZs.
 */
export function selectEgressAz(
  egress: TgwAttachmentInfo,
  entryAz: string,
  pinned: string | undefined,
): AzChoice[] {
  const azs = [...egress.subnetByAz.keys()].sort();
  if (egress.applianceMode) {
    if (pinned !== undefined && egress.subnetByAz.has(pinned)) {
      return [
        {
          az: pinned,
          subnetId: egress.subnetByAz.get(pinned)!,
          reason: `appliance mode: flow pinned to ${pinned} in both directions`,
        },
      ];
    }
    return azs.map((az) => ({
      az,
      subnetId: egress.subnetByAz.get(az)!,
      reason: `appliance mode: flow hash may pick ${az} (kept for both directions)`,
    }));
  }
  const same = egress.subnetByAz.get(entryAz);
  if (same) return [{ az: entryAz, subnetId: same, reason: `stays in ${entryAz} (no appliance mode)` }];
  return azs.map((az) => ({
    az,
    subnetId: egress.subnetByAz.get(az)!,
    reason: `no subnet in ${entryAz}: may leave in ${az}`,
  }));
}
