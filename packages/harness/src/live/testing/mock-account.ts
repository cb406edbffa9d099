/**
 * A mocked AWS account for tests: aws-sdk-client-mock stubs that answer the Describe calls from a
 * NetworkSnapshot (e.g. netmodel's hub-and-spoke fixture), with 2-item pages so pagination is
 * always exercised, and an SSM Run Command stand-in that answers the probe's curl scripts the way
 * the network would.
 */
import {
  DescribeAddressesCommand,
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
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeFirewallCommand,
  DescribeFirewallPolicyCommand,
  DescribeRuleGroupCommand,
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
  DescribeVpcEndpoints: { tags: true, filters: { 'vpc-id': VPC_ID } },
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
  return (input: { NextToken?: string; Filters?: Filters; Filter?: Filters }) => {
    const matches = filterOf(action, input.Filters ?? input.Filter);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const all = (items ?? []).filter(matches);
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

export interface ProbeNetwork {
  /** Per host: what curl on the probe gets (an HTTP status when answered, else a curl exit code and 000). */
  answers: Record<string, { rc: number; code: string }>;
  /** The IP checkip.amazonaws.com reports. */
  egressIp: string;
  /** SendCommand fails (agent not connected). */
  sendFails?: boolean;
}

/** SSM stand-in: every instance id in `online` is Online; Run Command answers from `net`. */
export function serveProbes(ssm: AwsClientStub<SSMClient>, online: string[], net: ProbeNetwork): void {
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: online.map((InstanceId) => ({ InstanceId, PingStatus: 'Online' })),
  });
  const scripts = new Map<string, string>();
  let n = 0;
  ssm.on(SendCommandCommand).callsFake((input: { Parameters: { commands: string[] } }) => {
    if (net.sendFails)
      throw Object.assign(new Error('InvalidInstanceId: instance not connected'), {
        name: 'InvalidInstanceId',
      });
    const id = `cmd-${++n}`;
    scripts.set(id, input.Parameters.commands[0]!);
    return { Command: { CommandId: id } };
  });
  ssm.on(GetCommandInvocationCommand).callsFake((input: { CommandId: string }) => {
    const script = scripts.get(input.CommandId) ?? '';
    const nonce = /echo "(HUBSPOKE_\w+):RC=/.exec(script)?.[1] ?? 'none';
    let rc = 0;
    let out = net.egressIp;
    const url = /(https?):\/\/([^:/\s]+)(?::(\d+))?\//.exec(script);
    if (url) {
      const answer = net.answers[`${url[2]}:${url[3] ?? (url[1] === 'https' ? '443' : '80')}`] ??
        net.answers[url[2]!] ?? { rc: 28, code: '000' };
      ({ rc, code: out } = answer);
    }
    return {
      Status: 'Success',
      StandardOutputContent: `${nonce}:RC=${rc}\n${nonce}:OUT=${out}\n${nonce}:ERR=\n`,
    };
  });
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
