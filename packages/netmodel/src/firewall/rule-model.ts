/**
 * The parsed form of one Suricata rule (the subset Network Firewall's Classic stateful engine is
 * modelled with here). Addresses and ports stay as expressions so variables resolve per rule group.
 */

export type SuricataAction = 'pass' | 'drop' | 'reject' | 'alert';
export type SuricataProtocol = 'ip' | 'tcp' | 'udp' | 'icmp' | 'tls' | 'http' | 'dns';
export type SuricataDirection = '->' | '<>';

/** Address expression: `any`, a CIDR or IP, `$VAR`, a group `[a,b]`, or a negation `!x`. */
export type AddressExpr =
  | { kind: 'any' }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'var'; name: string }
  | { kind: 'group'; items: AddressExpr[] }
  | { kind: 'not'; expr: AddressExpr };

/** Port expression: `any`, a port or range `a:b` (open ends allowed), `$VAR`, a group, or a negation. */
export type PortExpr =
  | { kind: 'any' }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'var'; name: string }
  | { kind: 'group'; items: PortExpr[] }
  | { kind: 'not'; expr: PortExpr };

/** Sticky buffers: a `content` applies to the buffer keyword that precedes it. */
export type StickyBuffer = 'tls.sni' | 'http.host' | 'dns.query';

export interface ContentMatch {
  buffer: StickyBuffer;
  value: string;
  negated: boolean;
  startswith: boolean;
  endswith: boolean;
  dotprefix: boolean;
  nocase: boolean;
}

export type FlowKeyword = 'established' | 'not_established' | 'to_server' | 'to_client' | 'stateless';

export interface SslStateMatch {
  state: 'client_hello' | 'server_hello' | 'client_keyx' | 'server_keyx' | 'unknown';
  negated: boolean;
}

export interface SuricataRule {
  action: SuricataAction;
  protocol: SuricataProtocol;
  source: AddressExpr;
  sourcePorts: PortExpr;
  direction: SuricataDirection;
  destination: AddressExpr;
  destinationPorts: PortExpr;
  sid: number;
  rev?: number;
  msg?: string;
  priority?: number;
  flow: FlowKeyword[];
  sslState: SslStateMatch[];
  contents: ContentMatch[];
  /** The rule as written (trimmed). */
  text: string;
  /** 1-based line in its source text. */
  line: number;
  /** Where the rule came from (file name or rule group ARN). */
  origin?: string;
}
