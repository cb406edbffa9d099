/**
 * Affected Pulumi stack projects in dependency order, as layers: every stack of a layer depends
 * only on stacks of earlier layers, so a layer can run as one parallel matrix.
 *
 *   npx tsx tools/src/ci/affected-stacks.ts [--base <sha> --head <sha> | --files a,b | --all] [--out plan.json]
 *
 * Defaults to NX_BASE / NX_HEAD (set by nrwl/nx-set-shas). Writes step outputs `layers`, `order`,
 * `any`, `layer_0` .. `layer_<max-1>` (JSON arrays of stack names, `[]` when empty) and
 * `shards_0` .. `shards_<max-1>` (each layer split into at most --max-jobs matrix entries), and
 * `shards` (every planned stack, split the same way, for jobs where order does not matter).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { spawnRunner, type CommandRunner } from './exec';
import { readAffectedProjects, readProjectGraph, type PlanSelector, type ProjectGraph } from './graph';
import { writeOutputs } from './github-output';
import { checkMaxJobs, shardLayer } from './shards';

export const STACK_TAG = 'stack';

export interface StackPlan {
  /** Affected stacks grouped by dependency depth; names sorted within a layer. */
  layers: string[][];
  /** The layers flattened: a valid sequential order. */
  order: string[];
  /** Project root of each planned stack (the Pulumi project directory). */
  roots: Record<string, string>;
}

export function isStack(graph: ProjectGraph, name: string, tag = STACK_TAG): boolean {
  return graph.nodes[name]?.data.tags?.includes(tag) ?? false;
}

/**
 * Depth of every stack project: 0 for stacks that depend on no other stack, else 1 + the deepest
 * stack it depends on, following dependencies through non-stack projects too (a stack that uses a
 * library that reads another stack's outputs still comes after it).
 */
export function stackDepths(graph: ProjectGraph, tag = STACK_TAG): Map<string, number> {
  const stacks = Object.keys(graph.nodes).filter((n) => isStack(graph, n, tag));
  const upstreamCache = new Map<string, Set<string>>();

  // Stacks reachable from `name` through any projects (not through other stacks: their own
  // depth already accounts for what lies behind them).
  const upstreamStacks = (name: string): Set<string> => {
    const cached = upstreamCache.get(name);
    if (cached) return cached;
    const found = new Set<string>();
    const seen = new Set<string>([name]);
    const queue = (graph.dependencies[name] ?? []).map((d) => d.target);
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (seen.has(next) || !graph.nodes[next]) continue;
      seen.add(next);
      if (isStack(graph, next, tag)) found.add(next);
      else queue.push(...(graph.dependencies[next] ?? []).map((d) => d.target));
    }
    upstreamCache.set(name, found);
    return found;
  };

  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string, path: string[]): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`stack dependency cycle: ${[...path, name].join(' -> ')}`);
    visiting.add(name);
    let d = 0;
    for (const up of upstreamStacks(name)) d = Math.max(d, depth(up, [...path, name]) + 1);
    visiting.delete(name);
    depths.set(name, d);
    return d;
  };
  for (const s of stacks) depth(s, []);
  return depths;
}

/** Pure core: the affected stacks of `graph`, layered by dependency depth (empty layers dropped). */
export function planStacks(graph: ProjectGraph, affected: readonly string[], tag = STACK_TAG): StackPlan {
  const unknown = affected.filter((a) => !graph.nodes[a]);
  if (unknown.length > 0)
    throw new Error(`affected projects not in the project graph: ${unknown.join(', ')}`);
  const depths = stackDepths(graph, tag);
  const byDepth = new Map<number, string[]>();
  for (const name of new Set(affected)) {
    const d = depths.get(name);
    if (d === undefined) continue; // a library or app that is not a Pulumi stack
    byDepth.set(d, [...(byDepth.get(d) ?? []), name]);
  }
  const layers = [...byDepth.entries()].sort(([a], [b]) => a - b).map(([, names]) => names.sort());
  const order = layers.flat();
  return { layers, order, roots: Object.fromEntries(order.map((n) => [n, graph.nodes[n].data.root])) };
}

/**
 * Configuration smells of the graph that would make "affected" silently miss stacks: stacks
 * import the shared packages, so a graph where no stack has an import edge means Nx's source
 * analysis is off and a change to `packages/network` would preview and deploy nothing.
 */
export function graphWarnings(graph: ProjectGraph, tag = STACK_TAG): string[] {
  const stacks = Object.keys(graph.nodes).filter((n) => isStack(graph, n, tag));
  const imports = stacks.some((s) => (graph.dependencies[s] ?? []).some((d) => d.type !== 'implicit'));
  return stacks.length > 0 && !imports
    ? [
        'Nx reports no import dependencies for any stack project, so changes to shared packages ' +
          'affect no stack. Enable source analysis (docs/gitops.md, "Affected stacks").',
      ]
    : [];
}

/** The default cap on jobs per layer: well under GitHub's 256, and what a team's runners can take. */
export const DEFAULT_MAX_JOBS = 20;

/**
 * Step outputs for the workflows; deploy.yml has a fixed number of layer jobs (`maxLayers`), each a
 * matrix over at most `maxJobs` shards of its layer.
 */
export function planOutputs(
  plan: StackPlan,
  maxLayers: number,
  maxJobs = DEFAULT_MAX_JOBS,
): Record<string, string> {
  if (plan.layers.length > maxLayers) {
    throw new Error(
      `the affected stacks need ${plan.layers.length} sequential layers (${JSON.stringify(plan.layers)}) ` +
        `but the workflow has ${maxLayers} layer jobs: add a layer job to .github/workflows/deploy.yml`,
    );
  }
  const outputs: Record<string, string> = {
    layers: JSON.stringify(plan.layers),
    order: JSON.stringify(plan.order),
    any: String(plan.order.length > 0),
    // Every planned stack regardless of layer, for jobs that need no order (drift detection).
    shards: JSON.stringify(shardLayer(plan.order, maxJobs)),
  };
  for (let i = 0; i < maxLayers; i++) {
    outputs[`layer_${i}`] = JSON.stringify(plan.layers[i] ?? []);
    outputs[`shards_${i}`] = JSON.stringify(shardLayer(plan.layers[i] ?? [], maxJobs));
  }
  return outputs;
}

export async function computePlan(run: CommandRunner, selector: PlanSelector): Promise<StackPlan> {
  if ('all' in selector) {
    const graph = await readProjectGraph(run);
    return planStacks(graph, Object.keys(graph.nodes));
  }
  const [graph, affected] = await Promise.all([readProjectGraph(run), readAffectedProjects(run, selector)]);
  // A workflow annotation: visible on the run page, without failing deploys over it.
  for (const warning of graphWarnings(graph)) process.stderr.write(`::warning::${warning}\n`);
  return planStacks(graph, affected);
}

export async function main(argv = process.argv, env = process.env): Promise<void> {
  const opts = new Command('affected-stacks')
    .option('--base <sha>', 'base of the change (default $NX_BASE)', env.NX_BASE)
    .option('--head <sha>', 'head of the change (default $NX_HEAD)', env.NX_HEAD ?? 'HEAD')
    .option('--files <list>', 'comma-separated changed files instead of a commit range')
    .option('--all', 'every stack (first deploy, drift repair)', false)
    .option('--max-layers <n>', 'layer jobs available in deploy.yml', '3')
    .option('--max-jobs <n>', 'matrix jobs per layer (shards; at most 256)', String(DEFAULT_MAX_JOBS))
    .option('--out <file>', 'also write the plan as JSON')
    .parse(argv)
    .opts<{
      base?: string;
      head: string;
      files?: string;
      all: boolean;
      maxLayers: string;
      maxJobs: string;
      out?: string;
    }>();
  let selector: PlanSelector;
  if (opts.all) selector = { all: true };
  else if (opts.files) selector = { files: opts.files.split(',').filter(Boolean) };
  else if (opts.base) selector = { base: opts.base, head: opts.head };
  else throw new Error('give --base/--head (or set NX_BASE, e.g. with nrwl/nx-set-shas) or --files');

  const maxLayers = Number(opts.maxLayers);
  if (!Number.isInteger(maxLayers) || maxLayers < 1) {
    throw new Error(`--max-layers must be a positive integer, got "${opts.maxLayers}"`);
  }
  const maxJobs = checkMaxJobs(Number(opts.maxJobs));

  const plan = await computePlan(spawnRunner, selector);
  const outputs = planOutputs(plan, maxLayers, maxJobs);
  if (opts.out) {
    mkdirSync(dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(plan, null, 2)}\n`);
  }
  writeOutputs(outputs, env);
  process.stderr.write(`affected stacks: ${plan.layers.map((l) => l.join(', ')).join(' -> ') || '(none)'}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`affected-stacks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
