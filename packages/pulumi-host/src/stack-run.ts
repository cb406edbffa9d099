/**
 * Runs one stack program through Pulumi's language host against the engine stand-in, in preview
 * (dry run) or update mode, and collects what the program registered and exported. Whatever
 * happens (success, failure, timeout, abort), the program process is gone and the port closed
 * when this returns.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import {
  configStrings,
  DIY_ORGANIZATION,
  type MockCloud,
  type ResourceRegistration,
  type StackSpec,
} from '@hubspoke/mock-cloud';
import { CallbackClients } from './callbacks';
import { EngineService, type LogEntry } from './engine-service';
import { InterruptedError, StackRunError, type RunMode } from './errors';
import {
  EXIT_AFTER_LOGGED_ERROR,
  UNBOUNDED_PARALLEL,
  languageHostCommand,
  locateRunModule,
  ProgramProcess,
} from './language-host';
import { ResourceMonitor, type RegistrationFailure, type RegistrationObserver } from './monitor';
import { readProjectRuntime } from './project';
import type { RegisteredResource } from './registry';
import { serveEngine } from './server';
import type { WireObject } from './wire';

export interface StackRunOptions {
  cloud: MockCloud;
  mode: RunMode;
  /** `pulumi.getOrganization()`; default `organization`, as on a DIY backend (docs/contracts.md). */
  organization?: string;
  /** Resolves once a referenced stack (`org/project/stack`) can be read from the cloud. */
  awaitStackReference?: (name: string) => Promise<void>;
  observers?: RegistrationObserver[];
  signal?: AbortSignal;
  /** Stops the program and fails the run after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Every chunk the program prints (for `HUBSPOKE_DEBUG`-style tracing). */
  onOutput?: (text: string) => void;
  /** Called with the program's process id once it started (tests check that it is gone afterwards). */
  onStarted?: (info: { pid: number | undefined; address: string }) => void;
}

export interface StackRun {
  project: string;
  stack: string;
  mode: RunMode;
  /** The stack's outputs in wire form (secrets marked; unknowns possible in a preview). */
  outputs: WireObject;
  resources: RegisteredResource[];
  /**
   * What the program registered and read, as the mock cloud records it (registrations.ts): the
   * engine's view a policy pack is handed (awsx's children included in an update).
   */
  registrations: ResourceRegistration[];
  /** Config as the program got it (`ns:key` -> string), as the CLI hands it to a policy pack. */
  config: Record<string, string>;
  logs: LogEntry[];
  warnings: string[];
  elapsedMs: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** The project directory of a spec: where its Pulumi.yaml is (the program's directory if not given). */
export function projectDirOf(spec: StackSpec): string {
  return spec.projectDir ?? dirname(spec.programPath);
}

/** The CLI version the stand-in answers as: that of the SDK the program loads. */
function sdkVersion(programDir: string): string {
  const runModule = locateRunModule(programDir);
  const pkg = join(dirname(dirname(dirname(runModule))), 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

function describeFailure(f: RegistrationFailure): string {
  // Mock-cloud messages already start with the resource type and name.
  return f.message.startsWith(f.type) || !f.type
    ? f.message
    : `${f.type}${f.name ? ` '${f.name}'` : ''}: ${f.message}`;
}

function problemsOf(
  monitor: ResourceMonitor,
  engine: EngineService,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  program: ProgramProcess,
  timedOut: boolean,
): string[] {
  const problems = monitor.failures.map(describeFailure);
  const errors = engine.logs
    .filter((l) => l.severity === 'error')
    // The SDK formats stack traces with util.inspect, which may colour them.
    .map((l) => stripVTControlCharacters(l.message).trim())
    // The program's echo of a failed registration repeats the failure already listed.
    .filter((m) => !monitor.failures.some((f) => m.includes(f.message)));
  problems.push(...new Set(errors));
  if (timedOut) problems.push('the program did not finish in time and was stopped');
  else if (exit.code !== 0 && exit.code !== EXIT_AFTER_LOGGED_ERROR && problems.length === 0) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = stripVTControlCharacters(program.tail());
    problems.push(`the program ${how}${tail ? `:\n${tail}` : ''}`);
  } else if (exit.code === 0 && problems.length === 0 && monitor.stackOutputs === undefined) {
    problems.push('the program exited without registering its stack outputs');
  }
  if (exit.code === EXIT_AFTER_LOGGED_ERROR && problems.length === 0) {
    const tail = stripVTControlCharacters(program.tail());
    problems.push(`the program reported an error${tail ? `:\n${tail}` : ''}`);
  }
  return problems;
}

export async function runStack(spec: StackSpec, options: StackRunOptions): Promise<StackRun> {
  const started = performance.now();
  const { project, stack } = spec;
  const dryRun = options.mode === 'preview';
  if (options.signal?.aborted) throw new InterruptedError();
  const runtime = readProjectRuntime(projectDirOf(spec));
  const identity = { organization: options.organization ?? DIY_ORGANIZATION, project, stack };
  const config = configStrings(spec.config);
  const callbacks = new CallbackClients();
  const monitor = new ResourceMonitor({
    identity,
    config,
    secretKeys: [],
    dryRun,
    cloud: options.cloud,
    callbacks,
    ...(options.awaitStackReference ? { awaitStackReference: options.awaitStackReference } : {}),
    ...(options.observers ? { observers: options.observers } : {}),
    parallel: UNBOUNDED_PARALLEL,
  });
  const engine = new EngineService(sdkVersion(runtime.programDir));
  const endpoint = await serveEngine(monitor.service(), engine.service());
  let program: ProgramProcess | undefined;
  let timedOut = false;
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    void program?.stop();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const launch = languageHostCommand({
      runtime,
      identity,
      config,
      secretKeys: [],
      dryRun,
      address: endpoint.address,
    });
    program = new ProgramProcess(launch, options.onOutput);
    options.onStarted?.({ pid: program.pid, address: endpoint.address });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    timer = setTimeout(() => {
      timedOut = true;
      void program?.stop();
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const exit = await program.exited;
    // Ctrl-C in a terminal reaches the program too, maybe before the caller's abort does.
    if (interrupted || (exit.signal === 'SIGINT' && !timedOut)) throw new InterruptedError();
    if (exit.code === 0 && !timedOut) await monitor.afterRun();
    const problems = problemsOf(monitor, engine, exit, program, timedOut);
    if (problems.length > 0) throw new StackRunError(project, stack, options.mode, problems);
    return {
      project,
      stack,
      mode: options.mode,
      outputs: monitor.stackOutputs ?? {},
      resources: monitor.registry.all(),
      registrations: monitor.registrations,
      config,
      logs: engine.logs,
      warnings: [
        ...monitor.warnings,
        ...engine.logs.filter((l) => l.severity === 'warning').map((l) => l.message),
      ],
      elapsedMs: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await program?.stop();
    callbacks.close();
    await endpoint.close();
  }
}
