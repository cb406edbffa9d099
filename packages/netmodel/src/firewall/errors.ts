/** A Suricata rule the evaluator cannot parse or does not support; names where and what. */
export class SuricataParseError extends Error {
  readonly line: number;
  readonly source?: string;

  constructor(detail: string, line: number, source?: string) {
    super(`${source ?? 'rules'} line ${line}: ${detail}`);
    this.name = 'SuricataParseError';
    this.line = line;
    this.source = source;
  }
}

/** A firewall policy or rule group the evaluator cannot use (missing group, bad variable, ...). */
export class FirewallConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirewallConfigError';
  }
}
