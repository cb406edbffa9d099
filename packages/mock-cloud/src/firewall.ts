/**
 * AWS Network Firewall emulation: rule groups, firewall policies and firewalls with one endpoint
 * per subnet mapping. Pulumi's camelCase inputs are converted to the PascalCase shapes of the
 * DescribeRuleGroup / DescribeFirewallPolicy / DescribeFirewall responses, including the
 * key/value lists Pulumi uses where the API has maps (IPSets, PortSets, RuleVariables).
 */
import type { FirewallPolicy, RuleGroup } from '@aws-sdk/client-network-firewall';
import { estimateRuleGroupCapacity, statefulDefaultActionsProblem } from '@hubspoke/netmodel';
import { ENDPOINT_AVAILABLE } from './account';
import { accountKey, type Account } from './account';
import { fail } from './errors';
import { arn, awsId, shortHash, uuidFrom } from './ids';
import { Inputs, optBool, optNumber, optString, ResourceRequest, ResourceResult, tagsAll } from './handler';
import { awsTags } from './tags';

/** Field names the API spells differently from a plain capitalisation of Pulumi's. */
const KEY_OVERRIDES: Record<string, string> = {
  ipSets: 'IPSets',
  ipSetReferences: 'IPSetReferences',
  tcpFlags: 'TCPFlags',
  definitions: 'Definition',
  tlsInspectionConfigurationArn: 'TLSInspectionConfigurationArn',
  enableTlsSessionHolding: 'EnableTLSSessionHolding',
};

/** Pulumi lists of `{key, <one value>}` that the API models as maps keyed by `key`. */
const KEYED_LISTS = new Set(['ipSets', 'portSets', 'ipSetReferences', 'ruleVariables']);

function pascalKey(key: string): string {
  return KEY_OVERRIDES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** Converts Pulumi camelCase input objects to the Network Firewall API's PascalCase shapes. */
export function toApiShape(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    if (key && KEYED_LISTS.has(key) && value.every((v) => v && typeof v === 'object' && 'key' in v)) {
      const out: Record<string, unknown> = {};
      for (const entry of value as Record<string, unknown>[]) {
        const [field, inner] = Object.entries(entry).find(([k]) => k !== 'key') ?? [undefined, undefined];
        // ipSetReferences entries hold a one-element list; the API holds the object itself.
        const v = Array.isArray(inner) && inner.length === 1 ? inner[0] : inner;
        out[String(entry.key)] = toApiShape(v, field);
      }
      return out;
    }
    return value.map((v) => toApiShape(v));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out[pascalKey(k)] = k === 'deepThreatInspection' ? v === true || v === 'true' : toApiShape(v, k);
    }
    return out;
  }
  return value;
}

function uniqueName(req: ResourceRequest): string {
  return optString(req, 'name') ?? `${req.name}-${shortHash(req.seed, 7)}`;
}

function countableCapacity(group: RuleGroup, source: string): number | undefined {
  try {
    return estimateRuleGroupCapacity(group, { source });
  } catch {
    return undefined;
  }
}

export function createRuleGroup(account: Account, req: ResourceRequest): ResourceResult {
  const name = uniqueName(req);
  const type =
    optString(req, 'type') ?? fail(`${req.type} '${req.name}': type (STATEFUL or STATELESS) is required`);
  if (type !== 'STATEFUL' && type !== 'STATELESS')
    fail(`${req.type} '${req.name}': type must be STATEFUL or STATELESS, got ${type}`);
  const capacity = optNumber(req, 'capacity') ?? fail(`${req.type} '${req.name}': capacity is required`);
  const rulesText = optString(req, 'rules');
  const raw = req.inputs.ruleGroup as Inputs | undefined;
  if ((rulesText === undefined) === (raw === undefined)) {
    fail(`${req.type} '${req.name}': exactly one of ruleGroup and rules must be set`);
  }
  const group = (raw ? toApiShape(raw) : { RulesSource: { RulesString: rulesText } }) as RuleGroup;
  const source = group.RulesSource ?? fail(`${req.type} '${req.name}': ruleGroup.rulesSource is required`);
  const kinds = (
    ['RulesString', 'RulesSourceList', 'StatefulRules', 'StatelessRulesAndCustomActions'] as const
  ).filter((k) => source[k] !== undefined);
  if (kinds.length !== 1)
    fail(
      `InvalidRequestException: ${req.name}: rulesSource must set exactly one rule source, got ${kinds.join(', ') || 'none'}`,
    );
  if ((type === 'STATELESS') !== (kinds[0] === 'StatelessRulesAndCustomActions')) {
    fail(`InvalidRequestException: ${req.name}: a ${type} rule group cannot use ${kinds[0]}`);
  }
  // CreateRuleGroup rejects a capacity below what the rules consume, and the capacity cannot be
  // raised later ("Setting rule group capacity in AWS Network Firewall",
  // https://docs.aws.amazon.com/network-firewall/latest/developerguide/nwfw-rule-group-capacity.html).
  // A Suricata text outside the verifier's subset cannot be counted here, so it is not judged.
  const needed = countableCapacity(group, req.name);
  if (needed !== undefined && capacity < needed)
    fail(
      `InvalidRequestException: rule group ${name}: capacity ${capacity} is less than the ${needed} its rules consume; a rule group's capacity is fixed at creation`,
    );
  const groupArn = arn(
    'network-firewall',
    account.region,
    req.accountId,
    `${type === 'STATEFUL' ? 'stateful' : 'stateless'}-rulegroup/${name}`,
  );
  if (account.ruleGroups.has(groupArn))
    fail(`InvalidRequestException: A rule group named ${name} already exists`);
  const tags = tagsAll(req);
  const updateToken = uuidFrom(`${req.seed}/token`);
  account.own(groupArn, req.accountId);
  account.ruleGroups.set(groupArn, {
    UpdateToken: updateToken,
    RuleGroup: group,
    RuleGroupResponse: {
      RuleGroupArn: groupArn,
      RuleGroupName: name,
      RuleGroupId: uuidFrom(req.seed),
      Description: optString(req, 'description'),
      Type: type,
      Capacity: capacity,
      RuleGroupStatus: 'ACTIVE',
      Tags: awsTags(tags),
      NumberOfAssociations: 0,
    },
  });
  return { id: groupArn, state: { ...req.inputs, name, arn: groupArn, updateToken, tagsAll: tags } };
}

export function createFirewallPolicy(account: Account, req: ResourceRequest): ResourceResult {
  const name = uniqueName(req);
  const raw =
    (req.inputs.firewallPolicy as Inputs | undefined) ??
    fail(`${req.type} '${req.name}': firewallPolicy is required`);
  const policy = toApiShape(raw) as FirewallPolicy;
  const where = `InvalidRequestException: firewall policy ${name}`;
  if (!policy.StatelessDefaultActions?.length) fail(`${where}: statelessDefaultActions is required`);
  if (!policy.StatelessFragmentDefaultActions?.length)
    fail(`${where}: statelessFragmentDefaultActions is required`);
  const order = policy.StatefulEngineOptions?.RuleOrder ?? 'DEFAULT_ACTION_ORDER';
  for (const ref of policy.StatefulRuleGroupReferences ?? []) {
    const group =
      account.ownedBy(req.accountId, ref.ResourceArn!, account.ruleGroups.get(ref.ResourceArn!)) ??
      fail(`${where}: stateful rule group ${ref.ResourceArn} does not exist`);
    if (group.RuleGroupResponse!.Type !== 'STATEFUL')
      fail(`${where}: ${ref.ResourceArn} is not a STATEFUL rule group`);
    const groupOrder = group.RuleGroup!.StatefulRuleOptions?.RuleOrder ?? 'DEFAULT_ACTION_ORDER';
    if (groupOrder !== order) {
      fail(
        `${where}: rule group ${group.RuleGroupResponse!.RuleGroupName} uses rule order ${groupOrder} but the policy uses ${order}; they must match`,
      );
    }
    if (order === 'STRICT_ORDER' && ref.Priority === undefined)
      fail(`${where}: stateful rule group references need a priority under STRICT_ORDER`);
    if (order !== 'STRICT_ORDER' && ref.Priority !== undefined)
      fail(`${where}: stateful rule group priorities are only allowed under STRICT_ORDER`);
    group.RuleGroupResponse!.NumberOfAssociations = (group.RuleGroupResponse!.NumberOfAssociations ?? 0) + 1;
  }
  for (const ref of policy.StatelessRuleGroupReferences ?? []) {
    const group =
      account.ownedBy(req.accountId, ref.ResourceArn!, account.ruleGroups.get(ref.ResourceArn!)) ??
      fail(`${where}: stateless rule group ${ref.ResourceArn} does not exist`);
    if (group.RuleGroupResponse!.Type !== 'STATELESS')
      fail(`${where}: ${ref.ResourceArn} is not a STATELESS rule group`);
  }
  const defaults = policy.StatefulDefaultActions ?? [];
  if (defaults.length > 0 && order !== 'STRICT_ORDER')
    fail(`${where}: statefulDefaultActions are only supported with STRICT_ORDER rule order`);
  // The combinations AWS accepts (netmodel's default-actions.ts cites the developer guide).
  const problem = statefulDefaultActionsProblem(defaults);
  if (problem) fail(`${where}: statefulDefaultActions: ${problem}`);
  const policyArn = arn('network-firewall', account.region, req.accountId, `firewall-policy/${name}`);
  if (account.firewallPolicies.has(policyArn))
    fail(`InvalidRequestException: A firewall policy named ${name} already exists`);
  const tags = tagsAll(req);
  const updateToken = uuidFrom(`${req.seed}/token`);
  account.own(policyArn, req.accountId);
  account.firewallPolicies.set(policyArn, {
    UpdateToken: updateToken,
    FirewallPolicy: policy,
    FirewallPolicyResponse: {
      FirewallPolicyName: name,
      FirewallPolicyArn: policyArn,
      FirewallPolicyId: uuidFrom(req.seed),
      Description: optString(req, 'description'),
      FirewallPolicyStatus: 'ACTIVE',
      Tags: awsTags(tags),
      NumberOfAssociations: 0,
    },
  });
  return { id: policyArn, state: { ...req.inputs, name, arn: policyArn, updateToken, tagsAll: tags } };
}

export function createFirewall(account: Account, req: ResourceRequest): ResourceResult {
  for (const key of ['transitGatewayId', 'availabilityZoneMappings']) {
    const v = req.inputs[key];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0))
      fail(`${req.type} '${req.name}': input '${key}' is not emulated by the mock cloud`);
  }
  const name = uniqueName(req);
  const policyArn =
    optString(req, 'firewallPolicyArn') ?? fail(`${req.type} '${req.name}': firewallPolicyArn is required`);
  const owner = req.accountId;
  const policy =
    account.ownedBy(owner, policyArn, account.firewallPolicies.get(policyArn)) ??
    fail(`ResourceNotFoundException: firewall policy ${policyArn} does not exist`);
  const vpcId = optString(req, 'vpcId') ?? fail(`${req.type} '${req.name}': vpcId is required`);
  account.vpc(vpcId, owner);
  const mappings = ((req.inputs.subnetMappings as Inputs[] | undefined) ?? []).map((m) => String(m.subnetId));
  if (mappings.length === 0) fail(`${req.type} '${req.name}': at least one subnetMapping is required`);
  const firewallArn = arn('network-firewall', account.region, owner, `firewall/${name}`);
  if (account.firewalls.has(firewallArn))
    fail(`InvalidRequestException: A firewall named ${name} already exists`);
  account.own(firewallArn, owner);
  const byAz = new Map<string, string>();
  for (const subnetId of mappings) {
    const subnet = account.subnet(subnetId, owner);
    if (subnet.subnet.VpcId !== vpcId)
      fail(`InvalidRequestException: subnet ${subnetId} is not in firewall VPC ${vpcId}`);
    const other = byAz.get(subnet.az.name);
    if (other) {
      fail(
        `InvalidRequestException: firewall ${name}: subnets ${other} and ${subnetId} are both in ${subnet.az.name}; a firewall takes one subnet per Availability Zone`,
      );
    }
    byAz.set(subnet.az.name, subnetId);
  }
  const serviceName = `com.amazonaws.vpce.${account.region}.vpce-svc-${shortHash(firewallArn)}`;
  const updateToken = uuidFrom(`${req.seed}/token`);
  const syncStates: Record<
    string,
    {
      Attachment: { SubnetId: string; EndpointId: string; Status: 'READY' };
      Config: Record<string, { SyncStatus: 'IN_SYNC'; UpdateToken: string }>;
    }
  > = {};
  const statuses: { availabilityZone: string; attachments: { endpointId: string; subnetId: string }[] }[] =
    [];
  for (const [az, subnetId] of byAz) {
    const endpointId = awsId('vpce', `${req.seed}/endpoint/${az}`);
    const eni = account.createNetworkInterface({
      owner,
      subnetId,
      description: `VPC Endpoint Interface ${endpointId}`,
      interfaceType: 'gateway_load_balancer_endpoint',
      requesterManaged: true,
      sourceDestCheck: false,
      seed: `${req.seed}/endpoint/${az}/eni`,
    });
    account.vpcEndpoints.set(endpointId, {
      VpcEndpointId: endpointId,
      VpcEndpointType: 'GatewayLoadBalancer',
      VpcId: vpcId,
      ServiceName: serviceName,
      State: ENDPOINT_AVAILABLE,
      SubnetIds: [subnetId],
      NetworkInterfaceIds: [eni.NetworkInterfaceId!],
      RouteTableIds: [],
      Groups: [],
      DnsEntries: [],
      IpAddressType: 'ipv4',
      PrivateDnsEnabled: false,
      RequesterManaged: true,
      OwnerId: eni.OwnerId,
      Tags: [],
    });
    account.firewallEndpoints.set(endpointId, firewallArn);
    account.own(endpointId, owner);
    syncStates[az] = {
      Attachment: { SubnetId: subnetId, EndpointId: endpointId, Status: 'READY' },
      Config: { [policyArn]: { SyncStatus: 'IN_SYNC', UpdateToken: policy.UpdateToken! } },
    };
    statuses.push({ availabilityZone: az, attachments: [{ endpointId, subnetId }] });
  }
  policy.FirewallPolicyResponse!.NumberOfAssociations =
    (policy.FirewallPolicyResponse!.NumberOfAssociations ?? 0) + 1;
  const tags = tagsAll(req);
  account.firewalls.set(firewallArn, {
    UpdateToken: updateToken,
    Firewall: {
      FirewallName: name,
      FirewallArn: firewallArn,
      FirewallPolicyArn: policyArn,
      VpcId: vpcId,
      SubnetMappings: mappings.map((SubnetId) => ({ SubnetId, IPAddressType: 'IPV4' })),
      DeleteProtection: optBool(req, 'deleteProtection') ?? false,
      SubnetChangeProtection: optBool(req, 'subnetChangeProtection') ?? false,
      FirewallPolicyChangeProtection: optBool(req, 'firewallPolicyChangeProtection') ?? false,
      Description: optString(req, 'description'),
      FirewallId: uuidFrom(req.seed),
      Tags: awsTags(tags),
    },
    FirewallStatus: { Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC', SyncStates: syncStates },
  });
  return {
    id: firewallArn,
    state: {
      ...req.inputs,
      name,
      arn: firewallArn,
      updateToken,
      firewallStatuses: [{ syncStates: statuses, transitGatewayAttachmentSyncStates: [] }],
      tagsAll: tags,
    },
  };
}

const LOG_TYPES = new Set(['FLOW', 'ALERT', 'TLS']);

export function createLoggingConfiguration(account: Account, req: ResourceRequest): ResourceResult {
  const firewallArn =
    optString(req, 'firewallArn') ?? fail(`${req.type} '${req.name}': firewallArn is required`);
  if (!account.ownedBy(req.accountId, firewallArn, account.firewalls.get(firewallArn)))
    fail(`ResourceNotFoundException: firewall ${firewallArn} does not exist`);
  const config =
    (req.inputs.loggingConfiguration as Inputs | undefined) ??
    fail(`${req.type} '${req.name}': loggingConfiguration is required`);
  const seen = new Set<string>();
  for (const d of (config.logDestinationConfigs as Inputs[] | undefined) ?? []) {
    const logType = String(d.logType);
    if (!LOG_TYPES.has(logType)) fail(`InvalidRequestException: unknown logType ${logType}`);
    if (seen.has(logType))
      fail(`InvalidRequestException: more than one log destination for logType ${logType}`);
    seen.add(logType);
    const dest = (d.logDestination ?? {}) as Record<string, string>;
    if (d.logDestinationType === 'CloudWatchLogs') {
      const group =
        dest.logGroup ??
        fail(`InvalidRequestException: CloudWatchLogs destination needs logDestination.logGroup`);
      if (!account.logGroups.has(accountKey(req.accountId, group)))
        fail(`InvalidRequestException: log group ${group} does not exist`);
    }
  }
  return { id: firewallArn, state: { ...req.inputs } };
}
