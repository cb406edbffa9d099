/**
 * The real Automation API driver against a stand-in Pulumi CLI (see testing/fake-pulumi.ts):
 * the exact commands, flags, files and signals the driver would use with the real CLI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PulumiCommand } from '@pulumi/pulumi/automation';
import { parse } from 'yaml';
import { discoverProjects, refFor } from '../../src/live/projects';
import { PulumiStackDriver } from '../../src/live/pulumi-driver';
import { type FakePulumi, installFakePulumi } from '../../src/live/testing/fake-pulumi';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';

jest.setTimeout(30_000);

let fake: FakePulumi;
let driver: PulumiStackDriver;
const repo = makeFixtureRepo({ spokes: ['spoke-a'] });
const layout = discoverProjects(repo);
const ref = refFor(layout.inspection, 'it-drv-1');
const BACKEND = 's3://hubspoke-state/e2e';

async function makeDriver(cancelGraceMs = 5_000): Promise<PulumiStackDriver> {
  const pulumiCommand = await PulumiCommand.get({ root: fake.root, skipVersionCheck: true });
  return new PulumiStackDriver({ backendUrl: BACKEND, pulumiCommand, cancelGraceMs });
}

const verbs = (): string[] =>
  fake.calls().map((c) => (c.args[0] === 'stack' ? `stack ${c.args[1]}` : c.args[0]!));

beforeEach(async () => {
  fake = installFakePulumi();
  fake.setOutputs({ inspection: { vpcId: 'vpc-insp', natPublicIps: ['198.51.100.1'] } });
  driver = await makeDriver();
});

describe('PulumiStackDriver (Automation API over a stand-in CLI)', () => {
  it('previews and deploys with the policy pack; a mandatory violation fails the operation with the CLI message', async () => {
    const pack = join(repo, 'packages/policy');
    await driver.createOrSelect(ref);
    await driver.preview(ref, { policyPacks: [pack] });
    await driver.up(ref, { policyPacks: [pack] });
    for (const verb of ['preview', 'up']) {
      const call = fake.calls().find((c) => c.args[0] === verb)!;
      expect({ verb, pack: call.args[call.args.indexOf('--policy-pack') + 1], cwd: call.cwd }).toEqual({
        verb,
        pack,
        cwd: ref.workDir,
      });
    }

    fake.touch('policy-violation');
    await expect(driver.preview(ref, { policyPacks: [pack] })).rejects.toThrow(
      /\[mandatory\]\s+instance-hardening[\s\S]*error: preview failed/,
    );
    await expect(driver.up(ref, { policyPacks: [pack] })).rejects.toThrow(/error: update failed/);
    // Without the pack the CLI runs no policy: the stand-in, like the CLI, lets it through.
    await expect(driver.preview(ref)).resolves.toBeUndefined();
    expect(
      fake
        .calls()
        .filter((c) => c.args[0] === 'preview')
        .at(-1)!.args,
    ).not.toContain('--policy-pack');
  });

  it('creates, configures, deploys, reads, destroys and removes a stack, always on the given backend', async () => {
    await driver.createOrSelect(ref);
    await driver.setConfig(ref, {
      'aws:region': 'us-east-1',
      'hubspoke:ephemeral': 'true',
      'inspection:azs': [{ name: 'us-east-1a', cidr: '10.0.0.0/24' }],
    });
    const file = join(ref.workDir, 'Pulumi.it-drv-1.yaml');
    const settings = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // `stack init` wrote the passphrase salt; setConfig keeps it and writes structured values as they are.
    expect(settings.encryptionsalt).toBe('v1:fakesalt');
    expect(settings.config).toEqual({
      'aws:region': 'us-east-1',
      'hubspoke:ephemeral': 'true',
      'inspection:azs': [{ name: 'us-east-1a', cidr: '10.0.0.0/24' }],
    });
    expect(await driver.getConfig(ref)).toMatchObject({
      'aws:region': 'us-east-1',
      'hubspoke:ephemeral': 'true',
    });

    const streamed: string[] = [];
    expect(await driver.up(ref, { onOutput: (t) => streamed.push(t) })).toEqual({
      vpcId: 'vpc-insp',
      natPublicIps: ['198.51.100.1'],
    });
    expect(streamed.join('')).toContain('Updating (it-drv-1)');
    expect(await driver.outputs(ref)).toMatchObject({ vpcId: 'vpc-insp' });
    expect(await driver.listStacks(layout.inspection)).toEqual(['it-drv-1']);
    expect(await driver.exportState(ref)).toMatchObject({ resources: [{ type: 'aws:ec2/vpc:Vpc' }] });

    await driver.destroy(ref, { refresh: true });
    await driver.remove(ref);
    expect(existsSync(file)).toBe(false);
    expect(await driver.listStacks(layout.inspection)).toEqual([]);

    expect(verbs()).toEqual(
      expect.arrayContaining([
        'stack select',
        'stack init',
        'config',
        'up',
        'stack output',
        'stack ls',
        'stack export',
        'destroy',
        'stack rm',
      ]),
    );
    const up = fake.calls().find((c) => c.args[0] === 'up')!;
    expect(up.args).toEqual(
      expect.arrayContaining(['--yes', '--skip-preview', '--stack', 'it-drv-1', '--non-interactive']),
    );
    expect(fake.calls().find((c) => c.args[0] === 'destroy')!.args).toContain('--refresh');
    expect(fake.calls().find((c) => c.args[0] === 'up')!.cwd).toBe(ref.workDir);
    // Every call, including the version probe, went to the backend the run chose.
    expect(
      new Set(
        fake
          .calls()
          .filter((c) => c.args[0] !== 'version')
          .map((c) => c.backend),
      ),
    ).toEqual(new Set([BACKEND]));
  });

  it('createOrSelect selects a stack that already exists', async () => {
    await driver.createOrSelect(ref);
    const again = await makeDriver();
    await again.createOrSelect(ref);
    expect(verbs().filter((v) => v === 'stack init')).toHaveLength(1);
  });

  it('a failing destroy surfaces the CLI error text (what the transient classifier reads)', async () => {
    await driver.createOrSelect(ref);
    fake.touch('fail-destroy-once');
    await expect(driver.destroy(ref)).rejects.toThrow(/DependencyViolation/);
    await expect(driver.destroy(ref)).resolves.toBeUndefined();
  });

  it('cancel sends SIGINT to the running update; the backend cancel is not needed when it stops', async () => {
    await driver.createOrSelect(ref);
    fake.touch('hang-up');
    const up = driver.up(ref);
    up.catch(() => undefined);
    await waitFor(() => fake.exists('up-started'));
    await driver.cancel(ref);
    await expect(up).rejects.toThrow(/canceled/);
    expect(verbs()).not.toContain('cancel');
  });

  it('cancel falls back to `pulumi cancel` when the update ignores SIGINT past the grace period', async () => {
    driver = await makeDriver(200);
    await driver.createOrSelect(ref);
    fake.touch('hang-up');
    fake.touch('ignore-sigint');
    const up = driver.up(ref);
    up.catch(() => undefined);
    await waitFor(() => fake.exists('up-started'));
    await driver.cancel(ref);
    await expect(up).rejects.toThrow(/canceled by the service/);
    expect(fake.calls().find((c) => c.args[0] === 'cancel')!.args).toEqual(
      expect.arrayContaining(['--yes', '--stack', 'it-drv-1']),
    );
  });

  it('after a terminal Ctrl-C (signalled) no second SIGINT is sent, which Pulumi would take as force-quit', async () => {
    driver = await makeDriver(200);
    await driver.createOrSelect(ref);
    fake.touch('hang-up');
    const up = driver.up(ref);
    up.catch(() => undefined);
    await waitFor(() => fake.exists('up-started'));
    await driver.cancel(ref, { signalled: true });
    // Our SIGINT would have ended it with "update canceled"; only the backend cancel ended it.
    await expect(up).rejects.toThrow(/canceled by the service/);
  });

  it('an operation on a stack waits for its interrupted CLI to exit (it still holds the lock)', async () => {
    driver = await makeDriver(100);
    await driver.createOrSelect(ref);
    fake.touch('hang-up');
    fake.touch('slow-exit');
    const up = driver.up(ref);
    up.catch(() => undefined);
    await waitFor(() => fake.exists('up-started'));
    // SIGINT: the CLI takes 500 ms to finish the steps in flight and release its lock. The
    // cancel returns after its 100 ms grace (and `pulumi cancel`); the destroy must not race it.
    const cancelled = driver.cancel(ref);
    await expect(driver.destroy(ref)).resolves.toBeUndefined();
    await cancelled;
    await expect(up).rejects.toThrow(/canceled/);
    expect(verbs().filter((v) => v === 'destroy')).toHaveLength(1);
  });

  it('recover cancels the stale update and drops pending operations of an ephemeral stack; never a long-lived one', async () => {
    await driver.createOrSelect(ref);
    fake.touch('kill-up');
    await expect(driver.up(ref)).rejects.toThrow();
    await expect(driver.destroy(ref)).rejects.toThrow(/the stack is currently locked by 1 lock/);
    const report = await driver.recover(ref);
    expect(report.cancel).toBe('cancelled the update the backend still held');
    expect(report.droppedPendingOperations).toEqual([
      'creating urn:pulumi:it-drv-1::inspection::aws:ec2/subnet:Subnet::subnet',
    ]);
    expect((await driver.exportState(ref)) as object).not.toHaveProperty('pending_operations');
    await expect(driver.destroy(ref)).resolves.toBeUndefined();
    // Nothing left to recover: still fine.
    expect((await driver.recover(ref)).droppedPendingOperations).toEqual([]);

    await expect(driver.recover(refFor(layout.inspection, 'prod'))).rejects.toThrow(
      'refusing to recover inspection/prod: only ephemeral (it-*) stacks are recovered automatically',
    );
  });

  it('cancel with nothing running does nothing', async () => {
    await driver.cancel(ref);
    expect(fake.exists('log.jsonl') ? verbs() : []).not.toContain('cancel');
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
}
