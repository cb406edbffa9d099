/**
 * The policy checks of `hubspoke verify` (docs/policy.md): the repository's policy pack, started
 * through the CLI's own policy-pack host, is sent every stack's resources over the Analyzer
 * protocol, and each policy becomes a check `policy:<policy-name>`. The pack compiles (ts-node)
 * while the stacks run, and one pack serves every stack of the run.
 */
import type { CheckResult } from '@hubspoke/harness';
import type { AnalyzedStack, PolicyHost } from '@hubspoke/policy-host';
import type { CliIo } from './io';

type PolicyHostModule = typeof import('@hubspoke/policy-host');

function policyHostModule(): PolicyHostModule {
  // Loaded on use: `--snapshot` and `--from-aws` runs have no programs to put to the pack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@hubspoke/policy-host') as PolicyHostModule;
}

export class PolicyRun {
  private constructor(
    private readonly host: Promise<PolicyHost>,
    private readonly startedAt: number,
  ) {}

  /** Starts the pack of the repository at `root` in the background. */
  static start(root: string): PolicyRun {
    const { PolicyHost, defaultPackDir } = policyHostModule();
    const host = PolicyHost.start(defaultPackDir(root));
    // Observed here so a failed start is reported when the checks ask for it, not as unhandled.
    host.catch(() => undefined);
    return new PolicyRun(host, performance.now());
  }

  /** Analyzes `stacks` and returns one check per enabled policy; stops the pack. */
  async checks(
    stacks: AnalyzedStack[],
    io: CliIo,
    onResult?: (r: CheckResult) => void,
  ): Promise<CheckResult[]> {
    const host = await this.host;
    try {
      const { policyChecks } = policyHostModule();
      io.stderr(
        `policy pack ${host.info.name}@${host.info.version}: ${host.info.policies.length} policies, ready in ${((performance.now() - this.startedAt) / 1000).toFixed(1)}s\n`,
      );
      for (const p of host.info.policies.filter((x) => x.enforcementLevel === 'disabled')) {
        io.stderr(`  policy ${p.name} is disabled by the policy config: not evaluated\n`);
      }
      const t0 = performance.now();
      const analyses = [];
      for (const stack of stacks) analyses.push(await host.analyzeStack(stack));
      const results = policyChecks(host.info, analyses);
      if (results.length === 0) {
        throw new Error(
          `the policy pack ${host.info.name} evaluated no policy: every one is disabled or it has none`,
        );
      }
      for (const r of results) onResult?.(r);
      io.stderr(
        `policies: ${results.length} on ${stacks.length} stacks in ${((performance.now() - t0) / 1000).toFixed(1)}s\n`,
      );
      return results;
    } finally {
      await host.close();
    }
  }

  /** Stops the pack without analyzing (the run failed before the checks). */
  async abort(): Promise<void> {
    try {
      await (await this.host).close();
    } catch {
      // A pack that failed to start has nothing to stop.
    }
  }
}
