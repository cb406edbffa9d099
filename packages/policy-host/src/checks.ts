/**
 * Policy results as verification checks (docs/contracts.md "The hubspoke CLI"): one check
 * `policy:<policy-name>` per enabled policy of the pack. It fails on any mandatory violation and
 * names each resource at fault; advisory violations are warnings; a policy that applied to
 * nothing passes and says so. Disabled policies are not evaluated and get no check.
 */
import type { CheckResult } from '@hubspoke/harness';
import type { Diagnostic, PackInfo, StackAnalysis } from './types';

const SHOWN_IN_DETAIL = 3;

function urnParts(urn: string): { stack: string; project: string; type: string; name: string } {
  const parts = urn.split('::');
  const qualified = parts[2] ?? '';
  return {
    stack: (parts[0] ?? '').replace(/^urn:pulumi:/, ''),
    project: parts[1] ?? '',
    type: qualified.slice(qualified.lastIndexOf('$') + 1),
    name: parts.slice(3).join('::'),
  };
}

/** `'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/dev)`. */
export function resourceLabel(urn: string): string {
  const { stack, project, type, name } = urnParts(urn);
  return `'${name}' (${type}, ${project}/${stack})`;
}

/** The policy SDK prefixes every message with the policy's description; keep what is specific. */
function ownMessage(d: Diagnostic): string {
  const prefix = `${d.description}\n`;
  return (d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message).trim();
}

/**
 * A violation found in a stack's update and again in its preview is one violation: the first is
 * kept (updates come first).
 */
function distinct(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.policyName}\n${d.urn}\n${d.enforcementLevel}\n${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `analyses` may hold a stack twice, as updated and as previewed (`verify --runtime pulumi
 * --preview`); the scope then says so, and counts every analysis.
 */
export function policyChecks(info: PackInfo, analyses: StackAnalysis[]): CheckResult[] {
  const stacks = new Set(analyses.map((a) => `${a.stack.project}/${a.stack.stack}`)).size;
  const previewed = analyses.some((a) => a.stack.dryRun);
  const results: CheckResult[] = [];
  for (const policy of info.policies) {
    if (policy.enforcementLevel === 'disabled') continue;
    const diagnostics = distinct(
      analyses.flatMap((a) => a.diagnostics.filter((d) => d.policyName === policy.name)),
    );
    const mandatory = diagnostics.filter((d) => d.enforcementLevel === 'mandatory');
    const advisory = diagnostics.filter((d) => d.enforcementLevel !== 'mandatory');
    const applied = analyses.reduce((n, a) => n + (a.applicability[policy.name]?.applied ?? 0), 0);
    const unit = policy.type === 'resource' ? 'resource' : 'stack';
    const plural = `${stacks} stack${stacks === 1 ? '' : 's'}`;
    const where = previewed ? `${analyses.length} updates and previews of ${plural}` : plural;
    const scope =
      policy.type === 'resource'
        ? `${applied} resource${applied === 1 ? '' : 's'} in ${where}`
        : `${applied} of ${where}`;
    const result: CheckResult = {
      id: `policy:${policy.name}`,
      status: mandatory.length === 0 ? 'pass' : 'fail',
      detail:
        mandatory.length > 0
          ? `${mandatory.length} violation${mandatory.length === 1 ? '' : 's'}: ${mandatory
              .slice(0, SHOWN_IN_DETAIL)
              .map((d) => `${resourceLabel(d.urn)}: ${ownMessage(d)}`)
              .join(
                '; ',
              )}${mandatory.length > SHOWN_IN_DETAIL ? `; and ${mandatory.length - SHOWN_IN_DETAIL} more` : ''}`
          : applied > 0
            ? `no violation on ${scope}`
            : `not applicable: no ${unit} it applies to in ${where}`,
      covered: applied,
    };
    if (mandatory.length > 0) {
      result.failures = mandatory.map((d) => ({
        subject: resourceLabel(d.urn),
        detail: ownMessage(d),
        decisive: { kind: 'policy', id: d.urn, detail: `${policy.name} (${d.enforcementLevel})` },
      }));
      result.decisive = result.failures[0]!.decisive;
    }
    if (advisory.length > 0) {
      result.warnings = advisory.map(
        (d) => `${d.enforcementLevel}: ${resourceLabel(d.urn)}: ${ownMessage(d)}`,
      );
    }
    results.push(result);
  }
  return results;
}
