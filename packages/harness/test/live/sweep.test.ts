import { DescribeTransitGatewaysCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../src/live/aws-clients';
import { manualClock } from '../../src/live/clock';
import { Progress } from '../../src/live/progress';
import { discoverProjects, refFor } from '../../src/live/projects';
import {
  envMatcher,
  expiryFromState,
  findExpiredEnvironments,
  regionFromState,
  sweepExpired,
} from '../../src/live/sweep';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';
import { RecordingDriver } from '../../src/live/testing/recording-driver';

const ec2Mock = mockClient(EC2Client);
const fast = { attempts: 3, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const NOW = Date.parse('2026-11-26T08:00:00Z');
const layout = discoverProjects(makeFixtureRepo());
const PHASE: Record<string, number> = { tgw: 0, inspection: 1, 'spoke-a': 2, 'spoke-b': 2 };

function seedEnv(
  driver: RecordingDriver,
  env: string,
  expiresAt: string | undefined,
  projects = ['tgw', 'inspection', 'spoke-a', 'spoke-b'],
): void {
  for (const p of projects) {
    const project = [layout.tgw, layout.inspection, ...layout.spokes].find((x) => x.project === p)!;
    driver.seed(
      refFor(project, env),
      expiresAt
        ? { 'hubspoke:expiresAt': expiresAt, 'hubspoke:ephemeral': 'true', 'aws:region': 'us-east-1' }
        : {},
    );
  }
}

beforeEach(() => {
  ec2Mock.reset();
  ec2Mock.onAnyCommand().resolves({});
});

describe('findExpiredEnvironments', () => {
  it('finds expired ephemeral envs from stack config, stack state and tagged VPCs / TGWs; never dev or prod', async () => {
    const driver = new RecordingDriver();
    seedEnv(driver, 'it-old', '2026-11-26T07:00:00Z');
    seedEnv(driver, 'it-fresh', '2026-11-26T10:00:00Z');
    seedEnv(driver, 'dev', '2020-01-01T00:00:00Z');
    // Config file not on this machine: the expiry comes from the tags recorded in the state.
    driver.seed(
      refFor(layout.tgw, 'it-ci-7'),
      {},
      {
        resources: [
          {
            type: 'aws:ec2/transitGateway:TransitGateway',
            outputs: { tags: { 'hubspoke:expires-at': '2026-11-25T00:00:00Z' } },
          },
        ],
      },
    );
    driver.seed(refFor(layout.tgw, 'it-noexpiry'), {});
    ec2Mock
      .on(DescribeVpcsCommand)
      .resolvesOnce({
        Vpcs: [
          {
            VpcId: 'vpc-orphan',
            Tags: [
              { Key: 'hubspoke:env', Value: 'it-lost' },
              { Key: 'hubspoke:expires-at', Value: '2026-11-20T00:00:00Z' },
            ],
          },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Vpcs: [
          {
            VpcId: 'vpc-prod',
            Tags: [
              { Key: 'hubspoke:env', Value: 'prod' },
              { Key: 'hubspoke:expires-at', Value: '2020-01-01T00:00:00Z' },
            ],
          },
        ],
      });
    ec2Mock.on(DescribeTransitGatewaysCommand).resolves({
      TransitGateways: [
        {
          TransitGatewayId: 'tgw-old',
          State: 'available',
          Tags: [
            { Key: 'hubspoke:env', Value: 'it-old' },
            { Key: 'hubspoke:expires-at', Value: '2026-11-26T07:00:00Z' },
          ],
        },
        {
          TransitGatewayId: 'tgw-gone',
          State: 'deleted',
          Tags: [
            { Key: 'hubspoke:env', Value: 'it-gone' },
            { Key: 'hubspoke:expires-at', Value: '2020-01-01T00:00:00Z' },
          ],
        },
      ],
    });

    const plan = await findExpiredEnvironments({
      driver,
      layout,
      ec2For: () => createAwsClients('us-east-1', fast).ec2,
      locations: [{ region: 'us-east-1' }],
      now: NOW,
    });

    expect(plan.expired.map((c) => c.env)).toEqual(['it-ci-7', 'it-lost', 'it-old']);
    const old = plan.expired.find((c) => c.env === 'it-old')!;
    expect(old.stacks.map((s) => s.ref.project).sort()).toEqual(['inspection', 'spoke-a', 'spoke-b', 'tgw']);
    expect(old.resources).toEqual([
      { kind: 'transit-gateway', id: 'tgw-old', region: 'us-east-1', expiresAt: '2026-11-26T07:00:00Z' },
    ]);
    expect(plan.expired.find((c) => c.env === 'it-lost')!.stacks).toEqual([]);
    expect(plan.skipped).toEqual([
      { env: 'it-fresh', reason: 'expires at 2026-11-26T10:00:00Z' },
      { env: 'it-noexpiry', reason: 'no hubspoke:expires-at found' },
    ]);
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:hubspoke:ephemeral', Values: ['true'] },
    ]);
    expect(driver.opsOf('destroy')).toEqual([]);
  });

  it('--env restricts the search to one env', async () => {
    const driver = new RecordingDriver();
    seedEnv(driver, 'it-a', '2026-11-26T07:00:00Z');
    seedEnv(driver, 'it-b', '2026-11-26T07:00:00Z');
    const plan = await findExpiredEnvironments({
      driver,
      layout,
      ec2For: () => createAwsClients('us-east-1', fast).ec2,
      locations: [{ region: 'us-east-1' }],
      now: NOW,
      env: 'it-b',
    });
    expect(plan.expired.map((c) => c.env)).toEqual(['it-b']);
  });
});

describe('regions', () => {
  it('searches every region the envs use (stack config, else the provider in the state), not only the given one', async () => {
    const driver = new RecordingDriver();
    seedEnv(driver, 'it-east', '2026-11-26T07:00:00Z');
    // An env deployed to eu-west-1 whose config file is not on this machine: the region is in its state.
    driver.seed(
      refFor(layout.tgw, 'it-west'),
      {},
      {
        resources: [
          { type: 'pulumi:providers:aws', inputs: { region: 'eu-west-1' } },
          {
            type: 'aws:ec2/transitGateway:TransitGateway',
            outputs: { tags: { 'hubspoke:expires-at': '2026-11-25T00:00:00Z' } },
          },
        ],
      },
    );
    const byRegion: Record<string, EC2Client> = {
      'us-east-1': createAwsClients('us-east-1', fast).ec2,
      'eu-west-1': new EC2Client({ region: 'eu-west-1' }),
    };
    // aws-sdk-client-mock mocks every instance of a class: answer by the client's region.
    ec2Mock.on(DescribeVpcsCommand).callsFake(async (_input, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      return region === 'eu-west-1'
        ? {
            Vpcs: [
              {
                VpcId: 'vpc-west-orphan',
                Tags: [
                  { Key: 'hubspoke:env', Value: 'it-west-lost' },
                  { Key: 'hubspoke:expires-at', Value: '2026-11-20T00:00:00Z' },
                ],
              },
            ],
          }
        : { Vpcs: [] };
    });
    const asked: string[] = [];
    const plan = await findExpiredEnvironments({
      driver,
      layout,
      ec2For: (l) => {
        asked.push(l.region);
        return byRegion[l.region]!;
      },
      locations: [{ region: 'us-east-1' }],
      now: NOW,
    });
    expect(asked.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(plan.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(plan.expired.map((c) => `${c.env} ${c.regions.join(',')}`)).toEqual([
      'it-east us-east-1',
      'it-west eu-west-1',
      'it-west-lost eu-west-1',
    ]);
    expect(plan.expired.find((c) => c.env === 'it-west-lost')!.resources).toEqual([
      { kind: 'vpc', id: 'vpc-west-orphan', region: 'eu-west-1', expiresAt: '2026-11-20T00:00:00Z' },
    ]);
  });

  it('reads the region of a stack from its AWS provider in the state', () => {
    expect(
      regionFromState({ resources: [{ type: 'pulumi:providers:aws', inputs: { region: 'ap-south-1' } }] }),
    ).toBe('ap-south-1');
    expect(
      regionFromState({ resources: [{ type: 'aws:ec2/vpc:Vpc', inputs: { region: 'x' } }] }),
    ).toBeUndefined();
  });
});

describe('teardown of a workflow run (--env it-<run>-* --ignore-expiry)', () => {
  it('matches every attempt of the run, expired or not, and nothing else', async () => {
    const driver = new RecordingDriver();
    seedEnv(driver, 'it-77-1', '2026-11-26T10:00:00Z');
    seedEnv(driver, 'it-77-2', '2026-11-26T11:00:00Z');
    seedEnv(driver, 'it-771-1', '2026-11-26T07:00:00Z');
    seedEnv(driver, 'it-78-1', '2026-11-26T07:00:00Z');
    const plan = await findExpiredEnvironments({
      driver,
      layout,
      ec2For: () => createAwsClients('us-east-1', fast).ec2,
      locations: [{ region: 'us-east-1' }],
      now: NOW,
      env: 'it-77-*',
      ignoreExpiry: true,
    });
    expect(plan.expired.map((c) => c.env)).toEqual(['it-77-1', 'it-77-2']);
    await sweepExpired(plan, true, {
      driver,
      progress: new Progress(() => undefined, manualClock()),
      retry: fast,
    });
    expect([...driver.existing].filter((k) => k.includes('it-77-'))).toEqual([]);
    expect([...driver.existing].filter((k) => k.endsWith('/it-771-1'))).toHaveLength(4);
  });

  it('only it-<prefix>* patterns or it-<id> names', () => {
    expect(envMatcher('it-77-*')('it-77-3')).toBe(true);
    expect(envMatcher('it-77-*')('it-770-1')).toBe(false);
    expect(() => envMatcher('*')).toThrow(/only it-<prefix>\* patterns/);
    expect(() => envMatcher('prod')).toThrow(/only ephemeral envs/);
  });
});

describe('sweepExpired', () => {
  async function planFor(driver: RecordingDriver) {
    return findExpiredEnvironments({
      driver,
      layout,
      ec2For: () => createAwsClients('us-east-1', fast).ec2,
      locations: [{ region: 'us-east-1' }],
      now: NOW,
    });
  }

  it('dry run by default: prints what it would destroy, touches nothing', async () => {
    const driver = new RecordingDriver();
    seedEnv(driver, 'it-old', '2026-11-26T07:00:00Z');
    const lines: string[] = [];
    await sweepExpired(await planFor(driver), false, {
      driver,
      progress: new Progress((l) => lines.push(l), manualClock()),
      retry: fast,
    });
    expect(driver.opsOf('destroy')).toEqual([]);
    expect(driver.opsOf('remove')).toEqual([]);
    expect(lines.join('\n')).toContain(
      'would destroy it-old (expired 2026-11-26T07:00:00Z; us-east-1): stack tgw/it-old',
    );
  });

  it('--yes destroys each expired env in reverse order (retrying transient errors) and removes its stacks', async () => {
    const driver = new RecordingDriver().fail({
      op: 'destroy',
      project: 'tgw',
      times: 1,
      error: new Error('IncorrectState: tgw has attachments'),
    });
    seedEnv(driver, 'it-old', '2026-11-26T07:00:00Z');
    seedEnv(driver, 'it-fresh', '2026-11-26T10:00:00Z');
    const results = await sweepExpired(await planFor(driver), true, {
      driver,
      progress: new Progress(() => undefined, manualClock()),
      retry: fast,
    });

    const destroys = driver.ops.filter((o) => o.op === 'destroy');
    expect(destroys.every((o) => o.stack.endsWith('/it-old'))).toBe(true);
    const phases = destroys.map((o) => PHASE[o.stack.split('/')[0]!]!);
    expect(phases).toEqual([...phases].sort((a, b) => b - a));
    expect(results[0]!.teardown!.failed).toEqual([]);
    expect([...driver.existing].sort()).toEqual([
      'inspection/it-fresh',
      'spoke-a/it-fresh',
      'spoke-b/it-fresh',
      'tgw/it-fresh',
    ]);
  });
});

describe('expiryFromState', () => {
  it('takes the earliest expires-at tag among inputs and outputs', () => {
    expect(
      expiryFromState({
        resources: [
          { inputs: { tags: { 'hubspoke:expires-at': '2026-11-27T00:00:00Z' } } },
          { outputs: { tagsAll: { 'hubspoke:expires-at': '2026-11-26T00:00:00Z' } } },
          { outputs: {} },
        ],
      }),
    ).toBe('2026-11-26T00:00:00Z');
    expect(expiryFromState(undefined)).toBeUndefined();
  });
});
