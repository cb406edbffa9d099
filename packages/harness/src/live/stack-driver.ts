/**
 * The seam between the orchestration and Pulumi. The orchestration (deploy order, teardown,
 * cancellation, sweep) only talks to this interface; `pulumi-driver.ts` implements it with the
 * Automation API, and tests use a recording stand-in (`testing/recording-driver.ts`).
 */

/** One stack: a Pulumi project (directory under apps/) in one environment (stack name). */
export interface StackRef {
  project: string;
  env: string;
  /** The project directory (holds Pulumi.yaml). */
  workDir: string;
}

/** Stack config, keyed `namespace:key`. Values are plain YAML values (strings, lists, objects). */
export type ConfigValues = Record<string, unknown>;

export interface OperationOptions {
  /** Streamed engine output, one chunk at a time. */
  onOutput?: (text: string) => void;
  /** Refresh the state before destroying (used on retries, after AWS removed things itself). */
  refresh?: boolean;
  /**
   * Policy packs the CLI runs on a preview or update (`--policy-pack <dir>`), as absolute paths:
   * the CLI runs in the project directory. A mandatory violation fails the operation.
   */
  policyPacks?: string[];
}

export interface CancelOptions {
  /**
   * The CLI already received SIGINT (a terminal Ctrl-C reaches the whole foreground process
   * group). Pulumi treats a second SIGINT as "force quit, skip the graceful stop", so none is sent.
   */
  signalled?: boolean;
}

/** What `recover` found and did on a stack left behind by an interrupted operation. */
export interface RecoveryReport {
  /** What `pulumi cancel` said: the stale update or lock it removed, or why there was none. */
  cancel: string;
  /** Pending operations dropped from the state (`<op> <urn>`): a pending create may have left a resource behind. */
  droppedPendingOperations: string[];
}

export interface StackDriver {
  /** Creates the stack, or selects it when it already exists. */
  createOrSelect(ref: StackRef): Promise<void>;
  /** Replaces the stack's config with `config`. */
  setConfig(ref: StackRef, config: ConfigValues): Promise<void>;
  getConfig(ref: StackRef): Promise<ConfigValues>;
  /** Previews the deploy (`pulumi preview`); fails as the CLI does (e.g. on a policy violation). */
  preview(ref: StackRef, options?: OperationOptions): Promise<void>;
  /** Deploys; resolves to the stack outputs. */
  up(ref: StackRef, options?: OperationOptions): Promise<Record<string, unknown>>;
  destroy(ref: StackRef, options?: OperationOptions): Promise<void>;
  /** Stops the operation in flight on `ref` (no-op when none is running) and waits for the CLI to exit. */
  cancel(ref: StackRef, options?: CancelOptions): Promise<void>;
  /**
   * Makes a stack an interrupted run left behind destroyable again: cancels the update the
   * backend still holds (a self-managed backend's lock file, Pulumi Cloud's update lease) and
   * drops the pending operations from its state. Ephemeral (`it-*`) stacks only.
   */
  recover(ref: StackRef): Promise<RecoveryReport>;
  outputs(ref: StackRef): Promise<Record<string, unknown>>;
  /** Deletes the stack (and its Pulumi.<env>.yaml) from the backend. */
  remove(ref: StackRef): Promise<void>;
  /** Stack names (environments) of one project in the backend. */
  listStacks(project: { project: string; workDir: string }): Promise<string[]>;
  /**
   * The stack's checkpoint (`pulumi stack export` deployment). Config files live next to the
   * program, not in the backend, so on another machine this is where the tags are.
   */
  exportState(ref: StackRef): Promise<unknown>;
}

export function stackLabel(ref: StackRef): string {
  return `${ref.project}/${ref.env}`;
}
