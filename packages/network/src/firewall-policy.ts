/**
 * `FirewallPolicy`: the Network Firewall rule groups and policy described by a `FirewallPlan`.
 * Strict rule order, the plan's default actions, and HOME_NET set both on every rule group and as a
 * policy variable, so domain rules match traffic from every spoke, not only the firewall's own VPC.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { RuleGroup } from '@aws-sdk/client-network-firewall';
import type { FirewallPlan } from './firewall-plan';

export interface FirewallPolicyArgs {
  plan: FirewallPlan;
}

export class FirewallPolicy extends pulumi.ComponentResource {
  public readonly policyArn: pulumi.Output<string>;
  public readonly ruleGroupArns: pulumi.Output<string>[];

  constructor(name: string, args: FirewallPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hubspoke:network:FirewallPolicy', name, {}, opts);
    const { plan } = args;
    const groups = plan.ruleGroups.map(
      (g) =>
        new aws.networkfirewall.RuleGroup(
          `${name}-${g.key}`,
          {
            type: 'STATEFUL',
            capacity: g.capacity,
            description: `hubspoke ${g.key} rules`,
            ruleGroup: toPulumiRuleGroup(g.ruleGroup),
          },
          // A capacity change forces a new group; create it before the policy drops the old one.
          { parent: this },
        ),
    );
    const policy = new aws.networkfirewall.FirewallPolicy(
      name,
      {
        description: 'hubspoke centralized egress policy',
        firewallPolicy: {
          statelessDefaultActions: ['aws:forward_to_sfe'],
          statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
          statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
          statefulDefaultActions: plan.statefulDefaultActions,
          statefulRuleGroupReferences: groups.map((group, i) => ({
            resourceArn: group.arn,
            priority: plan.ruleGroups[i].priority,
          })),
          policyVariables: {
            ruleVariables: [{ key: 'HOME_NET', ipSet: { definitions: plan.homeNet } }],
          },
        },
      },
      { parent: this },
    );
    this.policyArn = policy.arn;
    this.ruleGroupArns = groups.map((g) => g.arn);
    this.registerOutputs({ policyArn: this.policyArn });
  }
}

/** Converts the API-shaped (PascalCase) rule group into the Pulumi input shape (camelCase). */
export function toPulumiRuleGroup(group: RuleGroup): aws.types.input.networkfirewall.RuleGroupRuleGroup {
  const source = group.RulesSource ?? {};
  const list = source.RulesSourceList;
  return {
    rulesSource: {
      rulesString: source.RulesString,
      rulesSourceList: list
        ? {
            generatedRulesType: list.GeneratedRulesType!,
            targetTypes: list.TargetTypes!,
            targets: list.Targets!,
          }
        : undefined,
    },
    ruleVariables: {
      ipSets: Object.entries(group.RuleVariables?.IPSets ?? {}).map(([key, set]) => ({
        key,
        ipSet: { definitions: set.Definition ?? [] },
      })),
    },
    statefulRuleOptions: group.StatefulRuleOptions?.RuleOrder
      ? { ruleOrder: group.StatefulRuleOptions.RuleOrder }
      : undefined,
  };
}
