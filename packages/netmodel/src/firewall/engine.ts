import type { DescribeFirewallPolicyResponse, DescribeRuleGroupResponse } from '@aws-sdk/client-network-firewall';
import type { FirewallDecision, Flow } from './types';

export interface FirewallEngineOptions {
  /** CIDR(s) of the VPC holding the firewall: the default HOME_NET. */
  firewallVpcCidrs: string[];
}

export interface FirewallEngine {
  evaluate(flow: Flow): FirewallDecision;
}

/** Builds an evaluator for one firewall policy and the rule groups it references. */
export function buildFirewallEngine(
  policy: DescribeFirewallPolicyResponse,
  ruleGroups: DescribeRuleGroupResponse[],
  options: FirewallEngineOptions,
): FirewallEngine {
  void policy;
  void ruleGroups;
  void options;
  throw new Error('buildFirewallEngine not implemented yet');
}
