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
  | 'vpc-peering'
  | 'dns'
  | 'internet'
  /** The service behind a gateway endpoint (S3, DynamoDB): an end, like the internet. */
  | 'aws-service'
  /** Networks beyond a virtual private gateway: an end, like the internet. */
  | 'on-premises';

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
    | 'vpc-peering'
    | 'vpc-endpoint'
    /** A resource that does not forward in its current state (firewall endpoint, attachment, NAT...). */
    | 'resource-state'
    /** An instance that is not running. */
    | 'instance-state'
    /** Nothing at the destination answers (no interface holds the address, or it answers nothing). */
    | 'no-answer'
    /** A VPC attribute (enableDnsSupport, enableDnsHostnames) or name resolution. */
    | 'dns'
    /** The path meets something the model does not model: the verdict is unknown, not "dropped". */
    | 'not-modelled'
    | 'delivered';
  id: string;
  detail: string;
}

/**
 * `delivered` / `dropped` are the model's verdicts; `unknown` says the path met something the model
 * does not model (named in `decidedBy`), so it cannot tell whether AWS delivers it.
 */
export type PathVerdict = 'delivered' | 'dropped' | 'unknown';

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
