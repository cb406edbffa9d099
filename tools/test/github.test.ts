import { findCommentByMarker, GitHubClient, nextLink, parseRepo, upsertComment } from '../src/ci/github';
import { FakeGitHub } from './helpers/fake-github';

const MARKER = '<!-- test:marker -->';
const REPO = 'org/hubspoke';

const clientFor = (gh: FakeGitHub, perPage = 100) =>
  new GitHubClient({ token: gh.token, apiUrl: gh.base, fetch: gh.fetch, perPage });

describe('GitHub client', () => {
  it('parses Link headers', () => {
    expect(nextLink('<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last"')).toBe(
      'https://a/x?page=2',
    );
    expect(nextLink('<https://a/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('validates the repository name', () => {
    expect(parseRepo('org/hubspoke')).toEqual({ owner: 'org', name: 'hubspoke' });
    expect(() => parseRepo('hubspoke')).toThrow('owner/name');
  });

  it('requires a token', () => {
    expect(() => new GitHubClient({ token: '' })).toThrow(/GITHUB_TOKEN/);
  });

  it('finds the marked comment on a later page, following Link headers', async () => {
    const gh = new FakeGitHub();
    gh.seed(
      REPO,
      7,
      Array.from({ length: 5 }, (_, i) => `chatter ${i}`),
    );
    const [, , , , , marked] = gh.seed(REPO, 7, [`${MARKER}\nold preview`], 'github-actions[bot]');
    const found = await findCommentByMarker(clientFor(gh, 2), REPO, 7, MARKER);
    expect(found?.id).toBe(marked.id);
    expect(gh.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  });

  it("edits only the bot's own marked comment: a person's comment starting with the marker is left alone", async () => {
    const gh = new FakeGitHub();
    const [planted] = gh.seed(REPO, 5, [`${MARKER}\nplease approve`], 'mallory');
    const result = await upsertComment(clientFor(gh), REPO, 5, MARKER, `${MARKER}\npreview`);
    expect(result.action).toBe('created');
    expect(gh.list(REPO, 5).map((c) => [c.user?.login, c.body])).toEqual([
      ['mallory', `${MARKER}\nplease approve`],
      ['github-actions[bot]', `${MARKER}\npreview`],
    ]);
    expect(result.id).not.toBe(planted.id);
  });

  it('ignores comments that merely mention the marker later in their body', async () => {
    const gh = new FakeGitHub();
    gh.seed(REPO, 7, [`quoting: ${MARKER}`]);
    expect(await findCommentByMarker(clientFor(gh), REPO, 7, MARKER)).toBeUndefined();
  });

  it('creates the comment when none carries the marker, then updates that one', async () => {
    const gh = new FakeGitHub();
    gh.seed(REPO, 3, ['lgtm']);
    const client = clientFor(gh);
    const first = await upsertComment(client, REPO, 3, MARKER, `${MARKER}\nv1`);
    expect(first.action).toBe('created');
    const second = await upsertComment(client, REPO, 3, MARKER, `${MARKER}\nv2`);
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(gh.list(REPO, 3).map((c) => c.body)).toEqual(['lgtm', `${MARKER}\nv2`]);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
  });

  it('refuses a body without the marker (the next run could not find it)', async () => {
    await expect(upsertComment(clientFor(new FakeGitHub()), REPO, 1, MARKER, 'no marker')).rejects.toThrow(
      /marker/,
    );
  });

  it('reports API errors with status and a hint', async () => {
    const gh = new FakeGitHub('right');
    const client = new GitHubClient({ token: 'wrong', apiUrl: gh.base, fetch: gh.fetch });
    await expect(upsertComment(client, REPO, 1, MARKER, `${MARKER}\nx`)).rejects.toThrow(
      /401 .*Bad credentials/,
    );
  });
});
