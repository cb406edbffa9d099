/**
 * Input and output of the Network Firewall evaluator. The evaluator is given a flow and the
 * firewall's policy and rule groups exactly as DescribeFirewallPolicy / DescribeRuleGroup return
 * them, and decides what happens to each packet of the flow (TCP: SYN, SYN-ACK, the client's
 * data, the server's data; UDP/ICMP: request, reply).
 */
import type { TlsVersion } from './rule-model';

export type FlowProtocol = 'tcp' | 'udp' | 'icmp';

/** Application layer the client speaks, when the flow declares one (drives app-layer rules). */
export type FlowApp =
  | { kind: 'tls'; sni?: string; /** Negotiated version (default: tls1.3). */ version?: TlsVersion }
  | { kind: 'http'; host?: string }
  | { kind: 'http2'; host?: string }
  | { kind: 'dns'; query?: string }
  | { kind: 'ssh' }
  | { kind: 'ntp' }
  | { kind: 'quic' };

export interface Flow {
  protocol: FlowProtocol;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  /** Application layer; absent = none the engine can detect (app-layer rules cannot match). */
  app?: FlowApp;
}

export type PacketVerdict = 'pass' | 'drop' | 'reject';

/** The packets of a flow the evaluator reasons about, in the order they cross the firewall. */
export type PacketLabel = 'SYN' | 'SYN-ACK' | 'client data' | 'server data' | 'request' | 'reply';

/**
 * What a stateful action covers (Suricata "Rule types and categorization", action scope): the
 * packet it matched, or the whole flow from that packet on (both directions, no more inspection).
 */
export type ActionScope = 'packet' | 'flow';

/** What decided a verdict: a stateless rule, a stateful rule, a default action, the stream exception policy. */
export interface FirewallDecider {
  kind:
    | 'stateless-rule'
    | 'stateless-default'
    | 'stateful-rule'
    | 'stateful-default'
    | 'domain-list'
    | 'stream-exception';
  /** Rule group ARN or name when a rule decided. */
  ruleGroup?: string;
  sid?: number;
  /** The rule text or the default action name (e.g. `aws:drop_strict`). */
  text: string;
  action: string;
  /** What the verdict covers (stateful decisions only). */
  scope?: ActionScope;
  /** Why the scope is what it is: the Suricata rule type (e.g. `ip_only`, `pkt`, `app_tx`) or the default action. */
  scopeReason?: string;
  /** Set when the verdict was fixed for the whole flow at an earlier packet (this packet was not inspected). */
  fixedAt?: PacketLabel;
}

/** The verdict on one packet of the flow. */
export interface PacketDecision {
  packet: PacketLabel;
  /** Client -> server (`to_server`) or the reply direction. */
  direction: 'to_server' | 'to_client';
  verdict: PacketVerdict;
  decidedBy: FirewallDecider;
}

/**
 * Which packets of the flow this firewall sees: `both` directions (symmetric routing), or one
 * direction only (asymmetric routing: the other direction crossed another endpoint).
 */
export type FlowView = 'both' | 'request-only' | 'reply-only';

export interface FirewallDecision {
  /** True only if every packet the firewall sees gets through. */
  allowed: boolean;
  /** Summary of the connection set-up (TCP: SYN and SYN-ACK; UDP/ICMP: the whole exchange). */
  handshake: { verdict: PacketVerdict; decidedBy: FirewallDecider };
  /** Summary of the application data (TCP: both data packets; UDP/ICMP: same as `handshake`). */
  data: { verdict: PacketVerdict; decidedBy: FirewallDecider };
  /** Every packet the firewall saw, with its verdict (absent from stand-in evaluators). */
  packets?: PacketDecision[];
  /** Which packets the firewall saw (absent = both directions). */
  view?: FlowView;
  /** Findings worth surfacing even when allowed (e.g. large ClientHello hazard). */
  warnings: string[];
  /** Alert rules and alert default actions that fired (logged only; they decide nothing). */
  alerts?: FirewallDecider[];
}
