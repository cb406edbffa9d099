/**
 * Drift detection: `pulumi refresh --preview-only --expect-no-changes` on each stack of the shard,
 * and one issue per drifted stack (opened, or updated with the latest diff), closed once a run finds
 * the stack clean again.
 *
 *   GITHUB_TOKEN=... npx tsx tools/src/ci/drift.ts --env prod --stacks tgw,inspection --repo owner/name
 *
 * Drift is reported through the issues, so the run stays green when it finds some; a stack whose
 * refresh fails for another reason (credentials, a missing stack) fails the run (exit 1), which
 * the workflow's failure notification reports.
 */
import { appendFileSync } from 'node:fs';
import { Command } from 'commander';
import { boundedMap, bootstrapHint, stackRoots } from './deploy-stacks';
import { spawnRunner, type CommandRunner } from './exec';
import { GitHubClient, type FetchLike } from './github';
import { readProjectGraph, type ProjectGraph } from './graph';
import { raiseIssue, resolveIssue, type IssueAction, type TrackedIssue } from './issues';
import { fence, table } from './markdown';
import { parseDiffSummary, totalChanges, type ChangeCounts } from './pulumi-preview';

export const DRIFT_LABEL = 'drift';
export type DriftStatus = 'clean' | 'drifted' | 'error';

export interface DriftResult {
  stack: string;
  status: DriftStatus;
  counts?: ChangeCounts;
  output: string;
  issue?: IssueAction;
}

const tail = (text: string, lines = 20): string => text.trim().split('\n').slice(-lines).join('\n');

export async function checkDrift(
  stack: string,
  root: string,
  env: string,
  run: CommandRunner,
  pulumi = 'pulumi',
): Promise<DriftResult> {
  const select = await run(pulumi, ['stack', 'select', env, '--cwd', root, '--non-interactive']);
  if (select.code !== 0) {
    const text = `${select.stderr}${select.stdout}`;
    return {
      stack,
      status: 'error',
      output: /no stack named/i.test(text) ? bootstrapHint(stack, env) : tail(text),
    };
  }
  const result = await run(pulumi, [
    'refresh',
    '--preview-only',
    '--expect-no-changes',
    '--diff',
    '--non-interactive',
    '--stack',
    env,
    '--cwd',
    root,
  ]);
  const counts = parseDiffSummary(result.stdout);
  const output = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`.trim();
  if (result.code === 0) return { stack, status: 'clean', counts, output };
  // --expect-no-changes fails the command when the refresh would change the state: that is drift.
  // Without a Resources summary showing changes, it failed for another reason.
  if (counts && totalChanges(counts) > 0) return { stack, status: 'drifted', counts, output };
  return { stack, status: 'error', counts, output: tail(output) };
}

export const driftIssue = (repo: string, env: string, stack: string): TrackedIssue => ({
  repo,
  label: DRIFT_LABEL,
  marker: `<!-- hubspoke:drift:${env}:${stack} -->`,
  title: `Drift: ${env} stack ${stack} differs from its Pulumi state`,
});

export function driftBody(env: string, r: DriftResult, runUrl?: string): string {
  return [
    `\`pulumi refresh --preview-only\` of stack \`${env}\` of \`${r.stack}\` found resources that were changed outside Pulumi${runUrl ? ` ([run](${runUrl}))` : ''}.`,
    '',
    'Either bring the cloud back to the code (run **Deploy** by hand with `all_stacks`) or adopt the change in code and deploy it. This issue closes itself when a drift run finds the stack clean.',
    '',
    fence(r.output.slice(0, 60_000), 'diff'),
  ].join('\n');
}

export async function reportDrift(
  results: DriftResult[],
  opts: { client: GitHubClient; repo: string; env: string; runUrl?: string },
): Promise<DriftResult[]> {
  const out: DriftResult[] = [];
  for (const r of results) {
    const tracked = driftIssue(opts.repo, opts.env, r.stack);
    const run = opts.runUrl ? ` ([run](${opts.runUrl}))` : '';
    if (r.status === 'drifted') {
      const { action } = await raiseIssue(
        opts.client,
        tracked,
        driftBody(opts.env, r, opts.runUrl),
        `Still drifted${run}.`,
      );
      out.push({ ...r, issue: action });
    } else if (r.status === 'clean') {
      const { action } = await resolveIssue(opts.client, tracked, `No drift any more${run}: closing.`);
      out.push({ ...r, issue: action });
    } else out.push({ ...r, issue: 'none' });
  }
  return out;
}

export function driftSummary(env: string, results: DriftResult[]): string {
  const icon: Record<DriftStatus, string> = { clean: '✅ clean', drifted: '⚠️ drifted', error: '❌ error' };
  return `### Drift of ${env}: ${results.filter((r) => r.status === 'drifted').length} of ${results.length} stack(s) drifted\n\n${table(
    ['Stack', 'Result', 'Issue'],
    results.map((r) => [`\`${r.stack}\``, icon[r.status], r.issue ?? 'none']),
  )}\n`;
}

export interface MainDeps {
  run?: CommandRunner;
  graph?: () => Promise<ProjectGraph>;
  fetch?: FetchLike;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export async function main(argv = process.argv, deps: MainDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const opts = new Command('drift')
    .requiredOption('--env <name>', 'environment = Pulumi stack name')
    .requiredOption('--stacks <list>', 'comma-separated stack projects')
    .requiredOption('--repo <owner/name>', 'repository for the drift issues', env.GITHUB_REPOSITORY)
    .option('--run-url <url>', 'link to the workflow run')
    .option('--parallel <n>', 'stacks refreshed at the same time', '4')
    .option('--pulumi <bin>', 'pulumi executable', 'pulumi')
    .option('--no-issues', 'only report; open, update or close no issue')
    .parse(argv)
    .opts<{
      env: string;
      stacks: string;
      repo: string;
      runUrl?: string;
      parallel: string;
      pulumi: string;
      issues: boolean;
    }>();
  const parallel = Number(opts.parallel);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new Error(`--parallel must be a positive integer, got "${opts.parallel}"`);
  const stacks = opts.stacks
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const roots = stackRoots(await (deps.graph ?? (() => readProjectGraph(spawnRunner)))());
  const unknown = stacks.filter((s) => !roots[s]);
  if (stacks.length === 0 || unknown.length > 0)
    throw new Error(
      `--stacks must name stack projects of this workspace; unknown: ${unknown.join(', ') || '(none given)'}`,
    );
  const client = opts.issues
    ? new GitHubClient({ token: env.GITHUB_TOKEN ?? '', apiUrl: env.GITHUB_API_URL, fetch: deps.fetch })
    : undefined;

  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const run = deps.run ?? spawnRunner;
  let done = 0;
  const checked = await boundedMap(stacks, parallel, async (stack) => {
    const r = await checkDrift(stack, roots[stack], opts.env, run, opts.pulumi);
    log(`[${++done}/${stacks.length}] ${stack}: ${r.status}`);
    return r;
  });
  const results = client
    ? await reportDrift(checked, { client, repo: opts.repo, env: opts.env, runUrl: opts.runUrl })
    : checked;
  for (const r of results.filter((x) => x.status !== 'clean')) {
    log(`::group::${r.stack} (${r.status})`);
    log(r.output);
    log('::endgroup::');
  }
  const summary = driftSummary(opts.env, results);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  else process.stdout.write(summary);
  return results.some((r) => r.status === 'error') ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`drift: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
