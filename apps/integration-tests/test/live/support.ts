/** Shared set-up of the live CLI tests: an in-process CLI, a fixture account and matching stack outputs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreflightDeps } from '@hubspoke/harness/src/live/preflight';
import { Command, CommanderError } from 'commander';
import type { CliIo } from '../../src/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function captureIo(
  cwd = mkdtempSync(join(tmpdir(), 'hubspoke-live-cli-')),
): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, columns: 140 };
}

/** Runs one registered command in a bare program, the way the hubspoke CLI does (exit override, io). */
export async function runCommand(
  register: (program: Command, io: CliIo, setExit: (code: number) => void) => void,
  argv: string[],
  io = captureIo(),
): Promise<CliRun> {
  let code = 0;
  const program = new Command('hubspoke').exitOverride();
  register(program, io, (c) => (code = c));
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

export { outputsFromSnapshot } from '@hubspoke/harness/src/live/testing/outputs';

/** Snapshot of process.env; `restore()` puts every variable back (the SDK reads process.env directly). */
export function envSnapshot(): { restore(): void } {
  const saved = { ...process.env };
  return {
    restore() {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    },
  };
}

/**
 * Prerequisites of a live command, all present: credentials, us-east-1, a Pulumi CLI, the passphrase
 * of the file backend. `overrides` takes one away.
 */
export const readyPreflight = (overrides: Partial<PreflightDeps> = {}): PreflightDeps => ({
  credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE' }),
  region: async () => 'us-east-1',
  pulumiVersion: async () => 'v3.276.0',
  vars: { PULUMI_CONFIG_PASSPHRASE: '' },
  ...overrides,
});
