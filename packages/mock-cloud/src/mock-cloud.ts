/**
 * MockCloud: Pulumi mocks that behave like the AWS region every stack of an environment deploys
 * into, with one or several accounts. Each registration is dispatched to the emulation of its
 * type, on behalf of the account of the provider it goes through (accounts.ts); a type or invoke
 * that is not emulated is an error naming it, never silently accepted, so a program that passes
 * here does not meet a surprise on AWS.
 */
import * as pulumi from '@pulumi/pulumi';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { Account } from './account';
import { providerAccount } from './accounts';
import { createAwsxVpc } from './awsx-vpc';
import { createFlowLog } from './flow-logs';
import { createInstance } from './instances';
import { createRoute } from './routes';
import { createSecurityGroup } from './security-groups';
import { createVpcEndpoint } from './vpc-endpoints';
import { fail, MockCloudError } from './errors';
import {
  createFirewall,
  createFirewallPolicy,
  createLoggingConfiguration,
  createRuleGroup,
} from './firewall';
import type {
  ChildKey,
  ChildRegistration,
  Inputs,
  MockResourceRecord,
  ResourceHandler,
  ResourceRequest,
} from './handler';
import {
  createInstanceProfile,
  createLogGroup,
  createRole,
  createRolePolicy,
  createRolePolicyAttachment,
} from './iam-logs';
import { ACCOUNT_ID, uuidFrom } from './ids';
import { INVOKES } from './invokes';
import { createPrincipalAssociation, createResourceAssociation, createResourceShare } from './ram';
import { observeRegistrations, type ObservableMonitor, type ResourceRegistration } from './registrations';
import { toSnapshot } from './snapshot';
import {
  createRouteTableAssociation,
  createRouteTableResource,
  createSubnetResource,
  createVpcResource,
} from './vpc-primitives';
import { TagMap, tagMap } from './tags';
import {
  createTgwAttachmentAccepter,
  createTgwAssociation,
  createTgwPropagation,
  createTgwRoute,
  createTgwRouteTableResource,
  createTgwVpcAttachment,
  createTransitGateway,
} from './tgw';

/** Every resource type the mock cloud emulates (besides providers, stack references, components). */
export const RESOURCE_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  'awsx:ec2:Vpc': createAwsxVpc,
  'aws:ec2transitgateway/transitGateway:TransitGateway': createTransitGateway,
  'aws:ec2transitgateway/routeTable:RouteTable': createTgwRouteTableResource,
  'aws:ec2transitgateway/route:Route': createTgwRoute,
  'aws:ec2transitgateway/vpcAttachment:VpcAttachment': createTgwVpcAttachment,
  'aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter': createTgwAttachmentAccepter,
  'aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation': createTgwAssociation,
  'aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation': createTgwPropagation,
  'aws:ec2/vpc:Vpc': createVpcResource,
  'aws:ec2/subnet:Subnet': createSubnetResource,
  'aws:ec2/routeTable:RouteTable': createRouteTableResource,
  'aws:ec2/routeTableAssociation:RouteTableAssociation': createRouteTableAssociation,
  'aws:ec2/route:Route': createRoute,
  'aws:ec2/securityGroup:SecurityGroup': createSecurityGroup,
  'aws:ec2/vpcEndpoint:VpcEndpoint': createVpcEndpoint,
  'aws:ec2/instance:Instance': createInstance,
  'aws:ec2/flowLog:FlowLog': createFlowLog,
  'aws:networkfirewall/ruleGroup:RuleGroup': createRuleGroup,
  'aws:networkfirewall/firewallPolicy:FirewallPolicy': createFirewallPolicy,
  'aws:networkfirewall/firewall:Firewall': createFirewall,
  'aws:networkfirewall/loggingConfiguration:LoggingConfiguration': createLoggingConfiguration,
  'aws:cloudwatch/logGroup:LogGroup': createLogGroup,
  'aws:iam/role:Role': createRole,
  'aws:iam/rolePolicy:RolePolicy': createRolePolicy,
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': createRolePolicyAttachment,
  'aws:iam/instanceProfile:InstanceProfile': createInstanceProfile,
  'aws:ram/resourceShare:ResourceShare': createResourceShare,
  'aws:ram/resourceAssociation:ResourceAssociation': createResourceAssociation,
  'aws:ram/principalAssociation:PrincipalAssociation': createPrincipalAssociation,
};

export const STACK_REFERENCE_TYPE = 'pulumi:pulumi:StackReference';
export const AWS_PROVIDER_TYPE = 'pulumi:providers:aws';
/** Types of local component resources: accepted, hold no state. */
export const COMPONENT_PREFIX = 'hubspoke:';
/** The organization of a DIY backend, as `pulumi.getOrganization()` reports it. */
export const DIY_ORGANIZATION = 'organization';

/**
 * How a failed registration or invoke reaches the program. `throw` (default) rejects it, as the
 * engine would: the awaiting code sees the message, but Pulumi also leaves the resource's other
 * output promises rejected and unobserved (unhandled rejections). `hold` never settles it, so
 * nothing downstream runs or rejects; a runner learns of the failure through `onFailure`.
 */
export type FailureMode = 'throw' | 'hold';

export interface MocksOptions {
  failureMode?: FailureMode;
}

export interface MockCloudOptions {
  /** The region; every provider must use it. Default `us-east-1`. */
  region?: string;
  /**
   * Account of the ambient credentials: the default provider and every provider that assumes no
   * role act in it. Default `ACCOUNT_ID` (123456789012).
   */
  credentialsAccountId?: string;
}

/**
 * The stack a registration or invoke comes from, and its config as the program sees it. Under
 * `pulumi.runtime.setMocks` this is Pulumi's global runtime state (`mocks()` reads it); an engine
 * stand-in serving several stack programs at once passes each connection's own.
 */
export interface StackContext {
  project: string;
  stack: string;
  /** A config value by full key (`aws:region`), undefined when unset. */
  config(key: string): string | undefined;
}

/** A registration: what mocks receive, plus what only an engine sees. */
export interface RegistrationArgs extends pulumi.runtime.MockResourceArgs {
  /**
   * Provider references by package (`{ aws: '<urn>::<id>' }`) of a remote component. Mocks never
   * see them; the engine does, so awsx children then take the provider the program passed.
   */
  providers?: Record<string, string>;
}

/** The stack context of Pulumi's global runtime state (what `setMocks` configured). */
export function pulumiRuntimeContext(): StackContext {
  return {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    config: (key) => pulumi.runtime.getConfig(key),
  };
}

/** An emulation failure, kept so a runner can fail the stack even if the program never awaited it. */
export interface MockCloudFailure {
  project: string;
  stack: string;
  /** Resource type or invoke token. */
  type: string;
  name: string;
  message: string;
}

interface ProviderInfo {
  project: string;
  stack: string;
  defaultTags: TagMap;
  /** The account the provider acts in. */
  accountId: string;
}

function parseJsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function stackKey(project: string, stack: string): string {
  return `${project}/${stack}`;
}

/** `organization/<project>/<stack>` -> `<project>/<stack>`; other names are looked up as given. */
function referencedStack(name: string): string {
  const parts = name.split('/');
  return parts.length === 3 && parts[0] === DIY_ORGANIZATION ? `${parts[1]}/${parts[2]}` : name;
}

/** A child a remote component created, waiting for the component's URN. */
interface PendingChild {
  type: string;
  name: string;
  id: string;
  registration: ChildRegistration;
}

/** The mock monitor's URN rule (`MockMonitor.newUrn`): the parent's own type, then this type. */
function childUrn(project: string, stack: string, parentUrn: string, type: string, name: string): string {
  const parentType = parentUrn.split('::')[2]!.split('$').pop()!;
  return `urn:pulumi:${stack}::${project}::${parentType}$${type}::${name}`;
}

export class MockCloud {
  readonly account: Account;
  /** The account of the ambient credentials (see MockCloudOptions). */
  readonly credentialsAccountId: string;
  readonly resources: MockResourceRecord[] = [];
  /**
   * Every registration as the SDK sent it to the monitor (runs through `runProgram` /
   * `runStacks`), plus the children a remote component would register, in registration order.
   */
  readonly registrations: ResourceRegistration[] = [];
  private readonly pendingChildren = new Map<string, PendingChild[]>();
  readonly failures: MockCloudFailure[] = [];
  private readonly stackOutputs = new Map<string, Record<string, unknown>>();
  private readonly providers = new Map<string, ProviderInfo>();
  private readonly defaultProviders = new Map<string, ProviderInfo>();
  private readonly failureListeners = new Set<(failure: MockCloudFailure) => void>();

  constructor(options: MockCloudOptions = {}) {
    this.account = new Account(options.region ?? 'us-east-1');
    this.credentialsAccountId = options.credentialsAccountId ?? ACCOUNT_ID;
  }

  get region(): string {
    return this.account.region;
  }

  /** Makes `organization/<project>/<stack>` resolvable by StackReference. */
  setStackOutputs(project: string, stack: string, outputs: Record<string, unknown>): void {
    this.stackOutputs.set(stackKey(project, stack), outputs);
  }

  stackOutputsOf(project: string, stack: string): Record<string, unknown> | undefined {
    return this.stackOutputs.get(stackKey(project, stack));
  }

  /** The Mocks to pass to `pulumi.runtime.setMocks`. */
  mocks(options: MocksOptions = {}): pulumi.runtime.Mocks {
    const hold = options.failureMode === 'hold';
    const guard = <T>(fn: () => T): T | Promise<T> => {
      try {
        return fn();
      } catch (err) {
        if (hold) return new Promise<T>(() => undefined);
        throw err;
      }
    };
    return {
      newResource: (args) => guard(() => this.register(pulumiRuntimeContext(), args)),
      call: (args) => guard(() => this.invoke(pulumiRuntimeContext(), args)),
    };
  }

  /**
   * Records every registration `monitor` (the mock monitor of a `setMocks` for `project/stack`)
   * answers into `registrations`.
   */
  observe(monitor: ObservableMonitor, project: string, stack: string): void {
    observeRegistrations(
      monitor,
      project,
      stack,
      (r) => this.recordRegistration(r),
      (urn, outputs) => this.recordOutputs(urn, outputs),
    );
  }

  /**
   * Records a registration a monitor answered (`observe` does it for the mock monitor; the
   * engine stand-in of `@hubspoke/pulumi-host` calls it itself), followed by the children a remote
   * component created in the account would register. Returns what was recorded.
   */
  recordRegistration(registration: ResourceRegistration): ResourceRegistration[] {
    this.registrations.push(registration);
    const key = `${registration.project}/${registration.stack}/${registration.type}/${registration.name}`;
    const children = this.pendingChildren.get(key);
    if (!children) return [registration];
    this.pendingChildren.delete(key);
    const first = this.registrations.length;
    const { project, stack } = registration;
    const urns = new Map<string, string>();
    const urnOf = (k: ChildKey): string => {
      const urn = urns.get(`${k.type}::${k.name}`);
      if (!urn)
        throw new MockCloudError(
          `${registration.type} '${registration.name}': child ${k.type} '${k.name}' is referenced before it is created`,
        );
      return urn;
    };
    const provider = this.inheritedProvider(registration, 'aws');
    for (const child of children) {
      const parent = child.registration.parent ? urnOf(child.registration.parent) : registration.urn;
      const urn = childUrn(project, stack, parent, child.type, child.name);
      urns.set(`${child.type}::${child.name}`, urn);
      const propertyDependencies = Object.fromEntries(
        Object.entries(child.registration.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(urnOf)]),
      );
      const inputs: Inputs = child.registration.inputs;
      this.registrations.push({
        project,
        stack,
        urn,
        type: child.type,
        name: child.name,
        custom: true,
        remote: false,
        read: false,
        id: child.id,
        parent,
        ...(provider ? { provider } : {}),
        providers: {},
        // awsx makes each child depend on the sibling it is parented to (`dependsOn: [parent]`).
        dependencies: [
          ...new Set([
            ...(child.registration.parent ? [parent] : []),
            ...Object.values(propertyDependencies).flat(),
          ]),
        ],
        propertyDependencies,
        ignoreChanges: [],
        additionalSecretOutputs: [],
        aliasUrns: [],
        inputs,
        outputs: { ...inputs, ...child.registration.outputs },
      });
    }
    return [registration, ...this.registrations.slice(first)];
  }

  /** The outputs a component registered later (`registerOutputs`) replace its recorded ones. */
  recordOutputs(urn: string, outputs: Inputs): void {
    const registration = this.registrations.find((r) => r.urn === urn);
    if (registration) registration.outputs = outputs;
  }

  /**
   * The provider a component's children of package `pkg` use: the nearest `providers` map entry up
   * the parent chain. The engine merges a parent's providers map into a remote component's before
   * calling Construct (pulumi/pulumi#24125), so awsx children use the stack's explicit provider.
   */
  private inheritedProvider(component: ResourceRegistration, pkg: string): string | undefined {
    for (let r: ResourceRegistration | undefined = component; r;) {
      if (r.providers[pkg]) return r.providers[pkg];
      const parent: string | undefined = r.parent;
      r = parent ? this.registrations.find((x) => x.urn === parent) : undefined;
    }
    return undefined;
  }

  /** Subscribes to emulation failures; returns the unsubscribe function. */
  onFailure(listener: (failure: MockCloudFailure) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  private recordFailure(failure: MockCloudFailure): void {
    this.failures.push(failure);
    for (const listener of this.failureListeners) listener(failure);
  }

  toSnapshot(): NetworkSnapshot {
    return toSnapshot(this.account);
  }

  /** Failures recorded for one stack (or all). */
  failuresOf(project?: string, stack?: string): MockCloudFailure[] {
    return this.failures.filter(
      (f) => (project === undefined || f.project === project) && (stack === undefined || f.stack === stack),
    );
  }

  /**
   * Creates what a registration asks for in the account and returns its id and state; a failure is
   * recorded (see `onFailure`) and thrown as a MockCloudError naming the resource.
   */
  register(ctx: StackContext, args: RegistrationArgs): pulumi.runtime.MockResourceResult {
    try {
      return this.dispatch(ctx, args);
    } catch (err) {
      throw this.failed(ctx, args.type, args.name, err);
    }
  }

  /**
   * What a preview can know about a registration without creating anything: that the type (or the
   * reference, or the provider configuration) is one the account can serve. Records and throws
   * like `register`.
   */
  checkRegistration(ctx: StackContext, args: RegistrationArgs): void {
    try {
      const inputs = (args.inputs ?? {}) as Record<string, unknown>;
      if (args.type === STACK_REFERENCE_TYPE) this.referencedOutputs(inputs, args.name);
      else if (args.type === AWS_PROVIDER_TYPE) this.checkProviderRegion(args.name, inputs);
      else if (!args.type.startsWith(COMPONENT_PREFIX)) this.handlerFor(args);
    } catch (err) {
      throw this.failed(ctx, args.type, args.name, err);
    }
  }

  private failed(ctx: StackContext, type: string, name: string, err: unknown): MockCloudError {
    const { project, stack } = ctx;
    const message = err instanceof Error ? err.message : String(err);
    this.recordFailure({ project, stack, type, name, message });
    const subject = name ? `${type} '${name}'` : type;
    return new MockCloudError(`${subject} (${project}/${stack}): ${message}`);
  }

  private handlerFor(args: RegistrationArgs): ResourceHandler {
    if (args.id) {
      // `Resource.get(...)` / `import` would adopt an existing resource; adopting is not emulated,
      // and creating instead would silently give the program a different resource.
      fail(`reading or importing an existing ${args.type} (id ${args.id}) is not emulated by the mock cloud`);
    }
    return (
      RESOURCE_HANDLERS[args.type] ??
      fail(`resource type '${args.type}' is not emulated by the mock cloud (resource '${args.name}')`)
    );
  }

  private referencedOutputs(inputs: Record<string, unknown>, resourceName: string): Record<string, unknown> {
    const name = String(inputs.name ?? resourceName);
    return (
      this.stackOutputs.get(referencedStack(name)) ??
      fail(`unknown stack "${name}": no stack of that name has run in this mock cloud environment`)
    );
  }

  private dispatch(ctx: StackContext, args: RegistrationArgs): pulumi.runtime.MockResourceResult {
    const { project, stack } = ctx;
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    if (args.type === STACK_REFERENCE_TYPE) {
      const name = String(inputs.name ?? args.name);
      const outputs = this.referencedOutputs(inputs, args.name);
      return { id: name, state: { name, outputs, secretOutputNames: [] } };
    }
    if (args.type === AWS_PROVIDER_TYPE) return this.registerProvider(project, stack, args.name, inputs);
    if (args.type.startsWith(COMPONENT_PREFIX)) {
      this.resources.push({ project, stack, type: args.type, name: args.name, id: '' });
      return { id: undefined, state: {} };
    }
    const handler = this.handlerFor(args);
    const parent = args.name;
    const provider = this.providerFor(ctx, args);
    const componentKey = `${project}/${stack}/${args.type}/${args.name}`;
    const request: ResourceRequest = {
      type: args.type,
      name: args.name,
      inputs,
      project,
      stack,
      seed: this.account.seeds.unique(`${project}/${stack}/${args.type}/${args.name}`),
      accountId: provider.accountId,
      resourceTags: tagMap(inputs.tags),
      defaultTags: provider.defaultTags,
      recordChild: (type, name, id, registration) => {
        this.resources.push({ project, stack, type, name, id, parent, accountId: provider.accountId });
        if (!registration) return;
        const pending = this.pendingChildren.get(componentKey) ?? [];
        pending.push({ type, name, id, registration });
        this.pendingChildren.set(componentKey, pending);
      },
    };
    const result = handler(this.account, request);
    this.resources.push({
      project,
      stack,
      type: args.type,
      name: args.name,
      id: result.id,
      accountId: provider.accountId,
    });
    return { id: result.id || undefined, state: result.state };
  }

  private registerProvider(
    project: string,
    stack: string,
    name: string,
    inputs: Record<string, unknown>,
  ): pulumi.runtime.MockResourceResult {
    this.checkProviderRegion(name, inputs);
    const defaultTags = parseJsonish(inputs.defaultTags) as { tags?: unknown } | undefined;
    const accountId = providerAccount(name, inputs, this.credentialsAccountId);
    const id = uuidFrom(`${project}/${stack}/provider/${name}`);
    this.providers.set(id, { project, stack, defaultTags: tagMap(defaultTags?.tags), accountId });
    this.resources.push({ project, stack, type: AWS_PROVIDER_TYPE, name, id, accountId });
    return { id, state: { ...inputs } };
  }

  private checkProviderRegion(name: string, inputs: Record<string, unknown>): void {
    const region = inputs.region as string | undefined;
    if (region !== undefined && region !== this.region) {
      fail(`aws provider '${name}' uses region ${region}, but the mock cloud account is in ${this.region}`);
    }
  }

  /**
   * The provider a resource is created (or an invoke is made) through: its default tags and its
   * account. Custom resources name their provider (`urn::id`); without one they use the default
   * provider, configured by `aws:*` stack config. A remote component (awsx) never reveals its
   * providers map to mocks, so its children take the stack's only explicit aws provider, which is
   * what passing it down would do; an engine sees the map and passes it (`providers`), and its
   * `aws` entry decides.
   */
  private providerFor(
    ctx: StackContext,
    args: { provider?: string; custom?: boolean; providers?: Record<string, string> },
  ): ProviderInfo {
    const { project, stack } = ctx;
    const byRef = (ref: string | undefined) =>
      ref ? this.providers.get(ref.slice(ref.lastIndexOf('::') + 2)) : undefined;
    const info = byRef(args.provider) ?? byRef(args.providers?.aws);
    if (info) return info;
    if (!args.custom && args.providers === undefined) {
      const explicit = [...this.providers.values()].filter((p) => p.project === project && p.stack === stack);
      if (explicit.length === 1) return explicit[0];
    }
    return this.defaultProviderOf(ctx);
  }

  /** The default provider of a stack, from its `aws:*` config (region, default tags, account). */
  private defaultProviderOf(ctx: StackContext): ProviderInfo {
    const { project, stack } = ctx;
    const key = stackKey(project, stack);
    let info = this.defaultProviders.get(key);
    if (info === undefined) {
      const region = ctx.config('aws:region');
      if (region !== undefined && region !== this.region) {
        fail(`stack ${key} sets aws:region ${region}, but the mock cloud account is in ${this.region}`);
      }
      const defaultTags = parseJsonish(ctx.config('aws:defaultTags')) as { tags?: unknown } | undefined;
      const accountId = providerAccount(
        'default',
        {
          assumeRoles: ctx.config('aws:assumeRoles'),
          allowedAccountIds: ctx.config('aws:allowedAccountIds'),
          forbiddenAccountIds: ctx.config('aws:forbiddenAccountIds'),
        },
        this.credentialsAccountId,
      );
      info = { project, stack, defaultTags: tagMap(defaultTags?.tags), accountId };
      this.defaultProviders.set(key, info);
    }
    return info;
  }

  /** Answers a provider function (invoke) from the account; a failure is recorded and thrown. */
  invoke(ctx: StackContext, args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    try {
      const handler = INVOKES[args.token] ?? fail(`invoke '${args.token}' is not emulated by the mock cloud`);
      // Invokes are custom: without a provider they go through the stack's default provider.
      const caller = this.providerFor(ctx, { provider: args.provider, custom: true }).accountId;
      return handler(this.account, (args.inputs ?? {}) as Record<string, unknown>, caller);
    } catch (err) {
      throw this.failed(ctx, args.token, '', err);
    }
  }
}
