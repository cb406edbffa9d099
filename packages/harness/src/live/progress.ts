/**
 * Progress of a live run: timestamped lines, engine output prefixed with its stack, and
 * per-phase timings collected for the final summary and the reports.
 */
import { type Clock, formatDuration, systemClock } from './clock';
import { errorMessage } from './errors';

export interface PhaseTiming {
  phase: string;
  ms: number;
  ok: boolean;
}

export class Progress {
  readonly timings: PhaseTiming[] = [];
  private readonly start: number;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly clock: Clock = systemClock,
  ) {
    this.start = clock.now();
  }

  info(message: string): void {
    this.write(`[${formatDuration(this.clock.now() - this.start).padStart(6)}] ${message}`);
  }

  /** Engine output of one stack, line by line, prefixed so parallel spokes stay readable. */
  streamFor(label: string): (chunk: string) => void {
    let pending = '';
    return (chunk) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim().length > 0) this.write(`  ${label} | ${line}`);
    };
  }

  /** Runs `fn` as a named phase, recording its duration whether it succeeds or throws. */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = this.clock.now();
    this.info(`▶ ${name}`);
    try {
      const value = await fn();
      this.record(name, t0, true);
      return value;
    } catch (err) {
      this.record(name, t0, false, err);
      throw err;
    }
  }

  private record(name: string, t0: number, ok: boolean, err?: unknown): void {
    const ms = this.clock.now() - t0;
    this.timings.push({ phase: name, ms, ok });
    this.info(`${ok ? '✔' : '✖'} ${name} (${formatDuration(ms)})${err ? `: ${errorMessage(err)}` : ''}`);
  }

  summary(): string {
    const rows = this.timings.map(
      (t) => `  ${t.ok ? 'ok  ' : 'FAIL'} ${t.phase.padEnd(40)} ${formatDuration(t.ms)}`,
    );
    return ['phase timings:', ...rows].join('\n');
  }
}
