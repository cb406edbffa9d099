import type { TraceOutcome } from '../src';
import { missingTraceText } from '../src';

const outcome = (traceIncludes: string[]): TraceOutcome => ({
  expectation: {
    name: 'x',
    query: { source: { ip: '10.1.0.10' }, destination: { ip: '192.0.2.10', port: 443 }, protocol: 'tcp' },
    verdict: 'BLOCKED',
    traceIncludes,
  },
  verdict: 'BLOCKED',
  paths: [],
  text: 'SYN (client -> server): drop by stateful default action aws:drop_strict\n',
});

describe('missingTraceText (the runner enforces traceIncludes with it)', () => {
  it('is empty when the rendered trace contains every expected text', () => {
    expect(missingTraceText(outcome(['drop by stateful default action aws:drop_strict', 'SYN']))).toEqual([]);
  });

  it('names each expected text the rendered trace lacks', () => {
    expect(missingTraceText(outcome(['aws:drop_strict', 'sid 42']))).toEqual(['sid 42']);
  });
});
