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
  /**
   * `failed` counts `fail` only; `unknown` counts checks the model could not decide (they fail the
   * run too); `notApplicable` counts default checks the environment has nothing for (neither).
   */
  summary: { total: number; passed: number; failed: number; unknown: number; notApplicable: number };
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
  const unknown = results.filter((r) => r.status === 'unknown').length;
  const passed = results.filter((r) => r.status === 'pass').length;
  const notApplicable = results.filter((r) => r.status === 'not-applicable').length;
  return { checks, summary: { total: results.length, passed, failed, unknown, notApplicable }, meta: rest };
}
