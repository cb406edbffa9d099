/**
 * The runner stand-in itself, on a fixture repository with one job per behaviour it must
 * reproduce from GitHub's runner, and on this repository's install.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile, parsePathFile } from './runner/files';
import { expandMatrix, runWorkflow, shellCommand, type RunReport } from './runner/runner';
import { nxSetShasStandIn, offlineActions, setupNodeStandIn } from './runner/stand-ins';
import { checkout, linkInstalledPackages, lockMismatches, takeSnapshot } from './runner/workspace';
import { repoRoot } from './helpers/workflows';

jest.setTimeout(120_000);

function fixtureRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runner-fixture-'));
  cpSync(join(__dirname, 'fixtures/runner-repo'), dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
  return dir;
}

const stepsOf = (report: RunReport, job: string, run = 0) =>
  report.jobs[job].runs[run].steps.map((s) => `${s.conclusion}: ${s.name}`);

describe('runner stand-in on the fixture workflow', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runWorkflow({
      repoRoot: fixtureRepo(),
      workflow: 'fixture.yml',
      event: { name: 'push', payload: {} },
      actions: offlineActions,
    });
  });

  it('runs steps in order with env levels, GITHUB_OUTPUT/ENV/PATH/STEP_SUMMARY, shells and working directory', () => {
    expect(stepsOf(report, 'first')).toEqual([
      'success: actions/checkout@0000000000000000000000000000000000000000',
      'success: actions/setup-node@0000000000000000000000000000000000000000',
      'success: echo "word=$GREETING-$JOB_VAR-$STEP_VAR" >> "$GITHUB_OUTPUT"',
      'success: env file, path file and the env context reach later steps',
      'success: no pipefail by default',
      'success: pipefail with shell bash',
      'success: outcome and conclusion of a continue-on-error step',
      'success: working directory',
      'success: ./.github/actions/greet',
      'success: composite output',
      'success: upload',
    ]);
    const first = report.jobs.first.runs[0];
    expect(first.outputs).toEqual({ word: 'hello-job-step', multi: 'line 1\nline 2' });
    expect(first.summary).toBe('## summary line\n');
    expect(first.steps[5].outcome).toBe('failure');
    // The composite's second step has `if: failure()`: skipped after a success.
    expect(first.steps[8].steps?.map((s) => s.conclusion)).toEqual(['success', 'skipped']);
  });

  it('expands the matrix with include, names each job, and passes needs outputs and artifacts', () => {
    expect(report.jobs.matrix.runs.map((r) => [r.name, r.result])).toEqual([
      ['M 1', 'success'],
      ['M 2', 'success'],
      ['M 3x', 'success'],
    ]);
  });

  it('a failing step fails the job, skips the next steps but not failure() ones, and skips dependants', () => {
    expect(report.jobs.failing.result).toBe('failure');
    expect(stepsOf(report, 'failing')).toEqual([
      'failure: exit 3',
      'skipped: after the failure',
      'success: on failure',
    ]);
    expect(report.jobs['after-failing'].result).toBe('skipped');
    expect(report.jobs.always.result).toBe('success');
    expect(report.result).toBe('failure');
  });

  it('kills a step at its timeout-minutes', () => {
    expect(report.jobs.slow.result).toBe('failure');
    expect(report.jobs.slow.runs[0].steps[0].log).toContain('(timed out)');
  });

  it('an action without a stand-in fails its step instead of passing silently', () => {
    expect(report.jobs.cloud.result).toBe('failure');
    expect(report.jobs.cloud.runs[0].steps[0].log).toContain(
      'no stand-in for aws-actions/configure-aws-credentials: this step cannot run offline',
    );
  });
});

describe('runner stand-in pieces', () => {
  it('reads GITHUB_OUTPUT in both forms, and GITHUB_PATH last line first', () => {
    expect(parseOutputFile('a=1\nb<<X\nline\n=x\nX\nc=d=e\n')).toEqual({ a: '1', b: 'line\n=x', c: 'd=e' });
    expect(() => parseOutputFile('b<<X\nnever closed\n')).toThrow("matching delimiter not found 'X'");
    expect(() => parseOutputFile('no equals sign\n')).toThrow('invalid format');
    expect(parsePathFile('/a\n/b\n')).toEqual(['/b', '/a']);
  });

  it("uses GitHub's shell commands", () => {
    expect(shellCommand(undefined, 'f')).toEqual(['bash', '-e', 'f']);
    expect(shellCommand('bash', 'f')).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', 'f']);
    expect(shellCommand('sh', 'f')).toEqual(['sh', '-e', 'f']);
    expect(shellCommand('perl {0}', 'f')).toEqual(['perl', 'f']);
    expect(() => shellCommand('pwsh', 'f')).toThrow('not supported');
  });

  it('expands matrices like GitHub (product, exclude, include)', () => {
    expect(expandMatrix({ env: ['dev', 'prod'] })).toEqual([{ env: 'dev' }, { env: 'prod' }]);
    expect(expandMatrix({ a: [1, 2], b: ['x', 'y'], exclude: [{ a: 2, b: 'y' }] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
    ]);
    expect(expandMatrix({ a: [1], include: [{ a: 1, c: 'extra' }, { a: 9 }] })).toEqual([
      { a: 1, c: 'extra' },
      { a: 9 },
    ]);
    expect(expandMatrix({ shard: [] })).toEqual([]);
    expect(() => expandMatrix({ shard: 'not a list' })).toThrow('matrix.shard must be a list');
  });

  it('setup-node stands in only for the Node major on PATH', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    writeFileSync(join(workspace, '.nvmrc'), '18\n');
    const ctx = { action: 'actions/setup-node', ref: 'x', workspace, env: { PATH: process.env.PATH ?? '' } };
    const run = {} as never;
    expect(await setupNodeStandIn({ ...ctx, run, with: { 'node-version-file': '.nvmrc' } })).toMatchObject({
      outcome: 'failure',
      log: expect.stringContaining('setup-node would install Node 18'),
    });
    const major = process.versions.node.split('.')[0];
    expect(await setupNodeStandIn({ ...ctx, run, with: { 'node-version': major } })).toMatchObject({
      outcome: 'success',
    });
  });

  it('nx-set-shas on main without a successful run fails when told to, else falls back to HEAD~1', async () => {
    const run = {
      event: { name: 'push', payload: {} },
      snapshot: { head: 'abc', base: 'abc' },
      facts: {},
    } as never;
    const ctx = { action: 'nrwl/nx-set-shas', ref: 'x', workspace: '/', env: {}, run };
    expect(
      await nxSetShasStandIn({ ...ctx, with: { 'error-on-no-successful-workflow': 'true' } }),
    ).toMatchObject({
      outcome: 'failure',
    });
    expect(await nxSetShasStandIn({ ...ctx, with: {} })).toMatchObject({
      env: { NX_BASE: 'abc~1', NX_HEAD: 'abc' },
    });
  });

  it('npm ci refuses a package.json the lock file does not match', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { yaml: '2.9.1' } }));
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({ packages: { '': { dependencies: { yaml: '2.8.0' } } } }),
    );
    expect(lockMismatches(dir)).toEqual([
      '.: dependencies.yaml is 2.9.1 in package.json, 2.8.0 in package-lock.json',
    ]);
    expect(lockMismatches(repoRoot)).toEqual([]);
  });

  it("a checkout of this repository links the installed packages, workspace packages into the job's own copy", () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-'));
    const snapshot = takeSnapshot(repoRoot, dir);
    const workspace = join(dir, 'ws');
    mkdirSync(workspace);
    checkout(snapshot, workspace);
    linkInstalledPackages(repoRoot, workspace);
    expect(realpathSync(join(workspace, 'node_modules/@hubspoke/harness'))).toBe(
      realpathSync(join(workspace, 'packages/harness')),
    );
    expect(realpathSync(join(workspace, 'node_modules/.bin/hubspoke'))).toBe(
      realpathSync(join(workspace, 'apps/integration-tests/bin/hubspoke.js')),
    );
    expect(realpathSync(join(workspace, 'node_modules/yaml'))).toBe(
      realpathSync(join(repoRoot, 'node_modules/yaml')),
    );
  });
});
