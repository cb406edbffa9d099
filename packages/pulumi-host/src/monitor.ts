/**
 * The ResourceMonitor service a Pulumi program talks to, answered from the mock cloud account.
 *
 * It does what the engine does between a program and its providers, for a stack with no prior
 * state (every resource is a create): URNs and the duplicate-URN check, transforms, hooks, default
 * providers, the downgrade of secrets / output values / resource references for a provider that
 * accepts none of them, and previews. In a preview nothing is created: a resource being created
 * answers with its inputs and no id, so every computed output is unknown, as `pulumi preview` on
 * an empty stack; reads (StackReferences) and invokes with known inputs are answered from the
 * account, and an invoke that depends on a resource being created is unknown. The AWS emulation
 * and its errors stay in `@hubspoke/mock-cloud`; this file only translates.
 */
import * as grpc from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import type { IResourceMonitorServer } from '@pulumi/pulumi/proto/resource_grpc_pb';
import {
  DeploymentInfo,
  ExistsResourceResponse,
  ReadResourceResponse,
  RegisterPackageResponse,
  RegisterResourceResponse,
  ResourceInvokeResponse,
  ResourceMonitorFeature,
  Result,
  SupportsFeatureResponse,
  type ExistsResourceRequest,
  type ReadResourceRequest,
  type RegisterResourceRequest,
  type RegisterResourceOutputsRequest,
  type ResourceCallRequest,
  type ResourceInvokeRequest,
} from '@pulumi/pulumi/proto/resource_pb';
import { CallResponse } from '@pulumi/pulumi/proto/provider_pb';
import { randomUUID } from 'node:crypto';
import {
  STACK_REFERENCE_TYPE,
  readOf,
  registrationOf,
  type MockCloud,
  type ResourceRegistration,
  type StackContext,
} from '@hubspoke/mock-cloud';
import type { CallbackClients } from './callbacks';
import {
  Hooks,
  MAX_ERROR_HOOK_ATTEMPTS,
  TransformInvokeOptions,
  TransformResourceOptions,
  Transforms,
  type HookSubject,
  type TransformSubject,
} from './lifecycle';
import { PROVIDER_TYPE_PREFIX, ROOT_STACK_TYPE, ResourceRegistry, type RegisteredResource } from './registry';
import {
  fromStruct,
  isSecret,
  toProviderValue,
  toStruct,
  toWire,
  unknownPaths,
  withSecrets,
  type WireObject,
} from './wire';

export interface StackIdentity {
  organization: string;
  project: string;
  stack: string;
}

/** A registration, read or invoke the engine refused; the run fails with it. */
export interface RegistrationFailure {
  type: string;
  name: string;
  urn?: string;
  message: string;
}

/** What an observer sees of a resource about to be created (inputs final, transforms applied). */
export interface ResourceToCreate {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  remote: boolean;
  parent?: string;
  provider?: string;
  inputs: WireObject;
  dryRun: boolean;
}

/**
 * Sees every resource of a run: the seam where a policy pack (Analyzer) client plugs in. Messages
 * returned by `beforeCreate` fail that registration (as a mandatory policy violation would);
 * messages returned by `afterRun` fail the run.
 */
export interface RegistrationObserver {
  beforeCreate?(resource: ResourceToCreate): Promise<string[]> | string[];
  afterRun?(resources: RegisteredResource[], dryRun: boolean): Promise<string[]> | string[];
}

export interface MonitorOptions {
  identity: StackIdentity;
  /** Config as the program gets it (`ns:key` -> string). */
  config: Record<string, string>;
  secretKeys: string[];
  dryRun: boolean;
  cloud: MockCloud;
  callbacks: CallbackClients;
  /** Resolves once the stack named by a StackReference (`org/project/stack`) can be read. */
  awaitStackReference?: (name: string) => Promise<void>;
  observers?: RegistrationObserver[];
  /** `--parallel` as handed to the program. */
  parallel: number;
}

/** What this monitor implements, advertised through GetDeploymentInfo / SupportsFeature. */
const FEATURES: readonly ResourceMonitorFeature[] = [
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
  // Aliases, deletedWith, replaceWith and replacement triggers only matter for existing state;
  // on an empty stack every resource is a create, so accepting them changes nothing.
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_REPLACEMENT_TRIGGER,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ERROR_HOOKS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_INVOKE_DEPENDS_ON,
];

/** Feature ids of the older SupportsFeature RPC (`@pulumi/pulumi/runtime/settings.js`). */
const LEGACY_FEATURE_IDS: Record<string, ResourceMonitorFeature> = {
  secrets: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  resourceReferences: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
  outputValues: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
  deletedWith: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
  replaceWith: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
  aliasSpecs: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  transforms: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
  invokeTransforms: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS,
  parameterization: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
  resourceHooks: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS,
  errorHooks: ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ERROR_HOOKS,
};

/** The builtin invoke that rehydrates a resource by URN. */
const GET_RESOURCE_TOKEN = 'pulumi:pulumi:getResource';

type Handler<Req, Res> = (req: Req) => Promise<Res> | Res;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A failed RPC as the engine returns it: the SDK shows `details`. */
function serviceError(err: unknown): Partial<grpc.StatusObject> & Error {
  const message = errorMessage(err);
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

function unary<Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (res) => callback(null, res),
        (err) => callback(serviceError(err)),
      );
  };
}

/**
 * The request as the engine goes on with it once transforms have run: their properties and options
 * replace the program's (what the engine hands a policy pack is the transformed resource).
 */
function transformedRequest(
  req: RegisterResourceRequest,
  subject: TransformSubject,
): RegisterResourceRequest {
  const o = subject.options;
  const out = req.cloneMessage() as RegisterResourceRequest;
  out.setObject(toStruct(subject.props));
  out.setDependenciesList(o.getDependsOnList());
  if (o.hasProtect()) out.setProtect(o.getProtect()!);
  else out.clearProtect();
  out.setIgnorechangesList(o.getIgnoreChangesList());
  out.setProvider(o.getProvider());
  out.getProvidersMap().clear();
  for (const [k, v] of o.getProvidersMap().entries()) out.getProvidersMap().set(k, v);
  out.setDeletebeforereplacedefined(o.hasDeleteBeforeReplace());
  out.setDeletebeforereplace(o.getDeleteBeforeReplace() ?? false);
  out.setAdditionalsecretoutputsList(o.getAdditionalSecretOutputsList());
  out.setCustomtimeouts(o.getCustomTimeouts());
  return out;
}

function optionsOf(req: RegisterResourceRequest): TransformResourceOptions {
  const o = new TransformResourceOptions();
  o.setDependsOnList(req.getDependenciesList());
  if (req.hasProtect()) o.setProtect(req.getProtect()!);
  o.setIgnoreChangesList(req.getIgnorechangesList());
  o.setReplaceOnChangesList(req.getReplaceonchangesList());
  o.setVersion(req.getVersion());
  o.setAliasesList(req.getAliasesList());
  o.setProvider(req.getProvider());
  if (req.hasCustomtimeouts()) o.setCustomTimeouts(req.getCustomtimeouts());
  o.setPluginDownloadUrl(req.getPlugindownloadurl());
  if (req.hasRetainondelete()) o.setRetainOnDelete(req.getRetainondelete()!);
  o.setDeletedWith(req.getDeletedwith());
  if (req.getDeletebeforereplacedefined()) o.setDeleteBeforeReplace(req.getDeletebeforereplace());
  o.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
  for (const [k, v] of req.getProvidersMap().entries()) o.getProvidersMap().set(k, v);
  if (req.hasHooks()) o.setHooks(req.getHooks());
  o.setImport(req.getImportid());
  o.setHideDiffList(req.getHidediffsList());
  o.setReplaceWithList(req.getReplaceWithList());
  if (req.hasReplacementTrigger()) o.setReplacementTrigger(req.getReplacementTrigger());
  return o;
}

export class ResourceMonitor {
  readonly registry: ResourceRegistry;
  readonly failures: RegistrationFailure[] = [];
  readonly warnings: string[] = [];
  /**
   * Every registration and read as the monitor answered it, in the form the mock cloud records
   * (`@hubspoke/mock-cloud` registrations.ts), with the children a remote component (awsx) created
   * in the account: what the engine would hand a policy pack. The root stack resource is left out
   * (the policy host adds it, with the stack outputs).
   */
  readonly registrations: ResourceRegistration[] = [];
  /** Outputs the program registered on its root stack resource. */
  stackOutputs: WireObject | undefined;
  private readonly ctx: StackContext;
  private readonly transforms: Transforms;
  private readonly hooks: Hooks;
  private readonly packages = new Map<string, string>();
  /** Providers map of every component, its parent's merged in (see `register`). */
  private readonly componentProviders = new Map<string, Record<string, string>>();

  constructor(private readonly options: MonitorOptions) {
    const { project, stack } = options.identity;
    this.registry = new ResourceRegistry(project, stack);
    this.ctx = { project, stack, config: (key) => options.config[key] };
    this.transforms = new Transforms(options.callbacks);
    this.hooks = new Hooks(options.callbacks, options.dryRun);
  }

  /** The gRPC service implementation. */
  service(): IResourceMonitorServer {
    return {
      getDeploymentInfo: unary(() => this.deploymentInfo()),
      supportsFeature: unary((req) => {
        const feature = LEGACY_FEATURE_IDS[req.getId()];
        return new SupportsFeatureResponse().setHassupport(
          feature !== undefined && FEATURES.includes(feature),
        );
      }),
      registerResource: unary((req) => this.guard(req.getType(), req.getName(), () => this.register(req))),
      registerResourceOutputs: unary((req) => this.registerOutputs(req)),
      readResource: unary((req) => this.guard(req.getType(), req.getName(), () => this.read(req))),
      // A failed invoke or call reaches the program, which may handle it: not a failed step.
      invoke: unary((req) => this.invoke(req)),
      call: unary((req) => this.call(req)),
      existsResource: unary((req) => this.exists(req)),
      registerStackTransform: unary((cb) => {
        this.transforms.registerStack(cb);
        return new Empty();
      }),
      registerStackInvokeTransform: unary((cb) => {
        this.transforms.registerStackInvoke(cb);
        return new Empty();
      }),
      registerResourceHook: unary((req) => {
        this.hooks.register(req);
        return new Empty();
      }),
      registerErrorHook: unary((req) => {
        this.hooks.registerError(req);
        return new Empty();
      }),
      registerPackage: unary((req) => {
        const ref = randomUUID();
        this.packages.set(ref, `${req.getName()}@${req.getVersion()}`);
        return new RegisterPackageResponse().setRef(ref);
      }),
      // No deletes are pending on an empty stack: the program may shut down at once.
      signalAndWaitForShutdown: unary(() => new Empty()),
    };
  }

  /** Runs the observers' end-of-run review; their messages become failures. */
  async afterRun(): Promise<void> {
    for (const o of this.options.observers ?? []) {
      for (const message of (await o.afterRun?.(this.registry.all(), this.options.dryRun)) ?? [])
        this.failures.push({ type: 'policy', name: '', message });
    }
  }

  private async guard<T>(type: string, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.failures.push({ type, name, message: errorMessage(err) });
      throw err;
    }
  }

  private deploymentInfo(): DeploymentInfo {
    const { identity, config, secretKeys, dryRun, parallel } = this.options;
    const info = new DeploymentInfo();
    info.setProject(identity.project);
    info.setStack(identity.stack);
    info.setOrganization(identity.organization);
    for (const [k, v] of Object.entries(config)) info.getConfigMap().set(k, v);
    info.setConfigsecretkeysList(secretKeys);
    info.setDryrun(dryRun);
    info.setParallel(parallel);
    info.setSupportedfeaturesList([...FEATURES]);
    return info;
  }

  private idOf = (urn: string): string | undefined => this.registry.idOf(urn);

  private async register(req: RegisterResourceRequest): Promise<RegisterResourceResponse> {
    const parent = req.getParent() || undefined;
    const urn = this.registry.urnFor(req.getType(), req.getName(), parent);
    this.registry.reserve(urn);
    const subject = await this.transforms.applyToResource(
      urn,
      {
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        ...(parent ? { parent } : {}),
        props: fromStruct(req.getObject()),
        options: optionsOf(req),
      },
      req.getTransformsList(),
    );
    const { type, name, custom, props, options } = subject;
    const remote = req.getRemote();
    const record: RegisteredResource = {
      urn,
      type,
      name,
      custom,
      remote,
      ...(parent ? { parent } : {}),
      id: '',
      inputs: props,
      outputs: {},
      ...(options.getProvider() ? { provider: options.getProvider() } : {}),
      created: true,
    };
    const res = new RegisterResourceResponse().setUrn(urn).setResult(Result.SUCCESS);
    // The engine records the providers map of every component registration and merges the parent's
    // map into a component child before constructing it, so a remote component (awsx) inherits the
    // providers of the local component it is created in (pulumi/pulumi#24125, "providers map
    // inheritance into remote components"): https://github.com/pulumi/pulumi/pull/24125
    const providers = {
      ...(parent ? this.componentProviders.get(parent) : undefined),
      ...Object.fromEntries(options.getProvidersMap().entries()),
    };
    if (!custom) this.componentProviders.set(urn, providers);
    // A local component (and the root stack) is the program's own: no provider is involved.
    if (!custom && !remote) {
      this.registry.add(record);
      return this.recorded(req, subject, res.setObject(toStruct({})));
    }
    const inputs = toProviderValue(props, this.idOf) as WireObject;
    const args = {
      type,
      name,
      inputs,
      custom,
      ...(options.getProvider() ? { provider: options.getProvider() } : {}),
      ...(options.getImport() ? { id: options.getImport() } : {}),
      ...(remote ? { providers } : {}),
    };
    for (const o of this.options.observers ?? []) {
      const messages =
        (await o.beforeCreate?.({
          urn,
          type,
          name,
          custom,
          remote,
          ...(parent ? { parent } : {}),
          ...(args.provider ? { provider: args.provider } : {}),
          inputs,
          dryRun: this.options.dryRun,
        })) ?? [];
      if (messages.length > 0) throw new Error(messages.join('; '));
    }
    const bindings = options.getHooks();
    const hookSubject: HookSubject = { urn, id: '', name, type, inputs: props };
    this.throwHookErrors(await this.hooks.run('before', bindings?.getBeforeCreateList() ?? [], hookSubject));
    const secretOutputs = options.getAdditionalSecretOutputsList();

    if (this.options.dryRun) {
      this.options.cloud.checkRegistration(this.ctx, args);
      // Being created: the inputs are all a preview knows; the id and computed outputs are unknown.
      // A component's outputs come from its construction, which a preview does not finish.
      const outputs = custom ? withSecrets(props, secretOutputs) : {};
      this.registry.add({ ...record, outputs });
      return this.recorded(req, subject, res.setId('').setObject(toStruct(outputs)));
    }

    const unknown = unknownPaths(inputs);
    if (unknown.length > 0) throw new Error(`input(s) ${unknown.join(', ')} are unknown in an update`);
    const created = await this.createWithErrorHooks(args, bindings?.getOnErrorList() ?? [], hookSubject);
    const outputs = withSecrets(toWire(created.state) as WireObject, secretOutputs);
    const id = created.id ?? '';
    this.registry.add({ ...record, id, outputs });
    this.throwHookErrors(
      await this.hooks.run('after', bindings?.getAfterCreateList() ?? [], { ...hookSubject, id, outputs }),
    );
    return this.recorded(req, subject, res.setId(id).setObject(toStruct(outputs)));
  }

  /**
   * Records a registration the monitor answered. In an update it goes to the account's record too,
   * which adds the children a remote component created there; a preview creates nothing, so its
   * registrations stay with this run.
   */
  private recorded(
    req: RegisterResourceRequest,
    subject: TransformSubject,
    res: RegisterResourceResponse,
  ): RegisterResourceResponse {
    if (subject.type === ROOT_STACK_TYPE) return res;
    const { project, stack } = this.options.identity;
    const registration = registrationOf(project, stack, transformedRequest(req, subject), res);
    this.registrations.push(
      ...(this.options.dryRun ? [registration] : this.options.cloud.recordRegistration(registration)),
    );
    return res;
  }

  private async createWithErrorHooks(
    args: Parameters<MockCloud['register']>[1],
    onError: string[],
    subject: HookSubject,
  ): Promise<ReturnType<MockCloud['register']>> {
    const errors: string[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.cloud.register(this.ctx, args);
      } catch (err) {
        errors.push(errorMessage(err));
        const retry =
          onError.length > 0 &&
          attempt < MAX_ERROR_HOOK_ATTEMPTS &&
          (await this.hooks.retryAfterError(onError, subject, errors));
        if (!retry) throw err;
      }
    }
  }

  private throwHookErrors(outcome: { errors: string[]; warnings: string[] }): void {
    this.warnings.push(...outcome.warnings);
    if (outcome.errors.length > 0) throw new Error(outcome.errors.join('; '));
  }

  private registerOutputs(req: RegisterResourceOutputsRequest): Empty {
    const resource = this.registry.get(req.getUrn());
    if (!resource) throw new Error(`unknown resource ${req.getUrn()}`);
    resource.outputs = fromStruct(req.getOutputs());
    if (resource.type === ROOT_STACK_TYPE) this.stackOutputs = resource.outputs;
    const registration = this.registrations.find((r) => r.urn === resource.urn);
    if (registration) registration.outputs = resource.outputs;
    return new Empty();
  }

  private async read(req: ReadResourceRequest): Promise<ReadResourceResponse> {
    const { project, stack } = this.options.identity;
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent() || undefined;
    const urn = this.registry.urnFor(type, name, parent);
    this.registry.reserve(urn);
    const inputs = toProviderValue(fromStruct(req.getProperties()), this.idOf) as WireObject;
    if (type === STACK_REFERENCE_TYPE) await this.options.awaitStackReference?.(String(inputs.name ?? name));
    const result = this.options.cloud.register(this.ctx, {
      type,
      name,
      inputs,
      custom: true,
      id: req.getId(),
      ...(req.getProvider() ? { provider: req.getProvider() } : {}),
    });
    const state = toWire(result.state) as WireObject;
    if (type === STACK_REFERENCE_TYPE) {
      // Secret outputs of the referenced stack stay secret, and are named, as the engine reports them.
      const outputs = (state.outputs ?? {}) as WireObject;
      state.secretOutputNames = Object.keys(outputs).filter((k) => isSecret(outputs[k]!));
    }
    const id = result.id ?? req.getId();
    this.registry.add({
      urn,
      type,
      name,
      custom: true,
      remote: false,
      ...(parent ? { parent } : {}),
      id,
      inputs,
      outputs: state,
      created: false,
    });
    const res = new ReadResourceResponse()
      .setUrn(urn)
      .setId(id)
      .setProperties(toStruct(state))
      .setResult(Result.SUCCESS);
    const registration = readOf(project, stack, req, res);
    this.registrations.push(
      ...(this.options.dryRun ? [registration] : this.options.cloud.recordRegistration(registration)),
    );
    return res;
  }

  private async invoke(req: ResourceInvokeRequest): Promise<ResourceInvokeResponse> {
    const token = req.getTok();
    const res = new ResourceInvokeResponse();
    if (token === GET_RESOURCE_TOKEN) {
      const urn = String(fromStruct(req.getArgs()).urn);
      const r = this.registry.get(urn) ?? fail(`unknown resource ${urn}`);
      return res.setReturn(toStruct({ urn, id: r.id, state: r.outputs }));
    }
    const options = new TransformInvokeOptions();
    options.setProvider(req.getProvider());
    options.setVersion(req.getVersion());
    options.setPluginDownloadUrl(req.getPlugindownloadurl());
    const transformed = await this.transforms.applyToInvoke(token, fromStruct(req.getArgs()), options);
    // In a preview the engine declines an invoke that depends on a resource being created.
    if (this.options.dryRun && req.getDependsonList().some((urn) => this.pendingCreate(urn)))
      return res.setUnknown(true);
    const inputs = toProviderValue(transformed.args, this.idOf) as WireObject;
    if (unknownPaths(inputs).length > 0) {
      if (this.options.dryRun) return res.setUnknown(true);
      throw new Error(`invocation of ${token}: input(s) ${unknownPaths(inputs).join(', ')} are unknown`);
    }
    const provider = transformed.options.getProvider();
    const result = this.answer(token, inputs, provider);
    return res.setReturn(toStruct(result));
  }

  private async call(req: ResourceCallRequest): Promise<CallResponse> {
    const token = req.getTok();
    const inputs = toProviderValue(fromStruct(req.getArgs()), this.idOf) as WireObject;
    const result = this.answer(token, inputs, req.getProvider());
    return new CallResponse().setReturn(toStruct(result));
  }

  /** An invoke or method call, answered by the account; failures read as the engine words them. */
  private answer(token: string, inputs: WireObject, provider: string): Record<string, unknown> {
    try {
      return this.options.cloud.invoke(this.ctx, { token, inputs, ...(provider ? { provider } : {}) });
    } catch (err) {
      throw new Error(`invocation of ${token} returned an error: ${errorMessage(err)}`, { cause: err });
    }
  }

  private pendingCreate(urn: string): boolean {
    const r = this.registry.get(urn);
    return r !== undefined && r.created && r.custom && !r.type.startsWith(PROVIDER_TYPE_PREFIX);
  }

  private exists(req: ExistsResourceRequest): ExistsResourceResponse {
    const found = this.registry
      .all()
      .some((r) => r.id === req.getId() && r.type === req.getType() && r.custom && r.id !== '');
    return new ExistsResourceResponse().setExists(found);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
