import { buildFirewallEngine } from '../../src/firewall';
import { FIREWALL_VPC, SUPERNET, domainGroup, http, policy, tls } from './fixtures';

const ALLOW = {
  Targets: ['.amazon.com', 'checkip.amazonaws.com'],
  TargetTypes: ['TLS_SNI', 'HTTP_HOST'] as ('TLS_SNI' | 'HTTP_HOST')[],
  GeneratedRulesType: 'ALLOWLIST' as const,
};
const options = { firewallVpcCidrs: FIREWALL_VPC };
const WIDENED = { PolicyVariables: { RuleVariables: { HOME_NET: { Definition: SUPERNET } } } };

function allowlistEngine(settings: Parameters<typeof policy>[1] = {}) {
  const group = domainGroup('allow', ALLOW);
  return buildFirewallEngine(
    policy([group], { StatefulDefaultActions: ['aws:drop_established'], ...settings }),
    [group],
    options,
  );
}

describe('domain allowlist with HOME_NET widened to the supernet', () => {
  const engine = allowlistEngine(WIDENED);

  it('allows subdomains and the apex of a dot-prefixed entry', () => {
    for (const sni of ['www.amazon.com', 'amazon.com', 'WWW.AMAZON.COM']) {
      const decision = engine.evaluate(tls(sni));
      expect(decision.allowed).toBe(true);
      expect(decision.data.decidedBy).toMatchObject({ kind: 'domain-list', action: 'pass' });
    }
  });

  it('matches an entry without a dot exactly', () => {
    expect(engine.evaluate(tls('checkip.amazonaws.com')).allowed).toBe(true);
    expect(engine.evaluate(tls('x.checkip.amazonaws.com')).allowed).toBe(false);
    expect(engine.evaluate(tls('amazonaws.com')).allowed).toBe(false);
  });

  it('under STRICT_ORDER drops TLS to other domains by the default action (no generated drop rule)', () => {
    const decision = engine.evaluate(tls('example.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.handshake.verdict).toBe('pass');
    expect(decision.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_established' });
  });

  it('under DEFAULT_ACTION_ORDER drops other TLS and HTTP with the generated final drop rules', () => {
    const group = domainGroup('allow', ALLOW, 'DEFAULT_ACTION_ORDER');
    const e = buildFirewallEngine(
      policy([group], { StatefulEngineOptions: { RuleOrder: 'DEFAULT_ACTION_ORDER' }, ...WIDENED }),
      [group],
      options,
    );
    const tlsDenied = e.evaluate(tls('example.com'));
    expect(tlsDenied.allowed).toBe(false);
    expect(tlsDenied.data.decidedBy).toMatchObject({ kind: 'domain-list', action: 'drop', scope: 'flow' });
    expect(tlsDenied.data.decidedBy.text).toContain('not matching any TLS allowlisted FQDNs');
    const httpDenied = e.evaluate(http('example.com'));
    expect(httpDenied.data.decidedBy.text).toContain('not matching any HTTP allowlisted FQDNs');
    expect(e.evaluate(http('www.amazon.com')).allowed).toBe(true);
  });

  it('applies HTTP_HOST to plain HTTP (host lowercased, port ignored)', () => {
    expect(engine.evaluate(http('www.amazon.com')).allowed).toBe(true);
    expect(engine.evaluate(http('WWW.Amazon.com:80')).allowed).toBe(true);
    const denied = engine.evaluate(http('example.com'));
    expect(denied.allowed).toBe(false);
    expect(denied.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_established' });
  });

  it('does not pass HTTP by the TLS_SNI entries when only TLS_SNI is listed', () => {
    const group = domainGroup('tls-only', { ...ALLOW, TargetTypes: ['TLS_SNI'] });
    const e = buildFirewallEngine(
      policy([group], { StatefulDefaultActions: ['aws:drop_established'], ...WIDENED }),
      [group],
      options,
    );
    expect(e.evaluate(tls('www.amazon.com')).allowed).toBe(true);
    const plain = e.evaluate(http('www.amazon.com'));
    expect(plain.allowed).toBe(false);
    expect(plain.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_established' });
  });

  it('drops even allowlisted TLS under aws:drop_strict, which needs a handshake pass rule', () => {
    const e = allowlistEngine({ ...WIDENED, StatefulDefaultActions: ['aws:drop_strict'] });
    const decision = e.evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.handshake.decidedBy.text).toBe('aws:drop_strict');
  });

  it('also works when the rule group itself widens HOME_NET', () => {
    const group = domainGroup('allow', ALLOW, 'STRICT_ORDER', {
      RuleVariables: { IPSets: { HOME_NET: { Definition: SUPERNET } } },
    });
    const e = buildFirewallEngine(
      policy([group], { StatefulDefaultActions: ['aws:drop_established'] }),
      [group],
      options,
    );
    expect(e.evaluate(tls('www.amazon.com')).allowed).toBe(true);
  });
});

describe('domain allowlist with HOME_NET left at the firewall VPC CIDR', () => {
  const engine = allowlistEngine();

  it('does not match spoke traffic: the allowlisted domain is dropped by the default action', () => {
    const decision = engine.evaluate(tls('www.amazon.com'));
    expect(decision.allowed).toBe(false);
    expect(decision.data.decidedBy).toMatchObject({ kind: 'stateful-default', text: 'aws:drop_established' });
    expect(decision.warnings.join('\n')).toContain('outside HOME_NET');
  });

  it('still matches traffic from the firewall VPC itself', () => {
    expect(engine.evaluate(tls('www.amazon.com', { srcIp: '10.0.1.5' })).allowed).toBe(true);
  });

  it('lets a non-matching flow through under DEFAULT_ACTION_ORDER (no default drop)', () => {
    const group = domainGroup('allow', ALLOW, 'DEFAULT_ACTION_ORDER');
    const e = buildFirewallEngine(
      policy([group], { StatefulEngineOptions: { RuleOrder: 'DEFAULT_ACTION_ORDER' } }),
      [group],
      options,
    );
    expect(e.evaluate(tls('example.com')).allowed).toBe(true);
  });
});

describe('domain denylist (DEFAULT_ACTION_ORDER)', () => {
  const group = domainGroup(
    'deny',
    { Targets: ['.example.com'], TargetTypes: ['TLS_SNI', 'HTTP_HOST'], GeneratedRulesType: 'DENYLIST' },
    'DEFAULT_ACTION_ORDER',
  );
  const engine = buildFirewallEngine(
    policy([group], { StatefulEngineOptions: { RuleOrder: 'DEFAULT_ACTION_ORDER' }, ...WIDENED }),
    [group],
    options,
  );

  it('drops listed domains and their subdomains', () => {
    expect(engine.evaluate(tls('example.com')).data.decidedBy).toMatchObject({
      kind: 'domain-list',
      action: 'drop',
    });
    expect(engine.evaluate(tls('a.b.example.com')).allowed).toBe(false);
    expect(engine.evaluate(http('www.example.com')).allowed).toBe(false);
  });

  it('passes other domains, including look-alikes', () => {
    expect(engine.evaluate(tls('notexample.com')).allowed).toBe(true);
    expect(engine.evaluate(tls('www.amazon.com')).allowed).toBe(true);
  });
});
