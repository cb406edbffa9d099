/**
 * Rule group capacity as Network Firewall computes it. Sources (AWS Network Firewall developer
 * guide, "Setting rule group capacity in AWS Network Firewall",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/nwfw-rule-group-capacity.html,
 * and the CreateRuleGroup `Capacity` API reference):
 * - Stateless: the sum over rules of the product of each match setting's value, where a setting
 *   with no criteria or "any" counts 1 and any other setting counts its number of elements
 *   (sources, destinations, source ports, destination ports, protocols, TCP flags).
 * - Stateful, Suricata rules (RulesString or StatefulRules): the number of rules.
 * - Stateful, domain list: the number of domains times the number of protocols inspected
 *   (TLS_SNI, HTTP_HOST), plus one per protocol. The guide gives the product; CreateRuleGroup
 *   measured on AWS also takes one unit per protocol on top of it (a 100-capacity group takes 99
 *   domains with HTTP_HOST, 48 with both; 100 domains with both need 202: the blog post "Quick
 *   Tips: Stateful Rule Group Capacity in AWS Network Firewall", 2021). That is the number of rules
 *   Network Firewall generates for an allowlist ("Stateful domain list rule groups",
 *   https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html):
 *   one per domain and protocol, and one "not matching" rule per protocol. Too small a capacity
 *   fails CreateRuleGroup ("StatefulRules capacity exceeded") at deploy time, while one unit too
 *   many costs nothing, so the estimate takes the measured figure.
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
