import { buildHubSpokeSnapshot } from '../testing/fixture-builder';
import { traceFlow } from '../src/trace/tracer';
import { model } from './helpers';

// spoke-b's workload subnet in AZ a (no ENI at .4: a stand-in host, declared as such to the tracer).
const SPOKE_B_A = '10.2.0.4';
const standIn = { toStandIn: true } as const;
const PROBE_A = 'i-spoke-a-probe';

describe('Transit Gateway routing', () => {
  it('spoke RT sends east-west to inspection; inspection RT reaches the spoke through its propagation', () => {
    const r = traceFlow(model(), { from: PROBE_A, to: SPOKE_B_A, port: 443, ...standIn });
    for (const p of r.paths) {
      expect(p.verdict).toBe('delivered');
      const tgw = p.hops.filter((h) => h.kind === 'tgw-route-table').map((h) => h.detail);
      expect(tgw).toEqual([
        'tgw-rtb-spoke: 0.0.0.0/0 -> tgw-attach-inspection (static)',
        'tgw-rtb-inspection: 10.2.0.0/16 -> tgw-attach-spoke-b (propagated)',
      ]);
      expect(p.firewallEndpoints).toHaveLength(1);
    }
  });

  it('without the propagation the inspection RT has no route back to the spoke', () => {
    const m = model({}, (s) => {
      s.TransitGatewayRouteTablePropagations!['tgw-rtb-inspection'] = s.TransitGatewayRouteTablePropagations![
        'tgw-rtb-inspection'
      ]!.filter((p) => p.TransitGatewayAttachmentId !== 'tgw-attach-spoke-b');
      s.TransitGatewayRoutes!['tgw-rtb-inspection'] = s.TransitGatewayRoutes!['tgw-rtb-inspection']!.filter(
        (r) => r.DestinationCidrBlock !== '10.2.0.0/16',
      );
    });
    const r = traceFlow(m, { from: PROBE_A, to: SPOKE_B_A, port: 443, ...standIn });
    expect(r.paths.length).toBeGreaterThan(0);
    for (const p of r.paths)
      expect(p.decidedBy).toEqual({
        kind: 'no-route',
        id: 'tgw-rtb-inspection',
        detail: `tgw-rtb-inspection: no route to ${SPOKE_B_A}`,
      });
  });

  it('propagated routes are derived from propagations when the route search is not in the snapshot', () => {
    const derived = model({ tgwRoutes: false });
    expect(
      buildHubSpokeSnapshot({ tgwRoutes: false }).TransitGatewayRoutes!['tgw-rtb-inspection'],
    ).toBeUndefined();
    const r = traceFlow(derived, { from: PROBE_A, to: SPOKE_B_A, port: 443, ...standIn });
    expect(r.paths.every((p) => p.verdict === 'delivered')).toBe(true);
    expect(r.paths[0]!.hops.filter((h) => h.kind === 'tgw-route-table')[1]!.detail).toBe(
      'tgw-rtb-inspection: 10.2.0.0/16 -> tgw-attach-spoke-b (propagated)',
    );
  });

  it('a route search listing propagated routes is the truth: a propagation it does not list adds nothing', () => {
    const m = model({}, (s) => {
      s.TransitGatewayRoutes!['tgw-rtb-inspection'] = s.TransitGatewayRoutes!['tgw-rtb-inspection']!.filter(
        (r) => r.DestinationCidrBlock !== '10.2.0.0/16',
      );
    });
    expect(
      traceFlow(m, { from: PROBE_A, to: SPOKE_B_A, port: 443, ...standIn }).paths.every(
        (p) => p.decidedBy.kind === 'no-route',
      ),
    ).toBe(true);
    // Only static routes listed (tgwRoutes: false): the propagation is derived.
    expect(
      traceFlow(model({ tgwRoutes: false }), {
        from: PROBE_A,
        to: SPOKE_B_A,
        port: 443,
        ...standIn,
      }).paths.every((p) => p.verdict === 'delivered'),
    ).toBe(true);
  });

  it('an attachment not associated with any route table cannot route', () => {
    const m = model({}, (s) => {
      s.TransitGatewayRouteTableAssociations!['tgw-rtb-spoke'] = s.TransitGatewayRouteTableAssociations![
        'tgw-rtb-spoke'
      ]!.filter((a) => a.TransitGatewayAttachmentId !== 'tgw-attach-spoke-a');
      for (const a of s.TransitGatewayAttachments!)
        if (a.TransitGatewayAttachmentId === 'tgw-attach-spoke-a') delete a.Association;
    });
    const r = traceFlow(m, { from: PROBE_A, to: SPOKE_B_A, port: 443, ...standIn });
    expect(r.paths[0]!.decidedBy.detail).toBe(
      'tgw-attach-spoke-a is not associated with a route table of tgw-hub',
    );
  });

  it('a TGW blackhole route drops and is named; other destinations still pass', () => {
    const m = model({ tgwBlackholeCidrs: ['192.0.2.0/24'] });
    const r = traceFlow(m, { from: PROBE_A, to: '192.0.2.10', port: 443 });
    expect(r.paths).toEqual([
      expect.objectContaining({
        verdict: 'dropped',
        decidedBy: {
          kind: 'blackhole',
          id: 'tgw-rtb-spoke',
          detail: 'tgw-rtb-spoke: 192.0.2.0/24 -> blackhole (static)',
        },
      }),
    ]);
    expect(
      traceFlow(m, { from: PROBE_A, to: '192.0.3.10', port: 443 }).paths.every(
        (p) => p.verdict === 'delivered',
      ),
    ).toBe(true);
  });

  it('spokes propagating into the spoke RT makes east-west bypass the firewall', () => {
    const r = traceFlow(model({ spokesPropagateToSpokeRt: true }), {
      from: PROBE_A,
      to: SPOKE_B_A,
      port: 443,
      ...standIn,
    });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.verdict).toBe('delivered');
    expect(r.paths[0]!.firewallEndpoints).toEqual([]);
    expect(r.paths[0]!.hops.find((h) => h.kind === 'tgw-route-table')!.detail).toBe(
      'tgw-rtb-spoke: 10.2.0.0/16 -> tgw-attach-spoke-b (propagated)',
    );
  });

  it('a static route beats a propagated route for the same prefix', () => {
    const m = model({ spokesPropagateToSpokeRt: true }, (s) => {
      s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
        DestinationCidrBlock: '10.2.0.0/16',
        Type: 'static',
        State: 'active',
        TransitGatewayAttachments: [
          { TransitGatewayAttachmentId: 'tgw-attach-inspection', ResourceType: 'vpc' },
        ],
      });
    });
    const r = traceFlow(m, { from: PROBE_A, to: SPOKE_B_A, port: 443, ...standIn });
    expect(r.paths[0]!.hops.find((h) => h.kind === 'tgw-route-table')!.detail).toBe(
      'tgw-rtb-spoke: 10.2.0.0/16 -> tgw-attach-inspection (static)',
    );
    expect(r.paths[0]!.firewallEndpoints).toHaveLength(1);
  });

  it('a subnet in an AZ where the attachment has no subnet cannot reach the TGW', () => {
    const m = model({ azs: ['us-east-1a', 'us-east-1b'] }, (s) => {
      const att = s.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === 'tgw-attach-spoke-a',
      )!;
      att.SubnetIds = ['subnet-spoke-a-tgw-a'];
    });
    const fromB = traceFlow(m, { from: 'subnet-spoke-a-workload-b', to: '198.51.100.7', port: 443 });
    expect(fromB.paths[0]!.decidedBy.detail).toBe(
      'tgw-attach-spoke-a has no subnet in us-east-1b: traffic from subnet-spoke-a-workload-b cannot reach tgw-hub',
    );
    expect(
      traceFlow(m, { from: 'subnet-spoke-a-workload-a', to: '198.51.100.7', port: 443 }).paths.every(
        (p) => p.forwardVerdict === 'delivered',
      ),
    ).toBe(true);
  });
});
