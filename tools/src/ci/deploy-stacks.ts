/**
 * One deploy job's share of a layer: `pulumi preview --diff` (written to the job summary, where the
 * reviewers of the `prod` environment read it before approving) or `pulumi up`, for each stack of
 * the shard, at most --parallel at a time (stacks of one layer are independent of each other).
 *
 *   npx tsx tools/src/ci/deploy-stacks.ts --mode preview --env prod --stacks spoke-a,spoke-b --parallel 4
 *
 * Every preview and up runs the policy pack (`--policy-pack`, default packages/policy;
 * docs/policy.md): a mandatory violation fails the preview and stops the up before any change.
 *
 * CI never creates a stack by accident: the stack is selected without `--create`, so a wrong
 * backend or stack name fails here instead of building a second network. Creating the stacks of a
 * new environment is the explicit `--create-missing` (deploy.yml's `bootstrap` input).
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { spawnRunner, type CommandRunner } from './exec';
import { readProjectGraph, type ProjectGraph } from './graph';
import { fence, table } from './markdown';
import { parseDiffSummary, type ChangeCounts } from './pulumi-preview';

export type DeployMode = 'preview' | 'up';
export type StackOutcome = 'ok' | 'failed' | 'new';

export interface StackResult {
  stack: string;
  root: string;
  outcome: StackOutcome;
  counts?: ChangeCounts;
  /** Combined CLI output (the diff of a preview, the log of an up). */
  output: string;
  error?: string;
}

export interface DeployOptions {
  mode: DeployMode;
  env: string;
  run: CommandRunner;
  pulumi?: string;
  /** Create stacks that do not exist yet (bootstrap of an environment; `up` only). */
  createMissing?: boolean;
  parallel?: number;
  log?: (line: string) => void;
  /** Absolute path of the policy pack every preview and up runs (`--policy-pack`). */
  policyPack?: string;
}

const NO_STACK = /no stack named/i;
const tail = (text: string, lines = 20): string => text.trim().split('\n').slice(-lines).join('\n');

export function bootstrapHint(stack: string, env: string): string {
  return (
    `stack "${env}" of ${stack} does not exist in this backend. CI never creates stacks: check ` +
    `PULUMI_BACKEND_URL / the Pulumi organization, or create the environment on purpose by running ` +
    `Deploy by hand with "bootstrap" (docs/gitops.md, "Bootstrap").`
  );
}

export async function deployStack(stack: string, root: string, opts: DeployOptions): Promise<StackResult> {
  const pulumi = opts.pulumi ?? 'pulumi';
  const create = opts.mode === 'up' && opts.createMissing === true;
  const select = await opts.run(pulumi, [
    'stack',
    'select',
    opts.env,
    '--cwd',
    root,
    '--non-interactive',
    ...(create ? ['--create'] : []),
  ]);
  if (select.code !== 0) {
    const text = `${select.stderr}${select.stdout}`;
    if (NO_STACK.test(text) && opts.mode === 'preview' && opts.createMissing)
      return {
        stack,
        root,
        outcome: 'new',
        output: `stack ${opts.env} does not exist yet: bootstrap creates it`,
      };
    const error = NO_STACK.test(text) ? bootstrapHint(stack, opts.env) : tail(text);
    return { stack, root, outcome: 'failed', output: text, error };
  }
  const policy = opts.policyPack ? ['--policy-pack', opts.policyPack] : [];
  const args =
    opts.mode === 'preview'
      ? ['preview', '--diff', '--non-interactive', '--stack', opts.env, '--cwd', root, ...policy]
      : ['up', '--yes', '--diff', '--non-interactive', '--stack', opts.env, '--cwd', root, ...policy];
  const result = await opts.run(pulumi, args);
  const output = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`.trim();
  return result.code === 0
    ? { stack, root, outcome: 'ok', counts: parseDiffSummary(result.stdout), output }
    : { stack, root, outcome: 'failed', output, error: tail(result.stderr || result.stdout) };
}

/** Runs `task` over `items` with at most `limit` in flight; results keep the items' order. */
export async function boundedMap<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function deployStacks(
  stacks: readonly string[],
  roots: Record<string, string>,
  opts: DeployOptions,
): Promise<StackResult[]> {
  const missing = stacks.filter((s) => !roots[s]);
  if (missing.length > 0)
    throw new Error(`not Pulumi stack projects of this workspace: ${missing.join(', ')}`);
  let done = 0;
  return boundedMap(stacks, opts.parallel ?? 4, async (stack) => {
    const result = await deployStack(stack, roots[stack], opts);
    opts.log?.(`[${++done}/${stacks.length}] ${opts.mode} ${stack}: ${result.outcome}`);
    return result;
  });
}

const countsText = (c?: ChangeCounts) =>
  c ? `+${c.create} ~${c.update} -${c.delete} ±${c.replace} (${c.same} unchanged)` : '–';

/** The job summary: one row per stack, then each stack's diff folded. Capped below GitHub's 1 MiB. */
export function renderSummary(
  mode: DeployMode,
  env: string,
  results: StackResult[],
  limit = 900_000,
): string {
  const title = mode === 'preview' ? `pulumi preview --diff (${env})` : `pulumi up (${env})`;
  const label: Record<StackOutcome, string> = {
    ok: '✅',
    failed: '❌ failed',
    new: '🆕 created by bootstrap',
  };
  const head = [
    `### ${title}: ${results.length} stack(s)`,
    table(
      ['Stack', 'Result', 'Changes'],
      results.map((r) => [`\`${r.stack}\``, label[r.outcome], countsText(r.counts)]),
    ),
  ].join('\n\n');
  const perStack = Math.max(2_000, Math.floor((limit - head.length) / Math.max(1, results.length)) - 200);
  const details = results.map((r) => {
    const body = r.error ? `${r.error}\n\n${r.output}` : r.output;
    const cut =
      body.length > perStack ? `${body.slice(0, perStack)}\n… (cut; the job log has the rest)` : body;
    return `<details><summary>${r.stack}</summary>\n\n${fence(cut || '(no output)', 'diff')}\n\n</details>`;
  });
  return `${[head, ...details].join('\n\n')}\n`;
}

export function stackRoots(graph: ProjectGraph): Record<string, string> {
  return Object.fromEntries(
    Object.values(graph.nodes)
      .filter((n) => n.data.tags?.includes('stack'))
      .map((n) => [n.name, n.data.root]),
  );
}

export interface MainDeps {
  run?: CommandRunner;
  graph?: () => Promise<ProjectGraph>;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export async function main(argv = process.argv, deps: MainDeps = {}): Promise<number> {
  const opts = new Command('deploy-stacks')
    .requiredOption('--mode <mode>', 'preview (diff to the job summary) or up')
    .requiredOption('--env <name>', 'environment = Pulumi stack name')
    .requiredOption('--stacks <list>', 'comma-separated stack projects (a shard of one layer)')
    .option('--parallel <n>', 'stacks deployed at the same time', '4')
    .option('--create-missing', 'create stacks that do not exist (bootstrap of an environment)', false)
    .option('--pulumi <bin>', 'pulumi executable', 'pulumi')
    .option('--policy-pack <dir>', 'policy pack every preview and up runs', 'packages/policy')
    .parse(argv)
    .opts<{
      mode: string;
      env: string;
      stacks: string;
      parallel: string;
      createMissing: boolean;
      pulumi: string;
      policyPack: string;
    }>();
  // Absolute: pulumi resolves a relative pack path after --cwd has moved it into the project.
  const policyPack = resolve(opts.policyPack);
  if (!existsSync(join(policyPack, 'PulumiPolicy.yaml')))
    throw new Error(`--policy-pack ${opts.policyPack}: no PulumiPolicy.yaml in ${policyPack}`);
  if (opts.mode !== 'preview' && opts.mode !== 'up')
    throw new Error(`--mode must be preview or up, got "${opts.mode}"`);
  const parallel = Number(opts.parallel);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new Error(`--parallel must be a positive integer, got "${opts.parallel}"`);
  const stacks = opts.stacks
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (stacks.length === 0) throw new Error('--stacks names no stack');

  const run = deps.run ?? spawnRunner;
  const graph = await (deps.graph ?? (() => readProjectGraph(spawnRunner)))();
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const results = await deployStacks(stacks, stackRoots(graph), {
    mode: opts.mode,
    env: opts.env,
    run,
    pulumi: opts.pulumi,
    createMissing: opts.createMissing,
    parallel,
    log,
    policyPack,
  });
  for (const r of results) {
    log(`::group::${opts.mode} ${r.stack} (${r.outcome})`);
    log(r.output);
    log('::endgroup::');
    if (r.error) log(`::error title=${r.stack}::${r.error.replace(/\r?\n/g, '%0A')}`);
  }
  const summaryFile = (deps.env ?? process.env).GITHUB_STEP_SUMMARY;
  const summary = renderSummary(opts.mode, opts.env, results);
  if (summaryFile) appendFileSync(summaryFile, summary);
  else process.stdout.write(summary);
  return results.some((r) => r.outcome === 'failed') ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`deploy-stacks: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
