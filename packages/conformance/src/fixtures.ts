/**
 * Small changes cases make to the reference snapshot (`buildHubSpokeSnapshot`): a rule group at a
 * chosen priority, a stateless group, a different domain list, a policy setting. Each works on
 * the snapshot exactly as DescribeFirewallPolicy / DescribeRuleGroup shape it.
 */
import type {
  DescribeRuleGroupResponse,
  FirewallPolicy,
  RuleGroup,
  RulesSourceList,
  StatelessRule,
} from '@aws-sdk/client-network-firewall';
import { DEFAULT_HOSTS, type FlowQuery } from '@hubspoke/harness';
import type { NetworkSnapshot } from '@hubspoke/netmodel';

/** The instance id of the probe in a spoke (`spoke-a`, `spoke-b`, ...). */
export function probeOf(s: NetworkSnapshot, spoke: string): string {
  const vpc = s.Vpcs?.find((v) => v.Tags?.some((t) => t.Key === 'hubspoke:stack' && t.Value === spoke));
  const probe = s.Instances?.find((i) => i.VpcId === vpc?.VpcId);
  if (!probe?.InstanceId) throw new Error(`fixture: no probe in ${spoke}`);
  return probe.InstanceId;
}

/**
 * The flow most cases trace: TLS on 443 from a spoke's probe (default spoke-a) to `host` with the
 * host as SNI, at the address the checks give a default host (DEFAULT_HOSTS) or at `ip`.
 */
export function tlsFromProbe(
  s: NetworkSnapshot,
  host: string,
  options: { ip?: string; spoke?: string } = {},
): FlowQuery {
  const ip = options.ip ?? DEFAULT_HOSTS[host];
  if (!ip)
    throw new Error(
      `fixture: ${host} is not a default host (${Object.keys(DEFAULT_HOSTS).join(', ')}): give its ip`,
    );
  return {
    source: { instanceId: probeOf(s, options.spoke ?? 'spoke-a') },
    destination: { ip, port: 443 },
    protocol: 'tcp',
    app: { kind: 'tls', sni: host },
  };
}

/** The (only) firewall policy of the snapshot, to change in place. */
export function policyOf(s: NetworkSnapshot): FirewallPolicy {
  const policy = s.FirewallPolicies?.[0]?.FirewallPolicy;
  if (!policy) throw new Error('fixture: the snapshot has no firewall policy');
  return policy;
}

function groupArnLike(s: NetworkSnapshot, type: 'stateful' | 'stateless', name: string): string {
  const arn = s.FirewallPolicies?.[0]?.FirewallPolicyResponse?.FirewallPolicyArn ?? '';
  return `${arn.split(':firewall-policy/')[0]}:${type}-rulegroup/${name}`;
}

function pushGroup(
  s: NetworkSnapshot,
  arn: string,
  name: string,
  type: 'STATEFUL' | 'STATELESS',
  group: RuleGroup,
): void {
  const response: DescribeRuleGroupResponse = {
    UpdateToken: 'token-1',
    RuleGroupResponse: {
      RuleGroupArn: arn,
      RuleGroupName: name,
      RuleGroupId: `rg-${name}`,
      Type: type,
      Capacity: 100,
      RuleGroupStatus: 'ACTIVE',
    },
    RuleGroup: group,
  };
  (s.RuleGroups ??= []).push(response);
}

/**
 * Adds a stateful rule group at `priority` (the reference groups: handshake 1, domains 100, custom
 * 300): Suricata `rules`, or a domain `list`.
 */
export function addStatefulGroup(
  s: NetworkSnapshot,
  options: { name: string; priority: number; ruleVariables?: RuleGroup['RuleVariables'] } & (
    { rules: string } | { list: RulesSourceList }
  ),
): NetworkSnapshot {
  const policy = policyOf(s);
  const order = policy.StatefulEngineOptions?.RuleOrder ?? 'DEFAULT_ACTION_ORDER';
  const arn = groupArnLike(s, 'stateful', options.name);
  pushGroup(s, arn, options.name, 'STATEFUL', {
    ...(options.ruleVariables ? { RuleVariables: options.ruleVariables } : {}),
    RulesSource: 'rules' in options ? { RulesString: options.rules } : { RulesSourceList: options.list },
    StatefulRuleOptions: { RuleOrder: order },
  });
  (policy.StatefulRuleGroupReferences ??= []).push(
    order === 'STRICT_ORDER' ? { ResourceArn: arn, Priority: options.priority } : { ResourceArn: arn },
  );
  return s;
}

/** Adds a stateless rule group at `priority`. */
export function addStatelessGroup(
  s: NetworkSnapshot,
  options: { name: string; priority: number; rules: StatelessRule[] },
): NetworkSnapshot {
  const arn = groupArnLike(s, 'stateless', options.name);
  pushGroup(s, arn, options.name, 'STATELESS', {
    RulesSource: { StatelessRulesAndCustomActions: { StatelessRules: options.rules } },
  });
  (policyOf(s).StatelessRuleGroupReferences ??= []).push({ ResourceArn: arn, Priority: options.priority });
  return s;
}

/** Replaces the reference domain list (an ALLOWLIST of `.amazon.com` and `checkip.amazonaws.com`). */
export function setDomainList(s: NetworkSnapshot, list: RulesSourceList): NetworkSnapshot {
  const group = s.RuleGroups?.find((g) => g.RuleGroup?.RulesSource?.RulesSourceList);
  if (!group?.RuleGroup?.RulesSource) throw new Error('fixture: the snapshot has no domain list group');
  group.RuleGroup.RulesSource.RulesSourceList = list;
  return s;
}
