import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curlVerdict, describeCurl } from '../../src/live/curl-verdict';
import {
  type CurlResult,
  assertSafeHost,
  curlResult,
  curlTarget,
  parseProbeOutput,
  probeScript,
  resolvedAddresses,
} from '../../src/live/probe-script';

const N = 'HUBSPOKE_abc';

describe('probe scripts', () => {
  it('curl has short connect and total timeouts, records status, connect time, TLS time and remote address, and the script always exits 0', () => {
    const s = probeScript(
      N,
      [
        {
          kind: 'curl',
          key: 'egress',
          request: { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
        },
      ],
      { connectTimeoutS: 3, maxTimeS: 7 },
    );
    expect(s).toContain('curl -sS --connect-timeout 3 --max-time 7');
    expect(s).toContain("-w '%{http_code} %{time_connect} %{time_appconnect} %{remote_ip}'");
    expect(s).toContain('hs_curl egress https://checkip.amazonaws.com:443/');
    expect(s.trim().endsWith('exit 0')).toBe(true);
  });

  it('TLS request with a different SNI connects to the host but names the SNI', () => {
    expect(curlTarget({ host: 'example.com', port: 443, protocol: 'tls', sni: 'www.amazon.com' })).toBe(
      '--connect-to www.amazon.com:443:example.com:443 https://www.amazon.com:443/',
    );
  });

  it('HTTP request is plain http to host:port', () => {
    expect(curlTarget({ host: 'example.com', port: 80, protocol: 'http' })).toBe('http://example.com:80/');
  });

  it('refuses anything that is not a host name or IP (the value reaches a shell)', () => {
    expect(() => assertSafeHost('example.com; rm -rf /')).toThrow(/refusing/);
    expect(() => curlTarget({ host: '$(id)', port: 443, protocol: 'tls' })).toThrow(/refusing/);
    expect(() => curlTarget({ host: 'a.com', port: 70000, protocol: 'tls' })).toThrow(/port/);
    expect(() => probeScript(N, [{ kind: 'resolve', key: 'x', name: '`reboot`' }])).toThrow(/refusing/);
    expect(() => assertSafeHost('192.0.2.1')).not.toThrow();
  });

  it('runs under a real shell: a missing curl is exit 127 with no connection, and resolve steps print addresses', () => {
    // A PATH with getent only (a stub), no curl: what a probe image without curl would do.
    const bin = mkdtempSync(join(tmpdir(), 'probe-path-'));
    writeFileSync(join(bin, 'getent'), '#!/bin/sh\necho "10.1.0.5 STREAM $2"\necho "10.1.0.5 DGRAM"\n');
    chmodSync(join(bin, 'getent'), 0o755);
    for (const tool of ['mktemp', 'tr', 'head', 'rm', 'awk', 'sort']) {
      const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      writeFileSync(join(bin, tool), `#!/bin/sh\nexec ${path} "$@"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const script = probeScript(N, [
      { kind: 'curl', key: 'egress', request: { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' } },
      { kind: 'resolve', key: 'ssm-dns', name: 'ssm.us-east-1.amazonaws.com' },
    ]);
    const stdout = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: bin } });
    const steps = parseProbeOutput(stdout, N)!;
    const r = curlResult(steps, 'egress')!;
    expect(r).toMatchObject({ rc: 127, httpCode: '000', timeConnectS: 0 });
    expect(curlVerdict(r)).toEqual({
      kind: 'not-observed',
      why: 'curl is not installed on the probe (exit 127)',
    });
    expect(resolvedAddresses(steps, 'ssm-dns')).toEqual(['10.1.0.5']);
  });
});

describe('the verdicts against a real curl on loopback', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const listen = async (server: Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('answered, blocked after the handshake (silence or reset), and not observed (refused)', async () => {
    const answering = await listen(createHttpServer((_req, res) => res.end('203.0.113.7')));
    // Accepts the connection and never answers: what a firewall drop after the handshake looks like.
    const silent = await listen(createServer((socket) => sockets.push(socket)));
    // Accepts, then resets once the request arrives: a drop with reject.
    const resetting = await listen(
      createServer((socket) => socket.once('data', () => socket.resetAndDestroy())),
    );
    // Nothing listens here.
    const closed = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));

    const http = (port: number) => ({ host: '127.0.0.1', port, protocol: 'http' as const });
    const script = probeScript(
      N,
      [
        { kind: 'curl', key: 'answering', request: http(answering) },
        { kind: 'curl', key: 'silent', request: http(silent) },
        { kind: 'curl', key: 'resetting', request: http(resetting) },
        { kind: 'curl', key: 'closed', request: http(closed) },
      ],
      { connectTimeoutS: 1, maxTimeS: 2 },
    );
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('/bin/sh', ['-c', script], { encoding: 'utf8' }, (err, out) =>
        err ? reject(err) : resolve(out),
      ),
    );
    const steps = parseProbeOutput(stdout, N)!;
    const verdict = (key: string) => curlVerdict(curlResult(steps, key)!).kind;
    expect(curlResult(steps, 'answering')).toMatchObject({
      rc: 0,
      httpCode: '200',
      body: '203.0.113.7',
      remoteIp: '127.0.0.1',
    });
    expect(verdict('answering')).toBe('answered');
    expect(curlResult(steps, 'silent')).toMatchObject({ rc: 28, remoteIp: '127.0.0.1' });
    expect(curlResult(steps, 'silent')!.timeConnectS).toBeGreaterThan(0);
    expect(verdict('silent')).toBe('blocked');
    expect(curlResult(steps, 'resetting')!.rc).toBe(56);
    expect(verdict('resetting')).toBe('blocked');
    expect(curlResult(steps, 'closed')).toMatchObject({ rc: 7, timeConnectS: 0 });
    expect(verdict('closed')).toBe('not-observed');
  }, 20_000);
});

describe('parsing', () => {
  it('reads the marked values among noise and CRLF', () => {
    const out = `Last login...\r\nfake ${N.replace('abc', 'zzz')}:egress:RC=0\r\n${N}:egress:RC=0\r\n${N}:egress:W=200 0.011000 0.030000 52.1.2.3\r\n${N}:egress:BODY=203.0.113.7\r\n${N}:egress:ERR=\r\n`;
    expect(curlResult(parseProbeOutput(out, N)!, 'egress')).toEqual({
      rc: 0,
      httpCode: '200',
      timeConnectS: 0.011,
      timeAppConnectS: 0.03,
      remoteIp: '52.1.2.3',
      body: '203.0.113.7',
      err: '',
    });
  });

  it('is undefined without markers (truncated or foreign output)', () => {
    expect(parseProbeOutput('203.0.113.7\n', N)).toBeUndefined();
    expect(curlResult(parseProbeOutput(`${N}:egress:RC=x\n${N}:egress:W=1`, N)!, 'egress')).toBeUndefined();
    expect(
      curlResult(parseProbeOutput(`${N}:other:RC=0\n${N}:other:W=200 1 1 1.1.1.1`, N)!, 'egress'),
    ).toBeUndefined();
  });
});

describe('what a curl proves (curl-verdict)', () => {
  const r = (rc: number, httpCode: string, timeConnectS: number): CurlResult => ({
    rc,
    httpCode,
    timeConnectS,
    timeAppConnectS: 0,
    ...(timeConnectS > 0 ? { remoteIp: '93.184.215.14' } : {}),
    body: '',
    err: '',
  });

  it('a response is any HTTP status or a certificate error', () => {
    expect(curlVerdict(r(0, '200', 0.01))).toEqual({ kind: 'answered' });
    expect(curlVerdict(r(22, '403', 0.01))).toEqual({ kind: 'answered' });
    expect(curlVerdict(r(60, '000', 0.01))).toEqual({ kind: 'answered' });
  });

  it.each([
    [28, 'no answer after the handshake'],
    [35, 'TLS handshake reset'],
    [56, 'reset while receiving'],
  ])('blocked: TCP connected, then curl %d (%s)', (rc) => {
    expect(curlVerdict(r(rc, '000', 0.012))).toEqual({ kind: 'blocked' });
  });

  it.each([
    [6, 0, /did not resolve/],
    [7, 0, /refused or had no route/],
    [28, 0, /timed out before it was established/],
    [127, 0, /curl is not installed/],
    [52, 0.01, /curl exit 52 \(empty reply\)/],
  ])('not observed: curl %d with time_connect %d proves nothing about the firewall', (rc, connect, why) => {
    const v = curlVerdict(r(rc, '000', connect));
    expect(v.kind).toBe('not-observed');
    expect(v.kind === 'not-observed' && v.why).toMatch(why);
  });

  it('says where it connected and how long it took', () => {
    expect(describeCurl({ ...r(28, '000', 0.0123), err: 'Operation timed out' })).toBe(
      'curl exit 28 (timed out), TCP connected to 93.184.215.14 in 0.012s: Operation timed out',
    );
    expect(describeCurl(r(6, '000', 0))).toBe('curl exit 6 (could not resolve host), no TCP connection');
  });
});
