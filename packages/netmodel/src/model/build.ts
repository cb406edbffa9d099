/**
 * buildNetworkModel: validates a NetworkSnapshot and indexes it once, so tracing a hop is a few
 * map lookups. Structural faults (a reference to an id that is not in the snapshot, a malformed
 * CIDR) throw a SnapshotError naming the member, the id and the value.
 *
 * The indexing is split by concern (build-vpcs, build-prefix-lists, build-peering, build-security,
 * build-enis, build-firewalls, build-tgw); the order below matters, as later steps look up what
 * earlier ones indexed (prefix lists before the routes and rules that reference them).
 */
import {
  SNAPSHOT_KEYED_BY,
  SNAPSHOT_KEYED_MEMBERS,
  SNAPSHOT_LIST_MEMBERS,
  type NetworkSnapshot,
} from '../snapshot';
import { BuildContext } from './build-context';
import {
  indexAddresses,
  indexInstances,
  indexNatGateways,
  indexNetworkInterfaces,
  indexVpcEndpoints,
  placeEndpointInterfaces,
} from './build-enis';
import { indexFirewalls, withFirewallEngine } from './build-firewalls';
import { indexPeerings } from './build-peering';
import { indexPrefixLists } from './build-prefix-lists';
import { indexSecurityGroupsAndNacls } from './build-security';
import { indexTgwAttachments, indexTgwRouteTables } from './build-tgw';
import {
  indexInternetGateways,
  indexRouteTables,
  indexSubnets,
  indexVpcAttributes,
  indexVpcs,
  validateRouteTargets,
} from './build-vpcs';
import { SnapshotError, snapshotError } from './errors';
import type { BuildModelOptions, NetworkModel } from './types';

export function buildNetworkModel(snapshot: NetworkSnapshot, options: BuildModelOptions = {}): NetworkModel {
  if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) {
    throw snapshotError(
      'snapshot',
      0,
      undefined,
      'expected a JSON object with the members of docs/snapshot-format.md',
    );
  }
  checkMemberShapes(snapshot);
  const ctx = new BuildContext(snapshot);
  indexVpcs(ctx);
  indexVpcAttributes(ctx);
  indexPrefixLists(ctx);
  indexPeerings(ctx);
  indexSubnets(ctx);
  indexRouteTables(ctx);
  indexInternetGateways(ctx);
  indexSecurityGroupsAndNacls(ctx);
  indexVpcEndpoints(ctx);
  indexNatGateways(ctx);
  indexNetworkInterfaces(ctx);
  indexInstances(ctx);
  placeEndpointInterfaces(ctx);
  indexAddresses(ctx);
  indexFirewalls(ctx);
  indexTgwAttachments(ctx);
  indexTgwRouteTables(ctx);
  validateRouteTargets(ctx);
  return withFirewallEngine(ctx.m, options);
}

/** Members are arrays, except the keyed ones (TGW route table id, prefix-list id), which are objects. */
function checkMemberShapes(s: NetworkSnapshot): void {
  for (const member of SNAPSHOT_LIST_MEMBERS) {
    const v = s[member];
    if (v !== undefined && !Array.isArray(v)) throw new SnapshotError(`${member}: expected an array`);
  }
  for (const member of SNAPSHOT_KEYED_MEMBERS) {
    const v = s[member];
    if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) {
      throw new SnapshotError(`${member}: expected an object keyed by ${SNAPSHOT_KEYED_BY[member]}`);
    }
  }
}
