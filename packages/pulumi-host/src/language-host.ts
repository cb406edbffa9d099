/**
 * Starts a program the way `pulumi-language-nodejs` does (its `constructArguments`,
 * `constructConfig` and `execRuntime`): `node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor A
 * --engine A --organization O --project P --root-directory D --stack S --pwd W [--dry-run]
 * --parallel N <entry>`, resolving `cmd/run` from the program directory, with the caller's
 * environment plus PULUMI_CONFIG (keys as `<namespace>:config:<name>`, values strings),
 * PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT and PULUMI_NODEJS_TSCONFIG_PATH. Stopping
 * sends SIGINT and kills after a grace period, as the CLI cancels a program.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PulumiHostError } from './errors';
import type { StackIdentity } from './monitor';
import type { ProjectRuntime } from './project';

/** The CLI's "unbounded" `--parallel` (math.MaxInt32). */
export const UNBOUNDED_PARALLEL = 2147483647;
/** Exit code of a program that already logged its error through the engine (`cmd/run/index.js`). */
export const EXIT_AFTER_LOGGED_ERROR = 32;
/** How long a stopped program gets between SIGINT and SIGKILL (the CLI's WaitDelay). */
export const STOP_GRACE_MS = 5000;

export interface LaunchRequest {
  runtime: ProjectRuntime;
  identity: StackIdentity;
  /** `ns:key` -> string value. */
  config: Record<string, string>;
  secretKeys: string[];
  dryRun: boolean;
  /** `host:port` of the monitor and engine services. */
  address: string;
  parallel?: number;
}

export interface Launch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** `@pulumi/pulumi/cmd/run` as Node resolves it from the program directory. */
export function locateRunModule(programDir: string): string {
  try {
    return require.resolve('@pulumi/pulumi/cmd/run', { paths: [programDir] });
  } catch {
    throw new PulumiHostError(
      `cannot resolve @pulumi/pulumi/cmd/run from ${programDir}: it looks like the Pulumi SDK has not been installed (run npm ci)`,
    );
  }
}

/** `aws:region` -> `aws:config:region`, as the language host still hands config to the SDK. */
function legacyConfigKey(key: string): string {
  const i = key.indexOf(':');
  if (i <= 0) throw new PulumiHostError(`config key "${key}" has no namespace (expected <namespace>:<name>)`);
  return `${key.slice(0, i)}:config:${key.slice(i + 1)}`;
}

/** Variables this launcher (or `cmd/run` itself) sets: never inherited from the caller. */
const OWN_VARIABLES =
  /^PULUMI_(CONFIG|CONFIG_SECRET_KEYS|NODEJS_(TYPESCRIPT|TSCONFIG_PATH|ORGANIZATION|PROJECT|ROOT_DIRECTORY|STACK|DRY_RUN|PARALLEL|MONITOR|ENGINE|SYNC))$/;

export function languageHostCommand(req: LaunchRequest): Launch {
  const { runtime, identity } = req;
  const args = [
    ...runtime.nodeargs,
    locateRunModule(runtime.programDir),
    '--monitor',
    req.address,
    '--engine',
    req.address,
    '--organization',
    identity.organization,
    '--project',
    identity.project,
    '--root-directory',
    runtime.projectDir,
    '--stack',
    identity.stack,
    '--pwd',
    runtime.programDir,
    ...(req.dryRun ? ['--dry-run'] : []),
    '--parallel',
    String(req.parallel ?? UNBOUNDED_PARALLEL),
    runtime.entryPoint,
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!OWN_VARIABLES.test(k)) env[k] = v;
  env.PULUMI_CONFIG = JSON.stringify(
    Object.fromEntries(Object.entries(req.config).map(([k, v]) => [legacyConfigKey(k), v])),
  );
  env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(req.secretKeys);
  if (runtime.typescript) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (runtime.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = runtime.tsconfig;
  return { command: process.execPath, args, env };
}

export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running program process; its output is kept for the failure message. */
export class ProgramProcess {
  readonly exited: Promise<ProgramExit>;
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private outputBytes = 0;
  private stopping: Promise<void> | undefined;

  constructor(launch: Launch, onOutput?: (text: string) => void) {
    this.child = spawn(launch.command, launch.args, { env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      onOutput?.(text);
      this.output.push(text);
      this.outputBytes += text.length;
      // Only the tail matters for a message; a chatty program must not grow memory without bound.
      while (this.outputBytes > 64 * 1024 && this.output.length > 1)
        this.outputBytes -= this.output.shift()!.length;
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.output.push(`cannot start ${launch.command}: ${err.message}\n`);
        resolve({ code: null, signal: null });
      });
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the program printed (stdout and stderr). */
  tail(lines = 20): string {
    return this.output.join('').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGINT, then SIGKILL after the grace period; resolves when the process is gone. */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    this.stopping ??= (async () => {
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    })();
    return this.stopping;
  }
}
