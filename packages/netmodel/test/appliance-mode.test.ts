import { enumerateWorkloadSubnets } from '../src/model/queries';
import { traceFlow } from '../src/trace/tracer';
import { model } from './helpers';

const eastWest = (applianceMode: boolean) => {
  const m = model({ applianceMode });
  const target = enumerateWorkloadSubnets(m).find((w) => w.vpcId === 'vpc-spoke-b' && w.az === 'us-east-1b')!;
  return traceFlow(m, { from: 'i-spoke-a-probe', to: target.sourceIp, port: 443, toStandIn: true });
};

describe('appliance mode on the inspection attachment', () => {
  it('on: each AZ the flow hash may pick is a path, and the reply crosses the same endpoint', () => {
    const r = eastWest(true);
    expect(r.paths).toHaveLength(2);
    expect(r.paths.map((p) => p.firewallEndpoints)).toEqual([['vpce-fw-a'], ['vpce-fw-b']]);
    for (const p of r.paths) {
      expect(p.returnPath!.firewallEndpoints).toEqual(p.firewallEndpoints);
      expect(p.verdict).toBe('delivered');
    }
  });

  it('off: a cross-AZ east-west reply crosses a different endpoint and the firewall drops it', () => {
    const r = eastWest(false);
    expect(r.paths).toHaveLength(1);
    const p = r.paths[0]!;
    expect(p.forwardVerdict).toBe('delivered');
    expect(p.firewallEndpoints).toEqual(['vpce-fw-a']);
    expect(p.returnPath!.firewallEndpoints).toEqual(['vpce-fw-b']);
    expect(p.verdict).toBe('dropped');
    expect(p.decidedBy).toMatchObject({ kind: 'firewall', id: 'vpce-fw-b' });
    expect(p.decidedBy.detail).toContain('has no state for this flow: the request crossed vpce-fw-a');
  });

  it('off: internet egress stays in the entry AZ, so it is symmetric', () => {
    const m = model({ applianceMode: false });
    const r = traceFlow(m, { from: 'i-spoke-a-probe', to: '198.51.100.7', port: 443 });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.returnPath!.firewallEndpoints).toEqual(r.paths[0]!.firewallEndpoints);
  });
});
