/** JUnit XML (one test case per check) so CI systems show checks like tests. */
import builder from 'junit-report-builder';
import type { CheckResult } from '../checks/types';
import type { ReportMeta } from './types';

export function toJunitXml(results: CheckResult[], meta: ReportMeta): string {
  const b = builder.newBuilder();
  const suite = b
    .testSuite()
    .name(`${meta.command}${meta.env ? ` ${meta.env}` : ''}`)
    .timestamp(meta.startedAt);
  if (meta.durationMs !== undefined) suite.time(meta.durationMs / 1000);
  for (const r of results) {
    const kind = r.id.split(':')[0]!;
    const tc = suite.testCase().className(`hubspoke.${kind}`).name(r.id);
    if (r.durationMs !== undefined) tc.time(r.durationMs / 1000);
    if (r.status === 'not-applicable') {
      // Neither a pass nor a failure: CI shows it as skipped, with the reason.
      tc.skipped();
      tc.standardOutput(r.detail);
    } else if (r.status !== 'pass') {
      const lines = (r.failures ?? []).map(
        (f) =>
          `${f.subject}: ${f.detail}${f.decisive ? ` [decided by ${f.decisive.kind} ${f.decisive.id}: ${f.decisive.detail}]` : ''}`,
      );
      // An undecided check fails CI like a failed one; its type says which it is.
      const type =
        r.status === 'unknown' ? 'unknown' : r.decisive ? `${r.decisive.kind}:${r.decisive.id}` : 'check';
      tc.failure(r.detail, type);
      if (lines.length) tc.standardError(lines.join('\n'));
    } else {
      tc.standardOutput(r.detail);
    }
  }
  return b.build();
}
