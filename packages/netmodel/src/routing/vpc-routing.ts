/**
 * VPC route lookup in the subnet's route table (explicit or main): the longest prefix wins; at
 * equal length static routes beat prefix-list routes, which beat propagated ones.
 *
 * Amazon VPC User Guide, "How route priority works":
 * https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 */
import { ipToInt } from '../ip/cidr';
import type { RouteTableInfo, VpcRoute } from '../model/types';

export type VpcLookup =
  | { kind: 'routes'; table: RouteTableInfo; routes: VpcRoute[] }
  | { kind: 'no-route'; table: RouteTableInfo; detail: string };

const RANK: Record<VpcRoute['priority'], number> = { static: 0, 'prefix-list': 1, propagated: 2 };

/**
 * Every route of the best rank at the longest matching prefix. Several = equal choices: AWS allows
 * one static route per prefix, but prefix lists with overlapping entries to different targets
 * leave AWS to pick one ("we randomly choose"), so each is a possible path.
 */
export function lookupRoute(table: RouteTableInfo, dst: string): VpcLookup {
  const routes = table.routes.lookup(ipToInt(dst));
  if (routes.length === 0) return { kind: 'no-route', table, detail: `${table.id}: no route to ${dst}` };
  const best = Math.min(...routes.map((r) => RANK[r.priority]));
  return { kind: 'routes', table, routes: routes.filter((r) => RANK[r.priority] === best) };
}
