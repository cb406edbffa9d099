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

export interface PathResult {
  verdict: PathVerdict;
  hops: Hop[];
  decidedBy: Decision;
  /** Firewall endpoint ids crossed, in order. */
  firewallEndpoints: string[];
  /** Source address as seen at the destination (after NAT), when delivered. */
  translatedSource?: string;
  /** Firewall decisions taken on the way. */
  firewallDecisions?: FirewallDecision[];
}

export interface TraceResult {
  /** Every path AWS may choose for the flow. */
  paths: PathResult[];
}
