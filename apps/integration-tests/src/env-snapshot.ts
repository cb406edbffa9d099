/**
 * `verify --env <e>` without a snapshot: run the env's real stack programs under the mock cloud
 * and take the snapshot of what they created.
 */
import type { DeclaredSpoke } from '@hubspoke/harness';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { INSPECTION_PROJECT, TGW_PROJECT } from '@hubspoke/network/src/contracts';
import { checkEnvironment } from './repo';

/** What an env's run produced: the snapshot, and the spoke VPCs its stack outputs name. */
export interface EnvSnapshot {
  snapshot: NetworkSnapshot;
  spokes: DeclaredSpoke[];
}

export interface EnvProgress {
  /** 1-based position of the stack in the run. */
  index: number;
  total: number;
  name: string;
  seconds: number;
  failed?: string;
}

export async function snapshotFromMockCloud(
  root: string,
  env: string,
  onProgress: (p: EnvProgress) => void,
): Promise<EnvSnapshot> {
  checkEnvironment(root, env);
  // Loaded on use: it pulls in @pulumi/pulumi, which `--snapshot` runs do not need. `require`, not
  // `import()`: the bin registers tsx's CommonJS hook, which `import()` would bypass.
  type MockCloud = typeof import('@hubspoke/mock-cloud');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadEnvironment, runStacks } = require('@hubspoke/mock-cloud') as MockCloud;
  const specs = loadEnvironment(root, env);
  const { snapshot, outputs } = await runStacks(specs, {
    onProgress: (e) => {
      if (e.kind === 'stack-start') return;
      onProgress({
        index: e.index + 1,
        total: e.total,
        name: e.project,
        seconds: e.elapsedMs / 1000,
        ...(e.kind === 'stack-failed' ? { failed: e.error } : {}),
      });
    },
  });
  return { snapshot, spokes: declaredSpokes(outputs) };
}

/** The `vpcId` output of every spoke project (every project but tgw and inspection). */
export function declaredSpokes(outputs: Record<string, Record<string, unknown>>): DeclaredSpoke[] {
  return Object.entries(outputs)
    .filter(([project]) => project !== TGW_PROJECT && project !== INSPECTION_PROJECT)
    .flatMap(([name, out]) => (typeof out.vpcId === 'string' ? [{ name, vpcId: out.vpcId }] : []));
}

export function formatProgress(p: EnvProgress): string {
  return `[${p.index}/${p.total}] ${p.name} ... ${p.seconds.toFixed(1)}s${p.failed ? ` FAILED: ${p.failed}` : ''}\n`;
}
