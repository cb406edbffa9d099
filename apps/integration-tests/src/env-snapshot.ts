/**
 * `verify --env <e>` without a snapshot: run the env's real stack programs under the mock cloud
 * and take the snapshot of what they created.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { checkEnvironment } from './repo';

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
): Promise<NetworkSnapshot> {
  checkEnvironment(root, env);
  // Loaded on use: it pulls in @pulumi/pulumi, which `--snapshot` runs do not need. `require`, not
  // `import()`: the bin registers tsx's CommonJS hook, which `import()` would bypass.
  type MockCloud = typeof import('@hubspoke/mock-cloud');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadEnvironment, runStacks } = require('@hubspoke/mock-cloud') as MockCloud;
  const specs = loadEnvironment(root, env);
  const { snapshot } = await runStacks(specs, {
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
  return snapshot;
}

export function formatProgress(p: EnvProgress): string {
  return `[${p.index}/${p.total}] ${p.name} ... ${p.seconds.toFixed(1)}s${p.failed ? ` FAILED: ${p.failed}` : ''}\n`;
}
