/** VPC route lookup: longest prefix match in the subnet's route table (explicit or main). */
import { ipToInt } from '../ip/cidr';
import type { RouteTableInfo, VpcRoute } from '../model/types';

export type VpcLookup =
  | { kind: 'routes'; table: RouteTableInfo; routes: VpcRoute[] }
  | { kind: 'no-route'; table: RouteTableInfo; detail: string };

/** Every route of the longest matching prefix (AWS allows one per prefix; several = equal choices). */
export function lookupRoute(table: RouteTableInfo, dst: string): VpcLookup {
  const routes = table.routes.lookup(ipToInt(dst));
  if (routes.length === 0) return { kind: 'no-route', table, detail: `${table.id}: no route to ${dst}` };
  return { kind: 'routes', table, routes };
}
