/**
 * Result types of the path tracer, shared by the checks, the reports and the `trace` command.
 * A trace returns every path AWS may choose (flow hashing, AZ selection); a check passes only if
 * all of them pass.
 */
import type { FirewallDecision } from './firewall/types';

export type HopKind =
  | 'instance'
  | 'eni'
  | 'subnet'
  | 'route-table'
  | 'tgw-attachment'
  | 'tgw-route-table'
  | 'firewall-endpoint'
  | 'nat-gateway'
  | 'internet-gateway'
  | 'vpc-endpoint'
  | 'security-group'
  | 'network-acl'
  | 'internet';

export interface Hop {
  kind: HopKind;
  /** AWS id of the thing crossed (rtb-..., tgw-attach-..., vpce-..., nat-...). */
  id: string;
  az?: string;
  /** Human-readable: the route or rule that sent the packet on. */
  detail: string;
}

/** What decided the outcome of a path: the route, rule or group responsible. */
export interface Decision {
  kind:
    | 'route'
    | 'tgw-route'
    | 'blackhole'
    | 'no-route'
    | 'security-group'
    | 'network-acl'
    | 'firewall'
    | 'nat'
    | 'internet-gateway'
    | 'delivered';
  id: string;
  detail: string;
}

export type PathVerdict = 'delivered' | 'dropped';

/** The reply direction of a path (added by the tracer; docs/contracts.md "The hubspoke CLI": a request succeeds only if the response comes back). */
export interface ReturnPathResult {
  verdict: PathVerdict;
  hops: Hop[];
  decidedBy: Decision;
  /** Firewall endpoint ids the reply crossed, in order. */
  firewallEndpoints: string[];
}

export interface PathResult {
  /**
   * Outcome of the whole exchange: `delivered` only when the request reaches the destination AND
   * the reply reaches the client (see `forwardVerdict` and `returnPath` for each direction).
   */
  verdict: PathVerdict;
  hops: Hop[];
  decidedBy: Decision;
  /** Firewall endpoint ids crossed, in order. */
  firewallEndpoints: string[];
  /** Source address as seen at the destination (after NAT), when delivered. */
  translatedSource?: string;
  /** Firewall decisions taken on the way. */
  firewallDecisions?: FirewallDecision[];
  /** Outcome of the request direction alone. */
  forwardVerdict?: PathVerdict;
  /** The reply, traced when the request was delivered. */
  returnPath?: ReturnPathResult;
  /** Source ENI/instance or subnet the path starts from, and the AZ it starts in. */
  source?: { id: string; ip: string; subnetId: string; vpcId: string; az: string };
}

export interface TraceResult {
  /** Every path AWS may choose for the flow. */
  paths: PathResult[];
}
