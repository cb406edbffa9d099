/**
 * Input and output of the Network Firewall evaluator. The evaluator is given a flow and the
 * firewall's policy and rule groups exactly as DescribeFirewallPolicy / DescribeRuleGroup return
 * them, and decides what happens to the flow's handshake and its application data.
 */

export type FlowProtocol = 'tcp' | 'udp' | 'icmp';

export interface Flow {
  protocol: FlowProtocol;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  /** Application layer the client speaks, when any (drives tls.sni / http.host / dns.query). */
  app?: { kind: 'tls'; sni?: string } | { kind: 'http'; host?: string } | { kind: 'dns'; query?: string };
}

export type PacketVerdict = 'pass' | 'drop' | 'reject';

/** What decided a verdict: a stateless rule, a stateful rule, or a default action. */
export interface FirewallDecider {
  kind: 'stateless-rule' | 'stateless-default' | 'stateful-rule' | 'stateful-default' | 'domain-list';
  /** Rule group ARN or name when a rule decided. */
  ruleGroup?: string;
  sid?: number;
  /** The rule text or the default action name (e.g. `aws:drop_strict`). */
  text: string;
  action: string;
}

export interface FirewallDecision {
  /** True only if both the handshake and the application data get through. */
  allowed: boolean;
  handshake: { verdict: PacketVerdict; decidedBy: FirewallDecider };
  data: { verdict: PacketVerdict; decidedBy: FirewallDecider };
  /** Findings worth surfacing even when allowed (e.g. large ClientHello hazard). */
  warnings: string[];
  /** Alert rules and alert default actions that fired (logged only; they decide nothing). */
  alerts?: FirewallDecider[];
}
