/** Does one parsed Suricata rule match one packet? */
import type { ContentMatch, SuricataRule } from './rule-model';
import type { Packet } from './packet';
import { compileAddress, compilePort, type VariableScope } from './matching';

export type PacketMatcher = (packet: Packet) => boolean;

/** Known TLS handshake states; a TLS flow that got this far went through all of them. */
const SEEN_SSL_STATES = new Set(['client_hello', 'server_hello', 'client_keyx', 'server_keyx']);

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
  return (packet) =>
    protocolMatches(rule, packet) &&
    addresses(packet) &&
    flowMatches(rule, packet) &&
    sslStateMatches(rule) &&
    rule.contents.every((content) => contentMatches(content, packet));
}

function protocolMatches(rule: SuricataRule, packet: Packet): boolean {
  switch (rule.protocol) {
    case 'ip':
      return true;
    case 'tcp':
    case 'udp':
    case 'icmp':
      return packet.protocol === rule.protocol;
    // App-layer protocols match only once the engine has seen application data.
    case 'tls':
    case 'http':
      return packet.protocol === 'tcp' && packet.app?.kind === rule.protocol;
    case 'dns':
      return packet.protocol !== 'icmp' && packet.app?.kind === 'dns';
  }
}

function flowMatches(rule: SuricataRule, packet: Packet): boolean {
  return rule.flow.every((keyword) => {
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

/** Modelled over the whole flow: a listed state matches if the handshake passes through it. */
function sslStateMatches(rule: SuricataRule): boolean {
  if (rule.sslState.length === 0) return true;
  const positives = rule.sslState.filter((s) => !s.negated);
  if (positives.length === 0) return true;
  return positives.some((s) => SEEN_SSL_STATES.has(s.state));
}

/** The sticky buffer's value, present only on client -> server packets that carry it. */
export function bufferValue(content: ContentMatch, packet: Packet): string | undefined {
  if (!packet.toServer || !packet.app) return undefined;
  const app = packet.app;
  switch (content.buffer) {
    case 'tls.sni':
      return app.kind === 'tls' ? app.sni : undefined;
    case 'http.host':
      // Suricata normalizes the host buffer: lowercase, without the port.
      return app.kind === 'http' && app.host !== undefined
        ? app.host.toLowerCase().replace(/:\d+$/, '')
        : undefined;
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
