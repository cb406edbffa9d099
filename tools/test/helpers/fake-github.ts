/**
 * An in-memory GitHub REST API for issue comments, served through the `fetch` the CI scripts
 * accept. Paginates like GitHub (per_page, page, Link rel="next") and records every request.
 */
import type { FetchLike, FetchResponse, Issue, IssueComment } from '../../src/ci/github';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

const response = (status: number, data: unknown, headers: Record<string, string> = {}): FetchResponse => ({
  ok: status >= 200 && status < 300,
  status,
  headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
  json: async () => data,
  text: async () => JSON.stringify(data),
});

export class FakeGitHub {
  readonly base = 'https://api.github.test';
  readonly requests: RecordedRequest[] = [];
  private nextId = 1000;
  /** Comments per "owner/name#issue". */
  readonly comments = new Map<string, IssueComment[]>();

  constructor(readonly token = 'test-token') {}

  /** Issues per "owner/name". */
  readonly issues = new Map<string, Issue[]>();
  private nextNumber = 1;

  seed(repo: string, issue: number, bodies: string[], login = 'someone'): IssueComment[] {
    const list = this.comments.get(`${repo}#${issue}`) ?? [];
    for (const body of bodies) list.push({ id: this.nextId++, body, user: { login } });
    this.comments.set(`${repo}#${issue}`, list);
    return list;
  }

  seedIssue(repo: string, issue: Omit<Issue, 'number'> & { labels?: string[] }): Issue {
    const created = { state: 'open', ...issue, number: this.nextNumber++ };
    this.issues.set(repo, [...(this.issues.get(repo) ?? []), created]);
    return created;
  }

  issuesOf(repo: string): (Issue & { labels?: string[] })[] {
    return this.issues.get(repo) ?? [];
  }

  list(repo: string, issue: number): IssueComment[] {
    return this.comments.get(`${repo}#${issue}`) ?? [];
  }

  readonly fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const query = Object.fromEntries(u.searchParams.entries());
    const body = init.body === undefined ? undefined : JSON.parse(init.body);
    this.requests.push({ method: init.method, path: u.pathname, query, body });
    if (u.origin !== this.base) return response(404, { message: `unknown host ${u.origin}` });
    if (init.headers.authorization !== `Bearer ${this.token}`)
      return response(401, { message: 'Bad credentials' });

    const issues = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(u.pathname);
    if (issues && init.method === 'GET') {
      const all = this.issuesOf(issues[1]).filter(
        (i) =>
          (!query.state || i.state === query.state) &&
          (!query.labels || query.labels.split(',').every((l) => i.labels?.includes(l))) &&
          (!query.creator || i.user?.login === query.creator),
      );
      return response(200, all.slice(0, Math.min(Number(query.per_page ?? 30), 100)));
    }
    if (issues && init.method === 'POST') {
      const b = body as { title: string; body: string; labels?: string[] };
      return response(
        201,
        this.seedIssue(issues[1], { ...b, user: { login: 'github-actions[bot]', type: 'Bot' } }),
      );
    }
    const oneIssue = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(u.pathname);
    if (oneIssue && init.method === 'PATCH') {
      const found = this.issuesOf(oneIssue[1]).find((i) => i.number === Number(oneIssue[2]));
      if (!found) return response(404, { message: 'Not Found' });
      Object.assign(found, body);
      return response(200, found);
    }
    const list = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(u.pathname);
    if (list && init.method === 'GET') {
      const all = this.list(list[1], Number(list[2]));
      const perPage = Math.min(Number(query.per_page ?? 30), 100);
      const page = Number(query.page ?? 1);
      const items = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) =>
        `<${this.base}${u.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first')] : []),
      ];
      return response(200, items, links.length ? { link: links.join(', ') } : {});
    }
    if (list && init.method === 'POST') {
      const comment = {
        id: this.nextId++,
        body: (body as { body: string }).body,
        user: { login: 'github-actions[bot]', type: 'Bot' },
      };
      const key = `${list[1]}#${list[2]}`;
      this.comments.set(key, [...this.list(list[1], Number(list[2])), comment]);
      return response(201, {
        ...comment,
        html_url: `https://github.test/${list[1]}/pull/${list[2]}#issuecomment-${comment.id}`,
      });
    }
    const one = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(u.pathname);
    if (one && init.method === 'PATCH') {
      for (const comments of this.comments.values()) {
        const found = comments.find((c) => c.id === Number(one[2]));
        if (found) {
          found.body = (body as { body: string }).body;
          return response(200, { ...found, html_url: `https://github.test/comment/${found.id}` });
        }
      }
      return response(404, { message: 'Not Found' });
    }
    return response(404, { message: `no route ${init.method} ${u.pathname}` });
  };
}
