import { buildFirewallEngine, FirewallConfigError } from '../../src/firewall';
import { FIREWALL_VPC, domainGroup, groupArn, policy, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };

describe('buildFirewallEngine configuration checks', () => {
  it('names the ARN of a referenced rule group that was not given', () => {
    const given = suricataGroup('given', 'pass tcp any any -> any any (sid:1;)');
    const missing = suricataGroup('missing', 'pass tcp any any -> any any (sid:1;)');
    const p = policy([given, missing]);
    expect(() => buildFirewallEngine(p, [given], options)).toThrow(FirewallConfigError);
    expect(() => buildFirewallEngine(p, [given], options)).toThrow(
      `references stateful rule group ${groupArn('missing')}, which was not given`,
    );
    expect(() => buildFirewallEngine(p, [given, missing], options)).not.toThrow();
  });

  it('rejects a rule group whose rule order differs from the policy', () => {
    const group = suricataGroup(
      'action-order',
      'pass tcp any any -> any any (sid:1;)',
      'DEFAULT_ACTION_ORDER',
    );
    expect(() => buildFirewallEngine(policy([group]), [group], options)).toThrow(
      `rule group ${groupArn('action-order')} uses DEFAULT_ACTION_ORDER but`,
    );
  });

  it('rejects stateful default actions outside STRICT_ORDER, and unknown ones', () => {
    const group = suricataGroup('g', 'pass tcp any any -> any any (sid:1;)', 'DEFAULT_ACTION_ORDER');
    const p = policy([group], {
      StatefulEngineOptions: { RuleOrder: 'DEFAULT_ACTION_ORDER' },
      StatefulDefaultActions: ['aws:drop_strict'],
    });
    expect(() => buildFirewallEngine(p, [group], options)).toThrow(
      'StatefulDefaultActions [aws:drop_strict] need STRICT_ORDER',
    );
    const strict = suricataGroup('s', 'pass tcp any any -> any any (sid:1;)');
    expect(() =>
      buildFirewallEngine(policy([strict], { StatefulDefaultActions: ['aws:drop_all'] }), [strict], options),
    ).toThrow('StatefulDefaultActions: unknown stateful default action(s) "aws:drop_all"');
    const both = ['aws:drop_established', 'aws:alert_established_app_layer'];
    expect(() =>
      buildFirewallEngine(policy([strict], { StatefulDefaultActions: both }), [strict], options),
    ).toThrow(
      'StatefulDefaultActions: aws:drop_established cannot be set together with the application-layer aws:alert_established_app_layer',
    );
  });

  it('names the group when a domain list entry is invalid', () => {
    const group = domainGroup('bad-domains', {
      Targets: ['*.example.com'],
      TargetTypes: ['TLS_SNI'],
      GeneratedRulesType: 'ALLOWLIST',
    });
    expect(() => buildFirewallEngine(policy([group]), [group], options)).toThrow(
      /stateful-rulegroup\/bad-domains: invalid domain list entry "\*\.example\.com"/,
    );
  });

  it('evaluates the 5-tuple StatefulRules form', () => {
    const group = suricataGroup('tuple', '');
    group.RuleGroup!.RulesSource = {
      StatefulRules: [
        {
          Action: 'PASS',
          Header: {
            Protocol: 'TCP',
            Source: 'ANY',
            SourcePort: 'ANY',
            Direction: 'ANY',
            Destination: '$EXTERNAL_NET',
            DestinationPort: '443',
          },
          RuleOptions: [{ Keyword: 'sid', Settings: ['5'] }],
        },
      ],
    };
    const engine = buildFirewallEngine(
      policy([group], { StatefulDefaultActions: ['aws:drop_strict'] }),
      [group],
      options,
    );
    expect(engine.evaluate(tls('x')).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { dstPort: 8443 })).allowed).toBe(false);
  });
});
