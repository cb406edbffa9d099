/**
 * Starts a Node.js policy pack the way the Pulumi CLI does: the CLI's `pulumi-analyzer-policy`
 * plugin resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory and runs it with
 * node, with the pack directory as working directory and the arguments `<engine address> .`
 * (pulumi/pulumi `NewPolicyAnalyzer`, sdk/go/common/resource/plugin/analyzer_plugin.go). That
 * entry compiles the pack with ts-node (type-checked, with the pack's tsconfig.json), constructs
 * the PolicyPack, which serves the Analyzer gRPC service on 127.0.0.1 and prints the port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class PolicyPackError extends Error {
  override name = 'PolicyPackError';
}

export interface PackProcess {
  /** `127.0.0.1:<port>` the pack serves on. */
  address: string;
  /** The pack's process id (the benchmark reads its CPU time). */
  pid: number | undefined;
  /** What the pack wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Passed as the engine address. Node.js packs drop it (run-policy-pack shifts it off before
   * loading the pack), so the default is a placeholder, not an engine.
   */
  engineAddress?: string;
  /** Extra environment (the CLI sets PULUMI_CONFIG, PULUMI_PROJECT, ...; the pack reads none). */
  env?: NodeJS.ProcessEnv;
  /** Give up when no port was printed after this long. Default 120 s (a cold ts-node compile). */
  timeoutMs?: number;
}

function runPolicyPackEntry(packDir: string): string {
  try {
    return require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [packDir] });
  } catch {
    throw new PolicyPackError(
      `cannot start the policy pack in ${packDir}: @pulumi/pulumi/cmd/run-policy-pack is not installed there (run npm ci)`,
    );
  }
}

export function startPolicyPack(packDir: string, options: StartOptions = {}): Promise<PackProcess> {
  if (!existsSync(join(packDir, 'PulumiPolicy.yaml'))) {
    return Promise.reject(new PolicyPackError(`${packDir} is not a policy pack: no PulumiPolicy.yaml`));
  }
  const entry = runPolicyPackEntry(packDir);
  const child: ChildProcess = spawn(process.execPath, [entry, options.engineAddress ?? '127.0.0.1:0', '.'], {
    cwd: packDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise<PackProcess>((resolve, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(
        new PolicyPackError(`policy pack ${packDir} ${why}${stderr.trim() ? `:\n${stderr.trim()}` : ''}`),
      );
    };
    const timer = setTimeout(
      () => fail(`printed no port within ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s`),
      options.timeoutMs ?? 120_000,
    );
    child.once('error', (e) => fail(`could not be started (${e.message})`));
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited before serving (${signal ?? `exit code ${code}`})`);
    child.once('exit', onEarlyExit);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n')[0]!.trim();
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      if (!/^\d+$/.test(line)) return fail(`printed ${JSON.stringify(line)} instead of a port`);
      resolve({
        address: `127.0.0.1:${line}`,
        pid: child.pid,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill();
          await exited;
        },
      });
    });
  });
}
