import { traceFlow } from '../src/trace/tracer';
import { INTERNET_HOST, model, PROBE_A, routeTable } from './helpers';

describe('other route targets', () => {
  it("a route to an instance ENI forwards through it (an appliance) using its subnet's route table", () => {
    const m = model({}, (s) => {
      const rt = routeTable(s, 'rtb-spoke-a-workload-b');
      rt.Routes = rt.Routes!.map((r) =>
        r.DestinationCidrBlock === '0.0.0.0/0'
          ? {
              DestinationCidrBlock: '0.0.0.0/0',
              InstanceId: PROBE_A,
              NetworkInterfaceId: 'eni-spoke-a-probe',
              State: 'active',
            }
          : r,
      );
    });
    const via = traceFlow(m, { from: 'subnet-spoke-a-workload-b', to: INTERNET_HOST, port: 443 });
    for (const p of via.paths) {
      expect(p.hops.find((h) => h.detail.includes('appliance'))).toMatchObject({
        kind: 'instance',
        id: PROBE_A,
        az: 'us-east-1a',
      });
      expect(
        p.hops
          .filter((h) => h.kind === 'route-table')
          .map((h) => h.id)
          .slice(0, 2),
      ).toEqual(['rtb-spoke-a-workload-b', 'rtb-spoke-a-workload-a']);
      expect(p.verdict).toBe('delivered');
    }
    // An appliance in the same subnet as the traffic it serves loops back to itself.
    const loop = model({}, (s) => {
      routeTable(s, 'rtb-spoke-a-workload-a').Routes!.push({
        DestinationCidrBlock: '10.1.1.0/24',
        NetworkInterfaceId: 'eni-spoke-a-probe',
        State: 'active',
      });
    });
    const r = traceFlow(loop, { from: '10.1.0.30', to: '10.1.1.30', port: 443 });
    expect(r.paths[0]!.decidedBy.detail).toContain('routing loop: rtb-spoke-a-workload-a');
  });

  it('a route table that sends a packet back to where it came from is reported as a loop', () => {
    const m = model({ azs: ['us-east-1a'] }, (s) => {
      // Firewall subnet routes the internet to its own endpoint: the endpoint hands it back to the same table.
      const rt = routeTable(s, 'rtb-inspection-firewall-a');
      rt.Routes = rt.Routes!.map((r) =>
        r.DestinationCidrBlock === '0.0.0.0/0'
          ? { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'vpce-fw-a', State: 'active' }
          : r,
      );
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    expect(r.paths[0]!.verdict).toBe('dropped');
    expect(r.paths[0]!.decidedBy.detail).toMatch(
      /^routing loop: rtb-inspection-firewall-a routes 10\.1\.0\.10 -> 198\.51\.100\.7 again$/,
    );
  });

  it('an IGW edge route table steers replies (ingress routing)', () => {
    // Edge table: replies to NAT a go through endpoint a first -- the endpoint then sees a reply it has state for.
    const m = model({ azs: ['us-east-1a'] }, (s) => {
      s.RouteTables!.push({
        RouteTableId: 'rtb-edge',
        VpcId: 'vpc-inspection',
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
          { DestinationCidrBlock: '10.0.0.0/24', GatewayId: 'vpce-fw-a', State: 'active' },
        ],
        Associations: [{ GatewayId: 'igw-inspection', Main: false }],
      });
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    const ret = r.paths[0]!.returnPath!;
    expect(ret.hops.find((h) => h.kind === 'route-table')!.id).toBe('rtb-edge');
    expect(ret.firewallEndpoints).toEqual(['vpce-fw-a', 'vpce-fw-a']);
    expect(r.paths[0]!.verdict).toBe('delivered');
    const plain = traceFlow(model({ azs: ['us-east-1a'] }), { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    expect(plain.paths[0]!.returnPath!.firewallEndpoints).toEqual(['vpce-fw-a']);
  });
});

describe('a route target in another VPC', () => {
  it.each([
    ['a NAT gateway', { NatGatewayId: 'nat-a' }, 'nat-a'],
    ['a firewall endpoint', { GatewayId: 'vpce-fw-a' }, 'vpce-fw-a'],
  ])('%s of the inspection VPC, named by a spoke route, does not forward', (_what, target, id) => {
    const m = model({ azs: ['us-east-1a'] }, (s) => {
      const rt = routeTable(s, 'rtb-spoke-a-workload-a');
      rt.Routes = rt.Routes!.map((r) =>
        r.DestinationCidrBlock === '0.0.0.0/0'
          ? { DestinationCidrBlock: '0.0.0.0/0', ...target, State: 'active' }
          : r,
      );
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    expect(r.paths.map((p) => p.decidedBy)).toEqual([
      {
        kind: 'route',
        id,
        detail: `rtb-spoke-a-workload-a: 0.0.0.0/0 -> ${id}: ${id} is in vpc-inspection, not vpc-spoke-a`,
      },
    ]);
  });
});
