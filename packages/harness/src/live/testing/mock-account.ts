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

/** The EC2 filters the reader uses: `tag:<key>`, `vpc-id`, `attachment.vpc-id`, `transit-gateway-id`. */
function matches(item: unknown, filters: Filters | undefined): boolean {
  // A DescribeInstances reservation is matched by its (single) instance.
  const it = ((item as { Instances?: unknown[] }).Instances?.[0] ?? item) as {
    Tags?: { Key?: string; Value?: string }[];
    VpcId?: string;
    TransitGatewayId?: string;
    Attachments?: { VpcId?: string }[];
  };
  return (filters ?? []).every((f) => {
    const values = f.Values ?? [];
    if (f.Name?.startsWith('tag:'))
      return it.Tags?.some((t) => t.Key === f.Name!.slice(4) && values.includes(t.Value ?? '')) ?? false;
    if (f.Name === 'vpc-id') return values.includes(it.VpcId ?? '');
    if (f.Name === 'attachment.vpc-id')
      return it.Attachments?.some((a) => values.includes(a.VpcId ?? '')) ?? false;
    if (f.Name === 'transit-gateway-id') return values.includes(it.TransitGatewayId ?? '');
    return true;
  });
}

/** Pages of `items` matching the request's filters, by NextToken (the index of the next item). */
function paged<T>(items: T[] | undefined, member: string) {
  return (input: { NextToken?: string; Filters?: Filters; Filter?: Filters }) => {
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const all = (items ?? []).filter((i) => matches(i, input.Filters ?? input.Filter));
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
  ec2.on(DescribeVpcsCommand).callsFake(paged(s.Vpcs, 'Vpcs'));
  ec2.on(DescribeSubnetsCommand).callsFake(paged(s.Subnets, 'Subnets'));
  ec2.on(DescribeRouteTablesCommand).callsFake(paged(s.RouteTables, 'RouteTables'));
  ec2.on(DescribeInternetGatewaysCommand).callsFake(paged(s.InternetGateways, 'InternetGateways'));
  ec2.on(DescribeNatGatewaysCommand).callsFake(paged(s.NatGateways, 'NatGateways'));
  ec2.on(DescribeAddressesCommand).callsFake((input: { Filters?: Filters; AllocationIds?: string[] }) => ({
    Addresses: (s.Addresses ?? []).filter(
      (a) =>
        matches(a, input.Filters) &&
        (!input.AllocationIds || input.AllocationIds.includes(a.AllocationId ?? '')),
    ),
  }));
  ec2.on(DescribeVpcEndpointsCommand).callsFake(paged(s.VpcEndpoints, 'VpcEndpoints'));
  ec2.on(DescribeSecurityGroupsCommand).callsFake(paged(s.SecurityGroups, 'SecurityGroups'));
  ec2.on(DescribeNetworkAclsCommand).callsFake(paged(s.NetworkAcls, 'NetworkAcls'));
  ec2.on(DescribeNetworkInterfacesCommand).callsFake(paged(s.NetworkInterfaces, 'NetworkInterfaces'));
  ec2.on(DescribeInstancesCommand).callsFake(
    paged(
      (s.Instances ?? []).map((i) => ({ Instances: [i] })),
      'Reservations',
    ),
  );
  ec2.on(DescribeTransitGatewaysCommand).callsFake(paged(s.TransitGateways, 'TransitGateways'));
  ec2
    .on(DescribeTransitGatewayAttachmentsCommand)
    .callsFake(paged(s.TransitGatewayAttachments, 'TransitGatewayAttachments'));
  ec2
    .on(DescribeTransitGatewayVpcAttachmentsCommand)
    .callsFake(paged(s.TransitGatewayVpcAttachments, 'TransitGatewayVpcAttachments'));
  ec2
    .on(DescribeTransitGatewayRouteTablesCommand)
    .callsFake(paged(s.TransitGatewayRouteTables, 'TransitGatewayRouteTables'));
  const byRt =
    <T>(map: Record<string, T[]> | undefined, member: string) =>
    (input: { TransitGatewayRouteTableId: string; NextToken?: string }) =>
      paged(map?.[input.TransitGatewayRouteTableId], member)(input);
  ec2
    .on(GetTransitGatewayRouteTableAssociationsCommand)
    .callsFake(byRt(s.TransitGatewayRouteTableAssociations, 'Associations'));
  ec2
    .on(GetTransitGatewayRouteTablePropagationsCommand)
    .callsFake(byRt(s.TransitGatewayRouteTablePropagations, 'TransitGatewayRouteTablePropagations'));
  ec2.on(SearchTransitGatewayRoutesCommand).callsFake((input: { TransitGatewayRouteTableId: string }) => ({
    Routes: s.TransitGatewayRoutes?.[input.TransitGatewayRouteTableId] ?? [],
  }));
  nfw.on(ListFirewallsCommand).callsFake((input: { VpcIds?: string[]; NextToken?: string }) =>
    paged(
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
