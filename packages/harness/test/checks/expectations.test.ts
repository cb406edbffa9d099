import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChecksFileError,
  CHECK_KINDS,
  defaultExpectations,
  loadChecksFile,
  parseChecks,
  resolveHost,
} from '../../src/checks/expectations';

describe('default expectations (docs/contracts.md "The hubspoke CLI")', () => {
  it('allows www.amazon.com and checkip over TLS, denies example.com over TLS and HTTP, runs every check', () => {
    const ex = defaultExpectations();
    expect(ex.allow).toEqual([
      { host: 'www.amazon.com', port: 443, protocol: 'tls' },
      { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
    ]);
    expect(ex.deny).toEqual([
      { host: 'example.com', port: 443, protocol: 'tls' },
      { host: 'example.com', port: 80, protocol: 'http' },
    ]);
    expect(ex.run).toEqual([...CHECK_KINDS]);
    expect(ex.probes).toBeUndefined();
  });

  it('resolves hosts to documentation-range addresses, never by DNS', () => {
    const ex = defaultExpectations();
    for (const host of ['www.amazon.com', 'checkip.amazonaws.com', 'example.com']) {
      expect(resolveHost(ex.hosts, host)).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\./);
    }
    expect(resolveHost(ex.hosts, 'unknown.example.org')).toBeUndefined();
    expect(resolveHost(ex.hosts, '198.51.100.7')).toBe('198.51.100.7');
  });
});

describe('parseChecks', () => {
  it('merges hosts over the defaults and takes host:port strings with the protocol from the port', () => {
    const ex = parseChecks({
      hosts: { 'api.internal.example': '198.51.100.20' },
      allow: ['api.internal.example:443', 'www.amazon.com:80'],
    });
    expect(ex.hosts['www.amazon.com']).toBe('192.0.2.10');
    expect(ex.allow).toEqual([
      { host: 'api.internal.example', port: 443, protocol: 'tls' },
      { host: 'www.amazon.com', port: 80, protocol: 'http' },
    ]);
    expect(ex.deny).toEqual(defaultExpectations().deny);
  });

  it('reads east-west pairs with defaults port 443 / tcp and a checks subset', () => {
    const ex = parseChecks({
      eastWest: [{ from: 'spoke-a', to: 'spoke-b', expect: 'deny' }],
      checks: ['east-west', 'egress-ip'],
      probes: ['i-1'],
    });
    expect(ex.eastWest).toEqual([
      { from: 'spoke-a', to: 'spoke-b', port: 443, protocol: 'tcp', expect: 'deny' },
    ]);
    expect(ex.run).toEqual(['east-west', 'egress-ip']);
    expect(ex.probes).toEqual(['i-1']);
  });

  it.each([
    [{ allwo: [] }, 'allwo', 'unknown field'],
    [{ allow: 'www.amazon.com:443' }, 'allow', 'expected a list, got "www.amazon.com:443"'],
    [{ allow: [{ host: 'www.amazon.com', port: 70000 }] }, 'allow[0].port', '70000 is not a port'],
    [{ deny: ['example.com'] }, 'deny[0]', '"example.com" is not "host:port"'],
    [
      { deny: [{ host: 'example.com', port: 443, protocol: 'ftp' }] },
      'deny[0].protocol',
      '"ftp" is not tls or http',
    ],
    [{ hosts: { 'a.example': '999.1.1.1' } }, 'hosts.a.example', '"999.1.1.1" is not an IPv4 address'],
    [{ allow: ['nowhere.example:443'] }, 'allow[0].host', '"nowhere.example" is not in the hosts table'],
    [
      { eastWest: [{ from: 'spoke-a', to: 'spoke-b', expect: 'maybe' }] },
      'eastWest[0].expect',
      '"maybe" is not allow or deny',
    ],
    [{ eastWest: [{ from: 'spoke-a', to: 'spoke-a', expect: 'deny' }] }, 'eastWest[0].to', 'same VPC'],
    [{ checks: ['egress-ip', 'teleport'] }, 'checks[1]', 'unknown check "teleport"'],
    [{ egressIps: ['203.0.113.300'] }, 'egressIps[0]', 'not an IPv4 address'],
    [[1, 2], '(root)', 'expected a mapping'],
  ])('rejects %j naming field %s', (data, field, message) => {
    let err: unknown;
    try {
      parseChecks(data, 'my-checks.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChecksFileError);
    expect((err as ChecksFileError).field).toBe(field);
    expect((err as Error).message).toContain('my-checks.yaml');
    expect((err as Error).message).toContain(message);
  });
});

describe('loadChecksFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubspoke-checks-'));

  it('reads YAML', () => {
    const file = join(dir, 'checks.yaml');
    writeFileSync(file, 'deny:\n  - host: example.com\n    port: 443\nchecks: [deny]\n');
    const ex = loadChecksFile(file);
    expect(ex.deny).toEqual([{ host: 'example.com', port: 443, protocol: 'tls' }]);
    expect(ex.run).toEqual(['deny']);
  });

  it('reads JSON and reports a syntax error with the file name', () => {
    const good = join(dir, 'checks.json');
    writeFileSync(good, JSON.stringify({ egressIps: ['203.0.113.10'] }));
    expect(loadChecksFile(good).egressIps).toEqual(['203.0.113.10']);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "allow": [ }');
    expect(() => loadChecksFile(bad)).toThrow(/checks file .*bad\.json: \(syntax\)/);
  });

  it('names a missing file', () => {
    expect(() => loadChecksFile(join(dir, 'absent.yaml'))).toThrow(/absent\.yaml: \(file\): cannot read/);
  });
});
