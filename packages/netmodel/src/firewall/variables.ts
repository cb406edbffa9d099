/**
 * Rule variables of one stateful rule group. Precedence for HOME_NET, as Network Firewall
 * documents it: the rule group's own `RuleVariables.IPSets.HOME_NET`, else the policy's
 * `PolicyVariables.RuleVariables.HOME_NET`, else the CIDR(s) of the VPC holding the firewall.
 *
 * EXTERNAL_NET, unless the group defines it, is the negation of the *policy-level* HOME_NET (or of
 * its default, the firewall VPC's CIDR), not of the group's own HOME_NET: AWS Network Firewall
 * developer guide, "Troubleshooting rules in Network Firewall"
 * (https://docs.aws.amazon.com/network-firewall/latest/developerguide/troubleshooting-rules.html):
 * "Network Firewall maintains that the value of EXTERNAL_NET in the rule group is the negation of
 * the HOME_NET value that you define at the firewall policy level"; AWS Network Firewall best
 * practices, "Firewall policy configuration" (https://aws.github.io/aws-security-services-best-practices/guides/network-firewall/firewall-policy-configuration/docs/):
 * a group-level HOME_NET does not recalculate EXTERNAL_NET.
 * Consequence worth knowing: in a centralized design HOME_NET must be widened (policy or group)
 * to the supernet, or rules written `$HOME_NET -> $EXTERNAL_NET` never see spoke traffic; widened
 * on the group only, `$EXTERNAL_NET` still contains the spokes.
 */
import type { FirewallPolicy, RuleGroup } from '@aws-sdk/client-network-firewall';
import type { AddressExpr, PortExpr } from './rule-model';
import { parseAddress, parsePort, type ParseContext } from './parser';
import { FirewallConfigError } from './errors';
import type { VariableScope } from './matching';

export type VariableSource = 'rule-group' | 'policy' | 'firewall-vpc';

export interface GroupVariables extends VariableScope {
  /** Where HOME_NET came from, for explanations. */
  homeNetSource: VariableSource;
  /** Where EXTERNAL_NET came from: the group's own definition, or the negation of the policy-level HOME_NET. */
  externalNetSource: VariableSource;
}

function definitionToAddress(definition: readonly string[], where: string): AddressExpr {
  const ctx: ParseContext = { source: where, ipVariables: new Set(), portVariables: new Set(), line: 0 };
  if (definition.length === 0) throw new FirewallConfigError(`${where}: empty IP set definition`);
  try {
    return { kind: 'group', items: definition.map((entry) => parseAddress(entry.trim(), ctx)) };
  } catch (error) {
    throw new FirewallConfigError(`${where}: ${(error as Error).message.replace(/^.* line 0: /, '')}`);
  }
}

function definitionToPorts(definition: readonly string[], where: string): PortExpr {
  const ctx: ParseContext = { source: where, ipVariables: new Set(), portVariables: new Set(), line: 0 };
  if (definition.length === 0) throw new FirewallConfigError(`${where}: empty port set definition`);
  try {
    return { kind: 'group', items: definition.map((entry) => parsePort(entry.trim(), ctx)) };
  } catch (error) {
    throw new FirewallConfigError(`${where}: ${(error as Error).message.replace(/^.* line 0: /, '')}`);
  }
}

export function resolveGroupVariables(
  group: RuleGroup | undefined,
  groupName: string,
  policy: FirewallPolicy | undefined,
  firewallVpcCidrs: readonly string[],
): GroupVariables {
  const ipSets = new Map<string, AddressExpr>();
  const portSets = new Map<string, PortExpr>();
  for (const [name, set] of Object.entries(group?.RuleVariables?.IPSets ?? {})) {
    ipSets.set(name, definitionToAddress(set.Definition ?? [], `${groupName} IP set ${name}`));
  }
  for (const [name, set] of Object.entries(group?.RuleVariables?.PortSets ?? {})) {
    portSets.set(name, definitionToPorts(set.Definition ?? [], `${groupName} port set ${name}`));
  }
  const policyHome = policyHomeNet(policy, firewallVpcCidrs);
  let homeNetSource: VariableSource = 'rule-group';
  if (!ipSets.has('HOME_NET')) {
    ipSets.set('HOME_NET', policyHome.value);
    homeNetSource = policyHome.source;
  }
  let externalNetSource: VariableSource = 'rule-group';
  if (!ipSets.has('EXTERNAL_NET')) {
    ipSets.set('EXTERNAL_NET', { kind: 'not', expr: policyHome.value });
    externalNetSource = policyHome.source;
  }
  return { ipSets, portSets, homeNetSource, externalNetSource };
}

/** HOME_NET as the policy defines it, or its default: the firewall VPC's CIDR(s). */
function policyHomeNet(
  policy: FirewallPolicy | undefined,
  firewallVpcCidrs: readonly string[],
): { value: AddressExpr; source: 'policy' | 'firewall-vpc' } {
  const policyHome = policy?.PolicyVariables?.RuleVariables?.HOME_NET;
  if (policyHome) {
    return {
      value: definitionToAddress(policyHome.Definition ?? [], 'policy variable HOME_NET'),
      source: 'policy',
    };
  }
  if (firewallVpcCidrs.length === 0) {
    throw new FirewallConfigError('firewallVpcCidrs is empty: HOME_NET has no default');
  }
  return { value: definitionToAddress(firewallVpcCidrs, 'firewall VPC CIDRs'), source: 'firewall-vpc' };
}
