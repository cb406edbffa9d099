/**
 * Network Firewall: each firewall with its policy and rule groups (which must be in the snapshot,
 * except AWS-managed groups), and its endpoints keyed by the AZ of the endpoint subnet. The firewall
 * engine for a policy is costly to build, so withFirewallEngine builds it lazily, once per firewall.
 */
import { buildFirewallEngine } from '../firewall/engine';
import type { FirewallEngine } from '../firewall/engine';
import type { Cidr } from '../ip/cidr';
import type { BuildContext, ModelIndexes } from './build-context';
import { snapshotError } from './errors';
import type { BuildModelOptions, FirewallEndpointInfo, FirewallInfo, NetworkModel } from './types';

/**
 * Attachment statuses in which a firewall endpoint handles traffic. AWS Network Firewall API
 * Reference, "Attachment" (Status: CREATING | DELETING | FAILED | ERROR | SCALING | READY; READY =
 * "available and configured properly to handle network traffic", SCALING = adding capacity while it
 * keeps handling traffic): https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_Attachment.html
 */
const FORWARDING_STATUSES = new Set(['READY', 'SCALING']);

export function indexFirewalls(ctx: BuildContext): void {
  const policies = new Map(
    (ctx.s.FirewallPolicies ?? []).map((p) => [p.FirewallPolicyResponse?.FirewallPolicyArn, p]),
  );
  const groups = new Map((ctx.s.RuleGroups ?? []).map((g) => [g.RuleGroupResponse?.RuleGroupArn, g]));
  (ctx.s.Firewalls ?? []).forEach((f, i) => {
    const fw = f.Firewall;
    if (!fw) throw snapshotError('Firewalls', i, undefined, 'Firewall missing');
    const arn = fw.FirewallArn ?? fw.FirewallName;
    if (!arn) throw snapshotError('Firewalls', i, undefined, 'Firewall.FirewallArn missing');
    const vpc = ctx.vpc('Firewalls', i, arn, fw.VpcId);
    const policy = fw.FirewallPolicyArn ? policies.get(fw.FirewallPolicyArn) : undefined;
    if (!policy)
      throw snapshotError(
        'Firewalls',
        i,
        arn,
        `FirewallPolicyArn "${fw.FirewallPolicyArn}" is not in FirewallPolicies`,
      );
    const refs = [
      ...(policy.FirewallPolicy?.StatefulRuleGroupReferences ?? []),
      ...(policy.FirewallPolicy?.StatelessRuleGroupReferences ?? []),
    ];
    const ruleGroups = refs.map((r) => {
      const g = groups.get(r.ResourceArn);
      if (!g && !r.ResourceArn?.includes(':aws-managed:')) {
        throw snapshotError(
          'FirewallPolicies',
          fw.FirewallPolicyArn!,
          undefined,
          `rule group "${r.ResourceArn}" is not in RuleGroups`,
        );
      }
      return g;
    });
    const info: FirewallInfo = {
      arn,
      name: fw.FirewallName ?? arn,
      vpcId: vpc.id,
      policyArn: fw.FirewallPolicyArn!,
      policy,
      ruleGroups: ruleGroups.filter((g) => g !== undefined),
      endpointsByAz: new Map(),
    };
    ctx.m.firewalls.set(arn, info);
    for (const [azKey, st] of Object.entries(f.FirewallStatus?.SyncStates ?? {})) {
      const att = st.Attachment;
      if (!att?.EndpointId) continue; // endpoint still being created
      const sub = ctx.subnet(
        'Firewalls',
        i,
        arn,
        att.SubnetId,
        `FirewallStatus.SyncStates["${azKey}"].Attachment.SubnetId`,
      );
      if (sub.vpcId !== vpc.id)
        throw snapshotError(
          'Firewalls',
          i,
          arn,
          `endpoint ${att.EndpointId} subnet ${sub.id} is not in the firewall VPC ${vpc.id}`,
        );
      // Key by the endpoint subnet's AZ (docs/network-design.md): that is where the endpoint actually is.
      const status = (att.Status ?? 'READY').toUpperCase();
      const ep: FirewallEndpointInfo = {
        endpointId: att.EndpointId,
        firewallArn: arn,
        firewallName: info.name,
        az: sub.az,
        subnetId: sub.id,
        vpcId: vpc.id,
        status,
        forwards: FORWARDING_STATUSES.has(status),
      };
      ctx.m.firewallEndpoints.set(att.EndpointId, ep);
      info.endpointsByAz.set(sub.az, att.EndpointId);
    }
  });
}

export function withFirewallEngine(m: ModelIndexes, options: BuildModelOptions): NetworkModel {
  const factory = options.firewallEngineFactory ?? buildFirewallEngine;
  const engines = new Map<string, FirewallEngine>();
  return Object.assign(m, {
    firewallEngine(arn: string): FirewallEngine {
      let e = engines.get(arn);
      if (!e) {
        const fw = m.firewalls.get(arn);
        if (!fw?.policy) throw new Error(`firewall ${arn}: no policy in the snapshot`);
        const vpc = m.vpcs.get(fw.vpcId)!;
        e = factory(fw.policy, fw.ruleGroups, { firewallVpcCidrs: vpc.cidrs.map((c: Cidr) => c.text) });
        engines.set(arn, e);
      }
      return e;
    },
  });
}
