import { traceFlow } from '../src/trace/tracer';
import { INTERNET_HOST, model, PROBE_A, routeTable } from './helpers';

describe('firewall endpoints', () => {
  it('the firewall decision is applied and recorded on the path', () => {
    const denyExample = (f: { app?: { kind: string; sni?: string } }) => f.app?.sni !== 'example.com';
    const m = model({}, undefined, denyExample as never);
    const denied = traceFlow(m, {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
      app: { kind: 'tls', sni: 'example.com' },
    });
    for (const p of denied.paths) {
      expect(p.verdict).toBe('dropped');
      expect(p.decidedBy.kind).toBe('firewall');
      expect(p.firewallDecisions).toHaveLength(1);
      expect(p.firewallDecisions![0]!.allowed).toBe(false);
      expect(p.returnPath).toBeUndefined();
    }
    const allowed = traceFlow(m, {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
      app: { kind: 'tls', sni: 'www.amazon.com' },
    });
    for (const p of allowed.paths) {
      expect(p.verdict).toBe('delivered');
      expect(p.firewallDecisions![0]!.allowed).toBe(true);
      expect(p.decidedBy).toMatchObject({ kind: 'firewall', detail: 'pass: stub rule (pass)' });
    }
  });

  it('the flow seen by the firewall is the client flow before NAT', () => {
    const seen: string[] = [];
    const m = model({ azs: ['us-east-1a'] }, undefined, (f) => {
      seen.push(`${f.srcIp}:${f.srcPort}->${f.dstIp}:${f.dstPort}/${f.protocol}`);
      return true;
    });
    traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, sourcePort: 40000 });
    expect(seen).toEqual([`10.1.0.10:40000->${INTERNET_HOST}:443/tcp`]);
  });

  it('an endpoint does not inspect traffic of its own subnet', () => {
    // A more specific route sends traffic for the firewall subnets through endpoint a.
    const m = model({ azs: ['us-east-1a', 'us-east-1b'] }, (s) => {
      routeTable(s, 'rtb-inspection-public-a').Routes!.push(
        { DestinationCidrBlock: '10.0.16.0/24', GatewayId: 'vpce-fw-a', State: 'active' },
        { DestinationCidrBlock: '10.0.17.0/24', GatewayId: 'vpce-fw-a', State: 'active' },
      );
    });
    const own = traceFlow(m, {
      from: 'subnet-inspection-public-a',
      to: '10.0.16.50',
      port: 443,
      toStandIn: true,
    });
    expect(own.paths[0]!.verdict).toBe('delivered');
    expect(own.paths[0]!.firewallEndpoints).toEqual([]);
    expect(own.paths[0]!.hops.find((h) => h.kind === 'firewall-endpoint')!.detail).toContain(
      'does not inspect traffic of its own subnet',
    );

    const other = traceFlow(m, {
      from: 'subnet-inspection-public-a',
      to: '10.0.17.50',
      port: 443,
      toStandIn: true,
    });
    expect(other.paths[0]!.firewallEndpoints).toEqual(['vpce-fw-a']);
  });

  it('endpoints are mapped by the subnet AZ; cross-AZ routing makes the reply cross another endpoint', () => {
    const ok = traceFlow(model(), { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    for (const p of ok.paths) expect(p.returnPath!.firewallEndpoints).toEqual(p.firewallEndpoints);

    const crossed = traceFlow(model({ crossAzEndpoints: true }), {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
    });
    expect(crossed.paths.length).toBe(2);
    for (const p of crossed.paths) {
      expect(p.forwardVerdict).toBe('delivered');
      expect(p.returnPath!.firewallEndpoints).not.toEqual(p.firewallEndpoints);
      expect(p.verdict).toBe('dropped');
    }
  });

  it('a TGW subnet without the firewall route drops in that AZ only; a bypass route skips inspection', () => {
    const missing = traceFlow(model({ omitFirewallRouteAzs: ['us-east-1b'] }), {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
    });
    expect(missing.paths.map((p) => p.verdict)).toEqual(['delivered', 'dropped']);
    expect(missing.paths[1]!.decidedBy).toEqual({
      kind: 'no-route',
      id: 'rtb-inspection-tgw-b',
      detail: `rtb-inspection-tgw-b: no route to ${INTERNET_HOST}`,
    });

    const bypass = traceFlow(model({ bypassFirewall: true }), {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
    });
    for (const p of bypass.paths) expect(p.firewallEndpoints).toEqual([]);
  });

  it('a route to a Gateway Load Balancer endpoint that is not a firewall is reported as not modelled', () => {
    const m = model({}, (s) => {
      s.VpcEndpoints!.push({
        VpcEndpointId: 'vpce-other',
        VpcEndpointType: 'GatewayLoadBalancer',
        VpcId: 'vpc-inspection',
        SubnetIds: ['subnet-inspection-firewall-a'],
      });
      const rt = routeTable(s, 'rtb-inspection-tgw-a');
      rt.Routes = rt.Routes!.map((r) =>
        r.DestinationCidrBlock === '0.0.0.0/0' ? { ...r, GatewayId: 'vpce-other' } : r,
      );
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    expect(r.paths.find((p) => p.verdict === 'unknown')!.decidedBy.detail).toContain(
      'vpce-other (GatewayLoadBalancer) is not a Network Firewall endpoint',
    );
  });
});
