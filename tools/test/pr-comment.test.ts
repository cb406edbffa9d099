import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMMENT_LIMIT,
  main,
  MARKER,
  publishComment,
  renderComment,
  shareBudget,
  trimLines,
  type CommentInput,
} from '../src/ci/pr-comment';
import type { PreviewReport, StackPreview } from '../src/ci/preview-stacks';
import { emptyCounts } from '../src/ci/pulumi-preview';
import { readVerifyDir } from '../src/ci/verify-report';
import { FakeGitHub } from './helpers/fake-github';
import { MERMAID, verifyDir } from './helpers/verify-output';

const REPO = 'org/hubspoke';

const stack = (name: string, diffLines: number, status: StackPreview['status'] = 'ok'): StackPreview => ({
  stack: name,
  root: `apps/${name}`,
  status,
  counts: { ...emptyCounts(), update: diffLines, same: 2 },
  diff: Array.from(
    { length: diffLines },
    (_, i) => `~ aws:ec2/route:Route::${name}-route-${i}\n    ~ tags.hubspoke:env`,
  ).join('\n'),
});

const report = (stacks: StackPreview[]): PreviewReport => ({
  env: 'prod',
  layers: [
    stacks.filter((s) => s.stack === 'tgw').map((s) => s.stack),
    stacks.filter((s) => s.stack !== 'tgw').map((s) => s.stack),
  ].filter((l) => l.length > 0),
  stacks,
});

const input = (stacks: StackPreview[], checks?: unknown[]): CommentInput => ({
  env: 'prod',
  preview: report(stacks),
  verify: readVerifyDir(verifyDir(checks)),
  sha: '0123456789abcdef',
  runUrl: 'https://github.test/org/hubspoke/actions/runs/1',
  artifactName: 'pulumi-preview',
});

describe('renderComment', () => {
  it('starts with the marker and holds counts, verify results, the diagram and the diffs', () => {
    const { body, trimmed } = renderComment(input([stack('tgw', 2), stack('spoke-a', 1)]));
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(trimmed).toEqual([]);
    expect(body).toContain('commit `0123456`');
    expect(body).toContain('| `tgw` | 1 | ✅ | 0 | 2 | 0 | 0 | 2 |');
    expect(body).toContain('| `spoke-a` | 2 | ✅ | 0 | 1 | 0 | 0 | 2 |');
    expect(body).toContain('### Offline verify — ✅ all 4 checks passed');
    expect(body).toContain(MERMAID);
    expect(body).toContain('<summary><code>tgw</code> +0 ~2 -0 ±0</summary>');
    expect(body).toContain('~ aws:ec2/route:Route::tgw-route-1');
  });

  it('shows failing checks first, opened, and failed stacks with their error', () => {
    const failed = {
      ...stack('inspection', 0, 'failed'),
      counts: undefined,
      error: 'error: missing config inspection:azs',
    };
    const { body } = renderComment(
      input(
        [failed],
        [
          { id: 'egress-ip', status: 'pass', detail: 'ok' },
          { id: 'deny:example.com:80', status: 'fail', detail: 'passed by | rule 7' },
        ],
      ),
    );
    expect(body).toContain('### Offline verify — ❌ 1 of 2 checks failed');
    expect(body).toContain('<details open><summary>Checks</summary>');
    expect(body.indexOf('deny:example.com:80')).toBeLessThan(body.indexOf('egress-ip'));
    expect(body).toContain('passed by \\| rule 7');
    expect(body).toContain('| `inspection` | 1 | ❌ failed | – | – | – | – | – |');
    expect(body).toContain('> ❌ `inspection`: error: missing config inspection:azs');
  });

  it('opens the checks for a check the model could not decide, as for a failure', () => {
    const { body } = renderComment(
      input(
        [stack('tgw', 1)],
        [
          { id: 'egress-ip', status: 'pass', detail: 'ok' },
          { id: 'inspected-egress', status: 'unknown', detail: 'UNKNOWN: vgw-1 is not modelled' },
        ],
      ),
    );
    expect(body).toContain('### Offline verify — ❌ 1 of 2 could not be decided (not modelled)');
    expect(body).toContain('<details open><summary>Checks</summary>');
    expect(body).toContain('| `inspected-egress` | ❔ unknown | UNKNOWN: vgw-1 is not modelled |');
  });

  it('says when nothing is affected, and when the preview did not run', () => {
    expect(renderComment({ ...input([]) }).body).toContain(
      'No stack is affected by this change: nothing to preview.',
    );
    const none = renderComment({ env: 'prod', previewNote: 'The preview job ended with "failure".' }).body;
    expect(none).toContain('The preview job ended with "failure".');
    expect(none).toContain('The offline verify did not run');
  });

  it('reports a missing or malformed results.json instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-'));
    writeFileSync(join(dir, 'results.json'), '{"checks": [{"id": 1}]}');
    const { body } = renderComment({ env: 'prod', verify: readVerifyDir(dir) });
    expect(body).toContain('checks[0] needs a string id and status');
    expect(
      renderComment({ env: 'prod', verify: readVerifyDir(mkdtempSync(join(tmpdir(), 'none-'))) }).body,
    ).toMatch(/no results\.json in/);
  });

  it('fences diffs that themselves contain backticks', () => {
    const s = { ...stack('tgw', 1), diff: '~ description: "```"' };
    const { body } = renderComment(input([s]));
    expect(body).toContain('````diff\n~ description: "```"\n````');
  });
});

describe('trimming to the comment limit', () => {
  it('trimLines keeps whole lines and says how many were cut', () => {
    const text = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff', 'gggg'].join('\n');
    expect(trimLines(text, 100)).toEqual({ text, cut: 0, total: 7 });
    expect(trimLines(text, 30)).toEqual({ text: 'aaaa\n… 6 more line(s) trimmed', cut: 6, total: 7 });
    expect(trimLines(text, 10).text.length).toBeLessThanOrEqual(10);
    expect(trimLines(text, 0).text).toBe('');
  });

  it('shareBudget gives short texts everything and splits the rest evenly', () => {
    expect(shareBudget([10, 1000, 1000], 610)).toEqual([10, 300, 300]);
    expect(shareBudget([10, 20], 1000)).toEqual([10, 20]);
    expect(shareBudget([10, 20], -5)).toEqual([0, 0]);
  });

  it('fits huge diffs into 65,536 characters with a note of what was cut', () => {
    const big = [stack('tgw', 3000), stack('inspection', 10), stack('spoke-a', 2000)];
    const { body, trimmed } = renderComment(input(big));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT - 2000); // the budget is used, not wasted
    expect(trimmed.map((t) => t.section)).toEqual(['diff of `tgw`', 'diff of `spoke-a`']);
    expect(body).toMatch(
      /✂️ Trimmed to fit GitHub's 65,536-character comment limit \(full output: workflow artifact `pulumi-preview`\)/,
    );
    expect(body).toMatch(/diff of `tgw`: \d+ of 6000 lines shown/);
    // The small diff survives whole; the verify section and diagram are untouched.
    expect(body).toContain('~ aws:ec2/route:Route::inspection-route-9');
    expect(body).toContain(MERMAID);
    expect(body).toContain('more line(s) trimmed');
  });

  it('drops the diagram, then passing checks, before giving up on the verify section', () => {
    const checks = Array.from({ length: 400 }, (_, i) => ({
      id: `east-west:vpc-${i}:vpc-x`,
      status: i === 7 ? 'fail' : 'pass',
      detail: 'x'.repeat(200),
    }));
    const { body, trimmed } = renderComment(input([stack('tgw', 5)], checks), COMMENT_LIMIT);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(trimmed.map((t) => `${t.section}: ${t.detail}`)).toEqual([
      'network diagram: omitted',
      'offline verify: passing checks omitted',
    ]);
    expect(body).toContain('east-west:vpc-7:vpc-x');
    expect(body).not.toContain('east-west:vpc-8:vpc-x');
  });

  it('never exceeds the limit, even when one section alone is too large', () => {
    const checks = Array.from({ length: 2000 }, (_, i) => ({
      id: `deny:host-${i}:443`,
      status: 'fail',
      detail: 'y'.repeat(100),
    }));
    const { body } = renderComment(input([stack('tgw', 5)], checks), 10_000);
    expect(body.length).toBeLessThanOrEqual(10_000);
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain('Comment cut at');
  });
});

describe('publishing against a fake GitHub API', () => {
  it('creates the comment once, then updates it in place on the next push', async () => {
    const gh = new FakeGitHub();
    gh.seed(
      REPO,
      42,
      Array.from({ length: 150 }, (_, i) => `review comment ${i}`),
    );
    const opts = { repo: REPO, pr: 42, token: gh.token, apiUrl: gh.base, fetch: gh.fetch };
    const first = await publishComment(input([stack('tgw', 1)]), opts);
    expect(first.action).toBe('created');
    const second = await publishComment(input([stack('tgw', 2)]), opts);
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const ours = gh.list(REPO, 42).filter((c) => c.body?.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toContain('| `tgw` | 1 | ✅ | 0 | 2 |');
    // 151 comments at 100 per page: the lookup read both pages before updating.
    const lookups = gh.requests.filter((r) => r.method === 'GET').map((r) => r.query.page ?? '1');
    expect(lookups).toEqual(['1', '2', '1', '2']);
  });

  it("updates the comment of the token's own bot only (--bot-login for a GitHub App token)", async () => {
    const gh = new FakeGitHub();
    const [planted] = gh.seed(REPO, 43, [`${MARKER}\nplanted by a person`], 'mallory');
    const ours = gh.seed(REPO, 43, [`${MARKER}\nold`], 'hubspoke-ci[bot]').at(-1)!;
    const opts = {
      repo: REPO,
      pr: 43,
      token: gh.token,
      apiUrl: gh.base,
      fetch: gh.fetch,
      botLogin: 'hubspoke-ci[bot]',
    };
    expect(await publishComment(input([stack('tgw', 1)]), opts)).toMatchObject({
      action: 'updated',
      id: ours.id,
    });
    expect(planted.body).toBe(`${MARKER}\nplanted by a person`);
  });

  it('main renders from the files the workflow downloads (dry run)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'comment-'));
    writeFileSync(join(dir, 'preview.json'), JSON.stringify(report([stack('spoke-b', 1)])));
    const out = join(dir, 'body.md');
    await main(
      [
        'node',
        'pr-comment',
        '--repo',
        REPO,
        '--pr',
        '5',
        '--preview',
        join(dir, 'preview.json'),
        '--verify-dir',
        verifyDir(),
        '--dry-run',
        out,
      ],
      {},
    );
    const body = readFileSync(out, 'utf8');
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain('`spoke-b`');
  });

  it('main explains a missing preview with the note the workflow passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'comment-'));
    const out = join(dir, 'body.md');
    const note = 'No stack is affected by this change, so nothing was previewed.';
    await main(
      [
        'node',
        'pr-comment',
        '--repo',
        REPO,
        '--pr',
        '5',
        '--preview',
        join(dir, 'missing.json'),
        '--preview-note',
        note,
        '--dry-run',
        out,
      ],
      {},
    );
    expect(readFileSync(out, 'utf8')).toContain(note);
    await expect(
      main(['node', 'pr-comment', '--repo', REPO, '--pr', 'abc', '--dry-run', out], {}),
    ).rejects.toThrow(/--pr must be/);
  });
});
