/**
 * The part of the Nx project graph the CI scripts read (the shape `nx graph --file=<f>.json`
 * writes under `graph`), plus the adapter that asks the real Nx for it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from './exec';

export interface GraphNode {
  name: string;
  type?: string;
  data: { root: string; tags?: string[] };
}

export interface GraphDependency {
  source: string;
  target: string;
  type?: string;
}

export interface ProjectGraph {
  nodes: Record<string, GraphNode>;
  dependencies: Record<string, GraphDependency[]>;
}

/** Accepts either the file `nx graph --file` writes (`{ graph: {...} }`) or the bare graph. */
export function parseProjectGraph(json: unknown): ProjectGraph {
  const candidate = (
    json && typeof json === 'object' && 'graph' in json ? (json as { graph: unknown }).graph : json
  ) as Partial<ProjectGraph> | undefined;
  if (
    !candidate ||
    typeof candidate.nodes !== 'object' ||
    typeof candidate.dependencies !== 'object' ||
    !candidate.nodes
  ) {
    throw new Error(
      'project graph: expected an object with `nodes` and `dependencies` (the output of `nx graph --file`)',
    );
  }
  for (const [name, node] of Object.entries(candidate.nodes)) {
    if (typeof node?.data?.root !== 'string') throw new Error(`project graph: node ${name} has no data.root`);
  }
  return candidate as ProjectGraph;
}

/** Invocation of the workspace's own Nx (no npx lookup, no daemon: CI wants a fresh, deterministic graph). */
export function nxCommand(args: string[]): [string, string[]] {
  return [process.execPath, [require.resolve('nx/bin/nx.js'), ...args]];
}

const nxEnv = (): NodeJS.ProcessEnv => ({ ...process.env, NX_DAEMON: 'false' });

export async function readProjectGraph(run: CommandRunner, cwd = process.cwd()): Promise<ProjectGraph> {
  const dir = mkdtempSync(join(tmpdir(), 'hubspoke-graph-'));
  try {
    const file = join(dir, 'graph.json');
    const [cmd, args] = nxCommand(['graph', `--file=${file}`]);
    const result = await run(cmd, args, { cwd, env: nxEnv() });
    if (result.code !== 0)
      throw new Error(`nx graph failed (exit ${result.code}): ${result.stderr || result.stdout}`);
    return parseProjectGraph(JSON.parse(readFileSync(file, 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type AffectedSelector = { base: string; head: string } | { files: string[] };
/** What to plan: a commit range or changed files (through Nx affected), or every project. */
export type PlanSelector = AffectedSelector | { all: true };

/** `nx show projects --affected --json`: Nx stays the single authority on what a change touches. */
export async function readAffectedProjects(
  run: CommandRunner,
  selector: AffectedSelector,
  cwd = process.cwd(),
): Promise<string[]> {
  const range =
    'files' in selector
      ? [`--files=${selector.files.join(',')}`]
      : [`--base=${selector.base}`, `--head=${selector.head}`];
  const [cmd, args] = nxCommand(['show', 'projects', '--affected', ...range, '--json']);
  const result = await run(cmd, args, { cwd, env: nxEnv() });
  if (result.code !== 0)
    throw new Error(
      `nx show projects --affected failed (exit ${result.code}): ${result.stderr || result.stdout}`,
    );
  // Nx may print notices before the JSON line; the list is the last line that parses as an array.
  const line = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith('['));
  if (!line) throw new Error(`nx show projects --affected printed no JSON list: ${result.stdout}`);
  const parsed: unknown = JSON.parse(line);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string'))
    throw new Error(`unexpected nx output: ${line}`);
  return parsed;
}
