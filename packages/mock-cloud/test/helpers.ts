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
