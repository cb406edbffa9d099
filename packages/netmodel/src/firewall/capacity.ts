import type { RuleGroup } from '@aws-sdk/client-network-firewall';

/** Capacity a rule group consumes, as Network Firewall computes it. */
export function estimateRuleGroupCapacity(ruleGroup: RuleGroup): number {
  void ruleGroup;
  throw new Error('estimateRuleGroupCapacity not implemented yet');
}
