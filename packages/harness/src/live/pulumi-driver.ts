/**
 * The real StackDriver: the Pulumi Automation API (`LocalWorkspace`) over the project
 * directories under apps/. The backend comes from the caller (PULUMI_BACKEND_URL or the repo's
 * `file://` default) and is passed to every CLI call, so a run never depends on `pulumi login`.
 */
import {
  type ConfigMap,
  LocalWorkspace,
  type LocalWorkspaceOptions,
  type OutputMap,
  type PulumiCommand,
  type Stack,
} from '@pulumi/pulumi/automation';
import { isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { errorMessage } from './errors';
import {
  type CancelOptions,
  type ConfigValues,
  type OperationOptions,
  type RecoveryReport,
  type StackDriver,
  type StackRef,
  stackLabel,
} from './stack-driver';

export interface PulumiDriverOptions {
  backendUrl: string;
  /** Extra environment for the CLI (credentials and passphrase are inherited from the process). */
  envVars?: Record<string, string>;
  /** A specific CLI (tests point this at a stand-in); default: `pulumi` on PATH. */
  pulumiCommand?: PulumiCommand;
  /**
   * After SIGINT (graceful: the CLI finishes the steps in flight and saves state), how long to
   * wait before asking the backend to cancel the update (`stack.cancel()`), which may orphan
   * resources whose creation was in flight and so is the last resort.
   */
  cancelGraceMs?: number;
  /**
   * How long a cancelled CLI may take to exit before the next operation on its stack gives up
   * waiting (and fails rather than race it for the stack's lock).
   */
  exitGraceMs?: number;
}

interface Running {
  controller: AbortController;
  done: Promise<unknown>;
  stack: Stack;
}

export class PulumiStackDriver implements StackDriver {
  private readonly stacks = new Map<string, Stack>();
  private readonly running = new Map<string, Running>();

  constructor(private readonly o: PulumiDriverOptions) {}

  private options(workDir: string): LocalWorkspaceOptions {
    return {
      workDir,
      envVars: {
        PULUMI_BACKEND_URL: this.o.backendUrl,
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        ...this.o.envVars,
      },
      ...(this.o.pulumiCommand ? { pulumiCommand: this.o.pulumiCommand } : {}),
    };
  }

  private async stack(ref: StackRef): Promise<Stack> {
    const key = stackLabel(ref);
    let stack = this.stacks.get(key);
    if (!stack) {
      stack = await LocalWorkspace.selectStack(
        { stackName: ref.env, workDir: ref.workDir },
        this.options(ref.workDir),
      );
      this.stacks.set(key, stack);
    }
    return stack;
  }

  async createOrSelect(ref: StackRef): Promise<void> {
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: ref.env, workDir: ref.workDir },
      this.options(ref.workDir),
    );
    this.stacks.set(stackLabel(ref), stack);
  }

  /**
   * Writes the config into Pulumi.<env>.yaml, keeping what `stack init` put there (the
   * passphrase salt of DIY backends). Going through the settings file rather than
   * `config set --path` keeps structured values (lists, objects) exactly as in the template.
   */
  async setConfig(ref: StackRef, config: ConfigValues): Promise<void> {
    const stack = await this.stack(ref);
    const current = await stack.workspace.stackSettings(ref.env).catch(() => ({}));
    await stack.workspace.saveStackSettings(ref.env, { ...current, config: { ...config } });
  }

  async getConfig(ref: StackRef): Promise<ConfigValues> {
    return unwrapConfig(await (await this.stack(ref)).getAllConfig());
  }

  async preview(ref: StackRef, options: OperationOptions = {}): Promise<void> {
    const stack = await this.stack(ref);
    await this.track(ref, stack, (signal) =>
      stack.preview({ color: 'never', signal, ...operationArgs(options) }),
    );
  }

  async up(ref: StackRef, options: OperationOptions = {}): Promise<Record<string, unknown>> {
    const stack = await this.stack(ref);
    const result = await this.track(ref, stack, (signal) =>
      stack.up({ color: 'never', signal, ...operationArgs(options) }),
    );
    return unwrapOutputs(result.outputs);
  }

  async destroy(ref: StackRef, options: OperationOptions = {}): Promise<void> {
    await this.settle(ref);
    const stack = await this.stack(ref);
    await this.track(ref, stack, (signal) =>
      stack.destroy({
        color: 'never',
        signal,
        ...(options.refresh ? { refresh: true } : {}),
        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      }),
    );
  }

  async cancel(ref: StackRef, options: CancelOptions = {}): Promise<void> {
    const op = this.running.get(stackLabel(ref));
    if (!op) return;
    if (!options.signalled) op.controller.abort();
    if (await endsWithin(op.done, this.o.cancelGraceMs ?? 120_000)) return;
    await op.stack.cancel();
    // The CLI notices the cancellation at its next checkpoint; teardown must not start before it exits.
    await this.settle(ref);
  }

  /**
   * Waits until the operation this driver started on `ref` (an interrupted update) has exited,
   * so the next one does not race it for the stack's lock.
   */
  private async settle(ref: StackRef): Promise<void> {
    const op = this.running.get(stackLabel(ref));
    if (!op) return;
    const grace = this.o.exitGraceMs ?? 5 * 60_000;
    if (!(await endsWithin(op.done, grace)))
      throw new Error(
        `${stackLabel(ref)}: the interrupted Pulumi CLI has not exited after ${Math.round(grace / 1000)}s; not starting another operation on the stack`,
      );
  }

  async recover(ref: StackRef): Promise<RecoveryReport> {
    if (!isEphemeralEnv(ref.env))
      throw new Error(
        `refusing to recover ${stackLabel(ref)}: only ephemeral (it-*) stacks are recovered automatically`,
      );
    await this.settle(ref);
    const stack = await this.stack(ref);
    let cancel: string;
    try {
      await stack.cancel();
      cancel = 'cancelled the update the backend still held';
    } catch (err) {
      // Pulumi Cloud refuses when no update is in progress; that is the state we want.
      cancel = `no update to cancel (${firstLine(err)})`;
    }
    const state = (await stack.exportStack()) as { version: number; deployment?: Record<string, unknown> };
    const pending = (state.deployment?.pending_operations as PendingOperation[] | undefined) ?? [];
    if (pending.length > 0) {
      const { pending_operations: _dropped, ...deployment } = state.deployment!;
      await stack.importStack({ ...state, deployment });
    }
    return {
      cancel,
      droppedPendingOperations: pending.map((p) => `${p.type ?? 'operation'} ${p.resource?.urn ?? '?'}`),
    };
  }

  async outputs(ref: StackRef): Promise<Record<string, unknown>> {
    return unwrapOutputs(await (await this.stack(ref)).outputs());
  }

  async remove(ref: StackRef): Promise<void> {
    await this.settle(ref);
    const stack = await this.stack(ref);
    await stack.workspace.removeStack(ref.env);
    this.stacks.delete(stackLabel(ref));
  }

  async listStacks(project: { project: string; workDir: string }): Promise<string[]> {
    const ws = await LocalWorkspace.create(this.options(project.workDir));
    const stacks = await ws.listStacks();
    // DIY backends may report `organization/<project>/<stack>`; the env is the last segment.
    return stacks.map((s) => s.name.split('/').pop() ?? s.name);
  }

  /** The stack's checkpoint (`pulumi stack export`): lets sweep read tags without the config file. */
  async exportState(ref: StackRef): Promise<unknown> {
    return (await (await this.stack(ref)).exportStack()).deployment;
  }

  private async track<T>(ref: StackRef, stack: Stack, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const done = op(controller.signal);
    const key = stackLabel(ref);
    this.running.set(key, { controller, done, stack });
    try {
      return await done;
    } finally {
      this.running.delete(key);
    }
  }
}

/** The options preview and up share: streamed output, and the policy packs (`--policy-pack`). */
function operationArgs(options: OperationOptions): {
  onOutput?: (text: string) => void;
  policyPacks?: string[];
} {
  return {
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.policyPacks?.length ? { policyPacks: options.policyPacks } : {}),
  };
}

interface PendingOperation {
  type?: string;
  resource?: { urn?: string };
}

function firstLine(err: unknown): string {
  return (
    errorMessage(err)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0 && !/^code: |^stdout: |^stderr: $/.test(l)) ?? ''
  ).slice(0, 200);
}

function unwrapOutputs(outputs: OutputMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
}

function unwrapConfig(config: ConfigMap): ConfigValues {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value]));
}

/** Whether `operation` ends (resolved or rejected) within `ms`; the timer never outlives the answer. */
async function endsWithin(operation: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    operation.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return ended;
}
