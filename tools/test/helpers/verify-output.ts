/** A verify output directory like `hubspoke verify --out-dir` writes (results.json, report.md, junit.xml). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MERMAID = [
  '```mermaid',
  'flowchart LR',
  '  spokeA[spoke-a] --> tgw((TGW))',
  '  tgw --> fw[firewall]',
  '  fw --> nat[NAT] --> igw[IGW]',
  '```',
].join('\n');

export const passingChecks = [
  { id: 'egress-ip', status: 'pass', detail: 'egress IP of every probe is a NAT EIP of the inspection VPC' },
  { id: 'allow:www.amazon.com:443', status: 'pass', detail: 'passed by rule 2 (tls.sni .amazon.com)' },
  { id: 'deny:example.com:443', status: 'pass', detail: 'dropped by aws:drop_strict' },
  { id: 'inspected-egress', status: 'pass', detail: 'all 6 paths cross a firewall endpoint' },
];

export function verifyDir(
  checks: unknown[] = passingChecks,
  extra: { report?: string; junit?: string } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ checks }));
  writeFileSync(
    join(dir, 'report.md'),
    extra.report ?? `# hubspoke verify (prod)\n\n## Network\n\n${MERMAID}\n\n## Checks\n...\n`,
  );
  if (extra.junit) writeFileSync(join(dir, 'junit.xml'), extra.junit);
  return dir;
}
