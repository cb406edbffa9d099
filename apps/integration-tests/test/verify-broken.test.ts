/**
 * Every environment of the repo verifies (dev with its probes, prod with none: stand-in workloads
 * in every workload subnet), and changing its config to disable appliance mode, to drop
 * checkip.amazonaws.com from the allowlist, or to set HOME_NET to the inspection CIDR makes verify
 * exit 1 naming the failing check and the hop or rule that decided it. The real programs run under
 * the mock cloud with the env's config, changed in memory (the repo files stay untouched).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, runStacks } from '@hubspoke/mock-cloud';
import { main } from '../src/cli';
import { declaredSpokes } from '../src/env-snapshot';
import type { CliIo } from '../src/io';

const work = mkdtempSync(join(tmpdir(), 'hubspoke-dev-broken-'));

interface CheckJson {
  id: string;
  status: string;
  detail: string;
  decisive?: { kind: string; id: string; detail: string; az?: string };
  warnings?: string[];
}

async function verifyWithInspectionConfig(
  env: string,
  name: string,
  change: (config: Record<string, unknown>) => void,
): Promise<{ code: number; stdout: string; checks: Map<string, CheckJson> }> {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => undefined, cwd: work, columns: 160 };
  const code = await main(['verify', '--env', env, '--out-dir', `${env}-${name}`], io, {
    snapshotFromEnv: async (root, env) => {
      const specs = loadEnvironment(root, env);
      change(specs.find((s) => s.project === 'inspection')!.config);
      const run = await runStacks(specs);
      return { snapshot: run.snapshot, spokes: declaredSpokes(run.outputs) };
    },
  });
  const json = JSON.parse(readFileSync(join(work, `${env}-${name}`, 'results.json'), 'utf8')) as {
    checks: CheckJson[];
  };
  return { code, stdout: out.join(''), checks: new Map(json.checks.map((c) => [c.id, c])) };
}

describe.each(['dev', 'prod'])('verify env %s', (env) => {
  it('passes every check as configured in the repo', async () => {
    const r = await verifyWithInspectionConfig(env, 'as-is', () => undefined);
    expect(r.code).toBe(0);
    expect([...r.checks.values()].every((c) => c.status === 'pass')).toBe(true);
    // prod has no probe instance: its probe checks are modelled from stand-in workloads
    const egress = r.checks.get('egress-ip')!.detail;
    if (env === 'prod') expect(egress).toContain('modelled from a stand-in workload');
    else expect(egress).not.toContain('stand-in');
  }, 120_000);

  it('appliance mode disabled: exit 1, symmetric-return fails at the inspection TGW attachment', async () => {
    const r = await verifyWithInspectionConfig(env, 'no-appliance', (c) => {
      c['inspection:applianceMode'] = false;
    });
    expect(r.code).toBe(1);
    const sym = r.checks.get('symmetric-return')!;
    expect(sym.status).toBe('fail');
    expect(sym.detail).toMatch(/request crosses vpce-\w+, reply crosses vpce-\w+/);
    expect(sym.decisive).toMatchObject({ kind: 'tgw-attachment' });
    expect(sym.decisive!.detail).toContain('no appliance mode');
  }, 120_000);

  it('checkip.amazonaws.com not allowlisted: exit 1, egress-ip and allow:checkip fail at the firewall', async () => {
    const r = await verifyWithInspectionConfig(env, 'no-checkip', (c) => {
      c['inspection:allowedDomains'] = ['.amazon.com'];
    });
    expect(r.code).toBe(1);
    for (const id of ['egress-ip', 'allow:checkip.amazonaws.com:443']) {
      expect(r.checks.get(id)).toMatchObject({ status: 'fail', decisive: { kind: 'firewall' } });
    }
    expect(r.checks.get('allow:www.amazon.com:443')!.status).toBe('pass');
  }, 120_000);

  it('HOME_NET = the inspection CIDR: exit 1, allow checks fail at the firewall naming HOME_NET', async () => {
    let inspectionCidr = '';
    const r = await verifyWithInspectionConfig(env, 'narrow-home-net', (c) => {
      inspectionCidr = String(c['inspection:vpcCidr']);
      c['inspection:homeNet'] = [inspectionCidr];
    });
    expect(inspectionCidr).toMatch(/\/\d+$/);
    expect(r.code).toBe(1);
    const allow = r.checks.get('allow:www.amazon.com:443')!;
    expect(allow).toMatchObject({ status: 'fail', decisive: { kind: 'firewall' } });
    expect(allow.decisive!.detail).toContain('outside HOME_NET');
    expect(allow.warnings?.join('\n')).toContain('widen HOME_NET');
  }, 120_000);
});
