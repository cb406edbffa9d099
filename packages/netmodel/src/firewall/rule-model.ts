/**
 * The parsed form of one Suricata rule (the subset Network Firewall's Classic stateful engine is
 * modelled with here). Addresses and ports stay as expressions so variables resolve per rule group.
 */

export type SuricataAction = 'pass' | 'drop' | 'reject' | 'alert';
/** Transport protocols, then the application-layer protocols the header may name. */
export type SuricataProtocol =
  'ip' | 'tcp' | 'udp' | 'icmp' | 'tls' | 'http' | 'http1' | 'http2' | 'dns' | 'ssh' | 'ntp' | 'quic';
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
export type StickyBuffer = 'tls.sni' | 'http.host' | 'http.header_names' | 'dns.query';

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

/** `flowbits` commands (Suricata "Flow keywords: flowbits"). */
export interface FlowbitsCommand {
  command: 'set' | 'unset' | 'toggle' | 'isset' | 'isnotset';
  /** One bit, or several joined by `|` (isset/isnotset: any of them; set/unset: all of them). */
  names: string[];
}

/** `ip_proto` (setup-time: narrows the protocols an `ip` rule matches). */
export interface IpProtoMatch {
  op: '=' | '!' | '<' | '>';
  protocol: number;
}

/** TLS versions as `ssl_version` names them. */
export type TlsVersion = 'sslv2' | 'sslv3' | 'tls1.0' | 'tls1.1' | 'tls1.2' | 'tls1.3';

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
  flowbits: FlowbitsCommand[];
  ipProto: IpProtoMatch[];
  /** `app-layer-protocol:[!]name`: protocol detection (`failed` = detection gave up). */
  appLayerProtocol?: { protocol: string; negated: boolean };
  /** `ssl_version` (any of the listed versions; `!` entries exclude) or `tls.version`. */
  tlsVersions?: { versions: TlsVersion[]; negated: TlsVersion[] };
  /** `noalert` / `flowbits:noalert`: the rule never logs (alert rules then only set flowbits). */
  noalert: boolean;
  /** The `alert` keyword in a pass rule: the pass is logged too. */
  alertKeyword: boolean;
  /** The rule as written (trimmed). */
  text: string;
  /** 1-based line in its source text. */
  line: number;
  /** Where the rule came from (file name or rule group ARN). */
  origin?: string;
}
