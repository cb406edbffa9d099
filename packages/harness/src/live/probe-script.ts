/**
 * The shell script the SSM probe runs on an instance, and the parser of its output. A script is a
 * list of steps: `hs_curl <key> <curl target>` (one request, with curl's exit code, HTTP status,
 * TCP connect and TLS handshake times, remote address, the start of the body and curl's error)
 * and `hs_resolve <key> <name>` (the IPv4 addresses the instance's resolver returns). Values are
 * printed between markers carrying a per-command nonce, so noise on stdout (motd, a server
 * echoing text) can never be mistaken for a result.
 */
import { isIP } from 'node:net';

export interface CurlLimits {
  /** curl --connect-timeout, seconds. */
  connectTimeoutS: number;
  /** curl --max-time, seconds. */
  maxTimeS: number;
}

export const DEFAULT_CURL_LIMITS: CurlLimits = { connectTimeoutS: 5, maxTimeS: 10 };

const HOST_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const KEY_RE = /^[a-z][a-z0-9-]{0,40}$/;

/** Hosts reach a shell: only DNS names and IPs are accepted, nothing that could be a shell word. */
export function assertSafeHost(host: string): void {
  if (!HOST_RE.test(host) && isIP(host) === 0)
    throw new Error(`refusing to probe ${JSON.stringify(host)}: not a host name or IP`);
}

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`refusing to probe port ${port}`);
}

export interface RequestScriptSpec {
  host: string;
  port: number;
  protocol: 'tls' | 'http';
  /** TLS SNI when it differs from host. */
  sni?: string;
}

/**
 * curl arguments for one request. TLS: a handshake with SNI = `sni` (default host) to host:port;
 * HTTP: a plain request with Host = host. Validated here, because they reach a shell.
 */
export function curlTarget(spec: RequestScriptSpec): string {
  assertSafeHost(spec.host);
  assertPort(spec.port);
  if (spec.sni !== undefined) assertSafeHost(spec.sni);
  if (spec.protocol === 'http') return `http://${spec.host}:${spec.port}/`;
  if (spec.sni && spec.sni !== spec.host) {
    // The URL names the SNI; --connect-to sends the connection to the real host.
    return `--connect-to ${spec.sni}:${spec.port}:${spec.host}:${spec.port} https://${spec.sni}:${spec.port}/`;
  }
  return `https://${spec.host}:${spec.port}/`;
}

export type ProbeStep =
  { kind: 'curl'; key: string; request: RequestScriptSpec } | { kind: 'resolve'; key: string; name: string };

/** curl -w: HTTP status, TCP connect time, TLS handshake time (0 when none), remote address. */
const WRITE_OUT = '%{http_code} %{time_connect} %{time_appconnect} %{remote_ip}';

/** The script for `steps`; it always exits 0 and prints `<nonce>:<key>:<field>=<value>` lines. */
export function probeScript(
  nonce: string,
  steps: ProbeStep[],
  limits: CurlLimits = DEFAULT_CURL_LIMITS,
): string {
  const lines = steps.map((s) => {
    if (!KEY_RE.test(s.key)) throw new Error(`probe step key ${JSON.stringify(s.key)} is not a plain word`);
    if (s.kind === 'resolve') {
      assertSafeHost(s.name);
      return `hs_resolve ${s.key} ${s.name}`;
    }
    return `hs_curl ${s.key} ${curlTarget(s.request)}`;
  });
  const mark = (field: string): string => `${nonce}:$k:${field}`;
  return [
    'hs_curl() {',
    '  k=$1; shift',
    '  ERRF=$(mktemp); BODYF=$(mktemp)',
    `  W=$(curl -sS --connect-timeout ${limits.connectTimeoutS} --max-time ${limits.maxTimeS} -o "$BODYF" -w '${WRITE_OUT}' "$@" 2>"$ERRF"); RC=$?`,
    `  echo "${mark('RC')}=$RC"`,
    `  echo "${mark('W')}=$(printf %s "$W" | tr -d '\\r\\n' | head -c 200)"`,
    `  echo "${mark('BODY')}=$(head -c 200 "$BODYF" | tr -d '\\r\\n')"`,
    `  echo "${mark('ERR')}=$(tr -d '\\r\\n' < "$ERRF" | head -c 300)"`,
    '  rm -f "$ERRF" "$BODYF"',
    '}',
    'hs_resolve() {',
    '  k=$1',
    // getent goes through the instance's resolver (the VPC's, with the endpoints' private zones).
    `  echo "${mark('DNS')}=$(getent ahostsv4 "$2" | awk '{print $1}' | sort -u | tr '\\n' ' ')"`,
    '}',
    ...lines,
    'exit 0',
  ].join('\n');
}

/** What one curl step saw. */
export interface CurlResult {
  /** curl's exit code (127: curl is not installed). */
  rc: number;
  /** HTTP status, `000` when no response. */
  httpCode: string;
  /** Seconds until the TCP connection was established; 0 when it never was. */
  timeConnectS: number;
  /** Seconds until the TLS handshake completed; 0 when there was none. */
  timeAppConnectS: number;
  /** Address curl connected (or last tried to connect) to. */
  remoteIp?: string;
  /** Start of the response body. */
  body: string;
  /** curl's error text. */
  err: string;
}

export type StepOutput = Record<string, string>;

/** Parses a script's stdout into each step's fields; undefined when the markers are missing. */
export function parseProbeOutput(stdout: string, nonce: string): Map<string, StepOutput> | undefined {
  const steps = new Map<string, StepOutput>();
  const marker = new RegExp(`^${nonce}:([a-z][a-z0-9-]*):([A-Z]+)=(.*)$`);
  for (const line of stdout.split(/\r?\n/)) {
    const m = marker.exec(line);
    if (!m) continue;
    const fields = steps.get(m[1]!) ?? {};
    fields[m[2]!] = m[3]!.trim();
    steps.set(m[1]!, fields);
  }
  return steps.size > 0 ? steps : undefined;
}

/** The curl step `key` of a parsed output; undefined when it is missing or malformed. */
export function curlResult(steps: Map<string, StepOutput>, key: string): CurlResult | undefined {
  const f = steps.get(key);
  if (!f || f.RC === undefined || !/^\d+$/.test(f.RC) || f.W === undefined) return undefined;
  const [httpCode = '000', connect = '0', appConnect = '0', remoteIp] = f.W.split(/\s+/).filter(Boolean);
  const seconds = (s: string): number => (Number.isFinite(Number(s)) ? Number(s) : 0);
  return {
    rc: Number(f.RC),
    httpCode: /^\d{3}$/.test(httpCode) ? httpCode : '000',
    timeConnectS: seconds(connect),
    timeAppConnectS: seconds(appConnect),
    ...(remoteIp && isIP(remoteIp) !== 0 ? { remoteIp } : {}),
    body: f.BODY ?? '',
    err: f.ERR ?? '',
  };
}

/** The addresses of resolve step `key`; undefined when the step is missing. */
export function resolvedAddresses(steps: Map<string, StepOutput>, key: string): string[] | undefined {
  const dns = steps.get(key)?.DNS;
  if (dns === undefined) return undefined;
  return dns.split(/\s+/).filter((a) => isIP(a) !== 0);
}
