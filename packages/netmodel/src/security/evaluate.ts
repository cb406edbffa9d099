/**
 * Security group (stateful) and network ACL (stateless) evaluation for one packet.
 * Security groups are checked on the request only (replies of an allowed flow are allowed);
 * network ACLs are checked on every packet, replies included, in rule-number order with the
 * implicit `*` deny last.
 */
import { cidrContains, ipToInt } from '../ip/cidr';
import type { NaclInfo, NetworkModel, SgRule } from '../model/types';
import { normalizeProtocol, protocolName } from './compile';

export interface Packet {
  protocol: string; // 'tcp' | 'udp' | 'icmp'
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
}

export interface Verdict {
  allowed: boolean;
  /** The rule that allowed or denied, or why nothing matched. */
  detail: string;
}

function describe(p: Packet, peerIp: string, direction: 'ingress' | 'egress'): string {
  const port = p.protocol === 'icmp' ? '' : `/${p.dstPort}`;
  return `${p.protocol}${port} ${direction === 'ingress' ? 'from' : 'to'} ${peerIp}`;
}

function ruleMatches(
  model: NetworkModel,
  rule: SgRule,
  proto: string,
  port: number,
  peer: number,
  peerVpc: string,
): boolean {
  if (rule.protocol !== '-1' && rule.protocol !== proto) return false;
  if ((proto === '6' || proto === '17') && (port < rule.fromPort || port > rule.toPort)) return false;
  if (rule.cidrs.some((c) => cidrContains(c, peer))) return true;
  if (rule.groupIds.length > 0) {
    // A group reference matches when the peer's ENI carries that group.
    const eni = model.enisByIp.get(peerVpc)?.get(peer);
    if (eni && rule.groupIds.some((g) => eni.groups.includes(g))) return true;
  }
  return false;
}

/**
 * Does any of `groups` allow the packet in `direction`? `peerVpc` is the VPC to resolve group
 * references in (the peer's ENI).
 */
export function evaluateSecurityGroups(
  model: NetworkModel,
  groups: string[],
  p: Packet,
  direction: 'ingress' | 'egress',
  peerVpc: string,
): Verdict {
  const peerIp = direction === 'ingress' ? p.src : p.dst;
  const peer = ipToInt(peerIp);
  const proto = normalizeProtocol(p.protocol, 'flow');
  for (const g of groups) {
    const sg = model.securityGroups.get(g);
    if (!sg) continue;
    for (const rule of direction === 'ingress' ? sg.ingress : sg.egress) {
      if (ruleMatches(model, rule, proto, p.dstPort, peer, peerVpc))
        return { allowed: true, detail: `${g}: ${rule.text}` };
    }
  }
  const names = groups.length ? groups.join(', ') : '(no security group)';
  return {
    allowed: false,
    detail: `${names} ${groups.length > 1 ? 'have' : 'has'} no ${direction} rule for ${describe(p, peerIp, direction)}`,
  };
}

/** Network ACL evaluation for a packet entering (`ingress`) or leaving (`egress`) a subnet. */
export function evaluateNacl(acl: NaclInfo, p: Packet, direction: 'ingress' | 'egress'): Verdict {
  const proto = normalizeProtocol(p.protocol, 'flow');
  const peerIp = direction === 'ingress' ? p.src : p.dst;
  const peer = ipToInt(peerIp);
  for (const e of direction === 'ingress' ? acl.ingress : acl.egress) {
    if (e.protocol !== '-1' && e.protocol !== proto) continue;
    if (!cidrContains(e.cidr, peer)) continue;
    // NACL port ranges match the destination port of the packet (replies: the client's ephemeral port).
    if (e.fromPort !== undefined && (p.dstPort < e.fromPort || p.dstPort > e.toPort!)) continue;
    return { allowed: e.allow, detail: e.text };
  }
  return {
    allowed: false,
    detail: `${acl.id}: no ${direction === 'ingress' ? 'inbound' : 'outbound'} rule matches ${protocolName(proto)}/${p.dstPort} ${direction === 'ingress' ? 'from' : 'to'} ${peerIp} (default * deny)`,
  };
}
