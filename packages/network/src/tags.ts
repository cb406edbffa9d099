/**
 * The tags of docs/contracts.md "Tags". They are applied as the AWS provider's default tags, so every taggable
 * resource of a stack carries them without each component having to remember.
 */
import { TAG_ENV, TAG_EPHEMERAL, TAG_EXPIRES_AT, TAG_STACK, isEphemeralEnv } from './contracts';

export interface StackTagInputs {
  env: string;
  project: string;
  /** RFC 3339 UTC time after which `hubspoke sweep` may destroy the environment. */
  expiresAt?: string;
  /** `hubspoke:ephemeral` config; `it-*` environments are ephemeral whatever it says. */
  ephemeral?: boolean;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function stackTags({ env, project, expiresAt, ephemeral }: StackTagInputs): Record<string, string> {
  const tags: Record<string, string> = { [TAG_ENV]: env, [TAG_STACK]: project };
  if (isEphemeralEnv(env) || ephemeral) {
    if (!expiresAt) {
      throw new Error(
        `environment ${env} is ephemeral and needs hubspoke:expiresAt (RFC 3339 UTC) so the sweeper can remove it`,
      );
    }
    tags[TAG_EPHEMERAL] = 'true';
  }
  if (expiresAt !== undefined) {
    if (!RFC3339_UTC.test(expiresAt) || Number.isNaN(Date.parse(expiresAt))) {
      throw new Error(
        `hubspoke:expiresAt ${JSON.stringify(expiresAt)} is not an RFC 3339 UTC time like 2026-01-31T23:00:00Z`,
      );
    }
    tags[TAG_EXPIRES_AT] = expiresAt;
  }
  return tags;
}
