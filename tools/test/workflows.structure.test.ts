import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { simulateWorkflow, type Conclusion, type Simulation } from './runner/runner';
import {
  BOOTSTRAP_FLAG,
  checkoutsKeepingCredentials,
  deploysWithoutPreview,
  envName,
  jobWideSecrets,
  MAIN_ONLY_ENVIRONMENTS,
  pullRequestJobsInMainOnlyEnvironments,
  secretsOnOtherSteps,
  secretsWithoutEnvironment,
  stackCreation,
  unpinnedActions,
} from './helpers/workflow-rules';
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
  type Workflow,
} from './helpers/workflows';

const all = () => workflowFiles().map((file) => ({ file, wf: loadWorkflow(file) }));
const jobsOf = () =>
  all().flatMap(({ file, wf }) => Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })));
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
const copy = (wf: Workflow): Workflow => JSON.parse(JSON.stringify(wf)) as Workflow;
const actionTexts = () =>
  actionNames().map((name) => ({
    file: `actions/${name}/action.yml`,
    text: readFileSync(join(repoRoot, '.github/actions', name, 'action.yml'), 'utf8'),
  }));

/** A pull_request event payload: same-repo by default. */
const prEvent = (pr: { fork?: boolean; draft?: boolean; user?: string } = {}): Simulation['event'] => ({
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 7,
      draft: pr.draft ?? false,
      user: { login: pr.user ?? 'someone' },
      head: { ref: 'feature', sha: 'h', repo: { full_name: pr.fork ? 'someone/fork' : 'org/hubspoke' } },
      base: { ref: 'main', sha: 'b', repo: { full_name: 'org/hubspoke' } },
    },
  },
});
const pushEvent: Simulation['event'] = { name: 'push', payload: {} };
const simulate = (workflow: string, sim: Partial<Simulation>) =>
  simulateWorkflow({ repoRoot, workflow, event: sim.event ?? pushEvent, ...sim });

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
      'deploy.yml:preview-0',
      'deploy.yml:preview-1',
      'deploy.yml:preview-2',
      'deploy.yml:verify',
      'drift.yml:drift',
      'nightly-integration.yml:e2e',
      'nightly-integration.yml:sweep',
      'nightly-integration.yml:teardown',
      'pr-preview.yml:preview',
    ]);
    for (const { file, id, job } of aws) {
      expect({
        job: `${file}:${id}`,
        idToken: job.permissions?.['id-token' as never],
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

  it('write scopes are id-token (AWS), pull-requests (the PR comment) and issues (drift and failure issues)', () => {
    const writes = jobsOf().flatMap(({ file, id, job }) =>
      Object.entries(job.permissions as Record<string, string>)
        .filter(([scope, level]) => level === 'write' && scope !== 'id-token')
        .map(([scope]) => `${file}:${id}:${scope}`),
    );
    expect(writes.sort()).toEqual([
      'deploy.yml:notify:issues',
      'drift.yml:drift:issues',
      'drift.yml:notify:issues',
      'nightly-integration.yml:notify:issues',
      'pr-preview.yml:comment:pull-requests',
    ]);
  });

  it('deploys run in prod; previews, live verify and drift in the read-only prod-read; PR previews in preview', () => {
    const deploy = loadWorkflow('deploy.yml');
    for (const id of ['layer-0', 'layer-1', 'layer-2']) expect(envName(deploy.jobs[id])).toBe('prod');
    for (const id of ['preview-0', 'preview-1', 'preview-2', 'verify'])
      expect(envName(deploy.jobs[id])).toBe('prod-read');
    expect(envName(loadWorkflow('drift.yml').jobs.drift)).toBe('prod-read');
    expect(envName(loadWorkflow('pr-preview.yml').jobs.preview)).toBe('preview');
  });
});

describe('credentials out of reach of pull requests', () => {
  it.each(workflowFiles())('%s keeps every secret in a step, in a job with an environment', (file) => {
    const wf = loadWorkflow(file);
    expect(jobWideSecrets(file, wf)).toEqual([]);
    expect(secretsOnOtherSteps(file, wf)).toEqual([]);
    expect(secretsWithoutEnvironment(file, wf)).toEqual([]);
    expect(pullRequestJobsInMainOnlyEnvironments(file, wf)).toEqual([]);
  });

  it('the rules catch a job-wide secret, a secret on npm ci, a repository secret, a PR job in prod', () => {
    const wf = copy(loadWorkflow('pr-preview.yml'));
    wf.jobs.preview.env = { PULUMI_CONFIG_PASSPHRASE: '${{ secrets.PULUMI_CONFIG_PASSPHRASE }}' };
    expect(jobWideSecrets('x.yml', wf)).toEqual([
      'x.yml:preview: job env holds a secret (every step, npm ci included, sees it)',
    ]);
    const onSetup = copy(loadWorkflow('deploy.yml'));
    onSetup.jobs['layer-0'].steps![1].with = { token: '${{ secrets.PULUMI_ACCESS_TOKEN }}' };
    expect(secretsOnOtherSteps('x.yml', onSetup)).toEqual([
      'x.yml:layer-0:./.github/actions/setup: sees a secret it does not need',
    ]);
    const noEnv = copy(loadWorkflow('deploy.yml'));
    delete noEnv.jobs['layer-0'].environment;
    expect(secretsWithoutEnvironment('x.yml', noEnv)).toEqual([
      expect.stringContaining('x.yml:layer-0: uses a secret'),
    ]);
    const prInProd = copy(loadWorkflow('pr-preview.yml'));
    prInProd.jobs.preview.environment = 'prod';
    expect(pullRequestJobsInMainOnlyEnvironments('x.yml', prInProd)).toEqual([
      'x.yml:preview: a pull request job in environment prod',
    ]);
  });

  it('the PR preview uses its own environment, not one of those only main can use', () => {
    const preview = loadWorkflow('pr-preview.yml').jobs.preview;
    expect(envName(preview)).toBe('preview');
    expect(MAIN_ONLY_ENVIRONMENTS).not.toContain('preview');
  });

  it.each(workflowFiles())('%s checks out without leaving the token in .git/config', (file) => {
    expect(checkoutsKeepingCredentials(file, loadWorkflow(file))).toEqual([]);
    const wf = copy(loadWorkflow(file));
    const job = Object.values(wf.jobs)[0];
    delete job.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!.with;
    expect(checkoutsKeepingCredentials(file, wf)).toHaveLength(1);
  });
});

describe('pinned actions', () => {
  it('every third-party action, actions/* included, is pinned to a full SHA with its version', () => {
    const texts = [
      ...workflowFiles().map((file) => ({ file, text: readWorkflowText(file) })),
      ...actionTexts(),
      { file: 'dependabot.yml', text: '' },
    ];
    expect(texts.flatMap(({ file, text }) => unpinnedActions(file, text))).toEqual([]);
    const pins = texts.flatMap(({ text }) => [
      ...text.matchAll(/uses:\s+([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)/g),
    ]);
    expect(pins.length).toBeGreaterThan(30);
    // One version of each action everywhere, so Dependabot moves them together.
    const versions = new Map<string, Set<string>>();
    for (const [, action, sha, version] of pins)
      versions.set(action, (versions.get(action) ?? new Set()).add(`${sha} ${version}`));
    expect([...versions].filter(([, v]) => v.size > 1)).toEqual([]);
  });

  it('the pin check rejects tags, branches and a SHA without its version', () => {
    for (const bad of [
      '      - uses: actions/checkout@v7',
      '      - uses: actions/checkout@main',
      '        uses: pulumi/actions@latest',
      '      - uses: actions/checkout',
      '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      '      - uses: org/repo@3d3c42e',
    ])
      expect(unpinnedActions('x.yml', bad)).toHaveLength(1);
    expect(unpinnedActions('x.yml', '      - uses: ./.github/actions/setup')).toEqual([]);
  });

  it('Dependabot keeps the pinned actions (workflows and composite actions) and npm current', () => {
    const config = parse(readFileSync(join(repoRoot, '.github/dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string; directory?: string; directories?: string[] }[];
    };
    const actions = config.updates.find((u) => u['package-ecosystem'] === 'github-actions');
    expect(actions?.directories).toEqual(['/', '/.github/actions/*']);
    expect(config.updates.find((u) => u['package-ecosystem'] === 'npm')?.directory).toBe('/');
  });

  it('local actions referenced by workflows exist', () => {
    const local = new Set(
      jobsOf()
        .flatMap(({ job }) => (job.steps ?? []).map((s) => s.uses ?? ''))
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

  it('pulumi pins the CLI to the @pulumi/pulumi version of package.json and takes the backend secrets as inputs', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const action = loadAction('pulumi');
    expect(action.inputs?.['pulumi-version']?.default).toBe(pkg.dependencies['@pulumi/pulumi']);
    expect(
      action.runs.steps.find((s) => s.uses?.startsWith('pulumi/actions@'))?.with?.['pulumi-version'],
    ).toBe('${{ inputs.pulumi-version }}');
    for (const { file, id, job } of jobsOf())
      for (const step of (job.steps ?? []).filter((s) => s.uses === './.github/actions/pulumi'))
        expect({ job: `${file}:${id}`, with: step.with }).toEqual({
          job: `${file}:${id}`,
          with: {
            'backend-url': '${{ secrets.PULUMI_BACKEND_URL }}',
            'access-token': '${{ secrets.PULUMI_ACCESS_TOKEN }}',
          },
        });
  });

  it('aws assumes a role through OIDC (no access keys) for a session that outlives the job', () => {
    const action = loadAction('aws');
    const configure = action.runs.steps.find((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(configure?.with).toMatchObject({
      'role-to-assume': '${{ inputs.role-to-assume }}',
      'aws-region': '${{ inputs.aws-region }}',
      'role-duration-seconds': '${{ inputs.role-duration-seconds }}',
    });
    expect(JSON.stringify(action)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    for (const { file, id, job } of jobsOf().filter(({ job }) => usesAws(job))) {
      const step = job.steps?.find((s) => s.uses === './.github/actions/aws');
      const timeout = (job as { 'timeout-minutes'?: number })['timeout-minutes'] ?? 360;
      expect({
        job: `${file}:${id}`,
        covers: Number(step?.with?.['role-duration-seconds']) >= timeout * 60,
      }).toEqual({
        job: `${file}:${id}`,
        covers: true,
      });
    }
  });
});

describe('pull requests: forks, drafts, Dependabot', () => {
  it('no workflow uses pull_request_target', () => {
    for (const file of workflowFiles()) {
      expect(Object.keys(loadWorkflow(file).on)).not.toContain('pull_request_target');
      expect(readWorkflowText(file)).not.toContain('pull_request_target:');
    }
  });

  it('previews run for pull requests to main only', () => {
    expect(loadWorkflow('pr-preview.yml').on.pull_request).toMatchObject({ branches: ['main'] });
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

  const affected = { plan: { any: 'true', order: '["spoke-a"]' } };
  it.each([
    ['a fork', prEvent({ fork: true })],
    ['a draft', prEvent({ draft: true })],
    ['Dependabot', prEvent({ user: 'dependabot[bot]' })],
  ])('%s PR gets the offline jobs only', async (_who, event) => {
    expect(await simulate('pr-preview.yml', { event, outputs: affected })).toEqual({
      plan: 'success',
      verify: 'success',
      preview: 'skipped',
      comment: 'skipped',
    });
  });

  it('a same-repo PR previews, and comments even when the preview fails', async () => {
    const event = prEvent();
    expect(await simulate('pr-preview.yml', { event, outputs: affected })).toEqual({
      plan: 'success',
      verify: 'success',
      preview: 'success',
      comment: 'success',
    });
    const failed = await simulate('pr-preview.yml', {
      event,
      outputs: affected,
      outcomes: { preview: 'failure', verify: 'failure' },
    });
    expect(failed.comment).toBe('success');
    const none = await simulate('pr-preview.yml', {
      event,
      outputs: { plan: { any: 'false', order: '[]' } },
    });
    expect(none).toMatchObject({ preview: 'skipped', comment: 'success' });
  });
});

describe('script injection', () => {
  // Fields a PR author controls (title, body, branch names, labels...) must reach scripts through
  // env, never be pasted into a `run:` by ${{ }} interpolation.
  const SAFE =
    /^(github\.(repository|run_id|run_attempt|server_url|sha|workflow|event\.pull_request\.(number|head\.sha))|matrix\.env|env\.\w+)$/;

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
  const layers = (l0: string[], l1: string[], l2: string[]) => {
    const shards = (l: string[]) => JSON.stringify(l.map((s) => ({ label: s, stacks: s })));
    return {
      plan: {
        any: String(l0.length > 0),
        layer_0: JSON.stringify(l0),
        layer_1: JSON.stringify(l1),
        layer_2: JSON.stringify(l2),
        shards_0: shards(l0),
        shards_1: shards(l1),
        shards_2: shards(l2),
      },
    };
  };

  it('runs on push to main (or by hand on main), in one prod concurrency group that queues instead of cancelling', async () => {
    expect(Object.keys(wf().on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(wf().on.push).toEqual({ branches: ['main'] });
    const elsewhere = await simulate('deploy.yml', {
      github: { ref: 'refs/heads/feature' },
      outputs: layers(['tgw'], [], []),
    });
    expect(Object.values(elsewhere).every((r) => r === 'skipped')).toBe(true);
    expect(wf().concurrency).toEqual({ group: 'deploy-prod', 'cancel-in-progress': false });
    for (const job of Object.values(wf().jobs)) expect(job.concurrency).toBeUndefined();
  });

  it('every deploy job has a preview of the same shard before the approval', () => {
    expect(deploysWithoutPreview('deploy.yml', wf())).toEqual([]);
    const broken = copy(wf());
    broken.jobs['layer-1'].needs = ['plan', 'layer-0'];
    expect(deploysWithoutPreview('deploy.yml', broken)).toEqual([
      'deploy.yml:layer-1: deploys with no preview job of the same stacks before its approval',
    ]);
  });

  it('deploys layer by layer (tgw -> inspection -> spokes), each a matrix of shards', () => {
    const jobs = wf().jobs;
    for (const [i, id] of ['layer-0', 'layer-1', 'layer-2'].entries()) {
      expect(needsOf(jobs[`preview-${i}`])).toEqual(i === 0 ? ['plan'] : ['plan', `layer-${i - 1}`]);
      expect(needsOf(jobs[id])).toEqual(['plan', `preview-${i}`]);
      expect(jobs[id].strategy?.matrix?.shard).toBe(`\${{ fromJSON(needs.plan.outputs.shards_${i}) }}`);
      expect(jobs.plan.outputs?.[`shards_${i}`]).toBe(`\${{ steps.affected.outputs.shards_${i} }}`);
      const up = jobs[id].steps?.find((s) =>
        (s.run ?? '').includes('tools/src/ci/deploy-stacks.ts --mode up'),
      );
      expect(up?.env?.STACKS).toBe('${{ matrix.shard.stacks }}');
      expect(up?.run).toContain('--parallel "$PARALLEL_PER_JOB"');
    }
    expect(runs(jobs.plan)).toContain('--max-layers 3 --max-jobs "$MAX_JOBS_PER_LAYER"');
    expect(Number(wf().env?.MAX_JOBS_PER_LAYER)).toBeLessThanOrEqual(256);
  });

  it('CI never creates a stack: no --create, no Nx stack target; bootstrap is an explicit input', () => {
    for (const file of workflowFiles()) expect(stackCreation(file, loadWorkflow(file))).toEqual([]);
    const inputs = (
      wf().on.workflow_dispatch as { inputs: Record<string, { type: string; default: boolean }> }
    ).inputs;
    expect(inputs.bootstrap).toMatchObject({ type: 'boolean', default: false });
    const flagged = Object.values(wf().jobs).flatMap((j) =>
      (j.steps ?? []).filter((s) => s.env?.BOOTSTRAP_FLAG),
    );
    expect(flagged).toHaveLength(6);
    expect(
      flagged.every((s) => s.env?.BOOTSTRAP_FLAG === BOOTSTRAP_FLAG && s.run?.includes('$BOOTSTRAP_FLAG')),
    ).toBe(true);
    // The rule catches the old Nx target and a literal --create.
    const broken = copy(wf());
    broken.jobs['layer-0'].steps!.push({ run: 'npx nx run "$STACK:up" --exclude-task-dependencies' });
    broken.jobs['layer-1'].steps!.push({ run: 'pulumi stack select prod --create' });
    expect(stackCreation('deploy.yml', broken)).toEqual([
      'deploy.yml:layer-0: runs an Nx stack target, whose stack select creates missing stacks',
      'deploy.yml:layer-1: run step passes --create',
    ]);
  });

  it('the base is the last successful deploy, and its absence stops the run instead of guessing', () => {
    const set = wf().jobs.plan.steps?.find((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
    expect(set?.with).toMatchObject({ 'main-branch-name': 'main', 'error-on-no-successful-workflow': true });
    expect(set?.if).toBe('${{ !inputs.all_stacks && !inputs.bootstrap }}');
  });

  it('a failed preview or layer stops every later layer and the live verify, and reports the failure', async () => {
    const outputs = layers(['tgw'], ['inspection'], ['spoke-a', 'spoke-b']);
    const ok = await simulate('deploy.yml', { outputs });
    expect(ok).toMatchObject({ 'layer-2': 'success', verify: 'success', notify: 'skipped' });
    expect(await simulate('deploy.yml', { outputs, outcomes: { 'layer-0': 'failure' } })).toMatchObject({
      'preview-1': 'skipped',
      'layer-1': 'skipped',
      'layer-2': 'skipped',
      verify: 'skipped',
      notify: 'success',
    });
    expect(await simulate('deploy.yml', { outputs, outcomes: { 'preview-1': 'failure' } })).toMatchObject({
      'layer-1': 'skipped',
      verify: 'skipped',
      notify: 'success',
    });
    expect(await simulate('deploy.yml', { outputs, outcomes: { verify: 'failure' } })).toMatchObject({
      notify: 'success',
    });
  });

  it('a change to one spoke deploys that layer only and still verifies', async () => {
    expect(await simulate('deploy.yml', { outputs: layers(['spoke-a'], [], []) })).toEqual({
      plan: 'success',
      'preview-0': 'success',
      'layer-0': 'success',
      'preview-1': 'skipped',
      'layer-1': 'skipped',
      'preview-2': 'skipped',
      'layer-2': 'skipped',
      verify: 'success',
      notify: 'skipped',
    });
    expect((await simulate('deploy.yml', { outputs: layers([], [], []) })).verify).toBe('skipped');
  });

  it('verifies the deployed env through the SDK', () => {
    expect(runs(wf().jobs.verify)).toContain(
      'npx hubspoke verify --from-aws --env prod --region "$AWS_REGION" --out-dir reports/verify',
    );
  });
});

describe('failure notification', () => {
  it.each(['deploy.yml', 'nightly-integration.yml', 'drift.yml'])(
    '%s opens or updates an issue when any job fails',
    (file) => {
      const wf = loadWorkflow(file);
      const notify = wf.jobs.notify;
      expect(notify.if).toBe('failure()');
      expect(needsOf(notify).sort()).toEqual(
        Object.keys(wf.jobs)
          .filter((j) => j !== 'notify')
          .sort(),
      );
      expect(runs(notify)).toContain('tools/src/ci/notify-failure.ts');
      expect(notify.steps?.find((s) => s.run?.includes('notify-failure'))?.env?.NOTIFY_WEBHOOK_URL).toBe(
        '${{ secrets.NOTIFY_WEBHOOK_URL }}',
      );
    },
  );
});

describe('drift.yml', () => {
  const wf = () => loadWorkflow('drift.yml');

  it('runs on a schedule over every prod stack, sharded, read-only', () => {
    const on = wf().on as { schedule: { cron: string }[] };
    expect(on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(runs(wf().jobs.stacks)).toContain('tools/src/ci/affected-stacks.ts --all');
    expect(wf().jobs.drift.strategy?.matrix?.shard).toBe('${{ fromJSON(needs.stacks.outputs.shards) }}');
    expect(runs(wf().jobs.drift)).toContain('tools/src/ci/drift.ts');
    expect(envName(wf().jobs.drift)).toBe('prod-read');
  });

  it('a failed drift check is reported; drift itself is the issue the script opens', async () => {
    const outputs = { stacks: { shards: '[{"label":"tgw","stacks":"tgw"}]' } };
    expect(await simulate('drift.yml', { event: { name: 'schedule', payload: {} }, outputs })).toEqual({
      stacks: 'success',
      drift: 'success',
      notify: 'skipped',
    });
    expect(
      await simulate('drift.yml', {
        event: { name: 'schedule', payload: {} },
        outputs,
        outcomes: { drift: 'failure' },
      }),
    ).toMatchObject({ notify: 'success' });
  });
});

describe('nightly-integration.yml', () => {
  const wf = () => loadWorkflow('nightly-integration.yml');
  const schedule = { name: 'schedule', payload: {} };

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
  });

  it('the e2e role session lasts as long as the job may', () => {
    const e2e = wf().jobs.e2e as Job & { 'timeout-minutes': number };
    const aws = e2e.steps?.find((s) => s.uses === './.github/actions/aws');
    expect(Number(aws?.with?.['role-duration-seconds'])).toBe(e2e['timeout-minutes'] * 60);
  });

  it('tears the environment down after success, failure and cancellation, then sweeps', async () => {
    const cases: Record<string, Conclusion>[] = [{}, { e2e: 'failure' }, { e2e: 'cancelled' }];
    for (const outcomes of cases) {
      expect(await simulate('nightly-integration.yml', { event: schedule, outcomes })).toMatchObject({
        teardown: 'success',
        sweep: 'success',
      });
    }
    expect(
      (await simulate('nightly-integration.yml', { event: schedule, outcomes: { teardown: 'failure' } }))
        .sweep,
    ).toBe('success');
    // One teardown implementation: the harness's, for every attempt of the run.
    expect(runs(wf().jobs.teardown)).toContain(
      'npx hubspoke sweep --yes --env "$RUN_ENVS" --ignore-expiry --region "$AWS_REGION"',
    );
    const step = wf().jobs.teardown.steps?.find((s) => (s.run ?? '').includes('--ignore-expiry'));
    expect(step?.env?.RUN_ENVS).toBe('it-${{ github.run_id }}-*');
    expect(runs(wf().jobs.sweep)).toContain('npx hubspoke sweep --yes --region "$AWS_REGION"');
  });

  it('keep=true skips the teardown of this run, not the sweep', async () => {
    expect(
      await simulate('nightly-integration.yml', {
        event: { name: 'workflow_dispatch', payload: {} },
        inputs: { keep: true, region: '' },
      }),
    ).toMatchObject({ teardown: 'skipped', sweep: 'success' });
  });
});

describe('ci.yml', () => {
  it('lints, typechecks, tests and verifies offline, uploading reports', () => {
    const wf = loadWorkflow('ci.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const check = runs(wf.jobs.check);
    for (const cmd of ['npm run lint', 'npm run typecheck', 'npm test']) expect(check).toContain(cmd);
    expect(runs(wf.jobs.verify)).toContain('npx hubspoke verify --env "${{ matrix.env }}"');
    // Every environment in the repository is verified offline on every pull request.
    const envs = readdirSync(join(repoRoot, 'apps/tgw'))
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((e): e is string => e !== undefined && !e.startsWith('it-'));
    const matrix = (wf.jobs.verify as { strategy?: { matrix?: { env?: string[] } } }).strategy?.matrix?.env;
    expect([...(matrix ?? [])].sort()).toEqual(envs.sort());
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
    const regions = ['deploy.yml', 'pr-preview.yml', 'nightly-integration.yml', 'drift.yml'].map(
      (f) => /'?([a-z]{2}-[a-z]+-\d)'?/.exec(String(loadWorkflow(f).env?.AWS_REGION))?.[1],
    );
    expect(new Set(regions).size).toBe(1);
    expect(regions[0]).toBeDefined();
  });
});
