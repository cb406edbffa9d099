/**
 * Domain list rule groups (`RulesSourceList`) turned into the Suricata rules Network Firewall
 * generates for them. The rules are the ones AWS lists in the developer guide, "Examples of Suricata
 * compatible rules for Network Firewall", section "Stateful rules examples: domain list rules"
 * (https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-examples.html):
 * - one rule per domain and target type, matching `tls.sni` (with `ssl_state:client_hello` and
 *   `nocase`) or `http.host`, on `flow:to_server, established`, with the list's action (ALLOWLIST
 *   pass, DENYLIST drop, REJECTLIST reject, ALERTLIST alert: "Stateful domain list rule groups in
 *   AWS Network Firewall", https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html);
 *   a leading dot means the domain and its subdomains (`dotprefix` + `endswith`), otherwise the
 *   match is exact (`startswith` + `endswith`);
 * - for ALLOWLIST, a final drop of every other TLS ClientHello and every other HTTP request
 *   (`http.header_names; content:"|0d 0a|"; startswith`), but only under DEFAULT_ACTION_ORDER:
 *   "strict order domain list rule groups do not automatically create the drop rules behind the
 *   scenes, so you configure the drop established default action on the firewall policy yourself"
 *   (AWS Network Firewall best practices, "Customer managed rules", Understanding and calculating
 *   capacity, https://aws.github.io/aws-security-services-best-practices/guides/network-firewall/customer-managed-rules/docs/).
 *   Under STRICT_ORDER a domain that is not allowlisted therefore falls through to the next rule
 *   groups and the policy's default actions.
 */

/** A RulesSourceList exactly as the Network Firewall API shapes it. */
export interface DomainList {
  Targets: string[];
  TargetTypes: string[];
  GeneratedRulesType: string;
}

export interface DomainListOptions {
  /** First sid of the generated rules (default 1); sids then count up by one. */
  sidBase?: number;
  /** The rule group's rule order: ALLOWLIST drop rules exist only under DEFAULT_ACTION_ORDER (the default). */
  ruleOrder?: 'STRICT_ORDER' | 'DEFAULT_ACTION_ORDER';
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Throws, naming the value, when `domain` is not a valid domain list entry. */
export function validateDomain(domain: string): void {
  const reject = (why: string): never => {
    throw new Error(`invalid domain list entry "${domain}": ${why}`);
  };
  if (typeof domain !== 'string' || domain.length === 0) reject('empty');
  const name = domain.startsWith('.') ? domain.slice(1) : domain;
  if (name.length === 0) reject('a leading dot needs a domain after it');
  if (name.length > 253) reject('longer than 253 characters');
  if (name.includes('*'))
    reject('wildcards are not supported; use a leading dot (".example.com") for subdomains');
  if (/\s/.test(name)) reject('contains whitespace');
  if (name.endsWith('.')) reject('trailing dot');
  if (name.includes('..')) reject('empty label');
  if (name.includes(':') || name.includes('/'))
    reject('a domain list entry is a name, not a URL or host:port');
  for (const label of name.split('.')) {
    if (!LABEL.test(label)) reject(`label "${label}" must be 1-63 letters, digits or inner hyphens`);
  }
}

const ACTION_BY_TYPE: Record<string, { action: string; listed: string }> = {
  ALLOWLIST: { action: 'pass', listed: 'allowlisted' },
  DENYLIST: { action: 'drop', listed: 'denylisted' },
  REJECTLIST: { action: 'reject', listed: 'rejectlisted' },
  ALERTLIST: { action: 'alert', listed: 'alertlisted' },
};

const TARGETS: Record<string, { protocol: 'tls' | 'http'; buffer: string; label: string }> = {
  TLS_SNI: { protocol: 'tls', buffer: 'tls.sni', label: 'TLS' },
  HTTP_HOST: { protocol: 'http', buffer: 'http.host', label: 'HTTP' },
};

/** The Suricata rules Network Firewall generates for a domain list rule group, one per line. */
export function domainListToSuricata(list: DomainList, options: DomainListOptions = {}): string {
  const kind = ACTION_BY_TYPE[list.GeneratedRulesType];
  if (!kind) {
    throw new Error(
      `unsupported GeneratedRulesType "${list.GeneratedRulesType}" (expected ${Object.keys(ACTION_BY_TYPE).join(', ')})`,
    );
  }
  if (list.TargetTypes.length === 0)
    throw new Error('domain list has no TargetTypes (expected TLS_SNI and/or HTTP_HOST)');
  const types = list.TargetTypes.map((type) => {
    const target = TARGETS[type];
    if (!target) throw new Error(`unsupported TargetType "${type}" (expected TLS_SNI or HTTP_HOST)`);
    return target;
  });
  if (list.Targets.length === 0) throw new Error('domain list has no Targets');
  list.Targets.forEach(validateDomain);

  let sid = options.sidBase ?? 1;
  if (!Number.isInteger(sid) || sid < 1) throw new Error(`invalid sidBase ${String(options.sidBase)}`);
  const tail = (): string => `priority:1; flow:to_server, established; sid:${sid++}; rev:1;`;
  const lines: string[] = [];
  for (const domain of list.Targets) {
    for (const t of types) {
      // Suricata lowercases the http.host buffer, so an HTTP content must be lowercase to match;
      // the SNI keeps its case, hence nocase on TLS rules.
      const value = t.protocol === 'http' ? domain.toLowerCase() : domain;
      const nocase = t.protocol === 'tls' ? ' nocase;' : '';
      const state = t.protocol === 'tls' ? 'ssl_state:client_hello; ' : '';
      const match = domain.startsWith('.')
        ? `${state}${t.buffer}; dotprefix; content:"${value}";${nocase} endswith;`
        : `${state}${t.buffer}; content:"${value}"; startswith;${nocase} endswith;`;
      lines.push(
        `${kind.action} ${t.protocol} $HOME_NET any -> $EXTERNAL_NET any (${match} msg:"matching ${t.label} ${kind.listed} FQDNs"; ${tail()})`,
      );
    }
  }
  if (
    list.GeneratedRulesType === 'ALLOWLIST' &&
    (options.ruleOrder ?? 'DEFAULT_ACTION_ORDER') !== 'STRICT_ORDER'
  ) {
    for (const t of types) {
      lines.push(
        t.protocol === 'tls'
          ? `drop tls $HOME_NET any -> $EXTERNAL_NET any (msg:"not matching any TLS allowlisted FQDNs"; priority:1; ssl_state:client_hello; flow:to_server, established; sid:${sid++}; rev:1;)`
          : `drop http $HOME_NET any -> $EXTERNAL_NET any (http.header_names; content:"|0d 0a|"; startswith; msg:"not matching any HTTP allowlisted FQDNs"; ${tail()})`,
      );
    }
  }
  return lines.join('\n');
}
