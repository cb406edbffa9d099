/**
 * Property values as they cross the wire between a Pulumi program and the engine: a protobuf
 * `Struct` whose special values are marked with signature keys (see `@pulumi/pulumi/runtime/rpc.js`
 * and the engine's `sdk/go/common/resource/plugin/rpc.go`). The engine keeps them as they are for
 * the program and downgrades them for a provider that accepts none of them, which is what the mock
 * cloud is: secrets become their value, output values their value (or unknown), resource
 * references the resource's id (custom) or URN (component).
 */
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';

/** An unknown value (a preview's computed output), as both sides encode it. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
/** The key marking a special value, and the signatures of the kinds this stand-in meets. */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
export const RESOURCE_REFERENCE_SIG = '5cf8f73096256a8f31e491e813e4eb8e';
export const OUTPUT_VALUE_SIG = 'd0e6a833031e9bbcd3f4e8bde6ca49a4';

export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
export type WireObject = { [key: string]: WireValue };

export function fromStruct(struct: Struct | undefined): WireObject {
  return (struct?.toJavaScript() ?? {}) as WireObject;
}

/** JSON-like data -> Struct; `undefined` members are dropped (as the SDK's serializer does). */
export function toStruct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(toWire(value) as WireObject);
}

/** Plain data (the mock cloud's state) as a wire value: no `undefined`, no non-JSON values. */
export function toWire(value: unknown): WireValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object') {
    const out: WireObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

function signature(value: WireValue): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const sig = value[SIG_KEY];
  return typeof sig === 'string' ? sig : undefined;
}

export function isSecret(value: WireValue): boolean {
  return signature(value) === SECRET_SIG;
}

export function secret(value: WireValue): WireValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * What a provider that accepts no secrets, resource references or output values receives.
 * `idOfUrn` answers a reference to a custom resource (the engine sends its id); a reference
 * without an id, or to a component, becomes the URN.
 */
export function toProviderValue(value: WireValue, idOfUrn: (urn: string) => string | undefined): WireValue {
  if (Array.isArray(value)) return value.map((v) => toProviderValue(v, idOfUrn));
  if (!value || typeof value !== 'object') return value;
  const sig = signature(value);
  if (sig === SECRET_SIG) return toProviderValue(value.value ?? null, idOfUrn);
  if (sig === OUTPUT_VALUE_SIG) return 'value' in value ? toProviderValue(value.value!, idOfUrn) : UNKNOWN;
  if (sig === RESOURCE_REFERENCE_SIG) {
    const urn = String(value.urn);
    const id = typeof value.id === 'string' ? value.id : idOfUrn(urn);
    return id === undefined || id === '' ? urn : id;
  }
  const out: WireObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = toProviderValue(v, idOfUrn);
  return out;
}

/** Property paths (`a.b[2]`) holding unknown values, for a message naming them. */
export function unknownPaths(value: WireValue, path = ''): string[] {
  if (value === UNKNOWN) return [path || '(value)'];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, path ? `${path}.${k}` : k));
}

/** Wraps the named top-level properties as secrets (`additionalSecretOutputs`). */
export function withSecrets(state: WireObject, names: readonly string[]): WireObject {
  if (names.length === 0) return state;
  const out = { ...state };
  for (const n of names) if (n in out && !isSecret(out[n]!)) out[n] = secret(out[n]!);
  return out;
}
