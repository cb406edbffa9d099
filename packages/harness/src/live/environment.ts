/**
 * Deploys an environment in dependency order and tears it down in reverse. The ledger records a
 * stack as soon as it exists in the backend (before its first `up`), so teardown destroys every
 * stack that was created, whatever phase failed or was interrupted.
 */
import { isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { type Cancellation } from './cancellation';
import { errorMessage, isInterruptedStateError, isTransientDestroyError } from './errors';
import type { Progress } from './progress';
import { type ProjectLayout, type StackProject, deployPhases, refFor } from './projects';
import { type RetryPolicy, retryWhen } from './retry';
import { type ConfigValues, type StackDriver, type StackRef, stackLabel } from './stack-driver';

export interface LedgerEntry {
  ref: StackRef;
  /** Deploy phase index (0 = tgw); teardown goes from the highest phase down. */
  phase: number;
}

export class StackLedger {
  readonly entries: LedgerEntry[] = [];
  add(ref: StackRef, phase: number): void {
    if (!this.entries.some((e) => stackLabel(e.ref) === stackLabel(ref))) this.entries.push({ ref, phase });
  }
  get size(): number {
    return this.entries.length;
  }
}

export interface DeployedEnvironment {
  env: string;
  /** Stack outputs keyed by project name. */
  outputs: Record<string, Record<string, unknown>>;
}

export interface DeployDeps {
  driver: StackDriver;
  progress: Progress;
  cancellation: Cancellation;
  /** Absolute paths of the policy packs every preview and up runs (`--policy-pack`). */
  policyPacks?: string[];
}

export async function deployEnvironment(
  env: string,
  layout: ProjectLayout,
  configFor: (project: StackProject) => ConfigValues,
  ledger: StackLedger,
  deps: DeployDeps,
): Promise<DeployedEnvironment> {
  const outputs: Record<string, Record<string, unknown>> = {};
  const phases = deployPhases(layout);
  for (const [index, projects] of phases.entries()) {
    deps.cancellation.throwIfCancelled();
    const names = projects.map((p) => p.project).join(', ');
    await deps.progress.phase(`deploy ${names}`, async () => {
      // allSettled, not all: a failing spoke must not leave its siblings' `up` running unobserved.
      const settled = await Promise.allSettled(
        projects.map(async (project) => {
          outputs[project.project] = await deployStack(project, env, configFor(project), index, ledger, deps);
        }),
      );
      const failures = settled.flatMap((s, i) =>
        s.status === 'rejected' ? [`${projects[i]!.project}/${env}: ${errorMessage(s.reason)}`] : [],
      );
      if (failures.length > 0) {
        throw deps.cancellation.cancelled
          ? new DeployError(`deploy interrupted (${deps.cancellation.why}): ${failures.join('; ')}`)
          : new DeployError(`deploy failed: ${failures.join('; ')}`);
      }
    });
  }
  return { env, outputs };
}

export class DeployError extends Error {
  override name = 'DeployError';
}

async function deployStack(
  project: StackProject,
  env: string,
  config: ConfigValues,
  phase: number,
  ledger: StackLedger,
  deps: DeployDeps,
): Promise<Record<string, unknown>> {
  const ref = refFor(project, env);
  const label = stackLabel(ref);
  deps.cancellation.throwIfCancelled();
  await deps.driver.createOrSelect(ref);
  ledger.add(ref, phase);
  await deps.driver.setConfig(ref, config);
  const options = {
    onOutput: deps.progress.streamFor(label),
    ...(deps.policyPacks?.length ? { policyPacks: deps.policyPacks } : {}),
  };
  // A terminal Ctrl-C already reached the CLI (same process group): do not send a second one.
  const cancel = () => deps.driver.cancel(ref, { signalled: deps.cancellation.why === 'SIGINT' });
  // Preview first, as the deploy workflow does: a mandatory policy violation (stack policies
  // included, which an update only evaluates once its resources exist) stops the stack before
  // anything of it is created.
  await deps.progress.phase(`preview ${label}`, () =>
    deps.cancellation.whileRunning(() => deps.driver.preview(ref, options), cancel),
  );
  return deps.progress.phase(`up ${label}`, () =>
    deps.cancellation.whileRunning(() => deps.driver.up(ref, options), cancel),
  );
}

export interface TeardownReport {
  destroyed: StackRef[];
  removed: StackRef[];
  failed: { ref: StackRef; error: string }[];
}

export interface TeardownDeps {
  driver: StackDriver;
  progress: Progress;
  retry: RetryPolicy;
}

/** Retry budget for destroys: ENIs of firewall / interface endpoints can take ~20 minutes to go. */
export const DESTROY_RETRY: RetryPolicy = { attempts: 6, startingDelayMs: 30_000, maxDelayMs: 5 * 60_000 };

/**
 * Destroys the ledger's stacks, highest phase first (spokes in parallel, then inspection, then
 * tgw), retrying transient errors; removes each stack once it is empty. Earlier phases are
 * destroyed even when a later one failed, so the costly hub resources are not kept for nothing.
 */
export async function destroyEnvironment(ledger: StackLedger, deps: TeardownDeps): Promise<TeardownReport> {
  const report: TeardownReport = { destroyed: [], removed: [], failed: [] };
  const phases = [...new Set(ledger.entries.map((e) => e.phase))].sort((a, b) => b - a);
  for (const phase of phases) {
    const refs = ledger.entries.filter((e) => e.phase === phase).map((e) => e.ref);
    await Promise.allSettled(refs.map((ref) => destroyStack(ref, deps, report)));
  }
  return report;
}

/**
 * Destroys one stack, retrying transient AWS errors. An ephemeral stack that an interrupted run
 * left locked or with pending operations is recovered first (the stale update cancelled, pending
 * operations dropped, each reported), then destroyed; never a long-lived one, whose lock may
 * belong to a deploy that is still running.
 */
async function destroyStack(ref: StackRef, deps: TeardownDeps, report: TeardownReport): Promise<void> {
  const label = stackLabel(ref);
  const recoverable = isEphemeralEnv(ref.env);
  let recoverFirst = false;
  try {
    await deps.progress.phase(`destroy ${label}`, () =>
      retryWhen(
        async (attempt) => {
          if (recoverFirst) {
            recoverFirst = false;
            const r = await deps.driver.recover(ref);
            deps.progress.info(
              `${label}: recovered from an interrupted run: ${r.cancel}` +
                (r.droppedPendingOperations.length > 0
                  ? `; dropped pending operations (a resource they were creating may be left in AWS, tagged hubspoke:env=${ref.env}): ${r.droppedPendingOperations.join(', ')}`
                  : ''),
            );
          }
          // A retry refreshes first: AWS may have removed things itself since the failed attempt.
          return deps.driver.destroy(ref, { onOutput: deps.progress.streamFor(label), refresh: attempt > 1 });
        },
        (err) => isTransientDestroyError(err) || (recoverable && isInterruptedStateError(err)),
        deps.retry,
        (err, next) => {
          if (recoverable && isInterruptedStateError(err)) recoverFirst = true;
          deps.progress.info(
            `${label}: ${recoverFirst ? 'left locked or with pending operations by an interrupted run' : 'transient destroy error'}, retry ${next}/${deps.retry.attempts}: ${firstLine(err)}`,
          );
        },
      ),
    );
    report.destroyed.push(ref);
  } catch (err) {
    report.failed.push({ ref, error: errorMessage(err) });
    return;
  }
  try {
    await deps.driver.remove(ref);
    report.removed.push(ref);
  } catch (err) {
    report.failed.push({ ref, error: `destroyed, but removing the stack failed: ${errorMessage(err)}` });
  }
}

function firstLine(err: unknown): string {
  const text = errorMessage(err);
  const hit = text
    .split('\n')
    .find((l) =>
      /DependencyViolation|dependencies|in use|IncorrectState|Throttl|locked|pending operations|in progress/i.test(
        l,
      ),
    );
  return (hit ?? text.split('\n')[0] ?? '').trim().slice(0, 300);
}

/** Exact commands that destroy `env` by hand (for --keep and for stacks teardown could not destroy). */
export function destroyInstructions(
  refs: StackRef[],
  repoRoot: string,
  backendUrl: string | undefined,
): string {
  const rel = (dir: string): string =>
    (dir.startsWith(repoRoot) ? dir.slice(repoRoot.length).replace(/^[\\/]/, '') : dir) || '.';
  const lines = [
    'To destroy it, from the repo root, in this order:',
    ...(backendUrl ? [`  export PULUMI_BACKEND_URL=${backendUrl}`] : []),
    ...refs.map(
      (r) =>
        `  (cd ${rel(r.workDir)} && pulumi destroy --yes --stack ${r.env} && pulumi stack rm --yes ${r.env})`,
    ),
  ];
  return lines.join('\n');
}
