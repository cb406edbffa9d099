/**
 * A conformance case: one small AWS-shaped scenario that pins one AWS (or Suricata) behaviour the
 * verifier relies on, the verdicts AWS gives on it, and the document those verdicts rest on.
 * Every case also says what a naive reading would conclude, so the corpus shows why it exists.
 */
import type { CheckExpectations, CheckStatus, FlowQuery } from '@hubspoke/harness';
import type { NetworkSnapshot } from '@hubspoke/netmodel';

/** The public document a verdict rests on. */
export interface Source {
  /** Title of the document and section, e.g. "AWS Network Firewall developer guide, Stateful rule order". */
  title: string;
  url: string;
}

/** One flow traced as `hubspoke trace` traces it, and what AWS does with it. */
export interface TraceExpectation {
  /** Short name shown in the test title. */
  name: string;
  query: FlowQuery;
  /** ALLOWED = the reply comes back on every path AWS may choose; BLOCKED = on none; PARTIAL = on some. */
  verdict: 'ALLOWED' | 'BLOCKED' | 'PARTIAL' | 'UNKNOWN';
  /** Text the rendered trace must contain (the deciding rule, attribute or route, and why). */
  traceIncludes?: string[];
}

export interface ConformanceCase {
  /** Unique id, `<area>/<name>`; the file is `cases/<area>/<name>.ts`. */
  id: string;
  /** The behaviour, in one sentence. */
  behaviour: string;
  /** What a naive reading of the configuration would conclude, and why that is wrong. */
  naive: string;
  sources: Source[];
  snapshot: () => NetworkSnapshot;
  /** Expectations for the check run (default: the built-in defaults). */
  expectations?: CheckExpectations;
  /** Statuses of checks by id; only the listed checks are compared. */
  checks?: Record<string, CheckStatus | 'unknown'>;
  traces?: TraceExpectation[];
}
