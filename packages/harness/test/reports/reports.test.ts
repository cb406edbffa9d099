import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NetworkSnapshot } from '@hubspoke/netmodel';
import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { runChecks } from '../../src/checks/run';
import type { CheckResult } from '../../src/checks/types';
import {
  formatTable,
  MARKDOWN_LIMIT,
  shortId,
  toMarkdown,
  topologyMermaid,
  writeReports,
  type ReportMeta,
} from '../../src/reports';

/** Minimal XML well-formedness check: every element closes in order; returns the elements seen. */
function parseXml(xml: string): { name: string; attrs: Record<string, string> }[] {
  const body = xml.replace(/^<\?xml[^>]*\?>/, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const stack: string[] = [];
  const seen: { name: string; attrs: Record<string, string> }[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    const attrs = Object.fromEntries(
      [...attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]),
    );
    seen.push({ name: name!, attrs });
    if (!selfClose) stack.push(name!);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return seen;
}

describe('report writers', () => {
  let results: CheckResult[];
  let snapshot: NetworkSnapshot;
  let meta: ReportMeta;
  beforeAll(async () => {
    // A broken network so the reports carry both passes and failures.
    snapshot = buildHubSpokeSnapshot({ applianceMode: false, allowedDomains: ['.amazon.com'] });
    results = await runChecks({ snapshot });
    meta = {
      command: 'hubspoke verify',
      env: 'dev',
      source: 'test fixture',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1234,
      snapshot,
    };
  });

  it('writes results.json, report.md and junit.xml into the output folder', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hubspoke-reports-')), 'nested', 'dev');
    const files = writeReports(results, meta, dir);
    for (const f of [files.json, files.markdown, files.junit]) expect(existsSync(f)).toBe(true);
    expect(files.json).toBe(join(dir, 'results.json'));

    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(Object.keys(json)).toEqual(['checks', 'summary', 'meta']);
    expect(json.checks.map((c: CheckResult) => c.id)).toEqual(results.map((r) => r.id));
    for (const c of json.checks) {
      expect(typeof c.id).toBe('string');
      expect(['pass', 'fail']).toContain(c.status);
      expect(typeof c.detail).toBe('string');
      // Only failing paths are kept.
      for (const p of c.paths ?? []) expect(p.ok).toBe(false);
    }
    expect(json.summary).toEqual({
      total: results.length,
      passed: results.filter((r) => r.status === 'pass').length,
      failed: results.filter((r) => r.status === 'fail').length,
      unknown: results.filter((r) => r.status === 'unknown').length,
      notApplicable: 0,
    });
    expect(json.meta.snapshot).toBeUndefined();
    const egress = json.checks.find((c: CheckResult) => c.id === 'egress-ip');
    expect(egress.status).toBe('fail');
    expect(egress.decisive.kind).toBe('firewall');
  });

  it('junit.xml is well-formed with one test case per check and a failure per failed check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubspoke-junit-'));
    const xml = readFileSync(writeReports(results, meta, dir).junit, 'utf8');
    const elements = parseXml(xml);
    const cases = elements.filter((e) => e.name === 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(results.map((r) => r.id));
    expect(elements.filter((e) => e.name === 'failure')).toHaveLength(
      results.filter((r) => r.status === 'fail').length,
    );
    expect(elements.find((e) => e.name === 'testsuite')?.attrs).toMatchObject({
      name: 'hubspoke verify dev',
      failures: String(results.filter((r) => r.status === 'fail').length),
    });
  });

  it('report.md has the summary, a mermaid topology and the paths of each check', () => {
    const md = toMarkdown(results, meta);
    expect(md).toMatch(/^## hubspoke verify `dev`: \d+ of \d+ checks failed/);
    expect(md).toContain('```mermaid\nflowchart LR');
    for (const r of results) expect(md).toContain(`<code>${r.id}</code>`);
    expect(md).toMatch(/FAIL .*-> /);
    expect(md).toContain('  <- ');
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
  });

  it('report.md stays under a PR comment limit for a 40-spoke network', async () => {
    const big = buildHubSpokeSnapshot({
      spokeCount: 40,
      applianceMode: false,
      azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
    const r = await runChecks({ snapshot: big });
    expect(toMarkdown(r, { ...meta, snapshot: big }).length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
  });

  it('the terminal table has one row per check and the pass count', () => {
    const table = formatTable(results, { width: 100 });
    for (const r of results) expect(table).toContain(r.status === 'pass' ? 'PASS' : 'FAIL');
    const failed = results.filter((r) => r.status === 'fail').length;
    expect(table).toContain(`${results.length - failed}/${results.length} checks passed, ${failed} failed`);
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('report writers: a check the model cannot decide', () => {
  let results: CheckResult[];
  let meta: ReportMeta;
  beforeAll(async () => {
    // Egress meets a Gateway Load Balancer endpoint that is not the firewall: not modelled.
    const snapshot = buildHubSpokeSnapshot();
    snapshot.VpcEndpoints!.push({
      VpcEndpointId: 'vpce-appliance',
      VpcEndpointType: 'GatewayLoadBalancer',
      VpcId: 'vpc-inspection',
    });
    for (const rt of snapshot.RouteTables!)
      if (rt.RouteTableId?.startsWith('rtb-inspection-tgw-'))
        rt.Routes = rt.Routes!.map((r) =>
          r.DestinationCidrBlock === '0.0.0.0/0' ? { ...r, GatewayId: 'vpce-appliance' } : r,
        );
    results = await runChecks({ snapshot });
    meta = {
      command: 'hubspoke verify',
      env: 'dev',
      source: 'test fixture',
      startedAt: '2026-01-01T00:00:00.000Z',
      snapshot,
    };
  });

  it('is unknown, naming what was not modelled, and counted apart in every report', () => {
    const unknown = results.filter((r) => r.status === 'unknown');
    expect(unknown.map((r) => r.id)).toEqual(
      expect.arrayContaining(['allow:www.amazon.com:443', 'deny:example.com:443', 'inspected-egress']),
    );
    for (const r of unknown) {
      expect(r.detail).toMatch(/^UNKNOWN: /);
      expect(r.decisive).toMatchObject({ kind: 'not-modelled', id: 'vpce-appliance' });
    }
    const dir = mkdtempSync(join(tmpdir(), 'hubspoke-unknown-'));
    const files = writeReports(results, meta, dir);
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(json.summary.unknown).toBe(unknown.length);
    const failures = parseXml(readFileSync(files.junit, 'utf8')).filter((e) => e.name === 'failure');
    expect(failures.filter((f) => f.attrs.type === 'unknown')).toHaveLength(unknown.length);
    const md = toMarkdown(results, meta);
    expect(md).toContain(`${unknown.length} of ${results.length} could not be decided (not modelled)`);
    expect(md).toContain('| ❔ | `inspected-egress` |');
    expect(formatTable(results, { width: 120 })).toContain(`${unknown.length} unknown (not modelled)`);
  });
});

describe('report writers: a check that does not apply (one spoke)', () => {
  it('is N/A with its reason in every report, skipped in junit, and the run still passes', async () => {
    const snapshot = buildHubSpokeSnapshot({ spokeCount: 1 });
    const results = await runChecks({ snapshot });
    const na = results.filter((r) => r.status === 'not-applicable');
    expect(na.map((r) => r.id)).toEqual(['inspected-east-west']);
    const meta: ReportMeta = {
      command: 'hubspoke verify',
      env: 'dev',
      source: 'test fixture',
      startedAt: '2026-01-01T00:00:00.000Z',
      snapshot,
    };
    const dir = mkdtempSync(join(tmpdir(), 'hubspoke-na-'));
    const files = writeReports(results, meta, dir);
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(json.summary).toMatchObject({ total: results.length, failed: 0, unknown: 0, notApplicable: 1 });
    expect(json.checks.find((c: CheckResult) => c.id === 'inspected-east-west')).toMatchObject({
      status: 'not-applicable',
      detail: 'not applicable: one spoke (spoke-a), so no spoke-to-spoke path exists',
    });
    const xml = parseXml(readFileSync(files.junit, 'utf8'));
    expect(xml.filter((e) => e.name === 'failure')).toHaveLength(0);
    expect(xml.filter((e) => e.name === 'skipped')).toHaveLength(1);
    const md = toMarkdown(results, meta);
    expect(md).toContain(`all applicable checks passed, 1 not applicable`);
    expect(md).toContain('| ➖ | `inspected-east-west` | not applicable: one spoke (spoke-a)');
    const table = formatTable(results, { width: 120 });
    expect(table).toContain(`${results.length - 1}/${results.length - 1} checks passed, 1 not applicable`);
    expect(table).toMatch(/N\/A\s+│?\s*inspected-east-west/);
  });
});

describe('shortId', () => {
  it('keeps the resource name of an ARN and leaves other ids alone', () => {
    expect(shortId('arn:aws:network-firewall:us-east-1:111122223333:stateful-rulegroup/hub-domains')).toBe(
      'hub-domains',
    );
    expect(shortId('tgw-attach-0abc')).toBe('tgw-attach-0abc');
  });
});

describe('topologyMermaid', () => {
  it('draws VPCs, subnets per AZ, firewall endpoints, NAT, IGW, the TGW with its route tables and routes', () => {
    const m = topologyMermaid(buildHubSpokeSnapshot());
    expect(m.split('\n')[0]).toBe('flowchart LR');
    expect(m).toMatch(/subgraph n_vpc_inspection\["inspection/);
    expect(m).toMatch(/subgraph n_vpc_inspection_us_east_1a\["us-east-1a"\]/);
    expect(m).toContain('n_vpce_fw_a{{"firewall endpoint<br/>vpce-fw-a"}}');
    expect(m).toMatch(/n_nat_a\(\["NAT nat-a<br\/>203\.0\.113\.10"\]\)/);
    expect(m).toContain('n_igw_inspection(["IGW igw-inspection"])');
    expect(m).toContain('n_tgw_hub[["TGW tgw-hub"]]');
    expect(m).toMatch(/n_subnet_inspection_tgw_a -->\|"0\.0\.0\.0\/0"\| n_vpce_fw_a/);
    expect(m).toMatch(/n_vpc_inspection ==>\|"tgw-attach-inspection, appliance mode"\| n_tgw_rtb_inspection/);
    expect(m).toMatch(/n_tgw_rtb_spoke -->\|"0\.0\.0\.0\/0"\| n_vpc_inspection/);
  });

  it('declares every node once (a VPC drawn as a subgraph is not declared again as a node)', () => {
    const m = topologyMermaid(buildHubSpokeSnapshot());
    const declared = [...m.matchAll(/^\s+(?:subgraph )?(n_\w+)[[({]/gm)].map((x) => x[1]);
    expect(declared.length).toBeGreaterThan(10);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('collapses spokes beyond the detail limit to one node each', () => {
    const m = topologyMermaid(buildHubSpokeSnapshot({ spokeCount: 12 }), { detailedVpcLimit: 3 });
    expect((m.match(/^ {2}subgraph /gm) ?? []).length).toBe(3);
    expect(m).toMatch(/n_vpc_spoke_l\["spoke-l<br\/>vpc-spoke-l 10\.12\.0\.0\/16<br\/>4 subnets"\]/);
  });
});
