import { readFileSync } from 'fs';
import { join } from 'path';
import { buildNetworkModel } from '../src/model/build';
import { SNAPSHOT_MEMBERS } from '../src/snapshot';
import { buildHubSpokeSnapshot } from '../testing/fixture-builder';
import { traceFlow } from '../src/trace/tracer';

describe('hub-spoke fixture', () => {
  it('the JSON fixture is the builder default (regenerate with test/fixtures/write-hub-spoke.ts)', () => {
    const json = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'hub-spoke.json'), 'utf8'));
    expect(json).toEqual(JSON.parse(JSON.stringify(buildHubSpokeSnapshot())));
    expect(Object.keys(json).sort()).toEqual([...SNAPSHOT_MEMBERS].sort());
  });

  it('the JSON fixture passes through the real firewall policy: allowlisted SNI passes, others drop', () => {
    const json = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'hub-spoke.json'), 'utf8'));
    const m = buildNetworkModel(json);
    const allowed = traceFlow(m, {
      from: 'i-spoke-a-probe',
      to: '198.51.100.7',
      port: 443,
      app: { kind: 'tls', sni: 'checkip.amazonaws.com' },
    });
    expect(allowed.paths.map((p) => p.verdict)).toEqual(['delivered', 'delivered']);
    const denied = traceFlow(m, {
      from: 'i-spoke-a-probe',
      to: '198.51.100.7',
      port: 443,
      app: { kind: 'tls', sni: 'example.com' },
    });
    expect(denied.paths.map((p) => p.verdict)).toEqual(['dropped', 'dropped']);
    expect(denied.paths[0]!.decidedBy.kind).toBe('firewall');
  });

  it('HOME_NET left at the firewall VPC CIDR makes the domain rules miss spoke traffic', () => {
    const m = buildNetworkModel(buildHubSpokeSnapshot({ homeNet: null }));
    const r = traceFlow(m, {
      from: 'i-spoke-a-probe',
      to: '198.51.100.7',
      port: 443,
      app: { kind: 'tls', sni: 'www.amazon.com' },
    });
    expect(r.paths.every((p) => p.verdict === 'dropped')).toBe(true);
    const p = buildHubSpokeSnapshot({ homeNet: null }).FirewallPolicies![0]!.FirewallPolicy!;
    expect(p.PolicyVariables).toBeUndefined();
  });

  it('options shape the AWS responses', () => {
    const s = buildHubSpokeSnapshot({
      applianceMode: false,
      spokeCount: 3,
      allowedDomains: ['.example.org'],
    });
    expect(
      s.TransitGatewayVpcAttachments!.find((a) => a.TransitGatewayAttachmentId === 'tgw-attach-inspection')!
        .Options!.ApplianceModeSupport,
    ).toBe('disable');
    expect(s.Vpcs!.map((v) => v.CidrBlock)).toEqual([
      '10.0.0.0/16',
      '10.1.0.0/16',
      '10.2.0.0/16',
      '10.3.0.0/16',
    ]);
    const domains = s.RuleGroups!.find((g) => g.RuleGroup!.RulesSource!.RulesSourceList)!.RuleGroup!
      .RulesSource!.RulesSourceList!;
    expect(domains).toEqual({
      Targets: ['.example.org'],
      TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
      GeneratedRulesType: 'ALLOWLIST',
    });
    expect(() => buildHubSpokeSnapshot({ supernet: '10.0.0.0/24' })).toThrow(
      'supernet 10.0.0.0/24: prefix must be <= /16',
    );
  });
});
