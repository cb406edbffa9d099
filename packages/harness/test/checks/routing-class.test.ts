/**
 * Routing classes let symmetric-return trace one destination per class. These tests pin that the
 * classes split exactly where routing differs, and that the class-based verdict equals the verdict
 * of tracing every subnet pair (the quadratic reference) on healthy and broken networks.
 */
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { routingClasses } from '../../src/checks/routing-class';
import {
  inspectedEastWestCheck,
  symmetricReturnCheck,
  traceEastWestFlows,
} from '../../src/checks/path-checks';
import { Topology } from '../../src/checks/topology';
import { createTracer } from '../../src/checks/tracer';

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function setup(o: HubSpokeFixtureOptions) {
  const tracer = createTracer(buildHubSpokeSnapshot({ azs: AZS, spokeCount: 4, ...o }), {
    passAllFirewall: true,
  });
  return { tracer, topology: new Topology(tracer.model) };
}

/**
 * Every ordered pair of workload subnets in different VPCs (and, unless `sameAz`, different AZs),
 * traced one by one: the source subnets with a path that `bad` flags.
 */
function bruteForce(
  o: HubSpokeFixtureOptions,
  sameAz: boolean,
  bad: (p: ReturnType<ReturnType<typeof setup>['tracer']['trace']>[number]) => boolean,
): Set<string> {
  const { tracer, topology } = setup(o);
  const out = new Set<string>();
  for (const a of topology.workloadSubnets) {
    for (const b of topology.workloadSubnets) {
      if (a.vpcId === b.vpcId || (!sameAz && a.az === b.az)) continue;
      for (const p of tracer.trace({
        source: { ip: a.freeIp, vpcId: a.vpcId },
        destination: { ip: b.freeIp, port: 443, standIn: true },
        protocol: 'tcp',
      })) {
        if (bad(p)) out.add(a.subnetId);
      }
    }
  }
  return out;
}

describe('routingClasses', () => {
  it('puts identical spokes in one class per AZ', () => {
    const { tracer, topology } = setup({});
    const classes = routingClasses(tracer.model, topology.workloadSubnets);
    expect(classes).toHaveLength(3);
    for (const c of classes) expect(new Set(c.map((s) => s.az)).size).toBe(1);
  });

  it('splits a spoke whose workload subnets route differently', () => {
    const { tracer, topology } = setup({ spokeRouteToIgw: [1] });
    const classes = routingClasses(tracer.model, topology.workloadSubnets);
    expect(classes).toHaveLength(6);
    const spokeB = classes.filter((c) => c.every((s) => s.vpcName === 'spoke-b'));
    expect(spokeB).toHaveLength(3);
  });

  it('splits a spoke that the TGW routes differently (blackholed CIDR)', () => {
    const { tracer, topology } = setup({ tgwBlackholeCidrs: ['10.3.0.0/16'] });
    const classes = routingClasses(tracer.model, topology.workloadSubnets);
    expect(classes.filter((c) => c.every((s) => s.vpcName === 'spoke-c'))).toHaveLength(3);
  });
});

const CASES: [string, HubSpokeFixtureOptions][] = [
  ['healthy', {}],
  ['appliance mode off', { applianceMode: false }],
  ['cross-AZ endpoint routes', { crossAzEndpoints: true }],
  ['one spoke blackholed', { tgwBlackholeCidrs: ['10.3.0.0/16'] }],
  ['firewall route missing in one AZ', { omitFirewallRouteAzs: ['us-east-1b'] }],
  ['spokes propagate into the spoke route table', { spokesPropagateToSpokeRt: true }],
];

describe('class-based symmetric-return equals tracing every pair', () => {
  it.each(CASES)('%s', (_name, o) => {
    const { tracer, topology } = setup(o);
    const flows = traceEastWestFlows(tracer, topology).filter((f) => f.crossAz);
    const result = symmetricReturnCheck(topology, flows);
    const reference = bruteForce(
      o,
      false,
      (p) =>
        p.returnPath?.verdict !== 'delivered' ||
        p.firewallEndpoints.length === 0 ||
        [...p.firewallEndpoints].sort().join() !== [...p.returnPath.firewallEndpoints].sort().join(),
    );
    expect(result.status).toBe(reference.size === 0 ? 'pass' : 'fail');
    // Every source subnet with a bad pair is reported, and no other.
    expect(new Set(result.failures?.map((f) => f.subnetId) ?? [])).toEqual(reference);
  });
});

describe('class-based inspected-east-west equals tracing every pair, same AZ included', () => {
  it.each(CASES)('%s', (_name, o) => {
    const { tracer, topology } = setup(o);
    const result = inspectedEastWestCheck(topology, traceEastWestFlows(tracer, topology));
    const reference = bruteForce(o, true, (p) => p.firewallEndpoints.length === 0);
    expect(result.status).toBe(reference.size === 0 ? 'pass' : 'fail');
    expect(new Set(result.failures?.map((f) => f.subnetId) ?? [])).toEqual(reference);
  });
});
