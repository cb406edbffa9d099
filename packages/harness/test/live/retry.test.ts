import { manualClock } from '../../src/live/clock';
import {
  CancelledError,
  TimeoutError,
  isThrottlingError,
  isTransientDestroyError,
} from '../../src/live/errors';
import { pollUntil, retryWhen } from '../../src/live/retry';

const fast = { attempts: 4, startingDelayMs: 0, maxDelayMs: 0, jitter: false };

describe('retryWhen', () => {
  it('retries retryable errors until success and reports each retry', async () => {
    let calls = 0;
    const retries: number[] = [];
    const value = await retryWhen(
      async () => {
        if (++calls < 3) throw new Error('DependencyViolation: subnet has dependencies');
        return 'ok';
      },
      isTransientDestroyError,
      fast,
      (_e, next) => retries.push(next),
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(retries).toEqual([2, 3]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      retryWhen(
        async () => {
          calls++;
          throw new Error('AccessDenied');
        },
        isTransientDestroyError,
        fast,
      ),
    ).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
  });

  it('gives up after the attempt budget with the last error', async () => {
    let calls = 0;
    await expect(
      retryWhen(
        async () => {
          throw new Error(`DependencyViolation #${++calls}`);
        },
        isTransientDestroyError,
        fast,
      ),
    ).rejects.toThrow('DependencyViolation #4');
  });
});

describe('pollUntil', () => {
  it('returns the value once done, backing off between polls', async () => {
    const clock = manualClock();
    let n = 0;
    const v = await pollUntil(
      async () => (++n < 4 ? { done: false, status: `n=${n}` } : { done: true, value: n }),
      {
        what: 'thing',
        timeoutMs: 60_000,
        initialDelayMs: 1_000,
        maxDelayMs: 3_000,
        clock,
      },
    );
    expect(v).toBe(4);
    expect(clock.slept).toEqual([1_000, 2_000, 3_000]);
  });

  it('times out with what it waited for and the last status seen', async () => {
    const clock = manualClock();
    const err = await pollUntil(async () => ({ done: false, status: 'Status=PROVISIONING' }), {
      what: 'firewall fw READY',
      timeoutMs: 10 * 60_000,
      clock,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(
      /timed out after 10m00s waiting for firewall fw READY; last seen: Status=PROVISIONING/,
    );
  });

  it('treats transient errors as "not yet" and others as failures', async () => {
    const clock = manualClock();
    let n = 0;
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    await expect(
      pollUntil(
        async () => {
          if (++n === 1) throw throttle;
          return { done: true, value: 'x' };
        },
        { what: 'w', timeoutMs: 1000, clock, isTransient: isThrottlingError },
      ),
    ).resolves.toBe('x');
    await expect(
      pollUntil(
        async () => {
          throw new Error('AccessDeniedException');
        },
        { what: 'w', timeoutMs: 1000, clock, isTransient: isThrottlingError },
      ),
    ).rejects.toThrow('AccessDeniedException');
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      pollUntil(async () => ({ done: false, status: 's' }), {
        what: 'w',
        timeoutMs: 1000,
        signal: controller.signal,
        clock: manualClock(),
      }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('error classifiers', () => {
  it.each([
    'error deleting EC2 Subnet (subnet-1): DependencyViolation: The subnet has dependencies and cannot be deleted.',
    'deleting EC2 Security Group (sg-1): resource sg-1 has a dependent object; DependencyViolation',
    'InvalidNetworkInterface.InUse: Interface: [eni-1] in use.',
    'InvalidNetworkInterfaceID.NotFound ... network interface eni-1 is currently in use',
    'IncorrectState: tgw-attach-1 is in an incorrect state',
  ])('transient destroy error: %s', (message) => {
    expect(isTransientDestroyError(new Error(message))).toBe(true);
  });

  it.each(['AccessDenied: not authorized', 'InvalidParameterValue: bad cidr', 'error: stack is locked'])(
    'not transient: %s',
    (m) => {
      expect(isTransientDestroyError(new Error(m))).toBe(false);
    },
  );

  it('recognises throttling by name and by HTTP 429', () => {
    expect(isThrottlingError(Object.assign(new Error('x'), { name: 'RequestLimitExceeded' }))).toBe(true);
    expect(isThrottlingError({ name: 'Other', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottlingError(new Error('boom'))).toBe(false);
  });
});
