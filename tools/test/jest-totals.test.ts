/**
 * CI's closing totals line (tools/ci/jest-totals.js): a project whose report is missing or
 * unreadable is a failure, and the projects that must report are the ones Nx knows with a `test`
 * target, so a crashed runner or a new project can never make the line look green.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Totals {
  passed: number;
  failed: number;
  problems: string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { expectedProjects, totals } = require('../ci/jest-totals.js') as {
  expectedProjects: (root?: string) => string[];
  totals: (dir: string, expected: string[]) => Totals;
};

const ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'tools/ci/jest-totals.js');

function reports(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubspoke-jest-'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, `${name}.json`), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
const report = (passed: number, failed = 0, extra: object = {}) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numRuntimeErrorTestSuites: 0,
  success: failed === 0,
  ...extra,
});

describe('totals', () => {
  it('sums the reports of the expected projects', () => {
    const dir = reports({ a: report(3), b: report(2, 1) });
    expect(totals(dir, ['a', 'b'])).toEqual({ passed: 5, failed: 1, problems: [] });
  });

  it('counts a missing report as one failure, naming the project', () => {
    const dir = reports({ a: report(3) });
    const t = totals(dir, ['a', 'b']);
    expect(t).toMatchObject({ passed: 3, failed: 1 });
    expect(t.problems).toEqual([expect.stringMatching(/^b: no report \(.*b\.json\)/)]);
  });

  it('counts an unreadable report, a suite that could not run and a failed run without failing tests', () => {
    const dir = reports({
      broken: '{ "numPassedTests": ',
      crashed: report(0, 0, { numRuntimeErrorTestSuites: 2, success: false }),
      leaked: report(4, 0, { success: false }),
    });
    const t = totals(dir, ['broken', 'crashed', 'leaked']);
    expect(t).toMatchObject({ passed: 4, failed: 1 + 2 + 1 });
    expect(t.problems).toEqual([
      expect.stringMatching(/^broken: unreadable report/),
      'leaked: Jest reported the run as failed without a failing test',
    ]);
  });

  it('with no reports at all, every expected project fails', () => {
    expect(totals(join(tmpdir(), 'hubspoke-no-such-dir'), ['a', 'b', 'c'])).toMatchObject({ failed: 3 });
  });
});

describe('the projects that must report', () => {
  it('are every project.json with a test target, as Nx lists them', () => {
    const files = execFileSync('git', ['ls-files', '*project.json'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const withTest = files
      .map((f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { name: string; targets?: object })
      .filter((p) => p.targets && 'test' in p.targets)
      .map((p) => p.name)
      .sort();
    expect(withTest.length).toBeGreaterThan(5);
    expect(expectedProjects(ROOT)).toEqual(withTest);
  }, 60_000);
});

describe('the command CI runs', () => {
  it('prints the totals line and exits 1 when a project left no report, naming it', () => {
    const [missing, ...present] = expectedProjects(ROOT);
    const dir = reports(Object.fromEntries(present.map((p) => [p, report(2)])));
    const run = spawnSync(process.execPath, [SCRIPT, dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.trim()).toBe(`${present.length * 2} passed, 1 failed`);
    expect(run.stderr).toContain(`jest-totals: ${missing}: no report`);
    expect(run.status).toBe(1);
  }, 60_000);

  it('exits 0 when every project reported and nothing failed', () => {
    const dir = reports(Object.fromEntries(expectedProjects(ROOT).map((p) => [p, report(1)])));
    const run = spawnSync(process.execPath, [SCRIPT, dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.trim()).toMatch(/^\d+ passed, 0 failed$/);
    expect(run.status).toBe(0);
  }, 60_000);
  it('with --projects, expects a report from each named project only, and refuses an unknown name', () => {
    const [first, second] = expectedProjects(ROOT);
    const dir = reports({ [first!]: report(3) });
    const run = (projects: string) =>
      spawnSync(process.execPath, [SCRIPT, dir, '--projects', projects], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const one = run(first!);
    expect(one.stdout.trim()).toBe('3 passed, 0 failed');
    expect(one.status).toBe(0);
    const two = run(`${first},${second}`);
    expect(two.stdout.trim()).toBe('3 passed, 1 failed');
    expect(two.stderr).toContain(`jest-totals: ${second}: no report`);
    const bad = run('no-such-project');
    expect(bad.stderr).toContain('not a project with a test target: no-such-project');
    expect(bad.status).toBe(1);
  }, 120_000);
});
