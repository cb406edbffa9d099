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
      'hex content',
      'pass tls any any -> any any (tls.sni; content:"|2e|com"; sid:1;)',
      1,
      'unsupported hex bytes',
    ],
  ])('rejects %s, naming the source and line', (_name, text, line, detail) => {
    const error = parseError(text);
    expect(error.line).toBe(line);
    expect(error.source).toBe('rules/extra.rules');
    expect(error.message.startsWith(`rules/extra.rules line ${line}: `)).toBe(true);
    expect(error.message).toContain(detail);
  });
});
