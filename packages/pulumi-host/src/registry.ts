/**
 * The resources a program registered in one run, keyed by URN, built the way the engine builds
 * them (`sdk/go/common/resource/urn.go`): `urn:pulumi:<stack>::<project>::<qualified type>::<name>`,
 * where the qualified type prefixes the parent's qualified type unless the parent is the stack.
 */
import type { WireObject } from './wire';

export const ROOT_STACK_TYPE = 'pulumi:pulumi:Stack';
export const PROVIDER_TYPE_PREFIX = 'pulumi:providers:';

export interface RegisteredResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** A multi-language component served by a provider (`awsx:ec2:Vpc`). */
  remote: boolean;
  parent?: string;
  /** '' while unknown (preview) or for components. */
  id: string;
  inputs: WireObject;
  outputs: WireObject;
  /** Provider reference (`<urn>::<id>`) of a custom resource. */
  provider?: string;
  /** True for a resource this run creates (everything, on an empty stack). */
  created: boolean;
}

export class DuplicateUrnError extends Error {
  constructor(readonly urn: string) {
    super(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    this.name = 'DuplicateUrnError';
  }
}

function qualifiedTypeOf(urn: string): string {
  return urn.split('::')[2] ?? '';
}

export class ResourceRegistry {
  private readonly byUrn = new Map<string, RegisteredResource>();
  private readonly reserved = new Set<string>();

  constructor(
    readonly project: string,
    readonly stack: string,
  ) {}

  urnFor(type: string, name: string, parent: string | undefined): string {
    const parentType = parent ? qualifiedTypeOf(parent) : '';
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }

  /** Claims a URN for a registration in progress; a second claim is the engine's duplicate error. */
  reserve(urn: string): void {
    if (this.reserved.has(urn)) throw new DuplicateUrnError(urn);
    this.reserved.add(urn);
  }

  add(resource: RegisteredResource): void {
    this.byUrn.set(resource.urn, resource);
  }

  get(urn: string): RegisteredResource | undefined {
    return this.byUrn.get(urn);
  }

  /** The id of a custom resource, as a provider receives a reference to it. */
  idOf(urn: string): string | undefined {
    const r = this.byUrn.get(urn);
    return r?.custom ? r.id : undefined;
  }

  all(): RegisteredResource[] {
    return [...this.byUrn.values()];
  }
}

export function providerReference(urn: string, id: string): string {
  return `${urn}::${id}`;
}
