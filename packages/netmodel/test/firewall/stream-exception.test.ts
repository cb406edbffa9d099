/** StreamExceptionPolicy: flows the stateful engine sees mid-stream (engine.ts). */
import type { StatelessRule } from '@aws-sdk/client-network-firewall';
import { buildFirewallEngine, FirewallConfigError } from '../../src/firewall';
import { FIREWALL_VPC, INTERNET_IP, SPOKE_IP, policy, ruleGroup, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };
const passOut: StatelessRule = {
  Priority: 1,
  RuleDefinition: {
    Actions: ['aws:pass'],
    MatchAttributes: { Protocols: [6, 17], DestinationPorts: [{ FromPort: 443, ToPort: 443 }] },
  },
};
const passOutGroup = ruleGroup('pass-out', 'STATELESS', {
  RulesSource: { StatelessRulesAndCustomActions: { StatelessRules: [passOut] } },
});

function engine(
  rules: string,
  streamExceptionPolicy?: string,
  defaults = ['aws:drop_strict'],
  stateless = [passOutGroup],
) {
  const group = suricataGroup('rules', rules);
  return buildFirewallEngine(
    policy(
      [group],
      {
        StatefulDefaultActions: defaults,
        StatefulEngineOptions: {
          RuleOrder: 'STRICT_ORDER',
          ...(streamExceptionPolicy ? { StreamExceptionPolicy: streamExceptionPolicy as 'DROP' } : {}),
        },
      },
      stateless,
    ),
    [group, ...stateless],
    options,
  );
}

const REPLIES = 'pass tcp any 443 -> any any (flow:stateless; sid:1;)';
const summary = (d: ReturnType<ReturnType<typeof engine>['evaluate']>) =>
  d.packets!.map((p) => `${p.packet}: ${p.verdict} by ${p.decidedBy.kind}`);

describe('StreamExceptionPolicy', () => {
  it('DROP (the default) drops a TCP flow the stateful engine did not see from its SYN', () => {
    expect(summary(engine(REPLIES).evaluate(tls('x')))).toEqual([
      'SYN: pass by stateless-rule',
      'SYN-ACK: drop by stream-exception',
      'client data: pass by stateless-rule',
      'server data: drop by stream-exception',
    ]);
  });

  it('REJECT rejects it', () => {
    const d = engine(REPLIES, 'REJECT').evaluate(tls('x'));
    expect(d.allowed).toBe(false);
    expect(d.handshake).toMatchObject({
      verdict: 'reject',
      decidedBy: { kind: 'stream-exception', scope: 'flow' },
    });
  });

  it('CONTINUE applies the rules without context: flow:stateless still matches', () => {
    const d = engine(REPLIES, 'CONTINUE').evaluate(tls('x'));
    expect(d.allowed).toBe(true);
    expect(d.packets![1]!.decidedBy.text).toContain('StreamExceptionPolicy CONTINUE');
  });

  it('CONTINUE: rules that need flow state or the app layer do not match, aws:drop_strict still drops', () => {
    const d = engine(
      'pass tcp any any <> any 443 (flow:not_established; sid:1;)\npass tls any any <> any any (sid:2;)',
      'CONTINUE',
    ).evaluate(tls('x'));
    expect(summary(d)).toEqual([
      'SYN: pass by stateless-rule',
      'SYN-ACK: drop by stateful-default',
      'client data: pass by stateless-rule',
      'server data: drop by stateful-default',
    ]);
  });

  it('a gap after the SYN (the SYN-ACK passed by a stateless rule) breaks the stream too', () => {
    const passReplies = ruleGroup('pass-replies', 'STATELESS', {
      RulesSource: {
        StatelessRulesAndCustomActions: {
          StatelessRules: [
            {
              Priority: 1,
              RuleDefinition: {
                Actions: ['aws:pass'],
                MatchAttributes: { SourcePorts: [{ FromPort: 443, ToPort: 443 }] },
              },
            },
          ],
        },
      },
    });
    const d = engine(
      'pass tcp any any -> any 443 (flow:to_server; sid:1;)',
      undefined,
      ['aws:drop_strict'],
      [passReplies],
    ).evaluate(tls('x'));
    expect(summary(d)).toEqual([
      'SYN: pass by stateful-rule',
      'SYN-ACK: pass by stateless-rule',
      'client data: drop by stream-exception',
      'server data: pass by stateless-rule',
    ]);
    expect(d.packets![2]!.decidedBy.text).toContain('did not see SYN-ACK');
  });

  it('UDP has no stream: a reply seen first starts a flow from the server', () => {
    const dns = {
      protocol: 'udp' as const,
      srcIp: SPOKE_IP,
      srcPort: 5353,
      dstIp: INTERNET_IP,
      dstPort: 443,
    };
    // The reply, from the server's side, is a new flow "to_server" that is not established.
    const d = engine(
      'pass udp $EXTERNAL_NET 443 -> any any (flow:to_server, not_established; sid:1;)',
    ).evaluate(dns);
    expect(summary(d)).toEqual(['request: pass by stateless-rule', 'reply: pass by stateful-rule']);
  });

  it('evaluateOneWay: an endpoint seeing only the reply picks the flow up mid-stream', () => {
    const e = engine('pass tcp any any <> any any (sid:1;)', undefined, [], []);
    expect(e.evaluate(tls('x')).allowed).toBe(true);
    const reply = e.evaluateOneWay!(tls('x'), 'reply-only');
    expect(reply.view).toBe('reply-only');
    expect(summary(reply)).toEqual([
      'SYN-ACK: drop by stream-exception',
      'server data: drop by stream-exception',
    ]);
    // Seeing only the request, the endpoint never sees the SYN-ACK: the client data breaks the
    // stream, even though an IP-only pass had passed the flow at the SYN.
    const request = e.evaluateOneWay!(tls('x'), 'request-only');
    expect(summary(request)).toEqual(['SYN: pass by stateful-rule', 'client data: drop by stream-exception']);
  });

  it('rejects an unknown policy value, naming it', () => {
    expect(() => engine(REPLIES, 'IGNORE')).toThrow(FirewallConfigError);
    expect(() => engine(REPLIES, 'IGNORE')).toThrow(
      'StreamExceptionPolicy "IGNORE" is not one of DROP, CONTINUE, REJECT',
    );
  });
});
