/**
 * The whole live run with nothing stubbed above the process boundary: runE2e -> the real
 * Automation API driver -> a stand-in `pulumi` CLI, and the SDK clients -> a mocked account
 * serving netmodel's hub-and-spoke fixture. The full default check suite runs (SSM probe checks
 * and the routing checks on the account read back through the SDK).
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SSMClient } from '@aws-sdk/client-ssm';
import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { PulumiCommand } from '@pulumi/pulumi/automation';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../src/live/aws-clients';
import type { SignalName, SignalSource } from '../../src/live/cancellation';
import { manualClock } from '../../src/live/clock';
import { type E2eDeps, runE2e } from '../../src/live/e2e';
import { PulumiStackDriver } from '../../src/live/pulumi-driver';
import { installFakePulumi, type FakePulumi } from '../../src/live/testing/fake-pulumi';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';
import {
  ALLOWING_AMAZON,
  privateDnsOf,
  serveProbes,
  serveSnapshot,
} from '../../src/live/testing/mock-account';
import { outputsFromSnapshot } from '../../src/live/testing/outputs';

jest.setTimeout(60_000);

const ec2Mock = mockClient(EC2Client);
const ssmMock = mockClient(SSMClient);
const nfwMock = mockClient(NetworkFirewallClient);
const ENV = 'it-real-1';
const BACKEND = 's3://state-bucket/hubspoke';

class Signals extends EventEmitter implements SignalSource {
  override on(s: SignalName, h: () => void): this {
    return super.on(s, h);
  }
  override off(s: SignalName, h: () => void): this {
    return super.off(s, h);
  }
}

let fake: FakePulumi;

async function setup(): Promise<{ deps: E2eDeps; repo: string; outDir: string; signals: Signals }> {
  ec2Mock.reset().onAnyCommand().resolves({});
  ssmMock.reset().onAnyCommand().resolves({});
  nfwMock.reset().onAnyCommand().resolves({});
  const snapshot = buildHubSpokeSnapshot({ env: ENV });
  serveSnapshot(snapshot, ec2Mock, nfwMock);
  const natIp = snapshot.NatGateways![0]!.NatGatewayAddresses![0]!.PublicIp!;
  serveProbes(
    ssmMock,
    snapshot.Instances!.map((i) => i.InstanceId!),
    { ...ALLOWING_AMAZON, egressIp: natIp, dns: privateDnsOf(snapshot) },
  );
  fake = installFakePulumi();
  fake.setOutputs(outputsFromSnapshot(snapshot));
  const pulumiCommand = await PulumiCommand.get({ root: fake.root, skipVersionCheck: true });
  const signals = new Signals();
  const deps: E2eDeps = {
    preflight: async () => ({
      region: 'us-east-1',
      pulumiVersion: 'v3.276.0',
      backendUrl: BACKEND,
      backend: { url: BACKEND, source: 'PULUMI_BACKEND_URL' },
    }),
    createDriver: (pre) =>
      new PulumiStackDriver({ backendUrl: pre.backendUrl, pulumiCommand, cancelGraceMs: 300 }),
    createClients: (region) =>
      createAwsClients(region, { attempts: 3, startingDelayMs: 0, maxDelayMs: 0, jitter: false }),
    clock: manualClock(),
    signals,
    write: () => undefined,
    destroyRetry: { attempts: 3, startingDelayMs: 0, maxDelayMs: 0, jitter: false },
    probe: { pollDelayMs: 1 },
    vars: {},
  };
  return { deps, repo: makeFixtureRepo(), outDir: mkdtempSync(join(tmpdir(), 'e2e-real-')), signals };
}

/** `project verb` of each CLI call that changes something, in order. */
function mutations(): string[] {
  return fake
    .calls()
    .filter(
      (c) =>
        ['up', 'destroy', 'cancel'].includes(c.args[0]!) ||
        (c.args[0] === 'stack' && ['init', 'rm'].includes(c.args[1]!)),
    )
    .map((c) => `${c.cwd.split('/').pop()} ${c.args[0] === 'stack' ? `stack ${c.args[1]}` : c.args[0]}`);
}

describe('e2e over the real Automation API driver', () => {
  it('deploys in order, passes every check, destroys in reverse and removes every stack and config file', async () => {
    const { deps, repo, outDir } = await setup();
    const outcome = await runE2e({ env: ENV, outDir, timeoutMinutes: 90, repoRoot: repo }, deps);

    const results = outcome.results.map((r) => `${r.status} ${r.id}`);
    expect(results.filter((r) => r.startsWith('fail'))).toEqual([]);
    expect(results).toEqual(
      expect.arrayContaining([
        'pass egress-ip',
        'pass inspected-egress',
        'pass symmetric-return',
        'pass live:teardown',
      ]),
    );
    expect(outcome.exitCode).toBe(0);

    const m = mutations();
    const at = (s: string): number => m.indexOf(s);
    expect(at('tgw up')).toBeLessThan(at('inspection up'));
    expect(at('inspection up')).toBeLessThan(at('spoke-a up'));
    expect(at('inspection up')).toBeLessThan(at('spoke-b up'));
    expect(Math.max(at('spoke-a destroy'), at('spoke-b destroy'))).toBeLessThan(at('inspection destroy'));
    expect(at('inspection destroy')).toBeLessThan(at('tgw destroy'));
    for (const p of ['tgw', 'inspection', 'spoke-a', 'spoke-b']) expect(m).toContain(`${p} stack rm`);
    // Every stack is previewed, then deployed, both with the repository's policy pack by absolute
    // path (the CLI runs in the project directory).
    const pack = join(repo, 'packages/policy');
    for (const p of ['tgw', 'inspection', 'spoke-a', 'spoke-b']) {
      const ops = fake
        .calls()
        .filter((c) => c.cwd.endsWith(`/${p}`) && ['preview', 'up'].includes(c.args[0]!))
        .map((c) => `${c.args[0]} --policy-pack ${c.args[c.args.indexOf('--policy-pack') + 1]}`);
      expect({ p, ops }).toEqual({ p, ops: [`preview --policy-pack ${pack}`, `up --policy-pack ${pack}`] });
    }
    expect(
      new Set(
        fake
          .calls()
          .filter((c) => c.args[0] !== 'version')
          .map((c) => c.backend),
      ),
    ).toEqual(new Set([BACKEND]));
    // The ephemeral config reached each stack's settings file before its up (it is removed with the stack).
    expect(existsSync(join(repo, 'apps/spokes/spoke-a', `Pulumi.${ENV}.yaml`))).toBe(false);
    expect(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')).checks.length).toBe(
      outcome.results.length,
    );
  });

  it('a mandatory policy violation stops the deploy at the first preview: nothing deployed, the created stack torn down', async () => {
    const { deps, repo, outDir } = await setup();
    fake.touch('policy-violation');
    const outcome = await runE2e({ env: ENV, outDir, timeoutMinutes: 90, repoRoot: repo }, deps);

    expect(outcome.exitCode).toBe(1);
    const deploy = outcome.results.find((r) => r.id === 'live:deploy')!;
    expect(deploy.status).toBe('fail');
    expect(deploy.detail).toMatch(/tgw\/it-real-1: [\s\S]*instance-hardening[\s\S]*error: preview failed/);
    // The tgw stack existed (stack init) before its preview: teardown destroys and removes it.
    expect(mutations()).toEqual(['tgw stack init', 'tgw destroy', 'tgw stack rm']);
    expect(outcome.results.find((r) => r.id === 'live:teardown')).toMatchObject({ status: 'pass' });
  });

  it('Ctrl-C during the tgw deploy: no second SIGINT, backend cancel after the grace period, nothing else deployed, tgw destroyed', async () => {
    const { deps, repo, outDir, signals } = await setup();
    fake.touch('hang-up');
    const watcher = setInterval(() => {
      if (fake.exists('up-started')) {
        clearInterval(watcher);
        signals.emit('SIGINT');
      }
    }, 20);
    // The first `up` (tgw) hangs until cancelled; Ctrl-C arrives while it runs.
    const outcome = await runE2e({ env: ENV, outDir, timeoutMinutes: 90, repoRoot: repo }, deps);
    clearInterval(watcher);

    expect(outcome.exitCode).toBe(130);
    const m = mutations();
    expect(m).toContain('tgw cancel');
    expect(m.filter((x) => x.endsWith(' up'))).toEqual(['tgw up']);
    expect(m.slice(m.indexOf('tgw cancel') + 1)).toEqual(['tgw destroy', 'tgw stack rm']);
    expect(outcome.results.filter((r) => r.status === 'pass').map((r) => r.id)).toEqual(['live:teardown']);
  });

  it('a CLI killed mid-update leaves its stack locked with a pending create: teardown cancels, clears, destroys and removes it', async () => {
    const { deps, repo, outDir } = await setup();
    fake.touch('kill-up');
    // The first `up` (tgw) dies like a killed process: lock file left, pending create in the state.
    const outcome = await runE2e({ env: ENV, outDir, timeoutMinutes: 90, repoRoot: repo }, deps);

    const m = mutations();
    expect(m.filter((x) => x.endsWith(' up'))).toEqual(['tgw up']);
    const calls = fake.calls().map((c) => (c.args[0] === 'stack' ? `stack ${c.args[1]}` : c.args[0]));
    const tail = calls.slice(calls.indexOf('destroy'));
    // The first destroy fails on the lock; recovery cancels and imports the state without the pending create.
    expect(tail).toEqual(
      expect.arrayContaining(['destroy', 'cancel', 'stack export', 'stack import', 'stack rm']),
    );
    expect(tail.indexOf('cancel')).toBeLessThan(tail.indexOf('stack import'));
    expect(tail.lastIndexOf('destroy')).toBeGreaterThan(tail.indexOf('stack import'));
    expect(outcome.results.find((r) => r.id === 'live:teardown')).toMatchObject({ status: 'pass' });
    expect(outcome.exitCode).toBe(1); // the deploy failed; the teardown did not
  });
});
