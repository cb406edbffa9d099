/**
 * `hubspoke e2e`: the live integration test (deploy an ephemeral env, readiness, the checks
 * through SSM, destroy). The run itself is `runE2e` in the harness; this file is options, the
 * real dependencies and exit codes.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadChecksFile } from '@hubspoke/harness/src/checks/expectations';
import { isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { InputError } from '../errors';
import { cliRepoRoot } from '../repo';
import { type CliIo, processIo } from '../io';
import { type LiveCommandDeps, defaultBackendUrl, live, positiveInt, pulumiDriver } from './live-common';

export interface E2eCommandOptions {
  env?: string;
  region?: string;
  keep?: boolean;
  outDir: string;
  timeoutMinutes: string;
  backend?: string;
  templateEnv: string;
  checks?: string;
  accountRole?: string[];
}

export const E2E_HELP = `
Prerequisites: AWS credentials (default provider chain: AWS_ACCESS_KEY_ID/..., AWS_PROFILE or SSO,
web identity in CI, instance role), a region, the Pulumi CLI on PATH and, for file:// or s3://
backends, PULUMI_CONFIG_PASSPHRASE. Without them e2e stops before creating anything.

Backend: --backend, else PULUMI_BACKEND_URL, else Pulumi Cloud when PULUMI_ACCESS_TOKEN is set,
else file://<repo root> (state in .pulumi/); empty variables count as unset. With CI=true a
file:// backend is refused unless given with --backend. The backend is printed before anything
is deployed. With --region other than the template's, the template's AZs are mapped onto the
region's (sorted, same count), or the run is refused when it has too few.
Every project's Pulumi.<template-env>.yaml is copied, plus hubspoke:ephemeral, hubspoke:expiresAt
and <spoke>:probe=true. Ctrl-C cancels the operation in flight and still destroys everything.
Spokes the template env places in accounts of their own are deployed there; the run reaches each
such account through its role (<spoke>:roleArn, default hubspoke-deploy, or --account-role) for
SSM and the snapshot, and checks it can assume every role before creating anything.
See docs/live-e2e.md, docs/multi-account.md and docs/iam.md for IAM permissions, duration and cost.

Exit codes: 0 every check passed and the env was destroyed, 1 a check, a phase or the teardown
failed, 2 cannot start (missing prerequisite, bad option), 130 interrupted (env destroyed).`;

export function registerE2eCommand(
  program: Command,
  io: CliIo = processIo(),
  setExit: (code: number) => void = (code) => {
    process.exitCode = code;
  },
  deps: LiveCommandDeps = {},
): void {
  program
    .command('e2e')
    .description(
      'live: deploy an ephemeral env it-<id>, wait until ready, run the checks through SSM, destroy it',
    )
    .option(
      '--env <it-id>',
      'ephemeral env name it-<id> (default: it-<GITHUB_RUN_ID>-<GITHUB_RUN_ATTEMPT> in CI, else generated)',
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION / the profile region)')
    .option(
      '--keep',
      'leave the env up after the checks (for debugging) and print the commands that destroy it',
    )
    .option('--out-dir <dir>', 'folder for results.json, report.md and junit.xml', 'reports/e2e')
    .option(
      '--timeout-minutes <n>',
      'overall timeout; when reached the run is cancelled and the env destroyed',
      '90',
    )
    .option(
      '--backend <url>',
      'Pulumi backend URL (default: PULUMI_BACKEND_URL, else Pulumi Cloud with PULUMI_ACCESS_TOKEN, else file://<repo root>)',
    )
    .option('--template-env <env>', 'env whose Pulumi.<env>.yaml config every project copies', 'dev')
    .option(
      '--checks <file>',
      'YAML or JSON file overriding the expectations (same format as verify --checks)',
    )
    .option(
      '--account-role <account=role>',
      "reach this account through this role (repeatable); default: the roles of the spokes' config",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText('after', E2E_HELP)
    .action(async (options: E2eCommandOptions) => setExit(await runE2eCommand(options, io, deps)));
}

export async function runE2eCommand(
  options: E2eCommandOptions,
  io: CliIo,
  deps: LiveCommandDeps = {},
): Promise<number> {
  const timeoutMinutes = positiveInt('--timeout-minutes', options.timeoutMinutes);
  const l = live();
  const expectations = options.checks ? loadChecksFile(resolve(io.cwd, options.checks)) : undefined;
  let accountRoles: Map<string, string>;
  try {
    accountRoles = l.parseAccountRoles(options.accountRole ?? []);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  if (options.env !== undefined && !isEphemeralEnv(options.env)) {
    throw new InputError(
      `--env "${options.env}": e2e only creates and destroys ephemeral envs named it-<id> (lowercase letters, digits, dashes)`,
    );
  }
  // The repo this CLI belongs to, like `verify` (not the caller's cwd).
  const repoRoot = deps.repoRoot ?? cliRepoRoot();
  const vars = deps.vars ?? process.env;
  const backend = l.resolveBackend(vars, defaultBackendUrl(repoRoot), options.backend);
  const preflightDeps = (deps.preflightDeps ?? ((region) => l.defaultPreflightDeps(region)))(options.region);
  try {
    const outcome = await l.runE2e(
      {
        ...(options.env !== undefined ? { env: options.env } : {}),
        outDir: resolve(io.cwd, options.outDir),
        timeoutMinutes,
        keep: !!options.keep,
        templateEnv: options.templateEnv,
        repoRoot,
        ...(expectations ? { expectations } : {}),
        ...(accountRoles.size > 0 ? { accountRoles } : {}),
      },
      {
        preflight: () => l.runPreflight(preflightDeps, backend),
        createDriver: (pre) => (deps.createDriver ?? pulumiDriver)(pre.backendUrl),
        createClients: (region, account) =>
          account
            ? l.createAwsClients(
                region,
                l.THROTTLE_RETRY,
                l.assumedRoleCredentials(account.roleArn, { region, sessionName: 'hubspoke-e2e' }),
              )
            : l.createAwsClients(region),
        write: (line) => io.stderr(`${line}\n`),
        summary: (table) => io.stdout(`${table}\n`),
        ...(io.columns ? { columns: io.columns } : {}),
        vars,
        ...deps.e2e,
      },
    );
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof l.PreflightError) {
      io.stderr(`error: ${err.message}\nNothing was created.\n`);
      return 2;
    }
    throw err;
  }
}
