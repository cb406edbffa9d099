/**
 * `hubspoke sweep` across accounts: it looks for expired ephemeral resources in the credentials'
 * account and in every spoke account the repository's Pulumi.<env>.yaml name, each through its
 * role; an account it cannot reach fails the sweep (exit 1), naming the account, without stopping
 * the others.
 */
import { DescribeTransitGatewaysCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AccountRole, AwsClients } from '@hubspoke/harness/src/live/aws-clients';
import { manualClock } from '@hubspoke/harness/src/live/clock';
import { makeFixtureRepo } from '@hubspoke/harness/src/live/testing/fixture-repo';
import { awsError } from '@hubspoke/harness/src/live/testing/mock-account';
import { RecordingDriver } from '@hubspoke/harness/src/live/testing/recording-driver';
import { mockClient } from 'aws-sdk-client-mock';
import type { LiveCommandDeps } from '../../src/commands/live-common';
import { registerSweepCommand } from '../../src/commands/sweep';
import { readyPreflight, runCommand } from './support';

const NETWORK = '111122223333';
const A = '222222222222';
const B = '333333333333';
const NOW = Date.parse('2026-11-26T08:00:00Z');
const repo = makeFixtureRepo({
  extraConfig: { 'spoke-a': `  spoke-a:accountId: '${A}'\n`, 'spoke-b': `  spoke-b:accountId: '${B}'\n` },
});

/** An account's clients: `vpcs` tagged in it; `refuse` makes its role impossible to assume. */
function accountClients(vpcs: { id: string; env: string; expiresAt: string }[], refuse = false): AwsClients {
  const credentials = refuse
    ? async () => {
        throw awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole');
      }
    : async () => ({ accessKeyId: 'ASIA', secretAccessKey: 's' });
  const config = { region: 'us-east-1', credentials };
  const ec2 = new EC2Client(config);
  mockClient(ec2)
    .onAnyCommand()
    .resolves({})
    .on(DescribeVpcsCommand)
    .resolves({
      Vpcs: vpcs.map((v) => ({
        VpcId: v.id,
        Tags: [
          { Key: 'hubspoke:env', Value: v.env },
          { Key: 'hubspoke:ephemeral', Value: 'true' },
          { Key: 'hubspoke:expires-at', Value: v.expiresAt },
        ],
      })),
    })
    .on(DescribeTransitGatewaysCommand)
    .resolves({ TransitGateways: [] });
  const sts = new STSClient(config);
  mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: NETWORK });
  return { ec2, sts, ssm: new SSMClient(config), nfw: new NetworkFirewallClient(config) };
}

function deps(byAccount: Record<string, AwsClients>, looked: string[]): LiveCommandDeps {
  return {
    repoRoot: repo,
    now: () => NOW,
    vars: {},
    preflightDeps: () => readyPreflight(),
    createDriver: () => new RecordingDriver(),
    e2e: {
      clock: manualClock(),
      createClients: (_region: string, account?: AccountRole) => {
        if (account) looked.push(account.roleArn);
        return byAccount[account?.accountId ?? NETWORK]!;
      },
    },
  };
}

const sweep =
  (d: LiveCommandDeps) =>
  (
    program: Parameters<typeof registerSweepCommand>[0],
    io: Parameters<typeof registerSweepCommand>[1],
    setExit: (c: number) => void,
  ) =>
    registerSweepCommand(program, io, setExit, d);

it('finds an expired env left in a spoke account and names the account', async () => {
  const looked: string[] = [];
  const r = await runCommand(
    sweep(
      deps(
        {
          [NETWORK]: accountClients([]),
          [A]: accountClients([{ id: 'vpc-lost', env: 'it-lost', expiresAt: '2026-11-26T07:00:00Z' }]),
          [B]: accountClients([]),
        },
        looked,
      ),
    ),
    ['sweep'],
  );
  expect(r.code).toBe(0);
  expect(looked).toEqual([
    `arn:aws:iam::${A}:role/hubspoke-deploy`,
    `arn:aws:iam::${B}:role/hubspoke-deploy`,
  ]);
  expect(r.stderr).toContain(
    `would destroy it-lost (expired 2026-11-26T07:00:00Z; us-east-1): vpc vpc-lost (us-east-1, account ${A})`,
  );
  expect(r.stderr).toContain(`no stack in this backend manages vpc-lost (us-east-1, account ${A})`);
});

it('fails (exit 1) naming an account it cannot look into, after sweeping the others', async () => {
  const r = await runCommand(
    sweep(
      deps(
        {
          [NETWORK]: accountClients([]),
          [A]: accountClients([{ id: 'vpc-lost', env: 'it-lost', expiresAt: '2026-11-26T07:00:00Z' }]),
          [B]: accountClients([], true),
        },
        [],
      ),
    ),
    ['sweep'],
  );
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('would destroy it-lost');
  expect(r.stderr).toContain(
    `account ${B} (spoke-b) not swept: cannot assume arn:aws:iam::${B}:role/hubspoke-deploy: not authorized to perform: sts:AssumeRole`,
  );
});
