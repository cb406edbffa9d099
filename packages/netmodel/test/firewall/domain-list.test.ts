import { domainListToSuricata, parseSuricataRules, validateDomain } from '../../src/firewall';

describe('domainListToSuricata', () => {
  it('generates the ALLOWLIST rules AWS documents, ending with drops for unmatched TLS and HTTP (action order)', () => {
    const text = domainListToSuricata(
      {
        Targets: ['.amazon.com', 'checkip.amazonaws.com'],
        TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
        GeneratedRulesType: 'ALLOWLIST',
      },
      { sidBase: 100 },
    );
    expect(text.split('\n')).toEqual([
      'pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; dotprefix; content:".amazon.com"; nocase; endswith; msg:"matching TLS allowlisted FQDNs"; priority:1; flow:to_server, established; sid:100; rev:1;)',
      'pass http $HOME_NET any -> $EXTERNAL_NET any (http.host; dotprefix; content:".amazon.com"; endswith; msg:"matching HTTP allowlisted FQDNs"; priority:1; flow:to_server, established; sid:101; rev:1;)',
      'pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; content:"checkip.amazonaws.com"; startswith; nocase; endswith; msg:"matching TLS allowlisted FQDNs"; priority:1; flow:to_server, established; sid:102; rev:1;)',
      'pass http $HOME_NET any -> $EXTERNAL_NET any (http.host; content:"checkip.amazonaws.com"; startswith; endswith; msg:"matching HTTP allowlisted FQDNs"; priority:1; flow:to_server, established; sid:103; rev:1;)',
      'drop tls $HOME_NET any -> $EXTERNAL_NET any (msg:"not matching any TLS allowlisted FQDNs"; priority:1; ssl_state:client_hello; flow:to_server, established; sid:104; rev:1;)',
      'drop http $HOME_NET any -> $EXTERNAL_NET any (http.header_names; content:"|0d 0a|"; startswith; msg:"not matching any HTTP allowlisted FQDNs"; priority:1; flow:to_server, established; sid:105; rev:1;)',
    ]);
  });

  it('generates no ALLOWLIST drop rules under STRICT_ORDER (the policy default actions drop instead)', () => {
    const text = domainListToSuricata(
      { Targets: ['.amazon.com'], TargetTypes: ['TLS_SNI', 'HTTP_HOST'], GeneratedRulesType: 'ALLOWLIST' },
      { ruleOrder: 'STRICT_ORDER' },
    );
    expect(text.split('\n').map((l) => l.split(' ')[0])).toEqual(['pass', 'pass']);
  });

  it.each([
    ['REJECTLIST', 'reject', 'rejectlisted'],
    ['ALERTLIST', 'alert', 'alertlisted'],
    ['DENYLIST', 'drop', 'denylisted'],
  ])('generates %s rules with action %s and no final rule, in both orders', (type, action, listed) => {
    for (const ruleOrder of ['STRICT_ORDER', 'DEFAULT_ACTION_ORDER'] as const) {
      const lines = domainListToSuricata(
        { Targets: ['evil.com'], TargetTypes: ['TLS_SNI', 'HTTP_HOST'], GeneratedRulesType: type },
        { ruleOrder },
      ).split('\n');
      expect(lines).toEqual([
        `${action} tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; content:"evil.com"; startswith; nocase; endswith; msg:"matching TLS ${listed} FQDNs"; priority:1; flow:to_server, established; sid:1; rev:1;)`,
        `${action} http $HOME_NET any -> $EXTERNAL_NET any (http.host; content:"evil.com"; startswith; endswith; msg:"matching HTTP ${listed} FQDNs"; priority:1; flow:to_server, established; sid:2; rev:1;)`,
      ]);
    }
  });

  it('generates DENYLIST drops with no final rule, lowercasing HTTP hosts', () => {
    const lines = domainListToSuricata({
      Targets: ['Bad.Example.com'],
      TargetTypes: ['HTTP_HOST'],
      GeneratedRulesType: 'DENYLIST',
    }).split('\n');
    expect(lines).toEqual([
      'drop http $HOME_NET any -> $EXTERNAL_NET any (http.host; content:"bad.example.com"; startswith; endswith; msg:"matching HTTP denylisted FQDNs"; priority:1; flow:to_server, established; sid:1; rev:1;)',
    ]);
  });

  it('produces rules the parser accepts', () => {
    const text = domainListToSuricata({
      Targets: ['.example.org', 'a.example.net'],
      TargetTypes: ['TLS_SNI'],
      GeneratedRulesType: 'ALLOWLIST',
    });
    const rules = parseSuricataRules(text);
    expect(rules.map((r) => [r.action, r.protocol, r.sid])).toEqual([
      ['pass', 'tls', 1],
      ['pass', 'tls', 2],
      ['drop', 'tls', 3],
    ]);
    expect(rules[0]!.flow).toEqual(['to_server', 'established']);
  });

  it('rejects unknown rule and target types, naming them', () => {
    expect(() =>
      domainListToSuricata({
        Targets: ['a.com'],
        TargetTypes: ['DNS_QUERY'],
        GeneratedRulesType: 'ALLOWLIST',
      }),
    ).toThrow('unsupported TargetType "DNS_QUERY"');
    expect(() =>
      domainListToSuricata({ Targets: ['a.com'], TargetTypes: ['TLS_SNI'], GeneratedRulesType: 'PERMIT' }),
    ).toThrow('unsupported GeneratedRulesType "PERMIT"');
    expect(() =>
      domainListToSuricata({
        Targets: ['*.a.com'],
        TargetTypes: ['TLS_SNI'],
        GeneratedRulesType: 'ALLOWLIST',
      }),
    ).toThrow('"*.a.com"');
  });
});

describe('validateDomain', () => {
  it.each(['amazon.com', '.amazon.com', 'checkip.amazonaws.com', 'a-b.example.co.uk', 'localhost'])(
    'accepts %s',
    (domain) => {
      expect(() => validateDomain(domain)).not.toThrow();
    },
  );

  it.each([
    '',
    '.',
    '*.example.com',
    'example..com',
    'example.com.',
    'https://example.com',
    'example.com:443',
    '-bad.com',
    'sp ace.com',
    'under_score.com',
  ])('rejects "%s", naming it', (domain) => {
    expect(() => validateDomain(domain)).toThrow(`invalid domain list entry "${domain}"`);
  });
});
