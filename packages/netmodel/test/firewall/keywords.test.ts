/** Rule options from AWS's examples, evaluated (parsing is in parser.test.ts). */
import type { Flow } from '../../src/firewall';
import { buildFirewallEngine, parseSuricataRules, SuricataParseError } from '../../src/firewall';
import { FIREWALL_VPC, INTERNET_IP, SPOKE_IP, http, policy, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };
function strict(rules: string, defaults: string[] = ['aws:drop_strict']) {
  const group = suricataGroup('rules', rules);
  return buildFirewallEngine(policy([group], { StatefulDefaultActions: defaults }), [group], options);
}
const udp = (dstPort: number, app?: Flow['app']): Flow => ({
  protocol: 'udp',
  srcIp: SPOKE_IP,
  srcPort: 40000,
  dstIp: INTERNET_IP,
  dstPort,
  ...(app ? { app } : {}),
});
const HANDSHAKE = 'pass tcp any any <> any any (flow:not_established; sid:100;)';

describe('rule options', () => {
  it('flowbits: a bit set by a noalert alert rule is seen by later rules and later packets', () => {
    const e = strict(
      [
        HANDSHAKE,
        'alert tls any any -> any any (tls.sni; content:"partner.example"; flowbits:set,partner; noalert; sid:1;)',
        'pass tls any any <> any any (flowbits:isset,partner; sid:2;)',
      ].join('\n'),
    );
    const partner = e.evaluate(tls('partner.example'));
    expect(partner.allowed).toBe(true);
    expect(partner.alerts).toBeUndefined(); // noalert
    expect(e.evaluate(tls('other.example')).allowed).toBe(false);
  });

  it('flowbits: unset and isnotset', () => {
    const e = strict(
      [
        HANDSHAKE,
        'alert tcp any any -> any any (flow:to_server; flowbits:set,a; noalert; sid:1;)',
        'alert tcp any any -> any any (flow:to_client; flowbits:unset,a; noalert; sid:2;)',
        'pass tcp any any <> any any (flow:established; flowbits:isnotset,a; sid:3;)',
        'pass tcp any any -> any any (flow:established; flowbits:isset,a; sid:4;)',
      ].join('\n'),
    );
    // Client data: a set (sid 1), passed by sid 4; server data: a unset (sid 2), passed by sid 3.
    const d = e.evaluate(tls('x'));
    expect(d.packets!.slice(2).map((p) => p.decidedBy.sid)).toEqual([4, 3]);
  });

  it('ip_proto narrows an ip rule: ip_proto:!TCP spares TCP and drops UDP', () => {
    const e = strict('drop ip any any <> any any (ip_proto:!TCP; sid:1;)', []);
    expect(e.evaluate(tls('x')).allowed).toBe(true);
    expect(e.evaluate(udp(123)).packets![0]!.decidedBy).toMatchObject({ sid: 1, scope: 'flow' });
    expect(strict('drop ip any any -> any any (ip_proto:17; sid:1;)', []).evaluate(udp(53)).allowed).toBe(
      false,
    );
  });

  it('app-layer-protocol matches once protocol detection ran; "!" and failed', () => {
    const e = strict(
      `${HANDSHAKE}\ndrop tcp any any -> any 443 (flow:to_server; app-layer-protocol:!tls; sid:1;)`,
      [],
    );
    expect(e.evaluate(tls('x')).allowed).toBe(true);
    expect(e.evaluate(http('x', { dstPort: 443 })).packets![2]!.decidedBy.sid).toBe(1);
    const noApp = { protocol: 'tcp' as const, srcIp: SPOKE_IP, srcPort: 1, dstIp: INTERNET_IP, dstPort: 443 };
    expect(e.evaluate(noApp).allowed).toBe(false);
    expect(
      strict('drop tcp any any -> any any (app-layer-protocol:failed; sid:1;)', []).evaluate(noApp)
        .packets![2]!.verdict,
    ).toBe('drop');
  });

  it('ssl_version and tls.version match the negotiated version (tls1.3 when the flow does not say)', () => {
    const e = strict(`${HANDSHAKE}\nreject tls any any -> any any (ssl_version:tls1.0,tls1.1; sid:1;)`, []);
    expect(e.evaluate(tls('x')).allowed).toBe(true);
    expect(e.evaluate({ ...tls('x'), app: { kind: 'tls', sni: 'x', version: 'tls1.0' } }).data.verdict).toBe(
      'reject',
    );
    const v13 = strict(`${HANDSHAKE}\ndrop tls any any -> any any (tls.version:1.3; sid:1;)`, []);
    expect(v13.evaluate(tls('x')).allowed).toBe(false);
    expect(v13.evaluate({ ...tls('x'), app: { kind: 'tls', version: 'tls1.2' } }).allowed).toBe(true);
  });

  it('application protocols in the header: ssh, ntp, quic, dns, http2 (and http covers HTTP/2)', () => {
    const e = strict(
      [
        HANDSHAKE,
        'pass ssh any any -> any any (sid:1;)',
        'pass ntp any any -> any any (sid:2;)',
        'pass quic any any -> any any (sid:3;)',
        'pass dns any any -> any any (sid:4;)',
        'pass http any any -> any any (http.host; content:"h2.example"; sid:5;)',
      ].join('\n'),
    );
    const ssh = { protocol: 'tcp' as const, srcIp: SPOKE_IP, srcPort: 1, dstIp: INTERNET_IP, dstPort: 22 };
    expect(e.evaluate({ ...ssh, app: { kind: 'ssh' } }).allowed).toBe(true);
    expect(e.evaluate(ssh).allowed).toBe(false); // no SSH detected: the ssh rule cannot match
    expect(e.evaluate(udp(123, { kind: 'ntp' })).allowed).toBe(true);
    expect(e.evaluate(udp(443, { kind: 'quic' })).allowed).toBe(true);
    expect(e.evaluate(udp(53, { kind: 'dns', query: 'a.example' })).allowed).toBe(true);
    expect(e.evaluate({ ...tls('x'), app: { kind: 'http2', host: 'h2.example' } }).allowed).toBe(true);
    expect(e.evaluate(udp(123)).allowed).toBe(false);
  });

  it('alert in a pass rule logs the pass; noalert silences an alert rule', () => {
    const d = strict(
      `${HANDSHAKE}\nalert tls any any -> any any (noalert; sid:1;)\npass tls any any -> any any (alert; sid:2;)`,
    ).evaluate(tls('x'));
    expect(d.allowed).toBe(true);
    expect(d.alerts?.map((a) => [a.sid, a.action])).toEqual([[2, 'pass']]);
  });

  it('anything still unsupported fails closed, naming the keyword and the line', () => {
    expect(() =>
      parseSuricataRules('pass tls any any -> any any (ja3.hash; content:"x"; sid:1;)', {
        source: 'r.rules',
      }),
    ).toThrow(SuricataParseError);
    expect(() =>
      parseSuricataRules(
        '\nalert tcp any any -> any any (threshold: type limit, track by_src, seconds 90, count 1; sid:1;)',
        { source: 'r.rules' },
      ),
    ).toThrow('r.rules line 2: unsupported keyword "threshold"');
  });
});
