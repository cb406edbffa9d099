/**
 * One tracking issue per subject (a drifted stack, a failing workflow), found again by a hidden
 * marker at the start of its body and by its author, the workflow's bot: opened when the problem
 * appears, updated (with a comment, so watchers are notified) while it lasts, closed when it is gone.
 */
import { ACTIONS_BOT, findIssueByMarker, type GitHubClient, type Issue } from './github';

export interface TrackedIssue {
  repo: string;
  label: string;
  /** Hidden HTML comment the body starts with, unique to the subject. */
  marker: string;
  title: string;
  author?: string;
}

export type IssueAction = 'opened' | 'updated' | 'closed' | 'none';

export async function raiseIssue(
  client: GitHubClient,
  tracked: TrackedIssue,
  body: string,
  update: string,
): Promise<{ action: IssueAction; issue: Issue }> {
  const full = `${tracked.marker}\n${body}`;
  const existing = await findIssueByMarker(
    client,
    tracked.repo,
    tracked.label,
    tracked.marker,
    tracked.author ?? ACTIONS_BOT,
  );
  if (!existing) {
    const issue = await client.createIssue(tracked.repo, {
      title: tracked.title,
      body: full,
      labels: [tracked.label],
    });
    return { action: 'opened', issue };
  }
  const issue = await client.updateIssue(tracked.repo, existing.number, { body: full });
  await client.createIssueComment(tracked.repo, existing.number, update);
  return { action: 'updated', issue };
}

export async function resolveIssue(
  client: GitHubClient,
  tracked: TrackedIssue,
  comment: string,
): Promise<{ action: IssueAction; issue?: Issue }> {
  const existing = await findIssueByMarker(
    client,
    tracked.repo,
    tracked.label,
    tracked.marker,
    tracked.author ?? ACTIONS_BOT,
  );
  if (!existing) return { action: 'none' };
  await client.createIssueComment(tracked.repo, existing.number, comment);
  const issue = await client.updateIssue(tracked.repo, existing.number, {
    state: 'closed',
    state_reason: 'completed',
  });
  return { action: 'closed', issue };
}
