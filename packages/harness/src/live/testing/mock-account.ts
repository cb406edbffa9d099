/**
 * A mocked AWS account for tests: aws-sdk-client-mock stubs that answer the Describe calls from a
 * NetworkSnapshot (e.g. netmodel's hub-and-spoke fixture), with 2-item pages so pagination is
 * always exercised, and an SSM Run Command stand-in that answers the probe's curl scripts the way
 * the network would.
 */
import {
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeManagedPrefixListsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  GetManagedPrefixListEntriesCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeFirewallCommand,
  DescribeFirewallPolicyCommand,
  DescribeRuleGroupCommand,
  type FirewallStatus,
  ListFirewallsCommand,
  type NetworkFirewallClient,
} from '@aws-sdk/client-network-firewall';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { AwsClientStub } from 'aws-sdk-client-mock';

const PAGE = 2;

type Filters = { Name?: string; Values?: string[] }[];

/** An error shaped like the SDK's service exceptions (name = the AWS error code). */
export function awsError(code: string, message: string): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

interface FilterSpec {
  /** True when `item` matches one of `values`. */
  match: (item: Item, values: string[]) => boolean;
  /** The only values the filter accepts, when it is an enumeration. */
  values?: readonly string[];
}

type Item = {
  Tags?: { Key?: string; Value?: string }[];
  VpcId?: string;
  TransitGatewayId?: string;
  AllocationId?: string;
  Attachments?: { VpcId?: string }[];
  State?: string | { Name?: string };
  Type?: string;
  PrefixListId?: string;
  RequesterVpcInfo?: { VpcId?: string };
  AccepterVpcInfo?: { VpcId?: string };
  Status?: { Code?: string };
};

const byField =
  (get: (i: Item) => string | undefined): FilterSpec['match'] =>
  (i, values) =>
    values.includes(get(i) ?? '');
const stateOf = (i: Item): string | undefined => (typeof i.State === 'string' ? i.State : i.State?.Name);

/**
 * The filters the mocked Describe calls implement, each one AWS documents for that call with the
 * values it documents for enumerations (Amazon EC2 API Reference, the "Filters" of each action,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/). `tag:<key>` and `tag-key` are added for
 * the actions that take tags. Anything else is rejected the way EC2 rejects it, so a typo in the
 * reader fails a test instead of silently matching everything:
 *  - a filter name the call does not know: `InvalidParameterValue`, "The filter 'x' is invalid";
 *  - a value outside a documented enumeration: `InvalidParameterValue`, naming the value;
 *  - more than 200 values in one call, or a value over 255 characters: `FilterLimitExceeded`.
 */
const VPC_ID: FilterSpec = { match: byField((i) => i.VpcId) };
const TGW_ID: FilterSpec = { match: byField((i) => i.TransitGatewayId) };
const TGW_ATTACHMENT_STATES = [
  'available',
  'deleted',
  'deleting',
  'failed',
  'failing',
  'initiatingRequest',
  'modifying',
  'pendingAcceptance',
  'pending',
  'rollingBack',
  'rejected',
  'rejecting',
] as const;
const FILTERS: Record<string, { tags: boolean; filters: Record<string, FilterSpec> }> = {
  DescribeVpcs: { tags: true, filters: { 'vpc-id': VPC_ID } },
  DescribeSubnets: { tags: true, filters: { 'vpc-id': VPC_ID } },
  DescribeRouteTables: { tags: true, filters: { 'vpc-id': VPC_ID } },
  DescribeInternetGateways: {
    tags: true,
    filters: {
      'attachment.vpc-id': {
        match: (i, v) => i.Attachments?.some((a) => v.includes(a.VpcId ?? '')) ?? false,
      },
    },
  },
  DescribeNatGateways: {
    tags: true,
    filters: {
      'vpc-id': VPC_ID,
      state: { match: byField(stateOf), values: ['pending', 'failed', 'available', 'deleting', 'deleted'] },
    },
  },
  DescribeVpcEndpoints: {
    tags: true,
    filters: {
      'vpc-id': VPC_ID,
      'vpc-endpoint-type': {
        match: byField((i) => (i as { VpcEndpointType?: string }).VpcEndpointType),
        values: ['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork'],
      },
    },
  },
  DescribeSecurityGroups: { tags: true, filters: { 'vpc-id': VPC_ID } },
  DescribeNetworkAcls: { tags: true, filters: { 'vpc-id': VPC_ID } },
  DescribeNetworkInterfaces: { tags: true, filters: { 'vpc-id': VPC_ID } },
  DescribeInstances: {
    tags: true,
    filters: {
      'vpc-id': VPC_ID,
      'instance-state-name': {
        match: byField(stateOf),
        values: ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'],
      },
    },
  },
  DescribeAddresses: { tags: true, filters: { 'allocation-id': { match: byField((i) => i.AllocationId) } } },
  DescribeTransitGateways: {
    tags: true,
    filters: {
      'transit-gateway-id': TGW_ID,
      state: {
        match: byField(stateOf),
        values: ['available', 'deleted', 'deleting', 'modifying', 'pending'],
      },
    },
  },
  DescribeTransitGatewayAttachments: {
    tags: true,
    filters: {
      'transit-gateway-id': TGW_ID,
      state: { match: byField(stateOf), values: TGW_ATTACHMENT_STATES },
    },
  },
  DescribeTransitGatewayVpcAttachments: {
    tags: true,
    filters: {
      'transit-gateway-id': TGW_ID,
      'vpc-id': VPC_ID,
      state: { match: byField(stateOf), values: TGW_ATTACHMENT_STATES },
    },
  },
  DescribeTransitGatewayRouteTables: { tags: true, filters: { 'transit-gateway-id': TGW_ID } },
  GetTransitGatewayRouteTableAssociations: { tags: false, filters: {} },
  GetTransitGatewayRouteTablePropagations: { tags: false, filters: {} },
  // Network Firewall's ListFirewalls takes VpcIds, not filters.
  ListFirewalls: { tags: false, filters: {} },
  DescribeManagedPrefixLists: {
    tags: true,
    filters: { 'prefix-list-id': { match: byField((i) => i.PrefixListId) } },
  },
  GetManagedPrefixListEntries: { tags: false, filters: {} },
  DescribeVpcPeeringConnections: {
    tags: true,
    filters: {
      'requester-vpc-info.vpc-id': { match: byField((i) => i.RequesterVpcInfo?.VpcId) },
      'accepter-vpc-info.vpc-id': { match: byField((i) => i.AccepterVpcInfo?.VpcId) },
      'status-code': {
        match: byField((i) => i.Status?.Code),
        values: [
          'initiating-request',
          'pending-acceptance',
          'active',
          'deleted',
          'rejected',
          'failed',
          'expired',
          'provisioning',
          'deleting',
        ],
      },
    },
  },
  SearchTransitGatewayRoutes: {
    tags: false,
    filters: {
      state: { match: byField(stateOf), values: ['active', 'blackhole'] },
      type: { match: byField((i) => i.Type), values: ['static', 'propagated'] },
    },
  },
};

const MAX_FILTER_VALUES = 200;
const MAX_FILTER_VALUE_LENGTH = 255;

/** The predicate of a request's filters, or the error EC2 returns for them. */
function filterOf(action: string, filters: Filters | undefined): (item: unknown) => boolean {
  const api = FILTERS[action];
  if (!api) throw new Error(`mock account: no filter table for ${action}`);
  const all = filters ?? [];
  const count = all.reduce((n, f) => n + (f.Values?.length ?? 0), 0);
  if (count > MAX_FILTER_VALUES)
    throw awsError(
      'FilterLimitExceeded',
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
    );
  const predicates = all.map((f) => {
    const name = f.Name ?? '';
    const values = f.Values ?? [];
    if (values.some((v) => v.length > MAX_FILTER_VALUE_LENGTH))
      throw awsError(
        'FilterLimitExceeded',
        `The maximum length for a filter value is ${MAX_FILTER_VALUE_LENGTH} characters`,
      );
    if (api.tags && name.startsWith('tag:'))
      return (i: Item) =>
        i.Tags?.some((t) => t.Key === name.slice(4) && values.includes(t.Value ?? '')) ?? false;
    if (api.tags && name === 'tag-key')
      return (i: Item) => i.Tags?.some((t) => values.includes(t.Key ?? '')) ?? false;
    const spec = api.filters[name];
    if (!spec) throw awsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    const bad = spec.values ? values.filter((v) => !spec.values!.includes(v)) : [];
    if (bad.length > 0)
      throw awsError(
        'InvalidParameterValue',
        `The filter '${name}' does not accept the value '${bad[0]}' (valid: ${spec.values!.join(', ')})`,
      );
    return (i: Item) => spec.match(i, values);
  });
  // A DescribeInstances reservation is matched by its (single) instance.
  return (item) => {
    const it = ((item as { Instances?: unknown[] }).Instances?.[0] ?? item) as Item;
    return predicates.every((p) => p(it));
  };
}

/** Pages of `items` matching the request's filters, by NextToken (the index of the next item). */
function paged<T>(action: string, items: T[] | undefined, member: string) {
  return (input: {
    NextToken?: string;
    Filters?: Filters;
    Filter?: Filters;
    NetworkInterfaceIds?: string[];
  }) => {
    const matches = filterOf(action, input.Filters ?? input.Filter);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    // Calls that take ids (DescribeNetworkInterfaces' NetworkInterfaceIds) return only those.
    const ids = input.NetworkInterfaceIds;
    const all = (items ?? []).filter(
      (i) =>
        matches(i) && (!ids || ids.includes((i as { NetworkInterfaceId?: string }).NetworkInterfaceId ?? '')),
    );
    const next = start + PAGE < all.length ? String(start + PAGE) : undefined;
    return { [member]: all.slice(start, start + PAGE), ...(next ? { NextToken: next } : {}) };
  };
}

export function serveSnapshot(
  snapshot: NetworkSnapshot,
  ec2: AwsClientStub<EC2Client>,
  nfw: AwsClientStub<NetworkFirewallClient>,
): void {
  const s = snapshot;
  serveAvailabilityZones(ec2, s.Region ?? 'us-east-1');
  ec2.on(DescribeVpcsCommand).callsFake(paged('DescribeVpcs', s.Vpcs, 'Vpcs'));
  ec2.on(DescribeSubnetsCommand).callsFake(paged('DescribeSubnets', s.Subnets, 'Subnets'));
  ec2.on(DescribeRouteTablesCommand).callsFake(paged('DescribeRouteTables', s.RouteTables, 'RouteTables'));
  ec2
    .on(DescribeInternetGatewaysCommand)
    .callsFake(paged('DescribeInternetGateways', s.InternetGateways, 'InternetGateways'));
  ec2.on(DescribeNatGatewaysCommand).callsFake(paged('DescribeNatGateways', s.NatGateways, 'NatGateways'));
  ec2.on(DescribeAddressesCommand).callsFake((input: { Filters?: Filters; AllocationIds?: string[] }) => {
    const matches = filterOf('DescribeAddresses', input.Filters);
    return {
      Addresses: (s.Addresses ?? []).filter(
        (a) => matches(a) && (!input.AllocationIds || input.AllocationIds.includes(a.AllocationId ?? '')),
      ),
    };
  });
  ec2
    .on(DescribeVpcEndpointsCommand)
    .callsFake(paged('DescribeVpcEndpoints', s.VpcEndpoints, 'VpcEndpoints'));
  ec2
    .on(DescribeSecurityGroupsCommand)
    .callsFake(paged('DescribeSecurityGroups', s.SecurityGroups, 'SecurityGroups'));
  ec2.on(DescribeNetworkAclsCommand).callsFake(paged('DescribeNetworkAcls', s.NetworkAcls, 'NetworkAcls'));
  ec2
    .on(DescribeNetworkInterfacesCommand)
    .callsFake(paged('DescribeNetworkInterfaces', s.NetworkInterfaces, 'NetworkInterfaces'));
  ec2.on(DescribeInstancesCommand).callsFake(
    paged(
      'DescribeInstances',
      (s.Instances ?? []).map((i) => ({ Instances: [i] })),
      'Reservations',
    ),
  );
  ec2
    .on(DescribeTransitGatewaysCommand)
    .callsFake(paged('DescribeTransitGateways', s.TransitGateways, 'TransitGateways'));
  ec2
    .on(DescribeTransitGatewayAttachmentsCommand)
    .callsFake(
      paged('DescribeTransitGatewayAttachments', s.TransitGatewayAttachments, 'TransitGatewayAttachments'),
    );
  ec2
    .on(DescribeTransitGatewayVpcAttachmentsCommand)
    .callsFake(
      paged(
        'DescribeTransitGatewayVpcAttachments',
        s.TransitGatewayVpcAttachments,
        'TransitGatewayVpcAttachments',
      ),
    );
  ec2
    .on(DescribeTransitGatewayRouteTablesCommand)
    .callsFake(
      paged('DescribeTransitGatewayRouteTables', s.TransitGatewayRouteTables, 'TransitGatewayRouteTables'),
    );
  const byRt =
    <T>(action: string, map: Record<string, T[]> | undefined, member: string) =>
    (input: { TransitGatewayRouteTableId: string; NextToken?: string; Filters?: Filters }) =>
      paged(action, map?.[input.TransitGatewayRouteTableId], member)(input);
  ec2
    .on(GetTransitGatewayRouteTableAssociationsCommand)
    .callsFake(
      byRt('GetTransitGatewayRouteTableAssociations', s.TransitGatewayRouteTableAssociations, 'Associations'),
    );
  ec2
    .on(GetTransitGatewayRouteTablePropagationsCommand)
    .callsFake(
      byRt(
        'GetTransitGatewayRouteTablePropagations',
        s.TransitGatewayRouteTablePropagations,
        'TransitGatewayRouteTablePropagations',
      ),
    );
  // DescribeVpcAttribute: one attribute per call, of the three the API knows.
  ec2.on(DescribeVpcAttributeCommand).callsFake((input: { VpcId: string; Attribute: string }) => {
    const known = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'];
    if (!known.includes(input.Attribute))
      throw awsError(
        'InvalidParameterValue',
        `Value (${input.Attribute}) for parameter attribute is invalid`,
      );
    const a = s.VpcAttributes?.find((x) => x.VpcId === input.VpcId);
    if (!a) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
    if (input.Attribute === 'enableDnsSupport')
      return { VpcId: input.VpcId, EnableDnsSupport: a.EnableDnsSupport };
    if (input.Attribute === 'enableDnsHostnames')
      return { VpcId: input.VpcId, EnableDnsHostnames: a.EnableDnsHostnames };
    return { VpcId: input.VpcId, EnableNetworkAddressUsageMetrics: { Value: false } };
  });
  ec2
    .on(DescribeManagedPrefixListsCommand)
    .callsFake((input: { PrefixListIds?: string[]; NextToken?: string; Filters?: Filters }) =>
      paged(
        'DescribeManagedPrefixLists',
        (s.ManagedPrefixLists ?? []).filter(
          (l) => !input.PrefixListIds || input.PrefixListIds.includes(l.PrefixListId ?? ''),
        ),
        'PrefixLists',
      )(input),
    );
  ec2
    .on(GetManagedPrefixListEntriesCommand)
    .callsFake((input: { PrefixListId: string; NextToken?: string }) => {
      const entries = s.ManagedPrefixListEntries?.[input.PrefixListId];
      if (!entries)
        throw awsError(
          'InvalidPrefixListID.NotFound',
          `The prefix list ID '${input.PrefixListId}' does not exist`,
        );
      return paged('GetManagedPrefixListEntries', entries, 'Entries')(input);
    });
  ec2
    .on(DescribeVpcPeeringConnectionsCommand)
    .callsFake(paged('DescribeVpcPeeringConnections', s.VpcPeeringConnections, 'VpcPeeringConnections'));
  // SearchTransitGatewayRoutes has no pages and requires Filters (EC2 API Reference).
  ec2
    .on(SearchTransitGatewayRoutesCommand)
    .callsFake((input: { TransitGatewayRouteTableId: string; Filters?: Filters }) => {
      if (!input.Filters?.length)
        throw awsError('MissingParameter', 'The request must contain the parameter Filters');
      const matches = filterOf('SearchTransitGatewayRoutes', input.Filters);
      return { Routes: (s.TransitGatewayRoutes?.[input.TransitGatewayRouteTableId] ?? []).filter(matches) };
    });
  nfw.on(ListFirewallsCommand).callsFake((input: { VpcIds?: string[]; NextToken?: string }) =>
    paged(
      'ListFirewalls',
      (s.Firewalls ?? [])
        .filter((f) => !input.VpcIds || input.VpcIds.includes(f.Firewall?.VpcId ?? ''))
        .map((f) => ({ FirewallArn: f.Firewall?.FirewallArn, FirewallName: f.Firewall?.FirewallName })),
      'Firewalls',
    )({ ...(input.NextToken ? { NextToken: input.NextToken } : {}) }),
  );
  nfw
    .on(DescribeFirewallCommand)
    .callsFake(
      (input: { FirewallArn: string }) =>
        s.Firewalls?.find((f) => f.Firewall?.FirewallArn === input.FirewallArn) ?? {},
    );
  nfw
    .on(DescribeFirewallPolicyCommand)
    .callsFake(
      (input: { FirewallPolicyArn: string }) =>
        s.FirewallPolicies?.find(
          (p) => p.FirewallPolicyResponse?.FirewallPolicyArn === input.FirewallPolicyArn,
        ) ?? {},
    );
  nfw
    .on(DescribeRuleGroupCommand)
    .callsFake(
      (input: { RuleGroupArn: string }) =>
        s.RuleGroups?.find((g) => g.RuleGroupResponse?.RuleGroupArn === input.RuleGroupArn) ?? {},
    );
}

/** What curl on the probe gets from one host. */
export interface ProbeAnswer {
  /** curl exit code. */
  rc: number;
  /** HTTP status, `000` when none. */
  code: string;
  /** Seconds to establish TCP; default 0.012, or 0 (never connected) for exit 6 and 7. */
  connect?: number;
  remoteIp?: string;
}

export interface ProbeNetwork {
  /** Per `host:port` or host: what curl on the probe gets. Unlisted hosts time out after connecting. */
  answers: Record<string, ProbeAnswer>;
  /** The IP the egress-IP host reports. */
  egressIp: string;
  /** SendCommand fails (agent not connected). */
  sendFails?: boolean;
  /** What the probe's resolver returns for a name (private DNS is per VPC, so per instance). */
  dns?: (instanceId: string, name: string) => string[];
}

const STEP = /^hs_(curl|resolve) ([a-z][a-z0-9-]*) (.*)$/;
const DEFAULT_REMOTE = '192.0.2.99';

/** The fields curl would print for `answer` (see probe-script.ts). */
function curlFields(
  answer: ProbeAnswer,
  https: boolean,
  remote: string,
  body: string,
): Record<string, string> {
  const connect = answer.connect ?? (answer.rc === 6 || answer.rc === 7 ? 0 : 0.012);
  const answered = answer.code !== '000' || answer.rc === 0 || answer.rc === 60;
  const appConnect = https && answered ? 0.021 : 0;
  return {
    RC: String(answer.rc),
    W: `${answer.code} ${connect.toFixed(6)} ${appConnect.toFixed(6)} ${connect > 0 ? (answer.remoteIp ?? remote) : ''}`,
    BODY: answer.rc === 0 ? body : '',
    ERR: answer.rc === 0 ? '' : `curl: (${answer.rc}) stand-in error`,
  };
}

/** Answers a probe script the way the network `net` describes, step by step. */
export function answerProbeScript(script: string, instanceId: string, net: ProbeNetwork): string {
  const nonce = /echo "(HUBSPOKE_\w+):\$k:RC=/.exec(script)?.[1] ?? 'none';
  const out: string[] = [];
  for (const line of script.split('\n')) {
    const m = STEP.exec(line);
    if (!m) continue;
    const [, kind, key, rest] = m as unknown as [string, string, string, string];
    let fields: Record<string, string>;
    if (kind === 'resolve') {
      fields = { DNS: `${(net.dns?.(instanceId, rest.trim()) ?? []).join(' ')} ` };
    } else {
      const url = /(https?):\/\/([^:/\s]+)(?::(\d+))?\//.exec(rest)!;
      const [, scheme, host] = url as unknown as [string, string, string];
      const port = url[3] ?? (scheme === 'https' ? '443' : '80');
      const resolved = net.dns?.(instanceId, host) ?? [];
      // Unlisted hosts: a name private DNS resolves answers; anything else is dropped after the handshake.
      const answer =
        net.answers[`${host}:${port}`] ??
        net.answers[host] ??
        (resolved.length > 0 ? { rc: 0, code: '404' } : { rc: 28, code: '000' });
      // The egress-IP step reads the body; other hosts send a page.
      const body = key === 'egress' ? net.egressIp : '<html>';
      fields = curlFields(answer, scheme === 'https', resolved[0] ?? DEFAULT_REMOTE, body);
    }
    for (const [field, value] of Object.entries(fields)) out.push(`${nonce}:${key}:${field}=${value}`);
  }
  return `${out.join('\n')}\n`;
}

/** SSM stand-in: every instance id in `online` is Online; Run Command answers from `net`. */
export function serveProbes(ssm: AwsClientStub<SSMClient>, online: string[], net: ProbeNetwork): void {
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: online.map((InstanceId) => ({ InstanceId, PingStatus: 'Online' })),
  });
  const scripts = new Map<string, { script: string; instanceId: string }>();
  let n = 0;
  ssm
    .on(SendCommandCommand)
    .callsFake((input: { Parameters: { commands: string[] }; InstanceIds: string[] }) => {
      if (net.sendFails)
        throw Object.assign(new Error('InvalidInstanceId: instance not connected'), {
          name: 'InvalidInstanceId',
        });
      const id = `cmd-${++n}`;
      scripts.set(id, { script: input.Parameters.commands[0]!, instanceId: input.InstanceIds[0]! });
      return { Command: { CommandId: id } };
    });
  ssm.on(GetCommandInvocationCommand).callsFake((input: { CommandId: string }) => {
    const sent = scripts.get(input.CommandId);
    return {
      Status: 'Success',
      StandardOutputContent: sent ? answerProbeScript(sent.script, sent.instanceId, net) : '',
    };
  });
}

/**
 * Private DNS as a VPC with SSM interface endpoints answers it: on an instance, an endpoint
 * name (`ssm.<region>.amazonaws.com`) resolves to the private IPs of that endpoint's ENIs in the
 * instance's VPC, when the endpoint has private DNS enabled.
 */
export function privateDnsOf(s: NetworkSnapshot): (instanceId: string, name: string) => string[] {
  return (instanceId, name) => {
    const vpcId = s.Instances?.find((i) => i.InstanceId === instanceId)?.VpcId;
    const ep = (s.VpcEndpoints ?? []).find((e) => {
      const m = /^com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9-]+)$/.exec(e.ServiceName ?? '');
      return e.VpcId === vpcId && e.PrivateDnsEnabled && m && `${m[2]}.${m[1]}.amazonaws.com` === name;
    });
    return (ep?.NetworkInterfaceIds ?? []).flatMap((id) => {
      const ip = s.NetworkInterfaces?.find((n) => n.NetworkInterfaceId === id)?.PrivateIpAddress;
      return ip ? [ip] : [];
    });
  };
}

/**
 * A VPC's SSM interface endpoints (one ENI each, private DNS on) for each probe, served through
 * the EC2 mock; returns the matching private DNS for `ProbeNetwork.dns`.
 */
export function serveSsmEndpoints(
  ec2: AwsClientStub<EC2Client>,
  probes: { instanceId: string; vpcId: string }[],
  region: string,
): (instanceId: string, name: string) => string[] {
  const snapshot: NetworkSnapshot = { Instances: [], VpcEndpoints: [], NetworkInterfaces: [] };
  const vpcs = [...new Set(probes.map((p) => p.vpcId))];
  vpcs.forEach((vpcId, v) =>
    ['ssm', 'ssmmessages', 'ec2messages'].forEach((svc, i) => {
      const eni = `eni-${svc}-${v}`;
      snapshot.VpcEndpoints!.push({
        VpcEndpointId: `vpce-${svc}-${v}`,
        VpcEndpointType: 'Interface',
        VpcId: vpcId,
        ServiceName: `com.amazonaws.${region}.${svc}`,
        PrivateDnsEnabled: true,
        NetworkInterfaceIds: [eni],
      });
      snapshot.NetworkInterfaces!.push({
        NetworkInterfaceId: eni,
        VpcId: vpcId,
        PrivateIpAddress: `10.${v + 1}.255.${10 + i}`,
      });
    }),
  );
  for (const p of probes) snapshot.Instances!.push({ InstanceId: p.instanceId, VpcId: p.vpcId });
  ec2
    .on(DescribeVpcEndpointsCommand)
    .callsFake(paged('DescribeVpcEndpoints', snapshot.VpcEndpoints, 'VpcEndpoints'));
  ec2
    .on(DescribeNetworkInterfacesCommand)
    .callsFake(paged('DescribeNetworkInterfaces', snapshot.NetworkInterfaces, 'NetworkInterfaces'));
  return privateDnsOf(snapshot);
}

/** DescribeAvailabilityZones of `region`: its standard AZs `<region>a`.. (`letters`), all available. */
export function serveAvailabilityZones(
  ec2: AwsClientStub<EC2Client>,
  region: string,
  letters = 'abcdef',
): void {
  ec2.on(DescribeAvailabilityZonesCommand).resolves({
    AvailabilityZones: [...letters].map((l) => ({
      ZoneName: `${region}${l}`,
      RegionName: region,
      ZoneType: 'availability-zone',
      State: 'available',
    })),
  });
}

/**
 * The AWS side of a deployed environment that is ready, as the e2e's readiness and probe checks
 * read it: the firewall (READY and in sync unless `firewall` says otherwise), two available NAT
 * gateways, each probe running in its VPC (one subnet each, in the region's first AZ), the region's
 * AZs, the SSM endpoints of every probe VPC, and the probes Online, answering from `net`.
 * Only these calls are stubbed: give the stubs a default (`onAnyCommand`) first.
 */
export function serveReadyEnvironment(
  stubs: {
    ec2: AwsClientStub<EC2Client>;
    nfw: AwsClientStub<NetworkFirewallClient>;
    ssm: AwsClientStub<SSMClient>;
  },
  probes: { instanceId: string; vpcId: string }[],
  net: ProbeNetwork,
  options: { firewall?: FirewallStatus; region?: string } = {},
): void {
  const region = options.region ?? 'us-east-1';
  stubs.nfw.on(DescribeFirewallCommand).resolves({
    FirewallStatus: options.firewall ?? { Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC' },
  });
  stubs.ec2.on(DescribeNatGatewaysCommand).resolves({
    NatGateways: [
      { NatGatewayId: 'nat-a', State: 'available' },
      { NatGatewayId: 'nat-b', State: 'available' },
    ],
  });
  stubs.ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: probes.map(({ instanceId, vpcId }, i) => ({
          InstanceId: instanceId,
          VpcId: vpcId,
          SubnetId: `subnet-${i}`,
          PrivateIpAddress: `10.${i + 1}.0.10`,
          Placement: { AvailabilityZone: `${region}a` },
        })),
      },
    ],
  });
  serveAvailabilityZones(stubs.ec2, region);
  const dns = serveSsmEndpoints(stubs.ec2, probes, region);
  serveProbes(
    stubs.ssm,
    probes.map((p) => p.instanceId),
    { dns, ...net },
  );
}

/** The network the default expectations describe: amazon hosts answer, example.com does not. */
export const ALLOWING_AMAZON: ProbeNetwork = {
  answers: {
    'www.amazon.com': { rc: 0, code: '200' },
    'checkip.amazonaws.com': { rc: 0, code: '200' },
    'example.com': { rc: 28, code: '000' },
  },
  egressIp: '',
};
