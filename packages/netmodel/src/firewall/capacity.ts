/**
 * Rule group capacity as Network Firewall computes it. Sources (AWS Network Firewall developer
 * guide, "Setting rule group capacity in AWS Network Firewall",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/nwfw-rule-group-capacity.html,
 * and the CreateRuleGroup `Capacity` API reference):
 * - Stateless: the sum over rules of the product of each match setting's value, where a setting
 *   with no criteria or "any" counts 1 and any other setting counts its number of elements
 *   (sources, destinations, source ports, destination ports, protocols, TCP flags).
 * - Stateful, Suricata rules (RulesString or StatefulRules): the number of rules.
 * - Stateful, domain list: the number of rules Network Firewall generates for it, which is one per
 *   domain and protocol inspected (TLS_SNI, HTTP_HOST) plus, for an ALLOWLIST under default action
 *   order, one "not matching" drop per protocol (the generated rules are listed in "Examples of
 *   Suricata compatible rules for Network Firewall",
 *   https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-examples.html, and
 *   built by ./domain-list.ts). The estimate reserves domains x protocols + protocols for every
 *   list: that is the exact count for a default-order allowlist and at most one unit per protocol
 *   more than the others need. A capacity below what AWS counts fails CreateRuleGroup at deploy time
 *   while passing offline; a unit too many costs nothing, and AWS does not document whether it
 *   counts the drop rules it leaves out of strict-order and deny lists, so the reserve is kept.
 */
import type { MatchAttributes, RuleGroup } from '@aws-sdk/client-network-firewall';
import { parseSuricataRules } from './parser';

function settingValue(elements: readonly unknown[] | undefined): number {
  return elements && elements.length > 0 ? elements.length : 1;
}

function statelessRuleCapacity(match: MatchAttributes | undefined): number {
  if (!match) return 1;
  const anyAddress = (list: MatchAttributes['Sources']): number =>
    list?.some((a) => a.AddressDefinition === '0.0.0.0/0' || a.AddressDefinition === '::/0')
      ? 1
      : settingValue(list);
  const anyPorts = (list: MatchAttributes['SourcePorts']): number =>
    list?.some((p) => p.FromPort === 0 && p.ToPort === 65535) ? 1 : settingValue(list);
  return (
    anyAddress(match.Sources) *
    anyAddress(match.Destinations) *
    anyPorts(match.SourcePorts) *
    anyPorts(match.DestinationPorts) *
    settingValue(match.Protocols) *
    settingValue(match.TCPFlags)
  );
}

/**
 * Capacity a rule group consumes. Takes the rule group in the API's shape (`RuleGroup` of
 * CreateRuleGroup / DescribeRuleGroup). Suricata text is parsed, so an unsupported rule is an
 * error here too (with `ipVariables` / `portVariables` taken from the group's RuleVariables).
 */
export function estimateRuleGroupCapacity(ruleGroup: RuleGroup, options: { source?: string } = {}): number {
  const source = ruleGroup.RulesSource;
  if (!source) throw new Error(`${options.source ?? 'rule group'}: RulesSource is missing`);
  if (source.StatelessRulesAndCustomActions) {
    return (source.StatelessRulesAndCustomActions.StatelessRules ?? []).reduce(
      (sum, rule) => sum + statelessRuleCapacity(rule.RuleDefinition?.MatchAttributes),
      0,
    );
  }
  if (source.RulesSourceList) {
    const protocols = (source.RulesSourceList.TargetTypes ?? []).length;
    return (source.RulesSourceList.Targets ?? []).length * protocols + protocols;
  }
  if (source.StatefulRules) return source.StatefulRules.length;
  if (source.RulesString !== undefined) {
    const ipVariables = ['HOME_NET', 'EXTERNAL_NET', ...Object.keys(ruleGroup.RuleVariables?.IPSets ?? {})];
    const portVariables = Object.keys(ruleGroup.RuleVariables?.PortSets ?? {});
    return parseSuricataRules(source.RulesString, { source: options.source, ipVariables, portVariables })
      .length;
  }
  throw new Error(`${options.source ?? 'rule group'}: RulesSource has no rules`);
}
