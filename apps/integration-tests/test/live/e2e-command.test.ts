/**
 * `hubspoke e2e` through the CLI: prerequisites checked before anything exists, options, exit
 * codes, and a full run over a mocked account (netmodel's hub-and-spoke fixture served through the
 * SDK mocks, SSM answering like the network would) with the recording workspace stand-in.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { manualClock } from '@hubspoke/harness/src/live/clock';
import { defaultPreflightDeps } from '@hubspoke/harness/src/live/preflight';
import { makeFixtureRepo } from '@hubspoke/harness/src/live/testing/fixture-repo';
import {
  ALLOWING_AMAZON,
  privateDnsOf,
  serveProbes,
  serveSnapshot,
} from '@hubspoke/harness/src/live/testing/mock-account';
import { RecordingDriver } from '@hubspoke/harness/src/live/testing/recording-driver';
import { mockClient } from 'aws-sdk-client-mock';
import { registerE2eCommand } from '../../src/commands/e2e';
import type { LiveCommandDeps } from '../../src/commands/live-common';
import { main } from '../../src/cli';
import { captureIo, envSnapshot, outputsFromSnapshot, readyPreflight, runCommand } from './support';

const ec2Mock = mockClient(EC2Client);
const ssmMock = mockClient(SSMClient);
const nfwMock = mockClient(NetworkFirewallClient);
const ENV = 'it-cli-1';
const fast = { attempts: 3, startingDelayMs: 0, maxDelayMs: 0, jitter: false };

function account(options: HubSpokeFixtureOptions = {}) {
  ec2Mock.reset().onAnyCommand().resolves({});
  ssmMock.reset().onAnyCommand().resolves({});
  nfwMock.reset().onAnyCommand().resolves({});
  const snapshot = buildHubSpokeSnapshot({ env: ENV, ...options });
  serveSnapshot(snapshot, ec2Mock, nfwMock);
  const natIps = (snapshot.NatGateways ?? []).flatMap((n) =>
    (n.NatGatewayAddresses ?? []).map((a) => a.PublicIp!),
  );
  const probes = (snapshot.Instances ?? []).map((i) => i.InstanceId!);
  serveProbes(ssmMock, probes, { ...ALLOWING_AMAZON, egressIp: natIps[0]!, dns: privateDnsOf(snapshot) });
  return { snapshot, driver: new RecordingDriver(outputsFromSnapshot(snapshot)) };
}

function deps(driver: RecordingDriver, extra: Partial<LiveCommandDeps> = {}): LiveCommandDeps {
  return {
    repoRoot: makeFixtureRepo(),
    preflightDeps: () => readyPreflight(),
    createDriver: () => driver,
    vars: {},
    e2e: {
      clock: manualClock(),
      destroyRetry: fast,
      probe: { pollDelayMs: 1 },
      signals: { on: () => undefined, off: () => undefined },
    },
    ...extra,
  };
}

const e2e =
  (d: LiveCommandDeps) =>
  (
    program: Parameters<typeof registerE2eCommand>[0],
    io: Parameters<typeof registerE2eCommand>[1],
    setExit: (c: number) => void,
  ) =>
    registerE2eCommand(program, io, setExit, d);

describe('hubspoke e2e', () => {
  it('--help documents every option, the prerequisites and the exit codes', async () => {
    const io = captureIo();
    expect(await main(['e2e', '--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const flag of [
      '--env <it-id>',
      '--region <region>',
      '--keep',
      '--out-dir <dir>',
      '--timeout-minutes <n>',
      '--backend <url>',
      '--template-env <env>',
      '--checks <file>',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('(default: "reports/e2e")');
    expect(help).toMatch(/PULUMI_BACKEND_URL/);
    expect(help).toMatch(/Exit codes: 0 .* 130 interrupted/s);
  });

  it('without AWS credentials and without a Pulumi CLI: fails at once naming both, creates nothing', async () => {
    const env = envSnapshot();
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-such-credentials'),
      AWS_CONFIG_FILE: join(tmpdir(), 'no-such-config'),
    });
    try {
      const driver = new RecordingDriver();
      let driversCreated = 0;
      const emptyPath = mkdtempSync(join(tmpdir(), 'no-pulumi-'));
      const r = await runCommand(
        e2e(
          deps(driver, {
            // The real SDK credential chain and the real PATH lookup, in an environment that has neither.
            preflightDeps: (region) => defaultPreflightDeps(region ?? 'us-east-1', { PATH: emptyPath }),
            createDriver: () => {
              driversCreated++;
              return driver;
            },
          }),
        ),
        ['e2e', '--region', 'us-east-1'],
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /e2e cannot start:[\s\S]*AWS credentials: none found through the default provider chain/,
      );
      expect(r.stderr).toContain('Pulumi CLI: `pulumi version` failed (pulumi: command not found on PATH)');
      expect(r.stderr).toContain('Nothing was created.');
      expect(driversCreated).toBe(0);
      expect(driver.ops).toEqual([]);
      expect(ec2Mock.calls()).toHaveLength(0);
    } finally {
      env.restore();
    }
  });

  it('runs the whole suite live: deploy, readiness, SSM probe + routing checks on the account, teardown; exit 0', async () => {
    const { driver } = account();
    const io = captureIo();
    const r = await runCommand(e2e(deps(driver)), ['e2e', '--env', ENV, '--out-dir', 'out'], io);

    expect(r.stderr).not.toMatch(/FAIL /);
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(io.cwd, 'out', 'results.json'), 'utf8')) as {
      checks: { id: string; status: string }[];
    };
    const ids = results.checks.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'egress-ip',
        'allow:www.amazon.com:443',
        'allow:checkip.amazonaws.com:443',
        'deny:example.com:443',
        'deny:example.com:80',
        'ssm-reachable',
        'inspected-egress',
        'symmetric-return',
        'live:teardown',
      ]),
    );
    expect(results.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(existsSync(join(io.cwd, 'out', 'junit.xml'))).toBe(true);
    expect([...driver.opsOf('remove')].sort()).toEqual([
      `inspection/${ENV}`,
      `spoke-a/${ENV}`,
      `spoke-b/${ENV}`,
      `tgw/${ENV}`,
    ]);
  });

  it('a network that bypasses the firewall fails inspected-egress: exit 1, env still destroyed', async () => {
    const { driver } = account({ bypassFirewall: true });
    const io = captureIo();
    const r = await runCommand(e2e(deps(driver)), ['e2e', '--env', ENV], io);
    expect(r.code).toBe(1);
    const results = JSON.parse(readFileSync(join(io.cwd, 'reports/e2e/results.json'), 'utf8')) as {
      checks: { id: string; status: string }[];
    };
    expect(results.checks.find((c) => c.id === 'inspected-egress')!.status).toBe('fail');
    expect(driver.existing.size).toBe(0);
  });

  it('with PULUMI_ACCESS_TOKEN and an empty PULUMI_BACKEND_URL (an unset secret) the state goes to Pulumi Cloud, printed before anything is deployed', async () => {
    const { driver } = account();
    const backends: string[] = [];
    const io = captureIo();
    const r = await runCommand(
      e2e(
        deps(driver, {
          vars: { CI: 'true', PULUMI_BACKEND_URL: '', PULUMI_ACCESS_TOKEN: 'pul-abc' },
          createDriver: (url) => {
            backends.push(url);
            return driver;
          },
        }),
      ),
      ['e2e', '--env', ENV],
      io,
    );
    expect(r.code).toBe(0);
    expect(backends).toEqual(['https://api.pulumi.com']);
    const backendLine = r.stderr.indexOf(
      'backend https://api.pulumi.com (Pulumi Cloud: PULUMI_ACCESS_TOKEN is set and no backend URL)',
    );
    expect(backendLine).toBeGreaterThan(0);
    expect(backendLine).toBeLessThan(r.stderr.indexOf('deploy tgw'));
  });

  it('in CI without a backend URL or token, refuses the file:// default: exit 2, nothing created', async () => {
    const { driver } = account();
    let driversCreated = 0;
    const r = await runCommand(
      e2e(
        deps(driver, {
          vars: { CI: 'true', PULUMI_BACKEND_URL: '', PULUMI_ACCESS_TOKEN: '' },
          createDriver: () => {
            driversCreated++;
            return driver;
          },
        }),
      ),
      ['e2e', '--env', ENV],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Pulumi backend: file:\/\/\S+ \(default: .*\) keeps the state on this CI runner/,
    );
    expect(r.stderr).toContain('Nothing was created.');
    expect(driversCreated).toBe(0);
    expect(driver.ops).toEqual([]);
  });

  it('in CI a file:// backend asked for with --backend is used', async () => {
    const { driver } = account();
    const backends: string[] = [];
    const r = await runCommand(
      e2e(
        deps(driver, {
          vars: { CI: 'true' },
          createDriver: (url) => {
            backends.push(url);
            return driver;
          },
        }),
      ),
      ['e2e', '--env', ENV, '--backend', 'file:///tmp/hubspoke-state'],
    );
    expect(r.code).toBe(0);
    expect(backends).toEqual(['file:///tmp/hubspoke-state']);
    expect(r.stderr).toContain('backend file:///tmp/hubspoke-state (from --backend)');
  });

  it.each([
    [['e2e', '--timeout-minutes', 'soon'], '--timeout-minutes: expected a positive whole number, got "soon"'],
    [['e2e', '--env', 'prod'], 'e2e only creates and destroys ephemeral envs named it-<id>'],
    [['e2e', '--checks', 'missing.yaml'], 'missing.yaml'],
  ])('bad input %j: exit 2 before anything is created', async (argv, message) => {
    const io = captureIo();
    const code = await main(argv, io);
    expect(code).toBe(2);
    expect(io.err.join('')).toContain(message);
  });
});
