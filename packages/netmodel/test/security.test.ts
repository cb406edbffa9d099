import type { NetworkSnapshot } from '../src/snapshot';
import { traceFlow } from '../src/trace/tracer';
import { INTERNET_HOST, model, PROBE_A } from './helpers';

const tls = { kind: 'tls' as const, sni: 'www.amazon.com' };
const acl = (s: NetworkSnapshot, id: string) => s.NetworkAcls!.find((a) => a.NetworkAclId === id)!;

describe('network ACLs (stateless)', () => {
  it('a deny rule numbered before the allow drops the request', () => {
    const m = model({}, (s) => {
      acl(s, 'acl-spoke-a').Entries!.push({
        RuleNumber: 90,
        Protocol: '6',
        RuleAction: 'deny',
        Egress: true,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 443, To: 443 },
      });
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths[0]!.verdict).toBe('dropped');
    expect(r.paths[0]!.decidedBy).toEqual({
      kind: 'network-acl',
      id: 'acl-spoke-a',
      detail: 'acl-spoke-a: outbound rule 90 deny tcp/443 to 0.0.0.0/0',
    });
    // Port 80 is not covered by the deny rule.
    const http = traceFlow(m, {
      from: PROBE_A,
      to: INTERNET_HOST,
      port: 80,
      app: { kind: 'http', host: 'www.amazon.com' },
    });
    expect(http.paths.every((p) => p.verdict === 'delivered')).toBe(true);
  });

  it('a deny rule numbered after the allow never matches', () => {
    const m = model({}, (s) => {
      acl(s, 'acl-spoke-a').Entries!.push({
        RuleNumber: 200,
        Protocol: '6',
        RuleAction: 'deny',
        Egress: true,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 443, To: 443 },
      });
    });
    expect(
      traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls }).paths.every(
        (p) => p.verdict === 'delivered',
      ),
    ).toBe(true);
  });

  it('replies are evaluated too: blocking inbound ephemeral ports drops the reply, not the request', () => {
    const m = model({}, (s) => {
      const a = acl(s, 'acl-spoke-a');
      a.Entries = a
        .Entries!.filter((e) => e.Egress)
        .concat([
          {
            RuleNumber: 100,
            Protocol: '6',
            RuleAction: 'allow',
            Egress: false,
            CidrBlock: '0.0.0.0/0',
            PortRange: { From: 443, To: 443 },
          },
          { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
        ]);
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    for (const p of r.paths) {
      expect(p.forwardVerdict).toBe('delivered');
      expect(p.verdict).toBe('dropped');
      expect(p.returnPath!.decidedBy).toMatchObject({ kind: 'network-acl', id: 'acl-spoke-a' });
      expect(p.returnPath!.decidedBy.detail).toContain('inbound rule * deny all from 0.0.0.0/0');
    }
  });
});

describe('security groups (stateful)', () => {
  it('an endpoint security group without 443 denies the request and is named', () => {
    const m = model({}, (s) => {
      const sg = s.SecurityGroups!.find((g) => g.GroupId === 'sg-spoke-a-endpoints')!;
      sg.IpPermissions = [
        { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.1.0.0/16' }] },
      ];
    });
    const denied = traceFlow(m, { from: PROBE_A, to: '10.1.0.20', port: 443 });
    expect(denied.paths[0]!.decidedBy).toEqual({
      kind: 'security-group',
      id: 'sg-spoke-a-endpoints',
      detail: 'sg-spoke-a-endpoints has no ingress rule for tcp/443 from 10.1.0.10',
    });
    const allowed = traceFlow(model(), { from: PROBE_A, to: '10.1.0.20', port: 443 });
    expect(allowed.paths[0]!.verdict).toBe('delivered');
  });

  it('an egress rule missing on the source denies the request', () => {
    const m = model({}, (s) => {
      s.SecurityGroups!.find((g) => g.GroupId === 'sg-spoke-a-probe')!.IpPermissionsEgress = [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ];
    });
    const r = traceFlow(m, { from: PROBE_A, to: INTERNET_HOST, port: 443, app: tls });
    expect(r.paths[0]!.decidedBy.detail).toBe(
      `sg-spoke-a-probe has no egress rule for tcp/443 to ${INTERNET_HOST}`,
    );
    expect(traceFlow(m, { from: PROBE_A, to: '10.1.0.20', port: 443 }).paths[0]!.verdict).toBe('delivered');
  });

  it('replies are allowed although the client security group has no ingress rule', () => {
    const m = model();
    const sg = m.securityGroups.get('sg-spoke-a-probe')!;
    expect(sg.ingress).toEqual([]);
    const r = traceFlow(m, { from: PROBE_A, to: '10.1.0.20', port: 443 });
    expect(r.paths[0]!.returnPath!.verdict).toBe('delivered');
    expect(r.paths[0]!.returnPath!.hops.at(-1)!.detail).toContain('security groups are stateful');
    // The same client as a destination (a request, not a reply) is denied by that group.
    const inbound = traceFlow(m, { from: '10.1.1.20', to: '10.1.0.10', port: 22 });
    expect(inbound.paths[0]!.decidedBy).toMatchObject({ kind: 'security-group', id: 'sg-spoke-a-probe' });
  });

  it('a group reference matches the peer ENI carrying that group', () => {
    const m = model({}, (s) => {
      const sg = s.SecurityGroups!.find((g) => g.GroupId === 'sg-spoke-a-endpoints')!;
      sg.IpPermissions = [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          UserIdGroupPairs: [{ GroupId: 'sg-spoke-a-probe' }],
        },
      ];
    });
    expect(traceFlow(m, { from: PROBE_A, to: '10.1.0.20', port: 443 }).paths[0]!.verdict).toBe('delivered');
    // A source without that group (a plain address in the subnet) is denied.
    expect(traceFlow(m, { from: '10.1.1.30', to: '10.1.0.20', port: 443 }).paths[0]!.decidedBy.kind).toBe(
      'security-group',
    );
  });
});
