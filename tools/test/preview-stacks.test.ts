import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planStacks } from '../src/ci/affected-stacks';
import { spawnRunner, type CommandRunner } from '../src/ci/exec';
import { main, previewStacks, readPlan } from '../src/ci/preview-stacks';
import { digest, fakePulumi, previewedRoots, type FakeStack } from './helpers/fake-pulumi';
import { fixtureGraph } from './helpers/graph';

const POLICY_PACK = resolve(__dirname, '../../packages/policy');
const plan = () => planStacks(fixtureGraph(), ['spoke-b', 'spoke-a', 'inspection', 'tgw']);
const ok = (root: string, ops: Parameters<typeof digest>[1]): FakeStack => ({
  preview: { stdout: JSON.stringify(digest(root, ops)) },
});

describe('previewStacks with a fake pulumi', () => {
  it('selects then previews each stack in dependency order against the env', async () => {
    const { run, calls } = fakePulumi({
      'apps/tgw': ok('tgw', { update: 1, same: 5 }),
      'apps/inspection': ok('inspection', { same: 30 }),
      'apps/spokes/spoke-a': ok('spoke-a', { create: 3 }),
      'apps/spokes/spoke-b': ok('spoke-b', { same: 9 }),
    });
    const report = await previewStacks(plan(), { env: 'prod', run });
    expect(previewedRoots(calls)).toEqual([
      'apps/tgw',
      'apps/inspection',
      'apps/spokes/spoke-a',
      'apps/spokes/spoke-b',
    ]);
    expect(calls.slice(0, 2).map((c) => [c.command, ...c.args].join(' '))).toEqual([
      'pulumi stack select prod --cwd apps/tgw --non-interactive',
      'pulumi preview --diff --json --non-interactive --stack prod --cwd apps/tgw',
    ]);
    expect(
      report.stacks.map((s) => [s.stack, s.status, s.counts?.create, s.counts?.update, s.counts?.same]),
    ).toEqual([
      ['tgw', 'ok', 0, 1, 5],
      ['inspection', 'ok', 0, 0, 30],
      ['spoke-a', 'ok', 3, 0, 0],
      ['spoke-b', 'ok', 0, 0, 9],
    ]);
    expect(report.layers).toEqual([['tgw'], ['inspection'], ['spoke-a', 'spoke-b']]);
  });

  it('keeps going after a failed stack and carries the error', async () => {
    const failing = {
      ...digest('inspection', {}),
      diagnostics: [{ message: 'error: missing required configuration variable', severity: 'error' }],
    };
    const { run, calls } = fakePulumi({
      'apps/tgw': ok('tgw', {}),
      'apps/inspection': { preview: { code: 255, stdout: JSON.stringify(failing) } },
      'apps/spokes/spoke-a': ok('spoke-a', {}),
      'apps/spokes/spoke-b': {
        preview: { code: 255, stdout: '', stderr: 'error: failed to load language plugin nodejs' },
      },
    });
    const report = await previewStacks(plan(), { env: 'prod', run });
    expect(previewedRoots(calls)).toHaveLength(4);
    expect(report.stacks.map((s) => s.status)).toEqual(['ok', 'failed', 'ok', 'failed']);
    expect(report.stacks[1].error).toBe('error: missing required configuration variable');
    expect(report.stacks[3].error).toBe('error: failed to load language plugin nodejs');
  });

  it('marks a stack without state in the env as new instead of failing', async () => {
    const { run, calls } = fakePulumi({ 'apps/spokes/spoke-a': { exists: false } });
    const report = await previewStacks(planStacks(fixtureGraph(), ['spoke-a']), { env: 'prod', run });
    expect(report.stacks).toEqual([expect.objectContaining({ stack: 'spoke-a', status: 'new' })]);
    expect(previewedRoots(calls)).toEqual([]);
  });

  it('falls back to the text summary when the output is not JSON', async () => {
    const text = 'Previewing update (prod)\nResources:\n    + 1 to create\n    4 unchanged\n';
    const { run } = fakePulumi({ 'apps/tgw': { preview: { stdout: text } } });
    const report = await previewStacks(planStacks(fixtureGraph(), ['tgw']), { env: 'prod', run });
    expect(report.stacks[0]).toMatchObject({
      status: 'ok',
      counts: { create: 1, same: 4 },
      diff: text.trim(),
    });
  });
});

describe('preview-stacks main with the executable fake pulumi', () => {
  it('runs real processes, writes preview.json and raw output, and exits 1 when a stack failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    const state = join(dir, 'state.json');
    const log = join(dir, 'calls.log');
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(planStacks(fixtureGraph(), ['tgw', 'spoke-a'])));
    writeFileSync(
      state,
      JSON.stringify({
        'apps/tgw': ok('tgw', { update: 2 }),
        'apps/spokes/spoke-a': { preview: { code: 255, stdout: '', stderr: 'error: boom' } },
      }),
    );
    const fakeBin = join(__dirname, 'fixtures/fake-pulumi.js');
    process.env.FAKE_PULUMI_STATE = state;
    process.env.FAKE_PULUMI_LOG = log;
    const nodeRun: CommandRunner = (_cmd, args, options) =>
      spawnRunner(process.execPath, [fakeBin, ...args], options);
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await main(
        [
          'node',
          'preview-stacks',
          '--plan',
          join(dir, 'plan.json'),
          '--env',
          'prod',
          '--out-dir',
          join(dir, 'out'),
          '--policy-pack',
          POLICY_PACK,
        ],
        nodeRun,
      );
      expect(code).toBe(1);
    } finally {
      quiet.mockRestore();
      delete process.env.FAKE_PULUMI_STATE;
      delete process.env.FAKE_PULUMI_LOG;
    }
    const report = JSON.parse(readFileSync(join(dir, 'out/preview.json'), 'utf8'));
    expect(report.stacks.map((s: { stack: string; status: string }) => `${s.stack}:${s.status}`)).toEqual([
      'tgw:ok',
      'spoke-a:failed',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'out/tgw.preview.json'), 'utf8')).changeSummary).toEqual({
      update: 2,
    });
    const invocations = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).slice(0, 2).join(' '));
    expect(invocations).toEqual(['stack select', 'preview --diff', 'stack select', 'preview --diff']);
    // Every preview runs the policy pack, by absolute path (pulumi resolves it after --cwd).
    const previews = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[])
      .filter((args) => args[0] === 'preview');
    for (const args of previews) expect(args.slice(-2)).toEqual(['--policy-pack', POLICY_PACK]);
  });

  it('refuses a policy pack path without PulumiPolicy.yaml, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(planStacks(fixtureGraph(), ['tgw'])));
    await expect(
      main([
        'node',
        'preview-stacks',
        '--plan',
        join(dir, 'plan.json'),
        '--env',
        'prod',
        '--policy-pack',
        dir,
      ]),
    ).rejects.toThrow(`--policy-pack ${dir}: no PulumiPolicy.yaml in ${dir}`);
  });

  it('rejects a plan file that is not a plan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    writeFileSync(join(dir, 'bad.json'), '{"stacks": []}');
    expect(() => readPlan(join(dir, 'bad.json'))).toThrow(/not a stack plan/);
  });
});
