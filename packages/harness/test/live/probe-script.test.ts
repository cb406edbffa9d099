import {
  assertSafeHost,
  describeCurl,
  egressIpScript,
  parseEgressIp,
  parseScriptOutput,
  requestScript,
  requestSucceeded,
} from '../../src/live/probe-script';

const N = 'HUBSPOKE_abc';

describe('probe scripts', () => {
  it('egress script curls checkip with short connect and total timeouts and always exits 0', () => {
    const s = egressIpScript(N, { connectTimeoutS: 3, maxTimeS: 7 });
    expect(s).toContain('curl -sS --connect-timeout 3 --max-time 7 https://checkip.amazonaws.com');
    expect(s).toContain(`echo "${N}:RC=$RC"`);
    expect(s.trim().endsWith('exit 0')).toBe(true);
  });

  it('TLS request with a different SNI connects to the host but names the SNI', () => {
    const s = requestScript(N, { host: 'example.com', port: 443, protocol: 'tls', sni: 'www.amazon.com' });
    expect(s).toContain('--connect-to www.amazon.com:443:example.com:443 https://www.amazon.com:443/');
  });

  it('HTTP request is plain http to host:port', () => {
    expect(requestScript(N, { host: 'example.com', port: 80, protocol: 'http' })).toContain(
      'http://example.com:80/',
    );
  });

  it('refuses anything that is not a host name or IP (the value reaches a shell)', () => {
    expect(() => assertSafeHost('example.com; rm -rf /')).toThrow(/refusing/);
    expect(() => requestScript(N, { host: '$(id)', port: 443, protocol: 'tls' })).toThrow(/refusing/);
    expect(() => requestScript(N, { host: 'a.com', port: 70000, protocol: 'tls' })).toThrow(/port/);
    expect(() => assertSafeHost('192.0.2.1')).not.toThrow();
  });
});

describe('parsing', () => {
  it('reads the marked values among noise and CRLF', () => {
    const out = `Last login...\r\nfake ${N.replace('abc', 'zzz')}:RC=0\r\n${N}:RC=0\r\n${N}:OUT=203.0.113.7\r\n${N}:ERR=\r\n`;
    const r = parseScriptOutput(out, N)!;
    expect(r).toEqual({ rc: 0, out: '203.0.113.7', err: '' });
    expect(parseEgressIp(r)).toBe('203.0.113.7');
  });

  it('is undefined without markers (truncated or foreign output)', () => {
    expect(parseScriptOutput('203.0.113.7\n', N)).toBeUndefined();
    expect(parseScriptOutput(`${N}:RC=x\n${N}:OUT=1`, N)).toBeUndefined();
  });

  it('accepts only an IP as egress IP', () => {
    expect(parseEgressIp({ rc: 0, out: '<html>blocked</html>', err: '' })).toBeUndefined();
    expect(parseEgressIp({ rc: 0, out: '999.1.1.1', err: '' })).toBeUndefined();
    expect(parseEgressIp({ rc: 28, out: '203.0.113.7', err: '' })).toBeUndefined();
  });

  it('a response is any HTTP status or a certificate error; timeouts and resets are not', () => {
    expect(requestSucceeded({ rc: 0, out: '200', err: '' })).toBe(true);
    expect(requestSucceeded({ rc: 22, out: '403', err: '' })).toBe(true);
    expect(requestSucceeded({ rc: 60, out: '000', err: '' })).toBe(true);
    expect(requestSucceeded({ rc: 28, out: '000', err: 'Connection timed out' })).toBe(false);
    expect(requestSucceeded({ rc: 35, out: '000', err: '' })).toBe(false);
    expect(describeCurl({ rc: 28, out: '000', err: 'timeout' })).toBe('curl exit 28 (timed out): timeout');
  });
});
