import { traceFlow } from '../src/trace/tracer';
import { INTERNET_HOST, model, PROBE_A, routeTable } from './helpers';

const AZS3 = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

describe('multi-path enumeration', () => {
  it('appliance mode: one path per inspection AZ, each with its own endpoint and NAT', () => {
    const r = traceFlow(model({ azs: AZS3 }), { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    expect(r.paths).toHaveLength(3);
    expect(r.paths.map((p) => p.firewallEndpoints[0])).toEqual(['vpce-fw-a', 'vpce-fw-b', 'vpce-fw-c']);
    expect(r.paths.map((p) => p.translatedSource)).toEqual(['203.0.113.10', '203.0.113.11', '203.0.113.12']);
    expect(r.paths.every((p) => p.verdict === 'delivered')).toBe(true);
  });

  it('one failing choice among several is reported, not hidden by the others', () => {
    const r = traceFlow(model({ azs: AZS3, omitFirewallRouteAzs: ['us-east-1c'] }), {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
    });
    expect(r.paths.map((p) => p.verdict)).toEqual(['delivered', 'delivered', 'dropped']);
  });

  it('without appliance mode the flow stays in its AZ: a single path', () => {
    const r = traceFlow(model({ azs: AZS3, applianceMode: false }), {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 443,
    });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.firewallEndpoints).toEqual(['vpce-fw-a']);
  });

  it('without appliance mode and no attachment subnet in the entry AZ, every AZ is possible', () => {
    const m = model({ azs: AZS3, applianceMode: false }, (s) => {
      s.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === 'tgw-attach-inspection',
      )!.SubnetIds = ['subnet-inspection-tgw-b', 'subnet-inspection-tgw-c'];
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443 });
    expect(r.paths.map((p) => p.firewallEndpoints[0])).toEqual(['vpce-fw-b', 'vpce-fw-c']);
  });

  it('equal routes (two entries for one prefix) fork the walk', () => {
    const m = model({ azs: ['us-east-1a'] }, (s) => {
      // Two TGW routes for the same prefix: both are possible next hops.
      s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
        DestinationCidrBlock: '192.0.2.0/24',
        Type: 'static',
        State: 'active',
        TransitGatewayAttachments: [
          { TransitGatewayAttachmentId: 'tgw-attach-inspection' },
          { TransitGatewayAttachmentId: 'tgw-attach-spoke-b' },
        ],
      });
      routeTable(s, 'rtb-spoke-b-tgw-a').Routes!.push({
        DestinationCidrBlock: '192.0.2.0/24',
        TransitGatewayId: 'tgw-hub',
        State: 'blackhole',
      });
    });
    const r = traceFlow(m, { from: PROBE_A, to: '192.0.2.1', port: 443 });
    expect(r.paths).toHaveLength(2);
    expect(r.paths.map((p) => p.verdict)).toEqual(['delivered', 'dropped']);
    expect(r.paths[1]!.decidedBy.detail).toBe('rtb-spoke-b-tgw-a: 192.0.2.0/24 -> tgw-hub (blackhole)');
  });
});
