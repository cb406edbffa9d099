/**
 * Parser for the Suricata subset the evaluator models. Anything outside the subset is an error
 * naming the source, the line and the keyword or value, never a silent pass: a rule we cannot
 * evaluate would otherwise make the verifier lie about what the firewall does.
 */
import type {
  AddressExpr,
  ContentMatch,
  FlowKeyword,
  PortExpr,
  SslStateMatch,
  StickyBuffer,
  SuricataAction,
  SuricataDirection,
  SuricataProtocol,
  SuricataRule,
} from './rule-model';
import { SuricataParseError } from './errors';
import { parseCidr } from './ip';

export interface ParseOptions {
  /** Where the text came from (file name or rule group ARN); named in errors. */
  source?: string;
  /** IP-set variables the rules may use (default: HOME_NET, EXTERNAL_NET). */
  ipVariables?: readonly string[];
  /** Port-set variables the rules may use (default: none). */
  portVariables?: readonly string[];
}

const ACTIONS: readonly SuricataAction[] = ['pass', 'drop', 'reject', 'alert'];
const PROTOCOLS: readonly SuricataProtocol[] = ['ip', 'tcp', 'udp', 'icmp', 'tls', 'http', 'dns'];
const BUFFERS: readonly StickyBuffer[] = ['tls.sni', 'http.host', 'dns.query'];
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
  if (!parseCidr(text)) fail(ctx, `invalid address "${text}"`);
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
        const text = unquote(negated ? value.slice(1).trim() : value, keyword, ctx);
        if (text.includes('|')) fail(ctx, `unsupported hex bytes in content "${text}"`);
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
  const needs: Record<StickyBuffer, SuricataProtocol> = {
    'tls.sni': 'tls',
    'http.host': 'http',
    'dns.query': 'dns',
  };
  for (const content of rule.contents) {
    const protocol = needs[content.buffer];
    if (rule.protocol !== protocol) {
      fail(ctx, `"${content.buffer}" needs protocol ${protocol}, the rule says "${rule.protocol}"`);
    }
  }
  if (rule.sslState.length > 0 && rule.protocol !== 'tls') {
    fail(ctx, `"ssl_state" needs protocol tls, the rule says "${rule.protocol}"`);
  }
}
