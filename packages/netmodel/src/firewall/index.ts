export * from './types';
export * from './rule-model';
export { SuricataParseError, FirewallConfigError } from './errors';
export { parseSuricataRules, type ParseOptions } from './parser';
export { domainListToSuricata, validateDomain, type DomainList, type DomainListOptions } from './domain-list';
export { estimateRuleGroupCapacity } from './capacity';
export { statefulRuleToSuricata } from './rule-groups';
export { buildFirewallEngine, type FirewallEngine, type FirewallEngineOptions } from './engine';
