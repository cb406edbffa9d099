/**
 * Fault injection over the whole live run: the recording stand-in for the Pulumi workspace, the
 * AWS SDK mocked, time on a manual clock. Each phase fails in turn; every time, every stack that
 * was created must be destroyed in reverse order and removed, and no check may pass without an
 * observation behind it.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAvailabilityZonesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { type FirewallStatus, NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SSMClient, SendCommandCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { type CheckExpectations, defaultExpectations } from '../../src/checks/expectations';
import { createAwsClients } from '../../src/live/aws-clients';
import type { SignalName, SignalSource } from '../../src/live/cancellation';
import { manualClock } from '../../src/live/clock';
import { type E2eDeps, type E2eOptions, runE2e } from '../../src/live/e2e';
import { StackLedger, destroyEnvironment } from '../../src/live/environment';
import { Progress } from '../../src/live/progress';
import { PreflightError } from '../../src/live/errors';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';
import {
  type ProbeNetwork,
  serveAvailabilityZones,
  serveReadyEnvironment,
} from '../../src/live/testing/mock-account';
import { outputsFor } from '../../src/live/testing/outputs';
import { RecordingDriver } from '../../src/live/testing/recording-driver';

const ec2Mock = mockClient(EC2Client);
const ssmMock = mockClient(SSMClient);
const nfwMock = mockClient(NetworkFirewallClient);
const fast = { attempts: 4, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const PROBES = ['i-spoke-a', 'i-spoke-b'];
const PHASE: Record<string, number> = { tgw: 0, inspection: 1, 'spoke-a': 2, 'spoke-b': 2 };

/** Probe checks only: the mocked account has no routing to trace, and these are the checks SSM answers. */
const PROBE_CHECKS: CheckExpectations = {
  ...defaultExpectations(),
  run: ['egress-ip', 'allow', 'deny', 'ssm-reachable'],
};

class FakeSignals extends EventEmitter implements SignalSource {
  override on(signal: SignalName, handler: () => void): this {
    return super.on(signal, handler);
  }
  override off(signal: SignalName, handler: () => void): this {
    return super.off(signal, handler);
  }
}

const GOOD: ProbeNetwork = {
  answers: {
    'www.amazon.com': { rc: 0, code: '200' },
    'checkip.amazonaws.com:443': { rc: 0, code: '200' },
    'example.com': { rc: 28, code: '000' },
  },
  egressIp: '198.51.100.1',
};

/** SSM Run Command stand-in: answers each script from `net`, like curl on the probe would. */
function mockAws(
  net: ProbeNetwork = GOOD,
  firewall: FirewallStatus = { Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC' },
): void {
  for (const m of [ec2Mock, ssmMock, nfwMock]) m.reset();
  ec2Mock.onAnyCommand().resolves({});
  nfwMock.onAnyCommand().resolves({});
  ssmMock.onAnyCommand().resolves({});
  serveReadyEnvironment(
    { ec2: ec2Mock, nfw: nfwMock, ssm: ssmMock },
    PROBES.map((instanceId, i) => ({ instanceId, vpcId: `vpc-${i}` })),
    net,
    { firewall },
  );
}

interface Run {
  driver: RecordingDriver;
  signals: FakeSignals;
  lines: string[];
  outDir: string;
  repo: string;
  createDriverCalls: number;
}

function setup(driver = new RecordingDriver(outputsFor())): { run: Run; deps: E2eDeps; options: E2eOptions } {
  const repo = makeFixtureRepo();
  const outDir = mkdtempSync(join(tmpdir(), 'hubspoke-e2e-'));
  const run: Run = { driver, signals: new FakeSignals(), lines: [], outDir, repo, createDriverCalls: 0 };
  const deps: E2eDeps = {
    preflight: async () => ({
      region: 'us-east-1',
      pulumiVersion: 'v3.200.0',
      backendUrl: 'file:///state',
      backend: { url: 'file:///state', source: 'default' },
    }),
    createDriver: () => {
      run.createDriverCalls++;
      return driver;
    },
    createClients: (region) => createAwsClients(region, fast),
    clock: manualClock(),
    signals: run.signals,
    write: (l) => run.lines.push(l),
    destroyRetry: fast,
    probe: { pollDelayMs: 1 },
    vars: {},
  };
  const options: E2eOptions = {
    env: 'it-test-1',
    outDir,
    timeoutMinutes: 90,
    repoRoot: repo,
    expectations: PROBE_CHECKS,
  };
  return { run, deps, options };
}

/** Every created stack destroyed (spokes, then inspection, then tgw) and removed. */
function expectTornDown(driver: RecordingDriver): void {
  const created = driver.opsOf('createOrSelect');
  const destroyed = [...new Set(driver.opsOf('destroy'))];
  expect(created.length).toBeGreaterThan(0);
  expect([...destroyed].sort()).toEqual([...created].sort());
  expect([...driver.opsOf('remove')].sort()).toEqual([...created].sort());
  const phases = driver.ops.filter((o) => o.op === 'destroy').map((o) => PHASE[o.stack.split('/')[0]!]!);
  expect(phases).toEqual([...phases].sort((a, b) => b - a));
  // A stack is removed only after its destroy succeeded, and no deploy runs after teardown began.
  const firstDestroy = driver.ops.findIndex((o) => o.op === 'destroy');
  expect(driver.ops.slice(firstDestroy).some((o) => o.op === 'up' || o.op === 'createOrSelect')).toBe(false);
  expect(driver.existing.size).toBe(0);
}

function passed(results: { id: string; status: string }[]): string[] {
  return results.filter((r) => r.status === 'pass').map((r) => r.id);
}

beforeEach(() => mockAws());

describe('e2e happy path', () => {
  it('deploys tgw -> inspection -> spokes with ephemeral config, checks through SSM, destroys in reverse, writes every report', async () => {
    const { run, deps, options } = setup();
    const outcome = await runE2e(options, deps);

    expect(outcome.exitCode).toBe(0);
    const ups = run.driver.opsOf('up');
    expect(ups.slice(0, 2)).toEqual(['tgw/it-test-1', 'inspection/it-test-1']);
    expect([...ups.slice(2)].sort()).toEqual(['spoke-a/it-test-1', 'spoke-b/it-test-1']);
    expectTornDown(run.driver);
    // Each stack is previewed right before its up, both with the repo's policy pack (absolute path).
    const pack = join(run.repo, 'packages/policy');
    for (const stack of ups) {
      const ops = run.driver.ops.filter((o) => o.stack === stack && ['preview', 'up'].includes(o.op));
      expect(ops.map((o) => `${o.op} ${o.options?.policyPacks?.join(',')}`)).toEqual([
        `preview ${pack}`,
        `up ${pack}`,
      ]);
    }

    const spokeConfig = run.driver.ops.find(
      (o) => o.op === 'setConfig' && o.stack === 'spoke-a/it-test-1',
    )!.config!;
    expect(spokeConfig).toMatchObject({
      'aws:region': 'us-east-1',
      'spoke-a:note': 'template',
      'hubspoke:ephemeral': 'true',
      'spoke-a:probe': 'true',
    });
    expect(spokeConfig['hubspoke:expiresAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(
      run.driver.ops.find((o) => o.op === 'setConfig' && o.stack === 'tgw/it-test-1')!.config!,
    ).not.toHaveProperty('tgw:probe');

    expect(passed(outcome.results)).toEqual([
      'egress-ip',
      'allow:www.amazon.com:443',
      'allow:checkip.amazonaws.com:443',
      'deny:example.com:443',
      'deny:example.com:80',
      'ssm-reachable',
      'live:teardown',
    ]);
    const json = JSON.parse(readFileSync(join(run.outDir, 'results.json'), 'utf8'));
    expect(json.checks.map((c: { id: string }) => c.id)).toContain('egress-ip');
    expect(existsSync(join(run.outDir, 'report.md'))).toBe(true);
    expect(readFileSync(join(run.outDir, 'junit.xml'), 'utf8')).toContain('egress-ip');
    // Progress is streamed with per-phase timings.
    expect(run.lines.some((l) => l.includes('spoke-a/it-test-1 | Updating (it-test-1)'))).toBe(true);
    expect(run.lines.join('\n')).toMatch(/phase timings:[\s\S]*deploy tgw[\s\S]*teardown it-test-1/);
  });

  it('--keep leaves the env up and prints how to destroy it, in reverse order', async () => {
    const { run, deps, options } = setup();
    const outcome = await runE2e({ ...options, keep: true }, deps);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.kept).toBe(true);
    expect(run.driver.opsOf('destroy')).toEqual([]);
    expect(run.driver.opsOf('remove')).toEqual([]);
    const text = run.lines.join('\n');
    const cmd = (dir: string): number =>
      text.indexOf(
        `(cd ${dir} && pulumi destroy --yes --stack it-test-1 && pulumi stack rm --yes it-test-1)`,
      );
    expect(text).toContain('export PULUMI_BACKEND_URL=file:///state');
    expect(cmd('apps/spokes/spoke-a')).toBeGreaterThan(0);
    expect(cmd('apps/inspection')).toBeGreaterThan(cmd('apps/spokes/spoke-b'));
    expect(cmd('apps/tgw')).toBeGreaterThan(cmd('apps/inspection'));
  });
});

describe('e2e fault injection', () => {
  it.each(['tgw', 'inspection', 'spoke-a'])(
    'deploy of %s fails: created stacks destroyed in reverse and removed, no check passes',
    async (project) => {
      const driver = new RecordingDriver(outputsFor()).fail({
        op: 'up',
        project,
        error: new Error(`${project}: creating EC2 VPC: VpcLimitExceeded`),
      });
      const { run, deps, options } = setup(driver);
      const outcome = await runE2e(options, deps);

      expect(outcome.exitCode).toBe(1);
      expectTornDown(run.driver);
      const created = run.driver.opsOf('createOrSelect').map((s) => s.split('/')[0]);
      expect(created).toContain(project);
      if (project === 'tgw') expect(created).toEqual(['tgw']);
      if (project === 'spoke-a') expect(created).toContain('spoke-b'); // the sibling spoke still finished, and is destroyed
      expect(passed(outcome.results)).toEqual(['live:teardown']);
      expect(outcome.results.find((r) => r.id === 'live:deploy')!.detail).toContain('VpcLimitExceeded');
      expect(ssmMock.commandCalls(SendCommandCommand)).toHaveLength(0);
    },
  );

  it('readiness times out: message names the gate, nothing is probed, everything destroyed', async () => {
    mockAws(GOOD, { Status: 'PROVISIONING', ConfigurationSyncStateSummary: 'PENDING' });
    const { run, deps, options } = setup();
    const outcome = await runE2e(options, {
      ...deps,
      readiness: { firewallMs: 5 * 60_000, natMs: 60_000, ssmMs: 60_000 },
    });

    expect(outcome.exitCode).toBe(1);
    expectTornDown(run.driver);
    const readiness = outcome.results.find((r) => r.id === 'live:readiness')!;
    expect(readiness.status).toBe('fail');
    expect(readiness.detail).toMatch(
      /waiting for firewall arn:aws:network-firewall\S+ READY and IN_SYNC; last seen: Status=PROVISIONING/,
    );
    expect(passed(outcome.results)).toEqual(['live:teardown']);
    expect(ssmMock.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it('a check fails: the run fails, the failing check says why, teardown still happens', async () => {
    mockAws({ ...GOOD, answers: { ...GOOD.answers, 'example.com': { rc: 0, code: '200' } } });
    const { run, deps, options } = setup();
    const outcome = await runE2e(options, deps);

    expect(outcome.exitCode).toBe(1);
    expectTornDown(run.driver);
    const deny = outcome.results.find((r) => r.id === 'deny:example.com:443')!;
    expect(deny.status).toBe('fail');
    expect(passed(outcome.results)).toContain('allow:www.amazon.com:443');
    // The progress line shows each check's own status, as verify's table does.
    expect(run.lines.some((l) => l.includes('FAIL deny:example.com:443:'))).toBe(true);
    expect(run.lines.some((l) => l.includes('PASS allow:www.amazon.com:443:'))).toBe(true);
  });

  it('egress through an IP that is not a NAT EIP fails the egress-ip check', async () => {
    mockAws({ ...GOOD, egressIp: '203.0.113.99' });
    const { deps, options } = setup();
    const outcome = await runE2e(options, deps);
    expect(outcome.results.find((r) => r.id === 'egress-ip')!.status).toBe('fail');
    expect(outcome.exitCode).toBe(1);
  });

  it('SSM cannot run commands: no probe check is reported passed (nothing was observed)', async () => {
    mockAws({ ...GOOD, sendFails: true });
    const { run, deps, options } = setup();
    const outcome = await runE2e(options, deps);

    expect(outcome.exitCode).toBe(1);
    expectTornDown(run.driver);
    for (const id of [
      'egress-ip',
      'allow:www.amazon.com:443',
      'deny:example.com:443',
      'deny:example.com:80',
    ]) {
      expect(outcome.results.find((r) => r.id === id)!.status).toBe('fail');
    }
    // ssm-reachable is observed from the probe too (DNS + TLS through SSM): nothing passes.
    expect(outcome.results.find((r) => r.id === 'ssm-reachable')!.status).toBe('fail');
    expect(passed(outcome.results)).toEqual(['live:teardown']);
  });

  it('a checks file that selects no check: the run fails instead of passing on its teardown alone', async () => {
    const { run, deps, options } = setup();
    const outcome = await runE2e({ ...options, expectations: { ...PROBE_CHECKS, run: [] } }, deps);

    expect(outcome.exitCode).toBe(1);
    expectTornDown(run.driver);
    const failed = outcome.results.filter((r) => r.status !== 'pass');
    expect(failed.map((r) => r.detail).join('\n')).toMatch(/no check was evaluated/);
  });

  it('a check suite that returns nothing fails the run, naming the empty checks phase', async () => {
    const { run, deps, options } = setup();
    const outcome = await runE2e(options, { ...deps, checks: async () => [] });

    expect(outcome.exitCode).toBe(1);
    expectTornDown(run.driver);
    expect(outcome.results.find((r) => r.id === 'live:checks')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('evaluated no check'),
    });
  });

  it('SIGINT mid-deploy cancels the operation in flight, starts nothing new, and still destroys', async () => {
    const driver = new RecordingDriver(outputsFor());
    const { run, deps, options } = setup(driver);
    driver.hangUp('inspection', () => run.signals.emit('SIGINT'));
    const outcome = await runE2e(options, deps);

    expect(outcome.exitCode).toBe(130);
    expect(driver.opsOf('cancel')).toEqual(['inspection/it-test-1']);
    // The terminal's Ctrl-C reached the CLI too; a second SIGINT would force-quit Pulumi.
    expect(driver.ops.find((o) => o.op === 'cancel')!.cancel).toEqual({ signalled: true });
    expect(driver.opsOf('createOrSelect')).toEqual(['tgw/it-test-1', 'inspection/it-test-1']);
    expectTornDown(driver);
    expect(driver.opsOf('destroy')).toEqual(['inspection/it-test-1', 'tgw/it-test-1']);
    expect(passed(outcome.results)).toEqual(['live:teardown']);
    expect(outcome.results.find((r) => r.id === 'live:deploy')!.detail).toMatch(/interrupted \(SIGINT\)/);
    // Handlers are removed after the run.
    expect(run.signals.listenerCount('SIGINT')).toBe(0);
  });

  it('Ctrl-C again during teardown does not interrupt it', async () => {
    const driver = new RecordingDriver(outputsFor());
    const { run, deps, options } = setup(driver);
    driver.hangUp('spoke-a', () => run.signals.emit('SIGINT'));
    driver.onOp = (op) => {
      if (op.op === 'destroy') run.signals.emit('SIGINT');
    };
    const outcome = await runE2e(options, deps);
    expect(outcome.exitCode).toBe(130);
    expectTornDown(driver);
    expect(
      run.lines.some((l) => l.includes('SIGINT again: teardown is running and will not be interrupted')),
    ).toBe(true);
  });

  it('the overall timeout cancels like a signal but exits 1', async () => {
    const driver = new RecordingDriver(outputsFor());
    const { deps, options } = setup(driver);
    let fire: () => void = () => undefined;
    driver.hangUp('spoke-b', () => fire());
    const outcome = await runE2e(options, {
      ...deps,
      startTimer: (_ms, onTimeout) => {
        fire = onTimeout;
        return () => undefined;
      },
    });
    expect(outcome.exitCode).toBe(1);
    // Both spokes were in flight when the timer fired: each gets a cancel.
    expect(driver.opsOf('cancel')).toContain('spoke-b/it-test-1');
    expect(driver.ops.find((o) => o.op === 'cancel')!.cancel).toEqual({ signalled: false });
    expectTornDown(driver);
    expect(outcome.results.find((r) => r.id === 'live:deploy')!.detail).toMatch(/timeout after 90 minutes/);
  });

  it('destroy fails once with DependencyViolation, is retried after a refresh, and succeeds', async () => {
    const driver = new RecordingDriver(outputsFor()).fail({
      op: 'destroy',
      project: 'inspection',
      times: 1,
      error: new Error(
        'deleting EC2 Subnet (subnet-0fw): DependencyViolation: The subnet has dependencies and cannot be deleted.',
      ),
    });
    const { run, deps, options } = setup(driver);
    const outcome = await runE2e(options, deps);

    expect(outcome.exitCode).toBe(0);
    expectTornDown(driver);
    const attempts = driver.ops.filter((o) => o.op === 'destroy' && o.stack === 'inspection/it-test-1');
    expect(attempts.map((a) => a.options?.refresh)).toEqual([false, true]);
    expect(run.lines.some((l) => l.includes('transient destroy error, retry 2/4'))).toBe(true);
  });

  it('a destroy that keeps failing leaves that stack (not removed), still destroys the rest, fails the run and says how to finish', async () => {
    const driver = new RecordingDriver(outputsFor()).fail({
      op: 'destroy',
      project: 'spoke-a',
      error: new Error('AccessDenied: ec2:DeleteVpc'),
    });
    const { run, deps, options } = setup(driver);
    const outcome = await runE2e(options, deps);

    expect(outcome.exitCode).toBe(1);
    expect(driver.opsOf('destroy').filter((s) => s === 'spoke-a/it-test-1')).toHaveLength(1); // not transient: no retry
    expect([...driver.opsOf('remove')].sort()).toEqual([
      'inspection/it-test-1',
      'spoke-b/it-test-1',
      'tgw/it-test-1',
    ]);
    expect(driver.existing).toEqual(new Set(['spoke-a/it-test-1']));
    const teardown = outcome.results.find((r) => r.id === 'live:teardown')!;
    expect(teardown.status).toBe('fail');
    expect(teardown.detail).toContain('spoke-a/it-test-1: AccessDenied');
    expect(run.lines.join('\n')).toContain(
      '(cd apps/spokes/spoke-a && pulumi destroy --yes --stack it-test-1',
    );
  });
});

describe('e2e probe verdicts', () => {
  it.each([
    ['a DNS failure', { rc: 6, code: '000' }, /did not resolve/],
    [
      'a connect timeout (no route)',
      { rc: 28, code: '000', connect: 0 },
      /timed out before it was established/,
    ],
    ['a refused connection', { rc: 7, code: '000' }, /refused or had no route/],
    ['a missing curl', { rc: 127, code: '000', connect: 0 }, /curl is not installed/],
  ])(
    'a deny does not pass on %s: it was not observed, and the check says why',
    async (_what, answer, why) => {
      mockAws({ ...GOOD, answers: { ...GOOD.answers, 'example.com': answer } });
      const { deps, options } = setup();
      const outcome = await runE2e(options, deps);
      const deny = outcome.results.find((r) => r.id === 'deny:example.com:443')!;
      expect(deny.status).toBe('fail');
      expect(deny.detail).toMatch(why);
      expect(outcome.exitCode).toBe(1);
    },
  );

  it('a deny passes when TCP connected and the exchange then got no answer, and the report shows the connection', async () => {
    mockAws({
      ...GOOD,
      answers: { ...GOOD.answers, 'example.com': { rc: 28, code: '000', remoteIp: '93.184.215.14' } },
    });
    const { run, deps, options } = setup();
    const outcome = await runE2e(options, deps);
    const deny = outcome.results.find((r) => r.id === 'deny:example.com:443')!;
    expect(deny.status).toBe('pass');
    expect(deny.observations).toHaveLength(2);
    expect(deny.observations![0]!.connection).toEqual({
      curlExit: 28,
      timeConnectS: 0.012,
      remoteIp: '93.184.215.14',
    });
    const report = readFileSync(join(run.outDir, 'report.md'), 'utf8');
    expect(report).toContain(
      'blocked after the TCP handshake (curl exit 28 (timed out), TCP connected to 93.184.215.14 in 0.012s',
    );
    const json = JSON.parse(readFileSync(join(run.outDir, 'results.json'), 'utf8'));
    expect(
      json.checks.find((c: { id: string }) => c.id === 'egress-ip').observations[0].connection.timeConnectS,
    ).toBe(0.012);
  });

  it('a checks file naming a probe the env does not have fails the checks, naming it', async () => {
    const { run, deps, options } = setup();
    const outcome = await runE2e(
      { ...options, expectations: { ...PROBE_CHECKS, probes: ['spoke-z-probe'] } },
      deps,
    );
    expect(outcome.results.find((r) => r.id === 'live:checks')!.detail).toContain(
      'probes: "spoke-z-probe" is not the instance id or Name tag of a running probe of it-test-1',
    );
    expect(outcome.exitCode).toBe(1);
    expectTornDown(run.driver);
  });
});

describe('e2e in another region than the template', () => {
  const azConfig = (project: string): string =>
    `  ${project}:availabilityZones:\n    - us-east-1a\n    - us-east-1b\n`;
  const templateWithAzs = () =>
    makeFixtureRepo({
      extraConfig: {
        inspection: azConfig('inspection'),
        'spoke-a': azConfig('spoke-a'),
        'spoke-b': azConfig('spoke-b'),
      },
    });
  const inRegion = (deps: E2eDeps, region: string): E2eDeps => ({
    ...deps,
    preflight: async () => ({ ...(await deps.preflight()), region }),
  });

  it('maps the template AZs onto the region (sorted, same count) in every project, before deploying', async () => {
    const { run, deps, options } = setup();
    serveAvailabilityZones(ec2Mock, 'eu-west-1', 'cba');
    await runE2e({ ...options, repoRoot: templateWithAzs() }, inRegion(deps, 'eu-west-1'));
    for (const p of ['inspection', 'spoke-a', 'spoke-b']) {
      const config = run.driver.ops.find(
        (o) => o.op === 'setConfig' && o.stack === `${p}/it-test-1`,
      )!.config!;
      expect(config[`${p}:availabilityZones`]).toEqual(['eu-west-1a', 'eu-west-1b']);
      expect(config['aws:region']).toBe('eu-west-1');
    }
    expect(run.lines.join('\n')).toContain(
      'AZs of the template mapped to eu-west-1: us-east-1a -> eu-west-1a, us-east-1b -> eu-west-1b',
    );
    const filters = ec2Mock.commandCalls(DescribeAvailabilityZonesCommand)[0]!.args[0].input.Filters;
    expect(filters).toEqual(expect.arrayContaining([{ Name: 'zone-type', Values: ['availability-zone'] }]));
  });

  it('refuses a region with fewer AZs than the template uses, before any stack exists', async () => {
    const { run, deps, options } = setup();
    serveAvailabilityZones(ec2Mock, 'ap-east-2', 'a');
    const err = await runE2e({ ...options, repoRoot: templateWithAzs() }, inRegion(deps, 'ap-east-2')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toContain(
      'region ap-east-2 has 1 available AZ(s) (ap-east-2a), but the template uses 2 (us-east-1a, us-east-1b)',
    );
    expect(run.createDriverCalls).toBe(0);
    expect(run.driver.ops).toEqual([]);
  });
});

describe('e2e teardown after an interrupted operation', () => {
  it('an ephemeral stack left locked with pending operations is recovered, then destroyed and removed', async () => {
    const driver = new RecordingDriver(outputsFor()).fail({
      op: 'up',
      project: 'spoke-a',
      error: new Error('spoke-a: the CLI was killed'),
    });
    const { run, deps, options } = setup(driver);
    driver.onOp = (op) => {
      if (op.op === 'up' && op.stack === 'spoke-a/it-test-1')
        driver.interrupt({ project: 'spoke-a', env: 'it-test-1', workDir: '' });
    };
    const outcome = await runE2e(options, deps);
    expectTornDown(driver);
    const spokeA = driver.ops.filter((o) => o.stack === 'spoke-a/it-test-1').map((o) => o.op);
    expect(spokeA.slice(spokeA.indexOf('destroy'))).toEqual(['destroy', 'recover', 'destroy', 'remove']);
    expect(run.lines.join('\n')).toMatch(
      /spoke-a\/it-test-1: recovered from an interrupted run: cancelled the update the backend still held; dropped pending operations \(a resource they were creating may be left in AWS, tagged hubspoke:env=it-test-1\): creating urn:/,
    );
    expect(outcome.results.find((r) => r.id === 'live:teardown')!.status).toBe('pass');
  });

  it('a long-lived stack is never recovered automatically: its lock may belong to a running deploy', async () => {
    const driver = new RecordingDriver();
    const ref = { project: 'tgw', env: 'dev', workDir: '' };
    driver.interrupt(ref);
    const ledger = new StackLedger();
    ledger.add(ref, 0);
    const report = await destroyEnvironment(ledger, {
      driver,
      progress: new Progress(() => undefined, manualClock()),
      retry: fast,
    });
    expect(driver.opsOf('recover')).toEqual([]);
    expect(report.failed[0]!.error).toContain('the stack is currently locked');
  });
});

describe('e2e refuses to start', () => {
  it('missing credentials or pulumi CLI: fails at once, creates nothing', async () => {
    const { run, deps, options } = setup();
    const err = await runE2e(options, {
      ...deps,
      preflight: async () => {
        throw new PreflightError(['AWS credentials: none found', 'Pulumi CLI: `pulumi version` failed']);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect(run.createDriverCalls).toBe(0);
    expect(run.driver.ops).toEqual([]);
  });

  it('a secret in the template config fails before any stack exists', async () => {
    const { run, deps, options } = setup();
    writeFileSync(
      join(run.repo, 'apps/inspection/Pulumi.dev.yaml'),
      'config:\n  inspection:token:\n    secure: v1:abc\n',
    );
    await expect(runE2e(options, deps)).rejects.toThrow(
      /Pulumi\.dev\.yaml: config key inspection:token is a secret/,
    );
    expect(run.driver.ops).toEqual([]);
  });

  it('a repo without its policy pack fails before any stack exists', async () => {
    const { run, deps, options } = setup();
    rmSync(join(run.repo, 'packages/policy'), { recursive: true });
    const err = await runE2e(options, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toContain(
      `policy pack: ${join(run.repo, 'packages/policy')} has no PulumiPolicy.yaml`,
    );
    expect(run.driver.ops).toEqual([]);
  });

  it('refuses a non-ephemeral env name', async () => {
    const { run, deps, options } = setup();
    await expect(runE2e({ ...options, env: 'prod' }, deps)).rejects.toThrow(
      /not an ephemeral environment name/,
    );
    expect(run.driver.ops).toEqual([]);
  });
});
