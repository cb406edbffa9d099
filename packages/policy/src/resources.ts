/**
 * What the policies need to read resources the way the engine hands them over: the URN's parts,
 * values that may still be unknown during a preview, and relations between resources.
 */
import { UnknownValueError, type PolicyResource } from '@pulumi/policy';

export interface UrnParts {
  stack: string;
  project: string;
  /** The resource's own type (the last of the parent type chain). */
  type: string;
  name: string;
}

/** `urn:pulumi:<stack>::<project>::<parent types$...$type>::<name>`. */
export function parseUrn(urn: string): UrnParts {
  const parts = urn.split('::');
  if (parts.length < 4 || !parts[0]!.startsWith('urn:pulumi:')) {
    throw new Error(`not a Pulumi URN: ${urn}`);
  }
  const qualifiedType = parts[2]!;
  return {
    stack: parts[0]!.slice('urn:pulumi:'.length),
    project: parts[1]!,
    type: qualifiedType.slice(qualifiedType.lastIndexOf('$') + 1),
    name: parts.slice(3).join('::'),
  };
}

/**
 * `props[key]`, or undefined while it is unknown (a preview before the value exists). Relations
 * then fall back to property dependencies, which a preview knows; a policy that needs the value
 * itself reads it directly and lets the engine report that it cannot run during preview.
 */
export function known<T = unknown>(props: Record<string, unknown>, key: string): T | undefined {
  try {
    return props[key] as T | undefined;
  } catch (error) {
    if (error instanceof UnknownValueError) return undefined;
    throw error;
  }
}

/** True when `props[key]` is a non-empty string, or unknown yet (a computed value will be there). */
export function isSet(props: Record<string, unknown>, key: string): boolean {
  try {
    const v = props[key];
    return typeof v === 'string' && v !== '';
  } catch (error) {
    if (error instanceof UnknownValueError) return true;
    throw error;
  }
}

/** The project of a stack's resources (every URN of a stack names it). */
export function projectOf(resources: { urn: string }[]): string | undefined {
  return resources.length > 0 ? parseUrn(resources[0]!.urn).project : undefined;
}

export function ofType(resources: PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/** `r` and its ancestors (a remote component's outputs stand for its children). */
function selfAndAncestors(r: PolicyResource): Set<PolicyResource> {
  const out = new Set<PolicyResource>();
  for (let p: PolicyResource | undefined = r; p; p = p.parent) out.add(p);
  return out;
}

/** The dependency set of `prop` on `r`, as resources. */
function dependenciesOf(r: PolicyResource, prop: string): PolicyResource[] {
  return r.propertyDependencies[prop] ?? [];
}

/**
 * True when `source.props[prop]` takes its value from `target`: `prop` depends on `target` (or on a
 * remote component that `target` belongs to, whose outputs stand for it), or, when both are known,
 * the value (or, for a list, one of its values) equals `target.props[targetKey]`.
 */
export function refersTo(
  source: PolicyResource,
  prop: string,
  target: PolicyResource,
  targetKey = 'id',
): boolean {
  const owners = selfAndAncestors(target);
  if (dependenciesOf(source, prop).some((d) => owners.has(d))) return true;
  const value = known(source.props, prop);
  const targetValue = known<string>(target.props, targetKey);
  if (value === undefined || targetValue === undefined) return false;
  return Array.isArray(value) ? value.includes(targetValue) : value === targetValue;
}

/**
 * True when `a.props[propA]` and `b.props[propB]` name the same thing: both depend on the same
 * resource, or both values are known and equal (e.g. a firewall and an attachment in one VPC).
 */
export function sameReference(a: PolicyResource, propA: string, b: PolicyResource, propB: string): boolean {
  const depsB = new Set(dependenciesOf(b, propB));
  if (dependenciesOf(a, propA).some((d) => depsB.has(d))) return true;
  const va = known(a.props, propA);
  const vb = known(b.props, propB);
  return va !== undefined && vb !== undefined && va === vb;
}

export function label(r: { type: string; urn: string }): string {
  const { name, type } = parseUrn(r.urn);
  return `${type.slice(type.lastIndexOf(':') + 1)} '${name}'`;
}
