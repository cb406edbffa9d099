/**
 * What the host sends a policy pack and what it gets back, in the engine's terms (pulumi/pulumi
 * `sdk/go/common/resource/plugin/analyzer_plugin.go`: AnalyzerResource, AnalyzerStackResource,
 * AnalyzeDiagnostic).
 */

export type EnforcementLevel = 'advisory' | 'mandatory' | 'remediate' | 'disabled';

/** A provider as the engine describes it next to a resource. */
export interface AnalyzedProvider {
  urn: string;
  type: string;
  name: string;
  /** The provider's inputs (its configuration). */
  inputs: Record<string, unknown>;
}

export interface AnalyzedResourceOptions {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  /** Alias URNs. */
  aliases?: string[];
  /** Seconds. */
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

/**
 * One resource of a stack. Values may use Pulumi's wire encoding (secret, unknown, resource
 * reference and output-value markers); the host marshals them as the engine does for analyzers.
 */
export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** Read, not registered (e.g. a StackReference): in AnalyzeStack, but not analyzed one by one. */
  read?: boolean;
  /** Checked inputs: what `Analyze` sees before the resource is created or updated. */
  inputs: Record<string, unknown>;
  /** Resulting state: what `AnalyzeStack` sees at the end. */
  outputs: Record<string, unknown>;
  parent?: string;
  provider?: AnalyzedProvider;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: AnalyzedResourceOptions;
}

/** One stack (`organization/project/stack`): what one `pulumi preview` or `up` analyzes. */
export interface AnalyzedStack {
  organization: string;
  project: string;
  stack: string;
  /** Stack config as the CLI hands it to `ConfigureStack` (strings). */
  config?: Record<string, string>;
  /** Stack tags (`pulumi:project`, ...). */
  tags?: Record<string, string>;
  /** A preview (`pulumi preview`): resources being created have unknown IDs and computed outputs. */
  dryRun?: boolean;
  /** In registration order; the root `pulumi:pulumi:Stack` resource first. */
  resources: AnalyzedResource[];
}

export interface PolicyInfo {
  name: string;
  description: string;
  /** Level after the pack's initial config and any extra config were applied. */
  enforcementLevel: EnforcementLevel;
  type: 'resource' | 'stack';
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface PackInfo {
  name: string;
  version: string;
  policies: PolicyInfo[];
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  /** The resource at fault (for AnalyzeStack: as reported, else the root stack). */
  urn: string;
  /** Which call reported it. */
  phase: 'analyze' | 'analyze-stack';
}

/** For each policy, how many resources (resource policies) or stacks (stack policies) it applied to. */
export type Applicability = Record<string, { applied: number; notApplicable: number }>;

export interface StackAnalysis {
  stack: AnalyzedStack;
  diagnostics: Diagnostic[];
  applicability: Applicability;
}
