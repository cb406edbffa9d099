/**
 * Runs the stack programs of an environment under one MockCloud, in dependency order
 * (tgw -> inspection -> spokes), each with its `Pulumi.<env>.yaml` config, and returns what they
 * built as a network snapshot. Stacks run one after another in one process: Pulumi's runtime
 * state is global, so a stack's registrations must all finish before the next stack starts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import YAML from 'yaml';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { allProjects, discoverStackProjects } from '@hubspoke/network/src/stack-projects';
import { MockCloudError } from './errors';
import type { MockResourceRecord } from './handler';
import { DIY_ORGANIZATION, MockCloud } from './mock-cloud';
import type { ObservableMonitor, ResourceRegistration } from './registrations';

export interface StackSpec {
  project: string;
  stack: string;
  /** Absolute path of the program module (`apps/<project>/index.ts`). */
  programPath: string;
  /** Config as in `Pulumi.<stack>.yaml` (`ns:key` -> value; values may be non-strings). */
  config: Record<string, unknown>;
  /** Directory holding the project's Pulumi.yaml (default: the program's directory). */
  projectDir?: string;
}

export interface MockCloudRun {
  snapshot: NetworkSnapshot;
  /** Resolved stack outputs per project. */
  outputs: Record<string, Record<string, unknown>>;
  resources: MockResourceRecord[];
  /** Every registration with its URN, options and wire-encoded inputs (registrations.ts). */
  registrations: ResourceRegistration[];
}

export type ProgressEvent =
  | { kind: 'stack-start'; project: string; stack: string; index: number; total: number }
  | {
      kind: 'stack-done';
      project: string;
      stack: string;
      index: number;
      total: number;
      elapsedMs: number;
      resources: number;
    }
  | {
      kind: 'stack-failed';
      project: string;
      stack: string;
      index: number;
      total: number;
      elapsedMs: number;
      error: string;
    };

export interface RunStacksOptions {
  /** Region of the account; default: the first stack's `aws:region`, else us-east-1. */
  region?: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Run into an existing cloud (tests, or stacks added to a running environment). */
  cloud?: MockCloud;
  /**
   * Keep JavaScript stack traces during the run. Off by default: Pulumi captures a stack for
   * every internal promise and registration, and formatting them (source-mapped under tsx) is
   * about two thirds of the run time; failures are reported by message, which is unaffected.
   */
  stackTraces?: boolean;
}

/** A Pulumi program module: `export = async () => outputs`, a default export, or plain outputs. */
export type StackProgram = () => unknown;

// ---- environment discovery ---------------------------------------------------------------

function readYaml(file: string): unknown {
  try {
    return YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MockCloudError(
      `${file}: cannot read YAML: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Project directories in deploy order, from the one place that knows the repository layout. */
function projectDirs(repoRoot: string): string[] {
  try {
    return allProjects(discoverStackProjects(repoRoot)).map((p) => p.workDir);
  } catch (err) {
    throw new MockCloudError(err instanceof Error ? err.message : String(err));
  }
}

/** Project-level config values / defaults from Pulumi.yaml (`config: {key: value | {default}}`). */
function projectDefaults(project: string, raw: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const full = key.includes(':') ? key : `${project}:${key}`;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if ('default' in v) out[full] = v.default;
      else if ('value' in v) out[full] = v.value;
    } else {
      out[full] = value;
    }
  }
  return out;
}

/** Reads one project directory's Pulumi.yaml and Pulumi.<env>.yaml. */
export function loadStack(dir: string, env: string): StackSpec {
  const projectFile = path.join(dir, 'Pulumi.yaml');
  const project = readYaml(projectFile) as {
    name?: string;
    main?: string;
    config?: Record<string, unknown>;
  } | null;
  if (!project || typeof project.name !== 'string')
    throw new MockCloudError(`${projectFile}: missing 'name'`);
  const stackFile = path.join(dir, `Pulumi.${env}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new MockCloudError(
      `missing ${stackFile}: project '${project.name}' has no config for environment '${env}'`,
    );
  }
  const stackYaml = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, unknown> = projectDefaults(project.name, project.config);
  for (const [key, value] of Object.entries(stackYaml.config ?? {})) {
    const full = key.includes(':') ? key : `${project.name}:${key}`;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'secure' in value) {
      throw new MockCloudError(
        `${stackFile}: config '${key}' is a secret; the offline run cannot decrypt secrets`,
      );
    }
    config[full] = value;
  }
  const main = project.main ? path.resolve(dir, project.main) : path.join(dir, 'index.ts');
  const programPath =
    fs.existsSync(main) && fs.statSync(main).isDirectory() ? path.join(main, 'index.ts') : main;
  return { project: project.name, stack: env, programPath, config, projectDir: dir };
}

/** The stacks of environment `env`: tgw, inspection, then the spokes in name order. */
export function loadEnvironment(repoRoot: string, env: string): StackSpec[] {
  return projectDirs(repoRoot).map((dir) => loadStack(dir, env));
}

// ---- running ----------------------------------------------------------------------------

/** The CLI hands every config value to the program as a string; structured values as JSON. */
export function configStrings(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

interface RuntimeSettings {
  waitForRPCs(): Promise<void>;
  getMonitor(): unknown;
}

/**
 * Every registration takes an RPC keep-alive before it awaits its inputs and releases it when the
 * monitor (our mocks) answered; `waitForRPCs` (what `disconnect` awaits at the end of a real run)
 * resolves when none is left. It is internal to @pulumi/pulumi, hence the typed require.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require('@pulumi/pulumi/runtime/settings') as RuntimeSettings;

interface RuntimeState {
  getStore(): { leakCandidates: Set<unknown> };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeState = require('@pulumi/pulumi/runtime/state') as RuntimeState;

async function resolveOutputs(value: unknown): Promise<Record<string, unknown>> {
  if (value === undefined || value === null) return {};
  const out = pulumi.output(value as Record<string, unknown>) as unknown as { promise(): Promise<unknown> };
  const resolved = await out.promise();
  return (resolved ?? {}) as Record<string, unknown>;
}

function ensureTypeScriptLoader(programPath: string): void {
  if (!programPath.endsWith('.ts') || require.extensions['.ts']) return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('tsx/cjs');
  } catch {
    throw new MockCloudError(
      `cannot load ${programPath}: no TypeScript loader registered (run under tsx or ts-jest)`,
    );
  }
}

/** Loads a program module and returns its entry point. */
export function loadProgram(programPath: string): StackProgram {
  ensureTypeScriptLoader(programPath);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(programPath) as unknown;
  if (typeof mod === 'function') return mod as StackProgram;
  const def = (mod as { default?: unknown } | null)?.default;
  if (typeof def === 'function') return def as StackProgram;
  return () => mod;
}

/**
 * Runs one program as stack `project/stack` under `cloud` and returns its resolved outputs.
 * Fails, naming the project, if the program throws or any registration / invoke failed (even one
 * whose result the program never awaited, e.g. a route nothing depends on).
 */
export async function runProgram(
  cloud: MockCloud,
  spec: Pick<StackSpec, 'project' | 'stack' | 'config'>,
  program: StackProgram,
): Promise<Record<string, unknown>> {
  const { project, stack } = spec;
  pulumi.runtime.setAllConfig(configStrings(spec.config));
  // Failed registrations are held (never settle) so Pulumi leaves no unobserved rejections
  // behind; the failure listener ends the run instead.
  await pulumi.runtime.setMocks(
    cloud.mocks({ failureMode: 'hold' }),
    project,
    stack,
    false,
    DIY_ORGANIZATION,
  );
  cloud.observe(settings.getMonitor() as ObservableMonitor, project, stack);
  const before = cloud.failures.length;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  let stopListening: () => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    stopListening = cloud.onFailure((f) => {
      if (f.project === project && f.stack === stack) reject(new MockCloudError(f.message));
    });
  });
  failed.catch(() => undefined);
  let outputs: Record<string, unknown> | undefined;
  let programError: unknown;
  try {
    outputs = await Promise.race([
      (async () => {
        const result = await resolveOutputs(await program());
        await settings.waitForRPCs();
        return result;
      })(),
      failed,
    ]);
  } catch (err) {
    programError = err;
  } finally {
    stopListening();
  }
  // Rejections nobody observed (a throwing apply feeding a resource input) are reported only
  // after the microtask queue drains: give them a turn while the listener is still installed.
  // After a failure, also let independent registrations still in flight report theirs.
  await new Promise((resolve) =>
    programError === undefined ? setImmediate(resolve) : setTimeout(resolve, 5),
  );
  process.off('unhandledRejection', onUnhandled);
  const failures = cloud.failures
    .slice(before)
    .map((f) => `${f.type}${f.name ? ` '${f.name}'` : ''}: ${f.message}`);
  const messages = [...new Set(failures)];
  if (messages.length === 0 && programError !== undefined) {
    messages.push(programError instanceof Error ? programError.message : String(programError));
  }
  if (messages.length === 0 && unhandled.length > 0) {
    messages.push(...new Set(unhandled.map((u) => (u instanceof Error ? u.message : String(u)))));
  }
  if (messages.length > 0) {
    // The held registrations are abandoned on purpose; Pulumi's exit hook would report them as
    // leaked promises and turn a handled failure into exit code 1.
    runtimeState.getStore().leakCandidates.clear();
    throw new MockCloudError(
      `stack ${project}/${stack} failed under the mock cloud:\n - ${messages.join('\n - ')}`,
    );
  }
  return outputs ?? {};
}

/** Runs `specs` in order under one account and converts the result to a snapshot. */
export async function runStacks(specs: StackSpec[], options: RunStacksOptions = {}): Promise<MockCloudRun> {
  const firstRegion = specs
    .map((s) => s.config['aws:region'])
    .find((r): r is string => typeof r === 'string');
  const cloud = options.cloud ?? new MockCloud({ region: options.region ?? firstRegion ?? 'us-east-1' });
  const outputs: Record<string, Record<string, unknown>> = {};
  const total = specs.length;
  const stackTraceLimit = Error.stackTraceLimit;
  if (!options.stackTraces) Error.stackTraceLimit = 0;
  try {
    for (const [index, spec] of specs.entries()) {
      await runOne(cloud, spec, index, total, outputs, options);
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return {
    snapshot: cloud.toSnapshot(),
    outputs,
    resources: cloud.resources,
    registrations: cloud.registrations,
  };
}

/** Runs one stack and records its outputs; progress events around it. */
async function runOne(
  cloud: MockCloud,
  spec: StackSpec,
  index: number,
  total: number,
  outputs: Record<string, Record<string, unknown>>,
  options: RunStacksOptions,
): Promise<void> {
  const base = { project: spec.project, stack: spec.stack, index, total };
  options.onProgress?.({ kind: 'stack-start', ...base });
  const started = Date.now();
  const resourcesBefore = cloud.resources.length;
  try {
    const result = await runProgram(cloud, spec, loadProgram(spec.programPath));
    cloud.setStackOutputs(spec.project, spec.stack, result);
    outputs[spec.project] = result;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    options.onProgress?.({ kind: 'stack-failed', ...base, elapsedMs: Date.now() - started, error });
    throw err instanceof MockCloudError
      ? err
      : new MockCloudError(`stack ${spec.project}/${spec.stack}: ${error}`);
  }
  options.onProgress?.({
    kind: 'stack-done',
    ...base,
    elapsedMs: Date.now() - started,
    resources: cloud.resources.length - resourcesBefore,
  });
}
