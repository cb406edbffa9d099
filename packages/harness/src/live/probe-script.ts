/**
 * The shell commands the SSM probe runs on an instance, and the parser of their output. Values
 * are printed between markers carrying a per-command nonce, so noise on stdout (motd, curl
 * progress, a server echoing text) can never be mistaken for a result.
 */
import { isIP } from 'node:net';

export interface CurlLimits {
  /** curl --connect-timeout, seconds. */
  connectTimeoutS: number;
  /** curl --max-time, seconds. */
  maxTimeS: number;
}

export const DEFAULT_CURL_LIMITS: CurlLimits = { connectTimeoutS: 5, maxTimeS: 10 };

export const EGRESS_IP_URL = 'https://checkip.amazonaws.com';

const HOST_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Hosts reach a shell: only DNS names and IPs are accepted, nothing that could be a shell word. */
export function assertSafeHost(host: string): void {
  if (!HOST_RE.test(host) && isIP(host) === 0)
    throw new Error(`refusing to probe ${JSON.stringify(host)}: not a host name or IP`);
}

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`refusing to probe port ${port}`);
}

function curl(limits: CurlLimits): string {
  return `curl -sS --connect-timeout ${limits.connectTimeoutS} --max-time ${limits.maxTimeS}`;
}

/**
 * Wraps `body` (which sets OUT and RC) so the script always exits 0 and prints
 * `<nonce>:RC=<n>` and `<nonce>:OUT=<value>`; curl's error text goes to `<nonce>:ERR=`.
 */
function wrap(nonce: string, body: string): string {
  return [
    'ERRF=$(mktemp)',
    body,
    `echo "${nonce}:RC=$RC"`,
    `echo "${nonce}:OUT=$(printf %s "$OUT" | tr -d '\\r\\n' | head -c 200)"`,
    `echo "${nonce}:ERR=$(tr -d '\\r\\n' < "$ERRF" | head -c 300)"`,
    'rm -f "$ERRF"',
    'exit 0',
  ].join('\n');
}

export function egressIpScript(nonce: string, limits: CurlLimits = DEFAULT_CURL_LIMITS): string {
  return wrap(nonce, `OUT=$(${curl(limits)} ${EGRESS_IP_URL} 2>"$ERRF"); RC=$?`);
}

export interface RequestScriptSpec {
  host: string;
  port: number;
  protocol: 'tls' | 'http';
  sni?: string;
}

/**
 * TLS: a handshake with SNI = `sni` (default host) to host:port; OUT = HTTP status (000 when no
 * response). HTTP: a plain request with Host = host.
 */
export function requestScript(
  nonce: string,
  spec: RequestScriptSpec,
  limits: CurlLimits = DEFAULT_CURL_LIMITS,
): string {
  assertSafeHost(spec.host);
  assertPort(spec.port);
  if (spec.sni !== undefined) assertSafeHost(spec.sni);
  const base = `${curl(limits)} -o /dev/null -w '%{http_code}'`;
  let cmd: string;
  if (spec.protocol === 'http') {
    cmd = `${base} http://${spec.host}:${spec.port}/`;
  } else if (spec.sni && spec.sni !== spec.host) {
    // The URL names the SNI; --connect-to sends the connection to the real host.
    cmd = `${base} --connect-to ${spec.sni}:${spec.port}:${spec.host}:${spec.port} https://${spec.sni}:${spec.port}/`;
  } else {
    cmd = `${base} https://${spec.host}:${spec.port}/`;
  }
  return wrap(nonce, `OUT=$(${cmd} 2>"$ERRF"); RC=$?`);
}

export interface ScriptResult {
  rc: number;
  out: string;
  err: string;
}

/** Parses a wrapped script's stdout; undefined when the markers are missing or malformed. */
export function parseScriptOutput(stdout: string, nonce: string): ScriptResult | undefined {
  const value = (key: string): string | undefined => {
    const prefix = `${nonce}:${key}=`;
    const line = stdout.split(/\r?\n/).find((l) => l.startsWith(prefix));
    return line === undefined ? undefined : line.slice(prefix.length).trim();
  };
  const rc = value('RC');
  const out = value('OUT');
  if (rc === undefined || out === undefined || !/^\d+$/.test(rc)) return undefined;
  return { rc: Number(rc), out, err: value('ERR') ?? '' };
}

/** The egress IP printed by checkip, validated as an IPv4/IPv6 address. */
export function parseEgressIp(result: ScriptResult): string | undefined {
  if (result.rc !== 0) return undefined;
  const candidate = result.out.trim();
  return isIP(candidate) !== 0 ? candidate : undefined;
}

// curl exit codes: 6 no DNS, 7 refused, 28 timeout, 35 TLS handshake, 52 empty reply, 56 recv reset, 60 cert.
const CURL_ERRORS: Record<number, string> = {
  6: 'could not resolve host',
  7: 'connection refused',
  28: 'timed out',
  35: 'TLS handshake failed',
  52: 'empty reply',
  56: 'connection reset',
  60: 'server certificate not trusted',
};

export function describeCurl(result: ScriptResult): string {
  const what = CURL_ERRORS[result.rc] ?? (result.rc === 0 ? 'ok' : 'failed');
  return `curl exit ${result.rc} (${what})${result.out && result.out !== '000' ? `, HTTP ${result.out}` : ''}${result.err ? `: ${result.err}` : ''}`;
}

/**
 * Did the server answer? Any HTTP status means yes; a certificate error (60) means the server's
 * TLS reply crossed the firewall, which is what an allow check is about.
 */
export function requestSucceeded(result: ScriptResult): boolean {
  if (/^\d{3}$/.test(result.out) && result.out !== '000') return true;
  return result.rc === 0 || result.rc === 60;
}
