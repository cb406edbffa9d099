import type { NetworkSnapshot } from '../src/snapshot';
import { buildNetworkModel } from '../src/model/build';
import type { NetworkModel } from '../src/model/types';
import { buildHubSpokeSnapshot, type HubSpokeFixtureOptions } from '../testing/fixture-builder';
import { stubFirewallFactory } from '../testing/stub-firewall';
import type { Flow } from '../src/firewall/types';

export const INTERNET_HOST = '198.51.100.7';
export const PROBE_A = 'i-spoke-a-probe';

/** Hub-and-spoke snapshot, optionally edited, modelled with a stub firewall. */
export function model(
  options: HubSpokeFixtureOptions = {},
  edit?: (s: NetworkSnapshot) => void,
  allows?: (f: Flow) => boolean,
): NetworkModel {
  const s = buildHubSpokeSnapshot(options);
  edit?.(s);
  return buildNetworkModel(s, { firewallEngineFactory: stubFirewallFactory(allows) });
}

export function routeTable(s: NetworkSnapshot, id: string) {
  const rt = s.RouteTables!.find((r) => r.RouteTableId === id);
  if (!rt) throw new Error(`test: no route table ${id}`);
  return rt;
}
