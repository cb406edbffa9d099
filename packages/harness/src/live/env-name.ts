/**
 * Names of ephemeral environments (docs/contracts.md: `it-<id>`). CI runs are named after the run so a
 * leaked environment can be traced to its workflow run; local runs get a time-ordered random id.
 */
import { randomBytes } from 'node:crypto';
import { isEphemeralEnv } from '@hubspoke/network/src/contracts';

export interface EnvNameInput {
  /** `--env`, when given. */
  env?: string;
  vars?: Record<string, string | undefined>;
  now?: number;
  random?: () => string;
}

export function resolveEnvName(input: EnvNameInput = {}): string {
  const vars = input.vars ?? process.env;
  if (input.env !== undefined) {
    if (!isEphemeralEnv(input.env)) {
      throw new Error(
        `--env ${JSON.stringify(input.env)} is not an ephemeral environment name: e2e only deploys and destroys ` +
          `\`it-<id>\` environments (lowercase letters, digits and dashes), never dev or prod`,
      );
    }
    return input.env;
  }
  const runId = vars.GITHUB_RUN_ID;
  if (runId && /^\d+$/.test(runId)) {
    const attempt =
      vars.GITHUB_RUN_ATTEMPT && /^\d+$/.test(vars.GITHUB_RUN_ATTEMPT) ? vars.GITHUB_RUN_ATTEMPT : '1';
    return `it-${runId}-${attempt}`;
  }
  const stamp = Math.floor((input.now ?? Date.now()) / 1000).toString(36);
  const random = input.random?.() ?? randomBytes(3).toString('hex');
  return `it-${stamp}-${random}`;
}
