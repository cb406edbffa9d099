/**
 * The hop-by-hop packet walk shared by the forward and the return direction. Each function takes
 * the packet where it is, applies what AWS applies there (route table, NACL, security group,
 * TGW, NAT, IGW, firewall endpoint) and continues or ends the walk; where AWS may choose, it forks.
 */
import { cidrContains, ipToInt, isPrivateIp } from '../ip/cidr';
import type {
  EniInfo,
  FirewallEndpointInfo,
  RouteTableInfo,
  SubnetInfo,
  VpcInfo,
  VpcRoute,
} from '../model/types';
import { lookupTgwRoute, selectEgressAz } from '../routing/tgw-routing';
import { lookupRoute } from '../routing/vpc-routing';
import { evaluateNacl, evaluateSecurityGroups } from '../security/evaluate';
import type { Flow } from '../firewall/types';
import { explainDecision } from '../firewall/explain';
import type { Hop } from '../trace-types';
import { drop, fork, MAX_HOPS } from './walk-state';
import type { WalkContext, WalkOutcome, WalkState } from './walk-state';

const hop = (s: WalkState, h: Hop): void => {
  s.hops.push(h);
};

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
    if (!v.allowed) {
      hop(s, { kind: 'network-acl', id: subnet.nacl.id, az: subnet.az, detail: `${subnet.id}: ${v.detail}` });
      return drop(s, { kind: 'network-acl', id: subnet.nacl.id, detail: v.detail });
    }
  }
  return undefined;
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
      detail: `${s.pkt.src} (no ENI holds this address: security groups not evaluated)`,
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
  const key = `${table.id}|${subnet?.id ?? '-'}|${s.pkt.src}|${s.pkt.dst}`;
  if (s.visited.has(key) || s.hops.length > MAX_HOPS) {
    return drop(s, {
      kind: 'no-route',
      id: table.id,
      detail: `routing loop: ${table.id} routes ${s.pkt.src} -> ${s.pkt.dst} again`,
    });
  }
  s.visited.add(key);
  const lookup = lookupRoute(table, s.pkt.dst);
  if (lookup.kind !== 'routes') {
    hop(s, {
      kind: 'route-table',
      id: table.id,
      ...(subnet ? { az: subnet.az } : {}),
      detail: lookup.detail,
    });
    return drop(s, { kind: 'no-route', id: table.id, detail: lookup.detail });
  }
  const out: WalkOutcome[] = [];
  for (const route of lookup.routes) {
    const b = lookup.routes.length > 1 ? fork(s) : s;
    const via = subnet && subnet.routeTableSource === 'main' ? ` (main route table of ${subnet.vpcId})` : '';
    hop(b, {
      kind: 'route-table',
      id: table.id,
      ...(subnet ? { az: subnet.az } : {}),
      detail: `${route.text}${via}`,
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
      return drop(s, {
        kind: 'route',
        id: table.id,
        detail: `${route.text}: ${t.what} targets are not modelled`,
      });
  }
}

/** Destination inside the VPC: the ENI holding the address (or the subnet holding it when no ENI does). */
function deliverInVpc(ctx: WalkContext, s: WalkState, vpc: VpcInfo, from: SubnetInfo | null): WalkOutcome[] {
  const { model } = ctx;
  const dst = ipToInt(s.pkt.dst);
  const eni = model.enisByIp.get(vpc.id)?.get(dst);
  const subnet = eni ? model.subnets.get(eni.subnetId) : model.subnetTables.get(vpc.id)?.lookup(dst)[0];
  if (!subnet)
    return drop(s, { kind: 'no-route', id: vpc.id, detail: `${s.pkt.dst} is in no subnet of ${vpc.id}` });
  const denied = crossSubnets(s, from, subnet);
  if (denied) return denied;
  if (!eni) {
    hop(s, {
      kind: 'subnet',
      id: subnet.id,
      az: subnet.az,
      detail: `delivered to ${s.pkt.dst} (no ENI holds this address: security groups not evaluated)`,
    });
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
  if (s.dir === 'forward' && eni.groups.length > 0) {
    const v = evaluateSecurityGroups(model, eni.groups, s.pkt, 'ingress', vpc.id);
    hop(s, { kind: 'security-group', id: eni.groups.join(','), az: subnet.az, detail: v.detail });
    if (!v.allowed) return drop(s, { kind: 'security-group', id: eni.groups.join(','), detail: v.detail });
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
  const session = s.natSessions.find((n) => n.natId === eni.natGatewayId && n.translatedSrc === s.pkt.dst);
  const natId = eni.natGatewayId ?? eni.id;
  if (!session)
    return drop(s, {
      kind: 'nat',
      id: natId,
      detail: `${natId} holds no connection for ${s.pkt.src} -> ${s.pkt.dst}`,
    });
  hop(s, {
    kind: 'nat-gateway',
    id: natId,
    az: subnet.az,
    detail: `${natId} translates destination ${s.pkt.dst} -> ${session.originalSrc} (reply)`,
  });
  s.pkt.dst = session.originalSrc;
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

function throughNat(
  ctx: WalkContext,
  s: WalkState,
  vpc: VpcInfo,
  natId: string,
  from: SubnetInfo | null,
  route: VpcRoute,
): WalkOutcome[] {
  const nat = ctx.model.natGateways.get(natId)!;
  if (nat.vpcId !== vpc.id)
    return drop(s, {
      kind: 'route',
      id: natId,
      detail: `${route.text}: ${natId} is in ${nat.vpcId}, not ${vpc.id}`,
    });
  if (!nat.available) return drop(s, { kind: 'nat', id: natId, detail: `${natId} is not available` });
  if (nat.addresses.length === 0)
    return drop(s, { kind: 'nat', id: natId, detail: `${natId} has no address` });
  const natSubnet = ctx.model.subnets.get(nat.subnetId)!;
  const denied = crossSubnets(s, from, natSubnet);
  if (denied) return denied;
  const out: WalkOutcome[] = [];
  // A NAT with several addresses uses one of them per connection: each is a possible path.
  for (const addr of nat.addresses) {
    const b = nat.addresses.length > 1 ? fork(s) : s;
    const eip = addr.publicIp && nat.public ? ` (EIP ${addr.publicIp} at the IGW)` : '';
    hop(b, {
      kind: 'nat-gateway',
      id: natId,
      az: natSubnet.az,
      detail: `${natId} translates source ${b.pkt.src} -> ${addr.privateIp}${eip}`,
    });
    b.natSessions.push({ natId, originalSrc: b.pkt.src, translatedSrc: addr.privateIp });
    b.pkt.src = addr.privateIp;
    out.push(...routeFrom(ctx, b, natSubnet));
  }
  return out;
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
  if (!ingress.available)
    return drop(s, { kind: 'tgw-route', id: ingress.id, detail: `${ingress.id} is not available` });
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
  const denied = crossSubnets(s, from, model.subnets.get(attSubnetId)!);
  if (denied) return denied;
  hop(s, {
    kind: 'tgw-attachment',
    id: ingress.id,
    az: from.az,
    detail: `enters ${tgwId} through ${attSubnetId} in ${from.az}`,
  });
  const lookup = lookupTgwRoute(model, ingress, s.pkt.dst);
  if (lookup.kind === 'no-route') {
    hop(s, { kind: 'tgw-route-table', id: lookup.routeTableId ?? ingress.id, detail: lookup.detail });
    return drop(s, { kind: 'no-route', id: lookup.routeTableId ?? ingress.id, detail: lookup.detail });
  }
  hop(s, { kind: 'tgw-route-table', id: lookup.routeTableId, detail: lookup.route.text });
  if (lookup.kind === 'blackhole')
    return drop(s, { kind: 'blackhole', id: lookup.routeTableId, detail: lookup.route.text });
  const out: WalkOutcome[] = [];
  const targets = lookup.route.attachmentIds;
  for (const egressId of targets) {
    const egress = model.tgwAttachments.get(egressId)!;
    const base = targets.length > 1 ? fork(s) : s;
    if (!egress.vpcId) {
      out.push(
        ...drop(base, {
          kind: 'tgw-route',
          id: egressId,
          detail: `${lookup.route.text}: ${egress.resourceType} attachments are not modelled`,
        }),
      );
      continue;
    }
    if (!egress.available) {
      out.push(...drop(base, { kind: 'tgw-route', id: egressId, detail: `${egressId} is not available` }));
      continue;
    }
    const choices = selectEgressAz(egress, from.az, base.applianceAz.get(egressId));
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
      out.push(...routeFrom(ctx, b, model.subnets.get(choice.subnetId)!));
    }
  }
  return out;
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
  const ep = model.firewallEndpoints.get(vpceId);
  if (!ep) {
    const type = model.vpcEndpoints.get(vpceId)?.VpcEndpointType ?? 'unknown';
    return drop(s, {
      kind: 'route',
      id: vpceId,
      detail: `${route.text}: ${vpceId} (${type}) is not a Network Firewall endpoint; other appliances are not modelled`,
    });
  }
  if (ep.vpcId !== vpc.id)
    return drop(s, {
      kind: 'route',
      id: vpceId,
      detail: `${route.text}: ${vpceId} is in ${ep.vpcId}, not ${vpc.id}`,
    });
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
  if (vpc.edgeRouteTable) return routeWith(ctx, s, vpc.edgeRouteTable, null);
  return deliverInVpc(ctx, s, vpc, null);
}

function appKey(app: Flow['app']): string {
  return app ? JSON.stringify(app) : '';
}
