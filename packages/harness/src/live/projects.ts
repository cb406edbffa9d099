/**
 * The stack projects of the repo (docs/contracts.md) and the config an ephemeral environment gets:
 * the template environment's Pulumi.<env>.yaml, plus the ephemeral settings the programs turn
 * into tags (`hubspoke:ephemeral`, `hubspoke:expiresAt`), the probe enabled in every spoke and
 * the region of the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StackProject } from '@hubspoke/network/src/stack-projects';
import type { ConfigValues, StackRef } from './stack-driver';

// The layout itself is known in one place (packages/network/src/stack-projects.ts).
export {
  allProjects,
  deployPhases,
  discoverStackProjects as discoverProjects,
  findRepoRoot,
  type ProjectLayout,
  type StackProject,
} from '@hubspoke/network/src/stack-projects';

export function refFor(project: StackProject, env: string): StackRef {
  return { project: project.project, env, workDir: project.workDir };
}

/**
 * The `config:` block of `Pulumi.<env>.yaml`. Secrets cannot be copied (they are encrypted for the
 * template stack), so a secret in the template is an error that names the key.
 */
export function readTemplateConfig(project: StackProject, templateEnv: string): ConfigValues {
  const file = join(project.workDir, `Pulumi.${templateEnv}.yaml`);
  if (!existsSync(file)) {
    throw new Error(
      `template config ${file} not found (the ephemeral env copies the ${templateEnv} config of every project)`,
    );
  }
  const doc = parse(readFileSync(file, 'utf8')) as { config?: unknown } | null;
  const config = doc?.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config) || config === null) {
    throw new Error(`${file}: \`config\` must be a mapping`);
  }
  for (const [key, value] of Object.entries(config)) {
    if (containsSecret(value)) {
      throw new Error(
        `${file}: config key ${key} is a secret; secrets are encrypted for the ${templateEnv} stack and cannot be ` +
          `copied to an ephemeral env; make it a plain value or set it in the environment the program reads`,
      );
    }
  }
  return { ...(config as ConfigValues) };
}

function containsSecret(value: unknown): boolean {
  if (value && typeof value === 'object') {
    if (!Array.isArray(value) && 'secure' in value) return true;
    return Object.values(value).some(containsSecret);
  }
  return false;
}

export interface EphemeralSettings {
  expiresAt: string;
  region: string;
}

/** Template config + what makes the env ephemeral; the probe is enabled in every spoke. */
export function ephemeralConfig(
  project: StackProject,
  template: ConfigValues,
  settings: EphemeralSettings,
): ConfigValues {
  return {
    ...template,
    'aws:region': settings.region,
    'hubspoke:ephemeral': 'true',
    'hubspoke:expiresAt': settings.expiresAt,
    ...(project.role === 'spoke' ? { [`${project.project}:probe`]: 'true' } : {}),
  };
}

/** RFC 3339 UTC, second precision (what the programs write into `hubspoke:expires-at`). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
