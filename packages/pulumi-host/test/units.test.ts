/**
 * The pure parts of the stand-in: wire values, version ranges, Pulumi.yaml runtime options and the
 * language host's command line.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languageHostCommand } from '../src/language-host';
import { readProjectRuntime, splitArgs } from '../src/project';
import { ResourceRegistry } from '../src/registry';
import { compareVersions, versionSatisfies } from '../src/version-range';
import {
  OUTPUT_VALUE_SIG,
  RESOURCE_REFERENCE_SIG,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN,
  fromStruct,
  toProviderValue,
  toStruct,
  unknownPaths,
  withSecrets,
} from '../src/wire';

describe('wire values', () => {
  const ids: Record<string, string> = { 'urn:pulumi:dev::p::aws:ec2/vpc:Vpc::main': 'vpc-0123' };
  const idOf = (urn: string) => ids[urn];

  it('downgrades secrets, output values and resource references for a plain provider', () => {
    const value = {
      password: { [SIG_KEY]: SECRET_SIG, value: 'hunter2' },
      known: { [SIG_KEY]: OUTPUT_VALUE_SIG, value: 'x', dependencies: ['urn:a'] },
      pending: { [SIG_KEY]: OUTPUT_VALUE_SIG, dependencies: ['urn:a'] },
      vpc: { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: 'urn:pulumi:dev::p::aws:ec2/vpc:Vpc::main' },
      component: { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: 'urn:pulumi:dev::p::my:c:C::c' },
      nested: [{ [SIG_KEY]: SECRET_SIG, value: { a: 1 } }],
    };
    expect(toProviderValue(value, idOf)).toEqual({
      password: 'hunter2',
      known: 'x',
      pending: UNKNOWN,
      vpc: 'vpc-0123',
      component: 'urn:pulumi:dev::p::my:c:C::c',
      nested: [{ a: 1 }],
    });
  });

  it('names the paths of unknown values', () => {
    expect(unknownPaths({ a: UNKNOWN, b: [1, { c: UNKNOWN }], d: 'x' })).toEqual(['a', 'b[1].c']);
    expect(unknownPaths({ a: 'known' })).toEqual([]);
  });

  it('round-trips through a protobuf Struct, dropping undefined members', () => {
    const s = toStruct({ a: 1, b: undefined, c: [null, 'x'], d: { e: true } });
    expect(fromStruct(s)).toEqual({ a: 1, c: [null, 'x'], d: { e: true } });
  });

  it('marks additional secret outputs', () => {
    expect(withSecrets({ a: 'x', b: 'y' }, ['b', 'missing'])).toEqual({
      a: 'x',
      b: { [SIG_KEY]: SECRET_SIG, value: 'y' },
    });
  });
});

describe('URNs', () => {
  it('qualifies a child type with its parent type, except under the root stack', () => {
    const r = new ResourceRegistry('spoke-a', 'dev');
    const stack = r.urnFor('pulumi:pulumi:Stack', 'spoke-a-dev', undefined);
    expect(stack).toBe('urn:pulumi:dev::spoke-a::pulumi:pulumi:Stack::spoke-a-dev');
    const comp = r.urnFor('hubspoke:network:SpokeVpc', 'spoke-a', stack);
    expect(comp).toBe('urn:pulumi:dev::spoke-a::hubspoke:network:SpokeVpc::spoke-a');
    expect(r.urnFor('aws:ec2/vpc:Vpc', 'spoke-a', comp)).toBe(
      'urn:pulumi:dev::spoke-a::hubspoke:network:SpokeVpc$aws:ec2/vpc:Vpc::spoke-a',
    );
  });

  it('refuses a second registration of one URN with the engine message', () => {
    const r = new ResourceRegistry('p', 'dev');
    r.reserve('urn:x');
    expect(() => r.reserve('urn:x')).toThrow("Duplicate resource URN 'urn:x'; try giving it a unique name");
  });
});

describe('Pulumi version ranges', () => {
  it.each([
    ['3.276.0', '>=3.0.0', true],
    ['3.276.0', '>=3.0.0 <3.200.0', false],
    ['3.276.0', '<3.0.0 || >=3.276.0', true],
    ['3.276.0', '!3.276.0', false],
    ['3.276.0', '3.276.0', true],
    ['3.276.0', '>= 3.100.0', true],
    ['3.276.0-alpha.1', '>=3.276.0', false],
  ])('%s satisfies %s: %s', (version, range, expected) => {
    expect(versionSatisfies(version, range)).toBe(expected);
  });

  it('orders pre-releases before the release and numerically', () => {
    expect(compareVersions('1.2.3-alpha.2', '1.2.3-alpha.10')).toBeLessThan(0);
    expect(compareVersions('1.2.3', '1.2.3-rc.1')).toBeGreaterThan(0);
  });

  it('rejects a malformed range naming it', () => {
    expect(() => versionSatisfies('3.0.0', '>=banana')).toThrow('invalid version "banana"');
  });
});

describe('Pulumi.yaml runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulumi-host-project-'));
  const project = (name: string, yaml: string): string => {
    const d = join(dir, name);
    mkdirSync(join(d, 'src'), { recursive: true });
    writeFileSync(join(d, 'src/main.js'), '');
    writeFileSync(join(d, 'Pulumi.yaml'), yaml);
    return d;
  };

  it('defaults: TypeScript on, the project directory and entry point "."', () => {
    const d = project('plain', 'name: plain\nruntime: nodejs\n');
    expect(readProjectRuntime(d)).toEqual({
      projectDir: d,
      programDir: d,
      entryPoint: '.',
      typescript: true,
      nodeargs: [],
    });
  });

  it('honours main (file or directory) and the runtime options', () => {
    const file = project(
      'main-file',
      'name: m\nmain: src/main.js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.pulumi.json\n    nodeargs: "--max-old-space-size=512 --title \'a b\'"\n',
    );
    expect(readProjectRuntime(file)).toEqual({
      projectDir: file,
      programDir: join(file, 'src'),
      entryPoint: 'main.js',
      typescript: false,
      tsconfig: 'tsconfig.pulumi.json',
      nodeargs: ['--max-old-space-size=512', '--title', 'a b'],
    });
    const folder = project('main-dir', 'name: m\nmain: src\nruntime: nodejs\n');
    expect(readProjectRuntime(folder)).toMatchObject({ programDir: join(folder, 'src'), entryPoint: '.' });
  });

  it('names the file, field and value at fault', () => {
    expect(() => readProjectRuntime(project('py', 'name: py\nruntime: python\n'))).toThrow(
      /Pulumi\.yaml: runtime "python" is not supported/,
    );
    expect(() =>
      readProjectRuntime(
        project('ts', 'name: t\nruntime:\n  name: nodejs\n  options:\n    typescript: "yes"\n'),
      ),
    ).toThrow(/runtime\.options\.typescript must be a boolean, got "yes"/);
    expect(() =>
      readProjectRuntime(project('nomain', 'name: n\nmain: missing.ts\nruntime: nodejs\n')),
    ).toThrow(/project 'main' could not be read: .*missing\.ts does not exist/);
  });

  it('splits nodeargs like a shell', () => {
    expect(splitArgs(' a "b c" d\\ e \'f"g\' ')).toEqual(['a', 'b c', 'd e', 'f"g']);
    expect(() => splitArgs('"open')).toThrow('unterminated " quote');
  });
});

describe('language host command line', () => {
  it('passes what pulumi-language-nodejs passes, and only the config of this stack', () => {
    const repoApp = join(__dirname, '../../../apps/tgw');
    const saved = process.env.PULUMI_CONFIG;
    process.env.PULUMI_CONFIG = '{"stale:config:key":"x"}';
    try {
      const launch = languageHostCommand({
        runtime: readProjectRuntime(repoApp),
        identity: { organization: 'organization', project: 'tgw', stack: 'dev' },
        config: { 'aws:region': 'us-east-1', 'tgw:supernet': '10.0.0.0/8' },
        secretKeys: [],
        dryRun: true,
        address: '127.0.0.1:4242',
      });
      expect(launch.command).toBe(process.execPath);
      expect(launch.args[0]).toMatch(/@pulumi[/\\]pulumi[/\\]cmd[/\\]run[/\\]index\.js$/);
      expect(launch.args.slice(1)).toEqual([
        '--monitor',
        '127.0.0.1:4242',
        '--engine',
        '127.0.0.1:4242',
        '--organization',
        'organization',
        '--project',
        'tgw',
        '--root-directory',
        repoApp,
        '--stack',
        'dev',
        '--pwd',
        repoApp,
        '--dry-run',
        '--parallel',
        '2147483647',
        '.',
      ]);
      expect(JSON.parse(launch.env.PULUMI_CONFIG!)).toEqual({
        'aws:config:region': 'us-east-1',
        'tgw:config:supernet': '10.0.0.0/8',
      });
      expect(launch.env.PULUMI_CONFIG_SECRET_KEYS).toBe('[]');
      expect(launch.env.PULUMI_NODEJS_TYPESCRIPT).toBe('true');
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG;
      else process.env.PULUMI_CONFIG = saved;
    }
  });
});
