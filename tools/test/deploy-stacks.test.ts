import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { boundedMap, main, renderSummary, type StackResult } from '../src/ci/deploy-stacks';
import type { CommandRunner } from '../src/ci/exec';
import { fixtureGraph } from './helpers/graph';

const DIFF = [
  '  ~ aws:ec2/route:Route r update',
  'Resources:',
  '    ~ 1 to update',
  '    12 unchanged',
  '',
].join('\n');

/** A pulumi stand-in with per-root stack existence and per-command exit codes; records calls. */
function fake(opts: { missing?: string[]; failUp?: string[]; delayMs?: number } = {}) {
  const calls: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run: CommandRunner = async (_cmd, args) => {
    calls.push([...args]);
    const root = args[args.indexOf('--cwd') + 1];
    if (args[0] === 'stack') {
      const exists = !opts.missing?.includes(root) || args.includes('--create');
      return exists
        ? { code: 0, stdout: '', stderr: '' }
        : { code: 255, stdout: '', stderr: "error: no stack named 'prod' found" };
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
    inFlight--;
    if (args[0] === 'up' && opts.failUp?.includes(root))
      return { code: 255, stdout: 'Updating...', stderr: 'error: creating route: RouteAlreadyExists' };
    return { code: 0, stdout: DIFF, stderr: '' };
  };
  return { run, calls, maxInFlight: () => maxInFlight };
}

async function runMain(args: string[], f: ReturnType<typeof fake>) {
  const summary = join(mkdtempSync(join(tmpdir(), 'deploy-')), 'summary.md');
  const log: string[] = [];
  const code = await main(['node', 'deploy-stacks', ...args], {
    run: f.run,
    graph: async () => fixtureGraph(),
    env: { GITHUB_STEP_SUMMARY: summary },
    log: (l) => log.push(l),
  });
  return { code, summary: readFileSync(summary, 'utf8'), log: log.join('\n') };
}

describe('deploy-stacks', () => {
  it('previews each stack of the shard into the job summary, selecting without --create', async () => {
    const f = fake();
    const r = await runMain(['--mode', 'preview', '--env', 'prod', '--stacks', 'spoke-a,spoke-b'], f);
    expect(r.code).toBe(0);
    expect(f.calls).toContainEqual([
      'stack',
      'select',
      'prod',
      '--cwd',
      'apps/spokes/spoke-a',
      '--non-interactive',
    ]);
    expect(f.calls).toContainEqual([
      'preview',
      '--diff',
      '--non-interactive',
      '--stack',
      'prod',
      '--cwd',
      'apps/spokes/spoke-b',
      // the policy pack, by absolute path (pulumi resolves it after --cwd): default packages/policy
      '--policy-pack',
      resolve(__dirname, '../../packages/policy'),
    ]);
    expect(f.calls.flat()).not.toContain('--create');
    expect(r.summary).toContain('### pulumi preview --diff (prod): 2 stack(s)');
    expect(r.summary).toContain('| `spoke-a` | ✅ | +0 ~1 -0 ±0 (12 unchanged) |');
    expect(r.summary).toContain('~ aws:ec2/route:Route r update');
  });

  it('a missing stack fails with the bootstrap hint and is never created by CI', async () => {
    const f = fake({ missing: ['apps/tgw'] });
    const r = await runMain(['--mode', 'up', '--env', 'prod', '--stacks', 'tgw'], f);
    expect(r.code).toBe(1);
    expect(f.calls).toEqual([['stack', 'select', 'prod', '--cwd', 'apps/tgw', '--non-interactive']]);
    expect(r.log).toContain('::error title=tgw::stack "prod" of tgw does not exist in this backend');
    expect(r.summary).toContain('| `tgw` | ❌ failed | – |');
  });

  it('bootstrap (--create-missing) creates the stack on up, and the preview says it is new', async () => {
    const up = fake({ missing: ['apps/tgw'] });
    expect(
      (await runMain(['--mode', 'up', '--env', 'prod', '--stacks', 'tgw', '--create-missing'], up)).code,
    ).toBe(0);
    expect(up.calls[0]).toEqual([
      'stack',
      'select',
      'prod',
      '--cwd',
      'apps/tgw',
      '--non-interactive',
      '--create',
    ]);
    expect(up.calls[1][0]).toBe('up');
    expect(up.calls[1].slice(-2)).toEqual(['--policy-pack', resolve(__dirname, '../../packages/policy')]);

    const preview = fake({ missing: ['apps/tgw'] });
    const r = await runMain(
      ['--mode', 'preview', '--env', 'prod', '--stacks', 'tgw', '--create-missing'],
      preview,
    );
    expect(r.code).toBe(0);
    expect(preview.calls.flat()).not.toContain('--create');
    expect(r.summary).toContain('🆕 created by bootstrap');
  });

  it('runs up for every stack of the shard, at most --parallel at once, and fails if one failed', async () => {
    const stacks = ['tgw', 'inspection', 'spoke-a', 'spoke-b'];
    const f = fake({ failUp: ['apps/inspection'], delayMs: 20 });
    const r = await runMain(
      ['--mode', 'up', '--env', 'prod', '--stacks', stacks.join(','), '--parallel', '2'],
      f,
    );
    expect(r.code).toBe(1);
    expect(f.calls.filter((c) => c[0] === 'up')).toHaveLength(4);
    expect(f.maxInFlight()).toBe(2);
    expect(r.log).toContain('::error title=inspection::error: creating route: RouteAlreadyExists');
    expect(r.summary).toContain('| `inspection` | ❌ failed | – |');
  });

  it('rejects bad arguments before running anything', async () => {
    const f = fake();
    await expect(runMain(['--mode', 'destroy', '--env', 'prod', '--stacks', 'tgw'], f)).rejects.toThrow(
      '--mode must be preview or up, got "destroy"',
    );
    await expect(
      runMain(['--mode', 'up', '--env', 'prod', '--stacks', 'tgw', '--parallel', '0'], f),
    ).rejects.toThrow('--parallel must be a positive integer, got "0"');
    await expect(runMain(['--mode', 'up', '--env', 'prod', '--stacks', 'spoke-z'], f)).rejects.toThrow(
      'not Pulumi stack projects of this workspace: spoke-z',
    );
    expect(f.calls).toEqual([]);
  });
});

describe('boundedMap', () => {
  it('keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let max = 0;
    const out = await boundedMap([5, 1, 4, 2, 3], 3, async (n) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(max).toBe(3);
  });
});

describe('renderSummary', () => {
  it('stays under the cap with 50 huge diffs, noting the cut', () => {
    const results: StackResult[] = Array.from({ length: 50 }, (_, i) => ({
      stack: `spoke-${i}`,
      root: `apps/spokes/spoke-${i}`,
      outcome: 'ok',
      output: 'x'.repeat(100_000),
    }));
    const md = renderSummary('preview', 'prod', results, 200_000);
    expect(md.length).toBeLessThan(200_000);
    expect(md).toContain('(cut; the job log has the rest)');
  });
});
