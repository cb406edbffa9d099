import { traceFlow } from '../src/trace/tracer';
import { INTERNET_HOST, model, PROBE_A, routeTable } from './helpers';

const tls = { kind: 'tls' as const, sni: 'www.amazon.com' };

describe('VPC routing', () => {
  it('longest prefix wins: a more specific route overrides the default route', () => {
    const m = model({}, (s) => {
      routeTable(s, 'rtb-spoke-a-workload-a').Routes!.push({
        DestinationCidrBlock: '198.51.100.0/24',
        TransitGatewayId: 'tgw-hub',
        State: 'blackhole',
      });
    });
    const specific = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(specific.paths.map((p) => p.decidedBy.detail)).toEqual([
      'rtb-spoke-a-workload-a: 198.51.100.0/24 -> tgw-hub (blackhole)',
    ]);
    const other = traceFlow(m, { from: PROBE_A, to: '192.0.2.80', port: 443, app: tls });
    expect(other.paths[0]!.hops.find((h) => h.kind === 'route-table')!.detail).toBe(
      'rtb-spoke-a-workload-a: 0.0.0.0/0 -> tgw-hub',
    );
    expect(other.paths.every((p) => p.verdict === 'delivered')).toBe(true);
  });

  it('a subnet without an explicit association uses the main route table', () => {
    const m = model({}, (s) => {
      const rt = routeTable(s, 'rtb-spoke-a-workload-a');
      rt.Associations = [];
    });
    expect(m.subnets.get('subnet-spoke-a-workload-a')!.routeTable!.id).toBe('rtb-spoke-a-main');
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    // The main table holds only the local route: no route to the internet.
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.verdict).toBe('dropped');
    expect(r.paths[0]!.decidedBy).toMatchObject({ kind: 'no-route', id: 'rtb-spoke-a-main' });

    const withDefault = model({}, (s) => {
      routeTable(s, 'rtb-spoke-a-workload-a').Associations = [];
      routeTable(s, 'rtb-spoke-a-main').Routes!.push({
        DestinationCidrBlock: '0.0.0.0/0',
        TransitGatewayId: 'tgw-hub',
        State: 'active',
      });
    });
    const ok = traceFlow(withDefault, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(ok.paths.every((p) => p.verdict === 'delivered')).toBe(true);
    expect(ok.paths[0]!.hops.find((h) => h.kind === 'route-table')!.detail).toContain(
      '(main route table of vpc-spoke-a)',
    );
  });

  it('a blackhole route drops the packet and names the route', () => {
    const m = model({}, (s) => {
      const rt = routeTable(s, 'rtb-spoke-a-workload-a');
      rt.Routes = rt.Routes!.map((r) =>
        r.DestinationCidrBlock === '0.0.0.0/0' ? { ...r, State: 'blackhole' } : r,
      );
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths.map((p) => p.decidedBy)).toEqual([
      {
        kind: 'blackhole',
        id: 'rtb-spoke-a-workload-a',
        detail: 'rtb-spoke-a-workload-a: 0.0.0.0/0 -> tgw-hub (blackhole)',
      },
    ]);
    expect(
      traceFlow(model(), { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls }).paths.every(
        (p) => p.verdict === 'delivered',
      ),
    ).toBe(true);
  });

  it('local route delivers within the VPC to the ENI holding the address', () => {
    const m = model();
    const r = traceFlow(m, { from: PROBE_A, to: '10.1.1.20', port: 443 });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.verdict).toBe('delivered');
    expect(r.paths[0]!.hops.at(-1)).toMatchObject({ kind: 'vpc-endpoint', id: 'vpce-spoke-a-ssm' });
    expect(r.paths[0]!.firewallEndpoints).toEqual([]);
  });
});
