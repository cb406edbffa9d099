import { buildFirewallEngine } from '../../src/firewall';
import { compileAddress, ipOf } from '../../src/firewall/matching';
import { resolveGroupVariables } from '../../src/firewall/variables';
import { FIREWALL_VPC, INTERNET_IP, SPOKE_IP, SUPERNET, policy, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };

function engineFor(
  rules: string,
  extra: Parameters<typeof suricataGroup>[3] = {},
  settings: Parameters<typeof policy>[1] = {},
) {
  const group = suricataGroup('vars', rules, 'STRICT_ORDER', extra);
  return buildFirewallEngine(
    policy([group], { StatefulDefaultActions: ['aws:drop_strict'], ...settings }),
    [group],
    options,
  );
}

describe('rule variables', () => {
  it('HOME_NET defaults to the firewall VPC CIDRs', () => {
    const engine = engineFor('pass tcp $HOME_NET any -> any any (sid:1;)');
    expect(engine.evaluate(tls('x', { srcIp: '10.0.9.9' })).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { srcIp: SPOKE_IP })).allowed).toBe(false);
  });

  it('the policy HOME_NET widens the default', () => {
    const engine = engineFor(
      'pass tcp $HOME_NET any -> any any (sid:1;)',
      {},
      {
        PolicyVariables: { RuleVariables: { HOME_NET: { Definition: SUPERNET } } },
      },
    );
    expect(engine.evaluate(tls('x', { srcIp: SPOKE_IP })).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { srcIp: '192.168.1.1' })).allowed).toBe(false);
  });

  it("the rule group's own HOME_NET takes precedence over the policy's", () => {
    const engine = engineFor(
      'pass tcp $HOME_NET any -> any any (sid:1;)',
      { RuleVariables: { IPSets: { HOME_NET: { Definition: ['10.1.0.0/16'] } } } },
      { PolicyVariables: { RuleVariables: { HOME_NET: { Definition: ['10.2.0.0/16'] } } } },
    );
    expect(engine.evaluate(tls('x', { srcIp: '10.1.2.3' })).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { srcIp: '10.2.2.3' })).allowed).toBe(false);
  });

  it('EXTERNAL_NET defaults to !$HOME_NET', () => {
    const engine = engineFor('pass tcp any any -> $EXTERNAL_NET any (sid:1;)');
    expect(engine.evaluate(tls('x', { dstIp: INTERNET_IP })).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { dstIp: '10.0.3.3' })).allowed).toBe(false);
  });

  it('resolves custom IP and port sets, with negation', () => {
    const engine = engineFor('pass tcp !$BLOCKED any -> any $WEB_PORTS (sid:1;)', {
      RuleVariables: {
        IPSets: { BLOCKED: { Definition: ['10.1.0.0/24', '10.1.1.0/24'] } },
        PortSets: { WEB_PORTS: { Definition: ['80', '8000:8999'] } },
      },
    });
    expect(engine.evaluate(tls('x', { srcIp: '10.1.2.1', dstPort: 8443 })).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { srcIp: '10.1.2.1', dstPort: 443 })).allowed).toBe(false);
    expect(engine.evaluate(tls('x', { srcIp: '10.1.1.7', dstPort: 80 })).allowed).toBe(false);
  });

  it('handles negation inside groups and negated port groups', () => {
    const engine = engineFor('pass tcp [10.0.0.0/8,!10.1.0.0/16] any -> any ![22,3389] (sid:1;)');
    expect(engine.evaluate(tls('x', { srcIp: '10.2.0.1' })).allowed).toBe(true);
    expect(engine.evaluate(tls('x', { srcIp: '10.1.0.1' })).allowed).toBe(false);
    expect(engine.evaluate(tls('x', { srcIp: '10.2.0.1', dstPort: 22 })).allowed).toBe(false);
  });

  it('matches both orientations with <> and only one with ->', () => {
    const bidir = engineFor('pass tcp 198.51.100.0/24 443 <> 10.0.0.0/8 any (sid:1;)');
    expect(bidir.evaluate(tls('x')).allowed).toBe(true);
    const oneWay = engineFor('pass tcp 198.51.100.0/24 443 -> 10.0.0.0/8 any (sid:1;)');
    // The server's reply matches, the client's SYN does not: drop_strict drops the SYN first.
    expect(oneWay.evaluate(tls('x')).allowed).toBe(false);
  });

  it('names the rule group and line for a variable the group does not define', () => {
    expect(() =>
      engineFor('pass tcp any any -> any any (sid:1;)\npass tcp $DB any -> any any (sid:2;)'),
    ).toThrow(
      'arn:aws:network-firewall:us-east-1:111122223333:stateful-rulegroup/vars line 2: unknown variable "$DB"',
    );
  });

  it('names the variable when an IP set definition is invalid', () => {
    expect(() =>
      engineFor('pass tcp $X any -> any any (sid:1;)', {
        RuleVariables: { IPSets: { X: { Definition: ['10.0.0.0/33'] } } },
      }),
    ).toThrow(/IP set X: invalid address "10.0.0.0\/33"/);
  });
});

describe('EXTERNAL_NET', () => {
  const scope = (ipSets: Record<string, string[]>, policyHome?: string[]) =>
    resolveGroupVariables(
      {
        RuleVariables: {
          IPSets: Object.fromEntries(Object.entries(ipSets).map(([k, v]) => [k, { Definition: v }])),
        },
        RulesSource: { RulesString: '' },
      },
      'g',
      {
        StatelessDefaultActions: ['aws:forward_to_sfe'],
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        ...(policyHome
          ? { PolicyVariables: { RuleVariables: { HOME_NET: { Definition: policyHome } } } }
          : {}),
      },
      ['10.0.0.0/16'],
    );
  const externalHas = (vars: ReturnType<typeof scope>, ip: string) =>
    compileAddress({ kind: 'var', name: 'EXTERNAL_NET' }, vars)(ipOf(ip));

  it("is the negation of the policy-level HOME_NET, not of the group's own", () => {
    const vars = scope({ HOME_NET: ['10.0.0.0/8'] });
    expect(vars.externalNetSource).toBe('firewall-vpc');
    expect(externalHas(vars, '10.1.0.10')).toBe(true); // a spoke: outside the default HOME_NET 10.0.0.0/16
    expect(externalHas(vars, '10.0.1.1')).toBe(false);
    const widened = scope({ HOME_NET: ['10.0.0.0/8'] }, ['10.0.0.0/8']);
    expect(widened.externalNetSource).toBe('policy');
    expect(externalHas(widened, '10.1.0.10')).toBe(false);
  });

  it("follows the group's own EXTERNAL_NET when the group defines one", () => {
    const vars = scope({ EXTERNAL_NET: ['192.0.2.0/24'] });
    expect(vars.externalNetSource).toBe('rule-group');
    expect(externalHas(vars, '198.51.100.1')).toBe(false);
  });
});
