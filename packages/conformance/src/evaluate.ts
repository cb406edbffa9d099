/**
 * Evaluates a conformance case through the same code the CLI runs: `runChecks` for check
 * statuses, and the tracer plus `formatTrace` (the text `hubspoke trace` prints) for traces.
 */
import {
  createTracer,
  formatTrace,
  pathUnknown,
  roundTripOk,
  runChecks,
  type CheckResult,
  type FlowQuery,
  type TracedPath,
} from '@hubspoke/harness';
import type { ConformanceCase, TraceExpectation } from './types';

export interface TraceOutcome {
  expectation: TraceExpectation;
  verdict: TraceExpectation['verdict'];
  paths: TracedPath[];
  /** The trace as `hubspoke trace` prints it; `traceIncludes` is checked against it. */
  text: string;
}

export async function evaluateChecks(c: ConformanceCase): Promise<CheckResult[]> {
  return runChecks({ snapshot: c.snapshot(), ...(c.expectations ? { expectations: c.expectations } : {}) });
}

export function evaluateTraces(c: ConformanceCase): TraceOutcome[] {
  const tracer = createTracer(c.snapshot());
  return (c.traces ?? []).map((expectation) => {
    const paths = tracer.trace(expectation.query);
    const text = formatTrace(traceTitle(expectation.query), paths);
    return { expectation, verdict: traceVerdict(paths), paths, text };
  });
}

/** The `traceIncludes` texts the rendered trace lacks (empty when it has them all). */
export function missingTraceText(outcome: TraceOutcome): string[] {
  return (outcome.expectation.traceIncludes ?? []).filter((text) => !outcome.text.includes(text));
}

/** The title line, as `hubspoke trace` words it for the same flow. */
function traceTitle(q: FlowQuery): string {
  const s = q.source;
  const from = 'instanceId' in s ? s.instanceId : 'subnetId' in s ? s.subnetId : s.ip;
  const app = q.app?.kind === 'tls' ? ` tls sni=${q.app.sni}` : q.app ? ` ${q.app.kind}` : ` ${q.protocol}`;
  const d = q.destination;
  return `${from} -> ${'ip' in d ? d.ip : d.host}:${d.port}${app}`;
}

/** The verdict line of `hubspoke trace`: UNKNOWN as soon as a path meets what the model does not model. */
export function traceVerdict(paths: TracedPath[]): TraceExpectation['verdict'] {
  if (paths.some(pathUnknown)) return 'UNKNOWN';
  const answered = paths.filter(roundTripOk).length;
  if (paths.length > 0 && answered === paths.length) return 'ALLOWED';
  return answered === 0 ? 'BLOCKED' : 'PARTIAL';
}
