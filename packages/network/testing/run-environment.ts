/**
 * Test helper: runs stack programs of an environment under the mock cloud, with optional config
 * overrides, and records every resource's inputs so tests can assert on what a program asked for
 * (instance options, IAM attachments) as well as on the resulting AWS-shaped snapshot.
 */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import {
  MockCloud,
  loadEnvironment,
  runStacks,
  type MockCloudRun,
  type StackSpec,
} from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface RecordedResource {
  project: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
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
        const resource = { project: pulumi.getProject(), type: a.type, name: a.name, inputs: a.inputs };
        recorded.push(resource);
        options.onRegister?.(resource);
        return inner.newResource(a);
      },
      call: (a) => inner.call(a),
    };
  };
  const run = await runStacks(specs, { cloud });
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
