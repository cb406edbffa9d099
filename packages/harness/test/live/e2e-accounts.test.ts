/**
 * The live run across accounts: the template env places each spoke in an account of its own; the
 * run reaches each account through its role before creating anything, waits for and probes each
 * probe through its own account's SSM, and reads the snapshot from every account. A role that
 * cannot be assumed stops the run before the first stack, naming the account.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { type CheckExpectations, defaultExpectations } from '../../src/checks/expectations';
import { type AccountRole, type AwsClients, withThrottleRetry } from '../../src/live/aws-clients';
import { manualClock } from '../../src/live/clock';
import { type E2eDeps, runE2e } from '../../src/live/e2e';
import { PreflightError } from '../../src/live/errors';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';
import { awsError, serveReadyEnvironment } from '../../src/live/testing/mock-account';
import { outputsFor } from '../../src/live/testing/outputs';
import { RecordingDriver } from '../../src/live/testing/recording-driver';

const NETWORK = '111122223333';
const A = '222222222222';
const B = '333333333333';
const fast = { attempts: 2, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const PROBE_CHECKS: CheckExpectations = {
  ...defaultExpectations(),
  run: ['egress-ip', 'allow', 'deny', 'ssm-reachable'],
};
const GOOD = {
  answers: {
    'www.amazon.com': { rc: 0, code: '200' },
    'checkip.amazonaws.com:443': { rc: 0, code: '200' },
    'example.com': { rc: 28, code: '000' },
  },
  egressIp: '198.51.100.1',
};

interface Account {
  clients: AwsClients;
  ssm: AwsClientStub<SSMClient>;
  reads: AwsClientStub<EC2Client>;
}

/** One account's clients: the probes it holds, SSM answering for them only. */
function account(
  probes: string[],
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string }>,
): Account {
  const config = { region: 'us-east-1', credentials };
  const ec2 = new EC2Client(config);
  const nfw = new NetworkFirewallClient(config);
  const ssm = new SSMClient(config);
  const sts = new STSClient(config);
  const ec2Stub = mockClient(ec2).onAnyCommand().resolves({});
  const ssmStub = mockClient(ssm).onAnyCommand().resolves({});
  // ssm-reachable is observed from the probe: its VPC's endpoints, as its own account describes them.
  serveReadyEnvironment(
    { ec2: ec2Stub, nfw: mockClient(nfw).onAnyCommand().resolves({}), ssm: ssmStub },
    probes.map((instanceId) => ({ instanceId, vpcId: `vpc-${instanceId}` })),
    GOOD,
  );
  mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: NETWORK });
  const wrap = <C extends { send: (...a: never[]) => Promise<unknown> }>(c: C) => withThrottleRetry(c, fast);
  return {
    clients: { ec2: wrap(ec2), nfw: wrap(nfw), ssm: wrap(ssm), sts: wrap(sts) },
    ssm: ssmStub,
    reads: ec2Stub,
  };
}

const creds = async () => ({ accessKeyId: 'ASIA', secretAccessKey: 's' });

function setup(refuse?: string) {
  const repo = makeFixtureRepo({
    extraConfig: { 'spoke-a': `  spoke-a:accountId: '${A}'\n`, 'spoke-b': `  spoke-b:accountId: '${B}'\n` },
  });
  const accounts: Record<string, Account> = {
    [NETWORK]: account([], creds),
    [A]: account(['i-spoke-a'], creds),
    [B]: account(
      ['i-spoke-b'],
      refuse === B
        ? async () => {
            throw awsError(
              'AccessDenied',
              `not authorized to perform: sts:AssumeRole on resource: ${refuse}`,
            );
          }
        : creds,
    ),
  };
  const assumed: AccountRole[] = [];
  const lines: string[] = [];
  const driver = new RecordingDriver(outputsFor());
  const deps: E2eDeps = {
    preflight: async () => ({
      region: 'us-east-1',
      pulumiVersion: 'v3.200.0',
      backendUrl: 'file:///state',
      backend: { url: 'file:///state', source: 'default' },
    }),
    createDriver: () => driver,
    createClients: (_region, access) => {
      if (access) assumed.push(access);
      return accounts[access?.accountId ?? NETWORK]!.clients;
    },
    clock: manualClock(),
    write: (l) => lines.push(l),
    destroyRetry: fast,
    probe: { pollDelayMs: 1 },
    vars: {},
  };
  const options = {
    env: 'it-acct-1',
    outDir: mkdtempSync(join(tmpdir(), 'hubspoke-e2e-accounts-')),
    timeoutMinutes: 90,
    repoRoot: repo,
    expectations: PROBE_CHECKS,
  };
  return { accounts, assumed, lines, driver, deps, options };
}

it('probes each spoke through its own account and reads every account', async () => {
  const t = setup();
  const outcome = await runE2e(t.options, t.deps);
  expect(outcome.exitCode).toBe(0);
  expect(t.assumed.map((a) => [a.accountId, a.roleArn])).toEqual([
    [A, `arn:aws:iam::${A}:role/hubspoke-deploy`],
    [B, `arn:aws:iam::${B}:role/hubspoke-deploy`],
  ]);
  const sentTo = (id: string) =>
    t.accounts[id]!.ssm.commandCalls(SendCommandCommand).flatMap((c) => c.args[0].input.InstanceIds ?? []);
  expect(new Set(sentTo(A))).toEqual(new Set(['i-spoke-a']));
  expect(new Set(sentTo(B))).toEqual(new Set(['i-spoke-b']));
  expect(sentTo(NETWORK)).toEqual([]);
  expect(t.lines.join('\n')).toContain(
    `accounts: network ${NETWORK} (ambient credentials), ${A} (spoke-a) through arn:aws:iam::${A}:role/hubspoke-deploy`,
  );
  expect(t.lines.join('\n')).toMatch(/wait: probes online in SSM of account 333333333333/);
  expect(outcome.results.find((r) => r.id === 'ssm-reachable')?.status).toBe('pass');
  // The spoke stacks get their account from the template config, so their programs deploy there.
  expect(
    t.driver.ops.find((o) => o.op === 'setConfig' && o.stack === 'spoke-b/it-acct-1')?.config,
  ).toMatchObject({ 'spoke-b:accountId': B });
  for (const id of [NETWORK, A, B])
    expect(t.accounts[id]!.reads.commandCalls(DescribeVpcsCommand).length).toBeGreaterThan(0);
});

it('stops before creating anything when the role of one account cannot be assumed, naming it', async () => {
  const t = setup(B);
  const err = await runE2e(t.options, t.deps).catch((e: Error) => e);
  expect(err).toBeInstanceOf(PreflightError);
  expect((err as Error).message).toContain(
    `account ${B} (spoke-b): cannot assume arn:aws:iam::${B}:role/hubspoke-deploy: not authorized to perform: sts:AssumeRole`,
  );
  expect(t.driver.ops).toEqual([]);
});
