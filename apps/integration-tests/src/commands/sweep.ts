/**
 * `hubspoke sweep`: destroy ephemeral envs whose hubspoke:expires-at has passed (stacks in the
 * backend and tagged VPCs / transit gateways in the account). Dry run unless --yes.
 */
import type { Command } from 'commander';
import { isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { type CliIo, processIo } from '../io';
import { type LiveCommandDeps, defaultBackendUrl, live, pulumiDriver } from './live-common';
import { InputError } from '../errors';
import { findRepoRoot } from '../repo';

export interface SweepCommandOptions {
  yes?: boolean;
  region?: string;
  backend?: string;
  env?: string;
}

export const SWEEP_HELP = `
An env is expired when the earliest hubspoke:expires-at found for it (stack config
hubspoke:expiresAt, tags in the stack state, tags on its VPCs / transit gateways) is in the past.
Only it-<id> envs are considered; dev and prod never are. Destroy order: spokes, inspection, tgw.
Tagged resources with no stack in this backend are listed, not deleted.

Exit codes: 0 done (or dry run), 1 an env could not be fully destroyed, 2 cannot start.`;

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
      'Pulumi backend URL holding the stacks (default: PULUMI_BACKEND_URL, else file://<repo root>)',
    )
    .option('--env <it-id>', 'only this env')
    .addHelpText('after', SWEEP_HELP)
    .action(async (options: SweepCommandOptions) => setExit(await runSweepCommand(options, io, deps)));
}

export async function runSweepCommand(
  options: SweepCommandOptions,
  io: CliIo,
  deps: LiveCommandDeps = {},
): Promise<number> {
  const l = live();
  if (options.env !== undefined && !isEphemeralEnv(options.env)) {
    throw new InputError(`--env "${options.env}": sweep only destroys ephemeral envs named it-<id>`);
  }
  // The repo this CLI belongs to, like `verify` (not the caller's cwd).
  const repoRoot = deps.repoRoot ?? findRepoRoot();
  const vars = deps.vars ?? process.env;
  const backendUrl = l.resolveBackendUrl(vars, defaultBackendUrl(repoRoot), options.backend);
  const preflightDeps = (deps.preflightDeps ?? ((region) => l.defaultPreflightDeps(region)))(options.region);
  let pre;
  try {
    pre = await l.runPreflight(preflightDeps, backendUrl);
  } catch (err) {
    if (err instanceof l.PreflightError) {
      io.stderr(`error: ${new l.PreflightError(err.problems, 'sweep').message}\nNothing was changed.\n`);
      return 2;
    }
    throw err;
  }
  const progress = new l.Progress((line) => io.stderr(`${line}\n`), deps.e2e?.clock);
  const driver = (deps.createDriver ?? pulumiDriver)(pre.backendUrl);
  const clients = deps.e2e?.createClients?.(pre.region) ?? l.createAwsClients(pre.region);
  const plan = await l.findExpiredEnvironments({
    driver,
    layout: l.discoverProjects(repoRoot),
    ec2: clients.ec2,
    now: (deps.now ?? Date.now)(),
    ...(options.env ? { env: options.env } : {}),
  });
  progress.info(
    `backend ${pre.backendUrl}, region ${pre.region}: ${plan.expired.length} expired env(s), ${plan.skipped.length} skipped`,
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
  return failed.length > 0 ? 1 : 0;
}
