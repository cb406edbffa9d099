/**
 * Program callbacks the engine runs around a registration: transforms (the resource's own, then
 * its parents', then the stack's, in that order) and resource hooks (before/after create, and
 * error hooks that may ask for a retry). Semantics follow the `@pulumi/pulumi` docs of
 * `ResourceTransform`, `ResourceHookBinding` and `ErrorHook`: a failing before-hook fails the
 * create, a failing after-hook fails the deployment, `ignoreErrors` turns either into a warning,
 * and hooks run in a preview only when registered with `onDryRun`.
 */
import type { Callback } from '@pulumi/pulumi/proto/callback_pb';
import {
  ErrorHookRequest,
  ErrorHookResponse,
  ResourceHookRequest,
  ResourceHookResponse,
  TransformInvokeOptions,
  TransformInvokeRequest,
  TransformInvokeResponse,
  TransformRequest,
  TransformResourceOptions,
  TransformResponse,
  type RegisterErrorHookRequest,
  type RegisterResourceHookRequest,
} from '@pulumi/pulumi/proto/resource_pb';
import type { CallbackClients } from './callbacks';
import { fromStruct, toStruct, type WireObject } from './wire';

/** A registration as transforms see and may change it. */
export interface TransformSubject {
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  props: WireObject;
  options: TransformResourceOptions;
}

/** A stand-in's own bound on error-hook retries: the emulation is deterministic, so a retry meets the same error. */
export const MAX_ERROR_HOOK_ATTEMPTS = 10;

export class Transforms {
  private readonly stackTransforms: Callback[] = [];
  private readonly invokeTransforms: Callback[] = [];
  private readonly own = new Map<string, Callback[]>();
  private readonly parents = new Map<string, string>();

  constructor(private readonly callbacks: CallbackClients) {}

  registerStack(callback: Callback): void {
    this.stackTransforms.push(callback);
  }

  registerStackInvoke(callback: Callback): void {
    this.invokeTransforms.push(callback);
  }

  /** Applies the resource's own transforms, its ancestors', then the stack's; remembers its own for its children. */
  async applyToResource(urn: string, subject: TransformSubject, own: Callback[]): Promise<TransformSubject> {
    this.own.set(urn, own);
    if (subject.parent) this.parents.set(urn, subject.parent);
    const chain = [...own];
    for (let p = subject.parent; p; p = this.parents.get(p)) chain.push(...(this.own.get(p) ?? []));
    chain.push(...this.stackTransforms);
    let current = subject;
    for (const callback of chain) {
      const req = new TransformRequest();
      req.setType(current.type);
      req.setName(current.name);
      req.setCustom(current.custom);
      req.setParent(current.parent ?? '');
      req.setProperties(toStruct(current.props));
      req.setOptions(current.options);
      const res = await this.callbacks.invoke(callback, req, (b) => TransformResponse.deserializeBinary(b));
      current = {
        ...current,
        props: res.hasProperties() ? fromStruct(res.getProperties()) : current.props,
        options: res.hasOptions() ? res.getOptions()! : current.options,
      };
    }
    return current;
  }

  async applyToInvoke(
    token: string,
    args: WireObject,
    options: TransformInvokeOptions,
  ): Promise<{ args: WireObject; options: TransformInvokeOptions }> {
    let current = { args, options };
    for (const callback of this.invokeTransforms) {
      const req = new TransformInvokeRequest();
      req.setToken(token);
      req.setArgs(toStruct(current.args));
      req.setOptions(current.options);
      const res = await this.callbacks.invoke(callback, req, (b) =>
        TransformInvokeResponse.deserializeBinary(b),
      );
      current = {
        args: res.hasArgs() ? fromStruct(res.getArgs()) : current.args,
        options: res.hasOptions() ? res.getOptions()! : current.options,
      };
    }
    return current;
  }
}

export { TransformInvokeOptions, TransformResourceOptions };

/** The resource a hook is about. */
export interface HookSubject {
  urn: string;
  id: string;
  name: string;
  type: string;
  inputs: WireObject;
  outputs?: WireObject;
}

export interface HookOutcome {
  errors: string[];
  warnings: string[];
}

interface RegisteredHook {
  callback: Callback;
  onDryRun: boolean;
  ignoreErrors: boolean;
}

export class Hooks {
  private readonly hooks = new Map<string, RegisteredHook>();
  private readonly errorHooks = new Map<string, Callback>();

  constructor(
    private readonly callbacks: CallbackClients,
    private readonly dryRun: boolean,
  ) {}

  register(req: RegisterResourceHookRequest): void {
    this.hooks.set(req.getName(), {
      callback: req.getCallback()!,
      onDryRun: req.getOnDryRun(),
      ignoreErrors: req.getIgnoreErrors(),
    });
  }

  registerError(req: RegisterErrorHookRequest): void {
    this.errorHooks.set(req.getName(), req.getCallback()!);
  }

  /** Runs the named before/after-create hooks; errors of hooks with `ignoreErrors` come back as warnings. */
  async run(stage: 'before' | 'after', names: string[], subject: HookSubject): Promise<HookOutcome> {
    const outcome: HookOutcome = { errors: [], warnings: [] };
    for (const name of names) {
      const hook = this.hooks.get(name);
      if (!hook) {
        outcome.errors.push(`resource hook '${name}' is not registered`);
        continue;
      }
      if (this.dryRun && !hook.onDryRun) continue;
      const req = new ResourceHookRequest();
      req.setUrn(subject.urn);
      req.setId(subject.id);
      req.setName(subject.name);
      req.setType(subject.type);
      req.setNewInputs(toStruct(subject.inputs));
      if (subject.outputs) req.setNewOutputs(toStruct(subject.outputs));
      const res = await this.callbacks.invoke(hook.callback, req, (b) =>
        ResourceHookResponse.deserializeBinary(b),
      );
      const error = res.getError();
      if (error) {
        const message = `${stage}-create hook '${name}' failed: ${error}`;
        (hook.ignoreErrors ? outcome.warnings : outcome.errors).push(message);
      }
    }
    return outcome;
  }

  /** Asks the named error hooks about a failed create; true when one asks for a retry. */
  async retryAfterError(names: string[], subject: HookSubject, errors: string[]): Promise<boolean> {
    let retry = false;
    for (const name of names) {
      const callback = this.errorHooks.get(name);
      if (!callback) throw new Error(`error hook '${name}' is not registered`);
      const req = new ErrorHookRequest();
      req.setUrn(subject.urn);
      req.setId(subject.id);
      req.setName(subject.name);
      req.setType(subject.type);
      req.setNewInputs(toStruct(subject.inputs));
      req.setFailedOperation('create');
      req.setErrorsList(errors);
      const res = await this.callbacks.invoke(callback, req, (b) => ErrorHookResponse.deserializeBinary(b));
      if (res.getError()) throw new Error(`error hook '${name}' failed: ${res.getError()}`);
      retry ||= res.getRetry();
    }
    return retry;
  }
}
