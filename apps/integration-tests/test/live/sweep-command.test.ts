import { DescribeTransitGatewaysCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { manualClock } from '@hubspoke/harness/src/live/clock';
import { discoverProjects, refFor } from '@hubspoke/harness/src/live/projects';
import { makeFixtureRepo } from '@hubspoke/harness/src/live/testing/fixture-repo';
import { RecordingDriver } from '@hubspoke/harness/src/live/testing/recording-driver';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { registerSweepCommand } from '../../src/commands/sweep';
import type { LiveCommandDeps } from '../../src/commands/live-common';
import { main } from '../../src/cli';
import { captureIo, readyPreflight, runCommand } from './support';

const ec2Mock = mockClient(EC2Client);
const NOW = Date.parse('2026-11-26T08:00:00Z');
const repo = makeFixtureRepo();
const layout = discoverProjects(repo);

function driverWith(env: string, expiresAt: string): RecordingDriver {
  const d = new RecordingDriver();
  for (const p of [layout.tgw, layout.inspection, ...layout.spokes])
    d.seed(refFor(p, env), { 'hubspoke:expiresAt': expiresAt, 'aws:region': 'us-east-1' });
  return d;
}

function deps(driver: RecordingDriver, extra: Partial<LiveCommandDeps> = {}): LiveCommandDeps {
  return {
    repoRoot: repo,
    now: () => NOW,
    vars: {},
    preflightDeps: () => readyPreflight(),
    createDriver: () => driver,
    e2e: {
      clock: manualClock(),
      destroyRetry: { attempts: 2, startingDelayMs: 0, maxDelayMs: 0, jitter: false },
    },
    ...extra,
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

beforeEach(() => {
  ec2Mock.reset().onAnyCommand().resolves({});
  ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  ec2Mock.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
});

describe('hubspoke sweep', () => {
  it('--help documents every option', async () => {
    const io = captureIo();
    expect(await main(['sweep', '--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const flag of [
      '--yes',
      '--region <region>',
      '--backend <url>',
      '--env <it-id|pattern>',
      '--ignore-expiry',
    ])
      expect(help).toContain(flag);
    expect(help).toContain('dry run unless --yes');
    expect(help).toMatch(/dev and prod never are/);
  });

  it('dry run by default: lists the expired env and destroys nothing', async () => {
    const driver = driverWith('it-old', '2026-11-26T07:00:00Z');
    const r = await runCommand(sweep(deps(driver)), ['sweep']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: nothing destroyed; run again with --yes to destroy it-old');
    expect(r.stderr).toContain('would destroy it-old');
    expect(driver.opsOf('destroy')).toEqual([]);
  });

  it('--yes destroys it (spokes, inspection, tgw) and removes the stacks', async () => {
    const driver = driverWith('it-old', '2026-11-26T07:00:00Z');
    const r = await runCommand(sweep(deps(driver)), ['sweep', '--yes']);
    expect(r.code).toBe(0);
    expect(driver.opsOf('destroy').slice(-2)).toEqual(['inspection/it-old', 'tgw/it-old']);
    expect(driver.existing.size).toBe(0);
  });

  it('an env that cannot be destroyed fails the sweep with exit 1 and says which stack', async () => {
    const driver = driverWith('it-old', '2026-11-26T07:00:00Z').fail({
      op: 'destroy',
      project: 'tgw',
      error: new Error('AccessDenied'),
    });
    const r = await runCommand(sweep(deps(driver)), ['sweep', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it-old: not fully destroyed: tgw: AccessDenied');
  });

  it('missing prerequisites: exit 2, nothing listed or changed', async () => {
    const driver = driverWith('it-old', '2026-11-26T07:00:00Z');
    const r = await runCommand(
      sweep(
        deps(driver, {
          preflightDeps: () =>
            readyPreflight({
              credentials: async () => {
                throw new Error('Could not load credentials from any providers');
              },
            }),
        }),
      ),
      ['sweep', '--yes'],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sweep cannot start');
    expect(driver.ops).toEqual([]);
  });

  it('refuses --env for a non-ephemeral env, and --ignore-expiry without --env', async () => {
    const io = captureIo();
    expect(await main(['sweep', '--env', 'prod'], io)).toBe(2);
    expect(io.err.join('')).toContain('sweep only destroys ephemeral envs');
    const io2 = captureIo();
    expect(await main(['sweep', '--ignore-expiry', '--yes'], io2)).toBe(2);
    expect(io2.err.join('')).toContain('--ignore-expiry needs --env');
  });

  it("the nightly teardown: --env 'it-<run>-*' --ignore-expiry --yes destroys every attempt of the run, writes the job summary", async () => {
    const driver = driverWith('it-99-1', '2026-11-26T12:00:00Z');
    for (const p of [layout.tgw, layout.inspection, ...layout.spokes])
      driver.seed(refFor(p, 'it-99-2'), { 'hubspoke:expiresAt': '2026-11-26T13:00:00Z' });
    driver.seed(refFor(layout.tgw, 'it-100-1'), { 'hubspoke:expiresAt': '2026-11-26T12:00:00Z' });
    const summary = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md');
    const r = await runCommand(sweep(deps(driver, { vars: { GITHUB_STEP_SUMMARY: summary } })), [
      'sweep',
      '--env',
      'it-99-*',
      '--ignore-expiry',
      '--yes',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('destroy it-99-1 (torn down on request');
    expect([...driver.existing]).toEqual(['tgw/it-100-1']);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| `it-99-1` | ✅ | spoke-a, spoke-b, inspection, tgw | — |');
    expect(md).toContain('| `it-99-2` | ✅ |');
  });

  it('a teardown that leaves tagged resources with no stack behind fails (a leak to act on)', async () => {
    const driver = new RecordingDriver();
    ec2Mock.on(DescribeVpcsCommand).resolves({
      Vpcs: [{ VpcId: 'vpc-left', Tags: [{ Key: 'hubspoke:env', Value: 'it-99-1' }] }],
    });
    const r = await runCommand(sweep(deps(driver)), [
      'sweep',
      '--env',
      'it-99-*',
      '--ignore-expiry',
      '--yes',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'it-99-1: left in AWS with no stack to destroy them: vpc vpc-left (us-east-1)',
    );
  });
});
