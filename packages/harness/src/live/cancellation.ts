/**
 * Cancellation of a live run. SIGINT/SIGTERM flip it once; operations in flight registered with
 * `whileRunning` get their cancel hook called (the driver stops the Pulumi operation), and later
 * phases see `cancelled` and stop starting new work. Teardown ignores it: it must always run.
 */
import { CancelledError } from './errors';

export type SignalName = 'SIGINT' | 'SIGTERM';

/** The part of `process` used for signals (injectable so tests can "press Ctrl-C"). */
export interface SignalSource {
  on(signal: SignalName, handler: () => void): unknown;
  off(signal: SignalName, handler: () => void): unknown;
}

export class Cancellation {
  private reason: string | undefined;
  private readonly inFlight = new Set<() => Promise<void>>();
  private readonly controller = new AbortController();

  get cancelled(): boolean {
    return this.reason !== undefined;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get why(): string | undefined {
    return this.reason;
  }

  /** Cancels once; returns the cancel hooks' settled promise. */
  async cancel(reason: string): Promise<void> {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort();
    await Promise.allSettled([...this.inFlight].map((hook) => hook()));
  }

  throwIfCancelled(): void {
    if (this.reason !== undefined) throw new CancelledError(this.reason);
  }

  /** Runs `op`; if the run is cancelled meanwhile, `onCancel` is called to stop it. */
  async whileRunning<T>(op: () => Promise<T>, onCancel: () => Promise<void>): Promise<T> {
    this.throwIfCancelled();
    this.inFlight.add(onCancel);
    try {
      return await op();
    } finally {
      this.inFlight.delete(onCancel);
    }
  }
}

/**
 * Routes SIGINT/SIGTERM to `cancellation` for the duration of a run. A second signal only prints
 * a reminder: killing the process during teardown would leak the environment.
 */
export function installSignalHandlers(
  cancellation: Cancellation,
  source: SignalSource,
  log: (message: string) => void,
): () => void {
  const handlers = new Map<SignalName, () => void>();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
      if (cancellation.cancelled) {
        log(
          `${sig} again: teardown is running and will not be interrupted (kill -9 leaks the env; then run \`hubspoke sweep\`)`,
        );
        return;
      }
      log(`${sig}: cancelling the operation in flight, then destroying what was created`);
      void cancellation.cancel(sig);
    };
    handlers.set(sig, handler);
    source.on(sig, handler);
  }
  return () => {
    for (const [sig, handler] of handlers) source.off(sig, handler);
  };
}
