/**
 * Failure notification of the unattended workflows (deploy, nightly, drift): opens an issue for
 * the workflow, or comments on the one already open so it is not lost in a pile of duplicates,
 * and posts to a webhook (Slack-compatible `{"text": ...}`) when NOTIFY_WEBHOOK_URL is set.
 *
 *   GITHUB_TOKEN=... npx tsx tools/src/ci/notify-failure.ts --repo owner/name --workflow Deploy --run-url <url>
 */
import { Command } from 'commander';
import { GitHubClient, type FetchLike } from './github';
import { raiseIssue, type IssueAction, type TrackedIssue } from './issues';

export const FAILURE_LABEL = 'ci-failure';

export const failureIssue = (repo: string, workflow: string): TrackedIssue => ({
  repo,
  label: FAILURE_LABEL,
  marker: `<!-- hubspoke:failure:${workflow} -->`,
  title: `${workflow} failed`,
});

export interface Failure {
  repo: string;
  workflow: string;
  runUrl: string;
  sha?: string;
}

export function failureText(f: Failure): string {
  return `${f.workflow} failed${f.sha ? ` at ${f.sha.slice(0, 12)}` : ''}: ${f.runUrl}`;
}

export async function postWebhook(url: string, text: string, fetchImpl: FetchLike): Promise<void> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}

export interface NotifyResult {
  issue: IssueAction;
  number: number;
  webhook: 'posted' | 'not configured' | 'failed';
}

export async function notifyFailure(
  f: Failure,
  opts: { client: GitHubClient; webhookUrl?: string; fetch: FetchLike; warn?: (line: string) => void },
): Promise<NotifyResult> {
  const text = failureText(f);
  const { action, issue } = await raiseIssue(
    opts.client,
    failureIssue(f.repo, f.workflow),
    [
      `The latest failed run of **${f.workflow}**: ${f.runUrl}${f.sha ? ` (commit ${f.sha})` : ''}.`,
      '',
      'Each further failure adds a comment here. Close this issue once the workflow is green again.',
    ].join('\n'),
    `Failed again: ${f.runUrl}`,
  );
  let webhook: NotifyResult['webhook'] = 'not configured';
  if (opts.webhookUrl) {
    try {
      await postWebhook(opts.webhookUrl, `${text} (issue #${issue.number})`, opts.fetch);
      webhook = 'posted';
    } catch (error) {
      // The issue is the record; a broken webhook is worth a warning, not a second failure.
      webhook = 'failed';
      opts.warn?.(`::warning::failure webhook: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { issue: action, number: issue.number, webhook };
}

export async function main(
  argv = process.argv,
  env: NodeJS.ProcessEnv = process.env,
  fetchImpl: FetchLike = globalThis.fetch as unknown as FetchLike,
): Promise<NotifyResult> {
  const opts = new Command('notify-failure')
    .requiredOption('--repo <owner/name>', 'repository', env.GITHUB_REPOSITORY)
    .requiredOption('--workflow <name>', 'workflow name (one issue per workflow)', env.GITHUB_WORKFLOW)
    .requiredOption('--run-url <url>', 'link to the failed run')
    .option('--sha <sha>', 'commit of the run', env.GITHUB_SHA)
    .parse(argv)
    .opts<{ repo: string; workflow: string; runUrl: string; sha?: string }>();
  const client = new GitHubClient({
    token: env.GITHUB_TOKEN ?? '',
    apiUrl: env.GITHUB_API_URL,
    fetch: fetchImpl,
  });
  const result = await notifyFailure(
    { repo: opts.repo, workflow: opts.workflow, runUrl: opts.runUrl, sha: opts.sha },
    {
      client,
      webhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
      fetch: fetchImpl,
      warn: (l) => process.stderr.write(`${l}\n`),
    },
  );
  process.stderr.write(`failure issue #${result.number} ${result.issue}; webhook ${result.webhook}\n`);
  return result;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`notify-failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
