/**
 * Policy checks reach the PR comment and the step summary: verify writes them like every check
 * (results.json, junit.xml), and both name the failing policy and the resource at fault.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReports } from '@hubspoke/harness';
import { policyChecks, type Diagnostic, type PackInfo, type StackAnalysis } from '@hubspoke/policy-host';
import { renderComment } from '../src/ci/pr-comment';
import { summaryFromDir } from '../src/ci/step-summary';
import { readVerifyDir } from '../src/ci/verify-report';

const PROBE =
  'urn:pulumi:prod::spoke-a::hubspoke:network:SpokeWorkload$aws:ec2/instance:Instance::spoke-a-probe';
const info: PackInfo = {
  name: 'hubspoke-guardrails',
  version: '0.1.0',
  policies: [
    {
      name: 'spoke-egress-via-tgw',
      description: 'Spokes leave only through the Transit Gateway.',
      type: 'resource',
      enforcementLevel: 'mandatory',
    },
    {
      name: 'vpc-flow-logs',
      description: 'Every VPC has a flow log.',
      type: 'stack',
      enforcementLevel: 'mandatory',
    },
  ],
};
const violation: Diagnostic = {
  policyName: 'spoke-egress-via-tgw',
  policyPackName: info.name,
  policyPackVersion: info.version,
  description: info.policies[0]!.description,
  message: `${info.policies[0]!.description}\nassociatePublicIpAddress is true: a spoke instance gets no public IP`,
  enforcementLevel: 'mandatory',
  urn: PROBE,
  phase: 'analyze',
};
const analyses: StackAnalysis[] = [
  {
    stack: { organization: 'organization', project: 'spoke-a', stack: 'prod', resources: [] },
    diagnostics: [violation],
    applicability: {
      'spoke-egress-via-tgw': { applied: 4, notApplicable: 30 },
      'vpc-flow-logs': { applied: 1, notApplicable: 0 },
    },
  },
];

function verifyOutput(): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-policy-'));
  writeReports(
    policyChecks(info, analyses),
    { command: 'hubspoke verify', env: 'prod', source: 'mock cloud', startedAt: '2026-01-01T00:00:00Z' },
    dir,
  );
  return dir;
}

describe('policy checks in CI output', () => {
  const dir = verifyOutput();

  it('the step summary lists the failing policy first, naming the resource, and the passing one', () => {
    const summary = summaryFromDir(dir, 'hubspoke verify', false);
    expect(summary).toContain('❌ 1 of 2 checks failed');
    const failing = summary.indexOf('`policy:spoke-egress-via-tgw` | ❌ fail');
    expect(failing).toBeGreaterThan(0);
    expect(summary.indexOf('`policy:vpc-flow-logs` | ✅ pass')).toBeGreaterThan(failing);
    expect(summary).toContain(
      "'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/prod): associatePublicIpAddress is true",
    );
    expect(summary).toContain('**JUnit:** 1 passed, 1 failed, 0 skipped');
  });

  it('the PR comment shows them in the offline verify section', () => {
    const { body } = renderComment({ env: 'prod', verify: readVerifyDir(dir), previewNote: 'not previewed' });
    expect(body).toContain('### Offline verify — ❌ 1 of 2 checks failed');
    expect(body).toContain('`policy:spoke-egress-via-tgw` | ❌ fail');
    expect(body).toContain("'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/prod)");
  });
});
