import type { Command } from 'commander';

/** Registers `hubspoke sweep` (destroy expired ephemeral envs). Placeholder until the live path lands. */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('destroy expired ephemeral environments (not yet available)')
    .action(() => {
      throw new Error('hubspoke sweep is not implemented yet');
    });
}
