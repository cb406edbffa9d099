/**
 * The few GitHub REST calls the CI scripts make, over an injectable `fetch` so tests can run them
 * against an in-memory fake of the API.
 */

export interface FetchResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<FetchResponse>;

export interface IssueComment {
  id: number;
  body?: string;
  html_url?: string;
  user?: { login: string; type?: string } | null;
}

export interface Issue {
  number: number;
  title: string;
  body?: string | null;
  state?: string;
  html_url?: string;
  user?: { login: string; type?: string } | null;
  pull_request?: unknown;
}

/** The user GitHub shows as the author of what a workflow's GITHUB_TOKEN writes. */
export const ACTIONS_BOT = 'github-actions[bot]';

export interface GitHubClientOptions {
  token: string;
  /** $GITHUB_API_URL on GitHub Enterprise Server. */
  apiUrl?: string;
  fetch?: FetchLike;
  /** Page size for list calls (GitHub's maximum is 100). */
  perPage?: number;
}

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

export function parseRepo(repo: string): { owner: string; name: string } {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(repo);
  if (!m) throw new Error(`repository must be owner/name, got "${repo}"`);
  return { owner: m[1], name: m[2] };
}

export class GitHubClient {
  private readonly apiUrl: string;
  private readonly fetch: FetchLike;
  readonly perPage: number;

  constructor(private readonly options: GitHubClientOptions) {
    if (!options.token) throw new Error('a GitHub token is required (GITHUB_TOKEN)');
    this.apiUrl = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.fetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.perPage = options.perPage ?? 100;
  }

  private async send(method: string, pathOrUrl: string, body?: unknown): Promise<FetchResponse> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.apiUrl}${pathOrUrl}`;
    const response = await this.fetch(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.options.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'hubspoke-ci',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const hint =
        response.status === 403 || response.status === 404
          ? ' (does the job have `pull-requests: write`? Tokens of fork PRs are read-only.)'
          : '';
      throw new Error(`GitHub ${method} ${url} failed: ${response.status} ${text.slice(0, 300)}${hint}`);
    }
    return response;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.send(method, path, body)).json()) as T;
  }

  /** Yields page after page, following the Link header GitHub returns (never guessing page counts). */
  async *pages<T>(path: string): AsyncGenerator<T[]> {
    let url: string | undefined = `${path}${path.includes('?') ? '&' : '?'}per_page=${this.perPage}`;
    while (url) {
      const response = await this.send('GET', url);
      const page = (await response.json()) as T[];
      if (!Array.isArray(page)) throw new Error(`GitHub GET ${url}: expected a list`);
      yield page;
      url = nextLink(response.headers.get('link'));
    }
  }

  issueCommentsPath(repo: string, issue: number): string {
    const { owner, name } = parseRepo(repo);
    return `/repos/${owner}/${name}/issues/${issue}/comments`;
  }

  issuesPath(repo: string): string {
    const { owner, name } = parseRepo(repo);
    return `/repos/${owner}/${name}/issues`;
  }

  /** Open issues (never pull requests) with `label`, created by `creator`, every page. */
  async openIssues(repo: string, label: string, creator: string): Promise<Issue[]> {
    const query = `state=open&labels=${encodeURIComponent(label)}&creator=${encodeURIComponent(creator)}`;
    const found: Issue[] = [];
    for await (const page of this.pages<Issue>(`${this.issuesPath(repo)}?${query}`))
      found.push(...page.filter((i) => !i.pull_request));
    return found;
  }

  createIssue(repo: string, issue: { title: string; body: string; labels: string[] }): Promise<Issue> {
    return this.request('POST', this.issuesPath(repo), issue);
  }

  updateIssue(
    repo: string,
    number: number,
    patch: { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' },
  ): Promise<Issue> {
    return this.request('PATCH', `${this.issuesPath(repo)}/${number}`, patch);
  }

  createIssueComment(repo: string, issue: number, body: string): Promise<IssueComment> {
    return this.request('POST', this.issueCommentsPath(repo, issue), { body });
  }

  updateIssueComment(repo: string, id: number, body: string): Promise<IssueComment> {
    const { owner, name } = parseRepo(repo);
    return this.request('PATCH', `/repos/${owner}/${name}/issues/comments/${id}`, { body });
  }
}

/**
 * The first comment on the PR whose body starts with `marker` and whose author is `author` (the
 * workflow's own bot: anyone can paste the marker into a comment, and that one must not be
 * edited), searching every page.
 */
export async function findCommentByMarker(
  client: GitHubClient,
  repo: string,
  issue: number,
  marker: string,
  author = ACTIONS_BOT,
): Promise<IssueComment | undefined> {
  for await (const page of client.pages<IssueComment>(client.issueCommentsPath(repo, issue))) {
    const hit = page.find((c) => c.user?.login === author && (c.body ?? '').trimStart().startsWith(marker));
    if (hit) return hit;
  }
  return undefined;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url?: string;
}

/** One comment per PR: update the one carrying `marker` written by `author`, or create it. */
export async function upsertComment(
  client: GitHubClient,
  repo: string,
  issue: number,
  marker: string,
  body: string,
  author = ACTIONS_BOT,
): Promise<UpsertResult> {
  if (!body.trimStart().startsWith(marker))
    throw new Error('comment body must start with its marker, or the next run cannot find it');
  const existing = await findCommentByMarker(client, repo, issue, marker, author);
  const comment = existing
    ? await client.updateIssueComment(repo, existing.id, body)
    : await client.createIssueComment(repo, issue, body);
  return { action: existing ? 'updated' : 'created', id: comment.id, url: comment.html_url };
}

/** The open issue with `label` whose body starts with `marker`, opened by `author`. */
export async function findIssueByMarker(
  client: GitHubClient,
  repo: string,
  label: string,
  marker: string,
  author = ACTIONS_BOT,
): Promise<Issue | undefined> {
  const issues = await client.openIssues(repo, label, author);
  return issues.find((i) => i.user?.login === author && (i.body ?? '').trimStart().startsWith(marker));
}
