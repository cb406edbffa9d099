/**
 * `hubspoke trace`: options and registration; the trace itself is in trace-run.ts.
 */
import type { Command } from 'commander';
import type { CliIo } from '../io';
import { DEFAULT_ENV, type VerifyDeps } from './verify';

export { DEFAULT_ENV, type VerifyDeps };

export interface TraceOptions {
  from: string;
  to: string;
  sni?: string;
  protocol?: string;
  env?: string;
  snapshot?: string;
  checks?: string;
}

export const PROTOCOLS = ['tls', 'http', 'tcp', 'udp'] as const;

export function registerTraceCommand(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  deps: VerifyDeps = {},
): void {
  program
    .command('trace')
    .description(
      'trace one flow hop by hop: every possible path, its verdict, and the route or rule that decided it',
    )
    .requiredOption('--from <instance-id|ip>', 'source: an instance id (i-...) or a private IP in a subnet')
    .requiredOption(
      '--to <host|ip>:<port>',
      'destination; host names resolve through the hosts table (no DNS)',
    )
    .option('--sni <name>', 'TLS SNI to present (default: the host of --to)')
    .option(
      '--protocol <tls|http|tcp|udp>',
      'what the client speaks (default: tls for 443, http for 80, else tcp)',
    )
    .option('--env <name>', `environment to run under the mock cloud (default: ${DEFAULT_ENV})`)
    .option('--snapshot <file.json>', 'trace in this snapshot file instead')
    .option('--checks <file>', 'checks file whose hosts table resolves --to')
    .addHelpText(
      'after',
      '\nExit codes: 0 every path gets its reply, 1 some path is dropped, 2 bad input, 3 some path meets\nsomething the model does not model (verdict UNKNOWN, naming it).',
    )
    .action(async (options: TraceOptions) => {
      // Loaded on use, through require for the same reason as in verify.ts.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { trace } = require('./trace-run') as typeof import('./trace-run');
      setExit(await trace(options, io, deps));
    });
}
