/** What `e2e` and `sweep` share: the backend default, the real dependencies, option parsing. */
import type { E2eDeps } from '@hubspoke/harness/src/live/e2e';
import type { PreflightDeps } from '@hubspoke/harness/src/live/preflight';
import type { StackDriver } from '@hubspoke/harness/src/live/stack-driver';
import { InputError } from '../errors';

export interface LiveCommandDeps {
  /** Replaces the SDK credential/region chains and `pulumi version` (tests). */
  preflightDeps?: (region: string | undefined) => PreflightDeps;
  /** Replaces the Automation API driver (tests use the recording stand-in). */
  createDriver?: (backendUrl: string) => StackDriver;
  /** Anything else of the e2e run (clients, clock, signals...). */
  e2e?: Partial<E2eDeps>;
  repoRoot?: string;
  vars?: Record<string, string | undefined>;
  now?: () => number;
}

/** The repo's own state folder (`<root>/.pulumi`, gitignored): no login, nothing shared. */
export function defaultBackendUrl(repoRoot: string): string {
  return `file://${repoRoot}`;
}

export function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new InputError(`${flag}: expected a positive whole number, got "${value}"`);
  return Number(value);
}

export function live(): typeof import('@hubspoke/harness/src/live/all') {
  // Loaded on use so `--help` and the offline commands do not pay for the AWS SDK and Pulumi.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@hubspoke/harness/src/live/all') as typeof import('@hubspoke/harness/src/live/all');
}

type PulumiDriverModule = typeof import('@hubspoke/harness/src/live/pulumi-driver');

export function pulumiDriver(backendUrl: string): StackDriver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PulumiStackDriver } = require('@hubspoke/harness/src/live/pulumi-driver') as PulumiDriverModule;
  return new PulumiStackDriver({ backendUrl });
}
