/**
 * results.json: `{ "checks": [ { id, status, detail, ... } ], "meta": {...} }` (docs/contracts.md "The hubspoke CLI").
 * Only failing paths are kept: passing ones of a 100-spoke run would make the file hundreds of MB
 * while adding nothing a reader acts on; `covered` still says how many were checked.
 */
import type { CheckResult } from '../checks/types';
import type { ReportMeta } from './types';

export const MAX_JSON_PATHS_PER_CHECK = 50;

export interface ResultsJson {
  checks: CheckResult[];
  summary: { total: number; passed: number; failed: number };
  meta: Omit<ReportMeta, 'snapshot'>;
}

export function toResultsJson(results: CheckResult[], meta: ReportMeta): ResultsJson {
  const { snapshot: _snapshot, ...rest } = meta;
  const checks = results.map((r) => {
    const { paths, ...c } = r;
    const failing = (paths ?? []).filter((p) => !p.ok).slice(0, MAX_JSON_PATHS_PER_CHECK);
    return failing.length > 0 ? { ...c, paths: failing } : c;
  });
  const failed = results.filter((r) => r.status === 'fail').length;
  return { checks, summary: { total: results.length, passed: results.length - failed, failed }, meta: rest };
}
