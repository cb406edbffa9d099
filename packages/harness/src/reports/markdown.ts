/**
 * report.md: summary table, topology diagram and the path of every check, sized to paste into a
 * pull-request comment (GitHub caps a comment at 65,536 characters).
 */
import type { PathResult } from '@hubspoke/netmodel';
import type { CheckPath, CheckResult } from '../checks/types';
import { topologyMermaid } from './mermaid';
import { shortId } from './table';
import type { ReportMeta } from './types';

export const MARKDOWN_LIMIT = 60_000;
const FAILING_PATHS_SHOWN = 5;
const PASSING_PATHS_SHOWN = 2;

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ICON: Record<CheckResult['status'], string> = {
  pass: '✅',
  fail: '❌',
  unknown: '❔',
  'not-applicable': '➖',
};

export function toMarkdown(results: CheckResult[], meta: ReportMeta): string {
  const failed = results.filter((r) => r.status === 'fail');
  const unknown = results.filter((r) => r.status === 'unknown');
  const notApplicable = results.filter((r) => r.status === 'not-applicable').length;
  const verdict =
    failed.length === 0 && unknown.length === 0
      ? notApplicable
        ? `all applicable checks passed, ${notApplicable} not applicable`
        : 'all checks passed'
      : [
          failed.length ? `${failed.length} of ${results.length} checks failed` : '',
          unknown.length ? `${unknown.length} of ${results.length} could not be decided (not modelled)` : '',
          notApplicable ? `${notApplicable} not applicable` : '',
        ]
          .filter(Boolean)
          .join(', ');
  const head = [
    `## ${meta.command}${meta.env ? ` \`${meta.env}\`` : ''}: ${verdict}`,
    '',
    `Source: ${meta.source} · started ${meta.startedAt}${meta.durationMs !== undefined ? ` · ${(meta.durationMs / 1000).toFixed(1)} s` : ''}`,
    '',
    '| | check | detail | decided by |',
    '|---|---|---|---|',
    ...results.map((r) => {
      const d = r.decisive
        ? `${r.decisive.kind} \`${shortId(r.decisive.id)}\`${r.decisive.az ? ` (${r.decisive.az})` : ''}: ${r.decisive.detail}`
        : '';
      const warn = r.warnings?.length ? ` ⚠️ ${r.warnings.length} warning(s), see below` : '';
      return `| ${ICON[r.status]} | \`${r.id}\` | ${cell(r.detail)}${warn} | ${cell(d)} |`;
    }),
    '',
  ];
  const topology = meta.snapshot
    ? [
        '<details><summary>Topology</summary>',
        '',
        '```mermaid',
        topologyMermaid(meta.snapshot),
        '```',
        '',
        '</details>',
        '',
      ]
    : [];
  const sections = results.map(checkSection);
  let body = [...head, ...topology, '### Paths', '', ...sections].join('\n');
  if (body.length > MARKDOWN_LIMIT) {
    // Keep the summary and topology whole; cut the path sections, failing checks first.
    const ordered = [...results]
      .sort((a, b) => Number(a.status === 'pass') - Number(b.status === 'pass'))
      .map(checkSection);
    let text = [...head, ...topology, '### Paths', ''].join('\n');
    for (const s of ordered) {
      if (text.length + s.length > MARKDOWN_LIMIT - 200) {
        text += '\n_Further path sections omitted to fit a PR comment; see results.json._\n';
        break;
      }
      text += `${s}\n`;
    }
    body = text;
  }
  return body;
}

function checkSection(r: CheckResult): string {
  const paths = r.paths ?? [];
  const bad = paths.filter((p) => !p.ok);
  const good = paths.filter((p) => p.ok);
  const shown = [
    ...bad.slice(0, FAILING_PATHS_SHOWN),
    ...(bad.length === 0 ? good.slice(0, PASSING_PATHS_SHOWN) : []),
  ];
  const lines = [
    `<details${r.status === 'fail' || r.status === 'unknown' ? ' open' : ''}><summary>${ICON[r.status]} <code>${r.id}</code>: ${escapeHtml(r.detail)}</summary>`,
    '',
  ];
  for (const w of r.warnings ?? []) lines.push(`> ⚠️ ${w}`, '');
  for (const f of (r.failures ?? []).slice(0, 10)) {
    const d = f.decisive
      ? ` — decided by ${f.decisive.kind} \`${f.decisive.id}\`${f.decisive.az ? ` (${f.decisive.az})` : ''}: ${f.decisive.detail}`
      : '';
    lines.push(`- ${f.subject}: ${f.detail}${d}`);
  }
  if ((r.failures?.length ?? 0) > 10)
    lines.push(`- … ${r.failures!.length - 10} more failure(s) in results.json`);
  if (r.observations?.length) {
    lines.push('', 'Observed:', '');
    for (const o of r.observations.slice(0, 10))
      lines.push(`- ${o.subject}: ${o.observed ? '' : 'not observed: '}${o.detail}`);
    if (r.observations.length > 10) lines.push(`- … ${r.observations.length - 10} more in results.json`);
  }
  if (shown.length > 0) {
    lines.push('', '```text');
    for (const p of shown) lines.push(...pathLines(p));
    lines.push('```');
    const rest = paths.length - shown.length;
    if (rest > 0)
      lines.push(
        `_${rest} more path(s) ${bad.length > shown.length ? `(${bad.length - Math.min(bad.length, FAILING_PATHS_SHOWN)} failing) ` : ''}not shown._`,
      );
  }
  lines.push('', '</details>', '');
  return lines.join('\n');
}

function pathLines(p: CheckPath): string[] {
  const f = p.forward;
  // The path's verdict and decision cover the whole exchange; the request leg alone may have been delivered.
  const requestDelivered = (f.forwardVerdict ?? f.verdict) === 'delivered' && p.returnPath !== undefined;
  const out = [
    `${p.ok ? 'ok  ' : f.verdict === 'unknown' ? 'UNKN' : 'FAIL'} ${p.label}`,
    `  -> ${hopsLine(f)}`,
    requestDelivered ? '     delivered' : `     ${f.verdict}: ${decisionLine(f)}`,
  ];
  if (p.returnPath)
    out.push(`  <- ${hopsLine(p.returnPath)}`, `     ${p.returnPath.verdict}: ${decisionLine(p.returnPath)}`);
  return out;
}

function hopsLine(path: Pick<PathResult, 'hops'>): string {
  return path.hops.map((h) => `${h.kind} ${h.id}${h.az ? ` [${h.az}]` : ''}`).join(' > ');
}

function decisionLine(path: Pick<PathResult, 'decidedBy'>): string {
  return `${path.decidedBy.kind} ${shortId(path.decidedBy.id)}: ${path.decidedBy.detail}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
