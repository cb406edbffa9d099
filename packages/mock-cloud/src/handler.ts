/** The contract between the mock cloud's dispatcher and the per-service emulations. */
import type { Account } from './account';
import { fail } from './errors';
import type { TagMap } from './tags';

export type Inputs = Record<string, unknown>;

/** One registered resource of a stack, including children the mock cloud creates for awsx. */
export interface MockResourceRecord {
  project: string;
  stack: string;
  type: string;
  name: string;
  id: string;
  /** Name of the component that created it (awsx children), if any. */
  parent?: string;
  /** The account it was created in (a provider: the account it acts in); none for components. */
  accountId?: string;
}

/** A sibling created by the same remote component, by type and name. */
export interface ChildKey {
  type: string;
  name: string;
}

/**
 * What a remote component (awsx) would register a child with, so the child can be recorded like
 * every registration (see registrations.ts).
 */
export interface ChildRegistration {
  /** The sibling it is parented to; the component itself when absent. */
  parent?: ChildKey;
  /** Inputs as the component passes them. */
  inputs: Inputs;
  /** Computed outputs beyond the inputs (`tagsAll`, ...). */
  outputs?: Inputs;
  /** Input property -> siblings its value comes from (`vpcId` -> the VPC). */
  propertyDependencies?: Record<string, ChildKey[]>;
}

export interface ResourceRequest {
  type: string;
  name: string;
  inputs: Inputs;
  project: string;
  stack: string;
  /** Unique, deterministic seed for ids (project/stack/type/name). */
  seed: string;
  /**
   * The account of the provider the resource is created through: it owns the resource, and every
   * id the inputs name must be one it can see.
   */
  accountId: string;
  /** The resource's own `tags` input. */
  resourceTags: TagMap;
  /** Default tags of the provider the resource is created through. */
  defaultTags: TagMap;
  /**
   * Records a child resource (awsx) so `MockCloud.resources` lists what AWS would hold and, with
   * `registration`, `MockCloud.registrations` what the component would register.
   */
  recordChild(type: string, name: string, id: string, registration?: ChildRegistration): void;
}

export interface ResourceResult {
  id: string;
  state: Record<string, unknown>;
}

export type ResourceHandler = (account: Account, req: ResourceRequest) => ResourceResult;

/** Provider-level default tags merged under the resource's tags, as the AWS provider does. */
export function tagsAll(req: Pick<ResourceRequest, 'resourceTags' | 'defaultTags'>, extra?: TagMap): TagMap {
  return { ...req.defaultTags, ...extra, ...req.resourceTags };
}

function label(req: Pick<ResourceRequest, 'type' | 'name'>): string {
  return `${req.type} '${req.name}'`;
}

export function reqString(req: ResourceRequest, key: string): string {
  const v = req.inputs[key];
  if (typeof v !== 'string' || v === '') fail(`${label(req)}: missing required input '${key}'`);
  return v;
}

export function optString(req: ResourceRequest, key: string): string | undefined {
  const v = req.inputs[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') fail(`${label(req)}: input '${key}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function optBool(req: ResourceRequest, key: string): boolean | undefined {
  const v = req.inputs[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return fail(`${label(req)}: input '${key}' must be a boolean, got ${JSON.stringify(v)}`);
}

export function optNumber(req: ResourceRequest, key: string): number | undefined {
  const v = req.inputs[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) fail(`${label(req)}: input '${key}' must be a number, got ${JSON.stringify(v)}`);
  return n;
}

export function stringList(req: ResourceRequest, key: string): string[] {
  const v = req.inputs[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    fail(`${label(req)}: input '${key}' must be a list of strings, got ${JSON.stringify(v)}`);
  }
  return v as string[];
}

/** Pulumi's auto-naming: `<name>-<7 hex>` (deterministic here). */
export function autoName(req: ResourceRequest, hash: string): string {
  return `${req.name}-${hash.slice(0, 7)}`;
}
