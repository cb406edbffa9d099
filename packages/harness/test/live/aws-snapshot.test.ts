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
  DescribeManagedPrefixListsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeFirewallCommand,
  DescribeFirewallPolicyCommand,
  DescribeRuleGroupCommand,
  ListFirewallsCommand,
  NetworkFirewallClient,
} from '@aws-sdk/client-network-firewall';
import { SNAPSHOT_MEMBERS } from '@hubspoke/netmodel';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../src/live/aws-clients';
import { readAwsSnapshot } from '../../src/live/aws-snapshot';

const ec2Mock = mockClient(EC2Client);
const nfwMock = mockClient(NetworkFirewallClient);
const fast = { attempts: 4, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const throttle = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded', $metadata: {} });
const meta = { $metadata: { requestId: 'r' } };

beforeEach(() => {
  ec2Mock.reset();
  nfwMock.reset();
  ec2Mock.onAnyCommand().resolves({});
  nfwMock.onAnyCommand().resolves({});
  ec2Mock
    .on(DescribeVpcsCommand)
    .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-insp' }], NextToken: 'v2' })
    .rejectsOnce(throttle())
    .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-a' }] });
  ec2Mock
    .on(DescribeSubnetsCommand)
    .resolvesOnce({ Subnets: [{ SubnetId: 'subnet-1' }], NextToken: 's2' })
    .resolvesOnce({ Subnets: [{ SubnetId: 'subnet-2' }] });
  ec2Mock.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: 'rtb-1' }] });
  ec2Mock
    .on(DescribeInternetGatewaysCommand)
    .resolves({ InternetGateways: [{ InternetGatewayId: 'igw-1' }] });
  ec2Mock.on(DescribeNatGatewaysCommand).resolves({
    NatGateways: [
      {
        NatGatewayId: 'nat-a',
        NatGatewayAddresses: [{ AllocationId: 'eipalloc-a', PublicIp: '198.51.100.1' }],
      },
    ],
  });
  ec2Mock
    .on(DescribeAddressesCommand, { AllocationIds: ['eipalloc-a'] })
    .resolves({ Addresses: [{ AllocationId: 'eipalloc-a', PublicIp: '198.51.100.1' }] });
  ec2Mock
    .on(DescribeAddressesCommand, { Filters: [{ Name: 'tag:hubspoke:env', Values: ['it-9'] }] })
    .resolves({
      Addresses: [
        { AllocationId: 'eipalloc-a', PublicIp: '198.51.100.1' },
        { AllocationId: 'eipalloc-t', PublicIp: '198.51.100.9' },
      ],
    });
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [{ VpcEndpointId: 'vpce-ssm' }] });
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1' }] });
  ec2Mock.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [{ NetworkAclId: 'acl-1' }] });
  ec2Mock
    .on(DescribeNetworkInterfacesCommand)
    .resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1' }] });
  ec2Mock
    .on(DescribeInstancesCommand)
    .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }], NextToken: 'i2' })
    .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-2' }, { InstanceId: 'i-3' }] }] });
  ec2Mock.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-1' }] });
  ec2Mock
    .on(DescribeTransitGatewayAttachmentsCommand)
    .resolves({ TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'att-1' }] });
  ec2Mock
    .on(DescribeTransitGatewayVpcAttachmentsCommand)
    .resolves({ TransitGatewayVpcAttachments: [{ TransitGatewayAttachmentId: 'att-1' }] });
  ec2Mock.on(DescribeTransitGatewayRouteTablesCommand).resolves({
    TransitGatewayRouteTables: [
      { TransitGatewayRouteTableId: 'rt-spoke' },
      { TransitGatewayRouteTableId: 'rt-insp' },
    ],
  });
  ec2Mock
    .on(GetTransitGatewayRouteTableAssociationsCommand)
    .callsFake((input: { TransitGatewayRouteTableId: string; NextToken?: string }) =>
      input.NextToken
        ? { Associations: [{ TransitGatewayAttachmentId: `${input.TransitGatewayRouteTableId}-assoc-2` }] }
        : {
            Associations: [{ TransitGatewayAttachmentId: `${input.TransitGatewayRouteTableId}-assoc-1` }],
            NextToken: 'more',
          },
    );
  ec2Mock
    .on(GetTransitGatewayRouteTablePropagationsCommand)
    .callsFake((input: { TransitGatewayRouteTableId: string }) => ({
      TransitGatewayRouteTablePropagations: [
        { TransitGatewayAttachmentId: `${input.TransitGatewayRouteTableId}-prop` },
      ],
    }));
  ec2Mock
    .on(SearchTransitGatewayRoutesCommand)
    .callsFake((input: { TransitGatewayRouteTableId: string }) => ({
      Routes: [{ DestinationCidrBlock: `0.0.0.0/0 via ${input.TransitGatewayRouteTableId}` }],
    }));
  nfwMock
    .on(ListFirewallsCommand)
    .resolvesOnce({ Firewalls: [{ FirewallArn: 'arn:fw-1' }], NextToken: 'f2' })
    .resolvesOnce({ Firewalls: [{ FirewallArn: 'arn:fw-other-env' }] });
  nfwMock.on(DescribeFirewallCommand, { FirewallArn: 'arn:fw-1' }).resolves({
    ...meta,
    Firewall: {
      FirewallArn: 'arn:fw-1',
      FirewallPolicyArn: 'arn:pol',
      FirewallId: 'f1',
      VpcId: 'vpc-insp',
      SubnetMappings: [],
      Tags: [{ Key: 'hubspoke:env', Value: 'it-9' }],
    },
    FirewallStatus: { Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC' },
  });
  nfwMock.on(DescribeFirewallCommand, { FirewallArn: 'arn:fw-other-env' }).resolves({
    Firewall: {
      FirewallArn: 'arn:fw-other-env',
      FirewallPolicyArn: 'arn:pol-other',
      FirewallId: 'f2',
      VpcId: 'vpc-a',
      SubnetMappings: [],
      Tags: [{ Key: 'hubspoke:env', Value: 'dev' }],
    },
  });
  nfwMock.on(DescribeFirewallPolicyCommand).resolves({
    ...meta,
    UpdateToken: 't',
    FirewallPolicyResponse: { FirewallPolicyName: 'p', FirewallPolicyArn: 'arn:pol', FirewallPolicyId: 'p1' },
    FirewallPolicy: {
      StatelessDefaultActions: ['aws:forward_to_sfe'],
      StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
      StatefulRuleGroupReferences: [{ ResourceArn: 'arn:rg-domains' }, { ResourceArn: 'arn:rg-suricata' }],
    },
  });
  nfwMock.on(DescribeRuleGroupCommand).callsFake((input: { RuleGroupArn: string }) => ({
    UpdateToken: 't',
    RuleGroupResponse: {
      RuleGroupArn: input.RuleGroupArn,
      RuleGroupName: input.RuleGroupArn,
      RuleGroupId: 'x',
    },
  }));
});

describe('readAwsSnapshot', () => {
  it('reads every member of the snapshot contract, all pages, scoped to the env', async () => {
    const snap = await readAwsSnapshot({
      env: 'it-9',
      region: 'us-east-1',
      clients: createAwsClients('us-east-1', fast),
    });

    for (const member of SNAPSHOT_MEMBERS) expect(snap).toHaveProperty(member);
    expect(snap.Region).toBe('us-east-1');
    expect(snap.Vpcs!.map((v) => v.VpcId)).toEqual(['vpc-insp', 'vpc-a']);
    expect(snap.Subnets!.map((s) => s.SubnetId)).toEqual(['subnet-1', 'subnet-2']);
    expect(snap.Instances!.map((i) => i.InstanceId)).toEqual(['i-1', 'i-2', 'i-3']);
    expect(snap.Addresses!.map((a) => a.AllocationId).sort()).toEqual(['eipalloc-a', 'eipalloc-t']);
    expect(snap.TransitGatewayRouteTableAssociations).toEqual({
      'rt-spoke': [
        { TransitGatewayAttachmentId: 'rt-spoke-assoc-1' },
        { TransitGatewayAttachmentId: 'rt-spoke-assoc-2' },
      ],
      'rt-insp': [
        { TransitGatewayAttachmentId: 'rt-insp-assoc-1' },
        { TransitGatewayAttachmentId: 'rt-insp-assoc-2' },
      ],
    });
    expect(Object.keys(snap.TransitGatewayRouteTablePropagations!)).toEqual(['rt-spoke', 'rt-insp']);
    expect(snap.TransitGatewayRoutes!['rt-insp']).toEqual([
      { DestinationCidrBlock: '0.0.0.0/0 via rt-insp' },
    ]);
    // The other env's firewall in a listed VPC is left out; SDK $metadata is not part of the snapshot.
    expect(snap.Firewalls!.map((f) => f.Firewall!.FirewallArn)).toEqual(['arn:fw-1']);
    expect(snap.Firewalls![0]).not.toHaveProperty('$metadata');
    expect(snap.FirewallPolicies!.map((p) => p.FirewallPolicyResponse!.FirewallPolicyArn)).toEqual([
      'arn:pol',
    ]);
    expect(snap.RuleGroups!.map((g) => g.RuleGroupResponse!.RuleGroupArn)).toEqual([
      'arn:rg-domains',
      'arn:rg-suricata',
    ]);

    // Scoping: the env tag finds VPCs and TGWs, their ids scope everything else.
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:hubspoke:env', Values: ['it-9'] },
    ]);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: ['vpc-insp', 'vpc-a'] },
    ]);
    expect(ec2Mock.commandCalls(DescribeInternetGatewaysCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'attachment.vpc-id', Values: ['vpc-insp', 'vpc-a'] },
    ]);
    expect(ec2Mock.commandCalls(DescribeNatGatewaysCommand)[0]!.args[0].input.Filter).toEqual([
      { Name: 'vpc-id', Values: ['vpc-insp', 'vpc-a'] },
    ]);
    expect(ec2Mock.commandCalls(DescribeTransitGatewayRouteTablesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'transit-gateway-id', Values: ['tgw-1'] },
    ]);
    expect(ec2Mock.commandCalls(SearchTransitGatewayRoutesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'state', Values: ['active', 'blackhole'] },
    ]);
    expect(nfwMock.commandCalls(ListFirewallsCommand)[0]!.args[0].input.VpcIds).toEqual([
      'vpc-insp',
      'vpc-a',
    ]);
    expect(nfwMock.commandCalls(ListFirewallsCommand)[1]!.args[0].input.NextToken).toBe('f2');
  });

  it('reads VPC DNS attributes, the referenced prefix lists with their entries, and the peerings, all pages', async () => {
    ec2Mock.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          RouteTableId: 'rtb-1',
          Routes: [
            { DestinationPrefixListId: 'pl-s3', GatewayId: 'vpce-s3' },
            { DestinationCidrBlock: '10.0.0.0/8' },
          ],
        },
      ],
    });
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-1',
          IpPermissionsEgress: [{ IpProtocol: '-1', PrefixListIds: [{ PrefixListId: 'pl-corp' }] }],
        },
      ],
    });
    ec2Mock
      .on(DescribeVpcAttributeCommand)
      .callsFake((input: { VpcId: string; Attribute: string }) =>
        input.Attribute === 'enableDnsSupport'
          ? { VpcId: input.VpcId, EnableDnsSupport: { Value: true } }
          : { VpcId: input.VpcId, EnableDnsHostnames: { Value: input.VpcId === 'vpc-insp' } },
      );
    ec2Mock
      .on(DescribeManagedPrefixListsCommand)
      .resolvesOnce({
        PrefixLists: [{ PrefixListId: 'pl-corp', PrefixListName: 'corp', OwnerId: '111122223333' }],
        NextToken: 'p2',
      })
      .resolvesOnce({
        PrefixLists: [
          { PrefixListId: 'pl-s3', PrefixListName: 'com.amazonaws.us-east-1.s3', OwnerId: 'AWS' },
        ],
      });
    ec2Mock
      .on(GetManagedPrefixListEntriesCommand)
      .callsFake((input: { PrefixListId: string; NextToken?: string }) =>
        input.PrefixListId === 'pl-s3' && !input.NextToken
          ? { Entries: [{ Cidr: '52.216.0.0/15' }], NextToken: 'e2' }
          : { Entries: [{ Cidr: input.PrefixListId === 'pl-s3' ? '3.5.0.0/19' : '192.168.0.0/16' }] },
      );
    const peering = { VpcPeeringConnectionId: 'pcx-1', Status: { Code: 'active' } };
    ec2Mock
      .on(DescribeVpcPeeringConnectionsCommand)
      .callsFake((input: { Filters: { Name: string }[]; NextToken?: string }) =>
        input.Filters[0]!.Name === 'requester-vpc-info.vpc-id'
          ? input.NextToken
            ? {
                VpcPeeringConnections: [
                  { VpcPeeringConnectionId: 'pcx-2', Status: { Code: 'pending-acceptance' } },
                ],
              }
            : { VpcPeeringConnections: [peering], NextToken: 'x2' }
          : { VpcPeeringConnections: [peering] },
      );

    const snap = await readAwsSnapshot({
      env: 'it-9',
      region: 'us-east-1',
      clients: createAwsClients('us-east-1', fast),
    });

    expect(snap.VpcAttributes).toEqual([
      { VpcId: 'vpc-insp', EnableDnsSupport: { Value: true }, EnableDnsHostnames: { Value: true } },
      { VpcId: 'vpc-a', EnableDnsSupport: { Value: true }, EnableDnsHostnames: { Value: false } },
    ]);
    expect(ec2Mock.commandCalls(DescribeVpcAttributeCommand)).toHaveLength(4);
    expect(ec2Mock.commandCalls(DescribeManagedPrefixListsCommand)[0]!.args[0].input.PrefixListIds).toEqual([
      'pl-corp',
      'pl-s3',
    ]);
    expect(snap.ManagedPrefixLists!.map((l) => l.PrefixListId)).toEqual(['pl-corp', 'pl-s3']);
    expect(snap.ManagedPrefixListEntries).toEqual({
      'pl-corp': [{ Cidr: '192.168.0.0/16' }],
      'pl-s3': [{ Cidr: '52.216.0.0/15' }, { Cidr: '3.5.0.0/19' }],
    });
    // Requester and accepter side, each paged; a connection seen from both sides is listed once.
    expect(snap.VpcPeeringConnections!.map((p) => p.VpcPeeringConnectionId)).toEqual(['pcx-1', 'pcx-2']);
    expect(
      ec2Mock.commandCalls(DescribeVpcPeeringConnectionsCommand).map((c) => c.args[0].input.Filters),
    ).toContainEqual([{ Name: 'accepter-vpc-info.vpc-id', Values: ['vpc-insp', 'vpc-a'] }]);
  });

  it('an env with nothing tagged makes no VPC-scoped calls (an empty filter is an API error)', async () => {
    ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    ec2Mock.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
    const snap = await readAwsSnapshot({
      env: 'it-none',
      region: 'us-east-1',
      clients: createAwsClients('us-east-1', fast),
    });
    expect(snap.Subnets).toEqual([]);
    expect(snap.Firewalls).toEqual([]);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeTransitGatewayAttachmentsCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeVpcPeeringConnectionsCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeManagedPrefixListsCommand)).toHaveLength(0);
    expect(nfwMock.commandCalls(ListFirewallsCommand)).toHaveLength(0);
  });
});
