/**
 * Destroys every stack of one environment in reverse dependency order (spokes, then inspection,
 * then tgw), skipping stacks that do not exist. The nightly workflow's safety net after
 * `hubspoke e2e`: it runs on failure and cancellation, when e2e may not have cleaned up.
 *
 *   npx tsx tools/src/ci/teardown-env.ts --env it-<run id>-<attempt>
 */
import { appendFileSync } from 'node:fs';
import { Command } from 'commander';
import { isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { planStacks, STACK_TAG, type StackPlan } from './affected-stacks';
import { spawnRunner, type CommandRunner } from './exec';
import { readProjectGraph, type ProjectGraph } from './graph';

export type TeardownStatus = 'destroyed' | 'absent' | 'failed' | 'blocked';

export interface TeardownResult {
  stack: string;
  status: TeardownStatus;
  error?: string;
}

/** Every stack project of the graph, layered; teardown walks the layers backwards. */
export function allStacks(graph: ProjectGraph): StackPlan {
  return planStacks(
    graph,
    Object.keys(graph.nodes).filter((n) => graph.nodes[n].data.tags?.includes(STACK_TAG)),
  );
}

/** Ephemeral env names only: this must never be pointed at `prod` by a typo in a workflow. */
export function assertEphemeral(env: string): void {
  if (!isEphemeralEnv(env))
    throw new Error(`refusing to tear down "${env}": only ephemeral environments (it-*) are torn down here`);
}

export async function teardownEnv(
  plan: StackPlan,
  env: string,
  run: CommandRunner,
  pulumi = 'pulumi',
): Promise<TeardownResult[]> {
  assertEphemeral(env);
  const results: TeardownResult[] = [];
  let blockedBy: string | undefined;
  for (const layer of [...plan.layers].reverse()) {
    // A stack whose dependents could not be destroyed still has things attached to it.
    if (blockedBy) {
      results.push(
        ...layer.map((stack) => ({
          stack,
          status: 'blocked' as const,
          error: `dependents not destroyed (${blockedBy})`,
        })),
      );
      continue;
    }
    for (const stack of layer) {
      const cwd = plan.roots[stack];
      const select = await run(pulumi, ['stack', 'select', env, '--cwd', cwd, '--non-interactive']);
      if (select.code !== 0) {
        if (/no stack named/i.test(select.stderr + select.stdout)) results.push({ stack, status: 'absent' });
        else results.push({ stack, status: 'failed', error: (select.stderr || select.stdout).trim() });
        continue;
      }
      const destroy = await run(
        pulumi,
        ['destroy', '--yes', '--skip-preview', '--non-interactive', '--stack', env, '--cwd', cwd],
        {
          echoStderr: true,
        },
      );
      if (destroy.code !== 0) {
        results.push({
          stack,
          status: 'failed',
          error: (destroy.stderr || destroy.stdout).trim().split('\n').slice(-5).join('\n'),
        });
        continue;
      }
      // Remove the empty stack so the backend does not accumulate one per nightly run.
      await run(pulumi, ['stack', 'rm', env, '--yes', '--non-interactive', '--cwd', cwd]);
      results.push({ stack, status: 'destroyed' });
    }
    const failed = results
      .filter((r) => layer.includes(r.stack) && r.status === 'failed')
      .map((r) => r.stack);
    if (failed.length > 0) blockedBy = failed.join(', ');
  }
  return results;
}

const ICON: Record<TeardownStatus, string> = {
  destroyed: '✅ destroyed',
  absent: '➖ not present',
  failed: '❌ failed',
  blocked: '⛔ blocked',
};

/** Markdown for $GITHUB_STEP_SUMMARY: what is left behind is the thing to act on. */
export function teardownSummary(env: string, results: TeardownResult[]): string {
  const rows = results.map(
    (r) =>
      `| \`${r.stack}\` | ${ICON[r.status]} | ${(r.error ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')} |`,
  );
  return [
    `## Teardown of \`${env}\``,
    '',
    '| Stack | Result | Detail |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export async function main(argv = process.argv, env = process.env): Promise<number> {
  const opts = new Command('teardown-env')
    .requiredOption('--env <name>', 'ephemeral environment (it-*)')
    .option('--pulumi <bin>', 'pulumi executable', 'pulumi')
    .parse(argv)
    .opts<{ env: string; pulumi: string }>();
  assertEphemeral(opts.env);
  const plan = allStacks(await readProjectGraph(spawnRunner));
  const results = await teardownEnv(plan, opts.env, spawnRunner, opts.pulumi);
  for (const r of results) process.stderr.write(`${r.stack}: ${r.status}${r.error ? ` - ${r.error}` : ''}\n`);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, teardownSummary(opts.env, results));
  return results.some((r) => r.status === 'failed' || r.status === 'blocked') ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`teardown-env: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
