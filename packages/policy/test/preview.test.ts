/**
 * During `pulumi preview` of a new environment the engine does not know the IDs and ARNs of the
 * resources to be created: the pack sees them as unknowns. The policies relate resources through
 * property dependencies, which a preview knows, so the repository's programs must still pass and
 * a violation must still be found, not turned into "can't run during preview".
 */
import { unknownValue } from '@pulumi/pulumi/runtime/rpc';
import { PolicyHost, type AnalyzedStack } from '@hubspoke/policy-host';
import { spoke } from './programs';
import { HOST_TIMEOUT, PACK_DIR, stacksOf, type Scenario } from './support';

/** Every value that is the ID or ARN of a resource of the stack becomes unknown, as in a preview. */
function asPreview(stack: AnalyzedStack): AnalyzedStack {
  const computed = new Set<string>();
  for (const r of stack.resources) {
    if (r.read) continue;
    for (const key of ['id', 'arn'])
      if (typeof r.outputs[key] === 'string') computed.add(r.outputs[key] as string);
  }
  const hide = (v: unknown): unknown =>
    typeof v === 'string' && computed.has(v)
      ? unknownValue
      : Array.isArray(v)
        ? v.map(hide)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hide(x)]))
          : v;
  return {
    ...stack,
    resources: stack.resources.map((r) =>
      r.read
        ? r
        : {
            ...r,
            inputs: hide(r.inputs) as Record<string, unknown>,
            outputs: hide(r.outputs) as Record<string, unknown>,
          },
    ),
  };
}

let host: PolicyHost;
beforeAll(async () => {
  host = await PolicyHost.start(PACK_DIR);
}, HOST_TIMEOUT);
afterAll(async () => host?.close());

async function previewDiagnostics(scenario: Scenario) {
  const stacks = (await stacksOf(scenario)).map(asPreview);
  const unknowns = stacks
    .flatMap((s) => s.resources)
    .filter((r) => JSON.stringify(r.inputs).includes(unknownValue));
  const analyses = [];
  for (const s of stacks) analyses.push(await host.analyzeStack(s));
  return { unknowns: unknowns.length, diagnostics: analyses.flatMap((a) => a.diagnostics) };
}

describe('a preview of a new environment', () => {
  it(
    'passes the repository programs without falling back to "cannot run during preview"',
    async () => {
      const { unknowns, diagnostics } = await previewDiagnostics({
        repo: ['tgw', 'inspection', 'spoke-a', 'spoke-b'],
      });
      expect(unknowns).toBeGreaterThan(20);
      expect(diagnostics).toEqual([]);
    },
    HOST_TIMEOUT,
  );

  it(
    'passes the org environment, whose spoke attachments the TGW owner accepts and associates through the accepter',
    async () => {
      const { unknowns, diagnostics } = await previewDiagnostics({
        env: 'org',
        repo: ['tgw', 'inspection', 'spoke-a', 'spoke-b'],
      });
      expect(unknowns).toBeGreaterThan(20);
      expect(diagnostics).toEqual([]);
    },
    HOST_TIMEOUT,
  );

  it(
    'still finds a spoke whose attachment propagates into the spoke table',
    async () => {
      const { diagnostics } = await previewDiagnostics({
        repo: ['tgw'],
        inline: [{ project: 'spoke-x', program: () => spoke('spoke-x', { swapRouteTables: true }) }],
      });
      const found = diagnostics.filter((d) => d.policyName === 'tgw-spoke-association');
      expect(found.map((d) => d.enforcementLevel)).toEqual(['mandatory', 'mandatory']);
      expect(found.map((d) => d.message).join('\n')).toContain('propagates into the spoke route table');
    },
    HOST_TIMEOUT,
  );
});
