/**
 * `hubspoke verify`: get a snapshot (mock cloud, file or AWS), run the docs/contracts.md "The hubspoke CLI" checks, print
 * the table, write the reports. Exit 0 all pass, 1 a check failed; bad input throws InputError (2).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  defaultExpectations,
  formatTable,
  loadChecksFile,
  runChecks,
  runPassed,
  toResultsJson,
  writeReports,
  type CheckResult,
  type NetworkScope,
} from '@hubspoke/harness';
import { parseAccountRoles } from '@hubspoke/harness/src/live/accounts';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { AnalyzedStack } from '@hubspoke/policy-host';
import { InputError } from '../errors';
import type { CliIo } from '../io';
import {
  formatProgress,
  RUNTIMES,
  snapshotFromMockCloud,
  snapshotFromPulumiHost,
  type EnvSnapshot,
  type Runtime,
} from '../env-snapshot';
import { PolicyRun } from '../policy-checks';
import { cliRepoRoot } from '../repo';
import { loadSnapshotFile } from '../snapshot-file';
import { loadSnapshotFromAws } from './from-aws';
import { DEFAULT_ENV, defaultOutDir, type VerifyDeps, type VerifyOptions } from './verify';

/** How a finished check is shown on the progress lines (stderr). */
const PROGRESS_LABEL: Record<CheckResult['status'], string> = {
  pass: 'pass',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  'not-applicable': 'n/a',
};

export async function verify(options: VerifyOptions, io: CliIo, deps: VerifyDeps = {}): Promise<number> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  if (options.snapshot && options.fromAws)
    throw new InputError('--snapshot and --from-aws are mutually exclusive');
  if (options.snapshot && options.env)
    throw new InputError('--snapshot and --env are mutually exclusive (a snapshot file is one network)');
  if (options.region && !options.fromAws) throw new InputError('--region only applies with --from-aws');
  if (options.accountRole?.length && !options.fromAws)
    throw new InputError('--account-role only applies with --from-aws');
  const runtime = checkRuntime(options);
  const expectations = options.checks
    ? loadChecksFile(resolve(io.cwd, options.checks))
    : defaultExpectations();
  const env = options.env ?? DEFAULT_ENV;

  let snapshot: NetworkSnapshot;
  let source: string;
  // A snapshot file says nothing of its env: the checks take it from the hub's tags.
  let scope: NetworkScope = {};
  let policy: PolicyRun | undefined;
  let stacks: AnalyzedStack[] | undefined;
  if (options.snapshot) {
    snapshot = loadSnapshotFile(resolve(io.cwd, options.snapshot));
    source = `snapshot ${options.snapshot}`;
  } else if (options.fromAws) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    io.stderr(`reading env ${env} from AWS${region ? ` (${region})` : ''}...\n`);
    const accountRoles = accountRolesOf(options.accountRole ?? []);
    snapshot = await (deps.loadFromAws ?? loadSnapshotFromAws)({
      env,
      ...(region ? { region } : {}),
      ...(accountRoles.size > 0 ? { accountRoles } : {}),
      ...(deps.repoRoot ? { repoRoot: deps.repoRoot } : {}),
      onProgress: (line) => io.stderr(`${line}\n`),
    });
    source = `aws ${region ?? ''}`.trim();
    scope = { env };
  } else {
    const root = deps.repoRoot ?? cliRepoRoot();
    const progress = (p: Parameters<typeof formatProgress>[0]) => io.stderr(formatProgress(p));
    // The policy pack compiles while the programs run; both runtimes record what the pack is handed.
    policy = deps.snapshotFromEnv ? undefined : PolicyRun.start(root);
    let run: EnvSnapshot;
    try {
      if (deps.snapshotFromEnv) run = await deps.snapshotFromEnv(root, env, io);
      else if (runtime === 'pulumi')
        run = await withInterrupt((signal) =>
          snapshotFromPulumiHost(root, env, progress, {
            ...(options.preview ? { preview: true } : {}),
            signal,
          }),
        );
      else run = await snapshotFromMockCloud(root, env, progress);
    } catch (error) {
      await policy?.abort();
      throw error;
    }
    snapshot = run.snapshot;
    scope = { env, spokes: run.spokes };
    stacks = run.stacks;
    if (stacks && !policy) policy = PolicyRun.start(root);
    source = `mock cloud (apps/*/Pulumi.${env}.yaml${runtime === 'pulumi' ? ', Pulumi language host' : ''})`;
  }
  deps.onSnapshot?.(snapshot);

  const tChecks = performance.now();
  const onResult = (r: CheckResult) =>
    io.stderr(
      `  ${PROGRESS_LABEL[r.status]} ${r.id}${r.durationMs !== undefined ? ` (${Math.round(r.durationMs)} ms)` : ''}\n`,
    );
  let results: CheckResult[];
  try {
    results = await runChecks({ snapshot, expectations, scope, onResult });
  } catch (error) {
    await policy?.abort();
    throw error;
  }
  io.stderr(`checks: ${results.length} in ${((performance.now() - tChecks) / 1000).toFixed(1)}s\n`);
  if (policy) {
    if (!stacks) {
      await policy.abort();
      throw new Error('the environment run returned no stacks for the policy pack');
    }
    results.push(...(await policy.checks(stacks, io, onResult)));
  }

  const meta = {
    command: 'hubspoke verify',
    ...(options.snapshot ? {} : { env }),
    source,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    snapshot,
  };
  io.stdout(`${formatTable(results, io.columns ? { width: io.columns } : {})}\n`);
  const outDir = resolve(io.cwd, options.outDir ?? defaultOutDir(options));
  const files = writeReports(results, meta, outDir);
  io.stderr(`reports: ${files.json}, ${files.markdown}, ${files.junit}\n`);
  if (options.json) {
    const out = resolve(io.cwd, options.json);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(toResultsJson(results, meta), null, 2)}\n`);
  }
  return runPassed(results) ? 0 : 1;
}

/** `--account-role` values by account; bad ones are bad input. */
function accountRolesOf(values: string[]): Map<string, string> {
  try {
    return parseAccountRoles(values);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

function checkRuntime(options: VerifyOptions): Runtime {
  const runtime = options.runtime ?? 'in-process';
  if (!(RUNTIMES as readonly string[]).includes(runtime))
    throw new InputError(`--runtime: "${runtime}" is not one of ${RUNTIMES.join(', ')}`);
  if (options.runtime && (options.snapshot || options.fromAws))
    throw new InputError('--runtime applies to running the stack programs, not to --snapshot or --from-aws');
  if (options.preview && runtime !== 'pulumi') throw new InputError('--preview needs --runtime pulumi');
  return runtime as Runtime;
}

/**
 * Runs `work` with an abort signal raised by Ctrl-C (SIGINT) or SIGTERM, so the stack programs are
 * stopped and their ports closed before the CLI exits (with 130, see cli.ts).
 */
async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
