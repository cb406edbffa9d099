/**
 * The `hubspoke` CLI. `main(argv, io)` runs in-process (tests) and returns the exit code:
 * 0 success, 1 a check failed / a path is dropped, 2 bad input (the message names what is wrong),
 * 130 interrupted (Ctrl-C) after the stack programs were stopped.
 */
import { Command, CommanderError } from 'commander';
import { registerVerifyCommand, type VerifyDeps } from './commands/verify';
import { registerTraceCommand } from './commands/trace';
import { registerE2eCommand } from './commands/e2e';
import { registerSweepCommand } from './commands/sweep';
import { InputError } from './errors';
import { processIo, type CliIo } from './io';

/** Bad-input errors of the harness, matched by name so the CLI need not load the harness up front. */
const BAD_INPUT_ERRORS = new Set([
  'ChecksFileError',
  'UnknownProbeError',
  'InputError',
  'MockCloudError',
  'SnapshotError',
  'PulumiHostError',
  'StackRunError',
  'PolicyPackError',
  'PolicyConfigError',
]);

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C / SIGTERM (128 + SIGINT), after the stack programs were stopped. */
export const EXIT_INTERRUPTED = 130;

export function buildProgram(io: CliIo, setExit: (code: number) => void, deps: VerifyDeps = {}): Command {
  const program = new Command('hubspoke')
    .description('hub-and-spoke AWS network: verify offline, trace flows, run live integration tests')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');
  registerVerifyCommand(program, io, setExit, deps);
  registerTraceCommand(program, io, setExit, deps);
  // The live commands report their exit code through setExit too, so main() returns it (the bin
  // sets process.exitCode from main's result, which would otherwise overwrite theirs).
  registerE2eCommand(program, io, setExit);
  registerSweepCommand(program, io, setExit);
  // Subcommands inherit the root's output and exit handling (commander copies settings at creation only).
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

export async function main(argv: string[], io: CliIo = processIo(), deps: VerifyDeps = {}): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c), deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit "successfully" through the override.
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version')
        return EXIT_OK;
      return EXIT_BAD_INPUT;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    if (err.name === 'InterruptedError') {
      io.stderr('interrupted: the stack programs were stopped\n');
      return EXIT_INTERRUPTED;
    }
    if (err instanceof InputError || BAD_INPUT_ERRORS.has(err.name)) {
      io.stderr(`error: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    // Anything else (a stack program rejecting its config, a model error) is still not a check
    // verdict; report it as unusable input rather than a pass or a fail. HUBSPOKE_DEBUG=1 shows where.
    io.stderr(`error: ${err.message}\n${process.env.HUBSPOKE_DEBUG ? `${err.stack}\n` : ''}`);
    return EXIT_BAD_INPUT;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
