/**
 * The hubspoke CLI run in-process through main(argv, io): exit codes 0/1/2, messages that name the
 * file, field and value at fault, and the reports it writes. One spawned run checks the bin file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { main } from '../src/cli';
import type { CliIo } from '../src/io';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const work = mkdtempSync(join(tmpdir(), 'hubspoke-cli-'));
const io = (): CliIo & { out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: work, columns: 140 };
};
async function run(argv: string[], deps = {}): Promise<Run> {
  const i = io();
  const code = await main(argv, i, deps);
  return { code, stdout: i.out.join(''), stderr: i.err.join('') };
}
function snapshotFile(name: string, options: HubSpokeFixtureOptions = {}): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(buildHubSpokeSnapshot(options)));
  return file;
}
function file(name: string, content: string): string {
  const f = join(work, name);
  writeFileSync(f, content);
  return f;
}

describe('hubspoke verify --snapshot', () => {
  it('exits 0 when every check passes, prints the table and writes the reports to --out-dir', async () => {
    const r = await run([
      'verify',
      '--snapshot',
      snapshotFile('good.json'),
      '--out-dir',
      'out/good',
      '--json',
      'good-results.json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('10/10 checks passed');
    expect(r.stderr).toMatch(/pass egress-ip/);
    for (const f of ['results.json', 'report.md', 'junit.xml'])
      expect(existsSync(join(work, 'out/good', f))).toBe(true);
    const json = JSON.parse(readFileSync(join(work, 'good-results.json'), 'utf8'));
    expect(json.checks.every((c: { status: string }) => c.status === 'pass')).toBe(true);
  });

  it('defaults the output folder to reports/verify/snapshot', async () => {
    const r = await run(['verify', '--snapshot', snapshotFile('default-out.json')]);
    expect(r.code).toBe(0);
    expect(existsSync(join(work, 'reports/verify/snapshot/results.json'))).toBe(true);
  });

  it('exits 1 when appliance mode is off, naming symmetric-return and the TGW attachment', async () => {
    const r = await run([
      'verify',
      '--snapshot',
      snapshotFile('no-appliance.json', { applianceMode: false }),
      '--out-dir',
      'out/bad',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL.*symmetric-return/);
    expect(r.stdout).toMatch(/tgw-attachment\s/);
    const json = JSON.parse(readFileSync(join(work, 'out/bad/results.json'), 'utf8'));
    const sym = json.checks.find((c: { id: string }) => c.id === 'symmetric-return');
    expect(sym).toMatchObject({
      status: 'fail',
      decisive: { kind: 'tgw-attachment', id: 'tgw-attach-inspection' },
    });
  });

  it('exits 1 when checkip.amazonaws.com is not allowlisted, naming the egress-ip and allow checks', async () => {
    const r = await run([
      'verify',
      '--snapshot',
      snapshotFile('no-checkip.json', { allowedDomains: ['.amazon.com'] }),
      '--out-dir',
      'out/checkip',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL.*egress-ip/);
    expect(r.stdout).toMatch(/FAIL.*allow:checkip\.amazonaws\.com:443/);
  });

  it('applies a checks file (subset of checks, east-west expectation)', async () => {
    const checks = file(
      'checks.yaml',
      'checks: [east-west]\neastWest:\n  - { from: spoke-a, to: spoke-b, expect: deny }\n',
    );
    const r = await run([
      'verify',
      '--snapshot',
      snapshotFile('ew.json'),
      '--checks',
      checks,
      '--out-dir',
      'out/ew',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('east-west:spoke-a:spoke-b');
    expect(r.stdout).toContain('1/1 checks passed');
  });
});

describe('hubspoke verify: bad input exits 2 naming what is wrong', () => {
  it.each([
    ['not JSON', '{ "Vpcs": [', /snapshot .*broken\.json: not valid JSON/],
    [
      'a member of the wrong shape',
      JSON.stringify({ Vpcs: { VpcId: 'vpc-1' } }),
      /snapshot .*broken\.json: Vpcs: expected an array/,
    ],
    [
      'an element without its id',
      JSON.stringify({ Subnets: [{ CidrBlock: '10.0.0.0/24' }] }),
      /Subnets\[0\]\.SubnetId: missing/,
    ],
    [
      'an Elastic IP with neither its allocation id nor its address',
      JSON.stringify({ Addresses: [{ Domain: 'vpc' }] }),
      /Addresses\[0\]\.AllocationId: missing, and so is PublicIp/,
    ],
    ['an unknown member', JSON.stringify({ Vpc: [] }), /Vpc: unknown member/],
    [
      'a keyed member that is an array',
      JSON.stringify({ TransitGatewayRoutes: [] }),
      /TransitGatewayRoutes: expected an object keyed by TGW route table id/,
    ],
    [
      'prefix-list entries that are not keyed by list id',
      JSON.stringify({ ManagedPrefixListEntries: [{ Cidr: '10.0.0.0/8' }] }),
      /ManagedPrefixListEntries: expected an object keyed by prefix-list id/,
    ],
    [
      'a VPC attribute without its value',
      JSON.stringify({
        VpcAttributes: [{ VpcId: 'vpc-1', EnableDnsSupport: { Value: true }, EnableDnsHostnames: {} }],
      }),
      /VpcAttributes\[0\]\.EnableDnsHostnames\.Value: expected true or false/,
    ],
    [
      'a peering connection without its id',
      JSON.stringify({ VpcPeeringConnections: [{ Status: { Code: 'active' } }] }),
      /VpcPeeringConnections\[0\]\.VpcPeeringConnectionId: missing/,
    ],
    [
      'a route to a prefix list the snapshot does not hold',
      JSON.stringify({
        Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }],
        RouteTables: [
          {
            RouteTableId: 'rtb-1',
            VpcId: 'vpc-1',
            Routes: [{ DestinationPrefixListId: 'pl-0abc', GatewayId: 'local' }],
          },
        ],
      }),
      /RouteTables\[0\] \(rtb-1\): Routes\[0\]\.DestinationPrefixListId "pl-0abc" is not in ManagedPrefixLists/,
    ],
  ])('snapshot with %s', async (_what, content, message) => {
    const r = await run(['verify', '--snapshot', file('broken.json', content)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a missing snapshot file', async () => {
    const r = await run(['verify', '--snapshot', 'nope.json']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toMatch(/snapshot .*nope\.json: cannot read: ENOENT/);
  });

  it('a bad checks file, naming the field and value', async () => {
    const r = await run([
      'verify',
      '--snapshot',
      snapshotFile('c.json'),
      '--checks',
      file('bad-checks.yaml', 'allow:\n  - host: www.amazon.com\n    port: 99999\n'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/checks file .*bad-checks\.yaml: allow\[0\]\.port: 99999 is not a port/);
  });

  it('an unknown probe in the checks file', async () => {
    const r = await run([
      'verify',
      '--snapshot',
      snapshotFile('p.json'),
      '--checks',
      file('probes.yaml', 'probes: [i-missing]\n'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('probes: "i-missing"');
  });

  it.each([
    [['verify', '--snapshot', 'a.json', '--from-aws'], '--snapshot and --from-aws are mutually exclusive'],
    [['verify', '--snapshot', 'a.json', '--env', 'dev'], '--snapshot and --env are mutually exclusive'],
    [['verify', '--region', 'eu-west-1'], '--region only applies with --from-aws'],
    [['verify', '--runtime', 'docker'], '--runtime: "docker" is not one of in-process, pulumi'],
    [['verify', '--preview'], '--preview needs --runtime pulumi'],
    [
      ['verify', '--snapshot', 'a.json', '--runtime', 'pulumi'],
      '--runtime applies to running the stack programs, not to --snapshot or --from-aws',
    ],
    [['verify', '--no-such-flag'], "unknown option '--no-such-flag'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('an unknown env (real repository layout)', async () => {
    const r = await run(['verify', '--env', 'nosuchenv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unknown environment "nosuchenv": no apps\/\*\/Pulumi\.nosuchenv\.yaml \(known: .*dev/,
    );
  });

  it('an env whose inspection project has no Pulumi.<env>.yaml', async () => {
    const root = join(work, 'repo');
    for (const p of ['tgw', 'inspection']) {
      mkdirSync(join(root, 'apps', p), { recursive: true });
      writeFileSync(join(root, 'apps', p, 'Pulumi.yaml'), `name: ${p}\nruntime: nodejs\n`);
    }
    writeFileSync(join(root, 'apps/tgw/Pulumi.staging.yaml'), 'config: {}\n');
    const r = await run(['verify', '--env', 'staging'], { repoRoot: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing apps/inspection/Pulumi.staging.yaml');
  });

  it('--from-aws errors from the reader surface as exit 2 with the message', async () => {
    const r = await run(['verify', '--from-aws', '--env', 'prod', '--region', 'eu-west-1'], {
      loadFromAws: async (o: { env: string; region?: string }) => {
        throw new Error(`no credentials for ${o.env} in ${o.region}`);
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no credentials for prod in eu-west-1');
  });
});

describe('hubspoke verify --env (programs under the mock cloud)', () => {
  it('runs the env loader, prints progress and checks what it returns', async () => {
    const r = await run(['verify', '--env', 'dev', '--out-dir', 'out/env'], {
      snapshotFromEnv: async (_root: string, env: string, cliIo: CliIo) => {
        cliIo.stderr(`[1/1] fixture-${env} ... 0.0s\n`);
        return { snapshot: buildHubSpokeSnapshot({ env }), spokes: [] };
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[1/1] fixture-dev');
    expect(JSON.parse(readFileSync(join(work, 'out/env/results.json'), 'utf8')).meta).toMatchObject({
      env: 'dev',
      command: 'hubspoke verify',
    });
  });
});

describe('hubspoke trace', () => {
  const snap = (): string => snapshotFile('trace.json');

  it('shows every path hop by hop and exits 0 for an allowed flow', async () => {
    const r = await run([
      'trace',
      '--from',
      'i-spoke-a-probe',
      '--to',
      'www.amazon.com:443',
      '--snapshot',
      snap(),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'trace i-spoke-a-probe -> www.amazon.com (192.0.2.10):443 tls sni=www.amazon.com',
    );
    expect(r.stdout).toMatch(/path 1\/2: ANSWERED \(firewall endpoints: vpce-fw-a\)/);
    expect(r.stdout).toMatch(/firewall-endpoint\s+vpce-fw-a/);
    expect(r.stdout).toMatch(/source seen as 203\.0\.113\.1\d/);
    expect(r.stdout).toContain('verdict: ALLOWED, reply received on 2/2 path(s)');
  });

  it('exits 1 for a denied flow and names the rule that dropped it', async () => {
    const r = await run(['trace', '--from', '10.1.0.10', '--to', 'example.com:80', '--snapshot', snap()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/decided by firewall vpce-fw-.*drop/);
    expect(r.stdout).toContain('verdict: BLOCKED');
  });

  it('exits 3 with the verdict UNKNOWN, naming what is not modelled, for a path to a VPN attachment', async () => {
    const s = buildHubSpokeSnapshot();
    s.TransitGatewayAttachments!.push({
      TransitGatewayAttachmentId: 'tgw-attach-vpn',
      TransitGatewayId: 'tgw-hub',
      ResourceType: 'vpn',
      State: 'available',
    });
    s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
      DestinationCidrBlock: '172.16.0.0/12',
      State: 'active',
      Type: 'static',
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-vpn' }],
    });
    const r = await run([
      'trace',
      '--from',
      'i-spoke-a-probe',
      '--to',
      '172.16.0.5:443',
      '--snapshot',
      file('vpn.json', JSON.stringify(s)),
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('path 1/1: UNKNOWN');
    expect(r.stdout).toContain('vpn attachments are not modelled');
    expect(r.stdout).toContain(
      'verdict: UNKNOWN, 1/1 path(s) meet what the model does not model (tgw-attach-vpn)',
    );
  });

  it('resolves an AWS service name from the source VPC (private DNS of its endpoint)', async () => {
    const r = await run([
      'trace',
      '--from',
      'i-spoke-a-probe',
      '--to',
      'ssm.us-east-1.amazonaws.com:443',
      '--snapshot',
      snap(),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'ssm.us-east-1.amazonaws.com resolves to 10.1.0.20, 10.1.1.20 (private DNS of vpce-spoke-a-ssm',
    );
  });

  it('honours --sni and --protocol', async () => {
    const r = await run([
      'trace',
      '--from',
      'i-spoke-a-probe',
      '--to',
      '192.0.2.12:443',
      '--sni',
      'www.amazon.com',
      '--snapshot',
      snap(),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sni=www.amazon.com');
    const tcp = await run([
      'trace',
      '--from',
      'i-spoke-a-probe',
      '--to',
      '192.0.2.12:22',
      '--protocol',
      'tcp',
      '--snapshot',
      snap(),
    ]);
    expect(tcp.code).toBe(1);
  });

  it.each([
    [['--to', 'www.amazon.com'], '--to: "www.amazon.com" is not <host|ip>:<port>'],
    [['--to', 'nowhere.example:443'], '--to: host "nowhere.example" is not in the hosts table'],
    [
      ['--to', 'www.amazon.com:443', '--protocol', 'sctp'],
      '--protocol: "sctp" is not one of tls, http, tcp, udp',
    ],
    [
      ['--to', 'www.amazon.com:80', '--protocol', 'http', '--sni', 'x.example'],
      '--sni: only applies to --protocol tls',
    ],
  ])('bad input %j exits 2', async (args, message) => {
    const r = await run(['trace', '--from', 'i-spoke-a-probe', ...args, '--snapshot', snap()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('an instance that is not in the snapshot exits 2', async () => {
    const r = await run([
      'trace',
      '--from',
      'i-0nothere',
      '--to',
      'www.amazon.com:443',
      '--snapshot',
      snap(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from: instance "i-0nothere" is not in the snapshot');
  });

  it('a missing required option exits 2', async () => {
    const r = await run(['trace', '--to', 'www.amazon.com:443']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--from <instance-id|ip>' not specified");
  });
});

describe('help', () => {
  it.each([['verify'], ['trace'], ['e2e'], ['sweep']])('%s --help exits 0 with usage', async (cmd) => {
    const r = await run([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: hubspoke ${cmd}`);
  });

  it('verify --help names the runtimes and the interrupted exit code', async () => {
    const r = await run(['verify', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '--runtime <runtime> how the stack programs run: in-process (default, fast) | pulumi',
    );
    expect(r.stdout).toContain('--preview');
    expect(r.stdout).toContain('130 interrupted');
  });

  it('the bin file runs through node with tsx and lists every command', () => {
    const bin = resolve(__dirname, '../bin/hubspoke.js');
    const p = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(p.status).toBe(0);
    for (const cmd of ['verify', 'trace', 'e2e', 'sweep']) expect(p.stdout).toContain(cmd);
  });
});

describe('hubspoke verify --env dev (the real programs under the mock cloud)', () => {
  it('passes every default check and reports per-stack progress', async () => {
    const r = await run(['verify', '--env', 'dev', '--out-dir', 'out/dev']);
    expect(r.stderr).toMatch(/\[1\/\d+\] tgw \.\.\. \d+\.\ds/);
    expect(r.stderr).toMatch(/\[2\/\d+\] inspection/);
    expect(r.stdout).toMatch(/(\d+)\/\1 checks passed/);
    expect(r.code).toBe(0);
  }, 120_000);
});

describe('live commands', () => {
  it('main returns the exit code a live command sets (bad input to e2e -> 2), not 0', async () => {
    const r = await run(['e2e', '--env', 'dev']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });
});
