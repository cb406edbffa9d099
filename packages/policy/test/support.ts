/**
 * Runs programs under the mock cloud and puts what they registered to the policy pack through the
 * Analyzer protocol (packages/policy-host), as `pulumi preview --policy-pack` would.
 */
import * as path from 'path';
import {
  configStrings,
  DIY_ORGANIZATION,
  loadEnvironment,
  MockCloud,
  runProgram,
  runStacks,
} from '@hubspoke/mock-cloud';
import { findRepoRoot } from '@hubspoke/network/src/stack-projects';
import {
  PolicyHost,
  stacksFromRegistrations,
  type AnalyzedStack,
  type Diagnostic,
  type StackAnalysis,
} from '@hubspoke/policy-host';

export const PACK_DIR = path.resolve(__dirname, '..');
export const REPO_ROOT = findRepoRoot(__dirname);
export const AZS = ['us-east-1a', 'us-east-1b'];

/** A program run as `<project>/<stack>` after the repository's stacks of the scenario. */
export interface InlineStack {
  project: string;
  stack?: string;
  /** Creates resources; what it returns is not exported. */
  program: () => unknown;
  config?: Record<string, unknown>;
}

export interface Scenario {
  env?: string;
  /** Projects of the repository to run first, in deploy order (their real programs). */
  repo?: string[];
  /** Config overrides per repository project. */
  overrides?: Record<string, Record<string, unknown>>;
  inline?: InlineStack[];
}

/** Runs the scenario's programs in one mock account and returns the stacks as the engine sees them. */
export async function stacksOf(scenario: Scenario): Promise<AnalyzedStack[]> {
  const env = scenario.env ?? 'dev';
  const specs = loadEnvironment(REPO_ROOT, env)
    .filter((s) => scenario.repo?.includes(s.project))
    .map((s) => ({ ...s, config: { ...s.config, ...scenario.overrides?.[s.project] } }));
  const cloud = new MockCloud();
  const run = await runStacks(specs, { cloud });
  const config: Record<string, Record<string, string>> = Object.fromEntries(
    specs.map((s) => [s.project, configStrings(s.config)]),
  );
  for (const inline of scenario.inline ?? []) {
    const spec = {
      project: inline.project,
      stack: inline.stack ?? env,
      config: { 'aws:region': 'us-east-1', ...inline.config },
    };
    run.outputs[inline.project] = await runProgram(cloud, spec, () => {
      inline.program();
      return {};
    });
    cloud.setStackOutputs(spec.project, spec.stack, run.outputs[inline.project]!);
    config[inline.project] = configStrings(spec.config);
  }
  return stacksFromRegistrations(cloud.registrations, {
    organization: DIY_ORGANIZATION,
    outputs: run.outputs,
    config,
  });
}

export async function analyze(host: PolicyHost, scenario: Scenario): Promise<StackAnalysis[]> {
  const analyses: StackAnalysis[] = [];
  for (const stack of await stacksOf(scenario)) analyses.push(await host.analyzeStack(stack));
  return analyses;
}

/** Mandatory violations of `policy`. */
export function violations(analyses: StackAnalysis[], policy: string): Diagnostic[] {
  return analyses.flatMap((a) =>
    a.diagnostics.filter((d) => d.policyName === policy && d.enforcementLevel === 'mandatory'),
  );
}

/** Where each violation of `policy` is, as `<project>:<name>` of the resource at fault, sorted. */
export function violated(analyses: StackAnalysis[], policy: string): string[] {
  return [
    ...new Set(violations(analyses, policy).map((d) => `${d.urn.split('::')[1]}:${d.urn.split('::').pop()}`)),
  ].sort();
}

/** How many resources (or stacks) `policy` applied to. */
export function applied(analyses: StackAnalysis[], policy: string): number {
  return analyses.reduce((n, a) => n + (a.applicability[policy]?.applied ?? 0), 0);
}

/** Every message of `policy`'s violations, joined (for toMatch). */
export function messages(analyses: StackAnalysis[], policy: string): string {
  return violations(analyses, policy)
    .map((d) => d.message)
    .join('\n');
}

/** A generous timeout: the pack is compiled by ts-node when its host starts. */
export const HOST_TIMEOUT = 240_000;
