/**
 * A stand-in for the GitHub Actions runner, so the offline jobs of the workflows run in the test
 * suite as they would on GitHub: jobs in `needs` order with their `if:` conditions, matrices,
 * workflow/job/step `env`, the `run:` steps in order in a per-job checkout with the shell,
 * working directory and `${{ }}` expressions GitHub would use, the GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_PATH / GITHUB_STEP_SUMMARY files, `continue-on-error`, `timeout-minutes`, local composite
 * actions executed step by step, and third-party actions replaced by the stand-ins the caller
 * hands in (an action without one fails its step, so a job that needs the cloud cannot pass here
 * by accident).
 *
 * References: "Workflow syntax for GitHub Actions"
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax),
 * "Workflow commands" (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands),
 * "Variables" (https://docs.github.com/en/actions/reference/workflows-and-actions/variables).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import {
  asString,
  conditionExpression,
  evaluate,
  truthy,
  type Contexts,
  type Json,
  type Status,
} from './expressions';
import { parseEnvFile, parseOutputFile, parsePathFile } from './files';
import {
  literal,
  loadActionFile,
  loadWorkflowFile,
  member,
  modelJob,
  rawJob,
  rawSteps,
  valueOf,
  type LoadedWorkflow,
  type ModelStep,
  type Token,
} from './template';
import { takeSnapshot, type Snapshot } from './workspace';
import { isBasicExpression, isString } from '@actions/workflow-parser';

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

/** What a stand-in or a step did. */
export interface StepEffect {
  outcome: 'success' | 'failure';
  outputs?: Record<string, string>;
  /** Variables exported to the later steps (what an action writes to GITHUB_ENV). */
  env?: Record<string, string>;
  /** Directories prepended to PATH for the later steps. */
  path?: string[];
  log?: string;
}

export interface StandInContext {
  /** `owner/repo` (or `owner/repo/path`) without the ref. */
  action: string;
  ref: string;
  with: Record<string, string>;
  workspace: string;
  env: Record<string, string>;
  run: RunState;
}

export type ActionStandIn = (ctx: StandInContext) => StepEffect | Promise<StepEffect>;

/** A `run:` step replaced in the stand-in, always with the reason why. */
export interface RunStepStandIn {
  /** The script as evaluated (trimmed), matched exactly. */
  script: string;
  reason: string;
  /** Run this script instead (same shell, env and directory). */
  replacement?: string;
  /** Or do this instead. */
  effect?: (ctx: { workspace: string; env: Record<string, string>; run: RunState }) => StepEffect;
}

export interface RunOptions {
  repoRoot: string;
  /** File name under .github/workflows. */
  workflow: string;
  event: { name: string; payload: Record<string, Json> };
  /** Overrides of the github context (repository, ref, ...). */
  github?: Record<string, Json>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  inputs?: Record<string, Json>;
  /** A pull request's change (path -> content), committed on top of the working tree. */
  change?: Record<string, string>;
  actions: Record<string, ActionStandIn>;
  runSteps?: RunStepStandIn[];
  /** Extra state for the stand-ins (e.g. the last successful deploy's SHA). */
  facts?: Record<string, string>;
  log?: (line: string) => void;
  /** Run only these jobs (the others count as skipped); they must not need a job left out. */
  only?: string[];
  /** Keep the temporary directory (workspaces, artifacts) for debugging. */
  keep?: boolean;
}

export interface RunState {
  snapshot: Snapshot;
  artifacts: string;
  event: { name: string; payload: Record<string, Json> };
  facts: Record<string, string>;
  log: (line: string) => void;
}

export interface StepReport {
  name: string;
  kind: 'run' | 'action' | 'stand-in' | 'composite';
  outcome: Conclusion;
  conclusion: Conclusion;
  log: string;
  /** Why a stand-in replaced the step. */
  reason?: string;
  seconds?: number;
  steps?: StepReport[];
}

export interface JobReport {
  id: string;
  name: string;
  matrix: Record<string, Json>;
  result: Conclusion;
  outputs: Record<string, string>;
  steps: StepReport[];
  summary: string;
}

export interface RunReport {
  jobs: Record<string, { result: Conclusion; runs: JobReport[] }>;
  /** The workflow's result: failure if any job failed. */
  result: Conclusion;
}

const SHELLS: Record<string, string> = {
  // Unspecified shell on Linux: `bash -e {0}`; `shell: bash`: `bash --noprofile --norc -eo pipefail {0}`
  // ("jobs.<job_id>.steps[*].shell" in "Workflow syntax for GitHub Actions").
  '': 'bash -e {0}',
  bash: 'bash --noprofile --norc -eo pipefail {0}',
  sh: 'sh -e {0}',
};

export function shellCommand(shell: string | undefined, scriptFile: string): string[] {
  const template = SHELLS[shell ?? ''] ?? shell ?? '';
  if (!template.includes('{0}')) {
    if (['pwsh', 'python', 'powershell', 'cmd'].includes(template))
      throw new Error(`shell ${template} is not supported by the runner stand-in`);
    return [...template.split(/\s+/).filter(Boolean), scriptFile];
  }
  return template
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part.replace('{0}', scriptFile));
}

/** The process environment a fresh runner gives steps: no Jest or npm variables, no node_modules/.bin. */
function baseEnv(): Record<string, string> {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => p && !p.includes(`node_modules${'/'}.bin`))
    .join(delimiter);
  const keep = ['HOME', 'USER', 'LANG', 'TMPDIR', 'TZ'];
  return {
    ...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k] as string])),
    PATH: path,
  };
}

interface ProcessResult {
  code: number;
  log: string;
  timedOut: boolean;
}

function runProcess(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ProcessResult> {
  return new Promise((done) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('error', (e) => chunks.push(Buffer.from(String(e))));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, log: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}

/** Evaluates a step's `if` token or string (composite steps carry the raw text). */
function conditionOf(token: Token | undefined): string {
  if (!token) return 'success()';
  if (isBasicExpression(token)) return conditionExpression(token.expression);
  if (isString(token)) return conditionExpression(token.value);
  return conditionExpression(String((token as unknown as { value?: unknown }).value ?? ''));
}

const asStrings = (value: Json): Record<string, string> =>
  Object.fromEntries(
    Object.entries((value ?? {}) as Record<string, Json>).map(([k, v]) => [k, asString(v)] as const),
  );

/** Matrix combinations: the product of the keys, then `exclude`, then `include`. */
export function expandMatrix(matrix: Json): Record<string, Json>[] {
  if (matrix === null || matrix === undefined) return [{}];
  if (typeof matrix !== 'object' || Array.isArray(matrix))
    throw new Error(`matrix must be a mapping, got ${JSON.stringify(matrix)}`);
  const { include, exclude, ...axes } = matrix as Record<string, Json>;
  let combos: Record<string, Json>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values))
      throw new Error(`matrix.${key} must be a list, got ${JSON.stringify(values)}`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (Object.keys(axes).length > 0 && combos.length === 0) return [];
  const matches = (c: Record<string, Json>, partial: Record<string, Json>) =>
    Object.entries(partial).every(([k, v]) => JSON.stringify(c[k]) === JSON.stringify(v));
  for (const ex of (exclude as Record<string, Json>[] | null) ?? [])
    combos = combos.filter((c) => !matches(c, ex));
  for (const inc of (include as Record<string, Json>[] | null) ?? []) {
    const original = Object.fromEntries(Object.entries(inc).filter(([k]) => k in axes));
    const targets = combos.filter((c) => Object.keys(axes).length > 0 && matches(c, original));
    if (targets.length > 0) for (const t of targets) Object.assign(t, inc);
    else combos.push({ ...inc });
  }
  if (Object.keys(axes).length === 0 && ((include as unknown[]) ?? []).length > 0)
    combos = combos.filter((c) => Object.keys(c).length > 0);
  return combos;
}

class JobRun {
  readonly steps: StepReport[] = [];
  status: 'success' | 'failure' = 'success';
  readonly exported: Record<string, string> = {};
  readonly pathPrefix: string[] = [];
  summary = '';
  private readonly deadline: number;
  private readonly temp: string;

  constructor(
    readonly id: string,
    readonly workspace: string,
    readonly contexts: Contexts,
    readonly defaults: { shell?: string; workingDirectory?: string },
    readonly baseJobEnv: Record<string, string>,
    readonly processEnv: Record<string, string>,
    readonly opts: RunOptions,
    readonly state: RunState,
    timeoutMinutes: number,
  ) {
    this.deadline = Date.now() + timeoutMinutes * 60_000;
    this.temp = join(workspace, '..', `${id}-temp-${randomUUID().slice(0, 8)}`);
    mkdirSync(this.temp, { recursive: true });
  }

  /** The env context: workflow and job env, then what steps exported through GITHUB_ENV. */
  envContext(): Record<string, string> {
    return { ...this.baseJobEnv, ...this.exported };
  }

  private stepStatus(): Status {
    return { success: this.status === 'success', failure: this.status === 'failure', cancelled: false };
  }

  private applyEffect(effect: StepEffect): void {
    Object.assign(this.exported, effect.env ?? {});
    this.pathPrefix.unshift(...(effect.path ?? []));
  }

  async runScript(
    script: string,
    shell: string | undefined,
    workingDirectory: string | undefined,
    stepEnv: Record<string, string>,
    timeoutMinutes?: number,
  ): Promise<StepEffect> {
    const file = join(this.temp, `${randomUUID()}.sh`);
    writeFileSync(file, script);
    const files = Object.fromEntries(
      ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((name) => {
        const path = join(this.temp, `${name.toLowerCase()}-${randomUUID().slice(0, 8)}`);
        writeFileSync(path, '');
        return [name, path];
      }),
    );
    const env: Record<string, string> = {
      ...this.processEnv,
      ...this.envContext(),
      ...stepEnv,
      ...files,
      RUNNER_TEMP: this.temp,
    };
    env.PATH = [...this.pathPrefix, env.PATH].join(delimiter);
    const cwd = workingDirectory ? resolve(this.workspace, workingDirectory) : this.workspace;
    if (!existsSync(cwd)) return { outcome: 'failure', log: `working-directory ${cwd} does not exist` };
    const budget = Math.min(this.deadline - Date.now(), (timeoutMinutes ?? Infinity) * 60_000);
    if (budget <= 0) return { outcome: 'failure', log: 'the job exceeded its timeout-minutes' };
    const result = await runProcess(shellCommand(shell, file), cwd, env, budget);
    const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
    this.summary += summary;
    return {
      outcome: result.code === 0 && !result.timedOut ? 'success' : 'failure',
      outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      env: parseEnvFile(readFileSync(files.GITHUB_ENV, 'utf8')),
      path: parsePathFile(readFileSync(files.GITHUB_PATH, 'utf8')),
      log: result.timedOut ? `${result.log}\n(timed out)` : result.log,
    };
  }

  /**
   * Runs a list of steps (a job's, or a composite action's with its own `steps` context) and
   * returns whether any failed.
   */
  async runSteps(
    raws: Token[],
    models: (ModelStep | undefined)[],
    scope: { contexts: (steps: Record<string, Json>) => Contexts; composite: boolean },
    reports: StepReport[],
  ): Promise<{ failed: boolean; steps: Record<string, Json> }> {
    const stepsContext: Record<string, Json> = {};
    let failed = false;
    const localStatus = (): Status =>
      scope.composite
        ? {
            success: !failed && this.status === 'success',
            failure: failed || this.status === 'failure',
            cancelled: false,
          }
        : this.stepStatus();
    for (const [index, raw] of raws.entries()) {
      const model = models[index];
      const id = model?.id ?? (literal(raw, 'id') as string | undefined) ?? `__step_${index}`;
      const contexts = scope.contexts(stepsContext);
      const condition = model
        ? model.if
          ? model.if.expression
          : 'success()'
        : conditionOf(member(raw, 'if'));
      const name =
        asString(valueOf(member(raw, 'name'), contexts)) ||
        asString(valueOf(member(raw, 'uses'), contexts)) ||
        asString(valueOf(member(raw, 'run'), contexts)).split('\n')[0];
      if (!truthy(evaluate(condition, contexts, localStatus()))) {
        reports.push({
          name,
          kind: member(raw, 'uses') ? 'action' : 'run',
          outcome: 'skipped',
          conclusion: 'skipped',
          log: '',
        });
        stepsContext[id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
        continue;
      }
      const stepEnv = asStrings(valueOf(member(raw, 'env'), contexts));
      const report: StepReport = { name, kind: 'run', outcome: 'success', conclusion: 'success', log: '' };
      let effect: StepEffect;
      const started = Date.now();
      try {
        effect = member(raw, 'uses')
          ? await this.runUses(
              asString(valueOf(member(raw, 'uses'), contexts)),
              raw,
              contexts,
              stepEnv,
              report,
            )
          : await this.runRun(raw, contexts, stepEnv, report, scope.composite);
      } catch (error) {
        effect = {
          outcome: 'failure',
          log: `runner stand-in: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      this.applyEffect(effect);
      const continueOnError = truthy(valueOf(member(raw, 'continue-on-error'), contexts));
      report.outcome = effect.outcome;
      report.conclusion = effect.outcome === 'failure' && continueOnError ? 'success' : effect.outcome;
      report.log = `${report.log}${effect.log ?? ''}`;
      report.seconds = (Date.now() - started) / 1000;
      reports.push(report);
      this.opts.log?.(
        `  ${report.conclusion === 'success' ? '✓' : '✗'} ${name} (${report.seconds.toFixed(1)} s)${report.reason ? ` (stand-in: ${report.reason})` : ''}`,
      );
      if (report.conclusion === 'failure') {
        failed = true;
        if (!scope.composite) this.status = 'failure';
      }
      stepsContext[id] = {
        outcome: report.outcome,
        conclusion: report.conclusion,
        outputs: effect.outputs ?? {},
      };
    }
    return { failed, steps: stepsContext };
  }

  private async runRun(
    raw: Token,
    contexts: Contexts,
    stepEnv: Record<string, string>,
    report: StepReport,
    composite: boolean,
  ): Promise<StepEffect> {
    const script = asString(valueOf(member(raw, 'run'), contexts));
    const shell =
      (literal(raw, 'shell') as string | undefined) ?? (composite ? undefined : this.defaults.shell);
    if (composite && !shell)
      return { outcome: 'failure', log: 'a run step of a composite action must name its shell' };
    const workingDirectory =
      (valueOf(member(raw, 'working-directory'), contexts) as string | null) ??
      (composite ? undefined : this.defaults.workingDirectory);
    const timeout = valueOf(member(raw, 'timeout-minutes'), contexts) as number | null;
    const standIn = (this.opts.runSteps ?? []).find((s) => s.script === script.trim());
    if (standIn) {
      report.kind = 'stand-in';
      report.reason = standIn.reason;
      if (standIn.effect)
        return standIn.effect({
          workspace: this.workspace,
          env: { ...this.envContext(), ...stepEnv },
          run: this.state,
        });
      if (standIn.replacement !== undefined)
        return this.runScript(
          standIn.replacement,
          shell,
          workingDirectory ?? undefined,
          stepEnv,
          timeout ?? undefined,
        );
    }
    return this.runScript(script, shell, workingDirectory ?? undefined, stepEnv, timeout ?? undefined);
  }

  private async runUses(
    uses: string,
    raw: Token,
    contexts: Contexts,
    stepEnv: Record<string, string>,
    report: StepReport,
  ): Promise<StepEffect> {
    const withValues = asStrings(valueOf(member(raw, 'with'), contexts));
    if (uses.startsWith('./')) {
      report.kind = 'composite';
      return this.runComposite(uses, withValues, stepEnv, report);
    }
    if (uses.startsWith('docker://'))
      return { outcome: 'failure', log: `docker actions are not supported: ${uses}` };
    const at = uses.lastIndexOf('@');
    const action = uses.slice(0, at);
    const key = action.split('/').slice(0, 2).join('/');
    const standIn = this.opts.actions[action] ?? this.opts.actions[key];
    report.kind = 'action';
    if (!standIn)
      return { outcome: 'failure', log: `no stand-in for ${action}: this step cannot run offline` };
    return standIn({
      action,
      ref: uses.slice(at + 1),
      with: withValues,
      workspace: this.workspace,
      env: { ...this.envContext(), ...stepEnv },
      run: this.state,
    });
  }

  private async runComposite(
    uses: string,
    withValues: Record<string, string>,
    stepEnv: Record<string, string>,
    report: StepReport,
  ): Promise<StepEffect> {
    const dir = resolve(this.workspace, uses);
    const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
    if (!file)
      return { outcome: 'failure', log: `no action.yml in ${uses} (is the repository checked out?)` };
    const action = loadActionFile(file, uses);
    const runs = member(action.root, 'runs');
    if (literal(runs, 'using') !== 'composite')
      return { outcome: 'failure', log: `${uses}: only composite local actions run here` };
    const declared = member(action.root, 'inputs');
    const baseContexts = { ...this.contexts, env: { ...this.envContext(), ...stepEnv } };
    const inputs: Record<string, Json> = {};
    const unexpected = Object.keys(withValues).filter((k) => !member(declared, k));
    if (unexpected.length > 0)
      report.log += `Warning: unexpected input(s) ${unexpected.join(', ')} for ${uses}\n`;
    if (declared)
      for (const pair of declared as unknown as Iterable<{ key: Token; value: Token }>) {
        const name = String(valueOf(pair.key, {}));
        inputs[name] =
          name in withValues
            ? withValues[name]
            : asString(valueOf(member(pair.value, 'default'), baseContexts));
      }
    report.steps = [];
    const result = await this.runSteps(
      rawSteps(runs),
      [],
      {
        composite: true,
        contexts: (steps) => ({
          ...this.contexts,
          env: { ...this.envContext(), ...stepEnv },
          inputs,
          steps,
          secrets: null,
        }),
      },
      report.steps,
    );
    const outputs: Record<string, string> = {};
    const declaredOutputs = member(action.root, 'outputs');
    if (declaredOutputs)
      for (const pair of declaredOutputs as unknown as Iterable<{ key: Token; value: Token }>)
        outputs[String(valueOf(pair.key, {}))] = asString(
          valueOf(member(pair.value, 'value'), { ...this.contexts, inputs, steps: result.steps }),
        );
    return { outcome: result.failed ? 'failure' : 'success', outputs };
  }
}

/** Runs the whole workflow for one event and reports every job and step. */
export async function runWorkflow(opts: RunOptions): Promise<RunReport> {
  const wf = await loadWorkflowFile(join(opts.repoRoot, '.github/workflows', opts.workflow), opts.workflow);
  const dir = mkdtempSync(join(tmpdir(), 'runner-stand-in-'));
  const log = opts.log ?? (() => undefined);
  try {
    const snapshot = takeSnapshot(opts.repoRoot, dir, opts.change);
    const state: RunState = {
      snapshot,
      artifacts: join(dir, 'artifacts'),
      event: opts.event,
      facts: opts.facts ?? {},
      log,
    };
    mkdirSync(state.artifacts);
    return await runJobs(wf, opts, state, dir);
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

function githubContext(
  wf: LoadedWorkflow,
  opts: RunOptions,
  sha: string,
  eventPath: string,
): Record<string, Json> {
  const pr = opts.event.payload.pull_request as Record<string, Json> | undefined;
  const ref = pr ? `refs/pull/${String(pr.number)}/merge` : 'refs/heads/main';
  return {
    event_name: opts.event.name,
    event: opts.event.payload,
    event_path: eventPath,
    repository: 'org/hubspoke',
    repository_owner: 'org',
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    sha,
    head_ref: pr ? ((pr.head as Record<string, Json>)?.ref ?? '') : '',
    base_ref: pr ? ((pr.base as Record<string, Json>)?.ref ?? '') : '',
    run_id: '1000',
    run_number: '1',
    run_attempt: '1',
    actor: 'octocat',
    workflow: asString(valueOf(member(wf.root, 'name'), {})) || opts.workflow,
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    token: '',
    ...opts.github,
  };
}

/** How one job instance (one matrix combination) is carried out: really, or by a simulation. */
type ExecuteJob = (id: string, index: number, contexts: Contexts) => Promise<JobReport>;

/**
 * The job graph as GitHub walks it: a job waits for its `needs`, its `if` (with the implicit
 * success()) decides whether it runs, where success() means every ancestor succeeded, failure()
 * that one failed, and cancelled() that the run was cancelled; a matrix job fails if any of its
 * combinations failed.
 */
async function scheduleJobs(
  wf: LoadedWorkflow,
  base: Contexts,
  execute: ExecuteJob,
  log: (line: string) => void,
  only?: string[],
): Promise<RunReport> {
  const report: RunReport = { jobs: {}, result: 'success' };
  const ids = wf.model.jobs.map((j) => j.id.value);
  const needs = (id: string) => (modelJob(wf, id).needs ?? []).map((n) => n.value);
  const ancestors = (id: string): string[] => [...new Set(needs(id).flatMap((n) => [n, ...ancestors(n)]))];
  const pending = new Set(ids);
  let cancelled = false;
  while (pending.size > 0) {
    const ready = [...pending].filter((id) => needs(id).every((n) => n in report.jobs));
    if (ready.length === 0) throw new Error(`${wf.file}: needs cycle among ${[...pending].join(', ')}`);
    for (const id of ready) {
      pending.delete(id);
      const model = modelJob(wf, id);
      const needsContext = Object.fromEntries(
        needs(id).map((n) => {
          const done = report.jobs[n];
          return [n, { result: done.result, outputs: Object.assign({}, ...done.runs.map((r) => r.outputs)) }];
        }),
      );
      const up = ancestors(id).map((a) => report.jobs[a].result);
      const status: Status = {
        success: !cancelled && up.every((r) => r === 'success'),
        failure: up.includes('failure'),
        cancelled,
      };
      const jobContexts: Contexts = { ...base, needs: needsContext };
      if (only && !only.includes(id)) {
        report.jobs[id] = { result: 'skipped', runs: [] };
        log(`job ${id}: not selected`);
        continue;
      }
      if (only && needs(id).some((n) => !only.includes(n)))
        throw new Error(`${wf.file}: job ${id} needs ${needs(id).join(', ')}, which are not all selected`);
      if (!truthy(evaluate(model.if.expression, jobContexts, status))) {
        report.jobs[id] = { result: 'skipped', runs: [] };
        log(`job ${id}: skipped (if: ${model.if.expression})`);
        continue;
      }
      const strategy = (valueOf(model.strategy, jobContexts) ?? {}) as Record<string, Json>;
      const combos = expandMatrix(strategy.matrix ?? null);
      const runs: JobReport[] = [];
      for (const [index, matrix] of combos.entries()) {
        const strategyContext = {
          'fail-fast': strategy['fail-fast'] ?? true,
          'job-index': index,
          'job-total': combos.length,
          'max-parallel': strategy['max-parallel'] ?? combos.length,
        };
        runs.push(await execute(id, index, { ...jobContexts, matrix, strategy: strategyContext }));
      }
      const result: Conclusion = runs.some((r) => r.result === 'cancelled')
        ? 'cancelled'
        : runs.some((r) => r.result === 'failure')
          ? 'failure'
          : 'success';
      if (result === 'cancelled') cancelled = true;
      report.jobs[id] = { result, runs };
      if (result === 'failure') report.result = 'failure';
    }
  }
  return report;
}

async function runJobs(
  wf: LoadedWorkflow,
  opts: RunOptions,
  state: RunState,
  dir: string,
): Promise<RunReport> {
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(opts.event.payload));
  const github = githubContext(wf, opts, state.snapshot.head, eventPath);
  const secrets = opts.secrets ?? {};
  const base = { github, inputs: opts.inputs ?? {}, vars: opts.vars ?? {} };
  const workflowEnv = asStrings(valueOf(member(wf.root, 'env'), { ...base, secrets }));
  const workflowDefaults = member(member(wf.root, 'defaults'), 'run');
  return scheduleJobs(
    wf,
    base,
    (id, index, contexts) =>
      runJobInstance(
        wf,
        id,
        { ...contexts, secrets },
        workflowEnv,
        workflowDefaults,
        opts,
        state,
        dir,
        index,
      ),
    (line) => log(opts, line),
    opts.only,
  );
}

export interface Simulation {
  repoRoot: string;
  workflow: string;
  event: { name: string; payload: Record<string, Json> };
  github?: Record<string, Json>;
  inputs?: Record<string, Json>;
  /** What a job that runs does (default success); 'cancelled' cancels the run while it runs. */
  outcomes?: Record<string, Conclusion>;
  /** The outputs a job sets when it runs. */
  outputs?: Record<string, Record<string, string>>;
}

/**
 * Which jobs run and how they end, given what each job does: the workflow's real job graph,
 * conditions and matrices, without executing steps. For the paths that need the cloud (deploys,
 * nightly teardown) which the stand-in cannot run.
 */
export async function simulateWorkflow(sim: Simulation): Promise<Record<string, Conclusion>> {
  const wf = await loadWorkflowFile(join(sim.repoRoot, '.github/workflows', sim.workflow), sim.workflow);
  const opts = { ...sim, actions: {} } as RunOptions;
  const base = { github: githubContext(wf, opts, 'simulated', ''), inputs: sim.inputs ?? {}, vars: {} };
  const report = await scheduleJobs(
    wf,
    base,
    async (id, _index, contexts) => ({
      id,
      name: id,
      matrix: contexts.matrix as Record<string, Json>,
      result: sim.outcomes?.[id] ?? 'success',
      outputs: sim.outputs?.[id] ?? {},
      steps: [],
      summary: '',
    }),
    () => undefined,
  );
  return Object.fromEntries(Object.entries(report.jobs).map(([id, j]) => [id, j.result]));
}

const log = (opts: RunOptions, line: string) => opts.log?.(line);

async function runJobInstance(
  wf: LoadedWorkflow,
  id: string,
  contexts: Contexts,
  workflowEnv: Record<string, string>,
  workflowDefaults: Token | undefined,
  opts: RunOptions,
  state: RunState,
  dir: string,
  index: number,
): Promise<JobReport> {
  const model = modelJob(wf, id);
  const raw = rawJob(wf, id);
  const matrix = contexts.matrix as Record<string, Json>;
  const workspace = join(dir, 'work', `${id}-${index}`, 'repo');
  mkdirSync(workspace, { recursive: true });
  const temp = join(dir, 'work', `${id}-${index}`);
  const runner = { os: 'Linux', arch: 'X64', name: 'stand-in', temp, tool_cache: join(temp, 'tool-cache') };
  const withEnv = { ...contexts, runner, job: { status: 'success' }, env: workflowEnv };
  const jobEnv = { ...workflowEnv, ...asStrings(valueOf(model.env, withEnv)) };
  const nameValue = asString(valueOf(model.name, { ...contexts, env: jobEnv }));
  const name =
    Object.keys(matrix).length > 0 && nameValue === id
      ? `${id} (${Object.values(matrix).map(asString).join(', ')})`
      : nameValue;
  log(opts, `job ${name}`);
  const jobDefaults = member(member(raw, 'defaults'), 'run');
  const defaults = {
    shell: (literal(jobDefaults, 'shell') ?? literal(workflowDefaults, 'shell')) as string | undefined,
    workingDirectory: (literal(jobDefaults, 'working-directory') ??
      literal(workflowDefaults, 'working-directory')) as string | undefined,
  };
  const github: Record<string, Json> = { ...(contexts.github as Record<string, Json>), job: id, workspace };
  const processEnv: Record<string, string> = {
    ...baseEnv(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: asString(github.repository),
    GITHUB_REPOSITORY_OWNER: asString(github.repository_owner),
    GITHUB_EVENT_NAME: asString(github.event_name),
    GITHUB_EVENT_PATH: asString(github.event_path),
    GITHUB_SHA: asString(github.sha),
    GITHUB_REF: asString(github.ref),
    GITHUB_REF_NAME: asString(github.ref_name),
    GITHUB_HEAD_REF: asString(github.head_ref),
    GITHUB_BASE_REF: asString(github.base_ref),
    GITHUB_RUN_ID: asString(github.run_id),
    GITHUB_RUN_NUMBER: asString(github.run_number),
    GITHUB_RUN_ATTEMPT: asString(github.run_attempt),
    GITHUB_WORKFLOW: asString(github.workflow),
    GITHUB_JOB: id,
    GITHUB_ACTOR: asString(github.actor),
    GITHUB_SERVER_URL: asString(github.server_url),
    GITHUB_API_URL: asString(github.api_url),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TOOL_CACHE: runner.tool_cache,
  };
  const timeout = Number(valueOf(member(raw, 'timeout-minutes'), contexts) ?? 360);
  const job = new JobRun(
    id,
    workspace,
    { ...contexts, github, runner },
    defaults,
    jobEnv,
    processEnv,
    opts,
    state,
    timeout,
  );
  const result = await job.runSteps(
    rawSteps(raw),
    model.steps,
    {
      composite: false,
      contexts: (steps) => ({
        ...contexts,
        github,
        runner,
        env: job.envContext(),
        steps,
        job: { status: job.status },
      }),
    },
    job.steps,
  );
  const outputs = asStrings(
    valueOf(model.outputs, {
      ...contexts,
      github,
      runner,
      env: job.envContext(),
      steps: result.steps,
      job: { status: job.status },
    }),
  );
  return { id, name, matrix, result: job.status, outputs, steps: job.steps, summary: job.summary };
}

/** Paths in a stand-in's `with` are relative to the workspace. */
export const inWorkspace = (workspace: string, path: string) =>
  isAbsolute(path) ? path : join(workspace, path);
