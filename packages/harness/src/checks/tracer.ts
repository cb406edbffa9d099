/**
 * The one place the checks call the netmodel path tracer. Checks speak in `FlowQuery`s; this
 * adapter maps them onto the tracer's request, so a change of the tracer's API touches one file.
 */
import { buildNetworkModel, traceFlow } from '@hubspoke/netmodel';
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
  destination: { ip: string; port: number };
  protocol: 'tcp' | 'udp';
  app?: AppLayer;
}

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
}

export function createTracer(snapshot: NetworkSnapshot, options: TracerOptions = {}): Tracer {
  const model = buildNetworkModel(
    snapshot,
    options.passAllFirewall ? { firewallEngineFactory: passAllFirewallFactory } : {},
  );
  return tracerFor(model);
}

export function tracerFor(model: NetworkModel): Tracer {
  return {
    model,
    trace(q) {
      const s = q.source;
      const from = 'instanceId' in s ? s.instanceId : 'subnetId' in s ? s.subnetId : s.ip;
      const fromVpc = 'ip' in s ? s.vpcId : undefined;
      return traceFlow(model, {
        from,
        to: q.destination.ip,
        port: q.destination.port,
        protocol: q.protocol,
        ...(q.app ? { app: q.app } : {}),
        ...(fromVpc ? { fromVpc } : {}),
      }).paths;
    },
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
