/**
 * Policy configuration shared by several policies: exemptions (each with its reason) and which
 * projects are the hub. Every policy declares these in its config schema, so the CLI validates
 * `policy-config.json` (and `--policy-pack-config`) against them before anything is analyzed.
 */
import type { PolicyConfigSchema, ReportViolation } from '@pulumi/policy';
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import { parseUrn } from './resources';

/** One resource a policy does not apply to. `name` is the Pulumi resource name. */
export interface Exemption {
  name: string;
  /** Limit to one project (stack project name); default any. */
  project?: string;
  /** Limit to one resource type token; default any. */
  type?: string;
  /** Why this resource may break the rule: reviewed with the change that adds it. */
  reason: string;
}

export interface CommonConfig {
  exemptions?: Exemption[];
}

/** The projects that make up the hub; every other project is a spoke. */
export const DEFAULT_HUB_PROJECTS = ['tgw', 'inspection'];

export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: 'array',
  description: 'Resources this policy does not apply to, each with the reason it may break the rule.',
  items: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, description: 'Pulumi resource name' },
      project: { type: 'string', minLength: 1, description: 'only in this project' },
      type: { type: 'string', minLength: 1, description: 'only for this resource type token' },
      reason: { type: 'string', minLength: 10, description: 'why the exception is acceptable' },
    },
    required: ['name', 'reason'],
    additionalProperties: false,
  },
  default: [],
};

export const HUB_PROJECTS_SCHEMA: PolicyConfigJSONSchema = {
  type: 'array',
  description: 'Projects of the hub (Transit Gateway, inspection); every other project is a spoke.',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  default: DEFAULT_HUB_PROJECTS,
};

/** A config schema with `exemptions` plus the policy's own properties. */
export function configSchema(properties: Record<string, PolicyConfigJSONSchema> = {}): PolicyConfigSchema {
  return { properties: { exemptions: EXEMPTIONS_SCHEMA, ...properties } };
}

export function exemptionFor(exemptions: Exemption[] | undefined, urn: string): Exemption | undefined {
  const { project, type, name } = parseUrn(urn);
  return (exemptions ?? []).find(
    (e) =>
      e.name === name &&
      (e.project === undefined || e.project === project) &&
      (e.type === undefined || e.type === type),
  );
}

/**
 * `reportViolation` that skips exempted resources. Resource policies pass their own URN; stack
 * policies the URN of the resource at fault.
 */
export function reporter(
  reportViolation: ReportViolation,
  exemptions: Exemption[] | undefined,
): (urn: string, message: string) => void {
  return (urn, message) => {
    if (!exemptionFor(exemptions, urn)) reportViolation(message, urn);
  };
}

export function isSpokeProject(project: string, hubProjects: string[] | undefined): boolean {
  return !(hubProjects ?? DEFAULT_HUB_PROJECTS).includes(project);
}
