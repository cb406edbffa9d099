import type { Command } from 'commander';

/** Registers `hubspoke e2e` (live ephemeral environment test). Placeholder until the live path lands. */
export function registerE2eCommand(program: Command): void {
  program
    .command('e2e')
    .description('live: deploy an ephemeral env, check it through SSM, destroy it (not yet available)')
    .action(() => {
      throw new Error('hubspoke e2e is not implemented yet');
    });
}
