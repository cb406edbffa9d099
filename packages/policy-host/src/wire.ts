/**
 * Property values as the engine marshals them for an analyzer (`MarshalProperties` with
 * KeepUnknowns, KeepSecrets and SkipInternalKeys, in pulumi/pulumi analyzer_plugin.go): secrets
 * stay wrapped, unknowns stay the unknown sentinel, keys starting with `__` are dropped, and what
 * the engine does not keep for analyzers is lowered: a resource reference becomes its ID (a custom
 * resource) or URN (a component), an output value its value (secret-wrapped if secret) or unknown.
 */
import {
  specialOutputValueSig,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from '@pulumi/pulumi/runtime/rpc';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function secret(value: Json): Json {
  return { [specialSigKey]: specialSecretSig, value };
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** `path` names the property in errors (a value the wire encoding has no form for). */
export function marshalValue(value: unknown, path = 'value'): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v, i) => marshalValue(v, `${path}[${i}]`));
  if (typeof value !== 'object' || !isPlainObject(value)) {
    const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
    throw new Error(
      `${path}: a ${kind} is not a property value (expected JSON data in Pulumi's wire encoding)`,
    );
  }
  const obj = value as Record<string, unknown>;
  switch (obj[specialSigKey]) {
    case specialSecretSig:
      return secret(marshalValue(obj.value, path));
    case specialResourceSig: {
      const id = obj.id;
      return typeof id === 'string' && id !== '' ? id : String(obj.urn);
    }
    case specialOutputValueSig: {
      const inner = 'value' in obj ? marshalValue(obj.value, path) : unknownValue;
      return obj.secret === true ? secret(inner) : inner;
    }
    case undefined:
      return marshalProperties(obj, path);
    default:
      // Assets and archives keep their encoding.
      return obj as Json;
  }
}

/** A property map for an analyzer: internal (`__`) keys dropped at every level. */
export function marshalProperties(props: Record<string, unknown>, path = ''): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('__') || value === undefined) continue;
    out[key] = marshalValue(value, path ? `${path}.${key}` : key);
  }
  return out;
}
