/**
 * Small retry-aware helpers in the Terratest spirit: `retryWhen` retries a call on errors a
 * classifier calls transient (exponential backoff with jitter), `pollUntil` waits for a condition
 * with a deadline and says what it last saw when it gives up.
 */
import { backOff } from 'exponential-backoff';
import { type Clock, formatDuration, systemClock } from './clock';
import { CancelledError, TimeoutError } from './errors';

export interface RetryPolicy {
  /** Total attempts, first included. */
  attempts: number;
  startingDelayMs: number;
  maxDelayMs: number;
  /** Full jitter spreads retries of parallel destroys; tests turn it off. */
  jitter?: boolean;
}

export async function retryWhen<T>(
  fn: (attempt: number) => Promise<T>,
  isRetryable: (err: unknown) => boolean,
  policy: RetryPolicy,
  onRetry?: (err: unknown, nextAttempt: number) => void,
): Promise<T> {
  let attempt = 0;
  return backOff(() => fn(++attempt), {
    numOfAttempts: policy.attempts,
    startingDelay: policy.startingDelayMs,
    maxDelay: policy.maxDelayMs,
    jitter: policy.jitter === false ? 'none' : 'full',
    retry: (err: unknown, next: number) => {
      if (!isRetryable(err) || next >= policy.attempts) return false;
      onRetry?.(err, next + 1);
      return true;
    },
  });
}

/** What one poll saw: done with a value, or not yet with a status worth printing on timeout. */
export type PollResult<T> = { done: true; value: T } | { done: false; status: string };

export interface PollOptions {
  /** Human name of what is awaited, used in messages ("firewall fw-1 READY and IN_SYNC"). */
  what: string;
  timeoutMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Errors that mean "not yet" rather than failure (eventual consistency, throttling). */
  isTransient?: (err: unknown) => boolean;
  onWait?: (status: string, elapsedMs: number) => void;
}

export async function pollUntil<T>(check: () => Promise<PollResult<T>>, options: PollOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  let delay = options.initialDelayMs ?? 2_000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let last: string;
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError(`while waiting for ${options.what}`);
    try {
      const r = await check();
      if (r.done) return r.value;
      last = r.status;
    } catch (err) {
      if (!options.isTransient?.(err)) throw err;
      last = `transient error: ${(err as Error).name ?? ''} ${(err as Error).message ?? String(err)}`.trim();
    }
    const elapsed = clock.now() - start;
    if (elapsed >= options.timeoutMs) {
      throw new TimeoutError(
        options.what,
        `timed out after ${formatDuration(elapsed)} waiting for ${options.what}; last seen: ${last}`,
      );
    }
    options.onWait?.(last, elapsed);
    await clock.sleep(Math.min(delay, options.timeoutMs - elapsed), options.signal);
    delay = Math.min(delay * 2, maxDelay);
  }
}
