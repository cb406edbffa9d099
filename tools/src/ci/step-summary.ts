/**
 * Markdown for $GITHUB_STEP_SUMMARY from a verify / e2e output directory (results.json, junit.xml,
 * report.md).
 *
 *   npx tsx tools/src/ci/step-summary.ts --dir reports/e2e --title "Nightly integration" [--diagram]
 *
 * Appends to $GITHUB_STEP_SUMMARY when set, else prints. Missing files are reported in the summary,
 * not as an error: this step runs after failures too (`if: always()`), and must not hide them.
 */
import { appendFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseJunit, type JunitCase } from './junit';
import { cell, table } from './markdown';
import { readVerifyDir, type CheckSummary, type VerifyResults } from './verify-report';

export interface SummaryInput {
  title: string;
  results?: VerifyResults;
  junit?: JunitCase[];
  mermaid?: string;
  problems?: string[];
}

export function checksHeadline(results: VerifyResults): string {
  const failed = results.checks.filter((c) => c.status === 'fail').length;
  const unknown = results.checks.filter((c) => c.status === 'unknown').length;
  const notApplicable = results.checks.filter((c) => c.status === 'not-applicable').length;
  const total = results.checks.length;
  if (total === 0) return '⚠️ no checks ran';
  const na = notApplicable ? ` (${notApplicable} not applicable)` : '';
  if (failed === 0 && unknown === 0)
    return notApplicable
      ? `✅ all ${total - notApplicable} applicable checks passed${na}`
      : `✅ all ${total} checks passed`;
  const parts = [
    failed ? `${failed} of ${total} checks failed` : '',
    unknown ? `${unknown} of ${total} could not be decided (not modelled)` : '',
  ].filter(Boolean);
  return `❌ ${parts.join(', ')}${na}`;
}

const RESULT: Record<CheckSummary['status'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  unknown: '❔ unknown',
  'not-applicable': '➖ not applicable',
};

/** Checks table, failures first (they are what a reader came for). */
export function checksTable(results: VerifyResults): string {
  const sorted = [...results.checks].sort(
    (a, b) => Number(a.status === 'pass') - Number(b.status === 'pass'),
  );
  return table(
    ['Check', 'Result', 'Detail'],
    sorted.map((c) => [
      `\`${cell(c.id, 120)}\``,
      RESULT[c.status],
      cell([c.detail, ...(c.warnings ?? []).map((w) => `⚠️ ${w}`)].filter(Boolean).join(' — ')),
    ]),
  );
}

export function renderStepSummary(input: SummaryInput): string {
  const parts: string[] = [];
  const headline = input.results ? ` — ${checksHeadline(input.results)}` : '';
  parts.push(`## ${input.title}${headline}`);
  for (const p of input.problems ?? []) parts.push(`> ⚠️ ${p}`);
  if (input.results && input.results.checks.length > 0) parts.push(checksTable(input.results));
  if (input.junit && input.junit.length > 0) {
    const n = (s: JunitCase['status']) => input.junit!.filter((c) => c.status === s).length;
    parts.push(`**JUnit:** ${n('passed')} passed, ${n('failed')} failed, ${n('skipped')} skipped`);
    const failed = input.junit.filter((c) => c.status === 'failed');
    // With results.json the checks table already names every failure; JUnit adds only counts.
    if (failed.length > 0 && !input.results) {
      parts.push(
        table(
          ['Suite', 'Test', 'Message'],
          failed.map((c) => [cell(c.suite, 80), cell(c.name, 120), cell(c.message ?? '')]),
        ),
      );
    }
  }
  if (!input.results && !(input.junit && input.junit.length > 0))
    parts.push('No results were written; see the job log.');
  if (input.mermaid) parts.push(`### Network\n\n${input.mermaid}`);
  return `${parts.join('\n\n')}\n`;
}

export function summaryFromDir(dir: string, title: string, diagram: boolean): string {
  const loaded = readVerifyDir(dir);
  const problems = [...loaded.problems];
  let junit: JunitCase[] | undefined;
  if (loaded.junit !== undefined) {
    junit = parseJunit(loaded.junit);
    if (junit.length === 0) problems.push(`junit.xml in ${dir} has no test cases`);
  }
  return renderStepSummary({
    title,
    results: loaded.results,
    junit,
    mermaid: diagram ? loaded.mermaid : undefined,
    problems,
  });
}

export function main(argv = process.argv, env = process.env): void {
  const opts = new Command('step-summary')
    .requiredOption('--dir <dir>', 'output directory of hubspoke verify / e2e')
    .option('--title <text>', 'heading', 'hubspoke verify')
    .option('--diagram', 'include the Mermaid diagram of report.md', false)
    .parse(argv)
    .opts<{ dir: string; title: string; diagram: boolean }>();
  const markdown = summaryFromDir(opts.dir, opts.title, opts.diagram);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
  else process.stdout.write(markdown);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`step-summary: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
