/**
 * `verify --from-aws --env <e>`: the deployed env read through the AWS SDK into a snapshot, so the
 * offline checks judge the live network without touching its instances. An env whose spokes live
 * in accounts of their own (docs/multi-account.md) is read from each of them, through the role
 * its stack config names (`<spoke>:roleArn`, default `hubspoke-deploy`) or `--account-role`.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { AccountAccess } from '@hubspoke/harness/src/live/accounts';
import type { AccountReader } from '@hubspoke/harness/src/live/account-snapshot';
import type { AwsClients } from '@hubspoke/harness/src/live/aws-clients';
import { InputError } from '../errors';
import { cliRepoRoot } from '../repo';

export type ReaderClients = Pick<AwsClients, 'ec2' | 'nfw' | 'sts'>;

export interface FromAwsOptions {
  env: string;
  region?: string;
  /** `--account-role`: the role to read an account through, by account id. */
  accountRoles?: Map<string, string>;
  /** The repository whose `Pulumi.<env>.yaml` name the spoke accounts (default: this CLI's). */
  repoRoot?: string;
  /**
   * Clients of the ambient credentials (no account), or of the role of `account` (tests pass
   * mocked ones); default: new clients for the region, assuming the role for an account.
   */
  clientsFor?: (account?: AccountAccess) => ReaderClients;
  /** Progress lines ("reading account ..."). */
  onProgress?: (line: string) => void;
}

type Live = typeof import('@hubspoke/harness/src/live/all');

export async function loadSnapshotFromAws(options: FromAwsOptions): Promise<NetworkSnapshot> {
  // Loaded on use: the AWS SDK is not needed by the offline commands.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const live = require('@hubspoke/harness/src/live/all') as Live;
  let region = options.region ?? '';
  const clientsFor =
    options.clientsFor ??
    ((account?: AccountAccess): ReaderClients =>
      account
        ? live.createAwsClients(
            region,
            live.THROTTLE_RETRY,
            live.assumedRoleCredentials(account.roleArn, { region, sessionName: 'hubspoke-verify' }),
          )
        : live.createAwsClients(options.region));
  const ambient = clientsFor();
  try {
    region ||= await ambient.ec2.config.region();
  } catch {
    throw new InputError('verify --from-aws: no AWS region; pass --region or set AWS_REGION');
  }
  try {
    await ambient.ec2.config.credentials();
  } catch (err) {
    throw new InputError(
      `verify --from-aws: no AWS credentials found through the default provider chain (env vars, AWS_PROFILE/SSO, web identity, instance role): ${(err as Error).message}`,
    );
  }
  const accounts = envAccounts(live, options);
  let callerAccount: string;
  try {
    callerAccount = await live.callerAccount(ambient.sts);
  } catch (err) {
    throw new InputError(
      `verify --from-aws: cannot tell which account the credentials belong to (sts:GetCallerIdentity): ${(err as Error).message}`,
    );
  }
  const readers: AccountReader[] = [
    { accountId: callerAccount, via: 'the ambient credentials', clients: ambient },
    ...accounts
      .filter((a) => a.accountId !== callerAccount)
      .map((a) => ({
        accountId: a.accountId,
        via: `role ${a.roleArn}`,
        spokes: a.spokes,
        clients: clientsFor(a),
      })),
  ];
  let snapshot: NetworkSnapshot;
  try {
    snapshot = await live.readAccountsSnapshot({
      env: options.env,
      region,
      readers,
      onAccount: (r) => options.onProgress?.(`reading account ${r.accountId} through ${r.via}`),
    });
  } catch (err) {
    if (err instanceof live.AccountReadError) throw new InputError(`verify --from-aws: ${err.message}`);
    throw err;
  }
  if ((snapshot.Vpcs ?? []).length === 0 && (snapshot.TransitGateways ?? []).length === 0) {
    throw new InputError(
      `verify --from-aws: no VPC or transit gateway tagged hubspoke:env=${options.env} in ${region}`,
    );
  }
  return snapshot;
}

/** The spoke accounts the env's config names, with `--account-role` applied. */
function envAccounts(live: Live, options: FromAwsOptions): AccountAccess[] {
  const roles = options.accountRoles ?? new Map<string, string>();
  let fromConfig: AccountAccess[];
  try {
    const root = options.repoRoot ?? cliRepoRoot();
    fromConfig = live.accountsOfEnv(live.discoverProjects(root), options.env);
  } catch (err) {
    throw new InputError(`verify --from-aws: ${(err as Error).message}`);
  }
  return live.withAccountRoles(fromConfig, roles);
}
