/**
 * `verify --from-aws` across accounts: env `org` deployed (the mock cloud's run of the real
 * programs), each account answering only what it describes; the network account read with the
 * ambient credentials, each spoke account through the role its stack config names or
 * `--account-role`. An account that cannot be reached, or an attached VPC in an account nobody
 * reads, is bad input naming the account.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT_ID, loadEnvironment, runStacks } from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { AccountAccess } from '@hubspoke/harness/src/live/accounts';
import { assumedRoleCredentials, withThrottleRetry } from '@hubspoke/harness/src/live/aws-clients';
import { accountView } from '@hubspoke/harness/src/live/testing/account-views';
import { awsError, serveSnapshot } from '@hubspoke/harness/src/live/testing/mock-account';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../src/cli';
import { type FromAwsOptions, loadSnapshotFromAws, type ReaderClients } from '../../src/commands/from-aws';
import { captureIo } from './support';

const REPO = resolve(__dirname, '../../../..');
const NETWORK = ACCOUNT_ID;
const TEAM_A = '222222222222';
const TEAM_B = '333333333333';
const region = 'us-east-1';
const fast = { attempts: 2, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const staticCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

let deployed: NetworkSnapshot;
beforeAll(async () => {
  deployed = (await runStacks(loadEnvironment(REPO, 'org'))).snapshot;
}, 120_000);

/** Roles each account's trust policy lets the network account assume (any other is refused). */
type Trusted = Record<string, string[]>;
const DEFAULT_TRUST: Trusted = {
  [TEAM_A]: [`arn:aws:iam::${TEAM_A}:role/hubspoke-deploy`],
  [TEAM_B]: [`arn:aws:iam::${TEAM_B}:role/hubspoke-deploy`, `arn:aws:iam::${TEAM_B}:role/hubspoke-verify`],
};

/** A world of three accounts answering from `deployed`, and the roles assumed into it. */
function world(trusted: Trusted = DEFAULT_TRUST) {
  const sts = new STSClient({ region, credentials: staticCredentials });
  const assumed: string[] = [];
  mockClient(sts)
    .on(GetCallerIdentityCommand)
    .resolves({ Account: NETWORK })
    .on(AssumeRoleCommand)
    .callsFake((input: { RoleArn: string }) => {
      assumed.push(input.RoleArn);
      const account = input.RoleArn.split(':')[4]!;
      if (!trusted[account]?.includes(input.RoleArn))
        throw awsError(
          'AccessDenied',
          `User: arn:aws:sts::${NETWORK}:assumed-role/hubspoke-verify/ci is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
        );
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}`,
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date(Date.now() + 3_600_000),
        },
      };
    });
  const clientsFor = (account?: AccountAccess): ReaderClients => {
    const credentials = account
      ? assumedRoleCredentials(account.roleArn, { region, sessionName: 'hubspoke-verify', sts })
      : async () => staticCredentials;
    const ec2 = new EC2Client({ region, credentials });
    const nfw = new NetworkFirewallClient({ region, credentials });
    const ec2Stub = mockClient(ec2).onAnyCommand().resolves({});
    const nfwStub = mockClient(nfw).onAnyCommand().resolves({});
    serveSnapshot(accountView(deployed, account?.accountId ?? NETWORK, NETWORK), ec2Stub, nfwStub);
    return { ec2: withThrottleRetry(ec2, fast), nfw: withThrottleRetry(nfw, fast), sts };
  };
  return { clientsFor, assumed };
}

async function verifyFromAws(
  args: string[],
  options: Partial<FromAwsOptions> & Pick<FromAwsOptions, 'clientsFor'>,
) {
  const io = captureIo();
  let snapshot: NetworkSnapshot | undefined;
  const code = await main(
    ['verify', '--from-aws', '--env', 'org', '--region', region, '--out-dir', 'out', ...args],
    io,
    {
      loadFromAws: async (o) => (snapshot = await loadSnapshotFromAws({ ...o, ...options })),
    },
  );
  return {
    code,
    stderr: io.err.join(''),
    snapshot,
    json: () => readFileSync(join(io.cwd, 'out', 'results.json'), 'utf8'),
  };
}

it('reads the network account with the ambient credentials and each spoke account through its role', async () => {
  const w = world();
  const r = await verifyFromAws([], { clientsFor: w.clientsFor });
  expect(r.stderr).not.toMatch(/^error/m);
  expect(r.code).toBe(0);
  expect(w.assumed.sort()).toEqual([
    `arn:aws:iam::${TEAM_A}:role/hubspoke-deploy`,
    `arn:aws:iam::${TEAM_B}:role/hubspoke-deploy`,
  ]);
  expect(r.stderr).toContain(`reading account ${NETWORK} through the ambient credentials`);
  expect(r.stderr).toContain(
    `reading account ${TEAM_B} through role arn:aws:iam::${TEAM_B}:role/hubspoke-deploy`,
  );
  expect(new Set(r.snapshot!.Vpcs!.map((v) => v.OwnerId))).toEqual(new Set([NETWORK, TEAM_A, TEAM_B]));
  expect(r.snapshot!.Instances).toHaveLength(2);
  expect(r.snapshot!.TransitGatewayVpcAttachments).toHaveLength(3);
});

it('names the account it could not read when the role for one account is missing (exit 2)', async () => {
  const w = world({ ...DEFAULT_TRUST, [TEAM_B]: [] });
  const r = await verifyFromAws([], { clientsFor: w.clientsFor });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `verify --from-aws: cannot reach account ${TEAM_B} (spoke-b) through role arn:aws:iam::${TEAM_B}:role/hubspoke-deploy: ` +
      `User: arn:aws:sts::${NETWORK}:assumed-role/hubspoke-verify/ci is not authorized to perform: sts:AssumeRole`,
  );
});

it('reads an account through the role --account-role names', async () => {
  const w = world();
  const role = `arn:aws:iam::${TEAM_B}:role/hubspoke-verify`;
  const r = await verifyFromAws(['--account-role', `${TEAM_B}=${role}`], { clientsFor: w.clientsFor });
  expect(r.code).toBe(0);
  expect(w.assumed).toContain(role);
  expect(w.assumed).not.toContain(`arn:aws:iam::${TEAM_B}:role/hubspoke-deploy`);
});

it('names an attached VPC of an account no config or option names (exit 2)', async () => {
  // A copy of the repository whose spoke-b config no longer names its account.
  const repo = mkdtempSync(join(tmpdir(), 'hubspoke-org-repo-'));
  cpSync(join(REPO, 'apps'), join(repo, 'apps'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
  const file = join(repo, 'apps/spokes/spoke-b/Pulumi.org.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^\s*spoke-b:accountId:.*$/m, ''));
  const w = world();
  const r = await verifyFromAws([], { clientsFor: w.clientsFor, repoRoot: repo });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    new RegExp(
      `tgw-attach-[0-9a-f]+ attaches VPC vpc-[0-9a-f]+ of account ${TEAM_B}, which is not read \\(no role for it\\): ` +
        `name the account in the spoke's config \\(<spoke>:accountId\\) or pass --account-role ${TEAM_B}=<role ARN>`,
    ),
  );
});

it('rejects a malformed --account-role, and one without --from-aws', async () => {
  const io = captureIo();
  expect(await main(['verify', '--from-aws', '--env', 'org', '--account-role', 'spoke-b=role'], io)).toBe(2);
  expect(io.err.join('')).toContain(
    '--account-role "spoke-b=role": expected <12-digit account id>=<IAM role ARN>',
  );
  const io2 = captureIo();
  expect(
    await main(['verify', '--env', 'org', '--account-role', `${TEAM_B}=arn:aws:iam::${TEAM_B}:role/x`], io2),
  ).toBe(2);
  expect(io2.err.join('')).toContain('--account-role only applies with --from-aws');
});
