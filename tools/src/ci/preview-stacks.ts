/**
 * Runs `pulumi preview --diff --json` for each planned stack, in dependency order, against one
 * environment (the Pulumi stack name), and writes what the PR comment needs.
 *
 *   npx tsx tools/src/ci/preview-stacks.ts --plan plan.json --env prod --out-dir reports/preview
 *
 * Keeps going after a failed stack (each preview reads the deployed upstream outputs, not the
 * previewed ones, so they are independent) and exits 1 at the end if any failed. Every preview runs
 * the policy pack (`--policy-pack`, default packages/policy; docs/policy.md), so a mandatory
 * violation fails the stack's preview.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { spawnRunner, type CommandRunner } from './exec';
import type { StackPlan } from './affected-stacks';
import {
  countsFromDigest,
  parseDiffSummary,
  parsePreviewJson,
  renderSteps,
  type ChangeCounts,
} from './pulumi-preview';

export type PreviewStatus = 'ok' | 'failed' | 'new';

export interface StackPreview {
  stack: string;
  root: string;
  status: PreviewStatus;
  counts?: ChangeCounts;
  /** Human-readable diff (from the JSON steps, or the raw text when JSON was unavailable). */
  diff: string;
  error?: string;
}

export interface PreviewReport {
  env: string;
  layers: string[][];
  stacks: StackPreview[];
}

export interface PreviewOptions {
  env: string;
  run: CommandRunner;
  pulumi?: string;
  /** Where raw `pulumi preview --json` output is kept (artifact for the full diff). */
  rawDir?: string;
  /** Absolute path of the policy pack every preview runs (`--policy-pack`). */
  policyPack?: string;
}

const tail = (text: string, lines = 20): string => text.trim().split('\n').slice(-lines).join('\n');

export async function previewStack(stack: string, root: string, opts: PreviewOptions): Promise<StackPreview> {
  const pulumi = opts.pulumi ?? 'pulumi';
  const select = await opts.run(pulumi, ['stack', 'select', opts.env, '--cwd', root, '--non-interactive']);
  if (select.code !== 0) {
    // A stack added by this PR has no state in the target env yet: everything is a create on merge.
    if (/no stack named/i.test(select.stderr + select.stdout)) {
      return {
        stack,
        root,
        status: 'new',
        diff: `stack ${opts.env} does not exist yet for ${stack}: it is created on merge`,
      };
    }
    return { stack, root, status: 'failed', diff: '', error: tail(select.stderr || select.stdout) };
  }

  const result = await opts.run(
    pulumi,
    [
      'preview',
      '--diff',
      '--json',
      '--non-interactive',
      '--stack',
      opts.env,
      '--cwd',
      root,
      ...(opts.policyPack ? ['--policy-pack', opts.policyPack] : []),
    ],
    {
      echoStderr: true,
    },
  );
  if (opts.rawDir) writeFileSync(join(opts.rawDir, `${stack}.preview.json`), result.stdout);

  let preview: StackPreview;
  try {
    const digest = parsePreviewJson(result.stdout);
    preview = { stack, root, status: 'ok', counts: countsFromDigest(digest), diff: renderSteps(digest) };
    const errors = (digest.diagnostics ?? [])
      .filter((d) => d.severity === 'error')
      .map((d) => d.message.trim());
    if (result.code !== 0)
      preview = {
        ...preview,
        status: 'failed',
        counts: undefined,
        error: errors.join('\n') || tail(result.stderr),
      };
  } catch {
    // Not JSON (e.g. the CLI failed before the engine ran): fall back to the text summary.
    const counts = parseDiffSummary(result.stdout);
    preview = {
      stack,
      root,
      status: result.code === 0 && counts ? 'ok' : 'failed',
      counts,
      diff: result.stdout.trim(),
    };
    if (preview.status === 'failed') preview.error = tail(result.stderr || result.stdout);
  }
  return preview;
}

export async function previewStacks(plan: StackPlan, opts: PreviewOptions): Promise<PreviewReport> {
  const stacks: StackPreview[] = [];
  for (const name of plan.order) {
    const root = plan.roots[name];
    if (!root) throw new Error(`plan has no project root for stack ${name}`);
    stacks.push(await previewStack(name, root, opts));
  }
  return { env: opts.env, layers: plan.layers, stacks };
}

export function readPlan(file: string): StackPlan {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Partial<StackPlan>;
  if (!Array.isArray(plan.layers) || !Array.isArray(plan.order) || typeof plan.roots !== 'object') {
    throw new Error(`${file}: not a stack plan (expected layers, order, roots from affected-stacks --out)`);
  }
  return plan as StackPlan;
}

export async function main(argv = process.argv, run: CommandRunner = spawnRunner): Promise<number> {
  const opts = new Command('preview-stacks')
    .requiredOption('--plan <file>', 'plan written by affected-stacks --out')
    .requiredOption('--env <name>', 'environment = Pulumi stack name')
    .option('--out-dir <dir>', 'where preview.json and raw outputs go', 'reports/preview')
    .option('--pulumi <bin>', 'pulumi executable', 'pulumi')
    .option('--policy-pack <dir>', 'policy pack every preview runs', 'packages/policy')
    .parse(argv)
    .opts<{ plan: string; env: string; outDir: string; pulumi: string; policyPack: string }>();
  // Absolute: pulumi resolves a relative pack path after --cwd has moved it into the project.
  const policyPack = resolve(opts.policyPack);
  if (!existsSync(join(policyPack, 'PulumiPolicy.yaml'))) {
    throw new Error(`--policy-pack ${opts.policyPack}: no PulumiPolicy.yaml in ${policyPack}`);
  }
  mkdirSync(opts.outDir, { recursive: true });
  const report = await previewStacks(readPlan(opts.plan), {
    env: opts.env,
    run,
    pulumi: opts.pulumi,
    rawDir: opts.outDir,
    policyPack,
  });
  writeFileSync(join(opts.outDir, 'preview.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const s of report.stacks)
    process.stderr.write(`${s.stack}: ${s.status}${s.error ? ` - ${s.error.split('\n')[0]}` : ''}\n`);
  return report.stacks.some((s) => s.status === 'failed') ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`preview-stacks: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
