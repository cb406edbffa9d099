/** Policy results as checks: fail naming every resource at fault, pass saying what was covered. */
import { policyChecks } from '../src/checks';
import type { Diagnostic, PackInfo, StackAnalysis } from '../src/types';

const info: PackInfo = {
  name: 'pack',
  version: '0.1.0',
  policies: [
    { name: 'no-public-ip', description: 'No public IPs.', type: 'resource', enforcementLevel: 'mandatory' },
    { name: 'flow-logs', description: 'Flow logs on.', type: 'stack', enforcementLevel: 'mandatory' },
    { name: 'unused', description: 'Never applies.', type: 'resource', enforcementLevel: 'mandatory' },
    { name: 'off', description: 'Disabled.', type: 'resource', enforcementLevel: 'disabled' },
  ],
};

const diag = (
  policyName: string,
  urn: string,
  message: string,
  level: Diagnostic['enforcementLevel'] = 'mandatory',
): Diagnostic => ({
  policyName,
  policyPackName: 'pack',
  policyPackVersion: '0.1.0',
  description: info.policies.find((p) => p.name === policyName)!.description,
  // The policy SDK prefixes the description.
  message: `${info.policies.find((p) => p.name === policyName)!.description}\n${message}`,
  enforcementLevel: level,
  urn,
  phase: 'analyze',
});

const probe =
  'urn:pulumi:dev::spoke-a::hubspoke:network:SpokeWorkload$aws:ec2/instance:Instance::spoke-a-probe';
const analyses: StackAnalysis[] = [
  {
    stack: { organization: 'o', project: 'spoke-a', stack: 'dev', resources: [] },
    diagnostics: [
      diag('no-public-ip', probe, 'associatePublicIpAddress is true'),
      diag('flow-logs', 'urn:pulumi:dev::spoke-a::aws:ec2/vpc:Vpc::v', 'Vpc v has no flow log', 'advisory'),
    ],
    applicability: {
      'no-public-ip': { applied: 3, notApplicable: 20 },
      'flow-logs': { applied: 1, notApplicable: 0 },
      unused: { applied: 0, notApplicable: 23 },
    },
  },
  {
    stack: { organization: 'o', project: 'tgw', stack: 'dev', resources: [] },
    diagnostics: [],
    applicability: {
      'no-public-ip': { applied: 2, notApplicable: 5 },
      'flow-logs': { applied: 0, notApplicable: 1 },
      unused: { applied: 0, notApplicable: 7 },
    },
  },
];

describe('policyChecks', () => {
  const checks = new Map(policyChecks(info, analyses).map((c) => [c.id, c]));

  it('fails on a mandatory violation, naming the resource, its type and stack, and the message', () => {
    const c = checks.get('policy:no-public-ip')!;
    expect(c.status).toBe('fail');
    expect(c.detail).toBe(
      `1 violation: 'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/dev): associatePublicIpAddress is true`,
    );
    expect(c.failures).toEqual([
      {
        subject: "'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/dev)",
        detail: 'associatePublicIpAddress is true',
        decisive: { kind: 'policy', id: probe, detail: 'no-public-ip (mandatory)' },
      },
    ]);
    expect(c.covered).toBe(5);
  });

  it('passes an advisory finding with a warning, saying what it covered', () => {
    const c = checks.get('policy:flow-logs')!;
    expect(c.status).toBe('pass');
    expect(c.detail).toBe('no violation on 1 of 2 stacks');
    expect(c.warnings).toEqual(["advisory: 'v' (aws:ec2/vpc:Vpc, spoke-a/dev): Vpc v has no flow log"]);
  });

  it('says when a policy applied to nothing, and leaves disabled policies out', () => {
    expect(checks.get('policy:unused')).toMatchObject({
      status: 'pass',
      covered: 0,
      detail: 'not applicable: no resource it applies to in 2 stacks',
    });
    expect(checks.has('policy:off')).toBe(false);
    expect([...checks.keys()]).toEqual(['policy:no-public-ip', 'policy:flow-logs', 'policy:unused']);
  });
});

describe('policyChecks over updates and previews of the same stacks', () => {
  const previews: StackAnalysis[] = analyses.map((a) => ({
    ...a,
    stack: { ...a.stack, dryRun: true },
  }));
  const checks = new Map(policyChecks(info, [...analyses, ...previews]).map((c) => [c.id, c]));

  it('reports a violation found in both once', () => {
    expect(checks.get('policy:no-public-ip')).toMatchObject({
      status: 'fail',
      detail:
        "1 violation: 'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/dev): associatePublicIpAddress is true",
    });
    expect(checks.get('policy:no-public-ip')!.failures).toHaveLength(1);
  });

  it('reports one found only in the preview', () => {
    const onlyPreview = policyChecks(info, [
      { ...analyses[1]!, diagnostics: [] },
      { ...analyses[1]!, stack: { ...analyses[1]!.stack, dryRun: true } },
      {
        ...analyses[0]!,
        stack: { ...analyses[0]!.stack, dryRun: true },
        diagnostics: [diag('no-public-ip', probe, 'associatePublicIpAddress is true')],
      },
    ]);
    expect(onlyPreview.find((c) => c.id === 'policy:no-public-ip')!.status).toBe('fail');
  });

  it('says the stacks were updated and previewed, counting each analysis', () => {
    expect(checks.get('policy:unused')!.detail).toBe(
      'not applicable: no resource it applies to in 4 updates and previews of 2 stacks',
    );
    expect(checks.get('policy:flow-logs')!.detail).toBe(
      'no violation on 2 of 4 updates and previews of 2 stacks',
    );
  });
});
