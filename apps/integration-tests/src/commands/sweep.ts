/**
 * `hubspoke sweep`: destroy ephemeral envs whose hubspoke:expires-at has passed (stacks in the
 * backend and tagged VPCs / transit gateways in every region they use). Dry run unless --yes.
 * With `--env 'it-<run id>-*' --ignore-expiry` it is the nightly workflow's teardown.
 */
import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AccountAccess } from '@hubspoke/harness/src/live/accounts';
import type { AccountRole, AwsClients } from '@hubspoke/harness/src/live/aws-clients';
import type { ProjectLayout } from '@hubspoke/harness/src/live/projects';
import { type CliIo, processIo } from '../io';
import { type LiveCommandDeps, defaultBackendUrl, live, pulumiDriver } from './live-common';
import { InputError } from '../errors';
import { cliRepoRoot } from '../repo';

export interface SweepCommandOptions {
  yes?: boolean;
  region?: string;
  backend?: string;
  env?: string;
  ignoreExpiry?: boolean;
  accountRole?: string[];
}

export const SWEEP_HELP = `
An env is expired when the earliest hubspoke:expires-at found for it (stack config
hubspoke:expiresAt, tags in the stack state, tags on its VPCs / transit gateways) is in the past.
Only it-<id> envs are considered; dev and prod never are. Destroy order: spokes, inspection, tgw;
transient AWS errors are retried, and a stack an interrupted run left locked or with pending
operations is recovered (stale update cancelled, pending operations dropped) before its destroy.
Tagged VPCs / transit gateways are searched in --region and in every region the envs' stacks
use (aws:region), in the credentials' account and in every spoke account any Pulumi.<env>.yaml
names (<spoke>:accountId), each through its role (<spoke>:roleArn, default hubspoke-deploy, or
--account-role); those with no stack in this backend are listed, not deleted.

--env takes it-<id> or a prefix pattern such as 'it-1234-*' (quote it). With --ignore-expiry
(needs --env) the matched envs are destroyed whether or not they expired: the nightly workflow
tears down every attempt of its run with --env 'it-<run id>-*' --ignore-expiry --yes.

Exit codes: 0 done (or dry run), 1 an env could not be fully destroyed or an account could not be
looked into, 2 cannot start.`;

export function registerSweepCommand(
  program: Command,
  io: CliIo = processIo(),
  setExit: (code: number) => void = (code) => {
    process.exitCode = code;
  },
  deps: LiveCommandDeps = {},
): void {
  program
    .command('sweep')
    .description(
      'find ephemeral envs (it-<id>) whose hubspoke:expires-at has passed and destroy them (dry run unless --yes)',
    )
    .option('--yes', 'destroy them (default: only list what would be destroyed)')
    .option(
      '--region <region>',
      'AWS region to search for tagged resources (default: AWS_REGION / the profile region)',
    )
    .option(
      '--backend <url>',
      'Pulumi backend URL holding the stacks (default: PULUMI_BACKEND_URL, else Pulumi Cloud with PULUMI_ACCESS_TOKEN, else file://<repo root>)',
    )
    .option('--env <it-id|pattern>', "only this env, or the envs matching 'it-<prefix>*'")
    .option('--ignore-expiry', 'destroy the matched envs even if they have not expired (needs --env)')
    .option(
      '--account-role <account=role>',
      'look into this account through this role (repeatable); default: the spoke accounts of every Pulumi.<env>.yaml',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText('after', SWEEP_HELP)
    .action(async (options: SweepCommandOptions) => setExit(await runSweepCommand(options, io, deps)));
}

export async function runSweepCommand(
  options: SweepCommandOptions,
  io: CliIo,
  deps: LiveCommandDeps = {},
): Promise<number> {
  const l = live();
  if (options.env !== undefined) {
    try {
      l.envMatcher(options.env);
    } catch {
      throw new InputError(
        `--env "${options.env}": sweep only destroys ephemeral envs named it-<id>, or those matching it-<prefix>*`,
      );
    }
  }
  let roles: Map<string, string>;
  try {
    roles = l.parseAccountRoles(options.accountRole ?? []);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  if (options.ignoreExpiry && options.env === undefined)
    throw new InputError(
      '--ignore-expiry needs --env: it would destroy every ephemeral env, running ones too',
    );
  // The repo this CLI belongs to, like `verify` (not the caller's cwd).
  const repoRoot = deps.repoRoot ?? cliRepoRoot();
  const vars = deps.vars ?? process.env;
  const backend = l.resolveBackend(vars, defaultBackendUrl(repoRoot), options.backend);
  const preflightDeps = (deps.preflightDeps ?? ((region) => l.defaultPreflightDeps(region)))(options.region);
  let pre;
  try {
    pre = await l.runPreflight(preflightDeps, backend);
  } catch (err) {
    if (err instanceof l.PreflightError) {
      io.stderr(`error: ${new l.PreflightError(err.problems, 'sweep').message}\nNothing was changed.\n`);
      return 2;
    }
    throw err;
  }
  const progress = new l.Progress((line) => io.stderr(`${line}\n`), deps.e2e?.clock);
  progress.info(`backend ${l.describeBackend(pre.backend)}`);
  const driver = (deps.createDriver ?? pulumiDriver)(pre.backendUrl);
  const clientsFor = l.clientsByLocation((region, account) =>
    deps.e2e?.createClients
      ? deps.e2e.createClients(region, account)
      : account
        ? l.createAwsClients(
            region,
            l.THROTTLE_RETRY,
            l.assumedRoleCredentials(account.roleArn, { region, sessionName: 'hubspoke-sweep' }),
          )
        : l.createAwsClients(region),
  );
  const layout = l.discoverProjects(repoRoot);
  const accounts = await reachableAccounts(
    l,
    layout,
    roles,
    clientsFor({ region: pre.region }),
    (account) => clientsFor({ region: pre.region, account }),
    progress,
  );
  const plan = await l.findExpiredEnvironments({
    driver,
    layout,
    ec2For: (location) => clientsFor(location).ec2,
    locations: [{ region: pre.region }],
    accounts: accounts.reached,
    now: (deps.now ?? Date.now)(),
    ...(options.env ? { env: options.env } : {}),
    ...(options.ignoreExpiry ? { ignoreExpiry: true } : {}),
  });
  progress.info(
    `searched ${plan.regions.join(', ')}: ${plan.expired.length} env(s) to destroy${options.ignoreExpiry ? ' (expiry ignored)' : ''}, ${plan.skipped.length} skipped`,
  );
  const results = await l.sweepExpired(plan, !!options.yes, {
    driver,
    progress,
    retry: deps.e2e?.destroyRetry ?? l.DESTROY_RETRY,
  });
  if (!options.yes && plan.expired.length > 0)
    io.stdout(
      `dry run: nothing destroyed; run again with --yes to destroy ${plan.expired.map((c) => c.env).join(', ')}\n`,
    );
  const failed = results.filter((r) => (r.teardown?.failed.length ?? 0) > 0);
  for (const r of failed)
    io.stderr(
      `${r.env}: not fully destroyed: ${r.teardown!.failed.map((f) => `${f.ref.project}: ${f.error.split('\n')[0]}`).join('; ')}\n`,
    );
  // Tearing down one's own run: tagged resources without a stack are a leak to act on, not a listing.
  const leaked = options.ignoreExpiry && options.yes ? results.filter((r) => r.orphans.length > 0) : [];
  for (const r of leaked)
    io.stderr(
      `${r.env}: left in AWS with no stack to destroy them: ${r.orphans.map((o) => `${o.kind} ${o.id} (${l.where(o)})`).join(', ')}\n`,
    );
  if (vars.GITHUB_STEP_SUMMARY && options.yes)
    appendFileSync(vars.GITHUB_STEP_SUMMARY, sweepSummary(results));
  for (const problem of accounts.unreachable) io.stderr(`${problem}\n`);
  return failed.length > 0 || leaked.length > 0 || accounts.unreachable.length > 0 ? 1 : 0;
}

/**
 * The spoke accounts to look into besides the credentials' own, each through its role. One that
 * cannot be reached is reported (and fails the sweep) without stopping the others.
 */
async function reachableAccounts(
  l: ReturnType<typeof live>,
  layout: ProjectLayout,
  roles: Map<string, string>,
  ambient: AwsClients,
  clientsFor: (account: AccountRole) => AwsClients,
  progress: { info(line: string): void },
): Promise<{ reached: AccountRole[]; unreachable: string[] }> {
  const accounts: AccountAccess[] = l.withAccountRoles(l.accountsOfAllEnvs(layout), roles);
  if (accounts.length === 0) return { reached: [], unreachable: [] };
  const own = await l.callerAccount(ambient.sts);
  const reached: AccountRole[] = [];
  const unreachable: string[] = [];
  for (const account of accounts.filter((a) => a.accountId !== own)) {
    try {
      await clientsFor(account).ec2.config.credentials();
      reached.push({ accountId: account.accountId, roleArn: account.roleArn });
      progress.info(`looking into account ${l.describeAccount(account)} through ${account.roleArn}`);
    } catch (err) {
      unreachable.push(
        `account ${l.describeAccount(account)} not swept: cannot assume ${account.roleArn}: ${(err as Error).message}`,
      );
    }
  }
  return { reached, unreachable };
}

type SweepResults = Awaited<ReturnType<ReturnType<typeof live>['sweepExpired']>>;

/** Markdown for a GitHub job summary: what is left behind is the thing to act on. */
export function sweepSummary(results: SweepResults): string {
  const rows = results.map((r) => {
    const t = r.teardown;
    const removed = t?.removed.map((s) => s.project).join(', ') || '—';
    const left = [
      ...(t?.failed ?? []).map((f) => `${f.ref.project}: ${f.error.split('\n')[0]!.replace(/\|/g, '\\|')}`),
      ...r.orphans.map((o) => `${o.kind} ${o.id} (${live().where(o)}), no stack`),
    ];
    return `| \`${r.env}\` | ${left.length === 0 ? '✅' : '❌'} | ${removed} | ${left.join('; ') || '—'} |`;
  });
  return [
    '## hubspoke sweep',
    '',
    results.length === 0
      ? 'Nothing to destroy.'
      : '| env | result | stacks destroyed and removed | left behind |',
    ...(results.length === 0 ? [] : ['| --- | --- | --- | --- |', ...rows]),
    '',
  ].join('\n');
}
