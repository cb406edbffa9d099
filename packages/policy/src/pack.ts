/**
 * The hubspoke guardrails: the policies of the pack, in the order they are reported. Every policy
 * is mandatory: a violation fails `pulumi preview`/`pulumi up` and `hubspoke verify`.
 */
import * as fs from 'fs';
import type { EnforcementLevel, Policies, PolicyPackConfig } from '@pulumi/policy';
import { firewallLogging } from './policies/firewall-logging';
import { firewallProtection } from './policies/firewall-protection';
import { firewallStrictDrop } from './policies/firewall-strict-drop';
import { instanceHardening } from './policies/instance-hardening';
import { noOpenIngress } from './policies/no-open-ingress';
import { requiredTags } from './policies/required-tags';
import { spokeAttached } from './policies/spoke-attached';
import { spokeEgressViaTgw } from './policies/spoke-egress-via-tgw';
import { tgwInspectionApplianceMode } from './policies/tgw-inspection-appliance-mode';
import { tgwNoDefaultRouteTables } from './policies/tgw-no-default-route-tables';
import { tgwSpokeAssociation } from './policies/tgw-spoke-association';
import { vpcFlowLogs } from './policies/vpc-flow-logs';

export const PACK_NAME = 'hubspoke-guardrails';

export const PACK_DESCRIPTION =
  'hubspoke guardrails: spokes leave only through inspection, hardened instances, logging and protection stay on.';

export const policies: Policies = [
  spokeEgressViaTgw,
  spokeAttached,
  noOpenIngress,
  instanceHardening,
  tgwNoDefaultRouteTables,
  tgwInspectionApplianceMode,
  tgwSpokeAssociation,
  firewallStrictDrop,
  firewallLogging,
  firewallProtection,
  vpcFlowLogs,
  requiredTags,
];

/**
 * The pack's own configuration (`policy-config.json`, the format of `--policy-pack-config`): given
 * to the PolicyPack as its initial config, so `pulumi preview --policy-pack` and `hubspoke verify`
 * apply the same exemptions without another flag; the CLI validates it against each policy's
 * config schema.
 *
 * Every entry gets an explicit enforcement level (the policy's own unless the file sets one): the
 * initial config travels in GetAnalyzerInfo as a protobuf message whose level defaults to ADVISORY,
 * and the CLI applies that level, so an entry with only exemptions would silently turn a mandatory
 * policy advisory. A name that is no policy of the pack is an error (the CLI would ignore it).
 */
export function loadPolicyConfig(
  file: string,
  pack: Policies = policies,
  packLevel: EnforcementLevel = 'mandatory',
): PolicyPackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the policy config ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} must be a JSON object of policy name -> config, got ${JSON.stringify(parsed)}`);
  }
  const levels = new Map(pack.map((p) => [p.name, p.enforcementLevel ?? packLevel]));
  const config: PolicyPackConfig = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    const level = levels.get(name);
    if (level === undefined) {
      throw new Error(
        `${file}: "${name}" is not a policy of this pack (policies: ${[...levels.keys()].join(', ')})`,
      );
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      config[name] = { enforcementLevel: level, ...(value as Record<string, unknown>) };
    } else {
      // A bare string is an enforcement level; the CLI validates it.
      config[name] = value as PolicyPackConfig[string];
    }
  }
  return config;
}
