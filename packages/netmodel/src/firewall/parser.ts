/**
 * Parser for the Suricata subset the evaluator models. Anything outside the subset is an error
 * naming the source, the line and the keyword or value, never a silent pass: a rule we cannot
 * evaluate would otherwise make the verifier lie about what the firewall does.
 */
import type {
  AddressExpr,
  ContentMatch,
  FlowbitsCommand,
  FlowKeyword,
  IpProtoMatch,
  PortExpr,
  SslStateMatch,
  StickyBuffer,
  SuricataAction,
  SuricataDirection,
  SuricataProtocol,
  SuricataRule,
  TlsVersion,
} from './rule-model';
import { SuricataParseError } from './errors';
import { parseIpBlock } from '../ip/cidr';

export interface ParseOptions {
  /** Where the text came from (file name or rule group ARN); named in errors. */
  source?: string;
  /** IP-set variables the rules may use (default: HOME_NET, EXTERNAL_NET). */
  ipVariables?: readonly string[];
  /** Port-set variables the rules may use (default: none). */
  portVariables?: readonly string[];
}

const ACTIONS: readonly SuricataAction[] = ['pass', 'drop', 'reject', 'alert'];
const PROTOCOLS: readonly SuricataProtocol[] = [
  'ip',
  'tcp',
  'udp',
  'icmp',
  'tls',
  'http',
  'http1',
  'http2',
  'dns',
  'ssh',
  'ntp',
  'quic',
];
const BUFFERS: readonly StickyBuffer[] = ['tls.sni', 'http.host', 'http.header_names', 'dns.query'];
/** Values `app-layer-protocol` accepts here: the application protocols a Flow can carry, and `failed`. */
export const APP_LAYER_PROTOCOLS = ['tls', 'http', 'http1', 'http2', 'dns', 'ssh', 'ntp', 'quic', 'failed'];
const TLS_VERSIONS: readonly TlsVersion[] = ['sslv2', 'sslv3', 'tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'];
/** `tls.version` values (Suricata "TLS Keywords": 1.0-1.3 or the hex wire value). */
const TLS_VERSION_VALUES: Record<string, TlsVersion> = {
  '1.0': 'tls1.0',
  '1.1': 'tls1.1',
  '1.2': 'tls1.2',
  '1.3': 'tls1.3',
  '0x0300': 'sslv3',
  '0x0301': 'tls1.0',
  '0x0302': 'tls1.1',
  '0x0303': 'tls1.2',
  '0x0304': 'tls1.3',
};
const IP_PROTOCOL_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };
const FLOW_ALIASES: Record<string, FlowKeyword> = {
  established: 'established',
  not_established: 'not_established',
  to_server: 'to_server',
  from_client: 'to_server',
  to_client: 'to_client',
  from_server: 'to_client',
  stateless: 'stateless',
};
const SSL_STATES: readonly SslStateMatch['state'][] = [
  'client_hello',
  'server_hello',
  'client_keyx',
  'server_keyx',
  'unknown',
];
/** Annotations that never change what a rule matches; accepted and ignored. */
const ANNOTATIONS = new Set(['classtype', 'metadata', 'reference', 'fast_pattern', 'target']);

/** Parses Suricata rules (one per line; `#` comments and blank lines skipped). */
export function parseSuricataRules(text: string, options: ParseOptions = {}): SuricataRule[] {
  const ctx: ParseContext = {
    source: options.source,
    ipVariables: new Set(options.ipVariables ?? ['HOME_NET', 'EXTERNAL_NET']),
    portVariables: new Set(options.portVariables ?? []),
    line: 0,
  };
  const rules: SuricataRule[] = [];
  const sids = new Map<number, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    ctx.line = index + 1;
    const rule = parseRule(trimmed, ctx);
    const previous = sids.get(rule.sid);
    if (previous !== undefined) fail(ctx, `duplicate sid ${rule.sid} (first used on line ${previous})`);
    sids.set(rule.sid, ctx.line);
    rules.push(rule);
  });
  return rules;
}

export interface ParseContext {
  source?: string;
  ipVariables: Set<string>;
  portVariables: Set<string>;
  line: number;
}

function fail(ctx: ParseContext, detail: string): never {
  throw new SuricataParseError(detail, ctx.line, ctx.source);
}

function parseRule(text: string, ctx: ParseContext): SuricataRule {
  checkBalance(text, ctx);
  const open = text.indexOf('(');
  if (open < 0 || !text.endsWith(')'))
    fail(ctx, 'expected rule options in parentheses at the end of the rule');
  const header = splitHeader(text.slice(0, open).trim(), ctx);
  if (header.length !== 7) {
    fail(
      ctx,
      `expected "action protocol source port direction destination port", got "${text.slice(0, open).trim()}"`,
    );
  }
  const [action, protocol, src, srcPort, direction, dst, dstPort] = header as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!ACTIONS.includes(action as SuricataAction)) fail(ctx, `unsupported action "${action}"`);
  if (!PROTOCOLS.includes(protocol as SuricataProtocol)) fail(ctx, `unsupported protocol "${protocol}"`);
  if (direction !== '->' && direction !== '<>') fail(ctx, `unsupported direction "${direction}"`);
  const rule: SuricataRule = {
    action: action as SuricataAction,
    protocol: protocol as SuricataProtocol,
    source: parseAddress(src, ctx),
    sourcePorts: parsePort(srcPort, ctx),
    direction: direction as SuricataDirection,
    destination: parseAddress(dst, ctx),
    destinationPorts: parsePort(dstPort, ctx),
    sid: 0,
    flow: [],
    sslState: [],
    contents: [],
    flowbits: [],
    ipProto: [],
    noalert: false,
    alertKeyword: false,
    text,
    line: ctx.line,
    ...(ctx.source !== undefined ? { origin: ctx.source } : {}),
  };
  parseOptions(text.slice(open + 1, -1), rule, ctx);
  if (rule.sid === 0) fail(ctx, 'missing sid');
  return rule;
}

/** Parentheses and quotes must balance (outside quotes / with `\"` escapes inside them). */
function checkBalance(text: string, ctx: ParseContext): void {
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) fail(ctx, 'unbalanced parentheses: unexpected ")"');
    }
  }
  if (inQuote) fail(ctx, 'unbalanced quotes');
  if (depth !== 0) fail(ctx, 'unbalanced parentheses');
}

/** Splits the header on whitespace, keeping `[ ... ]` groups (which may contain spaces) whole. */
function splitHeader(header: string, ctx: ParseContext): string[] {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  for (const c of header) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (depth < 0) fail(ctx, `unbalanced brackets in "${header}"`);
    if (/\s/.test(c) && depth === 0) {
      if (current) tokens.push(current);
      current = '';
    } else if (!/\s/.test(c)) {
      current += c;
    }
  }
  if (depth !== 0) fail(ctx, `unbalanced brackets in "${header}"`);
  if (current) tokens.push(current);
  return tokens;
}

/** Splits `a,[b,c],d` on top-level commas. */
function splitList(text: string, ctx: ParseContext): string[] {
  const items: string[] = [];
  let current = '';
  let depth = 0;
  for (const c of text) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  if (items.some((item) => item === '')) fail(ctx, `empty item in list "${text}"`);
  return items;
}

export function parseAddress(text: string, ctx: ParseContext): AddressExpr {
  if (text.startsWith('!')) return { kind: 'not', expr: parseAddress(text.slice(1), ctx) };
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) fail(ctx, `malformed address group "${text}"`);
    return { kind: 'group', items: splitList(text.slice(1, -1), ctx).map((item) => parseAddress(item, ctx)) };
  }
  if (text === 'any') return { kind: 'any' };
  if (text.startsWith('$')) {
    const name = text.slice(1);
    if (!ctx.ipVariables.has(name)) fail(ctx, `unknown variable "${text}"`);
    return { kind: 'var', name };
  }
  if (text.startsWith('@')) fail(ctx, `unsupported IP set reference "${text}"`);
  if (!parseIpBlock(text, { hostBits: 'clear' })) fail(ctx, `invalid address "${text}"`);
  return { kind: 'cidr', cidr: text };
}

function parsePortNumber(text: string, ctx: ParseContext): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) fail(ctx, `invalid port "${text}"`);
  return Number(text);
}

export function parsePort(text: string, ctx: ParseContext): PortExpr {
  if (text.startsWith('!')) return { kind: 'not', expr: parsePort(text.slice(1), ctx) };
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) fail(ctx, `malformed port group "${text}"`);
    return { kind: 'group', items: splitList(text.slice(1, -1), ctx).map((item) => parsePort(item, ctx)) };
  }
  if (text === 'any') return { kind: 'any' };
  if (text.startsWith('$')) {
    const name = text.slice(1);
    if (!ctx.portVariables.has(name)) fail(ctx, `unknown variable "${text}"`);
    return { kind: 'var', name };
  }
  if (text.includes(':')) {
    const [from, to] = text.split(':') as [string, string];
    const range = {
      kind: 'range' as const,
      from: from === '' ? 0 : parsePortNumber(from, ctx),
      to: to === '' ? 65535 : parsePortNumber(to, ctx),
    };
    if (range.from > range.to) fail(ctx, `invalid port range "${text}"`);
    return range;
  }
  const port = parsePortNumber(text, ctx);
  return { kind: 'range', from: port, to: port };
}

/** Splits the option block on `;` outside quotes. */
function splitOptions(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      current += c + body[i + 1];
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    if (c === ';' && !inQuote) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts.filter((part) => part !== '');
}

function unquote(value: string, keyword: string, ctx: ParseContext): string {
  if (!value.startsWith('"') || !value.endsWith('"') || value.length < 2) {
    fail(ctx, `${keyword} value must be quoted, got ${value === '' ? 'nothing' : `"${value}"`}`);
  }
  return value.slice(1, -1).replace(/\\(["\\;:])/g, '$1');
}

function parseInteger(value: string, keyword: string, ctx: ParseContext, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(ctx, `invalid ${keyword} "${value}" (expected an integer ${min}-${max})`);
  }
  return Number(value);
}

function parseOptions(body: string, rule: SuricataRule, ctx: ParseContext): void {
  let buffer: StickyBuffer | undefined;
  let dotprefix = false;
  let last: ContentMatch | undefined;
  const modify = (keyword: string, apply: (c: ContentMatch) => void): void => {
    if (!last) fail(ctx, `"${keyword}" must follow a content`);
    apply(last);
  };
  for (const option of splitOptions(body)) {
    const colon = option.indexOf(':');
    const keyword = (colon < 0 ? option : option.slice(0, colon)).trim();
    const value = colon < 0 ? '' : option.slice(colon + 1).trim();
    const needsValue = (): void => {
      if (value === '') fail(ctx, `"${keyword}" needs a value`);
    };
    if ((BUFFERS as readonly string[]).includes(keyword)) {
      buffer = keyword as StickyBuffer;
      dotprefix = false;
      last = undefined;
      continue;
    }
    switch (keyword) {
      case 'msg':
        rule.msg = unquote(value, keyword, ctx);
        break;
      case 'sid':
        needsValue();
        rule.sid = parseInteger(value, keyword, ctx, 1, Number.MAX_SAFE_INTEGER);
        break;
      case 'rev':
        needsValue();
        rule.rev = parseInteger(value, keyword, ctx, 0, Number.MAX_SAFE_INTEGER);
        break;
      case 'priority':
        needsValue();
        rule.priority = parseInteger(value, keyword, ctx, 1, 255);
        break;
      case 'flow':
        needsValue();
        rule.flow = parseFlow(value, ctx);
        break;
      case 'ssl_state':
        needsValue();
        rule.sslState = parseSslState(value, ctx);
        break;
      case 'dotprefix':
        if (!buffer) fail(ctx, '"dotprefix" must follow a sticky buffer (tls.sni, http.host, dns.query)');
        if (last) fail(ctx, '"dotprefix" must come before the content it applies to');
        dotprefix = true;
        break;
      case 'content': {
        needsValue();
        if (!buffer) {
          fail(ctx, `content ${value} has no sticky buffer before it (payload content is not supported)`);
        }
        const negated = value.startsWith('!');
        const text = decodeHexBytes(unquote(negated ? value.slice(1).trim() : value, keyword, ctx), ctx);
        last = { buffer, value: text, negated, startswith: false, endswith: false, dotprefix, nocase: false };
        rule.contents.push(last);
        break;
      }
      case 'startswith':
        modify(keyword, (c) => (c.startswith = true));
        break;
      case 'endswith':
        modify(keyword, (c) => (c.endswith = true));
        break;
      case 'nocase':
        modify(keyword, (c) => (c.nocase = true));
        break;
      case 'noalert':
        if (value !== '') fail(ctx, '"noalert" takes no value');
        rule.noalert = true;
        break;
      case 'alert':
        // AWS best practice: `alert;` in a pass rule logs the pass (it changes no verdict).
        if (value !== '') fail(ctx, '"alert" takes no value');
        rule.alertKeyword = true;
        break;
      case 'flowbits': {
        needsValue();
        const command = parseFlowbits(value, ctx);
        if (command === 'noalert') rule.noalert = true;
        else rule.flowbits.push(command);
        break;
      }
      case 'ip_proto':
        needsValue();
        rule.ipProto.push(parseIpProto(value, ctx));
        break;
      case 'app-layer-protocol': {
        needsValue();
        if (rule.appLayerProtocol) fail(ctx, '"app-layer-protocol" given twice');
        const negated = value.startsWith('!');
        const protocol = (negated ? value.slice(1) : value).trim().toLowerCase();
        if (!APP_LAYER_PROTOCOLS.includes(protocol)) {
          fail(
            ctx,
            `unsupported app-layer-protocol "${protocol}" (supported: ${APP_LAYER_PROTOCOLS.join(', ')})`,
          );
        }
        rule.appLayerProtocol = { protocol, negated };
        break;
      }
      case 'ssl_version':
        needsValue();
        rule.tlsVersions = parseSslVersion(value, ctx);
        break;
      case 'tls.version': {
        needsValue();
        const version = TLS_VERSION_VALUES[value.replace(/^"|"$/g, '').toLowerCase()];
        if (!version)
          fail(ctx, `unsupported tls.version "${value}" (expected 1.0, 1.1, 1.2, 1.3 or 0x0300-0x0304)`);
        rule.tlsVersions = { versions: [version], negated: [] };
        break;
      }
      default:
        if (ANNOTATIONS.has(keyword)) break;
        fail(ctx, `unsupported keyword "${keyword}"`);
    }
  }
  if (buffer && rule.contents.length === 0) fail(ctx, `sticky buffer "${buffer}" without a content`);
  checkProtocolBuffers(rule, ctx);
}

function parseFlow(value: string, ctx: ParseContext): FlowKeyword[] {
  const flow = value.split(',').map((item) => {
    const keyword = FLOW_ALIASES[item.trim()];
    if (!keyword) fail(ctx, `unsupported flow option "${item.trim()}"`);
    return keyword;
  });
  if (flow.includes('established') && flow.includes('not_established')) {
    fail(ctx, 'flow cannot be both "established" and "not_established"');
  }
  if (flow.includes('to_server') && flow.includes('to_client')) {
    fail(ctx, 'flow cannot be both "to_server" and "to_client"');
  }
  return flow;
}

function parseSslState(value: string, ctx: ParseContext): SslStateMatch[] {
  return value.split(/[|,]/).map((item) => {
    const trimmed = item.trim();
    const negated = trimmed.startsWith('!');
    const state = negated ? trimmed.slice(1) : trimmed;
    if (!(SSL_STATES as readonly string[]).includes(state)) fail(ctx, `unsupported ssl_state "${trimmed}"`);
    return { state: state as SslStateMatch['state'], negated };
  });
}

/** A buffer of another protocol could never match; AWS rejects such rules too. */
function checkProtocolBuffers(rule: SuricataRule, ctx: ParseContext): void {
  const needs: Record<StickyBuffer, readonly SuricataProtocol[]> = {
    'tls.sni': ['tls'],
    'http.host': ['http', 'http1', 'http2'],
    'http.header_names': ['http', 'http1', 'http2'],
    'dns.query': ['dns'],
  };
  for (const content of rule.contents) {
    const protocols = needs[content.buffer];
    if (!protocols.includes(rule.protocol)) {
      fail(
        ctx,
        `"${content.buffer}" needs protocol ${protocols.join(' or ')}, the rule says "${rule.protocol}"`,
      );
    }
  }
  if (rule.sslState.length > 0 && rule.protocol !== 'tls') {
    fail(ctx, `"ssl_state" needs protocol tls, the rule says "${rule.protocol}"`);
  }
  if (rule.tlsVersions && rule.protocol !== 'tls') {
    fail(ctx, `"ssl_version" / "tls.version" need protocol tls, the rule says "${rule.protocol}"`);
  }
  // Suricata accepts ip_proto only on `ip` rules ("ip_proto keyword only when we use alert ip").
  if (rule.ipProto.length > 0 && rule.protocol !== 'ip') {
    fail(ctx, `"ip_proto" needs protocol ip, the rule says "${rule.protocol}"`);
  }
}

/** `|0d 0a|` hex runs inside a content become the bytes they stand for. */
function decodeHexBytes(text: string, ctx: ParseContext): string {
  const parts = text.split('|');
  if (parts.length % 2 === 0) fail(ctx, `unbalanced "|" in content "${text}"`);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return part;
      const bytes = part.trim().split(/\s+/);
      if (bytes.some((b) => !/^[0-9a-f]{2}$/i.test(b))) fail(ctx, `invalid hex bytes "|${part}|" in content`);
      return bytes.map((b) => String.fromCharCode(parseInt(b, 16))).join('');
    })
    .join('');
}

function parseFlowbits(value: string, ctx: ParseContext): FlowbitsCommand | 'noalert' {
  const [command, names, extra] = value.split(',').map((part) => part.trim());
  if (command === 'noalert' && names === undefined) return 'noalert';
  const commands: FlowbitsCommand['command'][] = ['set', 'unset', 'toggle', 'isset', 'isnotset'];
  if (!commands.includes(command as FlowbitsCommand['command']))
    fail(ctx, `unsupported flowbits command "${command}" (expected ${[...commands, 'noalert'].join(', ')})`);
  if (!names || extra !== undefined) fail(ctx, `flowbits:${command} needs one name, got "${value}"`);
  const list = names.split('|').map((n) => n.trim());
  if (list.some((n) => !/^[A-Za-z0-9_.-]+$/.test(n))) fail(ctx, `invalid flowbit name "${names}"`);
  return { command: command as FlowbitsCommand['command'], names: list };
}

function parseIpProto(value: string, ctx: ParseContext): IpProtoMatch {
  const m = /^([!<>]?)\s*([A-Za-z0-9-]+)$/.exec(value.trim());
  if (!m) fail(ctx, `invalid ip_proto "${value}"`);
  const name = m[2]!.toLowerCase();
  const protocol = /^\d+$/.test(name) ? Number(name) : IP_PROTOCOL_NUMBERS[name];
  if (protocol === undefined || protocol > 255)
    fail(ctx, `unsupported ip_proto "${m[2]}" (a number 0-255, or tcp, udp, icmp)`);
  return { op: (m[1] || '=') as IpProtoMatch['op'], protocol };
}

function parseSslVersion(value: string, ctx: ParseContext): NonNullable<SuricataRule['tlsVersions']> {
  const versions: TlsVersion[] = [];
  const negated: TlsVersion[] = [];
  for (const item of value.split(',')) {
    const trimmed = item.trim().toLowerCase();
    const not = trimmed.startsWith('!');
    const name = (not ? trimmed.slice(1) : trimmed) as TlsVersion;
    if (!TLS_VERSIONS.includes(name))
      fail(ctx, `unsupported ssl_version "${item.trim()}" (expected ${TLS_VERSIONS.join(', ')})`);
    (not ? negated : versions).push(name);
  }
  return { versions, negated };
}
