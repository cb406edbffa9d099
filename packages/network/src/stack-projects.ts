/**
 * The stack projects of the repository (docs/contracts.md "Environments, stacks, references"):
 * `apps/tgw`, `apps/inspection` and one `apps/spokes/<name>` per spoke, each a directory with a
 * `Pulumi.yaml`. The one place that knows this layout: the mock-cloud runner, the live e2e, the
 * CLI and the spoke generator all ask here. Light on purpose (no Pulumi), so the CLI and the live
 * path can load it without the SDKs; not part of the package index, which the programs load.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { INSPECTION_PROJECT, TGW_PROJECT, type ProjectRole } from './contracts';

/** Where each kind of project lives, relative to the repository root. */
export const STACK_PROJECT_DIRS = {
  tgw: `apps/${TGW_PROJECT}`,
  inspection: `apps/${INSPECTION_PROJECT}`,
  spokes: 'apps/spokes',
} as const;

/**
 * The repository root: the nearest directory at or above `start` holding the tgw project
 * (`apps/tgw/Pulumi.yaml`). The CLI starts from its own location, the live e2e from the caller's
 * directory, tests from theirs.
 */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, STACK_PROJECT_DIRS.tgw, 'Pulumi.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        `cannot find the hubspoke repo (${STACK_PROJECT_DIRS.tgw}/Pulumi.yaml) in ${start} or any parent directory`,
      );
    dir = parent;
  }
}

export interface StackProject {
  /** The Pulumi project name (`name:` of its Pulumi.yaml). */
  project: string;
  role: ProjectRole;
  /** Directory relative to the repository root, `/`-separated (`apps/spokes/spoke-a`). */
  dir: string;
  /** Absolute directory. */
  workDir: string;
}

export interface ProjectLayout {
  tgw: StackProject;
  inspection: StackProject;
  /** In directory-name order. */
  spokes: StackProject[];
}

/** Deploy phases in order (tgw, inspection, the spokes); destroy walks them backwards. */
export function deployPhases(layout: ProjectLayout): StackProject[][] {
  return [[layout.tgw], [layout.inspection], layout.spokes].filter((p) => p.length > 0);
}

/** Every project in deploy order. */
export function allProjects(layout: ProjectLayout): StackProject[] {
  return deployPhases(layout).flat();
}

function projectName(workDir: string, dir: string): string {
  let doc: unknown;
  try {
    doc = parse(readFileSync(join(workDir, 'Pulumi.yaml'), 'utf8'));
  } catch (err) {
    throw new Error(`${dir}/Pulumi.yaml: cannot read: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const name = (doc as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.length === 0)
    throw new Error(`${dir}/Pulumi.yaml: missing the project \`name\``);
  return name;
}

/** Spoke directories: every `apps/spokes/<name>` holding a Pulumi.yaml, in name order. */
function spokeDirs(repoRoot: string): string[] {
  const base = join(repoRoot, STACK_PROJECT_DIRS.spokes);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'Pulumi.yaml')))
    .map((d) => `${STACK_PROJECT_DIRS.spokes}/${d.name}`)
    .sort();
}

/**
 * The repository's stack projects. Fails, naming the file, when tgw or inspection is missing or a
 * Pulumi.yaml has no name, or when tgw / inspection are named otherwise than the contract says.
 */
export function discoverStackProjects(repoRoot: string): ProjectLayout {
  const at = (dir: string, role: ProjectRole, expected?: string): StackProject => {
    const workDir = join(repoRoot, dir);
    if (!existsSync(join(workDir, 'Pulumi.yaml')))
      throw new Error(`${dir}/Pulumi.yaml not found: an environment needs the tgw and inspection projects`);
    const project = projectName(workDir, dir);
    if (expected && project !== expected)
      throw new Error(
        `${dir}/Pulumi.yaml: project name is ${JSON.stringify(project)}, expected ${JSON.stringify(expected)}`,
      );
    return { project, role, dir, workDir };
  };
  return {
    tgw: at(STACK_PROJECT_DIRS.tgw, 'tgw', TGW_PROJECT),
    inspection: at(STACK_PROJECT_DIRS.inspection, 'inspection', INSPECTION_PROJECT),
    spokes: spokeDirs(repoRoot).map((dir) => at(dir, 'spoke')),
  };
}

/** Environments a project has config for: the `<env>` of each `Pulumi.<env>.yaml`, sorted. */
export function configuredEnvs(workDir: string): string[] {
  return readdirSync(workDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((e): e is string => e !== undefined)
    .sort();
}
