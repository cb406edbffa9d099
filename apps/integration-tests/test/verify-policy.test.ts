/**
 * The policy checks of `hubspoke verify --env`: the repository's programs pass every policy in dev
 * and prod, and a program changed to give a spoke's probe a public IP, or to stop logging the
 * firewall, makes verify exit 1 with the policy's check failing and naming the resource, in the
 * table, results.json, report.md and junit.xml. The real programs run under the mock cloud; the
 * change is made to what they register, the files stay untouched.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InspectionVpc } from '@hubspoke/network';
import { changeRegistrations } from '@hubspoke/network/testing/program-change';
import { main } from '../src/cli';
import { formatProgress, snapshotFromMockCloud } from '../src/env-snapshot';
import type { CliIo } from '../src/io';

const work = mkdtempSync(join(tmpdir(), 'hubspoke-verify-policy-'));
const POLICIES = [
  'spoke-egress-via-tgw',
  'spoke-attached',
  'no-open-ingress',
  'instance-hardening',
  'tgw-no-default-route-tables',
  'tgw-inspection-appliance-mode',
  'tgw-spoke-association',
  'firewall-strict-drop',
  'firewall-logging',
  'firewall-protection',
  'vpc-flow-logs',
  'required-tags',
];

interface CheckJson {
  id: string;
  status: string;
  detail: string;
  failures?: { subject: string; detail: string }[];
}

async function verify(
  env: string,
  name: string,
  wrap: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: work, columns: 200 };
  const code = await main(['verify', '--env', env, '--out-dir', name], io, {
    snapshotFromEnv: (root, e, cliIo) =>
      wrap(() => snapshotFromMockCloud(root, e, (p) => cliIo.stderr(formatProgress(p)))),
  });
  const read = (f: string) => readFileSync(join(work, name, f), 'utf8');
  const json = JSON.parse(read('results.json')) as { checks: CheckJson[] };
  return {
    code,
    stdout: out.join(''),
    stderr: err.join(''),
    checks: new Map(json.checks.map((c) => [c.id, c])),
    markdown: read('report.md'),
    junit: read('junit.xml'),
  };
}

describe('verify --env: the policy checks', () => {
  it.each(['dev', 'prod'])(
    'env %s passes every policy',
    async (env) => {
      const r = await verify(env, `clean-${env}`);
      for (const p of POLICIES) expect(r.checks.get(`policy:${p}`)).toMatchObject({ status: 'pass' });
      expect(r.stderr).toMatch(/policy pack hubspoke-guardrails@0\.1\.0: 12 policies, ready in/);
      if (env === 'dev') expect(r.code).toBe(0);
    },
    240_000,
  );

  it("a spoke's probe given a public IP: exit 1, spoke-egress-via-tgw fails naming the probe", async () => {
    const r = await verify('dev', 'probe-public-ip', (fn) =>
      changeRegistrations((type, name, props) => {
        if (type === 'aws:ec2/instance:Instance' && name === 'spoke-a-probe')
          props.associatePublicIpAddress = true;
      }, fn),
    );
    expect(r.code).toBe(1);
    const subject = "'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/dev)";
    const check = r.checks.get('policy:spoke-egress-via-tgw')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toContain(`${subject}: associatePublicIpAddress is true`);
    expect(check.failures).toEqual([
      {
        subject,
        detail: 'associatePublicIpAddress is true: a spoke instance gets no public IP',
        decisive: expect.anything(),
      },
    ]);
    expect(r.checks.get('policy:instance-hardening')!.status).toBe('fail');
    expect(r.stdout).toMatch(/FAIL │ policy:spoke-egress-via-tgw/);
    expect(r.markdown).toContain('`policy:spoke-egress-via-tgw`');
    expect(r.markdown).toContain(subject);
    expect(r.junit).toContain('name="policy:spoke-egress-via-tgw"');
    expect(r.junit).toContain('spoke-a-probe');
  }, 240_000);

  it('firewall logging turned off: exit 1, firewall-logging fails naming the firewall', async () => {
    const spy = jest
      .spyOn(InspectionVpc.prototype as unknown as { logFirewall: () => void }, 'logFirewall')
      .mockImplementation(() => undefined);
    try {
      const r = await verify('dev', 'no-firewall-logging');
      expect(r.code).toBe(1);
      const check = r.checks.get('policy:firewall-logging')!;
      expect(check.status).toBe('fail');
      expect(check.detail).toBe(
        "1 violation: 'inspection' (aws:networkfirewall/firewall:Firewall, inspection/dev): Firewall 'inspection' has no LoggingConfiguration: ALERT and FLOW logs are off",
      );
      for (const p of POLICIES.filter((x) => x !== 'firewall-logging'))
        expect(r.checks.get(`policy:${p}`)!.status).toBe('pass');
    } finally {
      spy.mockRestore();
    }
  }, 240_000);
});
