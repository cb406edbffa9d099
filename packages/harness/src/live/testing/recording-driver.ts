/**
 * A stand-in for the Pulumi workspace: records every operation in order, returns canned outputs,
 * and injects faults (an operation failing N times, an `up` that hangs until cancelled). Used by
 * the e2e and sweep fault-injection tests; not part of the runtime API.
 */
import { CancelledError } from '../errors';
import type {
  CancelOptions,
  ConfigValues,
  OperationOptions,
  RecoveryReport,
  StackDriver,
  StackRef,
} from '../stack-driver';

export type DriverOp =
  | 'createOrSelect'
  | 'setConfig'
  | 'getConfig'
  | 'preview'
  | 'up'
  | 'destroy'
  | 'cancel'
  | 'recover'
  | 'outputs'
  | 'remove'
  | 'listStacks'
  | 'exportState';

export interface RecordedOp {
  op: DriverOp;
  /** `project/env`, or the project for listStacks. */
  stack: string;
  options?: OperationOptions;
  config?: ConfigValues;
  cancel?: CancelOptions;
}

export interface Fault {
  op: DriverOp;
  project?: string;
  /** How many times it fails before succeeding (default: always). */
  times?: number;
  error: Error | (() => Error);
}

export class RecordingDriver implements StackDriver {
  readonly ops: RecordedOp[] = [];
  /** Stacks that exist in the fake backend, `project/env`. */
  readonly existing = new Set<string>();
  readonly configs = new Map<string, ConfigValues>();
  readonly states = new Map<string, unknown>();
  private readonly faults: (Fault & { seen: number })[] = [];
  private readonly hangs = new Map<string, { release?: () => void; onStart?: () => void }>();
  private readonly inFlight = new Map<string, (err: Error) => void>();
  /** Stacks an interrupted run left locked with pending operations, `project/env`. */
  readonly interrupted = new Set<string>();

  /** Called after each operation is recorded (before it runs): lets a test act mid-run. */
  onOp?: (op: RecordedOp) => void;

  constructor(private readonly outputsByProject: Record<string, Record<string, unknown>> = {}) {}

  fail(fault: Fault): this {
    this.faults.push({ ...fault, seen: 0 });
    return this;
  }

  /** The next `up` of `project` does not finish until cancelled; `onStart` fires when it begins. */
  hangUp(project: string, onStart?: () => void): this {
    this.hangs.set(project, { ...(onStart ? { onStart } : {}) });
    return this;
  }

  /**
   * Pretend a killed CLI left `ref` behind: locked, with a pending create. Every destroy fails
   * like the CLI would until `recover` runs.
   */
  interrupt(ref: StackRef): this {
    this.interrupted.add(key(ref));
    return this;
  }

  /** Pretend a stack already exists in the backend (for sweep). */
  seed(ref: StackRef, config: ConfigValues = {}, state?: unknown): this {
    this.existing.add(key(ref));
    this.configs.set(key(ref), config);
    if (state !== undefined) this.states.set(key(ref), state);
    return this;
  }

  opsOf(op: DriverOp): string[] {
    return this.ops.filter((o) => o.op === op).map((o) => o.stack);
  }

  private record(op: DriverOp, ref: StackRef | string, extra: Partial<RecordedOp> = {}): void {
    const recorded: RecordedOp = { op, stack: typeof ref === 'string' ? ref : key(ref), ...extra };
    this.ops.push(recorded);
    this.onOp?.(recorded);
    const project = typeof ref === 'string' ? ref : ref.project;
    const fault = this.faults.find(
      (f) =>
        f.op === op && (!f.project || f.project === project) && (f.times === undefined || f.seen < f.times),
    );
    if (fault) {
      fault.seen++;
      throw typeof fault.error === 'function' ? fault.error() : fault.error;
    }
  }

  async createOrSelect(ref: StackRef): Promise<void> {
    this.record('createOrSelect', ref);
    this.existing.add(key(ref));
  }

  async setConfig(ref: StackRef, config: ConfigValues): Promise<void> {
    this.record('setConfig', ref, { config });
    this.configs.set(key(ref), config);
  }

  async getConfig(ref: StackRef): Promise<ConfigValues> {
    this.record('getConfig', ref);
    return this.configs.get(key(ref)) ?? {};
  }

  async preview(ref: StackRef, options?: OperationOptions): Promise<void> {
    this.record('preview', ref, options ? { options } : {});
    options?.onOutput?.(`Previewing update (${ref.env})\n`);
  }

  async up(ref: StackRef, options?: OperationOptions): Promise<Record<string, unknown>> {
    this.record('up', ref, options ? { options } : {});
    options?.onOutput?.(`Updating (${ref.env})\n`);
    const hang = this.hangs.get(ref.project);
    if (hang) {
      this.hangs.delete(ref.project);
      await new Promise<void>((_resolve, reject) => {
        this.inFlight.set(key(ref), reject);
        hang.onStart?.();
      });
    }
    return this.outputsByProject[ref.project] ?? {};
  }

  async destroy(ref: StackRef, options?: OperationOptions): Promise<void> {
    this.record('destroy', ref, options ? { options } : {});
    if (this.interrupted.has(key(ref)))
      throw new Error(
        `error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.`,
      );
  }

  async recover(ref: StackRef): Promise<RecoveryReport> {
    this.record('recover', ref);
    const was = this.interrupted.delete(key(ref));
    return {
      cancel: was ? 'cancelled the update the backend still held' : 'no update to cancel',
      droppedPendingOperations: was
        ? [`creating urn:pulumi:${ref.env}::${ref.project}::aws:ec2/subnet:Subnet::s`]
        : [],
    };
  }

  async cancel(ref: StackRef, options: CancelOptions = {}): Promise<void> {
    this.record('cancel', ref, { cancel: options });
    const reject = this.inFlight.get(key(ref));
    this.inFlight.delete(key(ref));
    reject?.(new CancelledError(`update of ${key(ref)} cancelled`));
  }

  async outputs(ref: StackRef): Promise<Record<string, unknown>> {
    this.record('outputs', ref);
    return this.outputsByProject[ref.project] ?? {};
  }

  async remove(ref: StackRef): Promise<void> {
    this.record('remove', ref);
    this.existing.delete(key(ref));
  }

  async listStacks(project: { project: string; workDir: string }): Promise<string[]> {
    this.record('listStacks', project.project);
    return [...this.existing]
      .filter((k) => k.startsWith(`${project.project}/`))
      .map((k) => k.slice(project.project.length + 1));
  }

  async exportState(ref: StackRef): Promise<unknown> {
    this.record('exportState', ref);
    return this.states.get(key(ref)) ?? { resources: [] };
  }
}

function key(ref: StackRef): string {
  return `${ref.project}/${ref.env}`;
}
