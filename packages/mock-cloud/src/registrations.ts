/**
 * What each resource was registered with, as the Pulumi SDK sent it to the resource monitor: URN,
 * parent, provider reference, dependencies, options, and the inputs in Pulumi's wire encoding
 * (secrets and unknowns as the SDK encodes them). The engine hands exactly these to a policy pack
 * (Analyze per resource, AnalyzeStack at the end), so recording them here lets the offline run put
 * the same requests to the pack. The mock `Mocks` interface sees only type, name and plain inputs;
 * the monitor request carries the rest, hence the wrapper around the monitor.
 */
import type { Inputs } from './handler';

export interface ResourceRegistration {
  project: string;
  stack: string;
  /** URN as the mock monitor assigned it (parent type + own type, as `MockMonitor.newUrn`). */
  urn: string;
  type: string;
  name: string;
  /** False for component resources. */
  custom: boolean;
  /** True for a remote component (its children are registered by its provider, e.g. awsx). */
  remote: boolean;
  /**
   * True for a resource read rather than managed (`ReadResource`, e.g. a StackReference): the engine
   * keeps it in the stack but does not run it through the per-resource policy checks.
   */
  read: boolean;
  id?: string;
  parent?: string;
  /** `<provider urn>::<provider id>` as the SDK sends it; absent for the default provider. */
  provider?: string;
  /** Package -> provider reference a component passes to its children (`providers` option). */
  providers: Record<string, string>;
  dependencies: string[];
  /** Input property -> URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  aliasUrns: string[];
  /** Go-style durations (`10m`) as the SDK sends them. */
  customTimeouts?: { create?: string; update?: string; delete?: string };
  /** Inputs in Pulumi's wire encoding (secret / unknown / resource-reference markers kept). */
  inputs: Inputs;
  /** State the monitor returned (custom resources) or the outputs a component registered. */
  outputs: Inputs;
}

/** The parts of `RegisterResourceRequest` (resource_pb) read here. */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getObject(): { toJavaScript(): Inputs } | undefined;
  hasProtect(): boolean;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getProvidersMap(): { forEach(cb: (v: string, k: string) => void): void };
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getAliasurnsList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

export interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Inputs } | undefined;
}

/** The parts of `ReadResourceRequest` / `ReadResourceResponse` read here. */
export interface ReadRequest {
  getId(): string;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProperties(): { toJavaScript(): Inputs } | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getAdditionalsecretoutputsList(): string[];
}

export interface ReadResponse {
  getUrn(): string;
  getProperties(): { toJavaScript(): Inputs } | undefined;
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Inputs } | undefined;
}

type Callback<T> = (err: unknown, response?: T) => void;

/** The monitor methods wrapped (`@pulumi/pulumi` runtime/mocks `MockMonitor`). */
export interface ObservableMonitor {
  registerResource(req: RegisterRequest, callback: Callback<RegisterResponse>): unknown;
  readResource(req: ReadRequest, callback: Callback<ReadResponse>): unknown;
  registerResourceOutputs(req: OutputsRequest, callback: Callback<unknown>): unknown;
}

function omitEmpty<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/**
 * A registration as the monitor answered it. Shared by every monitor that records registrations:
 * the mock monitor wrapped below, and the engine stand-in of `@hubspoke/pulumi-host`.
 */
export function registrationOf(
  project: string,
  stack: string,
  req: RegisterRequest,
  res: RegisterResponse,
): ResourceRegistration {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const providers: Record<string, string> = {};
  req.getProvidersMap().forEach((ref, pkg) => {
    providers[pkg] = ref;
  });
  const timeouts = req.getCustomtimeouts();
  return {
    project,
    stack,
    urn: res.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    remote: req.getRemote(),
    read: false,
    ...omitEmpty({ id: res.getId(), parent: req.getParent(), provider: req.getProvider() }),
    providers,
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    ...(req.hasProtect() ? { protect: req.getProtect() } : {}),
    ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
    ignoreChanges: req.getIgnorechangesList(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    aliasUrns: req.getAliasurnsList(),
    ...(timeouts
      ? {
          customTimeouts: omitEmpty({
            create: timeouts.getCreate(),
            update: timeouts.getUpdate(),
            delete: timeouts.getDelete(),
          }),
        }
      : {}),
    inputs: req.getObject()?.toJavaScript() ?? {},
    outputs: res.getObject()?.toJavaScript() ?? {},
  };
}

/** A read (`ReadResource`, e.g. a StackReference) as the monitor answered it. */
export function readOf(
  project: string,
  stack: string,
  req: ReadRequest,
  res: ReadResponse,
): ResourceRegistration {
  return {
    project,
    stack,
    urn: res.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom: true,
    remote: false,
    read: true,
    ...omitEmpty({ id: req.getId(), parent: req.getParent(), provider: req.getProvider() }),
    providers: {},
    dependencies: req.getDependenciesList(),
    propertyDependencies: {},
    ignoreChanges: [],
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    aliasUrns: [],
    inputs: req.getProperties()?.toJavaScript() ?? {},
    outputs: res.getProperties()?.toJavaScript() ?? {},
  };
}

/**
 * Wraps `monitor` so every successful registration (and read) is reported to `onRegistered`, and the outputs
 * a component registers later reach `onOutputs`. Failed registrations are not reported: the run
 * fails on them anyway.
 */
export function observeRegistrations(
  monitor: ObservableMonitor,
  project: string,
  stack: string,
  onRegistered: (registration: ResourceRegistration) => void,
  onOutputs: (urn: string, outputs: Inputs) => void,
): void {
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, res) => {
      if (!err && res) onRegistered(registrationOf(project, stack, req, res));
      callback(err, res);
    });
  monitor.readResource = (req, callback) =>
    read(req, (err, res) => {
      if (!err && res) onRegistered(readOf(project, stack, req, res));
      callback(err, res);
    });
  monitor.registerResourceOutputs = (req, callback) =>
    registerOutputs(req, (err, res) => {
      if (!err) onOutputs(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
      callback(err, res);
    });
}
