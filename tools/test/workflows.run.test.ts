/**
 * The workflows run here: the offline jobs of ci.yml and the fork path of pr-preview.yml, executed
 * step by step by the runner stand-in (tools/test/runner) in a checkout of this working tree, so a
 * job that would be red on GitHub is red here first.
 *
 * Stand-ins, and why:
 * - third-party actions: checkout = a clone of the working tree; setup-node = the Node on PATH
 *   (checked against .nvmrc); artifacts = a directory per run; nx-set-shas = the PR's base commit;
 * - `npm ci`: already installed (the repository running this suite was installed by `npm ci` from
 *   the same lock file); the lock file is still checked against every package.json;
 * - `npm test` of ci.yml's check job: runs for one project, because the full suite is the run this
 *   test belongs to (running it again would recurse), and its totals step counts that project;
 *   lint and typecheck run for real.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkflow, type RunOptions, type RunReport, type RunStepStandIn } from './runner/runner';
import { npmCiInstalled, offlineActions } from './runner/stand-ins';
import { repoRoot } from './helpers/workflows';

jest.setTimeout(15 * 60_000);

const NPM_TEST_PROJECT = 'netmodel';
const npmTestOneProject: RunStepStandIn = {
  script: 'npm test',
  reason: `one project (${NPM_TEST_PROJECT}): the full suite is the run this test is part of`,
  replacement: `npm test -- --projects=${NPM_TEST_PROJECT}`,
};
const totalsOfThatProject: RunStepStandIn = {
  script: 'node tools/ci/jest-totals.js reports/jest',
  reason: `totals of the one project the stand-in ran (${NPM_TEST_PROJECT})`,
  replacement: `node tools/ci/jest-totals.js reports/jest --projects ${NPM_TEST_PROJECT}`,
};

const pullRequest = (fork: boolean) => ({
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 12,
      draft: false,
      user: { login: 'contributor' },
      head: {
        ref: 'feature',
        sha: 'head',
        repo: { full_name: fork ? 'contributor/hubspoke' : 'org/hubspoke' },
      },
      base: { ref: 'main', sha: 'base', repo: { full_name: 'org/hubspoke' } },
    },
  },
});

const run = (opts: Partial<RunOptions> & Pick<RunOptions, 'workflow' | 'event'>) =>
  runWorkflow({
    repoRoot,
    actions: offlineActions,
    runSteps: [npmCiInstalled, npmTestOneProject, totalsOfThatProject],
    // Fork pull requests get no secrets.
    secrets: {},
    ...opts,
  });

/** The lines of a failed step worth reading: its FAIL/error lines, else the end of its log. */
function gist(log: string): string {
  const lines = log.trim().split('\n');
  const failing = lines.filter((l) => /\bFAIL\b|error|✗/i.test(l));
  return (failing.length > 0 ? failing.slice(0, 12) : lines.slice(-12)).join('\n');
}

/** Each job's result; a failed job also names its failed steps with what they printed. */
function verdict(report: RunReport): Record<string, string> {
  return Object.fromEntries(
    Object.entries(report.jobs).flatMap(([id, job]) =>
      job.runs.length === 0
        ? [[id, job.result]]
        : job.runs.map((r) => {
            const failed = r.steps
              .filter((s) => s.conclusion === 'failure')
              .map((s) => `\n  ✗ ${s.name}\n${gist(s.log)}`);
            return [r.name, `${r.result}${failed.join('')}`];
          }),
    ),
  );
}

const stepNames = (report: RunReport, job: string, index = 0) =>
  report.jobs[job].runs[index].steps.map((s) => `${s.conclusion}${s.reason ? ' (stand-in)' : ''}: ${s.name}`);

describe('ci.yml on a pull request', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await run({ workflow: 'ci.yml', event: pullRequest(true) });
  });

  it('every job is green', () => {
    expect(verdict(report)).toEqual({
      'Lint, typecheck, test': 'success',
      'Offline verify (dev)': 'success',
      'Offline verify (org)': 'success',
      'Offline verify (prod)': 'success',
    });
  });

  it('lints and typechecks for real, tests one project, totals that project and uploads the reports', () => {
    expect(stepNames(report, 'check')).toEqual([
      expect.stringMatching(/: actions\/checkout@/),
      expect.stringMatching(/: \.\/\.github\/actions\/setup$/),
      expect.stringMatching(/^\w+: Lint$/),
      expect.stringMatching(/^\w+: Typecheck$/),
      expect.stringMatching(/^\w+ \(stand-in\): Test$/),
      expect.stringMatching(/^\w+ \(stand-in\): Test totals$/),
      expect.stringMatching(/^\w+: Upload test reports$/),
    ]);
    const totals = report.jobs.check.runs[0].steps[5].log;
    expect(totals).toMatch(/^[1-9]\d* passed, 0 failed$/m);
  });

  it('each verify job runs hubspoke verify for its environment and writes the step summary', () => {
    expect(report.jobs.verify.runs.map((r) => r.matrix)).toEqual([
      { env: 'dev' },
      { env: 'org' },
      { env: 'prod' },
    ]);
    for (const r of report.jobs.verify.runs) {
      expect(r.steps.map((s) => s.name)).toContain(`Verify ${String(r.matrix.env)} against the mock cloud`);
      expect(r.summary).toContain(`Offline verify (${String(r.matrix.env)})`);
    }
  });
});

describe('pr-preview.yml on a pull request from a fork that changes one spoke', () => {
  let report: RunReport;
  beforeAll(async () => {
    const file = 'apps/spokes/spoke-b/index.ts';
    report = await run({
      workflow: 'pr-preview.yml',
      event: pullRequest(true),
      change: { [file]: `${readFileSync(join(repoRoot, file), 'utf8')}\n// a change of spoke-b\n` },
    });
  });

  it('plans and verifies offline; the preview and the comment, which need credentials, are skipped', () => {
    expect(verdict(report)).toEqual({
      'Affected stacks': 'success',
      'PR offline verify (prod)': 'success',
      preview: 'skipped',
      comment: 'skipped',
    });
  });

  it('the plan job finds the changed spoke through Nx and publishes it', () => {
    expect(report.jobs.plan.runs[0].outputs).toEqual({ any: 'true', order: '["spoke-b"]' });
  });
});

describe('a job that is red on GitHub is red here', () => {
  it('a broken stack config fails the offline verify of that environment', async () => {
    const report = await run({
      workflow: 'ci.yml',
      event: pullRequest(true),
      only: ['verify'],
      change: {
        'apps/tgw/Pulumi.dev.yaml': 'config:\n  aws:region: us-east-1\n  tgw:supernet: not-a-cidr\n',
      },
    });
    const dev = report.jobs.verify.runs.find((r) => r.matrix.env === 'dev');
    expect(dev?.result).toBe('failure');
    expect(dev?.steps.find((s) => s.conclusion === 'failure')?.name).toBe(
      'Verify dev against the mock cloud',
    );
    expect(report.jobs.check.result).toBe('skipped');
  });
});
