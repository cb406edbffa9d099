/**
 * Suricata action scope (rule-type.ts): what a pass or drop covers, per rule type, packet by packet.
 */
import { buildFirewallEngine, classifyRule, parseSuricataRules } from '../../src/firewall';
import { FIREWALL_VPC, INTERNET_IP, SPOKE_IP, policy, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };

function strict(rules: string, defaults: string[] = ['aws:drop_strict']) {
  const group = suricataGroup('rules', rules);
  return buildFirewallEngine(policy([group], { StatefulDefaultActions: defaults }), [group], options);
}

const verdicts = (rules: string, defaults?: string[], flow = tls('example.com')) =>
  strict(rules, defaults)
    .evaluate(flow)
    .packets!.map((p) => `${p.packet}: ${p.verdict}${p.decidedBy.sid ? ` ${p.decidedBy.sid}` : ''}`);

describe('classifyRule', () => {
  it.each([
    ['pass tcp any any -> any 443 (sid:1;)', 'ip_only', 'flow'],
    ['pass ip [10.0.0.0/8,!10.1.0.0/16] any -> any any (sid:1;)', 'like_ip_only', 'flow'],
    ['drop ip any any <> any any (ip_proto:!TCP; sid:1;)', 'ip_only', 'flow'],
    ['pass tcp any any -> any 443 (flow:to_server; sid:1;)', 'pkt', 'packet'],
    ['pass tcp any any -> any 443 (flow:stateless; sid:1;)', 'pkt', 'packet'],
    ['pass tls any any -> any any (sid:1;)', 'app_layer', 'flow'],
    ['pass tls any any -> any any (flow:to_server; sid:1;)', 'app_layer', 'flow'],
    ['pass tls any any -> any any (flow:established; sid:1;)', 'pkt', 'packet'],
    ['pass tls any any -> any any (flowbits:isset,a; sid:1;)', 'pkt', 'packet'],
    ['alert tls any any -> any any (flowbits:set,a; sid:1;)', 'app_layer', 'flow'],
    ['pass tcp any any -> any any (app-layer-protocol:tls; sid:1;)', 'pd_only', 'flow'],
    ['pass tcp any any -> any any (app-layer-protocol:tls; flow:established; sid:1;)', 'pkt', 'packet'],
    [
      'pass tls any any -> any any (tls.sni; content:"a"; flow:established, to_server; sid:1;)',
      'app_tx',
      'flow',
    ],
    ['reject tls any any -> any any (ssl_version:tls1.0; sid:1;)', 'app_tx', 'flow'],
  ])('%s is %s (scope %s)', (text, type, scope) => {
    expect(classifyRule(parseSuricataRules(text)[0]!)).toMatchObject({ type, scope });
  });
});

describe('action scope in a flow', () => {
  it('an IP-only pass decides at the SYN for the whole flow, before any app-layer rule sees the data', () => {
    expect(verdicts('drop tls any any -> any any (sid:1;)\npass tcp any any -> any 443 (sid:2;)')).toEqual([
      'SYN: pass 2',
      'SYN-ACK: pass 2',
      'client data: pass 2',
      'server data: pass 2',
    ]);
    const data = strict('pass tcp any any -> any 443 (sid:2;)').evaluate(tls('x')).packets![2]!;
    expect(data.decidedBy).toMatchObject({ sid: 2, scope: 'flow', fixedAt: 'SYN' });
  });

  it('an IP-only drop drops the whole flow at its first packet', () => {
    const e = strict(
      'drop tcp any any -> any 443 (sid:1;)\npass tcp any any <> any 443 (flow:established; sid:2;)',
      [],
    );
    expect(e.evaluate(tls('x')).packets!.every((p) => p.verdict === 'drop')).toBe(true);
  });

  it('a packet rule passes the packets it matches and inspection goes on', () => {
    expect(
      verdicts('pass tcp any any -> any 443 (flow:to_server; sid:1;)\ndrop tls any any -> any any (sid:2;)', [
        'aws:drop_established',
      ]),
    ).toEqual(['SYN: pass 1', 'SYN-ACK: pass', 'client data: pass 1', 'server data: drop 2']);
  });

  it('a one-way handshake rule under aws:drop_strict lets the SYN through and drops the SYN-ACK', () => {
    expect(verdicts('pass tcp any any -> any 443 (flow:not_established, to_server; sid:1;)')).toEqual([
      'SYN: pass 1',
      'SYN-ACK: drop',
      'client data: drop',
      'server data: drop',
    ]);
    // Written <> (as AWS writes it) the rule covers both handshake packets.
    expect(verdicts('pass tcp any any <> any 443 (flow:not_established; sid:1;)').slice(0, 2)).toEqual([
      'SYN: pass 1',
      'SYN-ACK: pass 1',
    ]);
  });

  it("a flow:to_server pass under aws:drop_established leaves the server's data to the default drop", () => {
    const ssh = {
      protocol: 'tcp' as const,
      srcIp: SPOKE_IP,
      srcPort: 40000,
      dstIp: INTERNET_IP,
      dstPort: 22,
    };
    expect(
      verdicts('pass tcp any any -> any 22 (flow:to_server; sid:1;)', ['aws:drop_established'], ssh),
    ).toEqual(['SYN: pass 1', 'SYN-ACK: pass', 'client data: pass 1', 'server data: drop']);
  });

  it('an app-layer pass at the client data covers the server data', () => {
    const decision = strict(
      'pass tcp any any <> any 443 (flow:not_established; sid:1;)\npass tls any any -> any 443 (tls.sni; content:"example.com"; flow:to_server; sid:2;)',
    ).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(true);
    expect(decision.packets![3]!.decidedBy).toMatchObject({ sid: 2, fixedAt: 'client data' });
  });
});
