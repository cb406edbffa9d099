/**
 * `npm run add-spoke -- <name> [--cidr <cidr>] [--prefix 16] [--no-probe]`
 *
 * Adds a spoke project under apps/spokes/<name>: Pulumi.yaml, one Pulumi.<env>.yaml per environment
 * the tgw project has, the one-line program, the Nx project and its stack test. The CIDR is the next
 * free block of the supernet unless given; every check runs before the first file is written, so a
 * bad name or CIDR changes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import YAML from 'yaml';
import { assertNoOverlap, assertVpcCidr, assertWithin, nextFreeCidr } from '@hubspoke/network';

export interface AddSpokeOptions {
  name: string;
  /** Explicit CIDR for every environment; default: the next free /prefix of each env's supernet. */
  cidr?: string;
  prefix: number;
  probe: boolean;
}

interface EnvLayout {
  env: string;
  region: string;
  supernet: string;
  availabilityZones: string[];
  /** Every VPC CIDR already planned in the env, named by its config key. */
  taken: { name: string; cidr: string }[];
}

const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const RESERVED = new Set([
  'tgw',
  'inspection',
  'integration-tests',
  'tools',
  'network',
  'netmodel',
  'mock-cloud',
  'harness',
]);

/** Computes every file of the new spoke; throws, naming the value at fault, before anything is written. */
export function planSpoke(repoRoot: string, options: AddSpokeOptions): Map<string, string> {
  const { name } = options;
  if (!NAME.test(name)) {
    throw new Error(
      `spoke name ${JSON.stringify(name)} must be lower-case letters, digits and inner hyphens (2-32 chars)`,
    );
  }
  if (RESERVED.has(name)) throw new Error(`spoke name ${name} is already an Nx project name`);
  const dir = path.join(repoRoot, 'apps', 'spokes', name);
  if (fs.existsSync(dir)) throw new Error(`apps/spokes/${name} already exists`);

  const files = new Map<string, string>();
  for (const layout of readEnvLayouts(repoRoot)) {
    const label = `${name}:vpcCidr (${layout.env})`;
    const cidr =
      options.cidr ??
      nextFreeCidr(
        layout.supernet,
        layout.taken.map((t) => t.cidr),
        options.prefix,
      );
    assertVpcCidr(cidr, label);
    assertWithin({ name: `tgw:supernet (${layout.env})`, cidr: layout.supernet }, { name: label, cidr });
    assertNoOverlap([...layout.taken, { name: label, cidr }]);
    files.set(
      `Pulumi.${layout.env}.yaml`,
      stackConfig(name, layout, cidr, options.probe && layout.env !== 'prod'),
    );
  }
  files.set(
    'Pulumi.yaml',
    `name: ${name}\ndescription: "hubspoke - spoke VPC ${name}"\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
  );
  files.set(
    'index.ts',
    `// Pulumi program of the ${name} spoke. Every spoke runs the same program with its own config.\nimport { spokeProgram } from '@hubspoke/network';\n\nexport = spokeProgram;\n`,
  );
  files.set('project.json', `${JSON.stringify(projectJson(name), null, 2)}\n`);
  files.set(
    'jest.config.js',
    `module.exports = { ...require('../../../jest.preset.js'), displayName: '${name}' };\n`,
  );
  files.set(
    'index.test.ts',
    `import { describeSpokeStack } from '@hubspoke/network/testing/stack-suites';\n\ndescribeSpokeStack(__dirname);\n`,
  );
  return new Map([...files].map(([file, content]) => [path.join('apps', 'spokes', name, file), content]));
}

export function writeSpoke(repoRoot: string, files: Map<string, string>): void {
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(repoRoot, file)), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, file), content, { flag: 'wx' });
  }
}

/** One layout per environment the tgw project is configured for. */
function readEnvLayouts(repoRoot: string): EnvLayout[] {
  const tgwDir = path.join(repoRoot, 'apps', 'tgw');
  const envs = fs
    .readdirSync(tgwDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((e): e is string => e !== undefined);
  if (envs.length === 0) throw new Error('apps/tgw has no Pulumi.<env>.yaml: nothing to add a spoke to');
  const spokesDir = path.join(repoRoot, 'apps', 'spokes');
  const spokes = fs.existsSync(spokesDir) ? fs.readdirSync(spokesDir).sort() : [];
  return envs.map((env) => {
    const tgw = readConfig(repoRoot, path.join('apps', 'tgw', `Pulumi.${env}.yaml`));
    const inspection = readConfig(repoRoot, path.join('apps', 'inspection', `Pulumi.${env}.yaml`));
    const taken = [{ name: `inspection:vpcCidr (${env})`, cidr: String(inspection['inspection:vpcCidr']) }];
    for (const spoke of spokes) {
      const file = path.join('apps', 'spokes', spoke, `Pulumi.${env}.yaml`);
      if (!fs.existsSync(path.join(repoRoot, file))) continue;
      const cfg = readConfig(repoRoot, file);
      taken.push({ name: `${spoke}:vpcCidr (${env})`, cidr: String(cfg[`${spoke}:vpcCidr`]) });
    }
    return {
      env,
      region: String(tgw['aws:region']),
      supernet: String(tgw['tgw:supernet']),
      availabilityZones: (inspection['inspection:availabilityZones'] as string[]) ?? [],
      taken,
    };
  });
}

function readConfig(repoRoot: string, file: string): Record<string, unknown> {
  const full = path.join(repoRoot, file);
  if (!fs.existsSync(full)) throw new Error(`${file} is missing`);
  const doc = YAML.parse(fs.readFileSync(full, 'utf8')) as { config?: Record<string, unknown> } | null;
  if (!doc?.config) throw new Error(`${file} has no config: map`);
  return doc.config;
}

function stackConfig(name: string, layout: EnvLayout, cidr: string, probe: boolean): string {
  return YAML.stringify({
    config: {
      'aws:region': layout.region,
      [`${name}:vpcCidr`]: cidr,
      [`${name}:availabilityZones`]: layout.availabilityZones,
      [`${name}:probe`]: probe,
    },
  });
}

function projectJson(name: string): object {
  return {
    name,
    $schema: '../../../node_modules/nx/schemas/project-schema.json',
    sourceRoot: `apps/spokes/${name}`,
    projectType: 'application',
    tags: ['stack', 'spoke'],
    implicitDependencies: ['tgw', 'inspection'],
    targets: { test: {}, preview: {}, up: {}, refresh: {}, destroy: {} },
  };
}

export function main(argv: string[], repoRoot = path.resolve(__dirname, '..', '..')): number {
  const program = new Command('add-spoke')
    .description('add a spoke VPC project under apps/spokes/<name> with a stack config per environment')
    .argument('<name>', 'spoke name, e.g. spoke-c (also its Pulumi project and Nx project name)')
    .option('--cidr <cidr>', 'VPC CIDR for every environment (default: the next free block of the supernet)')
    .option('--prefix <bits>', 'prefix length of the picked CIDR', '16')
    .option('--no-probe', 'do not deploy the probe instance in non-prod environments')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = program.opts<{ cidr?: string; prefix: string; probe: boolean }>();
  try {
    const prefix = Number(opts.prefix);
    if (!Number.isInteger(prefix) || prefix < 16 || prefix > 28)
      throw new Error(`--prefix ${opts.prefix} must be 16 to 28`);
    const files = planSpoke(repoRoot, { name: program.args[0], cidr: opts.cidr, prefix, probe: opts.probe });
    writeSpoke(repoRoot, files);
    for (const file of files.keys()) console.log(`created ${file}`);
    console.log(`next: npx nx test ${program.args[0]} && npm run verify`);
    return 0;
  } catch (err) {
    console.error(`add-spoke: ${(err as Error).message}`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
