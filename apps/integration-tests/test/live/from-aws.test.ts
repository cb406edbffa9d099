/** `verify --from-aws`: a deployed env read through the SDK (mocked account) and judged by the offline checks. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SNAPSHOT_MEMBERS } from '@hubspoke/netmodel';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { serveSnapshot } from '@hubspoke/harness/src/live/testing/mock-account';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../src/cli';
import { loadSnapshotFromAws } from '../../src/commands/from-aws';
import { captureIo, envSnapshot } from './support';

const ec2Mock = mockClient(EC2Client);
const nfwMock = mockClient(NetworkFirewallClient);
// The reader asks which account the credentials belong to (GetCallerIdentity needs no permission).
const stsMock = mockClient(STSClient);
let env: { restore(): void };

function account(options: HubSpokeFixtureOptions = {}) {
  ec2Mock.reset().onAnyCommand().resolves({});
  nfwMock.reset().onAnyCommand().resolves({});
  const snapshot = buildHubSpokeSnapshot({ env: 'prod', ...options });
  serveSnapshot(snapshot, ec2Mock, nfwMock);
  stsMock.reset().on(GetCallerIdentityCommand).resolves({ Account: snapshot.Vpcs![0]!.OwnerId });
  return snapshot;
}

beforeEach(() => {
  env = envSnapshot();
  // Static credentials: the SDK chain resolves them without any network.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterEach(() => {
  env.restore();
});

describe('loadSnapshotFromAws', () => {
  it('returns the env as a snapshot with every contract member, read page by page', async () => {
    const fixture = account();
    const snap = await loadSnapshotFromAws({ env: 'prod', region: 'us-east-1' });
    for (const m of SNAPSHOT_MEMBERS) expect(snap).toHaveProperty(m);
    expect(snap.Subnets).toHaveLength(fixture.Subnets!.length);
    expect(snap.Instances!.map((i) => i.InstanceId).sort()).toEqual(
      fixture.Instances!.map((i) => i.InstanceId).sort(),
    );
    expect(snap.RuleGroups).toHaveLength(fixture.RuleGroups!.length);
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:hubspoke:env', Values: ['prod'] },
    ]);
  });

  it('an env with nothing tagged is bad input, not an empty pass', async () => {
    account();
    await expect(loadSnapshotFromAws({ env: 'staging', region: 'us-east-1' })).rejects.toThrow(
      /no VPC or transit gateway tagged hubspoke:env=staging in us-east-1/,
    );
  });

  it('no credentials: says so before reading anything', async () => {
    account();
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SESSION_TOKEN'])
      delete process.env[k];
    Object.assign(process.env, {
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-such-credentials'),
      AWS_CONFIG_FILE: join(tmpdir(), 'no-such-config'),
    });
    await expect(loadSnapshotFromAws({ env: 'prod', region: 'us-east-1' })).rejects.toThrow(
      /verify --from-aws: no AWS credentials/,
    );
    expect(ec2Mock.calls()).toHaveLength(0);
  });
});

describe('hubspoke verify --from-aws', () => {
  it('--help documents --from-aws, --env and --region', async () => {
    const io = captureIo();
    expect(await main(['verify', '--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const flag of ['--from-aws', '--env <name>', '--region <region>']) expect(help).toContain(flag);
  });

  it('a healthy deployed env passes every check (exit 0)', async () => {
    account();
    const io = captureIo();
    const code = await main(
      ['verify', '--from-aws', '--env', 'prod', '--region', 'us-east-1', '--out-dir', 'out'],
      io,
    );
    expect(io.err.join('')).not.toMatch(/^error/m);
    expect(code).toBe(0);
  });

  it('a deployed env whose routing skips an AZ endpoint fails (exit 1)', async () => {
    account({ omitFirewallRouteAzs: ['us-east-1b'] });
    const io = captureIo();
    expect(
      await main(['verify', '--from-aws', '--env', 'prod', '--region', 'us-east-1', '--out-dir', 'out'], io),
    ).toBe(1);
  });
});
