/** Compiles security group and network ACL rules from their EC2 shapes into integer-matched rules. */
import type { IpPermission, NetworkAcl, SecurityGroup } from '@aws-sdk/client-ec2';
import { parseCidr } from '../ip/cidr';
import type { NaclEntry, NaclInfo, PrefixListInfo, SecurityGroupInfo, SgRule } from '../model/types';

/** Looks up a prefix list a rule references (`field` names where, for the error). */
export type PrefixListResolver = (prefixListId: string, field: string) => PrefixListInfo;

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', all: '-1', '-1': '-1' };
const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '-1': 'all' };

/** 'tcp' | '6' -> '6'; '-1' | 'all' -> '-1'. */
export function normalizeProtocol(p: string | undefined, what: string): string {
  if (p === undefined) throw new Error(`${what}: protocol missing`);
  const lower = p.toLowerCase();
  if (PROTOCOL_NUMBERS[lower]) return PROTOCOL_NUMBERS[lower]!;
  if (/^\d+$/.test(lower) && Number(lower) <= 255) return String(Number(lower));
  throw new Error(`${what}: unknown protocol "${p}"`);
}

export function protocolName(p: string): string {
  return PROTOCOL_NAMES[p] ?? `proto-${p}`;
}

function portText(protocol: string, from: number, to: number): string {
  if (protocol === '-1' || protocol === '1' || (from === 0 && to === 65535)) return '';
  return from === to ? `/${from}` : `/${from}-${to}`;
}

function compilePermission(
  groupId: string,
  perm: IpPermission,
  direction: 'ingress' | 'egress',
  i: number,
  prefixList: PrefixListResolver,
): SgRule {
  const what = `security group ${groupId} ${direction} rule #${i}`;
  const protocol = normalizeProtocol(perm.IpProtocol, what);
  const ported = protocol === '6' || protocol === '17';
  const fromPort = ported && perm.FromPort !== undefined && perm.FromPort !== -1 ? perm.FromPort : 0;
  const toPort = ported && perm.ToPort !== undefined && perm.ToPort !== -1 ? perm.ToPort : 65535;
  const cidrs = (perm.IpRanges ?? [])
    .filter((r) => r.CidrIp)
    .map((r) => parseCidr(r.CidrIp!, { hostBits: 'clear', what: `${what} CidrIp` }));
  const peers = cidrs.map((c) => c.text);
  // A prefix-list reference matches every entry of the list (Amazon VPC User Guide, "Reference
  // prefix lists in your AWS resources": https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists-referencing.html).
  const field = `${direction === 'ingress' ? 'IpPermissions' : 'IpPermissionsEgress'}[${i}].PrefixListIds[]`;
  for (const p of perm.PrefixListIds ?? []) {
    if (!p.PrefixListId) continue;
    const entries = prefixList(p.PrefixListId, field).cidrs;
    cidrs.push(...entries);
    peers.push(`${p.PrefixListId} (${entries.map((c) => c.text).join(', ') || 'no entries'})`);
  }
  const groupIds = (perm.UserIdGroupPairs ?? []).filter((g) => g.GroupId).map((g) => g.GroupId!);
  peers.push(...groupIds);
  const text = `${direction} ${protocolName(protocol)}${portText(protocol, fromPort, toPort)} ${direction === 'ingress' ? 'from' : 'to'} ${peers.join(', ') || '(none)'}`;
  return { protocol, fromPort, toPort, cidrs, groupIds, text };
}

export function compileSecurityGroup(sg: SecurityGroup, prefixList: PrefixListResolver): SecurityGroupInfo {
  const id = sg.GroupId!;
  return {
    id,
    vpcId: sg.VpcId,
    ingress: (sg.IpPermissions ?? []).map((p, i) => compilePermission(id, p, 'ingress', i, prefixList)),
    egress: (sg.IpPermissionsEgress ?? []).map((p, i) => compilePermission(id, p, 'egress', i, prefixList)),
  };
}

export function compileNacl(acl: NetworkAcl): NaclInfo {
  const id = acl.NetworkAclId!;
  const ingress: NaclEntry[] = [];
  const egress: NaclEntry[] = [];
  for (const [i, e] of (acl.Entries ?? []).entries()) {
    if (!e.CidrBlock) continue; // IPv6 entries do not apply to the IPv4 flows we trace
    const what = `network ACL ${id} entry #${i} (rule ${e.RuleNumber})`;
    if (e.RuleNumber === undefined) throw new Error(`${what}: RuleNumber missing`);
    const protocol = normalizeProtocol(e.Protocol, what);
    const ruleNo = e.RuleNumber === 32767 ? '*' : String(e.RuleNumber);
    const action = (e.RuleAction ?? '').toLowerCase();
    if (action !== 'allow' && action !== 'deny')
      throw new Error(`${what}: RuleAction "${e.RuleAction}" is not allow|deny`);
    const ported = (protocol === '6' || protocol === '17') && e.PortRange;
    const entry: NaclEntry = {
      ruleNumber: e.RuleNumber,
      protocol,
      allow: action === 'allow',
      cidr: parseCidr(e.CidrBlock, { hostBits: 'clear', what: `${what} CidrBlock` }),
      ...(ported ? { fromPort: e.PortRange!.From ?? 0, toPort: e.PortRange!.To ?? 65535 } : {}),
      text: '',
    };
    const ports = entry.fromPort !== undefined ? portText(protocol, entry.fromPort, entry.toPort!) : '';
    entry.text = `${id}: ${e.Egress ? 'outbound' : 'inbound'} rule ${ruleNo} ${action} ${protocolName(protocol)}${ports} ${e.Egress ? 'to' : 'from'} ${e.CidrBlock}`;
    (e.Egress ? egress : ingress).push(entry);
  }
  const byNumber = (a: NaclEntry, b: NaclEntry): number => a.ruleNumber - b.ruleNumber;
  return { id, vpcId: acl.VpcId!, ingress: ingress.sort(byNumber), egress: egress.sort(byNumber) };
}
