/**
 * README's promises, tried against networks and checks files built to break them: no path bypasses
 * inspection, every spoke of the environment is checked, and no run passes without evaluating
 * something. Each case runs `hubspoke verify --snapshot` as a user would and reads its exit code
 * and results.json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { main } from '../src/cli';
import type { CliIo } from '../src/io';

const work = mkdtempSync(join(tmpdir(), 'hubspoke-promises-'));

interface CheckJson {
  id: string;
  status: string;
  detail: string;
  decisive?: { kind: string; id: string };
}
interface Outcome {
  code: number;
  stdout: string;
  checks: CheckJson[];
}

async function verify(name: string, snapshot: NetworkSnapshot, checksYaml?: string): Promise<Outcome> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(snapshot));
  const args = ['verify', '--snapshot', file, '--out-dir', name];
  if (checksYaml !== undefined) {
    writeFileSync(join(work, `${name}.yaml`), checksYaml);
    args.push('--checks', `${name}.yaml`);
  }
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => undefined, cwd: work, columns: 160 };
  const code = await main(args, io);
  const json = JSON.parse(readFileSync(join(work, name, 'results.json'), 'utf8')) as { checks: CheckJson[] };
  return { code, stdout: out.join(''), checks: json.checks };
}

const AZS = ['us-east-1a', 'us-east-1b'];
const fixture = (o: HubSpokeFixtureOptions = {}): NetworkSnapshot =>
  buildHubSpokeSnapshot({ azs: AZS, ...o });
const check = (o: Outcome, id: string): CheckJson => {
  const c = o.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}; have ${o.checks.map((x) => x.id).join(', ')}`);
  return c;
};

describe('spoke-to-spoke traffic that skips the firewall', () => {
  it('fails the default checks when spokes also propagate into the spoke TGW route table', async () => {
    const r = await verify('propagate', fixture({ spokesPropagateToSpokeRt: true }));
    expect(r.code).toBe(1);
    const ew = check(r, 'inspected-east-west');
    expect(ew.status).toBe('fail');
    expect(ew.detail).toContain('without crossing a firewall endpoint');
    expect(ew.decisive).toMatchObject({ kind: 'tgw-route', id: 'tgw-rtb-spoke' });
    expect(check(r, 'symmetric-return')).toMatchObject({ status: 'fail' });
    expect(check(r, 'symmetric-return').detail).toContain('neither the request nor the reply crosses');
  });
});

describe('a spoke that is not attached to the Transit Gateway', () => {
  it('fails the default checks, naming the spoke, when it is detached and has its own way out', async () => {
    // spoke-b detached, with an internet gateway of its own; its probe removed so that the probe
    // checks (which only see spoke-a) have nothing to notice.
    const s = fixture({ detachedSpokes: [1], spokeRouteToIgw: [1] });
    s.Instances = s.Instances!.filter((i) => i.InstanceId !== 'i-spoke-b-probe');
    s.NetworkInterfaces = s.NetworkInterfaces!.filter((n) => n.NetworkInterfaceId !== 'eni-spoke-b-probe');
    const r = await verify('detached', s);
    expect(r.code).toBe(1);
    const attachment = check(r, 'spoke-attachment');
    expect(attachment.status).toBe('fail');
    expect(attachment.detail).toContain('spoke-b');
    expect(attachment.detail).toContain('not attached');
    const egress = check(r, 'inspected-egress');
    expect(egress.status).toBe('fail');
    expect(egress.detail).toContain('spoke-b');
    expect(egress.detail).toMatch(/igw-spoke-b/);
  });
});

describe('a run that evaluates nothing', () => {
  it.each([
    ['no check selected', 'checks: []\n', /no check was evaluated/],
    [
      'empty allow and deny lists',
      'checks: [allow, deny]\nallow: []\ndeny: []\n',
      /allow: the checks file lists no host/,
    ],
    ['east-west selected without pairs', 'checks: [east-west]\n', /east-west: the checks file lists no pair/],
  ])('%s: exit 1 with a message saying what was empty', async (_what, yaml, message) => {
    const r = await verify(`empty-${_what.replace(/\W+/g, '-')}`, fixture(), yaml);
    expect(r.code).toBe(1);
    expect(r.checks.length).toBeGreaterThan(0);
    expect(r.checks.map((c) => c.detail).join('\n')).toMatch(message);
    expect(r.stdout).not.toMatch(/0\/0 checks passed/);
  });
});
