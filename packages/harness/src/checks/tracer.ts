/**
 * The one place the checks call the netmodel path tracer. Checks speak in `FlowQuery`s; this
 * adapter maps them onto the tracer's request type, so a change of the tracer's API touches one
 * file.
 */
import * as netmodel from '@hubspoke/netmodel';
import type { NetworkSnapshot, PathResult, TraceResult } from '@hubspoke/netmodel';

export type AppLayer = { kind: 'tls'; sni?: string } | { kind: 'http'; host?: string };

export interface FlowQuery {
  /** Source: a probe instance, or an address (optionally pinned to its subnet). */
  source: { instanceId: string } | { ip: string; subnetId?: string };
  destination: { ip: string; port: number };
  protocol: 'tcp' | 'udp';
  app?: AppLayer;
}

/** A path with the reply's path, as the tracer returns it. */
export type TracedPath = PathResult & { returnPath?: PathResult };

export interface Tracer {
  trace(query: FlowQuery): TracedPath[];
}

export function createTracer(snapshot: NetworkSnapshot): Tracer {
  const api = netmodel as unknown as {
    buildNetworkModel?: (s: NetworkSnapshot) => unknown;
    traceFlow?: (model: unknown, request: unknown) => TraceResult;
  };
  if (!api.buildNetworkModel || !api.traceFlow) throw new Error('@hubspoke/netmodel does not export buildNetworkModel/traceFlow yet');
  const model = api.buildNetworkModel(snapshot);
  const traceFlow = api.traceFlow;
  return {
    trace(query) {
      return traceFlow(model, query).paths as TracedPath[];
    },
  };
}

/** True when the request's response comes back: forward delivered and the reply delivered. */
export function roundTripOk(path: TracedPath): boolean {
  return path.verdict === 'delivered' && path.returnPath?.verdict === 'delivered';
}

/** The decision that ended a failed round trip (forward first, then the reply). */
export function failingDecision(path: TracedPath): { leg: 'forward' | 'return'; path: PathResult } {
  if (path.verdict !== 'delivered' || !path.returnPath) return { leg: 'forward', path };
  return { leg: 'return', path: path.returnPath };
}
