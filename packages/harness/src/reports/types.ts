import type { NetworkSnapshot } from '@hubspoke/netmodel';

/** What a report says about the run, besides the results. */
export interface ReportMeta {
  /** `hubspoke verify` / `hubspoke e2e`: the title of the report. */
  command: string;
  env?: string;
  /** Where the network came from: `mock-cloud`, `snapshot <file>`, `aws <region>`, `live`. */
  source: string;
  startedAt: string;
  durationMs?: number;
  /** When given, report.md draws its topology. */
  snapshot?: NetworkSnapshot;
}
