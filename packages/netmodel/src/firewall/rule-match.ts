/** Does one parsed Suricata rule match one packet, given what the engine knows about its flow? */
import type { ContentMatch, IpProtoMatch, SuricataRule } from './rule-model';
import type { Packet } from './packet';
import { compileAddress, compilePort, type VariableScope } from './matching';

/** Per-flow state a rule may read: the flowbits set so far. */
export interface FlowContext {
  flowbits: ReadonlySet<string>;
}

export type PacketMatcher = (packet: Packet, flow: FlowContext) => boolean;

/** Known TLS handshake states; a TLS flow that got this far went through all of them. */
const SEEN_SSL_STATES = new Set(['client_hello', 'server_hello', 'client_keyx', 'server_keyx']);
const PROTOCOL_NUMBERS: Record<Packet['protocol'], number> = { icmp: 1, tcp: 6, udp: 17 };
/** TLS version assumed when a flow does not declare one (what current clients negotiate). */
export const DEFAULT_TLS_VERSION = 'tls1.3';

export function compileRule(rule: SuricataRule, scope: VariableScope): PacketMatcher {
  const src = compileAddress(rule.source, scope);
  const dst = compileAddress(rule.destination, scope);
  const srcPort = compilePort(rule.sourcePorts, scope);
  const dstPort = compilePort(rule.destinationPorts, scope);
  const forward = (p: Packet): boolean =>
    src(p.src) && dst(p.dst) && srcPort(p.srcPort) && dstPort(p.dstPort);
  const backward = (p: Packet): boolean =>
    src(p.dst) && dst(p.src) && srcPort(p.dstPort) && dstPort(p.srcPort);
  const addresses = rule.direction === '<>' ? (p: Packet) => forward(p) || backward(p) : forward;
  return (packet, flow) =>
    protocolMatches(rule, packet) &&
    addresses(packet) &&
    flowMatches(rule, packet) &&
    flowbitsMatch(rule, packet, flow) &&
    appLayerProtocolMatches(rule, packet) &&
    sslStateMatches(rule) &&
    tlsVersionMatches(rule, packet) &&
    rule.contents.every((content) => contentMatches(content, packet));
}

function ipProtoMatches(matches: readonly IpProtoMatch[], protocol: number): boolean {
  return matches.every((m) => {
    switch (m.op) {
      case '=':
        return protocol === m.protocol;
      case '!':
        return protocol !== m.protocol;
      case '<':
        return protocol < m.protocol;
      case '>':
        return protocol > m.protocol;
    }
  });
}

function protocolMatches(rule: SuricataRule, packet: Packet): boolean {
  const app = packet.app?.kind;
  switch (rule.protocol) {
    case 'ip':
      return ipProtoMatches(rule.ipProto, PROTOCOL_NUMBERS[packet.protocol]);
    case 'tcp':
    case 'udp':
    case 'icmp':
      return packet.protocol === rule.protocol;
    // App-layer protocols match only once the engine has detected the protocol (never on the
    // TCP handshake). Since Suricata 7 `http` means HTTP/1 or HTTP/2 ("http_any").
    case 'tls':
      return packet.protocol === 'tcp' && app === 'tls';
    case 'http':
      return packet.protocol === 'tcp' && (app === 'http' || app === 'http2');
    case 'http1':
      return packet.protocol === 'tcp' && app === 'http';
    case 'http2':
      return packet.protocol === 'tcp' && app === 'http2';
    case 'ssh':
      return packet.protocol === 'tcp' && app === 'ssh';
    case 'dns':
      return packet.protocol !== 'icmp' && app === 'dns';
    case 'ntp':
    case 'quic':
      return packet.protocol === 'udp' && app === rule.protocol;
  }
}

/**
 * Flow options. A packet picked up mid-stream has no flow context: only `flow:stateless` still
 * matches it (AWS Network Firewall developer guide, "Stream exception policy options",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/stream-exception-policy.html).
 */
function flowMatches(rule: SuricataRule, packet: Packet): boolean {
  return rule.flow.every((keyword) => {
    if (packet.midstream) return keyword === 'stateless';
    switch (keyword) {
      case 'established':
        return packet.established;
      case 'not_established':
        return !packet.established;
      case 'to_server':
        return packet.toServer;
      case 'to_client':
        return !packet.toServer;
      case 'stateless':
        return true;
    }
  });
}

function flowbitsMatch(rule: SuricataRule, packet: Packet, flow: FlowContext): boolean {
  return rule.flowbits.every((f) => {
    if (f.command === 'isset') return !packet.midstream && f.names.some((n) => flow.flowbits.has(n));
    if (f.command === 'isnotset') return !f.names.some((n) => flow.flowbits.has(n));
    return true; // set / unset / toggle act after a match; they do not filter
  });
}

/** `app-layer-protocol`: decided once protocol detection ran (TCP: on application data). */
function appLayerProtocolMatches(rule: SuricataRule, packet: Packet): boolean {
  const want = rule.appLayerProtocol;
  if (!want) return true;
  if (packet.midstream || packet.protocol === 'icmp') return false;
  if (packet.protocol === 'tcp' && !packet.established) return false;
  const detected = packet.app?.kind ?? 'failed';
  const same =
    want.protocol === detected ||
    (want.protocol === 'http' && (detected === 'http' || detected === 'http2')) ||
    (want.protocol === 'http1' && detected === 'http');
  return want.negated ? !same : same;
}

/** Modelled over the whole flow: a listed state matches if the handshake passes through it. */
function sslStateMatches(rule: SuricataRule): boolean {
  if (rule.sslState.length === 0) return true;
  const positives = rule.sslState.filter((s) => !s.negated);
  if (positives.length === 0) return true;
  return positives.some((s) => SEEN_SSL_STATES.has(s.state));
}

/** `ssl_version` / `tls.version`: the flow's negotiated version (default {@link DEFAULT_TLS_VERSION}). */
function tlsVersionMatches(rule: SuricataRule, packet: Packet): boolean {
  if (!rule.tlsVersions) return true;
  if (packet.app?.kind !== 'tls') return false;
  const version = packet.app.version ?? DEFAULT_TLS_VERSION;
  const { versions, negated } = rule.tlsVersions;
  return (versions.length === 0 || versions.includes(version)) && !negated.includes(version);
}

/** The sticky buffer's value, present only on client -> server packets that carry it. */
export function bufferValue(content: ContentMatch, packet: Packet): string | undefined {
  if (!packet.toServer || !packet.app) return undefined;
  const app = packet.app;
  const httpLike = app.kind === 'http' || app.kind === 'http2';
  switch (content.buffer) {
    case 'tls.sni':
      return app.kind === 'tls' ? app.sni : undefined;
    case 'http.host':
      // Suricata normalizes the host buffer: lowercase, without the port.
      return httpLike && app.host !== undefined ? app.host.toLowerCase().replace(/:\d+$/, '') : undefined;
    case 'http.header_names':
      // The request's header names, each preceded by CRLF, ending with an empty line.
      return httpLike ? `\r\n${app.host !== undefined ? 'Host\r\n' : ''}\r\n` : undefined;
    case 'dns.query':
      return app.kind === 'dns' ? app.query : undefined;
  }
}

function contentMatches(content: ContentMatch, packet: Packet): boolean {
  const raw = bufferValue(content, packet);
  if (raw === undefined) return false;
  let buffer = content.dotprefix ? `.${raw}` : raw;
  let needle = content.value;
  if (content.nocase) {
    buffer = buffer.toLowerCase();
    needle = needle.toLowerCase();
  }
  let found: boolean;
  if (content.startswith && content.endswith) found = buffer === needle;
  else if (content.startswith) found = buffer.startsWith(needle);
  else if (content.endswith) found = buffer.endsWith(needle);
  else found = buffer.includes(needle);
  return content.negated ? !found : found;
}
