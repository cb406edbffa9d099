/**
 * traceFlow: every path AWS may choose for a request, each with its reply. A path is `delivered`
 * only when both the request and the reply get through, and `unknown` when either meets something
 * the model does not model.
 */
import type { Flow, FlowProtocol } from '../firewall/types';
import { ipToInt } from '../ip/cidr';
import type { EniInfo, NetworkModel, SubnetInfo } from '../model/types';
import { representativeIp } from '../model/queries';
import type { Decision, PathResult, TraceResult } from '../trace-types';
import { instanceState } from './answers';
import { enterFromGateway, enterFromInternet, leaveHost, routeFrom } from './walker';
import type { WalkContext, WalkOutcome, WalkState } from './walk-state';

export interface TraceRequest {
  /** Instance id (`i-...`), subnet id (`subnet-...`: its representative address) or private IP. */
  from: string;
  /** Destination IPv4 address. */
  to: string;
  port: number;
  /** Default `tcp`. */
  protocol?: FlowProtocol;
  /** What the client speaks (drives the firewall's tls.sni / http.host / dns.query rules). */
  app?: Flow['app'];
  /** Client source port; default 50000 (an ephemeral port, as NACL reply rules see it). */
  sourcePort?: number;
  /** VPC of `from` when it is an IP that several VPCs hold. */
  fromVpc?: string;
  /**
   * `to` is a stand-in workload the caller placed there (no interface holds it): it answers as a
   * workload would. Without it, an address no interface holds answers nothing.
   */
  toStandIn?: boolean;
  /** How the destination name was resolved, shown as the first hop (see resolveServiceName). */
  dns?: { name: string; detail: string };
}

export interface ResolvedSource {
  ip: string;
  subnet: SubnetInfo;
  eni?: EniInfo;
  /** Instance id, ENI id or subnet id. */
  id: string;
}

const DEFAULT_SOURCE_PORT = 50000;
const contexts = new WeakMap<NetworkModel, WalkContext>();

function contextOf(model: NetworkModel): WalkContext {
  let ctx = contexts.get(model);
  if (!ctx) {
    ctx = { model, decisionCache: new Map() };
    contexts.set(model, ctx);
  }
  return ctx;
}

/** Resolves `from` to the address, subnet and ENI a trace starts at; throws naming the value. */
export function resolveSource(model: NetworkModel, from: string, fromVpc?: string): ResolvedSource {
  if (from.startsWith('i-')) {
    const ip = model.instanceIp.get(from);
    if (!ip) throw new Error(`source "${from}": no such instance in the snapshot`);
    const eni = model.instanceEni.get(from);
    const subnet = eni ? model.subnets.get(eni.subnetId) : undefined;
    if (!eni || !subnet)
      throw new Error(`source "${from}": instance has no network interface in a known subnet`);
    return { ip, subnet, eni, id: from };
  }
  if (from.startsWith('subnet-')) {
    const subnet = model.subnets.get(from);
    if (!subnet) throw new Error(`source "${from}": no such subnet in the snapshot`);
    const ip = representativeIp(model, from);
    const eni = model.enisByIp.get(subnet.vpcId)?.get(ipToInt(ip));
    return { ip, subnet, ...(eni ? { eni } : {}), id: eni?.instanceId ?? subnet.id };
  }
  const ip = ipToInt(from, 'source address');
  const candidates: ResolvedSource[] = [];
  // With the VPC given, look there only (the routing checks trace thousands of subnets this way).
  const vpcs = fromVpc ? [model.vpcs.get(fromVpc)].filter((v) => v !== undefined) : model.vpcs.values();
  for (const vpc of vpcs) {
    const eni = model.enisByIp.get(vpc.id)?.get(ip);
    const subnet = eni ? model.subnets.get(eni.subnetId) : model.subnetTables.get(vpc.id)?.lookup(ip)[0];
    if (subnet)
      candidates.push({
        ip: from,
        subnet,
        ...(eni ? { eni } : {}),
        id: eni?.instanceId ?? eni?.id ?? subnet.id,
      });
  }
  if (candidates.length === 0)
    throw new Error(`source "${from}": no subnet${fromVpc ? ` of ${fromVpc}` : ''} holds this address`);
  if (candidates.length > 1)
    throw new Error(
      `source "${from}" is in several VPCs (${candidates.map((c) => c.subnet.vpcId).join(', ')}): give fromVpc`,
    );
  return candidates[0]!;
}

function validate(request: TraceRequest): void {
  ipToInt(request.to, 'destination address');
  if (!Number.isInteger(request.port) || request.port < 0 || request.port > 65535)
    throw new Error(`destination port ${request.port} is not 0..65535`);
  const sp = request.sourcePort ?? DEFAULT_SOURCE_PORT;
  if (!Number.isInteger(sp) || sp < 1 || sp > 65535) throw new Error(`source port ${sp} is not 1..65535`);
  if (request.protocol && !['tcp', 'udp', 'icmp'].includes(request.protocol))
    throw new Error(`protocol "${request.protocol}" is not tcp|udp|icmp`);
}

export function traceFlow(model: NetworkModel, request: TraceRequest): TraceResult {
  validate(request);
  const notRunning = sourceNotRunning(model, request);
  if (notRunning) return { paths: [notRunning] };
  const src = resolveSource(model, request.from, request.fromVpc);
  const ctx = contextOf(model);
  const protocol = request.protocol ?? 'tcp';
  const start: WalkState = {
    dir: 'forward',
    pkt: {
      protocol,
      src: src.ip,
      dst: request.to,
      srcPort: request.sourcePort ?? DEFAULT_SOURCE_PORT,
      dstPort: request.port,
    },
    ...(request.app ? { app: request.app } : {}),
    hops: [],
    firewallEndpoints: [],
    firewallDecisions: [],
    applianceAz: new Map(),
    natSessions: [],
    forwardEndpoints: [],
    visited: new Set(),
    ...(request.toStandIn ? { standInDst: request.to } : {}),
  };
  if (request.dns) start.hops.push({ kind: 'dns', id: request.dns.name, detail: request.dns.detail });
  const forward = leaveHost(ctx, start, src.subnet, src.eni);
  const source = {
    id: src.id,
    ip: src.ip,
    subnetId: src.subnet.id,
    vpcId: src.subnet.vpcId,
    az: src.subnet.az,
  };
  const paths: PathResult[] = [];
  for (const f of forward) {
    const base: PathResult = {
      verdict: f.verdict,
      forwardVerdict: f.verdict,
      hops: f.state.hops,
      decidedBy: f.decidedBy,
      firewallEndpoints: f.state.firewallEndpoints,
      firewallDecisions: f.state.firewallDecisions,
      source,
    };
    if (f.verdict !== 'delivered') {
      paths.push(base);
      continue;
    }
    base.translatedSource = f.state.pkt.src;
    for (const r of traceReturn(ctx, f)) {
      const returnPath = {
        verdict: r.verdict,
        hops: r.state.hops,
        decidedBy: r.decidedBy,
        firewallEndpoints: r.state.firewallEndpoints,
      };
      paths.push({
        ...base,
        verdict: r.verdict,
        decidedBy: r.verdict === 'delivered' ? deliveredDecision(f) : r.decidedBy,
        returnPath,
      });
    }
  }
  return { paths };
}

/**
 * A source instance that is not running sends nothing: one dropped path naming its state.
 * Amazon EC2 User Guide, "Amazon EC2 instance state changes":
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 */
function sourceNotRunning(model: NetworkModel, request: TraceRequest): PathResult | undefined {
  if (!request.from.startsWith('i-') || !model.instances.has(request.from)) return undefined;
  const state = instanceState(model, request.from);
  if (state === 'running') return undefined;
  const detail = `${request.from} is ${state}: an instance that is not running sends and observes nothing`;
  const eni = model.instanceEni.get(request.from);
  const subnet = eni ? model.subnets.get(eni.subnetId) : undefined;
  return {
    verdict: 'dropped',
    forwardVerdict: 'dropped',
    hops: [{ kind: 'instance', id: request.from, ...(subnet ? { az: subnet.az } : {}), detail }],
    decidedBy: { kind: 'instance-state', id: request.from, detail },
    firewallEndpoints: [],
    ...(eni && subnet
      ? {
          source: {
            id: request.from,
            ip: eni.ipText,
            subnetId: subnet.id,
            vpcId: subnet.vpcId,
            az: subnet.az,
          },
        }
      : {}),
  };
}

/** For a delivered exchange, the firewall rule that let it through is more telling than "delivered". */
function deliveredDecision(f: WalkOutcome): Decision {
  const decision = f.state.firewallDecisions.at(-1);
  const endpoint = f.state.firewallEndpoints.at(-1);
  if (!decision || !endpoint) return f.decidedBy;
  return {
    kind: 'firewall',
    id: endpoint,
    detail: `${decision.data.decidedBy.action}: ${decision.data.decidedBy.text}`,
  };
}

/** The reply of a delivered request: from the server (or internet host) back to the translated client address. */
export function traceReturn(ctx: WalkContext, f: WalkOutcome): WalkOutcome[] {
  const end = f.end!;
  const s: WalkState = {
    dir: 'return',
    pkt: {
      protocol: f.state.pkt.protocol,
      src: f.state.pkt.dst,
      dst: f.state.pkt.src,
      srcPort: f.state.pkt.dstPort,
      dstPort: f.state.pkt.srcPort,
    },
    ...(f.state.app ? { app: f.state.app } : {}),
    hops: [],
    firewallEndpoints: [],
    firewallDecisions: [],
    applianceAz: new Map(f.state.applianceAz),
    natSessions: [...f.state.natSessions],
    forwardEndpoints: [...f.state.firewallEndpoints],
    visited: new Set(),
  };
  if (end.kind === 'internet') return enterFromInternet(ctx, s);
  if (end.kind === 'service' || end.kind === 'on-premises') return enterFromGateway(ctx, s, end);
  const subnet = ctx.model.subnets.get(end.subnetId)!;
  if (end.kind === 'eni') {
    s.hops.push({
      kind: end.eni.instanceId ? 'instance' : 'eni',
      id: end.eni.instanceId ?? end.eni.vpcEndpointId ?? end.eni.id,
      az: subnet.az,
      detail: `${end.eni.ipText} replies to ${s.pkt.dst}`,
    });
  } else {
    s.hops.push({
      kind: 'subnet',
      id: subnet.id,
      az: subnet.az,
      detail: `${end.ip} replies to ${s.pkt.dst}`,
    });
  }
  return routeFrom(ctx, s, subnet);
}
