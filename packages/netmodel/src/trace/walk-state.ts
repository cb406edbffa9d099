/**
 * The state of one packet walk (one possible path). Walks fork where AWS may choose (AZ, equal
 * routes, NAT address), so every field is copied on fork.
 */
import type { FirewallDecision, Flow } from '../firewall/types';
import type { EniInfo, NetworkModel } from '../model/types';
import type { Packet } from '../security/evaluate';
import type { Decision, Hop, PathVerdict } from '../trace-types';

export interface NatSession {
  natId: string;
  originalSrc: string;
  originalSrcPort: number;
  translatedSrc: string;
  translatedSrcPort: number;
}

export interface WalkState {
  dir: 'forward' | 'return';
  pkt: Packet;
  /** The client's flow as the firewall sees it (forward: current packet; return: the forward flow). */
  app?: Flow['app'];
  hops: Hop[];
  firewallEndpoints: string[];
  firewallDecisions: FirewallDecision[];
  /** Appliance-mode AZ pinned per TGW attachment for this flow (shared by both directions). */
  applianceAz: Map<string, string>;
  natSessions: NatSession[];
  /** Endpoints the forward path crossed (return: endpoints holding state for the flow). */
  forwardEndpoints: string[];
  /** Every (table, position, packet) already routed: a repeat is a routing loop. */
  visited: Set<string>;
  /**
   * The request's destination when the caller placed a stand-in workload there (the routing checks
   * do, in subnets no instance of theirs occupies): it answers as a workload would.
   */
  standInDst?: string;
  /** The subnet the packet just entered from the transit gateway (its NACL is then not evaluated). */
  tgwEgressSubnet?: string;
}

export type WalkEnd =
  | { kind: 'eni'; eni: EniInfo; vpcId: string; subnetId: string }
  | { kind: 'address'; ip: string; vpcId: string; subnetId: string }
  | { kind: 'internet'; igwId: string; vpcId: string }
  /** The service behind a gateway endpoint (S3, DynamoDB). */
  | { kind: 'service'; endpointId: string; vpcId: string }
  /** Networks beyond a virtual private gateway. */
  | { kind: 'on-premises'; vgwId: string; vpcId: string };

export interface WalkOutcome {
  state: WalkState;
  verdict: PathVerdict;
  decidedBy: Decision;
  end?: WalkEnd;
}

export interface WalkContext {
  model: NetworkModel;
  /** Firewall decisions cached per firewall and flow: many paths cross the same firewall with the same flow. */
  decisionCache: Map<string, FirewallDecision>;
}

export const MAX_HOPS = 64;

export function fork(s: WalkState): WalkState {
  return {
    ...s,
    pkt: { ...s.pkt },
    hops: [...s.hops],
    firewallEndpoints: [...s.firewallEndpoints],
    firewallDecisions: [...s.firewallDecisions],
    applianceAz: new Map(s.applianceAz),
    natSessions: [...s.natSessions],
    forwardEndpoints: [...s.forwardEndpoints],
    visited: new Set(s.visited),
  };
}

export function drop(state: WalkState, decidedBy: Decision): WalkOutcome[] {
  return [{ state, verdict: 'dropped', decidedBy }];
}

/** The path meets `id`, which the model does not model: the outcome is unknown, not a drop. */
export function notModelled(state: WalkState, id: string, detail: string): WalkOutcome[] {
  return [{ state, verdict: 'unknown', decidedBy: { kind: 'not-modelled', id, detail } }];
}
