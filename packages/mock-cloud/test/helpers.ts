import { MockCloud, runProgram } from '../src';

/** Runs an inline program as `project/dev` in `cloud` and returns its resolved outputs. */
export function run(
  cloud: MockCloud,
  project: string,
  program: () => unknown,
  config: Record<string, unknown> = { 'aws:region': 'us-east-1' },
): Promise<Record<string, unknown>> {
  return runProgram(cloud, { project, stack: 'dev', config }, program);
}

/** Three /24-sized tiers per AZ tiling 10.0.0.0/22 ... used by several tests. */
export const AZS = ['us-east-1a', 'us-east-1b'];
