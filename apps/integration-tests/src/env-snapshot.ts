/**
 * `verify --env <e>` without a snapshot: run the env's real stack programs under the mock cloud
 * and take the snapshot of what they created. The default runtime loads them in this process;
 * `--runtime pulumi` runs each through Pulumi's language host against the engine stand-in.
 */
import type { DeclaredSpoke } from '@hubspoke/harness';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { INSPECTION_PROJECT, TGW_PROJECT } from '@hubspoke/network/src/contracts';
import type { AnalyzedStack } from '@hubspoke/policy-host';
import { checkEnvironment } from './repo';

/** What an env's run produced: the snapshot, and the spoke VPCs its stack outputs name. */
export interface EnvSnapshot {
  snapshot: NetworkSnapshot;
  spokes: DeclaredSpoke[];
  /** Each stack as the engine would hand it to a policy pack (from the registrations). */
  stacks?: AnalyzedStack[];
}

/** How the stack programs run (docs/verify.md "Runtimes"). */
export const RUNTIMES = ['in-process', 'pulumi'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface EnvProgress {
  /** 1-based position of the stack in the run. */
  index: number;
  total: number;
  name: string;
  seconds: number;
  failed?: string;
  /** Set by the pulumi runtime, which runs both. */
  mode?: 'preview' | 'update';
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
  type PolicyHost = typeof import('@hubspoke/policy-host');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const mockCloud = require('@hubspoke/mock-cloud') as MockCloud;
  const { stacksFromRegistrations } = require('@hubspoke/policy-host') as PolicyHost;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { configStrings, DIY_ORGANIZATION, loadEnvironment, runStacks } = mockCloud;
  const specs = loadEnvironment(root, env);
  const { snapshot, outputs, registrations } = await runStacks(specs, {
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
  const stacks = stacksFromRegistrations(registrations, {
    organization: DIY_ORGANIZATION,
    outputs,
    config: Object.fromEntries(specs.map((s) => [s.project, configStrings(s.config)])),
  });
  return { snapshot, spokes: declaredSpokes(outputs), stacks };
}

/** The `vpcId` output of every spoke project (every project but tgw and inspection). */
export function declaredSpokes(outputs: Record<string, Record<string, unknown>>): DeclaredSpoke[] {
  return Object.entries(outputs)
    .filter(([project]) => project !== TGW_PROJECT && project !== INSPECTION_PROJECT)
    .flatMap(([name, out]) => (typeof out.vpcId === 'string' ? [{ name, vpcId: out.vpcId }] : []));
}

export interface PulumiRunOptions {
  /** Also run every stack as `pulumi preview` on an empty stack. */
  preview?: boolean;
  /** Stops the programs (Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * The same snapshot, with every program run through `@pulumi/pulumi`'s language-host entry in a
 * process of its own: stacks in dependency order, the spokes side by side.
 */
export async function snapshotFromPulumiHost(
  root: string,
  env: string,
  onProgress: (p: EnvProgress) => void,
  options: PulumiRunOptions = {},
): Promise<EnvSnapshot> {
  checkEnvironment(root, env);
  // Loaded on use, like the mock cloud (see snapshotFromMockCloud).
  type MockCloud = typeof import('@hubspoke/mock-cloud');
  type PulumiHost = typeof import('@hubspoke/pulumi-host');
  type PolicyHost = typeof import('@hubspoke/policy-host');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { DIY_ORGANIZATION, loadEnvironment } = require('@hubspoke/mock-cloud') as MockCloud;
  const { runEnvironment } = require('@hubspoke/pulumi-host') as PulumiHost;
  const { stackFromRegistrations } = require('@hubspoke/policy-host') as PolicyHost;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const specs = loadEnvironment(root, env);
  let finished = 0;
  const { snapshot, outputs, runs } = await runEnvironment(specs, {
    ...(options.preview ? { preview: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (e) => {
      if (e.kind === 'stack-start') return;
      onProgress({
        index: ++finished,
        total: e.total,
        name: e.project,
        mode: e.mode,
        seconds: e.elapsedMs / 1000,
        ...(e.kind === 'stack-failed' ? { failed: e.error } : {}),
      });
    },
  });
  // Each run is what one `pulumi up` (then `pulumi preview`) would hand the pack: updates first,
  // then previews, each in the order of the environment's stacks.
  // A preview's checked inputs get `tagsAll` for the types the account tags (see stackFromRegistrations).
  const taggableTypes = new Set(
    runs.flatMap((r) => r.registrations.filter((x) => x.outputs.tagsAll !== undefined).map((x) => x.type)),
  );
  const position = (r: (typeof runs)[number]) =>
    (r.mode === 'update' ? 0 : specs.length) + specs.findIndex((s) => s.project === r.project);
  const stacks = [...runs]
    .sort((a, b) => position(a) - position(b))
    .filter((r) => r.registrations.length > 0)
    .map((r) =>
      stackFromRegistrations(r.registrations, {
        organization: DIY_ORGANIZATION,
        outputs: { [r.project]: r.mode === 'update' ? (outputs[r.project] ?? {}) : r.outputs },
        config: { [r.project]: r.config },
        ...(r.mode === 'preview' ? { preview: true, taggableTypes } : {}),
      }),
    );
  return { snapshot, spokes: declaredSpokes(outputs), stacks };
}

export function formatProgress(p: EnvProgress): string {
  const name = p.mode ? `${p.name} (${p.mode})` : p.name;
  return `[${p.index}/${p.total}] ${name} ... ${p.seconds.toFixed(1)}s${p.failed ? ` FAILED: ${p.failed}` : ''}\n`;
}
