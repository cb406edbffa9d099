/**
 * Turns what the SDK registered with the mock monitor into what the engine would hand a policy
 * pack for each stack (pulumi/pulumi `step_generator.go`: Analyze with the checked inputs,
 * AnalyzeResources with the final outputs):
 *  - the root `pulumi:pulumi:Stack` resource is added and parents every top-level resource;
 *  - URNs carry the whole parent type chain, as `resource.NewURN` builds them (the mock monitor
 *    keeps only the parent's own type); every reference to a URN is rewritten to match;
 *  - the provider reference `urn::id` becomes the provider's URN, type, name and inputs;
 *  - checked inputs: the AWS provider's Check adds `tagsAll` (the resource's tags merged over the
 *    provider's default tags) to every taggable resource (pulumi/pulumi-aws `provider/tags.go`,
 *    applyTags); the mock cloud computed the same merge into the state, which is taken from there.
 *    A preview creates nothing, so there the merge is made here, from the provider's `defaultTags`
 *    input (or the stack's `aws:defaultTags` for the default provider), for the taggable types;
 *  - outputs: a bridged provider's state carries `id`; it is added for AWS resources (unknown for
 *    a resource a preview would create: the monitor answered it without an id);
 *  - resources read instead of registered (StackReference) are in the stack (AnalyzeStack) but
 *    are not analyzed one by one, as the engine analyzes registrations only.
 */
import type { ResourceRegistration } from '@hubspoke/mock-cloud';
import { unknownValue } from '@pulumi/pulumi/runtime/rpc';
import { rootStackUrn } from './host';
import type { AnalyzedResource, AnalyzedStack } from './types';

export interface StackContext {
  /** Organization of the stack references (DIY backend: `organization`). */
  organization: string;
  /** Resolved stack outputs per project: the root stack resource's outputs. */
  outputs?: Record<string, Record<string, unknown>>;
  /** Stack config per project (strings, as the CLI passes it). */
  config?: Record<string, Record<string, string>>;
  /** The registrations come from a preview (`pulumi preview`, dry run). */
  preview?: boolean;
  /**
   * Resource types the AWS provider's Check gives `tagsAll` (in a preview, where no state has it):
   * e.g. the types whose state in the account's emulation carries it.
   */
  taggableTypes?: ReadonlySet<string>;
}

type Tags = Record<string, unknown>;

/** A provider input or config value: an object, or the JSON text the SDK sends for one. */
function objectOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return objectOf(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * `tagsAll` as the AWS provider's Check computes it: the resource's `tags` over the provider's
 * `defaultTags.tags`; unknown while either is unknown.
 */
function checkedTagsAll(tags: unknown, defaultTags: unknown): unknown {
  if (tags === unknownValue || defaultTags === unknownValue) return unknownValue;
  const provider = objectOf(objectOf(defaultTags)?.tags);
  if (provider && Object.values(provider).includes(unknownValue)) return unknownValue;
  const own = objectOf(tags);
  if (own && Object.values(own).includes(unknownValue)) return unknownValue;
  return { ...(provider ?? {}), ...(own ?? {}) } satisfies Tags;
}

function qualifiedType(urn: string): string {
  return urn.split('::')[2]!;
}

/** Go-style duration (`1h30m`, `90s`, `500ms`) in seconds; 0 when empty. */
export function durationSeconds(value: string | undefined): number {
  if (!value) return 0;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(value))) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== value.length) throw new Error(`not a duration: ${JSON.stringify(value)}`);
  return total;
}

/** Registrations of one stack -> the engine's view of it. */
export function stackFromRegistrations(
  registrations: ResourceRegistration[],
  context: StackContext,
): AnalyzedStack {
  const first = registrations[0];
  if (!first) throw new Error('a stack needs at least one registration');
  const { project, stack } = first;
  const root = rootStackUrn({ project, stack });
  const urns = new Map<string, string>();
  const byUrn = new Map<string, ResourceRegistration>();
  const real = (urn: string) => urns.get(urn) ?? urn;
  for (const r of registrations) {
    const parent = r.parent ? real(r.parent) : root;
    const chain = parent === root ? r.type : `${qualifiedType(parent)}$${r.type}`;
    urns.set(r.urn, `urn:pulumi:${stack}::${project}::${chain}::${r.name}`);
    byUrn.set(r.urn, r);
  }

  const resources: AnalyzedResource[] = [
    {
      urn: root,
      type: 'pulumi:pulumi:Stack',
      name: `${project}-${stack}`,
      custom: false,
      inputs: {},
      outputs: context.outputs?.[project] ?? {},
      dependencies: [],
      propertyDependencies: {},
      options: {},
    },
  ];
  for (const r of registrations) {
    const urn = real(r.urn);
    const providerUrn = r.provider ? r.provider.slice(0, r.provider.lastIndexOf('::')) : undefined;
    const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
    const aws = r.custom && r.type.startsWith('aws:');
    const previewTags =
      aws && context.preview && !r.read && context.taggableTypes?.has(r.type)
        ? checkedTagsAll(
            r.inputs.tags,
            provider ? provider.inputs.defaultTags : context.config?.[project]?.['aws:defaultTags'],
          )
        : undefined;
    const inputs =
      aws && r.outputs.tagsAll !== undefined
        ? { ...r.inputs, tagsAll: r.outputs.tagsAll }
        : previewTags !== undefined
          ? { ...r.inputs, tagsAll: previewTags }
          : r.inputs;
    resources.push({
      urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      ...(r.read ? { read: true } : {}),
      inputs,
      outputs: !aws
        ? r.outputs
        : r.id
          ? { ...r.outputs, id: r.id }
          : context.preview && !r.read
            ? { ...r.outputs, id: unknownValue }
            : r.outputs,
      parent: r.parent ? real(r.parent) : root,
      ...(provider
        ? {
            provider: {
              urn: real(provider.urn),
              type: provider.type,
              name: provider.name,
              inputs: provider.inputs,
            },
          }
        : {}),
      dependencies: r.dependencies.map(real),
      propertyDependencies: Object.fromEntries(
        Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(real)]),
      ),
      options: {
        ...(r.protect !== undefined ? { protect: r.protect } : {}),
        ignoreChanges: r.ignoreChanges,
        ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
        additionalSecretOutputs: r.additionalSecretOutputs,
        aliases: r.aliasUrns.map(real),
        ...(r.customTimeouts
          ? {
              customTimeouts: {
                create: durationSeconds(r.customTimeouts.create),
                update: durationSeconds(r.customTimeouts.update),
                delete: durationSeconds(r.customTimeouts.delete),
              },
            }
          : {}),
      },
    });
  }
  return {
    organization: context.organization,
    project,
    stack,
    ...(context.config?.[project] ? { config: context.config[project] } : {}),
    tags: { 'pulumi:project': project, 'pulumi:runtime': 'nodejs' },
    ...(context.preview ? { dryRun: true } : {}),
    resources,
  };
}

/** Registrations of a whole run, grouped into stacks in the order they ran. */
export function stacksFromRegistrations(
  registrations: ResourceRegistration[],
  context: StackContext,
): AnalyzedStack[] {
  const groups = new Map<string, ResourceRegistration[]>();
  for (const r of registrations) {
    const key = `${r.project}/${r.stack}`;
    const group = groups.get(key) ?? [];
    group.push(r);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => stackFromRegistrations(g, context));
}
