/**
 * What the checks expect (docs/contracts.md "The hubspoke CLI" defaults) and the `--checks <file>` override: YAML or JSON,
 * validated field by field so a typo fails with the file, field and value instead of silently
 * checking less.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { isIpv4 } from '@hubspoke/netmodel';

export { isIpv4 };

export type RequestProtocol = 'tls' | 'http';

export interface HostRequest {
  host: string;
  port: number;
  protocol: RequestProtocol;
  /** TLS SNI when it differs from host. */
  sni?: string;
}

export interface EastWestExpectation {
  /** VPC id, Name tag or `hubspoke:stack` tag of the source VPC. */
  from: string;
  to: string;
  port: number;
  protocol: 'tcp' | 'udp' | 'tls' | 'http';
  expect: 'allow' | 'deny';
}

export const CHECK_KINDS = [
  'egress-ip',
  'allow',
  'deny',
  'inspected-egress',
  'symmetric-return',
  'ssm-reachable',
  'spoke-attachment',
  'inspected-east-west',
  'east-west',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** Kinds a probe answers (offline: the model probe; live: SSM). The others the model answers. */
export const PROBE_KINDS: readonly CheckKind[] = ['egress-ip', 'allow', 'deny', 'ssm-reachable'];
export const MODEL_KINDS: readonly CheckKind[] = CHECK_KINDS.filter((k) => !PROBE_KINDS.includes(k));

/** The expectation list behind each kind that evaluates one check per entry. */
export const LISTED_KINDS = { allow: 'allow', deny: 'deny', 'east-west': 'eastWest' } as const;

export interface CheckExpectations {
  /** Instance ids or Name tags of the probes; undefined = docs/contracts.md "The hubspoke CLI" default selection. */
  probes?: string[];
  /** Host -> IPv4 address. No DNS: every host a check names must be in this table. */
  hosts: Record<string, string>;
  /** Host the probe asks for its public IP (the live probe curls it). */
  egressIpHost: HostRequest;
  /** Expected egress IPs; undefined = the NAT EIPs of the VPC holding the firewall. */
  egressIps?: string[];
  allow: HostRequest[];
  deny: HostRequest[];
  eastWest: EastWestExpectation[];
  /** Which check kinds run. */
  run: CheckKind[];
  /**
   * Kinds of `run` the defaults selected that are not failed when the environment gives them
   * nothing to evaluate: `east-west` with no pairs is left out (it has no default pairs), and
   * `inspected-east-west` in a one-spoke environment is reported `not-applicable`. A kind the checks
   * file names under `checks:`, or whose list it sets (`eastWest` pairs also ask for
   * `inspected-east-west`: they expect spoke-to-spoke traffic), must evaluate something.
   */
  ifConfigured: CheckKind[];
}

/**
 * Documentation-range addresses (RFC 5737) for the default hosts: never routable, so a checks run
 * can never be confused with real traffic, and no DNS is needed offline.
 */
export const DEFAULT_HOSTS: Readonly<Record<string, string>> = Object.freeze({
  'www.amazon.com': '192.0.2.10',
  'checkip.amazonaws.com': '192.0.2.11',
  'example.com': '192.0.2.12',
});

export function defaultExpectations(): CheckExpectations {
  return {
    hosts: { ...DEFAULT_HOSTS },
    egressIpHost: { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
    allow: [
      { host: 'www.amazon.com', port: 443, protocol: 'tls' },
      { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
    ],
    deny: [
      { host: 'example.com', port: 443, protocol: 'tls' },
      { host: 'example.com', port: 80, protocol: 'http' },
    ],
    eastWest: [],
    run: [...CHECK_KINDS],
    ifConfigured: ['east-west', 'inspected-east-west'],
  };
}

/** A bad checks file: the message names the file, the field and the value. */
export class ChecksFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`checks file ${file}: ${field}: ${message}`);
    this.name = 'ChecksFileError';
  }
}

const TOP_LEVEL_KEYS = [
  'probes',
  'hosts',
  'egressIpHost',
  'egressIps',
  'allow',
  'deny',
  'eastWest',
  'checks',
] as const;
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v)));

/** Reads and validates a checks file (YAML or JSON; JSON is YAML, but errors say which parser). */
export function loadChecksFile(file: string): CheckExpectations {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChecksFileError(file, '(file)', `cannot read: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ChecksFileError(file, '(syntax)', (e as Error).message.split('\n')[0] ?? 'parse error');
  }
  return parseChecks(data, file);
}

/** Validates parsed checks-file content and merges it over the defaults. */
export function parseChecks(data: unknown, file = '<checks>'): CheckExpectations {
  const fail = (field: string, message: string): never => {
    throw new ChecksFileError(file, field, message);
  };
  const out = defaultExpectations();
  if (data === null || data === undefined) return out;
  if (!isObject(data)) return fail('(root)', `expected a mapping, got ${show(data)}`);
  for (const key of Object.keys(data)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      fail(key, `unknown field (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
    }
  }

  if (data.hosts !== undefined) {
    if (!isObject(data.hosts)) fail('hosts', `expected a mapping host -> IPv4, got ${show(data.hosts)}`);
    for (const [host, ip] of Object.entries(data.hosts as Record<string, unknown>)) {
      if (!HOSTNAME.test(host)) fail(`hosts.${host}`, `${show(host)} is not a host name`);
      if (typeof ip !== 'string' || !isIpv4(ip)) fail(`hosts.${host}`, `${show(ip)} is not an IPv4 address`);
      out.hosts[host.toLowerCase()] = ip as string;
    }
  }
  if (data.probes !== undefined) out.probes = stringList(data.probes, 'probes', fail);
  if (data.egressIps !== undefined) {
    out.egressIps = stringList(data.egressIps, 'egressIps', fail);
    out.egressIps.forEach(
      (ip, i) => isIpv4(ip) || fail(`egressIps[${i}]`, `${show(ip)} is not an IPv4 address`),
    );
  }
  if (data.egressIpHost !== undefined)
    out.egressIpHost = hostRequest(data.egressIpHost, 'egressIpHost', fail);
  if (data.allow !== undefined)
    out.allow = list(data.allow, 'allow', fail).map((v, i) => hostRequest(v, `allow[${i}]`, fail));
  if (data.deny !== undefined)
    out.deny = list(data.deny, 'deny', fail).map((v, i) => hostRequest(v, `deny[${i}]`, fail));
  if (data.eastWest !== undefined) {
    out.eastWest = list(data.eastWest, 'eastWest', fail).map((v, i) => eastWest(v, `eastWest[${i}]`, fail));
    out.ifConfigured = out.ifConfigured.filter((k) => k !== 'east-west' && k !== 'inspected-east-west');
  }
  if (data.checks !== undefined) {
    out.ifConfigured = [];
    out.run = stringList(data.checks, 'checks', fail).map((c, i) =>
      (CHECK_KINDS as readonly string[]).includes(c)
        ? (c as CheckKind)
        : fail(`checks[${i}]`, `unknown check ${show(c)} (known: ${CHECK_KINDS.join(', ')})`),
    );
  }

  // Every host a check names must resolve through the table (no DNS offline or in the model).
  const named: [string, HostRequest][] = [
    ['egressIpHost', out.egressIpHost],
    ...out.allow.map((r, i): [string, HostRequest] => [`allow[${i}]`, r]),
    ...out.deny.map((r, i): [string, HostRequest] => [`deny[${i}]`, r]),
  ];
  for (const [field, r] of named) {
    if (!isIpv4(r.host) && out.hosts[r.host] === undefined) {
      fail(`${field}.host`, `${show(r.host)} is not in the hosts table (add it under hosts:)`);
    }
  }
  return out;
}

type Fail = (field: string, message: string) => never;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown, field: string, fail: Fail): unknown[] {
  if (!Array.isArray(v)) return fail(field, `expected a list, got ${show(v)}`);
  return v;
}

function stringList(v: unknown, field: string, fail: Fail): string[] {
  return list(v, field, fail).map((x, i) =>
    typeof x === 'string' && x.length > 0
      ? x
      : fail(`${field}[${i}]`, `expected a non-empty string, got ${show(x)}`),
  );
}

function port(v: unknown, field: string, fail: Fail): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535)
    return fail(field, `${show(v)} is not a port (1..65535)`);
  return n;
}

/** `host:port` strings take the protocol from the port (443 -> tls, else http). */
function hostRequest(v: unknown, field: string, fail: Fail): HostRequest {
  if (typeof v === 'string') {
    const m = /^([^:\s]+):(\d+)$/.exec(v);
    if (!m) return fail(field, `${show(v)} is not "host:port"`);
    const p = port(m[2], field, fail);
    return { host: checkHost(m[1]!, field, fail), port: p, protocol: p === 443 ? 'tls' : 'http' };
  }
  if (!isObject(v)) return fail(field, `expected "host:port" or a mapping, got ${show(v)}`);
  for (const k of Object.keys(v))
    if (!['host', 'port', 'protocol', 'sni'].includes(k))
      fail(`${field}.${k}`, 'unknown field (allowed: host, port, protocol, sni)');
  if (typeof v.host !== 'string') return fail(`${field}.host`, `expected a host name, got ${show(v.host)}`);
  const p = port(v.port, `${field}.port`, fail);
  const protocol = v.protocol ?? (p === 443 ? 'tls' : 'http');
  if (protocol !== 'tls' && protocol !== 'http')
    return fail(`${field}.protocol`, `${show(protocol)} is not tls or http`);
  if (v.sni !== undefined && (typeof v.sni !== 'string' || !HOSTNAME.test(v.sni)))
    fail(`${field}.sni`, `${show(v.sni)} is not a host name`);
  return {
    host: checkHost(v.host, `${field}.host`, fail),
    port: p,
    protocol,
    ...(typeof v.sni === 'string' ? { sni: v.sni } : {}),
  };
}

function checkHost(host: string, field: string, fail: Fail): string {
  if (!isIpv4(host) && !HOSTNAME.test(host)) fail(field, `${show(host)} is not a host name or IPv4 address`);
  return host.toLowerCase();
}

function eastWest(v: unknown, field: string, fail: Fail): EastWestExpectation {
  if (!isObject(v))
    return fail(field, `expected a mapping {from, to, expect, port?, protocol?}, got ${show(v)}`);
  for (const k of Object.keys(v))
    if (!['from', 'to', 'port', 'protocol', 'expect'].includes(k))
      fail(`${field}.${k}`, 'unknown field (allowed: from, to, port, protocol, expect)');
  const from =
    typeof v.from === 'string' && v.from
      ? v.from
      : fail(`${field}.from`, `expected a VPC id or name, got ${show(v.from)}`);
  const to =
    typeof v.to === 'string' && v.to
      ? v.to
      : fail(`${field}.to`, `expected a VPC id or name, got ${show(v.to)}`);
  if (from === to) fail(`${field}.to`, `${show(to)} is the same VPC as from`);
  const expect =
    v.expect === 'allow' || v.expect === 'deny'
      ? v.expect
      : fail(`${field}.expect`, `${show(v.expect)} is not allow or deny`);
  const protocol = v.protocol ?? 'tcp';
  if (!['tcp', 'udp', 'tls', 'http'].includes(protocol as string))
    fail(`${field}.protocol`, `${show(protocol)} is not tcp, udp, tls or http`);
  return {
    from,
    to,
    expect,
    port: v.port === undefined ? 443 : port(v.port, `${field}.port`, fail),
    protocol: protocol as EastWestExpectation['protocol'],
  };
}

/** Resolves a host through the table (an IPv4 literal resolves to itself). */
export function resolveHost(hosts: Record<string, string>, host: string): string | undefined {
  return isIpv4(host) ? host : hosts[host.toLowerCase()];
}
