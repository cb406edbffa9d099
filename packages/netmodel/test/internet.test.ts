import { natEipsOfVpc } from '../src/model/queries';
import { traceFlow } from '../src/trace/tracer';
import { INTERNET_HOST, model, PROBE_A, routeTable } from './helpers';

const tls = { kind: 'tls' as const, sni: 'www.amazon.com' };

describe('NAT gateway and internet gateway', () => {
  it('NAT translates the source to its EIP and the reply back to the client', () => {
    const m = model();
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    const eips = natEipsOfVpc(m, 'vpc-inspection');
    expect(eips).toEqual(['203.0.113.10', '203.0.113.11']);
    for (const p of r.paths) {
      expect(p.verdict).toBe('delivered');
      expect(eips).toContain(p.translatedSource);
      const nat = p.hops.find((h) => h.kind === 'nat-gateway')!;
      expect(nat.detail).toMatch(
        /translates source 10\.1\.0\.10:50000 -> 10\.0\.\d\.10, a port of 1024-65535 \(EIP 203\.0\.113\.1\d at the IGW\)/,
      );
      const back = p
        .returnPath!.hops.filter((h) => h.kind === 'nat-gateway' || h.kind === 'internet-gateway')
        .map((h) => h.detail);
      expect(back[0]).toBe(
        `igw-inspection translates destination ${p.translatedSource} -> ${nat.detail.match(/-> (10\.0\.\d\.10)/)![1]}`,
      );
      expect(back[1]).toContain('-> 10.1.0.10:50000 (reply)');
      expect(p.returnPath!.hops.at(-1)).toMatchObject({ kind: 'instance', id: PROBE_A });
    }
  });

  it('a NAT gateway with two addresses makes two possible egress IPs', () => {
    const m = model({ azs: ['us-east-1a'] }, (s) => {
      s.NatGateways![0]!.NatGatewayAddresses!.push({
        AllocationId: 'eipalloc-2',
        PrivateIp: '10.0.0.11',
        PublicIp: '203.0.113.99',
        IsPrimary: false,
        Status: 'succeeded',
      });
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths.map((p) => p.translatedSource).sort()).toEqual(['203.0.113.10', '203.0.113.99']);
    expect(
      traceFlow(model({ azs: ['us-east-1a'] }), {
        from: PROBE_A,
        to: INTERNET_HOST,
        port: 443,
        app: tls,
      }).paths.map((p) => p.translatedSource),
    ).toEqual(['203.0.113.10']);
  });

  it('an IGW drops traffic from a private source with no public IP', () => {
    const m = model({ spokeRouteToIgw: [0] });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.decidedBy).toEqual({
      kind: 'internet-gateway',
      id: 'igw-spoke-a',
      detail:
        'igw-spoke-a drops traffic from 10.1.0.10: no public IP or EIP is associated with it (private source)',
    });
    expect(r.paths[0]!.firewallEndpoints).toEqual([]);
  });

  it('an instance with a public IP egresses as that IP, bypassing the firewall', () => {
    const m = model({ spokeRouteToIgw: [0], probePublicIps: true });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.verdict).toBe('delivered');
    expect(r.paths[0]!.translatedSource).toBe('198.51.100.10');
    expect(r.paths[0]!.firewallEndpoints).toEqual([]);
    expect(r.paths[0]!.returnPath!.hops.map((h) => h.kind)).toEqual([
      'internet',
      'internet-gateway',
      'instance',
    ]);
  });

  it('a private destination is not reachable through an IGW', () => {
    const m = model({ spokeRouteToIgw: [0], probePublicIps: true });
    const r = traceFlow(m, { from: PROBE_A, to: '172.16.0.1', port: 443 });
    expect(r.paths[0]!.decidedBy.detail).toBe(
      '172.16.0.1 is a private address: not routable on the internet',
    );
  });

  it('a public subnet without the supernet route sends the reply to the IGW, which drops it', () => {
    const m = model({ azs: ['us-east-1a'] }, (s) => {
      const rt = routeTable(s, 'rtb-inspection-public-a');
      rt.Routes = rt.Routes!.filter((r) => r.DestinationCidrBlock !== '10.0.0.0/8');
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.forwardVerdict).toBe('delivered');
    expect(r.paths[0]!.verdict).toBe('dropped');
    expect(r.paths[0]!.returnPath!.decidedBy).toEqual({
      kind: 'internet-gateway',
      id: 'igw-inspection',
      detail: `igw-inspection drops ${INTERNET_HOST} -> 10.1.0.10: the source is no public IP or EIP of vpc-inspection`,
    });
  });
});
