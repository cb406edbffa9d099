/**
 * Nothing passes on nothing (docs/contracts.md "The hubspoke CLI": a run in which nothing was
 * evaluated does not pass). A check that covered no path or probe fails; a selected kind with
 * nothing to evaluate fails under its own name; a run with no check at all fails as `run`. A run
 * passes only when it has a `pass` and every other result is `pass` or `not-applicable`, so a
 * failure, or one the model could not decide, fails it.
 */
import { LISTED_KINDS, type CheckExpectations, type CheckKind } from './expectations';
import { failsRun, type CheckResult } from './types';

/** Id of the result that stands for a run in which no check was evaluated. */
export const NOTHING_EVALUATED_ID = 'run';

const LISTED_WHAT: Record<keyof typeof LISTED_KINDS, string> = {
  allow: 'host to allow',
  deny: 'host to deny',
  'east-west': 'pair',
};

/** A result that says `pass` but covered nothing is turned into a failure saying so. */
export function guardEvaluated(r: CheckResult): CheckResult {
  if (r.status !== 'pass' || (r.covered ?? 0) > 0) return r;
  return { ...r, status: 'fail', detail: `evaluated no path or probe, so it cannot pass (${r.detail})` };
}

/**
 * The results of a run, with a failure for each selected kind whose list is empty and, when there
 * is no result at all, one saying that no check was evaluated.
 */
export function completeRun(
  results: CheckResult[],
  ex: Pick<CheckExpectations, 'run' | 'ifConfigured' | 'allow' | 'deny' | 'eastWest'>,
  onResult?: (r: CheckResult) => void,
): CheckResult[] {
  const added: CheckResult[] = [];
  for (const [kind, field] of Object.entries(LISTED_KINDS) as [
    keyof typeof LISTED_KINDS,
    keyof typeof ex,
  ][]) {
    if (!ex.run.includes(kind) || ex.ifConfigured.includes(kind as CheckKind)) continue;
    if ((ex[field] as unknown[]).length > 0) continue;
    added.push({
      id: kind,
      status: 'fail',
      detail: `${kind}: the checks file lists no ${LISTED_WHAT[kind]} under ${field}, so nothing was evaluated`,
      covered: 0,
    });
  }
  const evaluated = results.filter((r) => r.status !== 'not-applicable');
  if (evaluated.length + added.length === 0)
    added.push({
      id: NOTHING_EVALUATED_ID,
      status: 'fail',
      detail:
        ex.run.length === 0
          ? 'no check was evaluated: the checks file selects none (checks: [])'
          : results.length > 0
            ? `no check was evaluated: every selected check is not applicable (${results.map((r) => r.id).join(', ')})`
            : `no check was evaluated (selected: ${ex.run.join(', ')})`,
      covered: 0,
    });
  for (const r of added) onResult?.(r);
  return [...results, ...added];
}

/**
 * True when the run evaluated something and every result passed; a `not-applicable` result (a
 * default check the environment has nothing for) neither passes nor fails the run.
 */
export function runPassed(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.status === 'pass') && !results.some((r) => failsRun(r.status));
}
