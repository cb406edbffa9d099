import * as aws from '@pulumi/aws';
import { MockCloud } from '../src';
import { hubProgram, inspectionProgram, spokeProgram } from './fixtures/network';
import { run } from './helpers';

async function environment() {
  const cloud = new MockCloud();
  const outputs: Record<string, Record<string, unknown>> = {};
  const stacks: [string, () => unknown][] = [
    ['tgw', hubProgram],
    ['inspection', inspectionProgram],
    ['spoke-a', spokeProgram('10.1.0.0/24')],
    ['spoke-b', spokeProgram('10.2.0.0/24')],
  ];
  for (const [project, program] of stacks) {
    outputs[project] = await run(cloud, project, program);
    cloud.setStackOutputs(project, 'dev', outputs[project]);
  }
  return { cloud, outputs, snapshot: cloud.toSnapshot() };
}

describe('a hub-and-spoke environment under one account', () => {
  let env: Awaited<ReturnType<typeof environment>>;
  beforeAll(async () => {
    env = await environment();
  });

  it('resolves StackReference outputs from the upstream run', () => {
    const tgwId = env.outputs.tgw.transitGatewayId;
    expect(env.snapshot.TransitGatewayVpcAttachments!.every((a) => a.TransitGatewayId === tgwId)).toBe(true);
  });

  it('reports one firewall endpoint per subnet mapping, in the subnet AZ', () => {
    const fw = env.snapshot.Firewalls![0];
    const syncStates = fw.FirewallStatus!.SyncStates!;
    expect(Object.keys(syncStates)).toEqual(['us-east-1a', 'us-east-1b']);
    const subnets = new Map(env.snapshot.Subnets!.map((s) => [s.SubnetId, s]));
    for (const [az, state] of Object.entries(syncStates)) {
      expect(state.Attachment!.EndpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
      expect(state.Attachment!.Status).toBe('READY');
      expect(subnets.get(state.Attachment!.SubnetId)!.AvailabilityZone).toBe(az);
    }
    expect(fw.FirewallStatus).toMatchObject({ Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC' });
    expect(env.outputs.inspection.firewallEndpointIds).toEqual({
      'us-east-1a': syncStates['us-east-1a'].Attachment!.EndpointId,
      'us-east-1b': syncStates['us-east-1b'].Attachment!.EndpointId,
    });
  });

  it('routes each TGW subnet to the endpoint of its own AZ, reported as GatewayId vpce-', () => {
    const fw = env.snapshot.Firewalls![0].FirewallStatus!.SyncStates!;
    const subnets = new Map(env.snapshot.Subnets!.map((s) => [s.SubnetId, s]));
    const tgwTables = env.snapshot.RouteTables!.filter((t) =>
      t.Tags!.some((tag) => tag.Key === 'Name' && tag.Value?.startsWith('inspection-tgw-')),
    );
    expect(tgwTables).toHaveLength(2);
    for (const table of tgwTables) {
      const az = subnets.get(table.Associations![0].SubnetId)!.AvailabilityZone!;
      const route = table.Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')!;
      expect(route.GatewayId).toBe(fw[az].Attachment!.EndpointId);
    }
  });

  it('returns NAT EIPs from the documentation ranges through getNatGateway', () => {
    expect([...(env.outputs.inspection.natPublicIps as string[])].sort()).toEqual(
      env.snapshot.Addresses!.map((a) => a.PublicIp).sort(),
    );
    for (const ip of env.outputs.inspection.natPublicIps as string[])
      expect(ip).toMatch(/^(198\.51\.100|203\.0\.113)\./);
  });

  it('keys TGW associations, propagations and routes by route table, with propagated and blackhole routes', () => {
    const { spokeRouteTableId, inspectionRouteTableId } = env.outputs.tgw as Record<string, string>;
    const inspectionAtt = env.outputs.inspection.tgwAttachmentId;
    expect(
      env.snapshot
        .TransitGatewayRouteTableAssociations![spokeRouteTableId].map((a) => a.TransitGatewayAttachmentId)
        .sort(),
    ).toEqual([env.outputs['spoke-a'].tgwAttachmentId, env.outputs['spoke-b'].tgwAttachmentId].sort());
    expect(env.snapshot.TransitGatewayRouteTablePropagations![inspectionRouteTableId]).toHaveLength(2);
    const inspectionRoutes = env.snapshot.TransitGatewayRoutes![inspectionRouteTableId];
    expect(inspectionRoutes).toContainEqual({
      DestinationCidrBlock: '10.1.0.0/24',
      TransitGatewayAttachments: [
        {
          ResourceId: env.outputs['spoke-a'].vpcId,
          TransitGatewayAttachmentId: env.outputs['spoke-a'].tgwAttachmentId,
          ResourceType: 'vpc',
        },
      ],
      Type: 'propagated',
      State: 'active',
    });
    expect(inspectionRoutes).toContainEqual({
      DestinationCidrBlock: '192.168.0.0/16',
      Type: 'static',
      State: 'blackhole',
    });
    const spokeDefault = env.snapshot.TransitGatewayRoutes![spokeRouteTableId].find(
      (r) => r.DestinationCidrBlock === '0.0.0.0/0',
    )!;
    expect(spokeDefault.TransitGatewayAttachments![0].TransitGatewayAttachmentId).toBe(inspectionAtt);
    const inspectionVpcAtt = env.snapshot.TransitGatewayVpcAttachments!.find(
      (a) => a.TransitGatewayAttachmentId === inspectionAtt,
    )!;
    expect(inspectionVpcAtt.Options!.ApplianceModeSupport).toBe('enable');
  });

  it('converts the firewall policy and rule group to the API shapes', () => {
    const policy = env.snapshot.FirewallPolicies![0].FirewallPolicy!;
    expect(policy.StatefulEngineOptions).toEqual({ RuleOrder: 'STRICT_ORDER' });
    expect(policy.StatefulDefaultActions).toEqual(['aws:drop_strict']);
    expect(policy.PolicyVariables).toEqual({ RuleVariables: { HOME_NET: { Definition: ['10.0.0.0/8'] } } });
    expect(policy.StatefulRuleGroupReferences).toEqual([
      { ResourceArn: env.snapshot.RuleGroups![0].RuleGroupResponse!.RuleGroupArn, Priority: 10 },
    ]);
    const group = env.snapshot.RuleGroups![0];
    expect(group.RuleGroup).toEqual({
      RuleVariables: { IPSets: { HOME_NET: { Definition: ['10.0.0.0/8'] } } },
      RulesSource: {
        RulesSourceList: {
          GeneratedRulesType: 'ALLOWLIST',
          TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
          Targets: ['.amazon.com'],
        },
      },
      StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' },
    });
    expect(group.RuleGroupResponse).toMatchObject({ Type: 'STATEFUL', Capacity: 100 });
  });

  it('gives the probe a private IP from its subnet, no public IP, an ENI and its tags', () => {
    const probe = env.snapshot.Instances!.find(
      (i) => i.InstanceId === env.outputs['spoke-a'].probeInstanceId,
    )!;
    expect(probe.PrivateIpAddress).toBe(env.outputs['spoke-a'].probePrivateIp);
    // inside its /25, past the 4 addresses AWS reserves, and used by no other ENI
    const subnet = env.snapshot.Subnets!.find((s) => s.SubnetId === probe.SubnetId)!;
    expect(subnet.CidrBlock).toBe('10.1.0.0/25');
    const lastOctet = Number(probe.PrivateIpAddress!.split('.')[3]);
    expect(probe.PrivateIpAddress!.startsWith('10.1.0.') && lastOctet >= 4 && lastOctet <= 126).toBe(true);
    expect(
      env.snapshot.NetworkInterfaces!.filter((n) => n.PrivateIpAddress === probe.PrivateIpAddress),
    ).toHaveLength(1);
    expect(probe.PublicIpAddress).toBeUndefined();
    expect(probe.MetadataOptions!.HttpTokens).toBe('required');
    expect(probe.ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(probe.Tags).toContainEqual({ Key: 'hubspoke:role', Value: 'probe' });
    const eni = env.snapshot.NetworkInterfaces!.find(
      (n) => n.NetworkInterfaceId === probe.NetworkInterfaces![0].NetworkInterfaceId,
    )!;
    expect(eni.Attachment!.InstanceId).toBe(probe.InstanceId);
  });

  it('creates requester-managed ENIs for NAT, TGW attachments, firewall and interface endpoints', () => {
    const types = env.snapshot.NetworkInterfaces!.map((n) => n.InterfaceType);
    const count = (t: string) => types.filter((x) => x === t).length;
    expect(count('natGateway')).toBe(2);
    expect(count('transit_gateway')).toBe(6);
    expect(count('gateway_load_balancer_endpoint')).toBe(2);
    expect(count('vpc_endpoint')).toBe(4);
    expect(count('interface')).toBe(2);
  });

  it('is deterministic: the same programs give the same ids', async () => {
    const again = await environment();
    expect(again.snapshot).toEqual(env.snapshot);
    expect(env.snapshot.Vpcs!.map((v) => v.VpcId).every((id) => /^vpc-[0-9a-f]{17}$/.test(id!))).toBe(true);
  });
});

describe('order of creation', () => {
  // Pulumi creates independent resources in whatever order their inputs resolve; a program run
  // in-process and the same program run through the engine register them in different orders.
  async function account(order: string[]) {
    const cloud = new MockCloud();
    await run(cloud, 'order', async () => {
      const vpc = new aws.ec2.Vpc('vpc', { cidrBlock: '10.9.0.0/24' });
      const subnet = new aws.ec2.Subnet('subnet', {
        vpcId: vpc.id,
        cidrBlock: '10.9.0.0/26',
        availabilityZone: 'us-east-1a',
        mapPublicIpOnLaunch: true,
      });
      for (const name of order)
        new aws.ec2.Instance(name, {
          ami: 'ami-0123456789abcdef0',
          instanceType: 't3.micro',
          subnetId: subnet.id,
        });
      return {};
    });
    return cloud.toSnapshot();
  }

  it('gives the same snapshot (private and public addresses, list order) whichever order resources are created in', async () => {
    const names = ['a', 'bb', 'ccc', 'dddd'];
    const forward = await account(names);
    const backward = await account([...names].reverse());
    expect(forward.Instances).toHaveLength(4);
    expect(backward).toEqual(forward);
  });
});
