/**
 * The one place the checks call the netmodel path tracer. Checks speak in `FlowQuery`s; this
 * adapter maps them onto the tracer's request, so a change of the tracer's API touches one file.
 */
import {
  buildNetworkModel,
  isAwsServiceName,
  isIpv4,
  resolveServiceName,
  resolveSource,
  traceFlow,
} from '@hubspoke/netmodel';
import type {
  FirewallDecision,
  FirewallEngineFactory,
  NetworkModel,
  NetworkSnapshot,
  PathResult,
  ReturnPathResult,
} from '@hubspoke/netmodel';

export type AppLayer = { kind: 'tls'; sni?: string } | { kind: 'http'; host?: string };

export interface FlowQuery {
  /** Source: an instance, a subnet (its representative address) or an address. */
  source: { instanceId: string } | { subnetId: string } | { ip: string; vpcId?: string };
  /**
   * An address (`standIn`: a stand-in workload the caller placed there, which answers as a workload
   * would), or a host name resolved as the source would resolve it (see `Tracer.trace`).
   */
  destination: { ip: string; port: number; standIn?: boolean } | { host: string; port: number };
  protocol: 'tcp' | 'udp';
  app?: AppLayer;
}

/**
 * Documentation-range stand-in (RFC 5737) for the public address of an AWS service endpoint
 * (`ssm.us-east-1.amazonaws.com` resolved publicly), used when the hosts table does not name it.
 */
export const AWS_SERVICE_PUBLIC_IP = '192.0.2.20';

/** A path: request hops, and the reply's path when the request was delivered. */
export type TracedPath = PathResult;
export type { ReturnPathResult };

export interface Tracer {
  readonly model: NetworkModel;
  trace(query: FlowQuery): TracedPath[];
}

export interface TracerOptions {
  /** Evaluate every firewall as pass-all: routing questions without the policy's verdicts. */
  passAllFirewall?: boolean;
  /** Host -> IPv4 table for destinations given by name (no DNS). */
  hosts?: Record<string, string>;
}

export function createTracer(snapshot: NetworkSnapshot, options: TracerOptions = {}): Tracer {
  const model = buildNetworkModel(
    snapshot,
    options.passAllFirewall ? { firewallEngineFactory: passAllFirewallFactory } : {},
  );
  return tracerFor(model, options.hosts);
}

/**
 * A destination given by name resolves as the source would resolve it: an AWS service name
 * (`<service>.<region>.amazonaws.com`) through the source VPC's DNS attributes and interface
 * endpoints (netmodel resolveServiceName), anything else through the hosts table. Every address
 * private DNS may answer with is a path of its own.
 */
export function tracerFor(model: NetworkModel, hosts: Record<string, string> = {}): Tracer {
  return {
    model,
    trace(q) {
      const s = q.source;
      const from = 'instanceId' in s ? s.instanceId : 'subnetId' in s ? s.subnetId : s.ip;
      const fromVpc = 'ip' in s ? s.vpcId : undefined;
      const base = {
        from,
        port: q.destination.port,
        protocol: q.protocol,
        ...(q.app ? { app: q.app } : {}),
        ...(fromVpc ? { fromVpc } : {}),
      };
      const d = q.destination;
      if ('ip' in d)
        return traceFlow(model, { ...base, to: d.ip, ...(d.standIn ? { toStandIn: true } : {}) }).paths;
      const name = d.host.toLowerCase();
      if (isIpv4(name)) return traceFlow(model, { ...base, to: name }).paths;
      if (isAwsServiceName(name)) {
        const vpcId = resolveSource(model, from, fromVpc).subnet.vpcId;
        const r = resolveServiceName(model, vpcId, name);
        if (r.kind === 'unresolvable') return [unresolved(name, r.detail, r.decidedBy.id)];
        if (r.kind === 'public') {
          // The hosts table stands for public DNS; without an entry, a documentation-range stand-in.
          const to = hosts[name] ?? AWS_SERVICE_PUBLIC_IP;
          return traceFlow(model, { ...base, to, dns: { name, detail: `${r.detail} (${to})` } }).paths;
        }
        const dns = { name, detail: r.detail };
        if (r.addresses.length === 0) return [unresolved(name, r.detail, r.endpointId)];
        return r.addresses.flatMap((to) => traceFlow(model, { ...base, to, dns }).paths);
      }
      const ip = hosts[name];
      if (!ip) throw new Error(`host "${d.host}" is not in the hosts table (no DNS offline)`);
      return traceFlow(model, { ...base, to: ip }).paths;
    },
  };
}

/** A name that does not resolve: the request is never sent. */
function unresolved(name: string, detail: string, id: string): TracedPath {
  return {
    verdict: 'dropped',
    forwardVerdict: 'dropped',
    hops: [{ kind: 'dns', id: name, detail }],
    decidedBy: { kind: 'dns', id, detail },
    firewallEndpoints: [],
  };
}

/**
 * A firewall that passes everything: used to ask which endpoints a flow and its reply would cross
 * even when the policy drops the flow (the policy is judged separately by allow/deny).
 */
export const passAllFirewallFactory: FirewallEngineFactory = () => ({
  evaluate(): FirewallDecision {
    const decidedBy = {
      kind: 'stateless-default' as const,
      text: 'pass-all (routing analysis)',
      action: 'aws:pass',
    };
    return {
      allowed: true,
      handshake: { verdict: 'pass', decidedBy },
      data: { verdict: 'pass', decidedBy },
      warnings: [],
    };
  },
});

/** True when the path met something the model does not model: whether it is answered is unknown. */
export function pathUnknown(path: TracedPath): boolean {
  return (
    path.verdict === 'unknown' || path.forwardVerdict === 'unknown' || path.returnPath?.verdict === 'unknown'
  );
}

/** True when the request's response comes back: request delivered and the reply delivered. */
export function roundTripOk(path: TracedPath): boolean {
  return (
    path.verdict === 'delivered' &&
    (path.forwardVerdict ?? 'delivered') === 'delivered' &&
    (!path.returnPath || path.returnPath.verdict === 'delivered')
  );
}

/** The leg whose drop ended a failed round trip. */
export function failingDecision(path: TracedPath): {
  leg: 'forward' | 'return';
  hops: PathResult['hops'];
  decidedBy: PathResult['decidedBy'];
} {
  if (path.returnPath && path.returnPath.verdict !== 'delivered')
    return { leg: 'return', hops: path.returnPath.hops, decidedBy: path.returnPath.decidedBy };
  return { leg: 'forward', hops: path.hops, decidedBy: path.decidedBy };
}
