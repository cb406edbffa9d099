/**
 * The hop-by-hop packet walk shared by the forward and the return direction. Each function takes
 * the packet where it is, applies what AWS applies there (route table, NACL, security group,
 * TGW, NAT, IGW, firewall endpoint, peering, gateway endpoint) and continues or ends the walk;
 * where AWS may choose, it forks. What the model does not model ends the walk as `unknown`.
 */
import { cidrContains, ipToInt, isPrivateIp } from '../ip/cidr';
import type {
  EniInfo,
  FirewallEndpointInfo,
  NatInfo,
  RouteTableInfo,
  SubnetInfo,
  TgwAttachmentInfo,
  VpcInfo,
  VpcRoute,
} from '../model/types';
import { associatedTable, lookupTgwRoute, selectEgressAz } from '../routing/tgw-routing';
import { lookupRoute } from '../routing/vpc-routing';
import { evaluateNacl, evaluateSecurityGroups } from '../security/evaluate';
import type { Flow } from '../firewall/types';
import { explainDecision } from '../firewall/explain';
import type { Decision, Hop } from '../trace-types';
import { answerOf, instanceState } from './answers';
import { drop, fork, MAX_HOPS, notModelled } from './walk-state';
import type { WalkContext, WalkOutcome, WalkState } from './walk-state';

const hop = (s: WalkState, h: Hop): void => {
  s.hops.push(h);
};

/**
 * The path ends at `at`, which decided it (a resource that is not available or not running, a route
 * table without a route): it is the last hop, and the drop names it with the same reason.
 */
function droppedAt(s: WalkState, at: Hop, kind: Decision['kind']): WalkOutcome[] {
  hop(s, at);
  return drop(s, { kind, id: at.id, detail: at.detail });
}

/**
 * Marks `key` (a route table with the packet's addresses) as routed; meeting it again, or a path
 * longer than MAX_HOPS, is a routing loop, which drops the packet.
 */
function routingLoop(s: WalkState, tableId: string, key: string): WalkOutcome[] | undefined {
  if (s.visited.has(key) || s.hops.length > MAX_HOPS) {
    const detail = `routing loop: ${tableId} routes ${s.pkt.src} -> ${s.pkt.dst} again`;
    return drop(s, { kind: 'no-route', id: tableId, detail });
  }
  s.visited.add(key);
  return undefined;
}

/** A route's target (NAT gateway, endpoint) must be in the route table's VPC to forward. */
function targetInOtherVpc(
  s: WalkState,
  route: VpcRoute,
  targetId: string,
  targetVpcId: string,
  vpc: VpcInfo,
): WalkOutcome[] {
  const detail = `${route.text}: ${targetId} is in ${targetVpcId}, not ${vpc.id}`;
  return drop(s, { kind: 'route', id: targetId, detail });
}

/** Amazon VPC Transit Gateways, "Network ACLs for transit gateways". */
const TGW_NACL_DOC = 'Transit Gateway guide, "Network ACLs"';

/**
 * NACLs apply where a packet crosses a subnet boundary: the outbound rules of the subnet it leaves
 * and the inbound rules of the subnet it enters (`null` = outside the VPC: IGW, TGW side).
 */
export function crossSubnets(
  s: WalkState,
  from: SubnetInfo | null,
  to: SubnetInfo | null,
): WalkOutcome[] | undefined {
  if (from && to && from.id === to.id) return undefined;
  for (const [subnet, direction] of [
    [from, 'egress'],
    [to, 'ingress'],
  ] as const) {
    if (!subnet?.nacl) continue;
    const v = evaluateNacl(subnet.nacl, s.pkt, direction);
    if (!v.allowed) return naclDrop(s, subnet, v.detail);
  }
  return undefined;
}

function naclDrop(s: WalkState, subnet: SubnetInfo, detail: string): WalkOutcome[] {
  hop(s, { kind: 'network-acl', id: subnet.nacl!.id, az: subnet.az, detail: `${subnet.id}: ${detail}` });
  return drop(s, { kind: 'network-acl', id: subnet.nacl!.id, detail });
}

/** A packet leaving a host: security group egress (requests only), then the host subnet's route table. */
export function leaveHost(
  ctx: WalkContext,
  s: WalkState,
  subnet: SubnetInfo,
  eni: EniInfo | undefined,
): WalkOutcome[] {
  if (eni) {
    hop(
      s,
      eni.instanceId
        ? {
            kind: 'instance',
            id: eni.instanceId,
            az: subnet.az,
            detail: `${eni.id} ${eni.ipText} in ${subnet.id}`,
          }
        : { kind: 'eni', id: eni.id, az: subnet.az, detail: `${eni.ipText} in ${subnet.id}` },
    );
    if (s.dir === 'forward' && eni.groups.length > 0) {
      const v = evaluateSecurityGroups(ctx.model, eni.groups, s.pkt, 'egress', subnet.vpcId);
      hop(s, { kind: 'security-group', id: eni.groups.join(','), az: subnet.az, detail: v.detail });
      if (!v.allowed) return drop(s, { kind: 'security-group', id: eni.groups.join(','), detail: v.detail });
    }
  } else {
    hop(s, {
      kind: 'subnet',
      id: subnet.id,
      az: subnet.az,
      detail: `${s.pkt.src}: stand-in workload (no interface holds this address; it sends as a workload in ${subnet.id} would, security groups not evaluated)`,
    });
  }
  return routeFrom(ctx, s, subnet);
}

/** Route lookup for a packet at `subnet` (its route table) and dispatch on the target. */
export function routeFrom(ctx: WalkContext, s: WalkState, subnet: SubnetInfo): WalkOutcome[] {
  if (!subnet.routeTable) {
    const detail = `${subnet.id}: no route table (no explicit association and no main route table)`;
    return drop(s, { kind: 'no-route', id: subnet.id, detail });
  }
  return routeWith(ctx, s, subnet.routeTable, subnet);
}

function routeWith(
  ctx: WalkContext,
  s: WalkState,
  table: RouteTableInfo,
  subnet: SubnetInfo | null,
): WalkOutcome[] {
  const loop = routingLoop(s, table.id, `${table.id}|${subnet?.id ?? '-'}|${s.pkt.src}|${s.pkt.dst}`);
  if (loop) return loop;
  const lookup = lookupRoute(table, s.pkt.dst);
  if (lookup.kind !== 'routes') {
    const at: Hop = {
      kind: 'route-table',
      id: table.id,
      ...(subnet ? { az: subnet.az } : {}),
      detail: lookup.detail,
    };
    return droppedAt(s, at, 'no-route');
  }
  const out: WalkOutcome[] = [];
  for (const route of lookup.routes) {
    const b = lookup.routes.length > 1 ? fork(s) : s;
    const via = subnet && subnet.routeTableSource === 'main' ? ` (main route table of ${subnet.vpcId})` : '';
    const choice =
      lookup.routes.length > 1
        ? ` (prefix lists with the same entry: AWS picks one of ${lookup.routes.length} routes)`
        : '';
    hop(b, {
      kind: 'route-table',
      id: table.id,
      ...(subnet ? { az: subnet.az } : {}),
      detail: `${route.text}${via}${choice}`,
    });
    out.push(...followRoute(ctx, b, route, table, subnet));
  }
  return out;
}

function followRoute(
  ctx: WalkContext,
  s: WalkState,
  route: VpcRoute,
  table: RouteTableInfo,
  subnet: SubnetInfo | null,
): WalkOutcome[] {
  const { model } = ctx;
  const vpc = model.vpcs.get(table.vpcId)!;
  if (route.blackhole) return drop(s, { kind: 'blackhole', id: table.id, detail: route.text });
  const t = route.target;
  switch (t.kind) {
    case 'local':
      return deliverInVpc(ctx, s, vpc, subnet);
    case 'igw':
      return toInternetGateway(ctx, s, vpc, t.id, subnet);
    case 'nat':
      return throughNat(ctx, s, vpc, t.id, subnet, route);
    case 'tgw':
      return toTransitGateway(ctx, s, vpc, t.id, subnet, route);
    case 'vpce':
      return throughVpcEndpoint(ctx, s, vpc, t.id, subnet, route);
    case 'pcx':
      return throughPeering(ctx, s, vpc, t.id, subnet, route);
    case 'vgw':
      return toOnPremises(ctx, s, vpc, t.id, subnet);
    case 'eni':
    case 'instance': {
      const eni = t.kind === 'eni' ? model.enis.get(t.id) : model.instanceEni.get(t.id);
      if (!eni || eni.vpcId !== vpc.id)
        return drop(s, {
          kind: 'route',
          id: table.id,
          detail: `${route.text}: target not found in ${vpc.id}`,
        });
      return throughEni(ctx, s, eni, subnet, route);
    }
    case 'unsupported':
      return notModelled(s, t.id, `${route.text}: ${t.what} targets are not modelled`);
  }
}

/**
 * Destination inside the VPC. Only what holds the address answers (see answers.ts): an address no
 * interface holds is dropped in its subnet, unless it is the stand-in workload the caller placed
 * there. Replies are delivered to the client that sent the request.
 */
function deliverInVpc(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  from: SubnetInfo | null,
  sgPeerVpc: string = vpc.id,
): WalkOutcome[] {
  const { model } = ctx;
  const dst = ipToInt(s.pkt.dst);
  const eni = model.enisByIp.get(vpc.id)?.get(dst);
  const subnet = eni ? model.subnets.get(eni.subnetId) : model.subnetTables.get(vpc.id)?.lookup(dst)[0];
  if (!subnet)
    return drop(s, { kind: 'no-route', id: vpc.id, detail: `${s.pkt.dst} is in no subnet of ${vpc.id}` });
  if (from && from.id === subnet.id && s.tgwEgressSubnet === subnet.id && subnet.nacl) {
    hop(s, {
      kind: 'network-acl',
      id: subnet.nacl.id,
      az: subnet.az,
      detail: `not evaluated: traffic from the transit gateway to a host in its attachment subnet ${subnet.id} crosses no network ACL (${TGW_NACL_DOC})`,
    });
  }
  const denied = crossSubnets(s, from, subnet);
  if (denied) return denied;
  if (!eni) {
    if (s.dir === 'forward' && s.standInDst !== s.pkt.dst) {
      const detail = `no network interface holds ${s.pkt.dst} in ${subnet.id}: AWS drops the packet in the subnet, nothing answers`;
      hop(s, { kind: 'subnet', id: subnet.id, az: subnet.az, detail });
      return drop(s, { kind: 'no-answer', id: subnet.id, detail });
    }
    const who =
      s.dir === 'forward'
        ? 'stand-in workload placed by the check (no interface holds this address): it answers as a workload would, security groups not evaluated'
        : 'the client that sent the request';
    hop(s, { kind: 'subnet', id: subnet.id, az: subnet.az, detail: `delivered to ${s.pkt.dst}: ${who}` });
    return [
      {
        state: s,
        verdict: 'delivered',
        decidedBy: { kind: 'delivered', id: subnet.id, detail: `delivered to ${s.pkt.dst} in ${subnet.id}` },
        end: { kind: 'address', ip: s.pkt.dst, vpcId: vpc.id, subnetId: subnet.id },
      },
    ];
  }
  if (eni.kind === 'nat' && s.dir === 'return') return natReturn(ctx, s, eni, subnet);
  const kind = eni.instanceId ? 'instance' : eni.vpcEndpointId ? 'vpc-endpoint' : 'eni';
  const id = eni.instanceId ?? eni.vpcEndpointId ?? eni.id;
  if (s.dir === 'forward') {
    // A holder that is down answers nothing; else its security groups filter first, then what it
    // listens on (or what the model cannot tell) decides.
    const answer = answerOf(model, eni, s.pkt);
    const silent = (a: Extract<typeof answer, { kind: 'silent' }>): WalkOutcome[] => {
      hop(s, { kind, id, az: subnet.az, detail: a.detail });
      return drop(s, { kind: a.decision, id: a.id, detail: a.detail });
    };
    if (answer.kind === 'silent' && answer.decision !== 'no-answer') return silent(answer);
    if (eni.groups.length > 0) {
      const v = evaluateSecurityGroups(model, eni.groups, s.pkt, 'ingress', sgPeerVpc);
      hop(s, { kind: 'security-group', id: eni.groups.join(','), az: subnet.az, detail: v.detail });
      if (!v.allowed) return drop(s, { kind: 'security-group', id: eni.groups.join(','), detail: v.detail });
    }
    if (answer.kind === 'silent') return silent(answer);
    if (answer.kind === 'unknown') return notModelled(s, answer.id, answer.detail);
  }
  hop(s, {
    kind,
    id,
    az: subnet.az,
    detail: `delivered to ${eni.ipText} (${eni.id}) in ${subnet.id}${s.dir === 'return' ? ' (reply of an allowed flow: security groups are stateful)' : ''}`,
  });
  return [
    {
      state: s,
      verdict: 'delivered',
      decidedBy: { kind: 'delivered', id, detail: `delivered to ${eni.ipText} (${id})` },
      end: { kind: 'eni', eni, vpcId: vpc.id, subnetId: subnet.id },
    },
  ];
}

/** NAT gateway, reply direction: reverse-translate to the client that opened the connection. */
function natReturn(ctx: WalkContext, s: WalkState, eni: EniInfo, subnet: SubnetInfo): WalkOutcome[] {
  const session = s.natSessions.find(
    (n) =>
      n.natId === eni.natGatewayId && n.translatedSrc === s.pkt.dst && n.translatedSrcPort === s.pkt.dstPort,
  );
  const natId = eni.natGatewayId ?? eni.id;
  if (!session)
    return drop(s, {
      kind: 'nat',
      id: natId,
      detail: `${natId} holds no connection for ${s.pkt.src} -> ${s.pkt.dst}:${s.pkt.dstPort}`,
    });
  hop(s, {
    kind: 'nat-gateway',
    id: natId,
    az: subnet.az,
    detail: `${natId} translates destination ${s.pkt.dst}:${s.pkt.dstPort} -> ${session.originalSrc}:${session.originalSrcPort} (reply)`,
  });
  s.pkt.dst = session.originalSrc;
  s.pkt.dstPort = session.originalSrcPort;
  return routeFrom(ctx, s, subnet);
}

function toInternetGateway(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  igwId: string,
  from: SubnetInfo | null,
): WalkOutcome[] {
  const { model } = ctx;
  if (model.igwVpc.get(igwId) !== vpc.id)
    return drop(s, { kind: 'internet-gateway', id: igwId, detail: `${igwId} is not attached to ${vpc.id}` });
  const denied = crossSubnets(s, from, null);
  if (denied) return denied;
  const src = ipToInt(s.pkt.src);
  const eni = model.enisByIp.get(vpc.id)?.get(src);
  if (!eni?.publicIp) {
    const detail = isPrivateIp(src)
      ? `${igwId} drops traffic from ${s.pkt.src}: no public IP or EIP is associated with it (private source)`
      : `${igwId} drops ${s.pkt.src} -> ${s.pkt.dst}: the source is no public IP or EIP of ${vpc.id}`;
    hop(s, { kind: 'internet-gateway', id: igwId, detail });
    return drop(s, { kind: 'internet-gateway', id: igwId, detail });
  }
  hop(s, {
    kind: 'internet-gateway',
    id: igwId,
    detail: `${igwId} translates source ${s.pkt.src} -> ${eni.publicIp}`,
  });
  s.pkt.src = eni.publicIp;
  const dst = ipToInt(s.pkt.dst);
  if (isPrivateIp(dst) || model.vpcCidrTable.lookup(dst).length > 0) {
    const detail = `${s.pkt.dst} is a private address: not routable on the internet`;
    return drop(s, { kind: 'internet-gateway', id: igwId, detail });
  }
  hop(s, { kind: 'internet', id: s.pkt.dst, detail: `internet host ${s.pkt.dst} sees source ${s.pkt.src}` });
  return [
    {
      state: s,
      verdict: 'delivered',
      decidedBy: {
        kind: 'delivered',
        id: s.pkt.dst,
        detail: `reached ${s.pkt.dst} on the internet from ${s.pkt.src}`,
      },
      end: { kind: 'internet', igwId, vpcId: vpc.id },
    },
  ];
}

/**
 * NAT gateway source ports: the gateway picks one from 1024-65535, a choice AWS makes, so every
 * part of that range a network ACL of the NAT subnet treats differently is a path of its own (the
 * reply comes back to the chosen port through that ACL).
 * Amazon VPC User Guide, "Ephemeral ports" (a NAT gateway uses ports 1024-65535):
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
const NAT_PORTS = { from: 1024, to: 65535 } as const;

export function natPortRanges(subnet: SubnetInfo): { from: number; to: number }[] {
  const cuts = new Set<number>([NAT_PORTS.from, NAT_PORTS.to + 1]);
  for (const e of [...(subnet.nacl?.ingress ?? []), ...(subnet.nacl?.egress ?? [])]) {
    if (e.fromPort === undefined) continue;
    for (const c of [e.fromPort, e.toPort! + 1]) if (c > NAT_PORTS.from && c <= NAT_PORTS.to) cuts.add(c);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((from, i) => ({ from, to: sorted[i + 1]! - 1 }));
}

function throughNat(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  natId: string,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const nat = ctx.model.natGateways.get(natId)!;
  if (nat.vpcId !== vpc.id) return targetInOtherVpc(s, route, natId, nat.vpcId, vpc);
  if (!nat.available) return natNotAvailable(s, nat);
  if (nat.addresses.length === 0)
    return drop(s, { kind: 'nat', id: natId, detail: `${natId} has no address` });
  const natSubnet = ctx.model.subnets.get(nat.subnetId)!;
  const denied = crossSubnets(s, from, natSubnet);
  if (denied) return denied;
  const out: WalkOutcome[] = [];
  const ports = natPortRanges(natSubnet);
  // A NAT with several addresses uses one of them per connection, and one port of 1024-65535:
  // each (address, port range) is a possible path.
  for (const addr of nat.addresses) {
    for (const range of ports) {
      const b = nat.addresses.length * ports.length > 1 ? fork(s) : s;
      const eip = addr.publicIp && nat.public ? ` (EIP ${addr.publicIp} at the IGW)` : '';
      const portText =
        range.from === NAT_PORTS.from && range.to === NAT_PORTS.to
          ? `a port of ${range.from}-${range.to}`
          : `a port of ${range.from}-${range.to} (the NAT gateway picks from ${NAT_PORTS.from}-${NAT_PORTS.to}; ${natSubnet.nacl?.id} treats this part alike)`;
      hop(b, {
        kind: 'nat-gateway',
        id: natId,
        az: natSubnet.az,
        detail: `${natId} translates source ${b.pkt.src}:${b.pkt.srcPort} -> ${addr.privateIp}, ${portText}${eip}`,
      });
      b.natSessions.push({
        natId,
        originalSrc: b.pkt.src,
        originalSrcPort: b.pkt.srcPort,
        translatedSrc: addr.privateIp,
        translatedSrcPort: range.from,
      });
      b.pkt.src = addr.privateIp;
      b.pkt.srcPort = range.from;
      out.push(...routeFrom(ctx, b, natSubnet));
    }
  }
  return out;
}

/**
 * A NAT gateway that is not `available` does not process traffic. Amazon EC2 API Reference,
 * "NatGateway" (State: "available - The NAT gateway is able to process traffic"):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html
 */
function natNotAvailable(s: WalkState, nat: NatInfo): WalkOutcome[] {
  const detail = `${nat.id} is ${nat.state}: a NAT gateway that is not available does not forward`;
  return droppedAt(s, { kind: 'nat-gateway', id: nat.id, detail }, 'resource-state');
}

function attachmentNotAvailable(s: WalkState, a: TgwAttachmentInfo): WalkOutcome[] {
  const detail = `${a.id} is ${a.state}: a Transit Gateway attachment that is not available does not forward (modifying is fine)`;
  return droppedAt(s, { kind: 'tgw-attachment', id: a.id, detail }, 'resource-state');
}

function toTransitGateway(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  tgwId: string,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const { model } = ctx;
  const attId = model.tgwAttachmentByVpc.get(`${tgwId}|${vpc.id}`);
  const ingress = attId ? model.tgwAttachments.get(attId) : undefined;
  if (!ingress)
    return drop(s, {
      kind: 'route',
      id: tgwId,
      detail: `${route.text}: ${vpc.id} has no attachment to ${tgwId}`,
    });
  if (!ingress.available) return attachmentNotAvailable(s, ingress);
  if (!from)
    return drop(s, {
      kind: 'route',
      id: tgwId,
      detail: `${route.text}: an edge route table cannot target a transit gateway`,
    });
  const attSubnetId = ingress.subnetByAz.get(from.az);
  if (!attSubnetId) {
    const detail = `${ingress.id} has no subnet in ${from.az}: traffic from ${from.id} cannot reach ${tgwId}`;
    return drop(s, { kind: 'tgw-route', id: ingress.id, detail });
  }
  const attSubnet = model.subnets.get(attSubnetId)!;
  const denied = attSubnet.id === from.id ? sameSubnetToTgw(s, from) : crossSubnets(s, from, attSubnet);
  if (denied) return denied;
  hop(s, {
    kind: 'tgw-attachment',
    id: ingress.id,
    az: from.az,
    detail: `enters ${tgwId} through ${attSubnetId} in ${from.az}`,
  });
  return routeInTgw(ctx, s, tgwId, ingress, from.az);
}

/**
 * Workloads and the attachment ENI in one subnet: traffic to the transit gateway is evaluated by
 * that subnet's network ACL outbound (by destination) and inbound (by source); traffic from the
 * transit gateway to the workloads by neither (TGW_NACL_DOC).
 */
function sameSubnetToTgw(s: WalkState, subnet: SubnetInfo): WalkOutcome[] | undefined {
  if (!subnet.nacl) return undefined;
  const why = `${subnet.id} holds the workload and the TGW attachment interface: traffic to the transit gateway is evaluated by its network ACL outbound (by destination) and inbound (by source) (${TGW_NACL_DOC})`;
  const outbound = evaluateNacl(subnet.nacl, s.pkt, 'egress');
  const inbound = evaluateNacl(subnet.nacl, s.pkt, 'ingress');
  for (const v of [outbound, inbound]) if (!v.allowed) return naclDrop(s, subnet, `${v.detail}; ${why}`);
  hop(s, {
    kind: 'network-acl',
    id: subnet.nacl.id,
    az: subnet.az,
    detail: `${why}: ${outbound.detail}; ${inbound.detail}`,
  });
  return undefined;
}

/** Routing inside transit gateway `tgwId`, entered through `ingress` in `entryAz`. */
function routeInTgw(
  ctx: WalkContext,
  s: WalkState,
  tgwId: string,
  ingress: TgwAttachmentInfo,
  entryAz: string,
): WalkOutcome[] {
  const { model } = ctx;
  const lookup = lookupTgwRoute(model, ingress, tgwId, s.pkt.dst);
  if (lookup.kind === 'no-route') {
    const at: Hop = { kind: 'tgw-route-table', id: lookup.routeTableId ?? ingress.id, detail: lookup.detail };
    return droppedAt(s, at, 'no-route');
  }
  const loop = routingLoop(s, lookup.routeTableId, `${lookup.routeTableId}|${s.pkt.src}|${s.pkt.dst}`);
  if (loop) return loop;
  hop(s, { kind: 'tgw-route-table', id: lookup.routeTableId, detail: lookup.route.text });
  if (lookup.kind === 'blackhole')
    return drop(s, { kind: 'blackhole', id: lookup.routeTableId, detail: lookup.route.text });
  const out: WalkOutcome[] = [];
  const targets = lookup.route.attachmentIds;
  for (const egressId of targets) {
    const egress = model.tgwAttachments.get(egressId)!;
    const base = targets.length > 1 ? fork(s) : s;
    if (!egress.available) {
      out.push(...attachmentNotAvailable(base, egress));
      continue;
    }
    if (egress.resourceType === 'peering' && egress.peer) {
      out.push(...acrossTgwPeering(ctx, base, tgwId, egress, entryAz));
      continue;
    }
    if (!egress.vpcId) {
      out.push(
        ...notModelled(
          base,
          egressId,
          `${lookup.route.text}: ${egress.resourceType} attachments are not modelled (what lies beyond ${egressId} is outside the snapshot)`,
        ),
      );
      continue;
    }
    const choices = selectEgressAz(egress, entryAz, base.applianceAz.get(egressId));
    if (choices.length === 0) {
      out.push(...drop(base, { kind: 'tgw-route', id: egressId, detail: `${egressId} has no subnets` }));
      continue;
    }
    for (const choice of choices) {
      const b = choices.length > 1 ? fork(base) : base;
      if (egress.applianceMode) b.applianceAz.set(egressId, choice.az);
      hop(b, {
        kind: 'tgw-attachment',
        id: egressId,
        az: choice.az,
        detail: `leaves ${tgwId} through ${choice.subnetId}: ${choice.reason}`,
      });
      b.tgwEgressSubnet = choice.subnetId;
      out.push(...routeFrom(ctx, b, model.subnets.get(choice.subnetId)!));
    }
  }
  return out;
}

/**
 * A peering attachment carries the packet to the transit gateway at the other end, where the same
 * attachment id is associated with a route table of that gateway. Amazon VPC Transit Gateways,
 * "Transit gateway peering attachments": https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html
 */
function acrossTgwPeering(
  ctx: WalkContext,
  s: WalkState,
  tgwId: string,
  peering: TgwAttachmentInfo,
  entryAz: string,
): WalkOutcome[] {
  const other = peering.tgwId === tgwId ? peering.peer!.tgwId : peering.tgwId;
  const owner = peering.tgwId === tgwId ? peering.peer!.ownerId : undefined;
  if (!associatedTable(peering, other))
    return notModelled(
      s,
      other,
      `${peering.id} leads to ${other}${owner ? ` (account ${owner})` : ''}, whose route tables are not in the snapshot: its routing is not modelled`,
    );
  hop(s, {
    kind: 'tgw-attachment',
    id: peering.id,
    detail: `crosses peering attachment ${peering.id} from ${tgwId} to ${other}`,
  });
  return routeInTgw(ctx, s, other, peering, entryAz);
}

/**
 * VPC peering: only an `active` connection carries traffic, and only to the peer VPC's own
 * addresses (no transitive routing, no edge-to-edge routing through the peer's gateways).
 * Amazon VPC Peering guide, "VPC peering connection lifecycle" and "VPC peering limitations":
 * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
 */
function throughPeering(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  pcxId: string,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const { model } = ctx;
  const pcx = model.peerings.get(pcxId);
  if (!pcx)
    return notModelled(
      s,
      pcxId,
      `${route.text}: ${pcxId} is not in VpcPeeringConnections: where it leads is not modelled`,
    );
  const here =
    pcx.requester.vpcId === vpc.id ? pcx.requester : pcx.accepter.vpcId === vpc.id ? pcx.accepter : undefined;
  const there = here === pcx.requester ? pcx.accepter : pcx.requester;
  if (!here)
    return drop(s, {
      kind: 'route',
      id: pcxId,
      detail: `${route.text}: ${pcxId} does not connect ${vpc.id}`,
    });
  if (pcx.state !== 'active') {
    const detail = `${pcxId} is ${pcx.state}: only an active peering connection carries traffic`;
    return droppedAt(s, { kind: 'vpc-peering', id: pcxId, detail }, 'resource-state');
  }
  const dst = ipToInt(s.pkt.dst);
  if (!there.cidrs.some((c) => cidrContains(c, dst))) {
    const detail = `${pcxId} delivers only to ${there.vpcId} (${there.cidrs.map((c) => c.text).join(', ') || 'no CIDR'}): ${s.pkt.dst} is beyond it, and a peering connection is not transitive`;
    hop(s, { kind: 'vpc-peering', id: pcxId, detail });
    return drop(s, { kind: 'vpc-peering', id: pcxId, detail });
  }
  const peerVpc = model.vpcs.get(there.vpcId);
  const owner = there.ownerId ? `account ${there.ownerId}` : '';
  const region = there.region ? `${owner ? ', ' : ''}${there.region}` : '';
  if (!peerVpc)
    return notModelled(
      s,
      there.vpcId,
      `${pcxId} leads to ${there.vpcId}${owner || region ? ` (${owner}${region})` : ''}, which is not in the snapshot: what it does with the packet is not modelled`,
    );
  const denied = crossSubnets(s, from, null);
  if (denied) return denied;
  hop(s, {
    kind: 'vpc-peering',
    id: pcxId,
    detail: `crosses ${pcxId} (active) from ${vpc.id} to ${there.vpcId}${owner ? ` (${owner})` : ''}`,
  });
  // Security-group references across an active peering resolve in the sending VPC.
  return deliverInVpc(ctx, s, peerVpc, null, vpc.id);
}

/**
 * A virtual private gateway target leaves the network toward on-premises networks: an end, like
 * the internet. AWS Site-to-Site VPN User Guide, "Route tables and AWS Site-to-Site VPN route priority":
 * https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html
 */
function toOnPremises(
  _ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  vgwId: string,
  from: SubnetInfo | null,
): WalkOutcome[] {
  const denied = crossSubnets(s, from, null);
  if (denied) return denied;
  hop(s, {
    kind: 'on-premises',
    id: vgwId,
    detail: `leaves ${vpc.id} through ${vgwId} toward on-premises networks (beyond the snapshot; the host is taken to answer, as an internet host is)`,
  });
  return [
    {
      state: s,
      verdict: 'delivered',
      decidedBy: {
        kind: 'delivered',
        id: vgwId,
        detail: `reached on-premises ${s.pkt.dst} through ${vgwId}`,
      },
      end: { kind: 'on-premises', vgwId, vpcId: vpc.id },
    },
  ];
}

function throughVpcEndpoint(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  vpceId: string,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const { model } = ctx;
  const gateway = model.gatewayEndpoints.get(vpceId);
  if (gateway) return toGatewayEndpoint(ctx, s, vpc, vpceId, from, route);
  const ep = model.firewallEndpoints.get(vpceId);
  if (!ep) {
    const type = model.vpcEndpoints.get(vpceId)?.VpcEndpointType ?? 'unknown';
    return notModelled(
      s,
      vpceId,
      `${route.text}: ${vpceId} (${type}) is not a Network Firewall endpoint: the appliance behind it is not modelled`,
    );
  }
  if (ep.vpcId !== vpc.id) return targetInOtherVpc(s, route, vpceId, ep.vpcId, vpc);
  if (!ep.forwards) {
    // AWS Network Firewall API Reference, "Attachment": only READY (and SCALING) endpoints handle traffic.
    const detail = `${vpceId} (${ep.firewallName}, ${ep.az}) attachment status is ${ep.status}: the endpoint does not forward traffic`;
    return droppedAt(s, { kind: 'firewall-endpoint', id: vpceId, az: ep.az, detail }, 'resource-state');
  }
  const epSubnet = model.subnets.get(ep.subnetId)!;
  const denied = crossSubnets(s, from, epSubnet);
  if (denied) return denied;
  // An endpoint cannot inspect traffic of its own subnet: such packets pass uninspected.
  if (cidrContains(epSubnet.cidr, ipToInt(s.pkt.src)) || cidrContains(epSubnet.cidr, ipToInt(s.pkt.dst))) {
    hop(s, {
      kind: 'firewall-endpoint',
      id: vpceId,
      az: ep.az,
      detail: `${vpceId} does not inspect traffic of its own subnet ${epSubnet.id} (${epSubnet.cidr.text}): not crossed`,
    });
    return routeFrom(ctx, s, epSubnet);
  }
  s.firewallEndpoints.push(vpceId);
  if (s.dir === 'return') {
    if (!s.forwardEndpoints.includes(vpceId)) return replyWithoutState(ctx, s, ep, epSubnet);
    hop(s, {
      kind: 'firewall-endpoint',
      id: vpceId,
      az: ep.az,
      detail: `${vpceId} (${ep.firewallName}, ${ep.az}) passes the reply of an allowed flow (stateful)`,
    });
    return routeFrom(ctx, s, epSubnet);
  }
  const flow = flowAt(s);
  const cacheKey = `${ep.firewallArn}|${flow.protocol}|${flow.srcIp}|${flow.srcPort}|${flow.dstIp}|${flow.dstPort}|${appKey(s.app)}`;
  let decision = ctx.decisionCache.get(cacheKey);
  if (!decision) {
    decision = model.firewallEngine(ep.firewallArn).evaluate(flow);
    ctx.decisionCache.set(cacheKey, decision);
  }
  s.firewallDecisions.push(decision);
  const detail = `${ep.firewallName} ${explainDecision(decision)}${decision.warnings.length ? `; warnings: ${decision.warnings.join('; ')}` : ''}`;
  hop(s, { kind: 'firewall-endpoint', id: vpceId, az: ep.az, detail });
  if (!decision.allowed) return drop(s, { kind: 'firewall', id: vpceId, detail });
  return routeFrom(ctx, s, epSubnet);
}

/** The flow as the firewall sees the packet in `s` (for a reply: the client's flow it answers). */
function flowAt(s: WalkState): Flow {
  const forward = s.dir === 'forward';
  return {
    protocol: s.pkt.protocol as Flow['protocol'],
    srcIp: forward ? s.pkt.src : s.pkt.dst,
    srcPort: forward ? s.pkt.srcPort : s.pkt.dstPort,
    dstIp: forward ? s.pkt.dst : s.pkt.src,
    dstPort: forward ? s.pkt.dstPort : s.pkt.srcPort,
    ...(s.app ? { app: s.app } : {}),
  };
}

/**
 * A reply reaching an endpoint that did not see its request (asymmetric routing). That endpoint
 * sees the flow from the reply only, and the request's endpoint saw the request only: each picks a
 * TCP flow up mid-stream, and the policy's StreamExceptionPolicy decides (see firewall/engine.ts).
 * An evaluator that cannot say (a stand-in) keeps the stateful default: no state, reply dropped.
 */
function replyWithoutState(
  ctx: WalkContext,
  s: WalkState,
  ep: FirewallEndpointInfo,
  epSubnet: SubnetInfo,
): WalkOutcome[] {
  const { model } = ctx;
  const before = s.forwardEndpoints.length ? s.forwardEndpoints.join(', ') : 'no endpoint';
  const noState = `${ep.endpointId} (${ep.firewallName}, ${ep.az}) has no state for this flow: the request crossed ${before}`;
  const flow = flowAt(s);
  const engine = model.firewallEngine(ep.firewallArn);
  if (!engine.evaluateOneWay) {
    const detail = `${noState}; the stateful engine drops the reply`;
    hop(s, { kind: 'firewall-endpoint', id: ep.endpointId, az: ep.az, detail });
    return drop(s, { kind: 'firewall', id: ep.endpointId, detail });
  }
  const verdicts = [
    { where: `${ep.firewallName} at ${ep.endpointId}`, decision: engine.evaluateOneWay(flow, 'reply-only') },
    ...s.forwardEndpoints
      .filter((id) => !s.firewallEndpoints.includes(id))
      .map((id) => model.firewallEndpoints.get(id))
      .filter((other) => other !== undefined)
      .flatMap((other) => {
        const e = model.firewallEngine(other.firewallArn);
        if (!e.evaluateOneWay) return [];
        return [
          {
            where: `${other.firewallName} at ${other.endpointId}`,
            decision: e.evaluateOneWay(flow, 'request-only'),
          },
        ];
      }),
  ];
  const failed = verdicts.find((v) => !v.decision.allowed);
  const shown = failed ?? verdicts[0]!;
  const detail = `${noState}; ${shown.where} ${explainDecision(shown.decision)}`;
  hop(s, { kind: 'firewall-endpoint', id: ep.endpointId, az: ep.az, detail });
  if (failed) return drop(s, { kind: 'firewall', id: ep.endpointId, detail });
  return routeFrom(ctx, s, epSubnet);
}

/**
 * A gateway endpoint (S3, DynamoDB) delivers the traffic its prefix-list route matches to the
 * service: an end, like the internet. AWS PrivateLink guide, "Gateway endpoints" (routing):
 * https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
 */
function toGatewayEndpoint(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  vpceId: string,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const ep = ctx.model.gatewayEndpoints.get(vpceId)!;
  if (ep.vpcId !== vpc.id) return targetInOtherVpc(s, route, vpceId, ep.vpcId, vpc);
  if (ep.state !== 'available') {
    const detail = `${vpceId} is ${ep.state}: a gateway endpoint that is not available does not forward`;
    return droppedAt(s, { kind: 'vpc-endpoint', id: vpceId, detail }, 'resource-state');
  }
  const denied = crossSubnets(s, from, null);
  if (denied) return denied;
  hop(s, {
    kind: 'vpc-endpoint',
    id: vpceId,
    detail: `gateway endpoint ${vpceId} (${ep.serviceName}) takes ${s.pkt.dst}${route.prefixListId ? ` (in ${route.prefixListId})` : ''} to the service`,
  });
  hop(s, {
    kind: 'aws-service',
    id: ep.serviceName,
    detail: `${ep.serviceName} at ${s.pkt.dst} sees source ${s.pkt.src} (the endpoint policy is IAM, not evaluated here)`,
  });
  return [
    {
      state: s,
      verdict: 'delivered',
      decidedBy: {
        kind: 'delivered',
        id: vpceId,
        detail: `reached ${ep.serviceName} through gateway endpoint ${vpceId}`,
      },
      end: { kind: 'service', endpointId: vpceId, vpcId: vpc.id },
    },
  ];
}

/** A route to an ENI/instance: delivered if it holds the destination, else it forwards (an appliance). */
function throughEni(
  ctx: WalkContext,
  s: WalkState,
  eni: EniInfo,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const subnet = ctx.model.subnets.get(eni.subnetId)!;
  if (eni.ipText === s.pkt.dst) return deliverInVpc(ctx, s, ctx.model.vpcs.get(eni.vpcId)!, from);
  if (eni.instanceId) {
    const state = instanceState(ctx.model, eni.instanceId);
    if (state !== 'running') {
      const detail = `${route.text}: ${eni.instanceId} is ${state}: an instance that is not running forwards nothing`;
      return droppedAt(s, { kind: 'instance', id: eni.instanceId, az: subnet.az, detail }, 'instance-state');
    }
  }
  const denied = crossSubnets(s, from, subnet);
  if (denied) return denied;
  hop(s, {
    kind: eni.instanceId ? 'instance' : 'eni',
    id: eni.instanceId ?? eni.id,
    az: subnet.az,
    detail: `${route.text}: forwards ${s.pkt.src} -> ${s.pkt.dst} (appliance, source/destination check off)`,
  });
  return routeFrom(ctx, s, subnet);
}

/**
 * A reply from the internet: the IGW maps the public destination back to its private address,
 * then the VPC's edge route table (when any) or local routing delivers it.
 */
export function enterFromInternet(ctx: WalkContext, s: WalkState): WalkOutcome[] {
  const { model } = ctx;
  hop(s, { kind: 'internet', id: s.pkt.src, detail: `internet host ${s.pkt.src} replies to ${s.pkt.dst}` });
  const owner = model.publicIpOwner.get(s.pkt.dst);
  if (!owner)
    return drop(s, {
      kind: 'internet-gateway',
      id: s.pkt.dst,
      detail: `no resource in the snapshot holds public IP ${s.pkt.dst}`,
    });
  const vpc = model.vpcs.get(owner.vpcId)!;
  const igwId = vpc.igwIds[0];
  if (!igwId)
    return drop(s, {
      kind: 'internet-gateway',
      id: vpc.id,
      detail: `${vpc.id} has no internet gateway for ${s.pkt.dst}`,
    });
  hop(s, {
    kind: 'internet-gateway',
    id: igwId,
    detail: `${igwId} translates destination ${s.pkt.dst} -> ${owner.privateIp}`,
  });
  s.pkt.dst = owner.privateIp;
  const edge = vpc.edgeRouteTables.get(igwId);
  if (edge) return routeWith(ctx, s, edge, null);
  return deliverInVpc(ctx, s, vpc, null);
}

/** A reply from the service behind a gateway endpoint, or from on-premises through a VGW. */
export function enterFromGateway(
  ctx: WalkContext,
  s: WalkState,
  end:
    | { kind: 'service'; endpointId: string; vpcId: string }
    | { kind: 'on-premises'; vgwId: string; vpcId: string },
): WalkOutcome[] {
  const vpc = ctx.model.vpcs.get(end.vpcId)!;
  if (end.kind === 'service') {
    hop(s, {
      kind: 'vpc-endpoint',
      id: end.endpointId,
      detail: `the service replies to ${s.pkt.dst} through gateway endpoint ${end.endpointId}`,
    });
    return deliverInVpc(ctx, s, vpc, null);
  }
  hop(s, {
    kind: 'on-premises',
    id: end.vgwId,
    detail: `on-premises host ${s.pkt.src} replies through ${end.vgwId}`,
  });
  const edge = vpc.edgeRouteTables.get(end.vgwId);
  if (edge) return routeWith(ctx, s, edge, null);
  return deliverInVpc(ctx, s, vpc, null);
}

function appKey(app: Flow['app']): string {
  return app ? JSON.stringify(app) : '';
}
