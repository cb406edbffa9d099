/**
 * `npm run add-spoke -- <name> [--cidr <cidr>] [--prefix 16] [--no-probe]`
 *
 * Adds a spoke project under apps/spokes/<name>: Pulumi.yaml, one Pulumi.<env>.yaml per environment
 * the tgw project has, the one-line program, its tsconfig.json, the Nx project and its stack test.
 * The CIDR is the next free block of the supernet unless given; every check runs before the first
 * file is written, so a bad name or CIDR changes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import YAML from 'yaml';
import { assertNoOverlap, assertVpcCidr, assertWithin, nextFreeCidr } from '@hubspoke/network';
import {
  STACK_PROJECT_DIRS,
  allProjects,
  configuredEnvs,
  discoverStackProjects,
  findRepoRoot,
  type ProjectLayout,
  type StackProject,
} from '@hubspoke/network/src/stack-projects';

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
/** Folders that hold no Nx project (dependencies, build state, reports, dot-folders). */
const NOT_PROJECTS = new Set(['node_modules', 'reports', 'dist', 'coverage']);

/** Names of the Nx projects in the repository (every project.json), which a spoke must not reuse. */
function nxProjectNames(repoRoot: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !NOT_PROJECTS.has(entry.name))
        walk(path.join(dir, entry.name));
      else if (entry.isFile() && entry.name === 'project.json') {
        const name = (JSON.parse(fs.readFileSync(path.join(dir, entry.name), 'utf8')) as { name?: unknown })
          .name;
        if (typeof name === 'string') names.add(name);
      }
    }
  };
  walk(repoRoot);
  return names;
}

/**
 * Pulumi's Node.js language host compiles a project with ts-node from the project directory and
 * takes only that tsconfig.json's own compilerOptions over its defaults (target ES2020, module
 * nodenext, no ES2022 library): without this file `new Error(message, { cause })` in
 * packages/network does not compile (docs/development.md "Pulumi projects").
 */
export const SPOKE_TSCONFIG = `// Pulumi's Node.js language host compiles this project with ts-node from this directory, taking
// only this file's own compilerOptions over its defaults (target ES2020, module nodenext), so the
// settings of tsconfig.base.json that decide how the code compiles are restated here.
{
  "extends": "../../../tsconfig.base.json",
  "compilerOptions": { "target": "ES2022", "module": "commonjs", "moduleResolution": "node10" }
}
`;

/** Computes every file of the new spoke; throws, naming the value at fault, before anything is written. */
export function planSpoke(repoRoot: string, options: AddSpokeOptions): Map<string, string> {
  const { name } = options;
  if (!NAME.test(name)) {
    throw new Error(
      `spoke name ${JSON.stringify(name)} must be lower-case letters, digits and inner hyphens (2-32 chars)`,
    );
  }
  const dir = path.join(repoRoot, STACK_PROJECT_DIRS.spokes, name);
  if (fs.existsSync(dir)) throw new Error(`${STACK_PROJECT_DIRS.spokes}/${name} already exists`);
  const projects = discoverStackProjects(repoRoot);
  const taken = new Set([...nxProjectNames(repoRoot), ...allProjects(projects).map((p) => p.project)]);
  if (taken.has(name)) throw new Error(`spoke name ${name} is already an Nx project name`);

  const files = new Map<string, string>();
  for (const layout of readEnvLayouts(repoRoot, projects)) {
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
  files.set('tsconfig.json', SPOKE_TSCONFIG);
  files.set('project.json', `${JSON.stringify(projectJson(name), null, 2)}\n`);
  files.set(
    'jest.config.js',
    `module.exports = { ...require('../../../jest.preset.js'), displayName: '${name}' };\n`,
  );
  files.set(
    'index.test.ts',
    `import { describeSpokeStack } from '@hubspoke/stack-testing';\n\ndescribeSpokeStack(__dirname);\n`,
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
function readEnvLayouts(repoRoot: string, projects: ProjectLayout): EnvLayout[] {
  const envs = configuredEnvs(projects.tgw.workDir);
  if (envs.length === 0)
    throw new Error(`${projects.tgw.dir} has no Pulumi.<env>.yaml: nothing to add a spoke to`);
  return envs.map((env) => {
    const config = (p: StackProject) => readConfig(repoRoot, `${p.dir}/Pulumi.${env}.yaml`);
    const tgw = config(projects.tgw);
    const inspection = config(projects.inspection);
    const taken = [{ name: `inspection:vpcCidr (${env})`, cidr: String(inspection['inspection:vpcCidr']) }];
    for (const spoke of projects.spokes) {
      if (!configuredEnvs(spoke.workDir).includes(env)) continue;
      const cfg = config(spoke);
      taken.push({
        name: `${spoke.project}:vpcCidr (${env})`,
        cidr: String(cfg[`${spoke.project}:vpcCidr`]),
      });
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

export function main(argv: string[], repoRoot = findRepoRoot(__dirname)): number {
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
