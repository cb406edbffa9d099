import type { StatelessRule } from '@aws-sdk/client-network-firewall';
import { buildFirewallEngine } from '../../src/firewall';
import { FIREWALL_VPC, INTERNET_IP, SPOKE_IP, policy, ruleGroup, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };
const DROP_ALL = suricataGroup('drop-all', 'drop ip any any -> any any (sid:1;)');

function statelessGroup(name: string, rules: StatelessRule[], customActions = false) {
  return ruleGroup(name, 'STATELESS', {
    RulesSource: {
      StatelessRulesAndCustomActions: {
        StatelessRules: rules,
        ...(customActions
          ? {
              CustomActions: [
                {
                  ActionName: 'CountIt',
                  ActionDefinition: { PublishMetricAction: { Dimensions: [{ Value: 'x' }] } },
                },
              ],
            }
          : {}),
      },
    },
  });
}

const rule = (
  priority: number,
  actions: string[],
  match: StatelessRule['RuleDefinition'] extends infer R
    ? R extends { MatchAttributes: infer M }
      ? M
      : never
    : never,
): StatelessRule => ({
  Priority: priority,
  RuleDefinition: { Actions: actions, MatchAttributes: match },
});

function engine(stateless: ReturnType<typeof statelessGroup>[], defaults: string[] = ['aws:forward_to_sfe']) {
  return buildFirewallEngine(
    policy([DROP_ALL], { StatelessDefaultActions: defaults }, stateless),
    [DROP_ALL, ...stateless],
    options,
  );
}

describe('stateless engine', () => {
  it('aws:pass in both directions skips stateful inspection entirely', () => {
    const group = statelessGroup('pass-443', [
      rule(1, ['aws:pass'], { Protocols: [6], DestinationPorts: [{ FromPort: 443, ToPort: 443 }] }),
      rule(2, ['aws:pass'], { Protocols: [6], SourcePorts: [{ FromPort: 443, ToPort: 443 }] }),
    ]);
    const decision = engine([group]).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(true);
    expect(decision.handshake.decidedBy).toMatchObject({ kind: 'stateless-rule', action: 'aws:pass' });
  });

  it('a one-way stateless pass leaves the replies to a stateful engine that sees the flow mid-stream', () => {
    const group = statelessGroup('pass-443-out', [
      rule(1, ['aws:pass'], { Protocols: [6], DestinationPorts: [{ FromPort: 443, ToPort: 443 }] }),
    ]);
    const decision = engine([group]).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(false);
    // The SYN-ACK is the first packet the stateful engine sees: StreamExceptionPolicy (default
    // DROP) drops it and the rest of the flow, before any rule is consulted.
    expect(decision.handshake.decidedBy).toMatchObject({ kind: 'stream-exception', action: 'drop' });
    expect(decision.packets?.map((p) => [p.packet, p.verdict, p.decidedBy.kind])).toEqual([
      ['SYN', 'pass', 'stateless-rule'],
      ['SYN-ACK', 'drop', 'stream-exception'],
      ['client data', 'pass', 'stateless-rule'],
      ['server data', 'drop', 'stream-exception'],
    ]);
  });

  it('aws:drop drops whatever the stateful rules say', () => {
    const group = statelessGroup('drop-src', [
      rule(1, ['aws:drop'], { Sources: [{ AddressDefinition: '10.1.0.0/16' }] }),
    ]);
    const e = buildFirewallEngine(policy([], {}, [group]), [group], options);
    const decision = e.evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.handshake.decidedBy).toMatchObject({ kind: 'stateless-rule', action: 'aws:drop' });
    // A source outside the rule is forwarded and (no stateful rules) passes.
    expect(e.evaluate(tls('www.amazon.com', { srcIp: '10.2.0.1' })).allowed).toBe(true);
  });

  it('aws:forward_to_sfe hands the packet to the stateful engine', () => {
    const group = statelessGroup('fwd', [rule(1, ['aws:forward_to_sfe'], {})]);
    const decision = engine([group], ['aws:pass']).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.handshake.decidedBy).toMatchObject({ kind: 'stateful-rule', sid: 1 });
  });

  it('applies StatelessDefaultActions when no rule matches', () => {
    expect(engine([], ['aws:pass']).evaluate(tls('x.org')).handshake.decidedBy).toMatchObject({
      kind: 'stateless-default',
      action: 'aws:pass',
    });
    expect(engine([], ['aws:drop']).evaluate(tls('x.org')).allowed).toBe(false);
    expect(engine([], ['aws:forward_to_sfe']).evaluate(tls('x.org')).handshake.decidedBy.kind).toBe(
      'stateful-rule',
    );
  });

  it('orders rules by priority within a group and groups by reference priority', () => {
    const rules = statelessGroup('mixed', [
      rule(20, ['aws:pass'], {}),
      rule(10, ['aws:drop'], { Protocols: [6] }),
    ]);
    expect(engine([rules]).evaluate(tls('x.org')).allowed).toBe(false);
    expect(
      engine([rules]).evaluate({
        protocol: 'udp',
        srcIp: SPOKE_IP,
        srcPort: 1,
        dstIp: INTERNET_IP,
        dstPort: 53,
      }).allowed,
    ).toBe(true);

    const first = statelessGroup('first', [rule(1, ['aws:pass'], {})]);
    const second = statelessGroup('second', [rule(1, ['aws:drop'], {})]);
    expect(engine([first, second]).evaluate(tls('x.org')).allowed).toBe(true);
    expect(engine([second, first]).evaluate(tls('x.org')).allowed).toBe(false);
  });

  it('matches TCP flags: dropping bare SYNs kills the handshake only', () => {
    const group = statelessGroup('syn', [
      rule(1, ['aws:drop'], { Protocols: [6], TCPFlags: [{ Flags: ['SYN'], Masks: ['SYN', 'ACK'] }] }),
    ]);
    const decision = buildFirewallEngine(policy([], {}, [group]), [group], options).evaluate(tls('x.org'));
    expect(decision.handshake.verdict).toBe('drop');
    expect(decision.data.verdict).toBe('pass');
    expect(decision.allowed).toBe(false);

    const synAck = statelessGroup('synack', [
      rule(1, ['aws:drop'], { TCPFlags: [{ Flags: ['SYN', 'ACK'] }] }),
    ]);
    const replyDropped = buildFirewallEngine(policy([], {}, [synAck]), [synAck], options).evaluate(
      tls('x.org'),
    );
    expect(replyDropped.handshake.verdict).toBe('drop');
    const pshOnly = statelessGroup('psh', [rule(1, ['aws:drop'], { TCPFlags: [{ Flags: ['FIN'] }] })]);
    expect(
      buildFirewallEngine(policy([], {}, [pshOnly]), [pshOnly], options).evaluate(tls('x.org')).allowed,
    ).toBe(true);
  });

  it('compares every flag when Masks is unset: Flags [SYN] matches the bare SYN, not the SYN-ACK', () => {
    const syn = statelessGroup('syn-only', [
      rule(1, ['aws:drop'], { Protocols: [6], TCPFlags: [{ Flags: ['SYN'] }] }),
    ]);
    const d = buildFirewallEngine(policy([], {}, [syn]), [syn], options).evaluate(tls('x.org'));
    expect(d.packets!.map((p) => `${p.packet}: ${p.verdict}`)).toEqual([
      'SYN: drop',
      'SYN-ACK: pass',
      'client data: pass',
      'server data: pass',
    ]);
    // With Masks [SYN] only the SYN bit is compared: the SYN-ACK matches too.
    const masked = statelessGroup('syn-bit', [
      rule(1, ['aws:drop'], { Protocols: [6], TCPFlags: [{ Flags: ['SYN'], Masks: ['SYN'] }] }),
    ]);
    const m = buildFirewallEngine(policy([], {}, [masked]), [masked], options).evaluate(tls('x.org'));
    expect(m.packets![1]!.verdict).toBe('drop');
  });

  it('rejects Flags that are not in Masks, naming the rule', () => {
    const bad = statelessGroup('bad-flags', [
      rule(7, ['aws:drop'], { TCPFlags: [{ Flags: ['SYN', 'FIN'], Masks: ['SYN'] }] }),
    ]);
    expect(() => buildFirewallEngine(policy([], {}, [bad]), [bad], options)).toThrow(
      /bad-flags rule priority 7: TCPFlags Flags \[FIN\] are not in Masks \[SYN\]/,
    );
  });

  it('ignores custom actions, with a warning naming them', () => {
    const group = statelessGroup('custom', [rule(1, ['aws:pass', 'CountIt'], {})], true);
    const decision = engine([group]).evaluate(tls('x.org'));
    expect(decision.allowed).toBe(true);
    expect(decision.warnings).toContain('custom actions CountIt only publish metrics and were ignored');
  });

  it('rejects a rule without exactly one standard action, naming the group', () => {
    const group = statelessGroup('bad', [rule(1, ['aws:pass', 'aws:drop'], {})]);
    expect(() => engine([group]).evaluate(tls('x.org'))).toThrow(
      /stateless-rulegroup\/bad rule priority 1: expected exactly one of/,
    );
  });
});
