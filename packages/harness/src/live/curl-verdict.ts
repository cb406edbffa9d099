/**
 * What one curl from a probe proves. Under the project's firewall policy (docs/network-design.md)
 * the TCP handshake to 80/443 always passes so that SNI and Host can be inspected: a drop shows
 * as an established connection whose TLS or HTTP exchange then gets no answer (curl 28) or is
 * reset (35, 56). So a request counts as *blocked* only when the connection was established and
 * the exchange failed; a DNS failure, a refused or unroutable connection, a connect timeout or a
 * missing curl prove nothing about the firewall and are *not observed*, with the reason.
 *
 * curl exit codes: https://curl.se/docs/manpage.html#EXIT-CODES; `time_connect` is 0 when the TCP
 * connection was never established: https://curl.se/docs/manpage.html#time_connect
 */
import type { CurlResult } from './probe-script';

export type CurlVerdict = { kind: 'answered' } | { kind: 'blocked' } | { kind: 'not-observed'; why: string };

const CURL_ERRORS: Record<number, string> = {
  6: 'could not resolve host',
  7: 'could not connect (refused or no route)',
  28: 'timed out',
  35: 'TLS handshake failed or reset',
  52: 'empty reply',
  56: 'connection reset while receiving',
  60: 'server certificate not trusted',
  127: 'curl not found on the probe',
};

/** Exit codes of an exchange cut off after the connection was established: what a drop looks like. */
const CUT_OFF_EXCHANGE = new Set([28, 35, 56]);

export function connected(r: CurlResult): boolean {
  return r.timeConnectS > 0;
}

/**
 * Did the server answer? Any HTTP status means yes; so does a certificate error (60): the
 * server's TLS reply crossed the firewall, which is what an allow check is about.
 */
export function answered(r: CurlResult): boolean {
  return r.httpCode !== '000' || r.rc === 0 || r.rc === 60;
}

export function curlVerdict(r: CurlResult): CurlVerdict {
  if (answered(r)) return { kind: 'answered' };
  if (connected(r) && CUT_OFF_EXCHANGE.has(r.rc)) return { kind: 'blocked' };
  if (r.rc === 127) return { kind: 'not-observed', why: 'curl is not installed on the probe (exit 127)' };
  if (r.rc === 6) return { kind: 'not-observed', why: 'the host name did not resolve (curl exit 6)' };
  if (r.rc === 7)
    return {
      kind: 'not-observed',
      why: 'the TCP connection was refused or had no route (curl exit 7); a firewall drop comes after the handshake',
    };
  if (r.rc === 28 && !connected(r))
    return {
      kind: 'not-observed',
      why: 'the TCP connection timed out before it was established (curl exit 28, time_connect 0): no route, or the SYN was dropped; a firewall drop comes after the handshake',
    };
  return {
    kind: 'not-observed',
    why: `curl exit ${r.rc} (${CURL_ERRORS[r.rc] ?? 'failed'})${connected(r) ? '' : ' before a TCP connection was established'}`,
  };
}

/** `curl exit 28 (timed out), TCP connected to 93.184.215.14 in 0.012s, no HTTP status: <err>` */
export function describeCurl(r: CurlResult): string {
  const what = CURL_ERRORS[r.rc] ?? (r.rc === 0 ? 'ok' : 'failed');
  const tcp = connected(r)
    ? `TCP connected to ${r.remoteIp ?? 'an unreported address'} in ${r.timeConnectS.toFixed(3)}s`
    : `no TCP connection${r.remoteIp ? ` to ${r.remoteIp}` : ''}`;
  const http = r.httpCode !== '000' ? `, HTTP ${r.httpCode}` : '';
  return `curl exit ${r.rc} (${what}), ${tcp}${http}${r.err ? `: ${r.err}` : ''}`;
}
