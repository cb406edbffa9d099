/** A RulesSourceList exactly as the Network Firewall API shapes it. */
export interface DomainList {
  Targets: string[];
  TargetTypes: string[];
  GeneratedRulesType: string;
}

export interface DomainListOptions {
  /** First sid of the generated rules. */
  sidBase?: number;
}

/** Throws, naming the value, when `domain` is not a valid domain list entry. */
export function validateDomain(domain: string): void {
  throw new Error(`validateDomain not implemented yet: "${domain}"`);
}

/** The Suricata rules Network Firewall generates for a domain list rule group. */
export function domainListToSuricata(list: DomainList, options: DomainListOptions = {}): string {
  void list;
  void options;
  throw new Error('domainListToSuricata not implemented yet');
}
