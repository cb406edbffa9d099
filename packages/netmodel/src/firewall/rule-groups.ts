/**
 * Loads DescribeRuleGroup responses into evaluable groups: Suricata text (RulesString), the
 * rules AWS generates for domain lists (RulesSourceList), the 5-tuple StatefulRules form
 * rendered to Suricata, or stateless rules as given.
 */
import type {
  DescribeRuleGroupResponse,
  FirewallPolicy,
  StatefulRule,
  StatelessRule,
} from '@aws-sdk/client-network-firewall';
import type { SuricataRule } from './rule-model';
import { parseSuricataRules } from './parser';
import { domainListToSuricata } from './domain-list';
import { resolveGroupVariables, type GroupVariables } from './variables';
import { compileRule, type PacketMatcher } from './rule-match';
import { classifyRule, type RuleClass } from './rule-type';
import { FirewallConfigError } from './errors';
import { validateTcpFlags } from './stateless';

export type RuleOrder = 'STRICT_ORDER' | 'DEFAULT_ACTION_ORDER';

export interface CompiledStatefulRule {
  rule: SuricataRule;
  /** Action after the policy's DROP_TO_ALERT override, if any. */
  action: SuricataRule['action'];
  matches: PacketMatcher;
  /** Suricata rule type and the scope of the rule's action. */
  class: RuleClass;
  group: StatefulGroup;
}

export interface StatefulGroup {
  arn: string;
  name: string;
  /** True when the rules were generated from a domain list. */
  fromDomainList: boolean;
  ruleOrder: RuleOrder;
  variables: GroupVariables;
  rules: CompiledStatefulRule[];
}

export interface StatelessGroup {
  arn: string;
  name: string;
  rules: StatelessRule[];
}

export function groupArn(response: DescribeRuleGroupResponse): string {
  return (
    response.RuleGroupResponse?.RuleGroupArn ??
    response.RuleGroupResponse?.RuleGroupName ??
    '(unnamed rule group)'
  );
}

/** Renders the API's 5-tuple StatefulRule as the Suricata rule it stands for. */
export function statefulRuleToSuricata(rule: StatefulRule): string {
  const header = rule.Header;
  if (!header || !rule.Action) throw new Error('StatefulRule without Action or Header');
  const value = (text: string | undefined): string =>
    text === undefined || text.toUpperCase() === 'ANY' ? 'any' : text;
  const options = (rule.RuleOptions ?? [])
    .map((option) =>
      option.Settings && option.Settings.length > 0
        ? `${option.Keyword}:${option.Settings.join(',')}`
        : option.Keyword,
    )
    .join('; ');
  return [
    rule.Action.toLowerCase(),
    (header.Protocol ?? 'IP').toLowerCase(),
    value(header.Source),
    value(header.SourcePort),
    header.Direction === 'ANY' ? '<>' : '->',
    value(header.Destination),
    value(header.DestinationPort),
    `(${options};)`,
  ].join(' ');
}

export function loadStatefulGroup(
  response: DescribeRuleGroupResponse,
  policy: FirewallPolicy,
  firewallVpcCidrs: readonly string[],
  dropToAlert: boolean,
): StatefulGroup {
  const arn = groupArn(response);
  const name = response.RuleGroupResponse?.RuleGroupName ?? arn;
  const ruleGroup = response.RuleGroup;
  const source = ruleGroup?.RulesSource;
  if (!source) throw new FirewallConfigError(`rule group ${arn} has no RulesSource`);
  if (
    ruleGroup.ReferenceSets?.IPSetReferences &&
    Object.keys(ruleGroup.ReferenceSets.IPSetReferences).length > 0
  ) {
    throw new FirewallConfigError(
      `rule group ${arn}: IP set references (managed prefix lists) are not modelled`,
    );
  }
  const variables = resolveGroupVariables(ruleGroup, arn, policy, firewallVpcCidrs);
  const ruleOrder: RuleOrder = ruleGroup.StatefulRuleOptions?.RuleOrder ?? 'DEFAULT_ACTION_ORDER';
  let text: string;
  let fromDomainList = false;
  if (source.RulesString !== undefined) text = source.RulesString;
  else if (source.RulesSourceList) {
    fromDomainList = true;
    try {
      text = domainListToSuricata(
        {
          Targets: source.RulesSourceList.Targets ?? [],
          TargetTypes: source.RulesSourceList.TargetTypes ?? [],
          GeneratedRulesType: source.RulesSourceList.GeneratedRulesType ?? '',
        },
        { ruleOrder },
      );
    } catch (error) {
      throw new FirewallConfigError(`rule group ${arn}: ${(error as Error).message}`);
    }
  } else if (source.StatefulRules) text = source.StatefulRules.map(statefulRuleToSuricata).join('\n');
  else
    throw new FirewallConfigError(
      `rule group ${arn} is STATEFUL but has no RulesString, RulesSourceList or StatefulRules`,
    );

  const parsed = parseSuricataRules(text, {
    source: arn,
    ipVariables: [...variables.ipSets.keys()],
    portVariables: [...variables.portSets.keys()],
  });
  const group: StatefulGroup = {
    arn,
    name,
    fromDomainList,
    ruleOrder,
    variables,
    rules: [],
  };
  group.rules = parsed.map((rule) => ({
    rule,
    action: dropToAlert && rule.action === 'drop' ? 'alert' : rule.action,
    matches: compileRule(rule, variables),
    class: classifyRule(rule),
    group,
  }));
  return group;
}

export function loadStatelessGroup(response: DescribeRuleGroupResponse): StatelessGroup {
  const arn = groupArn(response);
  const rules = response.RuleGroup?.RulesSource?.StatelessRulesAndCustomActions?.StatelessRules;
  if (!rules)
    throw new FirewallConfigError(`rule group ${arn} is STATELESS but has no StatelessRulesAndCustomActions`);
  const sorted = [...rules].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  for (const rule of sorted) validateTcpFlags(rule, `${arn} rule priority ${rule.Priority}`);
  return { arn, name: response.RuleGroupResponse?.RuleGroupName ?? arn, rules: sorted };
}
