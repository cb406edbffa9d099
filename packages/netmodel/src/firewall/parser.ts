import type { SuricataRule } from './rule-model';
import { SuricataParseError } from './errors';

export interface ParseOptions {
  /** Where the text came from (file name or rule group ARN); named in errors. */
  source?: string;
}

/** Parses Suricata rules (one per line; `#` comments and blank lines skipped). */
export function parseSuricataRules(text: string, options: ParseOptions = {}): SuricataRule[] {
  void text;
  throw new SuricataParseError('parser not implemented yet', 0, options.source);
}
