/**
 * Policy configuration as the Pulumi CLI settles it before calling `Configure`
 * (pulumi/pulumi `pkg/resource/analyzer/config.go`, ReconcilePolicyPackConfig): start from each
 * policy's enforcement level and its schema defaults, apply the pack's initial config, then the
 * config file given with `--policy-pack-config`; then validate each policy's properties against
 * its schema. Mirroring the CLI matters: an initial-config entry without an enforcement level
 * arrives as ADVISORY (the proto default) and downgrades the policy, here as online.
 */
import Ajv from 'ajv';
import type { EnforcementLevel, PolicyInfo } from './types';

export interface PolicyConfigEntry {
  enforcementLevel: EnforcementLevel;
  properties?: Record<string, unknown>;
}

export type PolicyConfigMap = Record<string, PolicyConfigEntry>;

/** A config entry before reconciling: a level, properties, or both. */
export interface GivenConfigEntry {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
  override name = 'PolicyConfigError';
}

const LEVELS: readonly EnforcementLevel[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

/** `{ "<policy>": "<level>" | { enforcementLevel?, ...properties } }` (the `--policy-pack-config` format). */
export function parseConfigFile(json: unknown, source: string): Record<string, GivenConfigEntry> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new PolicyConfigError(`${source}: expected a JSON object of policy name -> config`);
  }
  const out: Record<string, GivenConfigEntry> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value === 'string') {
      if (!LEVELS.includes(value as EnforcementLevel)) {
        throw new PolicyConfigError(
          `${source}: ${name}: ${JSON.stringify(value)} is not a valid enforcement level`,
        );
      }
      out[name] = { enforcementLevel: value as EnforcementLevel };
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
        throw new PolicyConfigError(
          `${source}: ${name}.enforcementLevel: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
        );
      }
      out[name] = {
        ...(enforcementLevel !== undefined ? { enforcementLevel: enforcementLevel as EnforcementLevel } : {}),
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
      };
    } else {
      throw new PolicyConfigError(
        `${source}: ${name}: ${JSON.stringify(value)} must be a string or an object`,
      );
    }
  }
  return out;
}

function withDefaults(policies: PolicyInfo[]): PolicyConfigMap {
  const result: PolicyConfigMap = {};
  for (const p of policies) {
    const defaults = Object.entries(p.configSchema?.properties ?? {}).filter(
      ([, schema]) => schema && typeof schema === 'object' && 'default' in schema,
    );
    result[p.name] = {
      enforcementLevel: p.enforcementLevel,
      ...(defaults.length > 0
        ? {
            properties: Object.fromEntries(
              defaults.map(([k, s]) => [k, (s as { default: unknown }).default]),
            ),
          }
        : {}),
    };
  }
  return result;
}

function apply(result: PolicyConfigMap, given: Record<string, GivenConfigEntry>): PolicyConfigMap {
  const out = { ...result };
  const all = given.all?.enforcementLevel;
  if (all) for (const k of Object.keys(out)) out[k] = { ...out[k]!, enforcementLevel: all };
  for (const [name, entry] of Object.entries(given)) {
    const current = out[name];
    out[name] = {
      enforcementLevel: entry.enforcementLevel ?? current?.enforcementLevel ?? 'advisory',
      ...(current?.properties || entry.properties
        ? { properties: { ...current?.properties, ...entry.properties } }
        : {}),
    };
  }
  return out;
}

function validate(policies: PolicyInfo[], config: PolicyConfigMap, source: string): void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // gojsonschema, which the CLI uses, checks the "regex" format.
  ajv.addFormat('regex', (s: string) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  const errors: string[] = [];
  for (const p of policies) {
    if (!p.configSchema) continue;
    const schema = {
      type: 'object',
      ...(Object.keys(p.configSchema.properties).length > 0 ? { properties: p.configSchema.properties } : {}),
      ...(p.configSchema.required.length > 0 ? { required: p.configSchema.required } : {}),
    };
    const check = ajv.compile(schema);
    if (!check(config[p.name]?.properties ?? {})) {
      for (const e of check.errors ?? []) {
        errors.push(
          `${p.name}${e.instancePath.replace(/\//g, '.')}: ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
        );
      }
    }
  }
  if (errors.length > 0)
    throw new PolicyConfigError(`invalid policy config (${source}):\n - ${errors.join('\n - ')}`);
}

/**
 * The config the CLI would send with `Configure`. `initial` is the pack's initial config as
 * GetAnalyzerInfo reports it; `extra` the `--policy-pack-config` file, if any.
 */
export function reconcilePolicyConfig(
  policies: PolicyInfo[],
  initial: Record<string, GivenConfigEntry>,
  extra: Record<string, GivenConfigEntry> = {},
  source = 'the policy pack config',
): PolicyConfigMap {
  const result = apply(apply(withDefaults(policies), initial), extra);
  validate(policies, result, source);
  return result;
}
