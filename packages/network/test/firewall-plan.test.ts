import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirewallEngine, DEFAULT_ALLOWED_DOMAINS, type Flow } from '@hubspoke/netmodel';
import {
  DEFAULT_STATEFUL_ACTIONS,
  planFirewallPolicy,
  type FirewallPlan,
  type FirewallPlanInputs,
} from '../src/firewall-plan';

const base: FirewallPlanInputs = {
  homeNet: ['10.16.0.0/12'],
  allowedDomains: [...DEFAULT_ALLOWED_DOMAINS],
  rulesFiles: [],
  baseDir: '.',
  statefulDefaultActions: [...DEFAULT_STATEFUL_ACTIONS],
};

function tempRules(text: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
  fs.writeFileSync(path.join(dir, 'extra.rules'), text);
  return { dir, file: 'extra.rules' };
}

describe('planFirewallPolicy', () => {
  it('allowlists exactly the configured domains for TLS SNI and HTTP Host, in strict order', () => {
    const plan = planFirewallPolicy({
      ...base,
      allowedDomains: ['.amazon.com', 'checkip.amazonaws.com', '.example.org'],
    });
    const allowlist = plan.ruleGroups.find((g) => g.key === 'allowlist')!;
    expect(allowlist.ruleGroup.RulesSource?.RulesSourceList).toEqual({
      Targets: ['.amazon.com', 'checkip.amazonaws.com', '.example.org'],
      TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
      GeneratedRulesType: 'ALLOWLIST',
    });
    expect(allowlist.ruleGroup.StatefulRuleOptions?.RuleOrder).toBe('STRICT_ORDER');
  });

  it('sets HOME_NET on every rule group to the given supernet', () => {
    const plan = planFirewallPolicy(base);
    expect(plan.homeNet).toEqual(['10.16.0.0/12']);
    for (const g of plan.ruleGroups) {
      expect(g.ruleGroup.RuleVariables?.IPSets?.HOME_NET?.Definition).toEqual(['10.16.0.0/12']);
    }
  });

  it('computes capacity from the rules: domains x target types + target types, one per Suricata rule', () => {
    const plan = planFirewallPolicy(base);
    expect(plan.ruleGroups.find((g) => g.key === 'allowlist')!.capacity).toBe(2 * 2 + 2);
    expect(plan.ruleGroups.find((g) => g.key === 'handshake')!.capacity).toBe(1);
    const bigger = planFirewallPolicy({ ...base, allowedDomains: ['.a.com', '.b.com', '.c.com'] });
    expect(bigger.ruleGroups.find((g) => g.key === 'allowlist')!.capacity).toBe(3 * 2 + 2);
  });

  it('orders groups by priority: handshake, allowlist, then rules files', () => {
    const { dir, file } = tempRules(
      'drop tcp $HOME_NET any -> $EXTERNAL_NET 22 (msg:"no ssh out"; sid:2000001; rev:1;)\n',
    );
    const plan = planFirewallPolicy({ ...base, rulesFiles: [file], baseDir: dir });
    expect(plan.ruleGroups.map((g) => [g.key, g.priority])).toEqual([
      ['handshake', 10],
      ['allowlist', 20],
      ['rules-1', 30],
    ]);
    expect(plan.ruleGroups[2].ruleGroup.RulesSource?.RulesString).toContain('no ssh out');
  });

  it('deduplicates domains case-insensitively', () => {
    const plan = planFirewallPolicy({ ...base, allowedDomains: ['.Amazon.com', '.amazon.com'] });
    expect(
      plan.ruleGroups.find((g) => g.key === 'allowlist')!.ruleGroup.RulesSource?.RulesSourceList?.Targets,
    ).toEqual(['.amazon.com']);
  });

  it.each([['*.amazon.com'], ['https://example.com'], ['exa mple.com'], ['']])(
    'rejects the invalid domain %j naming it',
    (bad) => {
      expect(() => planFirewallPolicy({ ...base, allowedDomains: ['.amazon.com', bad] })).toThrow(`"${bad}"`);
    },
  );

  it('rejects a malformed rule naming the file and line', () => {
    const { dir, file } = tempRules(
      '# comment\npass tcp any any -> any 443 (sid:1;)\npass tcp any any -> any 443 (pcre:"/x/"; sid:2;)\n',
    );
    expect(() => planFirewallPolicy({ ...base, rulesFiles: [file], baseDir: dir })).toThrow(
      /extra\.rules line 3: .*pcre/,
    );
  });

  it('names a rules file that cannot be read', () => {
    expect(() =>
      planFirewallPolicy({ ...base, rulesFiles: ['missing.rules'], baseDir: os.tmpdir() }),
    ).toThrow('rules file missing.rules cannot be read: ENOENT');
  });

  it('rejects a HOME_NET entry that is not a CIDR, naming it', () => {
    expect(() => planFirewallPolicy({ ...base, homeNet: ['10.16.0.0/12', '10.0.0.0/33'] })).toThrow(
      'HOME_NET[1] "10.0.0.0/33"',
    );
    expect(() => planFirewallPolicy({ ...base, homeNet: [] })).toThrow('HOME_NET needs at least one CIDR');
  });

  it('rejects unknown or conflicting default actions', () => {
    expect(() => planFirewallPolicy({ ...base, statefulDefaultActions: ['aws:drop'] })).toThrow(
      'statefulDefaultActions: unknown stateful default action(s) "aws:drop" (known: aws:drop_strict, ',
    );
    expect(() =>
      planFirewallPolicy({ ...base, statefulDefaultActions: ['aws:drop_strict', 'aws:drop_established'] }),
    ).toThrow(
      'statefulDefaultActions: at most one drop default action may be set, got aws:drop_strict, aws:drop_established',
    );
  });

  it.each([
    [['aws:drop_established_app_layer', 'aws:alert_established_app_layer']],
    [['aws:drop_established_app_layer_to_server', 'aws:alert_established_app_layer_to_server']],
    [['aws:drop_established_app_layer', 'aws:alert_strict']],
    [['aws:alert_strict', 'aws:alert_established_app_layer']],
    [['aws:drop_strict', 'aws:alert_strict']],
    [['aws:drop_established', 'aws:alert_established']],
  ])('accepts the default actions AWS accepts: %j', (actions) => {
    expect(planFirewallPolicy({ ...base, statefulDefaultActions: actions }).statefulDefaultActions).toEqual(
      actions,
    );
  });

  it.each([
    [
      ['aws:drop_established', 'aws:alert_established_app_layer'],
      'aws:drop_established cannot be set together with the application-layer aws:alert_established_app_layer',
    ],
    [
      ['aws:alert_established', 'aws:drop_established_app_layer_to_server'],
      'aws:alert_established cannot be set together with the application-layer aws:drop_established_app_layer_to_server',
    ],
    [
      ['aws:drop_strict', 'aws:drop_established_app_layer'],
      'at most one drop default action may be set, got aws:drop_strict, aws:drop_established_app_layer',
    ],
    [
      ['aws:alert_established_app_layer', 'aws:alert_established_app_layer_to_server'],
      'at most one alert default action besides aws:alert_strict may be set',
    ],
  ])('rejects the combinations AWS rejects: %j', (actions, message) => {
    expect(() => planFirewallPolicy({ ...base, statefulDefaultActions: actions })).toThrow(message);
  });
});

describe('the example rules file shipped in apps/inspection/rules', () => {
  it('parses and becomes its own group', () => {
    const plan = planFirewallPolicy({
      ...base,
      rulesFiles: ['rules/example.rules'],
      baseDir: path.resolve(__dirname, '../../../apps/inspection'),
    });
    expect(plan.ruleGroups.map((g) => g.key)).toEqual(['handshake', 'allowlist', 'rules-1']);
    expect(plan.ruleGroups[2].capacity).toBe(2);
  });
});

/** The plan as DescribeFirewallPolicy / DescribeRuleGroup would return it, evaluated by the Network Firewall model. */
function engineOf(plan: FirewallPlan) {
  const arn = (key: string): string =>
    `arn:aws:network-firewall:us-east-1:111122223333:stateful-rulegroup/${key}`;
  return buildFirewallEngine(
    {
      UpdateToken: 't',
      FirewallPolicyResponse: { FirewallPolicyName: 'p', FirewallPolicyArn: 'p', FirewallPolicyId: 'p' },
      FirewallPolicy: {
        StatelessDefaultActions: ['aws:forward_to_sfe'],
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' },
        StatefulDefaultActions: plan.statefulDefaultActions,
        PolicyVariables: { RuleVariables: { HOME_NET: { Definition: plan.homeNet } } },
        StatefulRuleGroupReferences: plan.ruleGroups.map((g) => ({
          ResourceArn: arn(g.key),
          Priority: g.priority,
        })),
      },
    },
    plan.ruleGroups.map((g) => ({
      UpdateToken: 't',
      RuleGroupResponse: {
        RuleGroupArn: arn(g.key),
        RuleGroupName: g.key,
        RuleGroupId: g.key,
        Type: 'STATEFUL',
      },
      RuleGroup: g.ruleGroup,
    })),
    { firewallVpcCidrs: ['10.16.0.0/24'] },
  );
}

describe('the planned policy under Network Firewall semantics', () => {
  const spoke = { srcIp: '10.17.0.10', srcPort: 40000, dstIp: '198.51.100.20' };
  const tls = (sni: string): Flow => ({ protocol: 'tcp', ...spoke, dstPort: 443, app: { kind: 'tls', sni } });
  const engine = engineOf(
    planFirewallPolicy({
      ...base,
      rulesFiles: ['rules/example.rules'],
      baseDir: path.resolve(__dirname, '../../../apps/inspection'),
    }),
  );

  it('passes both handshake packets by the <> packet rule, then an allowlisted SNI for the whole flow', () => {
    const d = engine.evaluate(tls('www.amazon.com'));
    expect(d.allowed).toBe(true);
    expect(d.packets!.map((p) => [p.packet, p.decidedBy.sid, p.decidedBy.scope])).toEqual([
      ['SYN', 1000001, 'packet'],
      ['SYN-ACK', 1000001, 'packet'],
      ['client data', expect.any(Number), 'flow'],
      ['server data', expect.any(Number), 'flow'],
    ]);
    expect(d.packets![2]!.decidedBy.kind).toBe('domain-list');
  });

  it('drops other SNIs and hosts by aws:drop_strict (strict order generates no allowlist drop rules)', () => {
    for (const flow of [
      tls('example.com'),
      {
        protocol: 'tcp' as const,
        ...spoke,
        dstPort: 80,
        app: { kind: 'http' as const, host: 'example.com' },
      },
    ]) {
      const d = engine.evaluate(flow);
      expect(d.allowed).toBe(false);
      expect(d.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_strict' });
    }
  });

  it('passes DNS over UDP by the example IP-only rule, reply included', () => {
    const d = engine.evaluate({
      protocol: 'udp',
      ...spoke,
      dstPort: 53,
      app: { kind: 'dns', query: 'a.example' },
    });
    expect(d.allowed).toBe(true);
    expect(d.packets![1]!.decidedBy).toMatchObject({ sid: 3000002, fixedAt: 'request' });
  });
});
