/**
 * The Suricata rule type of a rule, and from it the scope of its action: whether a `pass` or a
 * `drop` covers the packet it matched or the whole flow.
 *
 * Source: Suricata user guide, "Rule Types and Categorization"
 * (https://docs.suricata.io/en/latest/rules/rule-types.html), table "Suricata Rule Types" (action
 * scope per type) and "Signature Types and Variable-like Keywords" (which keywords turn a rule
 * into a packet rule); AWS Network Firewall best practices, "Customer managed rules", "Always use
 * the flow: keyword" (https://aws.github.io/aws-security-services-best-practices/guides/network-firewall/customer-managed-rules/docs/):
 * a `tcp`/`udp`/`ip` rule without `flow:` is IP-only, matches the first packet and "locks in the
 * action for the entire connection"; adding `flow:` makes it a per-packet rule.
 *
 * | type           | when                                                              | scope  |
 * | -------------- | ----------------------------------------------------------------- | ------ |
 * | `app_tx`       | a sticky buffer (`tls.sni`, `http.host`, ...), `ssl_version`, ... | flow   |
 * | `app_layer`    | an application protocol in the header (`tls`, `http`, `dns`, ...) | flow   |
 * | `pd_only`      | `app-layer-protocol`                                              | flow   |
 * | `ip_only`      | header only (addresses, ports, `ip_proto`), no `flow`             | flow   |
 * | `like_ip_only` | the same with a negated address                                   | flow   |
 * | `pkt`          | any of the above but `app_tx` with a packet-dependent keyword     | packet |
 *
 * Packet-dependent keywords: any `flow` option on an IP-only rule; `flow:established` /
 * `not_established` on an `app_layer` or `pd_only` rule (direction options leave those types as
 * they are); `flowbits:isset` / `isnotset` (but not `set` / `unset`) on any of them.
 */
import type { ActionScope } from './types';
import type { AddressExpr, SuricataRule } from './rule-model';

export type SuricataRuleType = 'app_tx' | 'app_layer' | 'pd_only' | 'ip_only' | 'like_ip_only' | 'pkt';

export interface RuleClass {
  type: SuricataRuleType;
  scope: ActionScope;
  /** One line for the trace: the type and what made it so. */
  reason: string;
}

const TRANSPORTS: readonly SuricataRule['protocol'][] = ['ip', 'tcp', 'udp', 'icmp'];

const DESCRIPTION: Record<SuricataRuleType, string> = {
  app_tx: 'app-layer transaction rule',
  app_layer: 'app-layer protocol rule',
  pd_only: 'protocol-detection rule',
  ip_only: 'IP-only rule',
  like_ip_only: 'IP-only rule (negated address)',
  pkt: 'packet rule',
};

export function classifyRule(rule: SuricataRule): RuleClass {
  const type = ruleType(rule);
  const scope: ActionScope = type === 'pkt' ? 'packet' : 'flow';
  return { type, scope, reason: `${DESCRIPTION[type]} (${type}): ${why(rule, type)}` };
}

function checksFlowbits(rule: SuricataRule): boolean {
  return rule.flowbits.some((f) => f.command === 'isset' || f.command === 'isnotset');
}

function ruleType(rule: SuricataRule): SuricataRuleType {
  if (rule.contents.length > 0 || rule.sslState.length > 0 || rule.tlsVersions) return 'app_tx';
  const stateFlow = rule.flow.some((k) => k === 'established' || k === 'not_established');
  if (!TRANSPORTS.includes(rule.protocol)) return stateFlow || checksFlowbits(rule) ? 'pkt' : 'app_layer';
  if (rule.appLayerProtocol) return stateFlow || checksFlowbits(rule) ? 'pkt' : 'pd_only';
  if (rule.flow.length > 0 || checksFlowbits(rule)) return 'pkt';
  return negatesAddress(rule.source) || negatesAddress(rule.destination) ? 'like_ip_only' : 'ip_only';
}

function why(rule: SuricataRule, type: SuricataRuleType): string {
  switch (type) {
    case 'app_tx':
      return 'matches application-layer data, so it acts on the whole flow';
    case 'app_layer':
      return `protocol ${rule.protocol} in the header, so it acts on the whole flow`;
    case 'pd_only':
      return 'app-layer-protocol, so it acts on the whole flow';
    case 'ip_only':
    case 'like_ip_only':
      return 'no flow keyword and no payload or app-layer match, so it acts on the whole flow from the first packet it matches';
    case 'pkt': {
      const keyword = rule.flow.length > 0 ? `flow:${rule.flow.join(',')}` : 'flowbits:isset';
      return `${keyword} makes it per-packet, so it acts on the matching packet only`;
    }
  }
}

function negatesAddress(expr: AddressExpr): boolean {
  switch (expr.kind) {
    case 'not':
      return true;
    case 'group':
      return expr.items.some(negatesAddress);
    default:
      return false;
  }
}
