import type { FetchLike } from '../src/ci/github';
import { FAILURE_LABEL, main } from '../src/ci/notify-failure';
import { FakeGitHub } from './helpers/fake-github';

const REPO = 'org/hubspoke';

/** Routes the webhook host to a recorder and everything else to the fake GitHub. */
function network(gh: FakeGitHub, webhookStatus = 200) {
  const posts: { url: string; body: unknown }[] = [];
  const fetch: FetchLike = async (url, init) => {
    if (url.startsWith('https://hooks.test/')) {
      posts.push({ url, body: JSON.parse(init.body ?? 'null') });
      return {
        ok: webhookStatus < 300,
        status: webhookStatus,
        headers: { get: () => null },
        json: async () => ({}),
        text: async () => '',
      };
    }
    return gh.fetch(url, init);
  };
  return { fetch, posts };
}

const argv = (run: number) => [
  'node',
  'notify-failure',
  '--repo',
  REPO,
  '--workflow',
  'Deploy',
  '--run-url',
  `https://github.test/${REPO}/actions/runs/${run}`,
  '--sha',
  '0123456789abcdef0123',
];

describe('notify-failure', () => {
  const quiet = () => jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

  it('opens one issue per workflow, then comments on it for each further failure', async () => {
    const gh = new FakeGitHub();
    const { fetch } = network(gh);
    const spy = quiet();
    try {
      const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.base };
      expect(await main(argv(1), env, fetch)).toMatchObject({ issue: 'opened', webhook: 'not configured' });
      expect(await main(argv(2), env, fetch)).toMatchObject({ issue: 'updated' });
    } finally {
      spy.mockRestore();
    }
    const issues = gh.issuesOf(REPO);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: 'Deploy failed', labels: [FAILURE_LABEL], state: 'open' });
    expect(issues[0].body).toContain('actions/runs/2');
    expect(gh.list(REPO, issues[0].number).map((c) => c.body)).toEqual([
      `Failed again: https://github.test/${REPO}/actions/runs/2`,
    ]);
  });

  it('posts to the webhook when one is configured', async () => {
    const gh = new FakeGitHub();
    const { fetch, posts } = network(gh);
    const spy = quiet();
    try {
      const env = {
        GITHUB_TOKEN: gh.token,
        GITHUB_API_URL: gh.base,
        NOTIFY_WEBHOOK_URL: 'https://hooks.test/x',
      };
      expect(await main(argv(3), env, fetch)).toMatchObject({ webhook: 'posted' });
    } finally {
      spy.mockRestore();
    }
    expect(posts).toEqual([
      {
        url: 'https://hooks.test/x',
        body: {
          text: `Deploy failed at 0123456789ab: https://github.test/${REPO}/actions/runs/3 (issue #1)`,
        },
      },
    ]);
  });

  it('a broken webhook is a warning: the issue is still the record', async () => {
    const gh = new FakeGitHub();
    const { fetch } = network(gh, 500);
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((l) => {
      lines.push(String(l));
      return true;
    });
    try {
      const env = {
        GITHUB_TOKEN: gh.token,
        GITHUB_API_URL: gh.base,
        NOTIFY_WEBHOOK_URL: 'https://hooks.test/x',
      };
      expect(await main(argv(4), env, fetch)).toMatchObject({ issue: 'opened', webhook: 'failed' });
    } finally {
      spy.mockRestore();
    }
    expect(lines.join('')).toContain('::warning::failure webhook: webhook answered 500');
  });

  it('needs a token', async () => {
    await expect(main(argv(5), {}, network(new FakeGitHub()).fetch)).rejects.toThrow(/GITHUB_TOKEN/);
  });
});
