/**
 * `hubspoke verify`: options and registration; the run itself is in verify-run.ts.
 */
import type { Command } from 'commander';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { EnvSnapshot } from '../env-snapshot';
import type { CliIo } from '../io';
import { RUNTIMES } from '../env-snapshot';
import type { FromAwsOptions } from './from-aws';

export interface VerifyOptions {
  env?: string;
  snapshot?: string;
  fromAws?: boolean;
  region?: string;
  /** `--account-role <account>=<role ARN>`, repeatable (with --from-aws). */
  accountRole?: string[];
  checks?: string;
  json?: string;
  outDir?: string;
  runtime?: string;
  preview?: boolean;
}

export interface VerifyDeps {
  /** Replaces the mock-cloud run (tests, bench); the policy checks run when it returns `stacks`. */
  snapshotFromEnv?: (root: string, env: string, io: CliIo) => Promise<EnvSnapshot>;
  loadFromAws?: (options: FromAwsOptions) => Promise<NetworkSnapshot>;
  repoRoot?: string;
  /** Sees the snapshot the checks run on (tests compare the runtimes' snapshots). */
  onSnapshot?: (snapshot: NetworkSnapshot) => void;
}

export const DEFAULT_ENV = 'dev';

/** The default output folder: reports/verify/<env> (or reports/verify/snapshot for --snapshot). */
export function defaultOutDir(options: VerifyOptions): string {
  return `reports/verify/${options.snapshot && !options.env ? 'snapshot' : (options.env ?? DEFAULT_ENV)}`;
}

export function registerVerifyCommand(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  deps: VerifyDeps = {},
): void {
  program
    .command('verify')
    .description(
      'check a network offline: the env under the mock cloud (default), a snapshot file, or a deployed env',
    )
    .option(
      '--env <name>',
      `environment (Pulumi stack name) to run under the mock cloud or read from AWS (default: ${DEFAULT_ENV})`,
    )
    .option(
      '--snapshot <file.json>',
      'check this snapshot file (AWS-shaped JSON, see docs/snapshot-format.md) instead of running the programs',
    )
    .option('--from-aws', 'read the deployed env through the AWS SDK instead of running the programs')
    .option('--region <region>', 'AWS region for --from-aws (default: AWS_REGION)')
    .option(
      '--account-role <account=role>',
      "with --from-aws: read this account through this role (repeatable); default: the accounts and roles of the spokes' Pulumi.<env>.yaml (<spoke>:accountId, <spoke>:roleArn), see docs/multi-account.md",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--checks <file>',
      'YAML or JSON file overriding the expectations (see docs/verify.md "Checks file")',
    )
    .option(
      '--runtime <runtime>',
      `how the stack programs run: ${RUNTIMES.join(' (default, fast) | ')} (each through Pulumi's language host, as pulumi up does)`,
    )
    .option(
      '--preview',
      'with --runtime pulumi: also run every stack as pulumi preview does on an empty stack (unknown outputs)',
    )
    .option('--json <out>', 'also write the JSON results to this file')
    .option(
      '--out-dir <dir>',
      'folder for results.json, report.md and junit.xml (default: reports/verify/<env>)',
    )
    .addHelpText(
      'after',
      '\nWith --env (either runtime), the policy pack (packages/policy, docs/policy.md) also checks\n' +
        'every resource the programs registered (with --preview, the previews too): one check\n' +
        'policy:<policy-name> per policy.\n' +
        '\nExit codes: 0 every check passed, 1 a check failed, 2 bad input or a stack program failed, 130 interrupted.',
    )
    .action(async (options: VerifyOptions) => {
      // Loaded on use so `--help` does not pay for the model, the mock cloud and the AWS SDK. `require`,
      // not `import()`: the bin registers tsx's CommonJS hook, which `import()` would bypass.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { verify } = require('./verify-run') as typeof import('./verify-run');
      setExit(await verify(options, io, deps));
    });
}
