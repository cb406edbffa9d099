import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, simulate } from './helpers/expr';
import {
  actionNames,
  loadAction,
  loadWorkflow,
  needsOf,
  readWorkflowText,
  repoRoot,
  SAME_REPO,
  usesAws,
  usesSecrets,
  workflowFiles,
  type Job,
} from './helpers/workflows';

const all = () => workflowFiles().map((file) => ({ file, wf: loadWorkflow(file) }));
const jobsOf = () =>
  all().flatMap(({ file, wf }) => Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })));
const envName = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
const ok = { success: true, failure: false, cancelled: false };

describe('permissions', () => {
  it.each(workflowFiles())('%s denies everything at the top and grants per job', (file) => {
    const wf = loadWorkflow(file);
    expect(wf.permissions).toEqual({});
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect({ id, permissions: typeof job.permissions }).toEqual({ id, permissions: 'object' });
    }
  });

  it('jobs using AWS have id-token: write and a GitHub environment', () => {
    const aws = jobsOf().filter(({ job }) => usesAws(job));
    expect(aws.map(({ file, id }) => `${file}:${id}`).sort()).toEqual([
      'deploy.yml:layer-0',
      'deploy.yml:layer-1',
      'deploy.yml:layer-2',
      'deploy.yml:verify',
      'nightly-integration.yml:e2e',
      'nightly-integration.yml:sweep',
      'nightly-integration.yml:teardown',
      'pr-preview.yml:preview',
    ]);
    for (const { file, id, job } of aws) {
      expect({
        job: `${file}:${id}`,
        idToken: (job.permissions as Record<string, string>)['id-token'],
        env: Boolean(envName(job)),
      }).toEqual({
        job: `${file}:${id}`,
        idToken: 'write',
        env: true,
      });
    }
  });

  it('jobs not using AWS get no id-token', () => {
    for (const { file, id, job } of jobsOf().filter(({ job }) => !usesAws(job))) {
      expect({
        job: `${file}:${id}`,
        idToken: (job.permissions as Record<string, string>)['id-token'],
      }).toEqual({
        job: `${file}:${id}`,
        idToken: undefined,
      });
    }
  });

  it('write scopes are only id-token (AWS jobs) and pull-requests (the PR comment)', () => {
    const writes = jobsOf().flatMap(({ file, id, job }) =>
      Object.entries(job.permissions as Record<string, string>)
        .filter(([, level]) => level === 'write')
        .map(([scope]) => `${file}:${id}:${scope}`),
    );
    expect(writes.filter((w) => !w.endsWith(':id-token'))).toEqual(['pr-preview.yml:comment:pull-requests']);
  });

  it('deploys run in the prod environment, previews in a separate one', () => {
    const deploy = loadWorkflow('deploy.yml');
    for (const id of ['layer-0', 'layer-1', 'layer-2', 'verify'])
      expect(envName(deploy.jobs[id])).toBe('prod');
    expect(envName(loadWorkflow('pr-preview.yml').jobs.preview)).toBe('preview');
  });
});

describe('run hygiene', () => {
  it.each(workflowFiles())('%s sets a concurrency group', (file) => {
    expect(loadWorkflow(file).concurrency?.group).toEqual(expect.any(String));
  });

  it('every job has a timeout (a hung pulumi must not hold the prod lock for 6 hours)', () => {
    const missing = jobsOf()
      .filter(({ job }) => typeof (job as { 'timeout-minutes'?: number })['timeout-minutes'] !== 'number')
      .map(({ file, id }) => `${file}:${id}`);
    expect(missing).toEqual([]);
  });
});

describe('pinned actions', () => {
  const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;
  const usesIn = (steps: { uses?: string }[] | undefined) =>
    (steps ?? []).flatMap((s) => (s.uses ? [s.uses] : []));
  const everyUse = () => [
    ...jobsOf().flatMap(({ job }) => usesIn(job.steps)),
    ...actionNames().flatMap((name) => usesIn(loadAction(name).runs.steps)),
  ];

  it('every action is local or pinned to a version tag or a full commit SHA', () => {
    const uses = everyUse();
    expect(uses.length).toBeGreaterThan(20);
    expect(uses.filter((u) => !u.startsWith('./') && !PINNED.test(u))).toEqual([]);
  });

  it('the pin check rejects branches and floating refs', () => {
    for (const bad of [
      'actions/checkout@main',
      'actions/checkout',
      'pulumi/actions@latest',
      'org/repo@feature/x',
    ]) {
      expect(PINNED.test(bad)).toBe(false);
    }
  });

  it('local actions referenced by workflows exist', () => {
    const local = new Set(
      jobsOf()
        .flatMap(({ job }) => usesIn(job.steps))
        .filter((u) => u.startsWith('./.github/actions/')),
    );
    expect([...local].map((u) => u.replace('./.github/actions/', '')).sort()).toEqual(actionNames());
  });
});

describe('composite actions', () => {
  it.each(['setup', 'pulumi', 'aws'])('%s is a composite action whose run steps name their shell', (name) => {
    const action = loadAction(name);
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps.filter((s) => s.run)) expect(step.shell).toBe('bash');
  });

  it('setup takes Node from .nvmrc, the line package.json engines require, and runs npm ci with the npm cache', () => {
    const steps = loadAction('setup').runs.steps;
    const nodeSteps = steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(nodeSteps.map((s) => s.with?.['node-version-file'])).toEqual(['.nvmrc']);
    expect(nodeSteps.every((s) => s.with?.cache === 'npm')).toBe(true);
    const nvmrc = readFileSync(join(repoRoot, '.nvmrc'), 'utf8').trim();
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(nvmrc).toBe('24');
    expect(pkg.engines.node).toBe(`>=${nvmrc}`);
    expect(steps.some((s) => /\bnpm ci\b/.test(s.run ?? ''))).toBe(true);
  });

  it('pulumi pins the CLI to the @pulumi/pulumi version of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const action = loadAction('pulumi');
    expect(action.inputs?.['pulumi-version']?.default).toBe(pkg.dependencies['@pulumi/pulumi']);
    expect(
      action.runs.steps.find((s) => s.uses?.startsWith('pulumi/actions@'))?.with?.['pulumi-version'],
    ).toBe('${{ inputs.pulumi-version }}');
  });

  it('aws assumes a role through OIDC (no access keys)', () => {
    const action = loadAction('aws');
    const configure = action.runs.steps.find((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(configure?.with).toMatchObject({
      'role-to-assume': '${{ inputs.role-to-assume }}',
      'aws-region': '${{ inputs.aws-region }}',
    });
    expect(JSON.stringify(action)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });
});

describe('fork pull requests', () => {
  it('no workflow uses pull_request_target', () => {
    for (const file of workflowFiles()) {
      expect(Object.keys(loadWorkflow(file).on)).not.toContain('pull_request_target');
      expect(readWorkflowText(file)).not.toContain('pull_request_target:');
    }
  });

  it('jobs of pull_request workflows that use secrets, AWS or a write token are guarded by a same-repo condition', () => {
    const guarded: string[] = [];
    for (const { file, wf } of all().filter(({ wf }) => 'pull_request' in wf.on)) {
      for (const [id, job] of Object.entries(wf.jobs)) {
        const writes = Object.values(job.permissions as Record<string, string>).includes('write');
        if (usesSecrets(job) || usesAws(job) || writes) {
          expect({ job: `${file}:${id}`, if: job.if ?? '' }).toEqual({
            job: `${file}:${id}`,
            if: expect.stringContaining(SAME_REPO),
          });
          guarded.push(`${file}:${id}`);
        }
      }
    }
    expect(guarded.sort()).toEqual(['pr-preview.yml:comment', 'pr-preview.yml:preview']);
  });

  it('a fork PR runs the offline verify only', () => {
    const results = simulate(loadWorkflow('pr-preview.yml'), {
      values: {
        'github.event.pull_request.head.repo.full_name': 'someone/fork',
        'github.repository': 'org/hubspoke',
        'needs.plan.outputs.any': 'true',
      },
    });
    expect(results).toEqual({ plan: 'success', verify: 'success', preview: 'skipped', comment: 'skipped' });
  });

  it('a same-repo PR previews, and comments even when the preview fails', () => {
    const values = {
      'github.event.pull_request.head.repo.full_name': 'org/hubspoke',
      'github.repository': 'org/hubspoke',
      'needs.plan.outputs.any': 'true',
    };
    const wf = loadWorkflow('pr-preview.yml');
    expect(simulate(wf, { values })).toEqual({
      plan: 'success',
      verify: 'success',
      preview: 'success',
      comment: 'success',
    });
    expect(simulate(wf, { values, outcomes: { preview: 'failure', verify: 'failure' } }).comment).toBe(
      'success',
    );
    expect(simulate(wf, { values: { ...values, 'needs.plan.outputs.any': 'false' } })).toMatchObject({
      preview: 'skipped',
      comment: 'success',
    });
  });
});

describe('script injection', () => {
  // Fields a PR author controls (title, body, branch names, labels...) must reach scripts through
  // env, never be pasted into a `run:` by ${{ }} interpolation.
  const SAFE =
    /^(github\.(repository|run_id|run_attempt|server_url|event\.pull_request\.(number|head\.sha))|matrix\.env|env\.\w+)$/;

  it('run steps interpolate only trusted, non-free-text values', () => {
    const unsafe = jobsOf().flatMap(({ file, id, job }) =>
      (job.steps ?? []).flatMap((step) =>
        [...(step.run ?? '').matchAll(/\$\{\{\s*([^}]+?)\s*\}\}/g)]
          .map((m) => m[1])
          .filter((expr) => !SAFE.test(expr))
          .map((expr) => `${file}:${id}: ${expr}`),
      ),
    );
    expect(unsafe).toEqual([]);
  });

  it('the check catches a PR title in a script', () => {
    expect(SAFE.test('github.event.pull_request.title')).toBe(false);
    expect(SAFE.test('github.head_ref')).toBe(false);
  });
});

describe('pr-preview.yml', () => {
  const wf = () => loadWorkflow('pr-preview.yml');

  it('takes the base SHA from nrwl/nx-set-shas and previews prod in dependency order', () => {
    const plan = wf().jobs.plan;
    expect(plan.steps?.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    expect(plan.steps?.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@'))).toBe(true);
    expect(runs(plan)).toContain('tools/src/ci/affected-stacks.ts --base "$NX_BASE" --head "$NX_HEAD"');
    expect(wf().env?.TARGET_ENV).toBe('prod');
    expect(runs(wf().jobs.preview)).toContain(
      'tools/src/ci/preview-stacks.ts --plan reports/plan/plan.json --env "$TARGET_ENV"',
    );
  });

  it('runs the offline verify and upserts one comment', () => {
    expect(runs(wf().jobs.verify)).toContain(
      'npx hubspoke verify --env "$TARGET_ENV" --out-dir reports/verify',
    );
    expect(runs(wf().jobs.comment)).toContain('tools/src/ci/pr-comment.ts');
    expect(needsOf(wf().jobs.comment).sort()).toEqual(['plan', 'preview', 'verify']);
  });

  it('cancels superseded runs of the same PR', () => {
    expect(wf().concurrency).toEqual({
      group: 'pr-preview-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
  });
});

describe('deploy.yml', () => {
  const wf = () => loadWorkflow('deploy.yml');

  it('runs on push to main (or by hand on main), in one prod concurrency group that queues instead of cancelling', () => {
    expect(Object.keys(wf().on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(wf().on.push).toEqual({ branches: ['main'] });
    expect(
      evaluate(String(wf().jobs.plan.if), { values: { 'github.ref': 'refs/heads/feature' }, status: ok }),
    ).toBe(false);
    expect(
      evaluate(String(wf().jobs.plan.if), { values: { 'github.ref': 'refs/heads/main' }, status: ok }),
    ).toBe(true);
    expect(runs(wf().jobs.plan)).toContain('affected-stacks.ts --all --max-layers 3');
    expect(wf().concurrency).toEqual({ group: 'deploy-prod', 'cancel-in-progress': false });
    for (const job of Object.values(wf().jobs)) expect(job.concurrency).toBeUndefined();
  });

  it('deploys layer by layer: tgw -> inspection -> spokes as a matrix, one stack per job', () => {
    const jobs = wf().jobs;
    expect(needsOf(jobs['layer-0'])).toEqual(['plan']);
    expect(needsOf(jobs['layer-1'])).toEqual(['plan', 'layer-0']);
    expect(needsOf(jobs['layer-2'])).toEqual(['plan', 'layer-1']);
    for (const [i, id] of ['layer-0', 'layer-1', 'layer-2'].entries()) {
      expect(jobs[id].strategy?.matrix?.stack).toBe(`\${{ fromJSON(needs.plan.outputs.layer_${i}) }}`);
      expect(jobs.plan.outputs?.[`layer_${i}`]).toBe(`\${{ steps.affected.outputs.layer_${i} }}`);
      // Nx's `up` depends on ^up; without this flag every spoke job would re-run tgw and inspection.
      const up = jobs[id].steps?.find((s) =>
        (s.run ?? '').includes('npx nx run "$STACK:up" --exclude-task-dependencies'),
      );
      expect(up?.env?.STACK).toBe('${{ matrix.stack }}');
    }
    expect(runs(jobs.plan)).toContain('--max-layers 3');
    expect(jobs.plan.steps?.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@'))).toBe(true);
  });

  it('a failed layer stops every later layer and the live verify', () => {
    const values = {
      'github.ref': 'refs/heads/main',
      'needs.plan.outputs.any': 'true',
      'needs.plan.outputs.layer_0': '["tgw"]',
      'needs.plan.outputs.layer_1': '["inspection"]',
      'needs.plan.outputs.layer_2': '["spoke-a","spoke-b"]',
    };
    expect(simulate(wf(), { values })).toEqual({
      plan: 'success',
      'layer-0': 'success',
      'layer-1': 'success',
      'layer-2': 'success',
      verify: 'success',
    });
    expect(simulate(wf(), { values, outcomes: { 'layer-0': 'failure' } })).toMatchObject({
      'layer-1': 'skipped',
      'layer-2': 'skipped',
      verify: 'skipped',
    });
    expect(simulate(wf(), { values, outcomes: { 'layer-1': 'failure' } })).toMatchObject({
      'layer-2': 'skipped',
      verify: 'skipped',
    });
    expect(simulate(wf(), { values, outcomes: { 'layer-2': 'failure' } }).verify).toBe('skipped');
    // A manual run from another branch deploys nothing.
    const elsewhere = simulate(wf(), { values: { ...values, 'github.ref': 'refs/heads/feature' } });
    expect(Object.values(elsewhere)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('a change to one spoke deploys that layer only and still verifies', () => {
    const values = {
      'github.ref': 'refs/heads/main',
      'needs.plan.outputs.any': 'true',
      'needs.plan.outputs.layer_0': '["spoke-a"]',
      'needs.plan.outputs.layer_1': '[]',
      'needs.plan.outputs.layer_2': '[]',
    };
    expect(simulate(wf(), { values })).toEqual({
      plan: 'success',
      'layer-0': 'success',
      'layer-1': 'skipped',
      'layer-2': 'skipped',
      verify: 'success',
    });
    const none = { ...values, 'needs.plan.outputs.any': 'false', 'needs.plan.outputs.layer_0': '[]' };
    expect(simulate(wf(), { values: none }).verify).toBe('skipped');
  });

  it('verifies the deployed env through the SDK', () => {
    expect(runs(wf().jobs.verify)).toContain(
      'npx hubspoke verify --from-aws --env prod --region "$AWS_REGION" --out-dir reports/verify',
    );
  });
});

describe('nightly-integration.yml', () => {
  const wf = () => loadWorkflow('nightly-integration.yml');

  it('runs on a schedule and on demand with region and keep inputs', () => {
    const on = wf().on as {
      schedule: { cron: string }[];
      workflow_dispatch: { inputs: Record<string, { type: string }> };
    };
    expect(on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(on.workflow_dispatch.inputs.region.type).toBe('string');
    expect(on.workflow_dispatch.inputs.keep.type).toBe('boolean');
    expect(wf().concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('runs hubspoke e2e in env it-<run id>-<attempt>, with JUnit and a step summary even on failure', () => {
    expect(wf().env?.IT_ENV).toBe('it-${{ github.run_id }}-${{ github.run_attempt }}');
    const e2e = wf().jobs.e2e;
    expect(runs(e2e)).toContain(
      'npx hubspoke e2e --env "$IT_ENV" --region "$AWS_REGION" $KEEP_FLAG --out-dir reports/e2e',
    );
    const summary = e2e.steps?.find((s) =>
      (s.run ?? '').includes('tools/src/ci/step-summary.ts --dir reports/e2e'),
    );
    expect(summary?.if).toBe('always()');
    expect(e2e.steps?.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.if).toBe('always()');
    expect(
      evaluate(String(e2e.env?.KEEP_FLAG), {
        values: { 'inputs.keep': true },
        status: { success: true, failure: false, cancelled: false },
      }),
    ).toBe('--keep');
    expect(
      evaluate(String(e2e.env?.KEEP_FLAG), {
        values: {},
        status: { success: true, failure: false, cancelled: false },
      }),
    ).toBe('');
  });

  it('tears the environment down after success, failure and cancellation, then sweeps', () => {
    for (const sim of [{}, { outcomes: { e2e: 'failure' as const } }, { cancelDuring: 'e2e' }]) {
      expect(simulate(wf(), sim)).toMatchObject({ teardown: 'success', sweep: 'success' });
    }
    expect(simulate(wf(), { outcomes: { teardown: 'failure' } }).sweep).toBe('success');
    // One teardown implementation: the harness's, for every attempt of the run.
    expect(runs(wf().jobs.teardown)).toContain(
      'npx hubspoke sweep --yes --env "$RUN_ENVS" --ignore-expiry --region "$AWS_REGION"',
    );
    const step = wf().jobs.teardown.steps?.find((s) => (s.run ?? '').includes('--ignore-expiry'));
    expect(step?.env?.RUN_ENVS).toBe('it-${{ github.run_id }}-*');
    expect(runs(wf().jobs.sweep)).toContain('npx hubspoke sweep --yes --region "$AWS_REGION"');
  });

  it('keep=true skips the teardown of this run, not the sweep', () => {
    expect(simulate(wf(), { values: { 'inputs.keep': true } })).toMatchObject({
      teardown: 'skipped',
      sweep: 'success',
    });
  });
});

describe('ci.yml', () => {
  it('lints, typechecks, tests and verifies offline, uploading reports', () => {
    const wf = loadWorkflow('ci.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const check = runs(wf.jobs.check);
    for (const cmd of ['npm run lint', 'npm run typecheck', 'npm test']) expect(check).toContain(cmd);
    expect(runs(wf.jobs.verify)).toContain('npx hubspoke verify --env "${{ matrix.env }}"');
    for (const job of Object.values(wf.jobs)) {
      expect(
        job.steps
          ?.filter((s) => s.uses?.startsWith('actions/upload-artifact@'))
          .every((s) => s.if === 'always()'),
      ).toBe(true);
    }
  });
});

describe('region', () => {
  it('the AWS workflows default to the same region', () => {
    const regions = ['deploy.yml', 'pr-preview.yml', 'nightly-integration.yml'].map(
      (f) => /'?([a-z]{2}-[a-z]+-\d)'?/.exec(String(loadWorkflow(f).env?.AWS_REGION))?.[1],
    );
    expect(new Set(regions).size).toBe(1);
    expect(regions[0]).toBeDefined();
  });
});
