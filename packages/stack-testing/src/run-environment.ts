/**
 * Test helper: runs stack programs of an environment under the mock cloud, with optional config
 * overrides, and records every resource's inputs so tests can assert on what a program asked for
 * (instance options, IAM attachments) as well as on the resulting AWS-shaped snapshot.
 */
import * as pulumi from '@pulumi/pulumi';
import {
  MockCloud,
  loadEnvironment,
  runStacks,
  type MockCloudRun,
  type StackSpec,
} from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { findRepoRoot } from '@hubspoke/network/src/stack-projects';

export const REPO_ROOT = findRepoRoot(__dirname);

export interface RecordedResource {
  project: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /**
   * The resources it depends on (explicit `dependsOn` and the inputs it reads), as `type::name`
   * (names repeat across types: a component's role, profile and security group share one).
   */
  dependsOn: string[];
  /** Its `ignoreChanges` resource option. */
  ignoreChanges: string[];
}

/** What the engine is told besides the inputs: the options a Mocks implementation never sees. */
interface RegistrationOptions {
  dependsOn: string[];
  ignoreChanges: string[];
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MockMonitor } = require('@pulumi/pulumi/runtime/mocks') as {
  MockMonitor: { prototype: { registerResource(req: RegisterResourceRequest, cb: unknown): unknown } };
};

/** `urn:pulumi:<stack>::<project>::<parent types $>type::name` -> `type::name`. */
function urnTypeAndName(urn: string): string {
  const [, , qualifiedType = '', ...name] = urn.split('::');
  return `${qualifiedType.split('$').pop()}::${name.join('::')}`;
}

/**
 * Records the dependency and ignoreChanges options of every registration, keyed
 * `project/type/name`, while `fn` runs (Pulumi's MockMonitor passes only inputs to the Mocks).
 */
async function withRegistrationOptions<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; options: Map<string, RegistrationOptions> }> {
  const options = new Map<string, RegistrationOptions>();
  const proto = MockMonitor.prototype;
  const original = proto.registerResource;
  proto.registerResource = function (this: unknown, req: RegisterResourceRequest, cb: unknown) {
    options.set(`${pulumi.getProject()}/${req.getType()}/${req.getName()}`, {
      dependsOn: req.getDependenciesList().map(urnTypeAndName),
      ignoreChanges: req.getIgnorechangesList(),
    });
    return original.call(this, req, cb);
  };
  try {
    return { value: await fn(), options };
  } finally {
    proto.registerResource = original;
  }
}

export interface EnvironmentRun extends MockCloudRun {
  recorded: RecordedResource[];
}

export interface RunEnvironmentOptions {
  env?: string;
  /** Projects to run, in deploy order (default: all). */
  projects?: string[];
  /** Per project config overrides; `undefined` removes a key. */
  overrides?: Record<string, Record<string, unknown>>;
  /** Extra stacks appended after the environment's (e.g. a spoke that is not in apps/). */
  extraStacks?: StackSpec[];
  /** Called for every registration as it happens, so a failed run still shows what it registered. */
  onRegister?: (resource: RecordedResource) => void;
}

export async function runEnvironment(options: RunEnvironmentOptions = {}): Promise<EnvironmentRun> {
  const env = options.env ?? 'dev';
  const specs = loadEnvironment(REPO_ROOT, env)
    .filter((s) => !options.projects || options.projects.includes(s.project))
    .concat(options.extraStacks ?? [])
    .map((s) => ({ ...s, config: applyOverrides(s.config, options.overrides?.[s.project]) }));
  const region = String(specs[0]?.config['aws:region'] ?? 'us-east-1');
  const cloud = new MockCloud({ region });
  const recorded: RecordedResource[] = [];
  const mocks = cloud.mocks.bind(cloud);
  cloud.mocks = (...args: Parameters<MockCloud['mocks']>) => {
    const inner = mocks(...args);
    return {
      newResource: (a) => {
        const resource: RecordedResource = {
          project: pulumi.getProject(),
          type: a.type,
          name: a.name,
          inputs: a.inputs,
          // Filled in from the registration when the run ends.
          dependsOn: [],
          ignoreChanges: [],
        };
        recorded.push(resource);
        options.onRegister?.(resource);
        return inner.newResource(a);
      },
      call: (a) => inner.call(a),
    };
  };
  const { value: run, options: registered } = await withRegistrationOptions(() =>
    runStacks(specs, { cloud }),
  );
  for (const r of recorded) Object.assign(r, registered.get(`${r.project}/${r.type}/${r.name}`));
  return { ...run, recorded };
}

function applyOverrides(
  config: Record<string, unknown>,
  overrides?: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...config, ...overrides };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/* Snapshot queries used by the stack suites and component tests. */

export function subnetsOf(snapshot: NetworkSnapshot, vpcId: string) {
  return (snapshot.Subnets ?? []).filter((s) => s.VpcId === vpcId);
}

/** Routes of the table explicitly associated with the subnet (main table otherwise). */
export function routesOfSubnet(snapshot: NetworkSnapshot, subnetId: string) {
  const tables = snapshot.RouteTables ?? [];
  const explicit = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId));
  const vpcId = snapshot.Subnets?.find((s) => s.SubnetId === subnetId)?.VpcId;
  const table = explicit ?? tables.find((t) => t.VpcId === vpcId && t.Associations?.some((a) => a.Main));
  return table?.Routes ?? [];
}

export function routeTo(snapshot: NetworkSnapshot, subnetId: string, destination: string) {
  return routesOfSubnet(snapshot, subnetId).find((r) => r.DestinationCidrBlock === destination);
}

export function tagValue(
  tags: { Key?: string; Value?: string }[] | undefined,
  key: string,
): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}
