/**
 * The single PR comment of pr-preview.yml: per-stack change counts, the preview diffs (trimmed to
 * GitHub's comment limit), the offline verify results and the network diagram. Upserted by a
 * hidden marker so every push updates the same comment.
 *
 *   GITHUB_TOKEN=... npx tsx tools/src/ci/pr-comment.ts --repo owner/name --pr 12 --env prod \
 *     --preview reports/preview/preview.json --verify-dir reports/verify [--sha <sha>] [--run-url <url>]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { ACTIONS_BOT, GitHubClient, upsertComment, type FetchLike, type UpsertResult } from './github';
import { cell, fence, table } from './markdown';
import type { PreviewReport, StackPreview } from './preview-stacks';
import { totalChanges, type ChangeCounts } from './pulumi-preview';
import { checksHeadline, checksTable } from './step-summary';
import { readVerifyDir, type VerifyDir } from './verify-report';

export const MARKER = '<!-- hubspoke:pr-preview -->';
/** GitHub rejects issue comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

export interface CommentInput {
  env: string;
  /** Absent when the preview did not run (e.g. a fork PR or a failed job before it). */
  preview?: PreviewReport;
  /** Why there is no preview, shown instead of the table. */
  previewNote?: string;
  verify?: VerifyDir;
  sha?: string;
  runUrl?: string;
  /** Artifact holding the untrimmed output, named in trim notes. */
  artifactName?: string;
}

export interface TrimNote {
  section: string;
  detail: string;
}

export interface RenderedComment {
  body: string;
  trimmed: TrimNote[];
}

const STATUS: Record<StackPreview['status'], string> = { ok: '✅', failed: '❌ failed', new: '🆕 new stack' };

const countCell = (counts: ChangeCounts | undefined, key: keyof ChangeCounts) =>
  counts ? String(counts[key]) : '–';

export function countsLabel(c: ChangeCounts | undefined): string {
  return c ? `+${c.create} ~${c.update} -${c.delete} ±${c.replace}` : 'no counts';
}

function previewSection(input: CommentInput): string {
  const report = input.preview;
  if (!report)
    return `### Pulumi preview\n\n${input.previewNote ?? 'The preview did not run; see the workflow run.'}`;
  if (report.stacks.length === 0)
    return '### Pulumi preview\n\nNo stack is affected by this change: nothing to preview.';
  // Step = 1-based position of the stack's layer: stacks of one step are independent of each other.
  const stepOf = new Map(report.layers.flatMap((layer, i) => layer.map((s) => [s, String(i + 1)] as const)));
  const order = report.layers.map((l) => l.map((s) => `\`${s}\``).join(', ')).join(' → ');
  const rows = report.stacks.map((s) => [
    `\`${s.stack}\``,
    stepOf.get(s.stack) ?? '?',
    STATUS[s.status],
    countCell(s.counts, 'create'),
    countCell(s.counts, 'update'),
    countCell(s.counts, 'delete'),
    countCell(s.counts, 'replace'),
    countCell(s.counts, 'same'),
  ]);
  const failures = report.stacks
    .filter((s) => s.status === 'failed')
    .map((s) => `> ❌ \`${s.stack}\`: ${cell(s.error ?? 'preview failed', 500)}`);
  const total = report.stacks.reduce((n, s) => n + (s.counts ? totalChanges(s.counts) : 0), 0);
  return [
    `### Pulumi preview — ${report.stacks.length} stack(s), ${total} change(s)`,
    `**Previewed in dependency order:** ${order}`,
    table(['Stack', 'Step', 'Result', '+ create', '~ update', '- delete', '± replace', 'unchanged'], rows),
    ...failures,
  ].join('\n\n');
}

function verifySection(verify: VerifyDir | undefined, failuresOnly: boolean): string {
  if (!verify) return '### Offline verify\n\nThe offline verify did not run; see the workflow run.';
  const parts = [`### Offline verify${verify.results ? ` — ${checksHeadline(verify.results)}` : ''}`];
  for (const p of verify.problems) parts.push(`> ⚠️ ${p}`);
  if (verify.results && verify.results.checks.length > 0) {
    const shown = failuresOnly
      ? { checks: verify.results.checks.filter((c) => c.status !== 'pass') }
      : verify.results;
    if (shown.checks.length > 0) {
      const failed = verify.results.checks.some((c) => c.status === 'fail' || c.status === 'unknown');
      parts.push(
        `<details${failed ? ' open' : ''}><summary>Checks</summary>\n\n${checksTable(shown)}\n\n</details>`,
      );
    }
  }
  return parts.join('\n\n');
}

/** Keeps whole lines of `text` within `budget` characters, ending with a note of what was cut. */
export function trimLines(text: string, budget: number): { text: string; cut: number; total: number } {
  const lines = text.split('\n');
  if (text.length <= budget) return { text, cut: 0, total: lines.length };
  const note = (n: number) => `… ${n} more line(s) trimmed`;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = line.length + 1;
    if (used + cost + note(lines.length).length > budget) break;
    kept.push(line);
    used += cost;
  }
  const cut = lines.length - kept.length;
  // Below the size of the note itself, keep what fits of it: the limit is never exceeded.
  return { text: [...kept, note(cut)].join('\n').slice(0, Math.max(0, budget)), cut, total: lines.length };
}

/**
 * Splits `budget` characters between texts: short ones whole, the rest an equal share of what
 * remains (water-filling), so one huge diff cannot crowd out every other stack.
 */
export function shareBudget(lengths: readonly number[], budget: number): number[] {
  const order = lengths.map((len, i) => ({ len, i })).sort((a, b) => a.len - b.len);
  const out = new Array<number>(lengths.length).fill(0);
  let remaining = Math.max(0, budget);
  order.forEach(({ len, i }, k) => {
    const share = Math.floor(remaining / (order.length - k));
    out[i] = Math.min(len, share);
    remaining -= out[i];
  });
  return out;
}

function diffSection(stacks: StackPreview[], bodies: string[]): string {
  if (stacks.length === 0) return '';
  const blocks = stacks.map((s, i) => {
    const body = s.diff.trim() === '' ? '(no changes)' : bodies[i] === '' ? '… diff omitted' : bodies[i];
    return `<details><summary><code>${s.stack}</code> ${countsLabel(s.counts)}</summary>\n\n${fence(body, 'diff')}\n\n</details>`;
  });
  return `### Diffs\n\n${blocks.join('\n\n')}`;
}

interface Degrade {
  diagram: boolean;
  failuresOnly: boolean;
}

function assemble(input: CommentInput, bodies: string[], notes: TrimNote[], degrade: Degrade): string {
  const header = [
    MARKER,
    `## hubspoke · \`${input.env}\``,
    [
      input.sha ? `commit \`${input.sha.slice(0, 7)}\`` : '',
      input.runUrl ? `[workflow run](${input.runUrl})` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  ].filter(Boolean);
  const noteBlock =
    notes.length > 0
      ? [
          `> ✂️ Trimmed to fit GitHub's ${COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit` +
            `${input.artifactName ? ` (full output: workflow artifact \`${input.artifactName}\`)` : ''}:`,
          ...notes.map((n) => `> - ${n.section}: ${n.detail}`),
        ].join('\n')
      : '';
  return [
    header.join('\n'),
    previewSection(input),
    noteBlock,
    verifySection(input.verify, degrade.failuresOnly),
    degrade.diagram && input.verify?.mermaid ? `### Network\n\n${input.verify.mermaid}` : '',
    diffSection(input.preview?.stacks ?? [], bodies),
  ]
    .filter(Boolean)
    .join('\n\n')
    .concat('\n');
}

/** Renders the comment, trimming diffs first, then the diagram and passing checks, to fit `limit`. */
export function renderComment(input: CommentInput, limit = COMMENT_LIMIT): RenderedComment {
  const stacks = input.preview?.stacks ?? [];
  const diffs = stacks.map((s) => s.diff);
  const steps: Degrade[] = [
    { diagram: true, failuresOnly: false },
    { diagram: false, failuresOnly: false },
    { diagram: false, failuresOnly: true },
  ];
  for (const degrade of steps) {
    const extraNotes: TrimNote[] = [];
    if (!degrade.diagram && input.verify?.mermaid)
      extraNotes.push({ section: 'network diagram', detail: 'omitted' });
    if (degrade.failuresOnly && input.verify?.results)
      extraNotes.push({ section: 'offline verify', detail: 'passing checks omitted' });

    const full = assemble(input, diffs, extraNotes, degrade);
    if (full.length <= limit) return { body: full, trimmed: extraNotes };

    // Budget for the diff bodies = limit minus everything else; trim notes are paid for by retrying.
    let budget = limit - (full.length - diffs.reduce((n, d) => n + d.length, 0));
    for (let attempt = 0; attempt < 4 && budget > 0; attempt++) {
      const shares = shareBudget(
        diffs.map((d) => d.length),
        budget,
      );
      const trimmed = diffs.map((d, i) => trimLines(d, shares[i]));
      const notes = [
        ...stacks.flatMap((s, i) =>
          trimmed[i].cut > 0
            ? [
                {
                  section: `diff of \`${s.stack}\``,
                  detail: `${trimmed[i].total - trimmed[i].cut} of ${trimmed[i].total} lines shown`,
                },
              ]
            : [],
        ),
        ...extraNotes,
      ];
      const body = assemble(
        input,
        trimmed.map((t) => t.text),
        notes,
        degrade,
      );
      if (body.length <= limit) return { body, trimmed: notes };
      budget -= body.length - limit; // the notes cost more than reserved: shrink and retry
    }
  }
  // Last resort (a verify section alone over the limit): hard cut, keeping the marker.
  const suffix = `\n\n> ✂️ Comment cut at ${limit.toLocaleString('en-US')} characters; see the workflow run.\n`;
  const body = assemble(
    input,
    diffs.map(() => ''),
    [],
    steps[steps.length - 1],
  );
  return {
    body: body.slice(0, limit - suffix.length) + suffix,
    trimmed: [{ section: 'comment', detail: 'cut at the limit' }],
  };
}

export interface PublishOptions {
  repo: string;
  pr: number;
  token: string;
  apiUrl?: string;
  fetch?: FetchLike;
  /** The user the token writes as: only its marked comment is ever edited. */
  botLogin?: string;
}

export async function publishComment(
  input: CommentInput,
  opts: PublishOptions,
): Promise<UpsertResult & RenderedComment> {
  const rendered = renderComment(input);
  const client = new GitHubClient({ token: opts.token, apiUrl: opts.apiUrl, fetch: opts.fetch });
  const result = await upsertComment(
    client,
    opts.repo,
    opts.pr,
    MARKER,
    rendered.body,
    opts.botLogin ?? ACTIONS_BOT,
  );
  return { ...result, ...rendered };
}

export function readPreviewReport(file: string): PreviewReport {
  const report = JSON.parse(readFileSync(file, 'utf8')) as Partial<PreviewReport>;
  if (typeof report.env !== 'string' || !Array.isArray(report.stacks) || !Array.isArray(report.layers)) {
    throw new Error(`${file}: not a preview report (expected env, layers, stacks from preview-stacks)`);
  }
  return report as PreviewReport;
}

export async function main(argv = process.argv, env = process.env): Promise<void> {
  const opts = new Command('pr-comment')
    .requiredOption('--repo <owner/name>', 'repository', env.GITHUB_REPOSITORY)
    .requiredOption('--pr <number>', 'pull request number')
    .option('--env <name>', 'environment previewed', 'prod')
    .option('--preview <file>', 'preview.json from preview-stacks')
    .option('--preview-note <text>', 'shown when there is no preview')
    .option('--verify-dir <dir>', 'output directory of hubspoke verify')
    .option('--sha <sha>', 'commit previewed')
    .option('--run-url <url>', 'link to the workflow run')
    .option('--artifact <name>', 'artifact holding the full output', 'pulumi-preview')
    .option(
      '--bot-login <login>',
      'the user the token writes as (a GitHub App token: <app>[bot])',
      ACTIONS_BOT,
    )
    .option('--dry-run <file>', 'write the body to a file instead of posting it')
    .parse(argv)
    .opts<{
      repo: string;
      pr: string;
      env: string;
      preview?: string;
      previewNote?: string;
      verifyDir?: string;
      sha?: string;
      runUrl?: string;
      artifact: string;
      botLogin: string;
      dryRun?: string;
    }>();
  const pr = Number(opts.pr);
  if (!Number.isInteger(pr) || pr <= 0)
    throw new Error(`--pr must be a pull request number, got "${opts.pr}"`);
  const input: CommentInput = {
    env: opts.env,
    preview: opts.preview && existsSync(opts.preview) ? readPreviewReport(opts.preview) : undefined,
    previewNote:
      opts.previewNote ??
      (opts.preview
        ? `No preview results at \`${opts.preview}\`: the preview job failed early; see the workflow run.`
        : undefined),
    verify: opts.verifyDir ? readVerifyDir(opts.verifyDir) : undefined,
    sha: opts.sha,
    runUrl: opts.runUrl,
    artifactName: opts.artifact,
  };
  if (opts.dryRun) {
    writeFileSync(opts.dryRun, renderComment(input).body);
    return;
  }
  const result = await publishComment(input, {
    repo: opts.repo,
    pr,
    token: env.GITHUB_TOKEN ?? '',
    apiUrl: env.GITHUB_API_URL,
    botLogin: opts.botLogin,
  });
  process.stderr.write(
    `PR comment ${result.action}: ${result.url ?? result.id}${result.trimmed.length ? ' (trimmed)' : ''}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`pr-comment: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
