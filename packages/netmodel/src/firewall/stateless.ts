/**
 * Stateless engine: every packet, rule groups by priority, rules by priority, first match wins.
 * Standard actions: `aws:pass` (no further inspection), `aws:drop`, `aws:forward_to_sfe`.
 * Custom actions only publish CloudWatch metrics; they never change a verdict, so they are
 * ignored (and named in a warning when they would have fired).
 * Fragments are not modelled: StatelessFragmentDefaultActions apply only to UDP fragments, and a
 * Flow here is never fragmented.
 */
import type { MatchAttributes, PortRange, StatelessRule, TCPFlag } from '@aws-sdk/client-network-firewall';
import type { FirewallDecider } from './types';
import type { Packet } from './packet';
import type { StatelessGroup } from './rule-groups';
import { ipBlockContains, parseIpBlock } from '../ip/cidr';
import { FirewallConfigError } from './errors';

export type StatelessAction = 'aws:pass' | 'aws:drop' | 'aws:forward_to_sfe';

export interface StatelessVerdict {
  action: StatelessAction;
  decidedBy: FirewallDecider;
  ignoredCustomActions: string[];
}

const STANDARD: readonly string[] = ['aws:pass', 'aws:drop', 'aws:forward_to_sfe'];
const PROTOCOL_NUMBERS: Record<Packet['protocol'], number> = { icmp: 1, tcp: 6, udp: 17 };

export function standardAction(
  actions: readonly string[] | undefined,
  where: string,
): { action: StatelessAction; custom: string[] } {
  const standard = (actions ?? []).filter((a) => STANDARD.includes(a));
  if (standard.length !== 1) {
    throw new FirewallConfigError(
      `${where}: expected exactly one of ${STANDARD.join(', ')}, got [${(actions ?? []).join(', ')}]`,
    );
  }
  return {
    action: standard[0] as StatelessAction,
    custom: (actions ?? []).filter((a) => !STANDARD.includes(a)),
  };
}

function portsMatch(ranges: PortRange[] | undefined, port: number | undefined): boolean {
  if (!ranges || ranges.length === 0) return true;
  if (port === undefined) return false;
  return ranges.some((r) => port >= (r.FromPort ?? 0) && port <= (r.ToPort ?? 65535));
}

function addressesMatch(list: MatchAttributes['Sources'], ip: Packet['src'], where: string): boolean {
  if (!list || list.length === 0) return true;
  return list.some((address) => {
    const block = parseIpBlock(address.AddressDefinition ?? '', { hostBits: 'clear' });
    if (!block)
      throw new FirewallConfigError(`${where}: invalid AddressDefinition "${address.AddressDefinition}"`);
    return ipBlockContains(block, ip);
  });
}

/** Every flag TCPFlagField knows, in the API's order. */
const ALL_TCP_FLAGS: readonly TCPFlag[] = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

/**
 * TCPFlagField (AWS Network Firewall API reference, "TCPFlagField",
 * https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_TCPFlagField.html): within
 * `Masks`, the flags in `Flags` must be set and the others clear; `Masks` "To inspect all flags in
 * the valid values list, leave this with no setting" -- so `Flags: [SYN]` alone matches a bare SYN,
 * not a SYN-ACK. `Flags` "can only specify values that are also specified in the Masks setting".
 */
function flagsMatch(fields: MatchAttributes['TCPFlags'], packet: Packet): boolean {
  if (!fields || fields.length === 0) return true;
  if (packet.protocol !== 'tcp') return false;
  const set = new Set<string>(packet.tcpFlags);
  return fields.some((field) => {
    const flags = field.Flags ?? [];
    const masks = field.Masks && field.Masks.length > 0 ? field.Masks : ALL_TCP_FLAGS;
    return masks.every((flag) => set.has(flag) === flags.includes(flag));
  });
}

/** Rejects a TCPFlags setting AWS rejects: Flags outside Masks. */
export function validateTcpFlags(rule: StatelessRule, where: string): void {
  for (const field of rule.RuleDefinition?.MatchAttributes?.TCPFlags ?? []) {
    if (!field.Masks || field.Masks.length === 0) continue;
    const outside = (field.Flags ?? []).filter((flag) => !field.Masks!.includes(flag));
    if (outside.length > 0) {
      throw new FirewallConfigError(
        `${where}: TCPFlags Flags [${outside.join(', ')}] are not in Masks [${field.Masks.join(', ')}]`,
      );
    }
  }
}

export function statelessRuleMatches(rule: StatelessRule, packet: Packet, where: string): boolean {
  const match = rule.RuleDefinition?.MatchAttributes ?? {};
  const protocols = match.Protocols ?? [];
  return (
    (protocols.length === 0 || protocols.includes(PROTOCOL_NUMBERS[packet.protocol])) &&
    addressesMatch(match.Sources, packet.src, where) &&
    addressesMatch(match.Destinations, packet.dst, where) &&
    portsMatch(match.SourcePorts, packet.srcPort) &&
    portsMatch(match.DestinationPorts, packet.dstPort) &&
    flagsMatch(match.TCPFlags, packet)
  );
}

export function evaluateStateless(
  groups: readonly StatelessGroup[],
  defaultActions: readonly string[],
  packet: Packet,
): StatelessVerdict {
  for (const group of groups) {
    for (const rule of group.rules) {
      const where = `${group.arn} rule priority ${rule.Priority}`;
      if (!statelessRuleMatches(rule, packet, where)) continue;
      const { action, custom } = standardAction(rule.RuleDefinition?.Actions, where);
      return {
        action,
        ignoredCustomActions: custom,
        decidedBy: {
          kind: 'stateless-rule',
          ruleGroup: group.arn,
          text: `priority ${rule.Priority}: ${JSON.stringify(rule.RuleDefinition?.MatchAttributes ?? {})}`,
          action,
        },
      };
    }
  }
  const { action, custom } = standardAction(defaultActions, 'policy StatelessDefaultActions');
  return {
    action,
    ignoredCustomActions: custom,
    decidedBy: { kind: 'stateless-default', text: `StatelessDefaultActions ${action}`, action },
  };
}
