export * from './types';
export * from './rule-model';
export { SuricataParseError, FirewallConfigError } from './errors';
export { parseSuricataRules, type ParseOptions } from './parser';
export { domainListToSuricata, validateDomain, type DomainList, type DomainListOptions } from './domain-list';
export { estimateRuleGroupCapacity } from './capacity';
export {
  STATEFUL_DEFAULT_ACTIONS,
  defaultActionSemantics,
  isStatefulDefaultAction,
  statefulDefaultActionsProblem,
  type DefaultActionSemantics,
  type StatefulDefaultAction,
} from './default-actions';
export { statefulRuleToSuricata } from './rule-groups';
export { buildFirewallEngine, packetsOf, type FirewallEngine, type FirewallEngineOptions } from './engine';
export { classifyRule, type RuleClass, type SuricataRuleType } from './rule-type';
export { DEFAULT_TLS_VERSION } from './rule-match';
export {
  deciderName,
  decisivePacket,
  explainDecision,
  groupName,
  packetLine,
  ruleText,
  scopeText,
} from './explain';
