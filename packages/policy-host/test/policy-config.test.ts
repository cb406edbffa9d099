/** Policy config as the Pulumi CLI reconciles and validates it before Configure. */
import { parseConfigFile, PolicyConfigError, reconcilePolicyConfig } from '../src/policy-config';
import type { PolicyInfo } from '../src/types';

const policies: PolicyInfo[] = [
  {
    name: 'open',
    description: 'd',
    type: 'resource',
    enforcementLevel: 'mandatory',
    configSchema: {
      properties: {
        exemptions: { type: 'array', items: { type: 'string' }, default: [] },
        pattern: { type: 'string', format: 'regex', default: '^it-' },
      },
      required: [],
    },
  },
  { name: 'plain', description: 'd', type: 'stack', enforcementLevel: 'mandatory' },
];

describe('reconcilePolicyConfig', () => {
  it('starts from each policy level and schema defaults', () => {
    expect(reconcilePolicyConfig(policies, {})).toEqual({
      open: { enforcementLevel: 'mandatory', properties: { exemptions: [], pattern: '^it-' } },
      plain: { enforcementLevel: 'mandatory' },
    });
  });

  it('applies the initial config level as given: an entry read with the proto default turns advisory', () => {
    // GetAnalyzerInfo carries an initial-config entry without a level as ADVISORY (0), and the CLI
    // applies it; the pack therefore always sets one (packages/policy/src/pack.ts).
    const initial = { open: { enforcementLevel: 'advisory' as const, properties: { exemptions: ['x'] } } };
    expect(reconcilePolicyConfig(policies, initial).open).toEqual({
      enforcementLevel: 'advisory',
      properties: { exemptions: ['x'], pattern: '^it-' },
    });
  });

  it('lets the extra config override the initial config, and "all" set every level', () => {
    const result = reconcilePolicyConfig(
      policies,
      { open: { enforcementLevel: 'mandatory', properties: { exemptions: ['x'] } } },
      { all: { enforcementLevel: 'advisory' }, plain: { enforcementLevel: 'disabled' } },
    );
    expect(result.open!.enforcementLevel).toBe('advisory');
    expect(result.open!.properties!.exemptions).toEqual(['x']);
    expect(result.plain!.enforcementLevel).toBe('disabled');
  });

  it('validates against the schema, naming policy, field and problem', () => {
    expect(() =>
      reconcilePolicyConfig(
        policies,
        {},
        { open: { properties: { exemptions: [3], pattern: '(' } } },
        'x.json',
      ),
    ).toThrow(
      new PolicyConfigError(
        'invalid policy config (x.json):\n - open.exemptions.0: must be string\n - open.pattern: must match format "regex"',
      ),
    );
  });
});

describe('parseConfigFile (the --policy-pack-config format)', () => {
  it('reads levels and properties', () => {
    expect(parseConfigFile({ open: 'advisory', plain: { enforcementLevel: 'disabled', x: 1 } }, 'f')).toEqual(
      {
        open: { enforcementLevel: 'advisory' },
        plain: { enforcementLevel: 'disabled', properties: { x: 1 } },
      },
    );
  });

  it('refuses a bad level or a value of the wrong kind, naming it', () => {
    expect(() => parseConfigFile({ open: 'strict' }, 'f.json')).toThrow(
      'f.json: open: "strict" is not a valid enforcement level',
    );
    expect(() => parseConfigFile({ open: { enforcementLevel: 1 } }, 'f.json')).toThrow(
      'f.json: open.enforcementLevel: 1 is not a valid enforcement level',
    );
    expect(() => parseConfigFile({ open: 3 }, 'f.json')).toThrow(
      'f.json: open: 3 must be a string or an object',
    );
    expect(() => parseConfigFile([], 'f.json')).toThrow('f.json: expected a JSON object');
  });
});
