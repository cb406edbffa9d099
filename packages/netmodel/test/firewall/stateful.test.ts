import { buildFirewallEngine } from '../../src/firewall';
import { FIREWALL_VPC, INTERNET_IP, SEED_RULES, SPOKE_IP, policy, suricataGroup, tls } from './fixtures';

const options = { firewallVpcCidrs: FIREWALL_VPC };
const PASS_AMAZON_SNI =
  'pass tls any any -> $EXTERNAL_NET 443 (tls.sni; dotprefix; content:".amazon.com"; endswith; flow:to_server, established; sid:10;)';

function strict(rules: string, defaults: string[]) {
  const group = suricataGroup('rules', rules);
  return buildFirewallEngine(policy([group], { StatefulDefaultActions: defaults }), [group], options);
}

describe('stateful default actions (STRICT_ORDER)', () => {
  it('aws:drop_strict drops the handshake of a flow no rule passes', () => {
    const decision = strict(PASS_AMAZON_SNI, ['aws:drop_strict']).evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.handshake).toEqual({
      verdict: 'drop',
      decidedBy: {
        kind: 'stateful-default',
        text: 'aws:drop_strict',
        action: 'drop',
        scope: 'packet',
        scopeReason: 'default action: applies to each packet no rule decided',
      },
    });
    // The application data would have matched: only the handshake failed.
    expect(decision.data.verdict).toBe('pass');
  });

  it('aws:drop_established lets the handshake through and passes matching TLS', () => {
    const decision = strict(PASS_AMAZON_SNI, ['aws:drop_established']).evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(true);
    expect(decision.handshake.decidedBy.kind).toBe('stateful-default');
    expect(decision.handshake.verdict).toBe('pass');
    expect(decision.data.decidedBy).toMatchObject({ kind: 'stateful-rule', sid: 10, action: 'pass' });
  });

  it('aws:drop_established drops established packets of a non-matching flow', () => {
    const decision = strict(PASS_AMAZON_SNI, ['aws:drop_established']).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.handshake.verdict).toBe('pass');
    expect(decision.data).toEqual({
      verdict: 'drop',
      decidedBy: {
        kind: 'stateful-default',
        text: 'aws:drop_established',
        action: 'drop',
        scope: 'packet',
        scopeReason: 'default action: applies to each packet no rule decided',
      },
    });
  });

  it('aws:alert_strict only logs: unmatched traffic passes and the alert is recorded', () => {
    const decision = strict(PASS_AMAZON_SNI, ['aws:alert_strict']).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(true);
    // One alert per unmatched packet: handshake client + server, data client + server.
    expect(decision.alerts).toEqual(
      Array(4).fill({ kind: 'stateful-default', text: 'aws:alert_strict', action: 'alert' }),
    );
  });

  it('aws:alert_established logs established packets only', () => {
    const decision = strict('drop tcp any any -> any 22 (sid:1;)', ['aws:alert_established']).evaluate(
      tls('example.com'),
    );
    expect(decision.allowed).toBe(true);
    // Handshake: two unlogged packets; data: client and server packets each logged.
    expect(decision.alerts).toHaveLength(2);
  });

  it('without default actions unmatched traffic passes, and a matching drop still drops', () => {
    const engine = strict('drop tcp any any -> any 22 (sid:1;)', []);
    expect(engine.evaluate(tls('example.com')).allowed).toBe(true);
    const ssh = engine.evaluate({
      protocol: 'tcp',
      srcIp: SPOKE_IP,
      srcPort: 40000,
      dstIp: INTERNET_IP,
      dstPort: 22,
    });
    expect(ssh.allowed).toBe(false);
    expect(ssh.handshake.decidedBy).toMatchObject({ kind: 'stateful-rule', sid: 1, action: 'drop' });
  });

  it('reject is reported as reject', () => {
    const decision = strict('reject tcp any any -> any 22 (sid:1;)', []).evaluate({
      protocol: 'tcp',
      srcIp: SPOKE_IP,
      srcPort: 40000,
      dstIp: INTERNET_IP,
      dstPort: 22,
    });
    expect(decision.handshake.verdict).toBe('reject');
    expect(decision.allowed).toBe(false);
  });
});

describe('phases', () => {
  it('app-layer rules cannot match the handshake: a drop tls rule only drops the data', () => {
    const engine = strict(
      'drop tls any any -> any any (sid:1;)\npass tcp any any -> any any (flow:not_established; sid:2;)',
      ['aws:drop_strict'],
    );
    const decision = engine.evaluate(tls('www.amazon.com'));
    expect(decision.handshake.decidedBy).toMatchObject({ sid: 2, action: 'pass' });
    expect(decision.data.decidedBy).toMatchObject({ sid: 1, action: 'drop' });
    expect(decision.allowed).toBe(false);
  });

  it('a flow with no app layer is not matched by tls rules at all', () => {
    const engine = strict('drop tls any any -> any any (sid:1;)', ['aws:drop_established']);
    const noApp = engine.evaluate({
      protocol: 'tcp',
      srcIp: SPOKE_IP,
      srcPort: 40000,
      dstIp: INTERNET_IP,
      dstPort: 443,
    });
    expect(noApp.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_established' });
  });

  it('STRICT_ORDER alert rules log and let evaluation continue', () => {
    const decision = strict('alert tcp any any -> any 443 (sid:1;)\npass tcp any any -> any 443 (sid:2;)', [
      'aws:drop_strict',
    ]).evaluate(tls('x'));
    expect(decision.allowed).toBe(true);
    expect(decision.handshake.decidedBy.sid).toBe(2);
    // The SYN hits the alert before the pass; the pass (IP-only) then passes the whole flow, so no
    // later packet is inspected and the alert fires once.
    expect(decision.alerts?.map((a) => a.sid)).toEqual([1]);
  });

  it('STRICT_ORDER packet-rule alerts fire on every packet they match', () => {
    const decision = strict(
      'alert tcp any any -> any 443 (flow:to_server; sid:1;)\npass tcp any any <> any 443 (flow:to_server; sid:2;)\npass tcp any 443 -> any any (flow:to_client; sid:3;)',
      ['aws:drop_strict'],
    ).evaluate(tls('x'));
    expect(decision.allowed).toBe(true);
    expect(decision.alerts?.map((a) => a.sid)).toEqual([1, 1]);
  });
});

describe('rule order', () => {
  const DROP_THEN_PASS = [
    'drop tls any any -> any 443 (sid:1;)',
    'pass tls any any -> any 443 (tls.sni; content:"www.amazon.com"; startswith; endswith; sid:2;)',
  ].join('\n');

  it('STRICT_ORDER: a drop written before a pass wins', () => {
    const decision = strict(DROP_THEN_PASS, []).evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.data.decidedBy).toMatchObject({ sid: 1, action: 'drop' });
  });

  it('DEFAULT_ACTION_ORDER: the pass wins over the earlier drop', () => {
    const group = suricataGroup('rules', DROP_THEN_PASS, 'DEFAULT_ACTION_ORDER');
    const engine = buildFirewallEngine(
      policy([group], { StatefulEngineOptions: { RuleOrder: 'DEFAULT_ACTION_ORDER' } }),
      [group],
      options,
    );
    expect(engine.ruleOrder).toBe('DEFAULT_ACTION_ORDER');
    const decision = engine.evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(true);
    expect(decision.data.decidedBy).toMatchObject({ sid: 2, action: 'pass' });
    // A flow the pass does not match is still dropped.
    expect(engine.evaluate(tls('example.com')).data.decidedBy).toMatchObject({ sid: 1, action: 'drop' });
  });

  it('STRICT_ORDER evaluates groups by reference priority, not by the order given', () => {
    const drop = suricataGroup('drop-all', 'drop tcp any any -> any 443 (sid:1;)');
    const pass = suricataGroup('pass-all', 'pass tcp any any -> any 443 (sid:2;)');
    const p = policy([drop, pass]);
    p.FirewallPolicy!.StatefulRuleGroupReferences = [
      { ResourceArn: drop.RuleGroupResponse!.RuleGroupArn, Priority: 20 },
      { ResourceArn: pass.RuleGroupResponse!.RuleGroupArn, Priority: 5 },
    ];
    expect(buildFirewallEngine(p, [drop, pass], options).evaluate(tls('x.org')).allowed).toBe(true);
    p.FirewallPolicy!.StatefulRuleGroupReferences[1]!.Priority = 30;
    expect(buildFirewallEngine(p, [drop, pass], options).evaluate(tls('x.org')).allowed).toBe(false);
  });

  it("DROP_TO_ALERT override turns a group's drops into alerts", () => {
    const group = suricataGroup('rules', 'drop tcp any any -> any 443 (sid:1;)');
    const p = policy([group]);
    p.FirewallPolicy!.StatefulRuleGroupReferences![0]!.Override = { Action: 'DROP_TO_ALERT' };
    const decision = buildFirewallEngine(p, [group], options).evaluate(tls('x.org'));
    expect(decision.allowed).toBe(true);
    expect(decision.alerts?.[0]).toMatchObject({ kind: 'stateful-rule', sid: 1, action: 'alert' });
  });
});

describe("the seed's handshake + SNI rule pair under aws:drop_strict", () => {
  const engine = strict(SEED_RULES, ['aws:drop_strict', 'aws:alert_strict']);

  it('lets the handshake through by the not_established rule and passes .amazon.com by SNI', () => {
    const decision = engine.evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(true);
    expect(decision.handshake.decidedBy).toMatchObject({ kind: 'stateful-rule', sid: 892123 });
    expect(decision.data.decidedBy).toMatchObject({ kind: 'stateful-rule', sid: 892125 });
    expect(engine.evaluate(tls('amazon.com')).allowed).toBe(true);
  });

  it('drops other SNIs (including checkip.amazonaws.com) by the default action after the handshake', () => {
    for (const sni of ['example.com', 'checkip.amazonaws.com', 'notamazon.com']) {
      const decision = engine.evaluate(tls(sni));
      expect(decision.allowed).toBe(false);
      expect(decision.handshake.verdict).toBe('pass');
      expect(decision.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_strict' });
    }
  });

  it('drops plain HTTP on port 80 at the handshake', () => {
    const decision = engine.evaluate({
      protocol: 'tcp',
      srcIp: SPOKE_IP,
      srcPort: 40000,
      dstIp: INTERNET_IP,
      dstPort: 80,
      app: { kind: 'http', host: 'www.amazon.com' },
    });
    expect(decision.handshake.verdict).toBe('drop');
    expect(decision.allowed).toBe(false);
  });

  it('warns about split ClientHellos when the flow is allowed only via the SNI rule', () => {
    const [warning] = engine.evaluate(tls('www.amazon.com')).warnings;
    expect(warning).toContain('sid 892125');
    expect(warning).toContain('aws:drop_strict');
    expect(warning).toContain('ClientHello');
  });
});

describe('split ClientHello warning', () => {
  it('is raised under aws:drop_established', () => {
    const warnings = strict(PASS_AMAZON_SNI, ['aws:drop_established']).evaluate(
      tls('www.amazon.com'),
    ).warnings;
    expect(warnings.some((w) => w.includes('aws:drop_established') && w.includes('ClientHello'))).toBe(true);
  });

  it('is not raised when nothing drops established packets before the SNI', () => {
    expect(
      strict(PASS_AMAZON_SNI, ['aws:alert_established']).evaluate(tls('www.amazon.com')).warnings,
    ).toEqual([]);
  });

  it.each([['aws:drop_established_app_layer'], ['aws:drop_established_app_layer_to_server']])(
    'is not raised under %s: it waits for the (reassembled) ClientHello before dropping',
    (drop) => {
      const decision = strict(PASS_AMAZON_SNI, [drop]).evaluate(tls('www.amazon.com'));
      expect(decision.allowed).toBe(true);
      expect(decision.warnings).toEqual([]);
    },
  );

  it('is not raised when the flow is passed without an SNI rule', () => {
    const engine = strict('pass tcp any any -> any 443 (sid:1;)', ['aws:drop_established']);
    expect(engine.evaluate(tls('www.amazon.com')).warnings).toEqual([]);
  });
});

describe('application-layer default actions', () => {
  it('spare the handshake and drop an established ClientHello no rule passed', () => {
    for (const drop of ['aws:drop_established_app_layer', 'aws:drop_established_app_layer_to_server']) {
      const decision = strict(PASS_AMAZON_SNI, [drop]).evaluate(tls('example.com'));
      expect(decision.allowed).toBe(false);
      const byPacket = Object.fromEntries(decision.packets!.map((p) => [p.packet, p]));
      expect(byPacket['SYN']!.verdict).toBe('pass');
      expect(byPacket['SYN-ACK']!.verdict).toBe('pass');
      expect(byPacket['client data']).toMatchObject({ verdict: 'drop', decidedBy: { text: drop } });
    }
  });

  it('drop server-to-client packets only when bidirectional', () => {
    const toServerPass = 'pass tcp any any -> any 22 (flow:to_server; sid:20;)';
    const ssh = { ...tls('x'), dstPort: 22, app: undefined };
    const serverData = (drop: string) =>
      strict(toServerPass, [drop])
        .evaluate(ssh)
        .packets!.find((p) => p.packet === 'server data')!;
    expect(serverData('aws:drop_established_app_layer')).toMatchObject({
      verdict: 'drop',
      decidedBy: { text: 'aws:drop_established_app_layer' },
    });
    expect(serverData('aws:drop_established_app_layer_to_server').verdict).toBe('pass');
    expect(serverData('aws:drop_established_app_layer_to_server').decidedBy.scopeReason).toContain(
      'aws:drop_established_app_layer_to_server drops client-to-server packets only',
    );
  });

  it('alert without dropping, next to aws:alert_strict', () => {
    const decision = strict(PASS_AMAZON_SNI, [
      'aws:alert_strict',
      'aws:alert_established_app_layer',
    ]).evaluate(tls('example.com'));
    expect(decision.allowed).toBe(true);
  });
});

describe('UDP, ICMP and DNS flows (single phase)', () => {
  const dns = (query: string) => ({
    protocol: 'udp' as const,
    srcIp: SPOKE_IP,
    srcPort: 5353,
    dstIp: INTERNET_IP,
    dstPort: 53,
    app: { kind: 'dns' as const, query },
  });

  it('matches dns.query and reports the same verdict for both phases', () => {
    const engine = strict(
      'pass dns any any -> any 53 (dns.query; content:"amazonaws.com"; endswith; nocase; sid:1;)',
      ['aws:drop_strict'],
    );
    const allowed = engine.evaluate(dns('ssm.us-east-1.AMAZONAWS.com'));
    expect(allowed.allowed).toBe(true);
    expect(allowed.handshake).toEqual(allowed.data);
    expect(engine.evaluate(dns('example.com')).allowed).toBe(false);
  });

  it('drops the reply of an unpassed UDP exchange under aws:drop_established', () => {
    const engine = strict('pass tcp any any -> any 443 (sid:1;)', ['aws:drop_established']);
    const decision = engine.evaluate(dns('example.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.data.decidedBy.text).toBe('aws:drop_established');
  });

  it('matches icmp rules, which carry no ports', () => {
    const engine = strict('pass icmp any any -> any any (sid:1;)\ndrop ip any any -> any 0 (sid:2;)', [
      'aws:drop_strict',
    ]);
    expect(
      engine.evaluate({ protocol: 'icmp', srcIp: SPOKE_IP, srcPort: 0, dstIp: INTERNET_IP, dstPort: 0 })
        .allowed,
    ).toBe(true);
    expect(
      engine.evaluate({ protocol: 'udp', srcIp: SPOKE_IP, srcPort: 1, dstIp: INTERNET_IP, dstPort: 0 }).data
        .decidedBy.sid,
    ).toBe(2);
  });
});
