import { manualClock } from '../../src/live/clock';
import { StackLedger, destroyEnvironment, destroyInstructions } from '../../src/live/environment';
import { Progress } from '../../src/live/progress';
import { RecordingDriver } from '../../src/live/testing/recording-driver';

const fast = { attempts: 3, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const ref = (project: string) => ({ project, env: 'it-x', workDir: `/repo/apps/${project}` });

function ledger(): StackLedger {
  const l = new StackLedger();
  l.add(ref('tgw'), 0);
  l.add(ref('inspection'), 1);
  l.add(ref('inspection'), 1); // createOrSelect twice: one entry
  return l;
}

describe('destroyEnvironment', () => {
  it('gives up on a transient error after the retry budget and keeps that stack (not removed)', async () => {
    const driver = new RecordingDriver().fail({
      op: 'destroy',
      project: 'inspection',
      error: new Error('DependencyViolation: still in use'),
    });
    const report = await destroyEnvironment(ledger(), {
      driver,
      progress: new Progress(() => undefined, manualClock()),
      retry: fast,
    });
    expect(driver.opsOf('destroy')).toEqual([
      'inspection/it-x',
      'inspection/it-x',
      'inspection/it-x',
      'tgw/it-x',
    ]);
    expect(report.failed.map((f) => f.ref.project)).toEqual(['inspection']);
    expect(report.removed.map((r) => r.project)).toEqual(['tgw']);
  });

  it('a failing `stack rm` after a successful destroy is reported as such', async () => {
    const driver = new RecordingDriver().fail({
      op: 'remove',
      project: 'tgw',
      error: new Error('stack is locked'),
    });
    const report = await destroyEnvironment(ledger(), {
      driver,
      progress: new Progress(() => undefined, manualClock()),
      retry: fast,
    });
    expect(report.destroyed.map((r) => r.project)).toEqual(['inspection', 'tgw']);
    expect(report.failed).toEqual([
      { ref: ref('tgw'), error: 'destroyed, but removing the stack failed: stack is locked' },
    ]);
  });
});

describe('destroyInstructions', () => {
  it('prints repo-relative commands with the backend', () => {
    expect(destroyInstructions([ref('inspection'), ref('tgw')], '/repo', 's3://b')).toBe(
      [
        'To destroy it, from the repo root, in this order:',
        '  export PULUMI_BACKEND_URL=s3://b',
        '  (cd apps/inspection && pulumi destroy --yes --stack it-x && pulumi stack rm --yes it-x)',
        '  (cd apps/tgw && pulumi destroy --yes --stack it-x && pulumi stack rm --yes it-x)',
      ].join('\n'),
    );
  });
});
