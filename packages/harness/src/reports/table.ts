/** The terminal summary: one row per check, wrapped to the terminal width. */
import Table from 'cli-table3';
import type { CheckResult } from '../checks/types';

export interface TableOptions {
  /** Total width in columns; default 120 (stdout.columns is not known to a library). */
  width?: number;
}

/** How each status is shown in the terminal table. */
export const STATUS_LABEL: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  'not-applicable': 'N/A',
};

export function formatTable(results: CheckResult[], options: TableOptions = {}): string {
  const width = Math.max(options.width ?? 120, 60);
  const statusW = 6;
  const idW = Math.min(34, Math.max(12, ...results.map((r) => r.id.length + 2)));
  const decisiveW = Math.floor((width - statusW - idW - 10) * 0.35);
  const detailW = width - statusW - idW - decisiveW - 10;
  const table = new Table({
    head: ['', 'check', 'detail', 'decided by'],
    colWidths: [statusW, idW, detailW, decisiveW],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  for (const r of results) {
    const d = r.decisive;
    const warnings = (r.warnings ?? [])
      .map((w) => `\nwarning: ${w.length > 200 ? `${w.slice(0, 199)}…` : w}`)
      .join('');
    table.push([
      STATUS_LABEL[r.status],
      r.id,
      `${r.detail}${warnings}`,
      d ? `${d.kind} ${shortId(d.id)}${d.az ? ` (${d.az})` : ''}` : '',
    ]);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const unknown = results.filter((r) => r.status === 'unknown').length;
  const notApplicable = results.filter((r) => r.status === 'not-applicable').length;
  const applicable = results.length - notApplicable;
  const passed = applicable - failed - unknown;
  return `${table.toString()}\n${passed}/${applicable} checks passed${failed ? `, ${failed} failed` : ''}${unknown ? `, ${unknown} unknown (not modelled)` : ''}${notApplicable ? `, ${notApplicable} not applicable` : ''}`;
}

/** `arn:aws:network-firewall:...:stateful-rulegroup/name` -> `name`: the part a reader recognises. */
export function shortId(id: string): string {
  return id.startsWith('arn:') ? id.slice(id.lastIndexOf('/') + 1 || id.lastIndexOf(':') + 1) : id;
}
