/**
 * Runs an environment's stack programs through the language host into one mock cloud account.
 *
 * Order comes from the programs themselves: every program starts (and compiles) as soon as a slot
 * is free, and a StackReference to a stack of the environment waits until that stack's update has
 * finished, so each program creates its resources after its upstream stacks, as a deploy in
 * dependency order would; independent stacks (the spokes) run side by side. Slots are handed out in
 * the order of the specs (tgw, inspection, spokes); a program waiting on a stack that has no slot
 * yet gets it started at once, so a short pool never deadlocks, and a reference cycle fails naming
 * the stacks. With `preview`, every stack is also run as `pulumi preview` would on an empty stack,
 * against the outputs of its upstream stacks' updates (a preview reads deployed upstream stacks).
 */
import { availableParallelism } from 'node:os';
import { MockCloud, type MockResourceRecord, type StackSpec } from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { InterruptedError, StackRunError, type RunMode } from './errors';
import type { RegistrationObserver } from './monitor';
import { runStack, type StackRun } from './stack-run';
import { toProviderValue, type WireObject } from './wire';

export type HostProgressEvent =
  | { kind: 'stack-start'; project: string; stack: string; mode: RunMode; index: number; total: number }
  | {
      kind: 'stack-done';
      project: string;
      stack: string;
      mode: RunMode;
      index: number;
      total: number;
      elapsedMs: number;
      resources: number;
    }
  | {
      kind: 'stack-failed';
      project: string;
      stack: string;
      mode: RunMode;
      index: number;
      total: number;
      elapsedMs: number;
      error: string;
    };

export interface EnvironmentRunOptions {
  /** Run into this account (default: a new one in the first stack's `aws:region`). */
  cloud?: MockCloud;
  /** Also preview every stack (dry run) against its upstream stacks' outputs. */
  preview?: boolean;
  /** Programs running at once (each compiles its TypeScript on one core). Default: the core count. */
  parallelism?: number;
  onProgress?: (event: HostProgressEvent) => void;
  signal?: AbortSignal;
  observers?: RegistrationObserver[];
  timeoutMs?: number;
}

export interface EnvironmentRun {
  snapshot: NetworkSnapshot;
  /** Stack outputs of the updates, as plain values (secrets unwrapped), per project. */
  outputs: Record<string, Record<string, unknown>>;
  resources: MockResourceRecord[];
  /** Every program run, updates and previews, in the order they finished. */
  runs: StackRun[];
}

/** Several stacks failed; each is named with its mode and problems. */
export class EnvironmentRunError extends Error {
  constructor(readonly failures: StackRunError[]) {
    super(failures.map((f) => f.message).join('\n'));
    this.name = 'StackRunError';
  }
}

interface Job {
  spec: StackSpec;
  mode: RunMode;
  /** 0-based position among the jobs (progress). */
  index: number;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** Settles when the job ends; resolves for a successful update. */
  done: Promise<void>;
  settle(error?: Error): void;
  /** The project this job's program is waiting for (cycle detection). */
  waitingFor?: string;
}

function deferred(): { promise: Promise<void>; settle(error?: Error): void } {
  let settle!: (error?: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  promise.catch(() => undefined);
  return { promise, settle };
}

/** `organization/tgw/dev` -> `{ project: 'tgw', stack: 'dev' }`; other shapes are not ours. */
function parseReference(name: string): { project: string; stack: string } | undefined {
  const parts = name.split('/');
  if (parts.length === 3) return { project: parts[1]!, stack: parts[2]! };
  if (parts.length === 2) return { project: parts[0]!, stack: parts[1]! };
  return undefined;
}

export async function runEnvironment(
  specs: StackSpec[],
  options: EnvironmentRunOptions = {},
): Promise<EnvironmentRun> {
  const region = specs.map((s) => s.config['aws:region']).find((r): r is string => typeof r === 'string');
  const cloud = options.cloud ?? new MockCloud({ region: region ?? 'us-east-1' });
  const modes: RunMode[] = options.preview ? ['update', 'preview'] : ['update'];
  // Updates first: downstream programs wait on them; previews only read.
  const jobs: Job[] = modes
    .flatMap((mode) => specs.map((spec) => ({ spec, mode })))
    .map(({ spec, mode }, index) => {
      const d = deferred();
      return { spec, mode, index, state: 'queued', done: d.promise, settle: d.settle };
    });
  const updates = new Map(
    jobs.filter((j) => j.mode === 'update').map((j) => [`${j.spec.project}/${j.spec.stack}`, j]),
  );
  const limit = Math.max(1, options.parallelism ?? availableParallelism());
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) abort.abort();
  const runs: StackRun[] = [];
  const failures: StackRunError[] = [];
  let allDone!: () => void;
  const everything = new Promise<void>((resolve) => (allDone = resolve));

  const waitForUpstream = async (job: Job, name: string): Promise<void> => {
    const ref = parseReference(name);
    const upstream = ref && updates.get(`${ref.project}/${ref.stack}`);
    if (!upstream) return; // not part of this run: the cloud answers (or names the unknown stack)
    const chain = [job.spec.project];
    for (let j: Job | undefined = upstream; j; j = j.waitingFor ? updates.get(j.waitingFor) : undefined) {
      chain.push(j.spec.project);
      if (j.spec.project === job.spec.project && j.mode === 'update')
        throw new Error(`StackReference cycle: ${chain.join(' -> ')}`);
    }
    job.waitingFor = `${ref.project}/${ref.stack}`;
    if (upstream.state === 'queued') start(upstream);
    try {
      await upstream.done;
    } catch {
      throw new Error(`stack ${ref.project}/${ref.stack}, referenced as ${name}, failed`);
    } finally {
      delete job.waitingFor;
    }
  };

  const start = (job: Job): void => {
    job.state = 'running';
    const base = {
      project: job.spec.project,
      stack: job.spec.stack,
      mode: job.mode,
      index: job.index,
      total: jobs.length,
    };
    options.onProgress?.({ kind: 'stack-start', ...base });
    const t0 = performance.now();
    runStack(job.spec, {
      cloud,
      mode: job.mode,
      awaitStackReference: (name) => waitForUpstream(job, name),
      signal: abort.signal,
      ...(options.observers ? { observers: options.observers } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }).then(
      (run) => {
        runs.push(run);
        if (job.mode === 'update') cloud.setStackOutputs(job.spec.project, job.spec.stack, run.outputs);
        job.state = 'done';
        options.onProgress?.({
          kind: 'stack-done',
          ...base,
          elapsedMs: performance.now() - t0,
          resources: run.resources.length,
        });
        job.settle();
        next();
      },
      (err: unknown) => {
        job.state = 'failed';
        const error = err instanceof Error ? err : new Error(String(err));
        if (!(error instanceof InterruptedError)) {
          const failure =
            error instanceof StackRunError
              ? error
              : new StackRunError(job.spec.project, job.spec.stack, job.mode, [error.message]);
          failures.push(failure);
          options.onProgress?.({
            kind: 'stack-failed',
            ...base,
            elapsedMs: performance.now() - t0,
            error: failure.problems.join('; '),
          });
        }
        job.settle(error);
        // One failed stack fails the environment: stop the others rather than wait for them.
        abort.abort();
        next();
      },
    );
  };

  const next = (): void => {
    if (!abort.signal.aborted) {
      for (const j of jobs) {
        if (jobs.filter((x) => x.state === 'running').length >= limit) break;
        if (j.state === 'queued') start(j);
      }
    }
    const finished = jobs.filter((j) => j.state === 'done' || j.state === 'failed').length;
    const started = jobs.filter((j) => j.state !== 'queued').length;
    if (finished === started && (abort.signal.aborted || finished === jobs.length)) allDone();
  };

  try {
    next();
    await everything;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new EnvironmentRunError(failures);
  if (abort.signal.aborted) throw new InterruptedError();
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const r of runs)
    if (r.mode === 'update') outputs[r.project] = toProviderValue(r.outputs, () => undefined) as WireObject;
  return { snapshot: cloud.toSnapshot(), outputs, resources: cloud.resources, runs };
}
