import { allStacks, assertEphemeral, teardownEnv, teardownSummary } from '../src/ci/teardown-env';
import { fakePulumi } from './helpers/fake-pulumi';
import { fixtureGraph } from './helpers/graph';

const ENV = 'it-987-2';
const destroyed = (calls: { args: string[] }[]) =>
  calls.filter((c) => c.args[0] === 'destroy').map((c) => c.args[c.args.indexOf('--cwd') + 1]);

describe('teardown-env', () => {
  it('destroys spokes, then inspection, then tgw, and removes the stacks', async () => {
    const { run, calls } = fakePulumi({
      'apps/tgw': {},
      'apps/inspection': {},
      'apps/spokes/spoke-a': {},
      'apps/spokes/spoke-b': {},
    });
    const results = await teardownEnv(allStacks(fixtureGraph()), ENV, run);
    expect(destroyed(calls)).toEqual([
      'apps/spokes/spoke-a',
      'apps/spokes/spoke-b',
      'apps/inspection',
      'apps/tgw',
    ]);
    expect(results.every((r) => r.status === 'destroyed')).toBe(true);
    expect(calls.filter((c) => c.args[0] === 'stack' && c.args[1] === 'rm')).toHaveLength(4);
    expect(calls.find((c) => c.args[0] === 'destroy')?.args).toEqual([
      'destroy',
      '--yes',
      '--skip-preview',
      '--non-interactive',
      '--stack',
      ENV,
      '--cwd',
      'apps/spokes/spoke-a',
    ]);
  });

  it('is idempotent: stacks e2e already removed are skipped', async () => {
    const { run, calls } = fakePulumi({
      'apps/tgw': { exists: false },
      'apps/inspection': { exists: false },
      'apps/spokes/spoke-a': {},
      'apps/spokes/spoke-b': { exists: false },
    });
    const results = await teardownEnv(allStacks(fixtureGraph()), ENV, run);
    expect(destroyed(calls)).toEqual(['apps/spokes/spoke-a']);
    expect(results.map((r) => `${r.stack}:${r.status}`)).toEqual([
      'spoke-a:destroyed',
      'spoke-b:absent',
      'inspection:absent',
      'tgw:absent',
    ]);
  });

  it('still tears down sibling spokes after one fails, but keeps what they are attached to', async () => {
    const { run, calls } = fakePulumi({
      'apps/tgw': {},
      'apps/inspection': {},
      'apps/spokes/spoke-a': { destroy: { code: 255, stderr: 'error: DependencyViolation' } },
      'apps/spokes/spoke-b': {},
    });
    const results = await teardownEnv(allStacks(fixtureGraph()), ENV, run);
    expect(destroyed(calls)).toEqual(['apps/spokes/spoke-a', 'apps/spokes/spoke-b']);
    expect(results.map((r) => `${r.stack}:${r.status}`)).toEqual([
      'spoke-a:failed',
      'spoke-b:destroyed',
      'inspection:blocked',
      'tgw:blocked',
    ]);
    expect(results[0].error).toContain('DependencyViolation');
    const md = teardownSummary(ENV, results);
    expect(md).toContain('| `spoke-a` | ❌ failed | error: DependencyViolation |');
    expect(md).toContain('| `tgw` | ⛔ blocked | dependents not destroyed (spoke-a) |');
  });

  it('refuses anything but an ephemeral environment', async () => {
    expect(() => assertEphemeral('prod')).toThrow('refusing to tear down "prod"');
    expect(() => assertEphemeral('it-1-1')).not.toThrow();
    // The contract's rule (lower-case letters, digits, dashes), not a looser copy of it.
    expect(() => assertEphemeral('it-Nightly_1')).toThrow('refusing to tear down "it-Nightly_1"');
    const { run, calls } = fakePulumi({});
    await expect(teardownEnv(allStacks(fixtureGraph()), 'dev', run)).rejects.toThrow(/only ephemeral/);
    expect(calls).toEqual([]);
  });
});
