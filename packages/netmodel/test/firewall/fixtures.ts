/** Builders for DescribeFirewallPolicy / DescribeRuleGroup responses shaped as the API returns them. */
import type {
  DescribeFirewallPolicyResponse,
  DescribeRuleGroupResponse,
  FirewallPolicy,
  RuleGroup,
} from '@aws-sdk/client-network-firewall';
import type { Flow } from '../../src/firewall';

const REGION_ACCOUNT = 'us-east-1:111122223333';
export const FIREWALL_VPC = ['10.0.0.0/16'];
export const SUPERNET = ['10.0.0.0/8'];
/** A spoke workload address: inside the supernet, outside the firewall VPC. */
export const SPOKE_IP = '10.1.0.10';
export const INTERNET_IP = '198.51.100.20';

export function groupArn(name: string, type: 'STATEFUL' | 'STATELESS' = 'STATEFUL'): string {
  return `arn:aws:network-firewall:${REGION_ACCOUNT}:${type.toLowerCase()}-rulegroup/${name}`;
}

export function ruleGroup(
  name: string,
  type: 'STATEFUL' | 'STATELESS',
  group: RuleGroup,
): DescribeRuleGroupResponse {
  return {
    UpdateToken: 'token',
    RuleGroup: group,
    RuleGroupResponse: {
      RuleGroupArn: groupArn(name, type),
      RuleGroupName: name,
      RuleGroupId: `id-${name}`,
      Type: type,
    },
  };
}

export function suricataGroup(
  name: string,
  rules: string,
  order: 'STRICT_ORDER' | 'DEFAULT_ACTION_ORDER' = 'STRICT_ORDER',
  extra: Partial<RuleGroup> = {},
): DescribeRuleGroupResponse {
  return ruleGroup(name, 'STATEFUL', {
    RulesSource: { RulesString: rules },
    StatefulRuleOptions: { RuleOrder: order },
    ...extra,
  });
}

export function domainGroup(
  name: string,
  list: {
    Targets: string[];
    TargetTypes: ('TLS_SNI' | 'HTTP_HOST')[];
    GeneratedRulesType: 'ALLOWLIST' | 'DENYLIST';
  },
  order: 'STRICT_ORDER' | 'DEFAULT_ACTION_ORDER' = 'STRICT_ORDER',
  extra: Partial<RuleGroup> = {},
): DescribeRuleGroupResponse {
  return ruleGroup(name, 'STATEFUL', {
    RulesSource: { RulesSourceList: list },
    StatefulRuleOptions: { RuleOrder: order },
    ...extra,
  });
}

export function policy(
  stateful: DescribeRuleGroupResponse[],
  settings: Partial<FirewallPolicy> = {},
  stateless: DescribeRuleGroupResponse[] = [],
): DescribeFirewallPolicyResponse {
  const strict = (settings.StatefulEngineOptions?.RuleOrder ?? 'STRICT_ORDER') === 'STRICT_ORDER';
  return {
    UpdateToken: 'token',
    FirewallPolicyResponse: {
      FirewallPolicyName: 'policy',
      FirewallPolicyArn: `arn:aws:network-firewall:${REGION_ACCOUNT}:firewall-policy/policy`,
      FirewallPolicyId: 'id-policy',
    },
    FirewallPolicy: {
      StatelessDefaultActions: ['aws:forward_to_sfe'],
      StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
      StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' },
      StatelessRuleGroupReferences: stateless.map((g, i) => ({
        ResourceArn: g.RuleGroupResponse!.RuleGroupArn,
        Priority: (i + 1) * 10,
      })),
      StatefulRuleGroupReferences: stateful.map((g, i) => ({
        ResourceArn: g.RuleGroupResponse!.RuleGroupArn,
        ...(strict ? { Priority: (i + 1) * 10 } : {}),
      })),
      ...settings,
    },
  };
}

export function tls(sni: string | undefined, overrides: Partial<Flow> = {}): Flow {
  return {
    protocol: 'tcp',
    srcIp: SPOKE_IP,
    srcPort: 40000,
    dstIp: INTERNET_IP,
    dstPort: 443,
    app: sni === undefined ? { kind: 'tls' } : { kind: 'tls', sni },
    ...overrides,
  };
}

export function http(host: string, overrides: Partial<Flow> = {}): Flow {
  return {
    protocol: 'tcp',
    srcIp: SPOKE_IP,
    srcPort: 40001,
    dstIp: INTERNET_IP,
    dstPort: 80,
    app: { kind: 'http', host },
    ...overrides,
  };
}

/** The seed article's rule pair (handshake pass + .amazon.com SNI pass). */
export const SEED_RULES = [
  'pass tcp any any <> $EXTERNAL_NET 443 (msg:"Allowing TCP in port 443"; flow:not_established; sid:892123; rev:1;)',
  'pass tls any any -> $EXTERNAL_NET 443 (tls.sni; dotprefix; content:".amazon.com"; endswith; msg:"Allowing .amazon.com HTTPS requests"; sid:892125; rev:1;)',
].join('\n');
