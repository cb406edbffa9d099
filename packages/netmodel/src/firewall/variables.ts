/**
 * Rule variables of one stateful rule group. Precedence for HOME_NET, as Network Firewall
 * documents it: the rule group's own `RuleVariables.IPSets.HOME_NET`, else the policy's
 * `PolicyVariables.RuleVariables.HOME_NET`, else the CIDR(s) of the VPC holding the firewall.
 * EXTERNAL_NET defaults to `!$HOME_NET`, so it follows whichever HOME_NET applies.
 * Consequence worth knowing: in a centralized design HOME_NET must be widened (policy or group)
 * to the supernet, or rules written `$HOME_NET -> $EXTERNAL_NET` never see spoke traffic.
 */
import type { FirewallPolicy, RuleGroup } from '@aws-sdk/client-network-firewall';
import type { AddressExpr, PortExpr } from './rule-model';
import { parseAddress, parsePort, type ParseContext } from './parser';
import { FirewallConfigError } from './errors';
import type { VariableScope } from './matching';

export interface GroupVariables extends VariableScope {
  /** Where HOME_NET came from, for explanations. */
  homeNetSource: 'rule-group' | 'policy' | 'firewall-vpc';
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
  let homeNetSource: GroupVariables['homeNetSource'] = 'rule-group';
  if (!ipSets.has('HOME_NET')) {
    const policyHome = policy?.PolicyVariables?.RuleVariables?.HOME_NET;
    if (policyHome) {
      ipSets.set('HOME_NET', definitionToAddress(policyHome.Definition ?? [], 'policy variable HOME_NET'));
      homeNetSource = 'policy';
    } else {
      if (firewallVpcCidrs.length === 0) {
        throw new FirewallConfigError('firewallVpcCidrs is empty: HOME_NET has no default');
      }
      ipSets.set('HOME_NET', definitionToAddress(firewallVpcCidrs, 'firewall VPC CIDRs'));
      homeNetSource = 'firewall-vpc';
    }
  }
  if (!ipSets.has('EXTERNAL_NET'))
    ipSets.set('EXTERNAL_NET', { kind: 'not', expr: { kind: 'var', name: 'HOME_NET' } });
  return { ipSets, portSets, homeNetSource };
}
