import { parseSuricataRules, SuricataParseError } from '../../src/firewall';
import { SEED_RULES } from './fixtures';

function parseError(text: string, options = { source: 'rules/extra.rules' }): SuricataParseError {
  try {
    parseSuricataRules(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(SuricataParseError);
    return error as SuricataParseError;
  }
  throw new Error(`expected a parse error for: ${text}`);
}

describe('parseSuricataRules', () => {
  it('parses the seed rule pair', () => {
    const [handshake, sni] = parseSuricataRules(SEED_RULES);
    expect(handshake).toMatchObject({
      action: 'pass',
      protocol: 'tcp',
      direction: '<>',
      destination: { kind: 'var', name: 'EXTERNAL_NET' },
      destinationPorts: { kind: 'range', from: 443, to: 443 },
      flow: ['not_established'],
      sid: 892123,
      rev: 1,
      msg: 'Allowing TCP in port 443',
    });
    expect(sni).toMatchObject({ protocol: 'tls', direction: '->', sid: 892125 });
    expect(sni!.contents).toEqual([
      {
        buffer: 'tls.sni',
        value: '.amazon.com',
        negated: false,
        startswith: false,
        endswith: true,
        dotprefix: true,
        nocase: false,
      },
    ]);
  });

  it('parses groups, negation, ranges and flow options', () => {
    const [rule] = parseSuricataRules(
      'drop ip [10.0.0.0/8, !10.1.0.0/16] [1024:,!2000] -> !$HOME_NET ![22,3389] (flow:to_server,established; priority:2; sid:7;)',
    );
    expect(rule!.source).toEqual({
      kind: 'group',
      items: [
        { kind: 'cidr', cidr: '10.0.0.0/8' },
        { kind: 'not', expr: { kind: 'cidr', cidr: '10.1.0.0/16' } },
      ],
    });
    expect(rule!.sourcePorts).toEqual({
      kind: 'group',
      items: [
        { kind: 'range', from: 1024, to: 65535 },
        { kind: 'not', expr: { kind: 'range', from: 2000, to: 2000 } },
      ],
    });
    expect(rule!.destination).toEqual({ kind: 'not', expr: { kind: 'var', name: 'HOME_NET' } });
    expect(rule!.destinationPorts.kind).toBe('not');
    expect(rule!.flow).toEqual(['to_server', 'established']);
    expect(rule!.priority).toBe(2);
  });

  it('applies content modifiers to the preceding content and buffer', () => {
    const [rule] = parseSuricataRules(
      'pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; content:"ssm."; startswith; content:".amazonaws.com"; endswith; nocase; flow: to_server; sid:202308311;)',
    );
    expect(rule!.contents.map((c) => [c.value, c.startswith, c.endswith, c.nocase])).toEqual([
      ['ssm.', true, false, false],
      ['.amazonaws.com', false, true, true],
    ]);
    expect(rule!.sslState).toEqual([{ state: 'client_hello', negated: false }]);
  });

  it('skips comments and blank lines and keeps real line numbers', () => {
    const rules = parseSuricataRules(
      '# header\n\n  \npass tcp any any -> any 80 (sid:1;)\n# tail\nalert udp any any -> any 53 (sid:2;)',
    );
    expect(rules.map((r) => [r.sid, r.line])).toEqual([
      [1, 4],
      [2, 6],
    ]);
  });

  it('parses the options of AWS examples: flowbits, noalert, ip_proto, app-layer-protocol, ssl_version, tls.version', () => {
    const [setter, checker, nonTcp, notTls, oldTls, v12, logged] = parseSuricataRules(
      [
        'alert tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"a.example"; flowbits:set,allowed; flowbits:noalert; sid:1;)',
        'pass tcp $HOME_NET any -> $EXTERNAL_NET any (flowbits:isset,allowed|other; flow:to_server; sid:2;)',
        'drop ip $HOME_NET any <> $EXTERNAL_NET any (msg:"Drop non-TCP traffic."; ip_proto:!TCP; sid:3;)',
        'alert tcp any any -> any [443,465] (flow:to_server; app-layer-protocol:!tls; sid:4;)',
        'reject tls any any -> any any (msg:"Vulnerable versions of TLS"; ssl_version:tls1.0,tls1.1; sid:5;)',
        'pass tls any any -> any any (tls.version:1.2; sid:6;)',
        'pass ssh $HOME_NET any -> $EXTERNAL_NET 22 (alert; noalert; sid:7;)',
      ].join('\n'),
    );
    expect(setter!.flowbits).toEqual([{ command: 'set', names: ['allowed'] }]);
    expect(setter!.noalert).toBe(true);
    expect(checker!.flowbits).toEqual([{ command: 'isset', names: ['allowed', 'other'] }]);
    expect(nonTcp!.ipProto).toEqual([{ op: '!', protocol: 6 }]);
    expect(notTls!.appLayerProtocol).toEqual({ protocol: 'tls', negated: true });
    expect(oldTls!.tlsVersions).toEqual({ versions: ['tls1.0', 'tls1.1'], negated: [] });
    expect(v12!.tlsVersions).toEqual({ versions: ['tls1.2'], negated: [] });
    expect(logged).toMatchObject({ protocol: 'ssh', alertKeyword: true, noalert: true });
  });

  it('decodes |hex| bytes in content (the generated HTTP allowlist drop rule uses |0d 0a|)', () => {
    const [rule] = parseSuricataRules(
      'drop http any any -> any any (http.header_names; content:"|0d 0a|"; startswith; sid:1;)',
    );
    expect(rule!.contents[0]).toMatchObject({ buffer: 'http.header_names', value: '\r\n', startswith: true });
    expect(
      parseSuricataRules('pass tls any any -> any any (tls.sni; content:"x|2e|com"; sid:1;)')[0]!.contents[0]!
        .value,
    ).toBe('x.com');
  });

  it('accepts the application protocols of AWS examples in the header', () => {
    const rules = parseSuricataRules(
      ['ssh', 'ntp', 'http2', 'dns', 'quic', 'http1']
        .map((p, i) => `pass ${p} any any -> any any (sid:${i + 1};)`)
        .join('\n'),
    );
    expect(rules.map((r) => r.protocol)).toEqual(['ssh', 'ntp', 'http2', 'dns', 'quic', 'http1']);
  });

  it('accepts declared custom variables', () => {
    const [rule] = parseSuricataRules('pass tcp $WEB any -> any $PORTS (sid:1;)', {
      ipVariables: ['WEB'],
      portVariables: ['PORTS'],
    });
    expect(rule!.source).toEqual({ kind: 'var', name: 'WEB' });
  });

  it.each([
    [
      'unsupported keyword',
      'pass tcp any any -> any any (sid:1;)\n\npass tcp any any -> any any (pcre:"/x/"; sid:2;)',
      3,
      'unsupported keyword "pcre"',
    ],
    ['missing sid', 'pass tcp any any -> any any (msg:"no sid";)', 1, 'missing sid'],
    [
      'duplicate sid',
      'pass tcp any any -> any any (sid:5;)\ndrop tcp any any -> any any (sid:5;)',
      2,
      'duplicate sid 5 (first used on line 1)',
    ],
    ['unbalanced parentheses', 'pass tcp any any -> any any (sid:1;', 1, 'unbalanced parentheses'],
    ['unbalanced quotes', 'pass tcp any any -> any any (msg:"oops; sid:1;)', 1, 'unbalanced quotes'],
    [
      'unknown variable',
      '# c\npass tcp $HTTP_SERVERS any -> any any (sid:1;)',
      2,
      'unknown variable "$HTTP_SERVERS"',
    ],
    ['unsupported action', 'permit tcp any any -> any any (sid:1;)', 1, 'unsupported action "permit"'],
    ['unsupported protocol', 'pass smb any any -> any any (sid:1;)', 1, 'unsupported protocol "smb"'],
    ['bad port', 'pass tcp any any -> any 70000 (sid:1;)', 1, 'invalid port "70000"'],
    ['bad address', 'pass tcp 10.0.0.300 any -> any any (sid:1;)', 1, 'invalid address "10.0.0.300"'],
    [
      'content without buffer',
      'drop tcp any any -> any any (content:"GET"; sid:1;)',
      1,
      'content "GET" has no sticky buffer',
    ],
    [
      'buffer of another protocol',
      'pass tcp any any -> any any (tls.sni; content:"a"; sid:1;)',
      1,
      '"tls.sni" needs protocol tls',
    ],
    [
      'modifier without content',
      'pass tls any any -> any any (tls.sni; endswith; sid:1;)',
      1,
      '"endswith" must follow a content',
    ],
    [
      'unsupported flow option',
      'pass tcp any any -> any any (flow:only_stream; sid:1;)',
      1,
      'unsupported flow option "only_stream"',
    ],
    [
      'contradictory flow',
      'pass tcp any any -> any any (flow:established,not_established; sid:1;)',
      1,
      'both "established" and "not_established"',
    ],
    [
      'malformed hex content',
      'pass tls any any -> any any (tls.sni; content:"|2g|com"; sid:1;)',
      1,
      'invalid hex bytes "|2g|"',
    ],
    [
      'an unknown flowbits command',
      'alert tcp any any -> any any (flowbits:flip,a; sid:1;)',
      1,
      'unsupported flowbits command "flip"',
    ],
    [
      'ip_proto on a tcp rule',
      'drop tcp any any -> any any (ip_proto:!TCP; sid:1;)',
      1,
      '"ip_proto" needs protocol ip',
    ],
    [
      'an unknown app-layer-protocol',
      'alert tcp any any -> any any (app-layer-protocol:smb; sid:1;)',
      1,
      'unsupported app-layer-protocol "smb"',
    ],
    [
      'an unknown ssl_version',
      'reject tls any any -> any any (ssl_version:tls9; sid:1;)',
      1,
      'unsupported ssl_version "tls9"',
    ],
    [
      'ssl_version on tcp',
      'reject tcp any any -> any any (ssl_version:tls1.0; sid:1;)',
      1,
      'need protocol tls',
    ],
    [
      'an unknown tls.version',
      'reject tls any any -> any any (tls.version:2.0; sid:1;)',
      1,
      'unsupported tls.version "2.0"',
    ],
  ])('rejects %s, naming the source and line', (_name, text, line, detail) => {
    const error = parseError(text);
    expect(error.line).toBe(line);
    expect(error.source).toBe('rules/extra.rules');
    expect(error.message.startsWith(`rules/extra.rules line ${line}: `)).toBe(true);
    expect(error.message).toContain(detail);
  });
});
