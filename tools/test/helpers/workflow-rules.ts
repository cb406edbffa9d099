/**
 * The security and deploy rules the workflows must keep, as functions returning the violations
 * ("file:job[:step]: what"), so the structural test can show each rule catching a broken copy.
 */
import { type Job, type Step, type Workflow } from './workflows';

const SECRET = /secrets\.(?!GITHUB_TOKEN\b)\w+/;
const hasSecret = (value: unknown) => SECRET.test(JSON.stringify(value ?? {}));
const stepName = (s: Step) => s.name ?? s.uses ?? (s.run ?? '').split('\n')[0];
export const envName = (job: Job) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;

/** Item: secrets only on the steps that need them, never workflow- or job-wide. */
export function jobWideSecrets(file: string, wf: Workflow): string[] {
  const found = hasSecret(wf.env) ? [`${file}: workflow env holds a secret`] : [];
  for (const [id, job] of Object.entries(wf.jobs))
    if (hasSecret(job.env))
      found.push(`${file}:${id}: job env holds a secret (every step, npm ci included, sees it)`);
  return found;
}

/**
 * The steps allowed to see a secret: the credential actions, and the commands that talk to Pulumi,
 * AWS or a webhook with it. Anything else (checkout, setup/npm ci, upload...) must not.
 */
const CREDENTIAL_ACTIONS = new Set(['./.github/actions/aws', './.github/actions/pulumi']);
const NEEDS_SECRETS =
  /tools\/src\/ci\/(preview-stacks|deploy-stacks|drift|teardown-env|notify-failure)\.ts|npx hubspoke (e2e|sweep)\b/;

export function secretsOnOtherSteps(file: string, wf: Workflow): string[] {
  const found: string[] = [];
  for (const [id, job] of Object.entries(wf.jobs))
    for (const step of job.steps ?? []) {
      if (!hasSecret(step)) continue;
      const allowed = step.uses ? CREDENTIAL_ACTIONS.has(step.uses) : NEEDS_SECRETS.test(step.run ?? '');
      if (!allowed) found.push(`${file}:${id}:${stepName(step)}: sees a secret it does not need`);
    }
  return found;
}

/** Every secret lives in a GitHub environment (none at repository level): a job using one names it. */
export function secretsWithoutEnvironment(file: string, wf: Workflow): string[] {
  return Object.entries(wf.jobs)
    .filter(([, job]) => hasSecret(job) && !envName(job))
    .map(
      ([id]) =>
        `${file}:${id}: uses a secret but runs in no environment (a repository secret is readable by any branch)`,
    );
}

/** Environments only `main` may deploy to; a pull request job must never name one. */
export const MAIN_ONLY_ENVIRONMENTS = ['prod', 'prod-read', 'integration', 'notify'];

export function pullRequestJobsInMainOnlyEnvironments(file: string, wf: Workflow): string[] {
  if (!('pull_request' in wf.on) && !('pull_request_target' in wf.on)) return [];
  return Object.entries(wf.jobs)
    .filter(([, job]) => MAIN_ONLY_ENVIRONMENTS.includes(envName(job) ?? ''))
    .map(([id, job]) => `${file}:${id}: a pull request job in environment ${envName(job)}`);
}

/** A third-party action pinned to a full commit SHA, with its version in a comment. */
export const PINNED_LINE =
  /^\s*(-\s+)?uses:\s+[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/;

export function unpinnedActions(file: string, text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(
      ({ line }) => /^\s*(-\s+)?uses:\s/.test(line) && !/uses:\s+\.\//.test(line) && !PINNED_LINE.test(line),
    )
    .map(({ line, n }) => `${file}:${n}: ${line.trim()}`);
}

export function checkoutsKeepingCredentials(file: string, wf: Workflow): string[] {
  return Object.entries(wf.jobs).flatMap(([id, job]) =>
    (job.steps ?? [])
      .filter((s) => s.uses?.startsWith('actions/checkout@') && s.with?.['persist-credentials'] !== false)
      .map(() => `${file}:${id}: checkout leaves the token in .git/config (persist-credentials: false)`),
  );
}

const runsOf = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
const needsOf = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/**
 * Reviewers see what they approve: a job that runs `pulumi up` in a gated environment needs a job
 * that previewed the same shard of stacks into its summary, outside that environment.
 */
export function deploysWithoutPreview(file: string, wf: Workflow): string[] {
  const found: string[] = [];
  for (const [id, job] of Object.entries(wf.jobs)) {
    if (!/deploy-stacks\.ts --mode up\b/.test(runsOf(job))) continue;
    const preview = needsOf(job)
      .map((n) => wf.jobs[n])
      .find(
        (p) =>
          p &&
          /deploy-stacks\.ts --mode preview\b/.test(runsOf(p)) &&
          JSON.stringify(p.strategy?.matrix) === JSON.stringify(job.strategy?.matrix) &&
          envName(p) !== envName(job),
      );
    if (!preview)
      found.push(`${file}:${id}: deploys with no preview job of the same stacks before its approval`);
  }
  return found;
}

/**
 * CI never creates a stack by accident: no `--create` in a run step, no Nx stack target (they
 * select with --create for local use); creating is the explicit bootstrap input only.
 */
export const BOOTSTRAP_FLAG = "${{ inputs.bootstrap && '--create-missing' || '' }}";

export function stackCreation(file: string, wf: Workflow): string[] {
  const found: string[] = [];
  for (const [id, job] of Object.entries(wf.jobs))
    for (const step of job.steps ?? []) {
      const run = step.run ?? '';
      if (/--create\b(?!-missing)/.test(run)) found.push(`${file}:${id}: run step passes --create`);
      if (/--create-missing/.test(run))
        found.push(`${file}:${id}: --create-missing written into a step, not from the bootstrap input`);
      if (/\bnx run\b.*:(up|preview)\b|nx run-many.*-t (up|preview)\b/.test(run))
        found.push(`${file}:${id}: runs an Nx stack target, whose stack select creates missing stacks`);
      if (step.env?.BOOTSTRAP_FLAG !== undefined && step.env.BOOTSTRAP_FLAG !== BOOTSTRAP_FLAG)
        found.push(`${file}:${id}: BOOTSTRAP_FLAG is not the bootstrap input`);
    }
  return found;
}
