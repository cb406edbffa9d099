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
  translatedSrc: string;
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
}

export type WalkEnd =
  | { kind: 'eni'; eni: EniInfo; vpcId: string; subnetId: string }
  | { kind: 'address'; ip: string; vpcId: string; subnetId: string }
  | { kind: 'internet'; igwId: string; vpcId: string };

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
