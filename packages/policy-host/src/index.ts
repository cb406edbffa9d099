/**
 * @hubspoke/policy-host: runs a Pulumi policy pack offline through the Analyzer protocol, the way
 * the Pulumi CLI does during `pulumi preview` / `pulumi up --policy-pack`, against the resources
 * of a run (e.g. the mock cloud's registrations), and turns its diagnostics into checks.
 */
import * as path from 'node:path';
import { PolicyHost, type HostOptions } from './host';
import type { AnalyzedStack, PackInfo, StackAnalysis } from './types';

export { PolicyHost, rootStackUrn, type HostOptions } from './host';
export { startPolicyPack, PolicyPackError, type PackProcess, type StartOptions } from './pack-process';
export {
  parseConfigFile,
  reconcilePolicyConfig,
  PolicyConfigError,
  type GivenConfigEntry,
  type PolicyConfigEntry,
  type PolicyConfigMap,
} from './policy-config';
export {
  stackFromRegistrations,
  stacksFromRegistrations,
  durationSeconds,
  type StackContext,
} from './from-registrations';
export { policyChecks, resourceLabel } from './checks';
export { marshalProperties, marshalValue } from './wire';
export type * from './types';

/** The repository's policy pack directory. */
export function defaultPackDir(repoRoot: string): string {
  return path.join(repoRoot, 'packages', 'policy');
}

/** Starts the pack, analyzes `stacks` one after another, stops the pack. */
export async function analyzeStacks(
  packDir: string,
  stacks: AnalyzedStack[],
  options: HostOptions = {},
): Promise<{ info: PackInfo; analyses: StackAnalysis[] }> {
  const host = await PolicyHost.start(packDir, options);
  try {
    const analyses: StackAnalysis[] = [];
    for (const stack of stacks) analyses.push(await host.analyzeStack(stack));
    return { info: host.info, analyses };
  } finally {
    await host.close();
  }
}
