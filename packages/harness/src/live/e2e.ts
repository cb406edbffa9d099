/**
 * The live integration test: ephemeral env `it-<id>` -> readiness -> the check suite through SSM
 * -> teardown, always. Everything it talks to is a dependency (driver, clients, clock, signals),
 * so the fault-injection tests run it end to end offline.
 *
 * Guarantees: nothing is created before preflight and config validation pass; every stack that
 * exists in the backend is destroyed (reverse order) and removed unless --keep, whatever failed
 * or was interrupted; no check passes without an observation (the probe reports `observed`).
 *
 * Spokes the template env places in accounts of their own (docs/multi-account.md) are deployed
 * there by their programs; the run reaches each such account through its role (checked before
 * anything is created) for the probes' SSM, and reads the snapshot from every account.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runPassed } from '../checks/evaluated';
import type { CheckExpectations } from '../checks/expectations';
import type { CheckResult } from '../checks/types';
import { STATUS_LABEL, formatTable } from '../reports/table';
import type { ReportMeta } from '../reports/types';
import { type WrittenReports, writeReports as defaultWriteReports } from '../reports/write';
import { readAccountsSnapshot } from './account-snapshot';
import { type AccountAccess, accountsOfEnv, describeAccount, withAccountRoles } from './accounts';
import { AccountsProbe } from './accounts-probe';
import { type AccountRole, type AwsClients, callerAccount } from './aws-clients';
import { AvailabilityZoneError, mapAvailabilityZones, regionAvailabilityZones } from './availability-zones';
import { readAwsSnapshot } from './aws-snapshot';
import { describeBackend } from './backend';
import { Cancellation, type SignalSource, installSignalHandlers } from './cancellation';
import { type Clock, systemClock } from './clock';
import {
  DESTROY_RETRY,
  StackLedger,
  type TeardownReport,
  deployEnvironment,
  destroyEnvironment,
  destroyInstructions,
} from './environment';
import { resolveEnvName } from './env-name';
import { PreflightError, errorMessage } from './errors';
import { type LiveCheckSuite, runLiveChecks } from './live-checks';
import { inspectionOutputs, spokeOutputs } from './outputs';
import type { PreflightResult } from './preflight';
import { Progress } from './progress';
import {
  allProjects,
  discoverProjects,
  ephemeralConfig,
  findRepoRoot,
  readTemplateConfig,
  rfc3339,
} from './projects';
import {
  DEFAULT_READINESS_TIMEOUTS,
  type ReadinessTimeouts,
  waitForFirewall,
  waitForNatGateways,
  waitForProbesOnline,
} from './readiness';
import type { RetryPolicy } from './retry';
import { SsmProbe, type SsmProbeOptions } from './ssm-probe';
import type { ConfigValues, StackDriver } from './stack-driver';

export interface E2eOptions {
  /** `it-<id>`; default from the CI run id, else generated. */
  env?: string;
  outDir: string;
  timeoutMinutes: number;
  keep?: boolean;
  /** Env whose Pulumi.<env>.yaml every project's config is copied from. */
  templateEnv?: string;
  repoRoot?: string;
  expectations?: CheckExpectations;
  /** Minutes after the start at which `sweep` may destroy the env; default timeout + 60. */
  ttlMinutes?: number;
  /** `--account-role`: the role to reach an account through, by account id (overrides the config). */
  accountRoles?: Map<string, string>;
  /**
   * The policy pack every preview and up runs (`--policy-pack`), relative to the repo root or
   * absolute; default the repository's pack, `packages/policy` (docs/policy.md).
   */
  policyPack?: string;
}

/** The repository's policy pack, relative to its root. */
export const DEFAULT_POLICY_PACK = 'packages/policy';

/**
 * The pack's absolute path (the CLI runs in each project's directory), checked before anything
 * is created: a missing pack would otherwise fail the first preview with the CLI's own error.
 */
function policyPackDir(repoRoot: string, given: string | undefined): string {
  const dir = resolve(repoRoot, given ?? DEFAULT_POLICY_PACK);
  if (!existsSync(join(dir, 'PulumiPolicy.yaml')))
    throw new PreflightError([`policy pack: ${dir} has no PulumiPolicy.yaml (docs/policy.md)`]);
  return dir;
}

export interface E2eDeps {
  /** Checks credentials, region, CLI, backend; throws PreflightError. Runs before anything else. */
  preflight: () => Promise<PreflightResult>;
  createDriver: (preflight: PreflightResult) => StackDriver;
  /** Clients of the ambient credentials, or (given an account) of that account's role. */
  createClients: (region: string, account?: AccountRole) => AwsClients;
  checks?: LiveCheckSuite;
  writeReports?: (results: CheckResult[], meta: ReportMeta, outDir: string) => WrittenReports;
  clock?: Clock;
  signals?: SignalSource;
  /** Progress lines (default stderr). */
  write?: (line: string) => void;
  /** The final results table (default: `write`); the CLI sends it to stdout like `verify`. */
  summary?: (text: string) => void;
  /** Table width. */
  columns?: number;
  destroyRetry?: RetryPolicy;
  readiness?: ReadinessTimeouts;
  probe?: Pick<SsmProbeOptions, 'commandTimeoutMs' | 'pollDelayMs' | 'curl' | 'nonce'>;
  /** Overall timeout timer (default setTimeout); returns a stop function. */
  startTimer?: (ms: number, onTimeout: () => void) => () => void;
  vars?: Record<string, string | undefined>;
}

export type E2eExitCode = 0 | 1 | 130;

export interface E2eOutcome {
  env: string;
  exitCode: E2eExitCode;
  results: CheckResult[];
  teardown?: TeardownReport;
  kept: boolean;
  reports: WrittenReports;
}

/** Synthetic check ids for run phases, so a failed deploy or teardown shows in every report. */
export const PHASE_CHECK = {
  deploy: 'live:deploy',
  readiness: 'live:readiness',
  checks: 'live:checks',
  teardown: 'live:teardown',
} as const;
type Phase = keyof typeof PHASE_CHECK;

const defaultTimer = (ms: number, onTimeout: () => void): (() => void) => {
  const t = setTimeout(onTimeout, ms);
  t.unref();
  return () => clearTimeout(t);
};

export async function runE2e(options: E2eOptions, deps: E2eDeps): Promise<E2eOutcome> {
  const clock = deps.clock ?? systemClock;
  const progress = new Progress(deps.write, clock);
  const pre = await deps.preflight();

  // Everything that can be wrong with the input fails here, before the first stack exists.
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const layout = discoverProjects(repoRoot);
  const policyPack = policyPackDir(repoRoot, options.policyPack);
  const env = resolveEnvName({
    ...(options.env !== undefined ? { env: options.env } : {}),
    vars: deps.vars ?? process.env,
  });
  const templateEnv = options.templateEnv ?? 'dev';
  const startedAt = clock.now();
  const expiresAt = rfc3339(startedAt + (options.ttlMinutes ?? options.timeoutMinutes + 60) * 60_000);
  const templates = new Map<string, ConfigValues>(
    allProjects(layout).map((p) => [
      p.project,
      ephemeralConfig(p, readTemplateConfig(p, templateEnv), { expiresAt, region: pre.region }),
    ]),
  );
  const clients = deps.createClients(pre.region);
  const configs = await azsOfRegion(templates, pre.region, clients, progress);

  progress.info(
    `env ${env} in ${pre.region}, ${pre.pulumiVersion.split('\n')[0]}, expires ${expiresAt}\n` +
      `backend ${describeBackend(pre.backend)}`,
  );
  const accounts = await reachAccounts(
    withAccountRoles(accountsOfEnv(layout, templateEnv), options.accountRoles ?? new Map()),
    clients,
    (a) => deps.createClients(pre.region, a),
    (line) => progress.info(line),
  );
  const driver = deps.createDriver(pre);
  const cancellation = new Cancellation();
  const uninstall = installSignalHandlers(cancellation, deps.signals ?? process, (m) => progress.info(m));
  const stopTimer = (deps.startTimer ?? defaultTimer)(options.timeoutMinutes * 60_000, () => {
    progress.info(`overall timeout of ${options.timeoutMinutes} minutes reached`);
    void cancellation.cancel(`timeout after ${options.timeoutMinutes} minutes`);
  });

  const ledger = new StackLedger();
  const results: CheckResult[] = [];
  let phase: Phase = 'deploy';
  let failure: { phase: Phase; error: unknown } | undefined;
  let teardown: TeardownReport | undefined;
  let snapshot: ReportMeta['snapshot'];
  try {
    const deployed = await deployEnvironment(env, layout, (p) => configs.get(p.project)!, ledger, {
      driver,
      progress,
      cancellation,
      policyPacks: [policyPack],
    });

    phase = 'readiness';
    cancellation.throwIfCancelled();
    const inspection = inspectionOutputs(
      deployed.outputs[layout.inspection.project],
      `${layout.inspection.project}/${env}`,
    );
    const spokes = layout.spokes.map((s) => ({
      project: s.project,
      out: spokeOutputs(deployed.outputs[s.project], `${s.project}/${env}`),
    }));
    // Probe instance ids by the account holding them (a probe is online in its own account's SSM).
    const probesByAccount = new Map<AccountClients, string[]>();
    for (const { project, out } of spokes) {
      if (!out.probeInstanceId)
        throw new Error(`${project}/${env}: probe enabled but no probeInstanceId output`);
      const at = accounts.others.find((a) => a.access?.spokes.includes(project)) ?? accounts.network;
      probesByAccount.set(at, [...(probesByAccount.get(at) ?? []), out.probeInstanceId]);
    }
    const timeouts = deps.readiness ?? DEFAULT_READINESS_TIMEOUTS;
    const wait = (timeoutMs: number) => ({ timeoutMs, clock, signal: cancellation.signal });
    await progress.phase('wait: firewall READY and IN_SYNC', () =>
      waitForFirewall(clients.nfw, inspection.firewallArn, wait(timeouts.firewallMs)),
    );
    await progress.phase('wait: NAT gateways available', () =>
      waitForNatGateways(clients.ec2, inspection.natGatewayIds, wait(timeouts.natMs)),
    );
    for (const [at, probeIds] of probesByAccount) {
      await progress.phase(
        `wait: probes online in SSM${at.access ? ` of account ${at.accountId}` : ''}`,
        () => waitForProbesOnline(at.clients.ssm, probeIds, wait(timeouts.ssmMs)),
      );
    }

    phase = 'checks';
    cancellation.throwIfCancelled();
    snapshot = await progress.phase('read the env from AWS', () =>
      accounts.others.length === 0
        ? readAwsSnapshot({ env, region: pre.region, clients })
        : readAccountsSnapshot({
            env,
            region: pre.region,
            readers: [accounts.network, ...accounts.others].map((a) => ({
              accountId: a.accountId,
              via: a.access ? `role ${a.access.roleArn}` : 'the ambient credentials',
              clients: a.clients,
            })),
          }),
    );
    const select = options.expectations?.probes;
    const ssmProbe = (c: AwsClients) =>
      new SsmProbe({
        ec2: c.ec2,
        ssm: c.ssm,
        env,
        region: pre.region,
        ...(options.expectations ? { egressIpHost: options.expectations.egressIpHost } : {}),
        clock,
        signal: cancellation.signal,
        ...(select ? { select } : {}),
        ...deps.probe,
      });
    const probe =
      accounts.others.length === 0
        ? ssmProbe(clients)
        : new AccountsProbe([accounts.network, ...accounts.others].map((a) => ssmProbe(a.clients)));
    const checks = deps.checks ?? runLiveChecks;
    const checked = await progress.phase('checks', () =>
      checks({
        probe,
        snapshot: snapshot!,
        ...(options.expectations ? { expectations: options.expectations } : {}),
        egressIps: {
          ips: inspection.natPublicIps,
          source: `the NAT EIPs of ${layout.inspection.project}/${env}`,
        },
        scope: { env, spokes: spokes.map(({ project, out }) => ({ name: project, vpcId: out.vpcId })) },
        onResult: (r) => progress.info(`${STATUS_LABEL[r.status]} ${r.id}: ${r.detail}`),
      }),
    );
    // The teardown result alone must never make a run pass.
    if (checked.length === 0) throw new Error('the check suite evaluated no check');
    results.push(...checked);
  } catch (err) {
    failure = { phase, error: err };
  } finally {
    stopTimer();
    if (options.keep) {
      const order = [...ledger.entries].sort((a, b) => b.phase - a.phase).map((e) => e.ref);
      progress.info(
        `--keep: ${env} is left up (sweep may destroy it after ${expiresAt}).\n${destroyInstructions(order, repoRoot, pre.backendUrl)}`,
      );
    } else {
      teardown = await progress.phase(`teardown ${env}`, () =>
        destroyEnvironment(ledger, { driver, progress, retry: deps.destroyRetry ?? DESTROY_RETRY }),
      );
      if (teardown.failed.length > 0) {
        const left = teardown.failed.map((f) => f.ref);
        progress.info(
          `TEARDOWN INCOMPLETE for ${env}.\n${destroyInstructions(left, repoRoot, pre.backendUrl)}`,
        );
      }
    }
    uninstall();
  }

  if (failure) {
    results.push({
      id: PHASE_CHECK[failure.phase],
      status: 'fail',
      detail: `${failure.phase} failed: ${errorMessage(failure.error)}`,
    });
  }
  if (teardown) {
    const ok = teardown.failed.length === 0;
    results.push({
      id: PHASE_CHECK.teardown,
      status: ok ? 'pass' : 'fail',
      detail: ok
        ? `destroyed and removed ${teardown.removed.length} stack(s)`
        : `left behind: ${teardown.failed.map((f) => `${f.ref.project}/${f.ref.env}: ${f.error.split('\n')[0]}`).join('; ')}`,
    });
  }

  const meta: ReportMeta = {
    command: 'hubspoke e2e',
    env,
    source: `live ${pre.region}`,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: clock.now() - startedAt,
    ...(snapshot ? { snapshot } : {}),
  };
  const reports = (deps.writeReports ?? defaultWriteReports)(results, meta, options.outDir);
  progress.info(`${progress.summary()}\nreports: ${reports.dir}`);
  const table = formatTable(results, deps.columns ? { width: deps.columns } : {});
  (deps.summary ?? ((text: string) => progress.info(`\n${text}`)))(table);

  // 130 = interrupted by a signal (shell convention); a timeout is a plain failure.
  const interrupted = cancellation.why === 'SIGINT' || cancellation.why === 'SIGTERM';
  const exitCode: E2eExitCode = interrupted ? 130 : runPassed(results) ? 0 : 1;
  return { env, exitCode, results, ...(teardown ? { teardown } : {}), kept: !!options.keep, reports };
}

/**
 * The template's AZs, mapped onto the run's region when it is not the template's. Refused (like
 * a missing prerequisite, before any stack exists) when the region has too few AZs.
 */
async function azsOfRegion(
  templates: Map<string, ConfigValues>,
  region: string,
  clients: AwsClients,
  progress: Progress,
): Promise<Map<string, ConfigValues>> {
  let available: string[];
  try {
    available = await regionAvailabilityZones(clients.ec2);
  } catch (err) {
    throw new PreflightError([
      `AWS region ${region}: DescribeAvailabilityZones failed: ${errorMessage(err)}`,
    ]);
  }
  try {
    const { map, configs } = mapAvailabilityZones(templates, region, available);
    if (map.size > 0)
      progress.info(
        `AZs of the template mapped to ${region}: ${[...map].map(([a, b]) => `${a} -> ${b}`).join(', ')}`,
      );
    return configs;
  } catch (err) {
    if (err instanceof AvailabilityZoneError) throw new PreflightError([`AWS region: ${err.message}`]);
    throw err;
  }
}

/** An account of the run and its clients; `access` is unset for the ambient credentials' account. */
interface AccountClients {
  accountId: string;
  access?: AccountAccess;
  clients: AwsClients;
}

/**
 * The ambient account and the other accounts of the env, each reached through its role before
 * anything is created: a role that cannot be assumed stops the run naming the account (a deploy
 * would otherwise fail half-way, after the hub was built). A single-account env makes no call.
 */
async function reachAccounts(
  accounts: AccountAccess[],
  ambient: AwsClients,
  clientsFor: (account: AccountAccess) => AwsClients,
  info: (line: string) => void,
): Promise<{ network: AccountClients; others: AccountClients[] }> {
  if (accounts.length === 0) return { network: { accountId: 'ambient', clients: ambient }, others: [] };
  const problems: string[] = [];
  let networkAccount: string;
  try {
    networkAccount = await callerAccount(ambient.sts);
  } catch (err) {
    throw new PreflightError([
      `AWS account of the credentials (sts:GetCallerIdentity): ${errorMessage(err)}`,
    ]);
  }
  const others: AccountClients[] = [];
  for (const access of accounts.filter((a) => a.accountId !== networkAccount)) {
    const clients = clientsFor(access);
    try {
      await clients.ec2.config.credentials();
      others.push({ accountId: access.accountId, access, clients });
    } catch (err) {
      problems.push(
        `account ${describeAccount(access)}: cannot assume ${access.roleArn}: ${errorMessage(err)}`,
      );
    }
  }
  if (problems.length > 0) throw new PreflightError(problems);
  info(
    `accounts: network ${networkAccount} (ambient credentials)${others.map((o) => `, ${describeAccount(o.access!)} through ${o.access!.roleArn}`).join('')}`,
  );
  return { network: { accountId: networkAccount, clients: ambient }, others };
}
