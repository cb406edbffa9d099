import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDrift, DRIFT_LABEL, driftIssue, main } from '../src/ci/drift';
import type { CommandRunner } from '../src/ci/exec';
import { FakeGitHub } from './helpers/fake-github';
import { fixtureGraph } from './helpers/graph';

const REPO = 'org/hubspoke';
const CLEAN = 'Previewing refresh (prod):\nResources:\n    14 unchanged\n';
const DRIFTED = [
  'Previewing refresh (prod):',
  '  ~ aws:ec2/securityGroup:SecurityGroup probe-sg refresh [diff: ~ingress]',
  'Resources:',
  '    ~ 1 to update',
  '    13 unchanged',
  '',
].join('\n');
const EXPECTED = 'error: no changes were expected but changes were proposed';

type Behaviour = 'clean' | 'drifted' | 'missing' | 'denied';

/** `pulumi` whose refresh of each project root behaves as given (Pulumi's exit codes and texts). */
function fakePulumi(byRoot: Record<string, Behaviour>) {
  const calls: string[][] = [];
  const run: CommandRunner = async (_cmd, args) => {
    calls.push([...args]);
    const b = byRoot[args[args.indexOf('--cwd') + 1]];
    if (args[0] === 'stack')
      return b === 'missing'
        ? { code: 255, stdout: '', stderr: "error: no stack named 'prod' found" }
        : { code: 0, stdout: '', stderr: '' };
    if (b === 'clean') return { code: 0, stdout: CLEAN, stderr: '' };
    if (b === 'drifted') return { code: 255, stdout: DRIFTED, stderr: EXPECTED };
    return {
      code: 255,
      stdout: '',
      stderr: 'error: AccessDenied: not authorized to perform ec2:DescribeVpcs',
    };
  };
  return { run, calls };
}

async function runDrift(
  gh: FakeGitHub,
  byRoot: Record<string, Behaviour>,
  stacks = 'tgw,inspection,spoke-a',
) {
  const pulumi = fakePulumi(byRoot);
  const summary = join(mkdtempSync(join(tmpdir(), 'drift-')), 'summary.md');
  const code = await main(
    ['node', 'drift', '--env', 'prod', '--stacks', stacks, '--repo', REPO, '--run-url', 'https://run/1'],
    {
      run: pulumi.run,
      graph: async () => fixtureGraph(),
      fetch: gh.fetch,
      env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.base, GITHUB_STEP_SUMMARY: summary },
      log: () => undefined,
    },
  );
  return { code, calls: pulumi.calls, summary: readFileSync(summary, 'utf8') };
}

describe('checkDrift', () => {
  it('runs refresh --preview-only --expect-no-changes on the selected stack, never creating it', async () => {
    const { run, calls } = fakePulumi({ 'apps/tgw': 'clean' });
    expect((await checkDrift('tgw', 'apps/tgw', 'prod', run)).status).toBe('clean');
    expect(calls).toEqual([
      ['stack', 'select', 'prod', '--cwd', 'apps/tgw', '--non-interactive'],
      [
        'refresh',
        '--preview-only',
        '--expect-no-changes',
        '--diff',
        '--non-interactive',
        '--stack',
        'prod',
        '--cwd',
        'apps/tgw',
      ],
    ]);
  });

  it('tells drift (changes proposed) from a refresh that failed', async () => {
    const drifted = await checkDrift('tgw', 'apps/tgw', 'prod', fakePulumi({ 'apps/tgw': 'drifted' }).run);
    expect(drifted).toMatchObject({ status: 'drifted', counts: { update: 1, same: 13 } });
    const denied = await checkDrift('tgw', 'apps/tgw', 'prod', fakePulumi({ 'apps/tgw': 'denied' }).run);
    expect(denied).toMatchObject({ status: 'error', output: expect.stringContaining('AccessDenied') });
    const missing = await checkDrift('tgw', 'apps/tgw', 'prod', fakePulumi({ 'apps/tgw': 'missing' }).run);
    expect(missing).toMatchObject({
      status: 'error',
      output: expect.stringContaining('CI never creates stacks'),
    });
  });
});

describe('drift issues', () => {
  it('opens one issue per drifted stack, updates it while drift lasts, closes it when gone', async () => {
    const gh = new FakeGitHub();
    const first = await runDrift(gh, {
      'apps/tgw': 'drifted',
      'apps/inspection': 'clean',
      'apps/spokes/spoke-a': 'drifted',
    });
    expect(first.code).toBe(0);
    const open = () => gh.issuesOf(REPO).filter((i) => i.state === 'open');
    expect(open().map((i) => i.title)).toEqual([
      'Drift: prod stack tgw differs from its Pulumi state',
      'Drift: prod stack spoke-a differs from its Pulumi state',
    ]);
    expect(open()[0].labels).toEqual([DRIFT_LABEL]);
    expect(open()[0].body).toContain('~ aws:ec2/securityGroup:SecurityGroup probe-sg refresh');
    expect(first.summary).toContain('2 of 3 stack(s) drifted');

    // Next night: tgw still drifted, spoke-a repaired.
    await runDrift(gh, { 'apps/tgw': 'drifted', 'apps/inspection': 'clean', 'apps/spokes/spoke-a': 'clean' });
    expect(open().map((i) => i.title)).toEqual(['Drift: prod stack tgw differs from its Pulumi state']);
    expect(gh.issuesOf(REPO)).toHaveLength(2);
    const [tgw, spoke] = gh.issuesOf(REPO);
    expect(gh.list(REPO, tgw.number).map((c) => c.body)).toEqual(['Still drifted ([run](https://run/1)).']);
    expect(spoke.state).toBe('closed');
    expect(gh.list(REPO, spoke.number).map((c) => c.body)).toEqual([
      'No drift any more ([run](https://run/1)): closing.',
    ]);
  });

  it('ignores a look-alike issue opened by a person', async () => {
    const gh = new FakeGitHub();
    const planted = gh.seedIssue(REPO, {
      title: 'fake',
      body: `${driftIssue(REPO, 'prod', 'tgw').marker}\nclose me`,
      labels: [DRIFT_LABEL],
      user: { login: 'mallory' },
    });
    await runDrift(gh, { 'apps/tgw': 'clean' }, 'tgw');
    expect(planted.state).toBe('open');
    await runDrift(gh, { 'apps/tgw': 'drifted' }, 'tgw');
    expect(gh.issuesOf(REPO)).toHaveLength(2);
    expect(planted.body).toContain('close me');
  });

  it('a refresh that fails for another reason fails the run and opens no drift issue', async () => {
    const gh = new FakeGitHub();
    const r = await runDrift(gh, {
      'apps/tgw': 'denied',
      'apps/inspection': 'clean',
      'apps/spokes/spoke-a': 'clean',
    });
    expect(r.code).toBe(1);
    expect(gh.issuesOf(REPO)).toEqual([]);
    expect(r.summary).toContain('| `tgw` | ❌ error | none |');
  });

  it('rejects unknown stacks before refreshing anything', async () => {
    const gh = new FakeGitHub();
    await expect(runDrift(gh, {}, 'tgw,spoke-z')).rejects.toThrow('unknown: spoke-z');
  });
});
