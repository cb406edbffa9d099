/**
 * Evaluates a conformance case through the same code the CLI runs: `runChecks` for check
 * statuses and the tracer plus `formatTrace` wording for `hubspoke trace` verdicts.
 */
import { createTracer, roundTripOk, runChecks, type CheckResult, type TracedPath } from '@hubspoke/harness';
import type { ConformanceCase, TraceExpectation } from './types';

export interface TraceOutcome {
  expectation: TraceExpectation;
  verdict: TraceExpectation['verdict'];
  paths: TracedPath[];
}

export async function evaluateChecks(c: ConformanceCase): Promise<CheckResult[]> {
  return runChecks({ snapshot: c.snapshot(), ...(c.expectations ? { expectations: c.expectations } : {}) });
}

export function evaluateTraces(c: ConformanceCase): TraceOutcome[] {
  const tracer = createTracer(c.snapshot());
  return (c.traces ?? []).map((expectation) => {
    const paths = tracer.trace(expectation.query);
    return { expectation, verdict: traceVerdict(paths), paths };
  });
}

/** The verdict line of `hubspoke trace`. */
export function traceVerdict(paths: TracedPath[]): TraceExpectation['verdict'] {
  const answered = paths.filter(roundTripOk).length;
  if (paths.length > 0 && answered === paths.length) return 'ALLOWED';
  return answered === 0 ? 'BLOCKED' : 'PARTIAL';
}
