import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { ACCOUNT_ID, MockCloud } from '../src';
import { run } from './helpers';

/** An isolated-only VPC of 10.<n>.0.0/24 over two AZs. */
function vpc(name: string, n: number, extra: Partial<awsx.ec2.VpcArgs> = {}): awsx.ec2.Vpc {
  return new awsx.ec2.Vpc(name, {
    cidrBlock: `10.${n}.0.0/24`,
    availabilityZoneNames: ['us-east-1a', 'us-east-1b'],
    subnetStrategy: 'Exact',
    natGateways: { strategy: 'None' },
    subnetSpecs: [{ type: 'Isolated', cidrBlocks: [`10.${n}.0.0/25`, `10.${n}.0.128/25`] }],
    ...extra,
  });
}

function firstTable(v: awsx.ec2.Vpc): pulumi.Output<string> {
  return aws.ec2.getRouteTableOutput({ subnetId: v.isolatedSubnetIds.apply((ids) => ids[0]) }).id;
}

function expectFailure(program: () => unknown, message: string | RegExp, cloud = new MockCloud()) {
  return expect(run(cloud, 'spoke-a', program)).rejects.toThrow(message);
}

describe('errors name what is not emulated', () => {
  it('rejects a resource type the mock cloud does not emulate, naming it', async () => {
    await expectFailure(
      () => new aws.ec2.VpcPeeringConnection('extra', { vpcId: 'vpc-1', peerVpcId: 'vpc-2' }),
      "resource type 'aws:ec2/vpcPeeringConnection:VpcPeeringConnection' is not emulated by the mock cloud (resource 'extra')",
    );
  });

  it('rejects an invoke the mock cloud does not emulate, naming its token', async () => {
    await expectFailure(async () => {
      await aws.ec2.getVpc({ id: 'vpc-1' });
    }, "invoke 'aws:ec2/getVpc:getVpc' is not emulated by the mock cloud");
  });

  it('rejects reading an existing resource instead of creating a different one', async () => {
    await expectFailure(
      () => ({ cidr: aws.ec2.Vpc.get('existing', 'vpc-0123').cidrBlock }),
      'reading or importing an existing aws:ec2/vpc:Vpc (id vpc-0123) is not emulated by the mock cloud',
    );
  });

  it('rejects an unknown upstream stack like Pulumi, naming it', async () => {
    await expectFailure(() => {
      const ref = new pulumi.StackReference('organization/tgw/dev');
      return { x: ref.getOutput('transitGatewayId') };
    }, 'unknown stack "organization/tgw/dev"');
  });

  it('rejects a provider in another region than the account', async () => {
    await expectFailure(
      () => new aws.Provider('eu', { region: 'eu-west-1' }),
      'uses region eu-west-1, but the mock cloud account is in us-east-1',
    );
  });

  it('names the failing project and every failed registration', async () => {
    const err = await run(new MockCloud(), 'spoke-z', () => {
      new aws.ec2.Subnet('one', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24' });
      new aws.ec2.Eip('two', {});
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^stack spoke-z\/dev failed under the mock cloud/);
    expect((err as Error).message).toContain("aws:ec2/subnet:Subnet 'one'");
    expect((err as Error).message).toContain("aws:ec2/eip:Eip 'two'");
  });
});

describe('aws.ec2.Route target validation', () => {
  it('requires exactly one target', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1);
      new aws.ec2.Route('r', { routeTableId: firstTable(v), destinationCidrBlock: '0.0.0.0/0' });
    }, /exactly one of transitGatewayId, vpcEndpointId, natGatewayId, gatewayId, networkInterfaceId must be set \(got none\)/);
    await expectFailure(() => {
      const v = vpc('a', 1);
      new aws.ec2.Route('r', {
        routeTableId: firstTable(v),
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: 'igw-1',
        natGatewayId: 'nat-1',
      });
    }, '(got natGatewayId, gatewayId)');
  });

  it('requires the route table and target to exist', async () => {
    await expectFailure(
      () =>
        new aws.ec2.Route('r', {
          routeTableId: 'rtb-0000',
          destinationCidrBlock: '0.0.0.0/0',
          gatewayId: 'igw-1',
        }),
      "InvalidRouteTableID.NotFound: The routeTable ID 'rtb-0000' does not exist",
    );
    await expectFailure(() => {
      const v = vpc('a', 1);
      new aws.ec2.Route('r', {
        routeTableId: firstTable(v),
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: 'nat-0123',
      });
    }, "InvalidNatGatewayID.NotFound: The natGateway ID 'nat-0123' does not exist");
  });

  it('rejects a NAT gateway of another VPC', async () => {
    await expectFailure(() => {
      const a = vpc('a', 1);
      const b = new awsx.ec2.Vpc('b', {
        cidrBlock: '10.2.0.0/24',
        availabilityZoneNames: ['us-east-1a'],
        subnetStrategy: 'Exact',
        natGateways: { strategy: 'Single' },
        subnetSpecs: [
          { type: 'Public', cidrBlocks: ['10.2.0.0/25'] },
          { type: 'Private', cidrBlocks: ['10.2.0.128/25'] },
        ],
      });
      const natOfB = aws.ec2.getNatGatewayOutput({ subnetId: b.publicSubnetIds.apply((ids) => ids[0]) }).id;
      new aws.ec2.Route('r', {
        routeTableId: firstTable(a),
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: natOfB,
      });
    }, /InvalidParameterValue: route table rtb-[0-9a-f]+ and NAT gateway nat-[0-9a-f]+ belong to different networks/);
  });

  it('rejects a duplicate destination like RouteAlreadyExists, including the local route', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1);
      const tgw = new aws.ec2transitgateway.TransitGateway('tgw', {});
      const att = new aws.ec2transitgateway.VpcAttachment('att', {
        transitGatewayId: tgw.id,
        vpcId: v.vpcId,
        subnetIds: v.isolatedSubnetIds,
      });
      const table = firstTable(v);
      new aws.ec2.Route(
        'r1',
        { routeTableId: table, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: tgw.id },
        { dependsOn: [att] },
      );
      const r2 = new aws.ec2.Route(
        'r2',
        { routeTableId: table, destinationCidrBlock: '10.1.0.0/24', transitGatewayId: tgw.id },
        { dependsOn: [att] },
      );
      return { r2: r2.id };
    }, 'RouteAlreadyExists: The route identified by 10.1.0.0/24 already exists');
  });

  it('rejects a route to a transit gateway the VPC is not attached to', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1);
      const tgw = new aws.ec2transitgateway.TransitGateway('tgw', {});
      new aws.ec2.Route('r', {
        routeTableId: firstTable(v),
        destinationCidrBlock: '0.0.0.0/0',
        transitGatewayId: tgw.id,
      });
    }, /has no attachment in VPC vpc-[0-9a-f]+ .*create the VPC attachment before the route/);
  });

  it('rejects an interface endpoint as a route target', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1, { enableDnsHostnames: true });
      const ep = new aws.ec2.VpcEndpoint('ssm', {
        vpcId: v.vpcId,
        serviceName: 'com.amazonaws.us-east-1.ssm',
        vpcEndpointType: 'Interface',
        subnetIds: v.isolatedSubnetIds,
      });
      new aws.ec2.Route('r', {
        routeTableId: firstTable(v),
        destinationCidrBlock: '0.0.0.0/0',
        vpcEndpointId: ep.id,
      });
    }, 'is of type Interface; only Gateway Load Balancer (firewall) endpoints can be route targets');
  });
});

describe('AWS-side checks of other resources', () => {
  it('rejects two firewall subnet mappings in one AZ', async () => {
    await expectFailure(() => {
      const v = new awsx.ec2.Vpc('insp', {
        cidrBlock: '10.0.0.0/24',
        availabilityZoneNames: ['us-east-1a'],
        subnetStrategy: 'Auto',
        natGateways: { strategy: 'None' },
        subnetSpecs: [
          { type: 'Isolated', name: 'fw1', cidrBlocks: ['10.0.0.0/26'] },
          { type: 'Isolated', name: 'fw2', cidrBlocks: ['10.0.0.64/26'] },
        ],
      });
      const policy = new aws.networkfirewall.FirewallPolicy('p', {
        firewallPolicy: {
          statelessDefaultActions: ['aws:forward_to_sfe'],
          statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        },
      });
      new aws.networkfirewall.Firewall('fw', {
        vpcId: v.vpcId,
        firewallPolicyArn: policy.arn,
        subnetMappings: v.isolatedSubnetIds.apply((ids) => ids.map((subnetId) => ({ subnetId }))),
      });
    }, /are both in us-east-1a; a firewall takes one subnet per Availability Zone/);
  });

  it('rejects a rule group whose capacity is below what its rules consume, and accepts one that fits', async () => {
    const domainList = (capacity: number) =>
      new aws.networkfirewall.RuleGroup(`g${capacity}`, {
        capacity,
        type: 'STATEFUL',
        ruleGroup: {
          rulesSource: {
            rulesSourceList: {
              targets: ['.example.com', 'checkip.amazonaws.com'],
              targetTypes: ['TLS_SNI', 'HTTP_HOST'],
              generatedRulesType: 'ALLOWLIST',
            },
          },
        },
      });
    await expectFailure(
      () => domainList(4),
      /rule group g4-\w+: capacity 4 is less than the 6 its rules consume/,
    );
    await expect(run(new MockCloud(), 'spoke-a', () => domainList(6))).resolves.toBeDefined();
  });

  it('rejects a strict-order policy referencing a default-order rule group', async () => {
    await expectFailure(() => {
      const group = new aws.networkfirewall.RuleGroup('g', {
        capacity: 10,
        type: 'STATEFUL',
        rules: 'pass tcp any any -> any 443 (sid:1;)',
      });
      new aws.networkfirewall.FirewallPolicy('p', {
        firewallPolicy: {
          statelessDefaultActions: ['aws:forward_to_sfe'],
          statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
          statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
          statefulRuleGroupReferences: [{ resourceArn: group.arn, priority: 1 }],
        },
      });
    }, /uses rule order DEFAULT_ACTION_ORDER but the policy uses STRICT_ORDER/);
  });

  it('rejects stateful default actions without strict order', async () => {
    await expectFailure(
      () =>
        new aws.networkfirewall.FirewallPolicy('p', {
          firewallPolicy: {
            statelessDefaultActions: ['aws:forward_to_sfe'],
            statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
            statefulDefaultActions: ['aws:drop_established'],
          },
        }),
      'statefulDefaultActions are only supported with STRICT_ORDER rule order',
    );
  });

  it('rejects established and application-layer default actions together, as AWS does', async () => {
    await expectFailure(
      () =>
        new aws.networkfirewall.FirewallPolicy('p', {
          firewallPolicy: {
            statelessDefaultActions: ['aws:forward_to_sfe'],
            statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
            statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
            statefulDefaultActions: ['aws:drop_established_app_layer', 'aws:alert_established'],
          },
        }),
      'aws:alert_established cannot be set together with the application-layer aws:drop_established_app_layer',
    );
  });

  it('rejects a TGW attachment with two subnets in one AZ', async () => {
    await expectFailure(() => {
      const v = new awsx.ec2.Vpc('a', {
        cidrBlock: '10.1.0.0/24',
        availabilityZoneNames: ['us-east-1a'],
        subnetStrategy: 'Auto',
        natGateways: { strategy: 'None' },
        subnetSpecs: [
          { type: 'Isolated', name: 'x', cidrBlocks: ['10.1.0.0/26'] },
          { type: 'Isolated', name: 'y', cidrBlocks: ['10.1.0.64/26'] },
        ],
      });
      const tgw = new aws.ec2transitgateway.TransitGateway('tgw', {});
      new aws.ec2transitgateway.VpcAttachment('att', {
        transitGatewayId: tgw.id,
        vpcId: v.vpcId,
        subnetIds: v.isolatedSubnetIds,
      });
    }, 'DuplicateSubnetsInSameZone');
  });

  it('rejects associating an attachment with a second TGW route table', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1);
      const tgw = new aws.ec2transitgateway.TransitGateway('tgw', {
        defaultRouteTableAssociation: 'disable',
        defaultRouteTablePropagation: 'disable',
      });
      const att = new aws.ec2transitgateway.VpcAttachment('att', {
        transitGatewayId: tgw.id,
        vpcId: v.vpcId,
        subnetIds: v.isolatedSubnetIds,
      });
      const rt1 = new aws.ec2transitgateway.RouteTable('rt1', { transitGatewayId: tgw.id });
      const rt2 = new aws.ec2transitgateway.RouteTable('rt2', { transitGatewayId: tgw.id });
      const a1 = new aws.ec2transitgateway.RouteTableAssociation('a1', {
        transitGatewayAttachmentId: att.id,
        transitGatewayRouteTableId: rt1.id,
      });
      new aws.ec2transitgateway.RouteTableAssociation(
        'a2',
        { transitGatewayAttachmentId: att.id, transitGatewayRouteTableId: rt2.id },
        { dependsOn: [a1] },
      );
    }, /Resource.AlreadyAssociated: Transit Gateway Attachment tgw-attach-[0-9a-f]+ is already associated/);
  });

  it('associates attachments with the default route table when the TGW keeps defaults', async () => {
    const cloud = new MockCloud();
    await run(cloud, 'spoke-a', () => {
      const v = vpc('a', 1);
      const tgw = new aws.ec2transitgateway.TransitGateway('tgw', {});
      new aws.ec2transitgateway.VpcAttachment('att', {
        transitGatewayId: tgw.id,
        vpcId: v.vpcId,
        subnetIds: v.isolatedSubnetIds,
      });
    });
    const snapshot = cloud.toSnapshot();
    const rt = snapshot.TransitGatewayRouteTables![0];
    expect(rt.DefaultAssociationRouteTable).toBe(true);
    expect(snapshot.TransitGatewayRouteTableAssociations![rt.TransitGatewayRouteTableId!]).toHaveLength(1);
    expect(snapshot.TransitGatewayRoutes![rt.TransitGatewayRouteTableId!]).toEqual([
      expect.objectContaining({ DestinationCidrBlock: '10.1.0.0/24', Type: 'propagated', State: 'active' }),
    ]);
  });

  it('requires DNS hostnames for private DNS on an interface endpoint', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1);
      new aws.ec2.VpcEndpoint('ssm', {
        vpcId: v.vpcId,
        serviceName: 'com.amazonaws.us-east-1.ssm',
        vpcEndpointType: 'Interface',
        subnetIds: v.isolatedSubnetIds,
        privateDnsEnabled: true,
      });
    }, 'Enabling private DNS requires both enableDnsSupport and enableDnsHostnames');
  });

  it('rejects an instance profile that does not exist', async () => {
    await expectFailure(() => {
      const v = vpc('a', 1);
      new aws.ec2.Instance('probe', {
        ami: 'ami-1',
        instanceType: 't3.micro',
        subnetId: v.isolatedSubnetIds.apply((ids) => ids[0]),
        iamInstanceProfile: 'missing',
      });
    }, 'Invalid IAM Instance Profile name');
  });

  it('gives an instance a public IP only when asked or when the subnet maps public IPs', async () => {
    const cloud = new MockCloud();
    await run(cloud, 'spoke-a', () => {
      const v = vpc('a', 1);
      const subnetId = v.isolatedSubnetIds.apply((ids) => ids[0]);
      new aws.ec2.Instance('private', { ami: 'ami-1', instanceType: 't3.micro', subnetId });
      new aws.ec2.Instance('public', {
        ami: 'ami-1',
        instanceType: 't3.micro',
        subnetId,
        associatePublicIpAddress: true,
      });
    });
    const byName = new Map(
      cloud.resources.filter((r) => r.type === 'aws:ec2/instance:Instance').map((r) => [r.name, r.id]),
    );
    const instances = new Map(cloud.toSnapshot().Instances!.map((i) => [i.InstanceId, i]));
    expect(instances.get(byName.get('private'))!.PublicIpAddress).toBeUndefined();
    expect(instances.get(byName.get('public'))!.PublicIpAddress).toMatch(/^198\.51\.100\./);
  });

  it('answers getParameter only for the public Amazon Linux AMI parameters', async () => {
    const cloud = new MockCloud();
    const out = await run(cloud, 'spoke-a', async () => {
      const p = await aws.ssm.getParameter({
        name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      });
      return { ami: p.value };
    });
    expect(out.ami).toMatch(/^ami-[0-9a-f]{17}$/);
    await expectFailure(async () => {
      await aws.ssm.getParameter({ name: '/my/secret' });
    }, 'ParameterNotFound');
  });
});

describe('default tags', () => {
  it('applies aws:defaultTags of the stack config to resources of the default provider', async () => {
    const cloud = new MockCloud();
    await run(
      cloud,
      'tgw',
      () => new aws.ec2transitgateway.TransitGateway('tgw', { tags: { Name: 'hub' } }),
      {
        'aws:region': 'us-east-1',
        'aws:defaultTags': { tags: { 'hubspoke:env': 'dev', Name: 'overridden' } },
      },
    );
    expect(cloud.toSnapshot().TransitGateways![0].Tags).toEqual([
      { Key: 'Name', Value: 'hub' },
      { Key: 'hubspoke:env', Value: 'dev' },
    ]);
  });
});

describe('raw mocks for component unit tests', () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it('works with pulumi.runtime.setMocks directly', async () => {
    const cloud = new MockCloud({ region: 'us-east-1' });
    await pulumi.runtime.setMocks(cloud.mocks(), 'tgw', 'dev', false, 'organization');
    const tgw = new aws.ec2transitgateway.TransitGateway('tgw', { defaultRouteTableAssociation: 'disable' });
    const id = await new Promise<string>((resolve) => tgw.id.apply(resolve));
    expect(id).toMatch(/^tgw-[0-9a-f]{17}$/);
    expect(cloud.toSnapshot().TransitGateways![0]).toMatchObject({
      TransitGatewayId: id,
      State: 'available',
    });
    expect(cloud.resources).toContainEqual({
      project: 'tgw',
      stack: 'dev',
      type: 'aws:ec2transitgateway/transitGateway:TransitGateway',
      name: 'tgw',
      id,
      // Created through the default provider: the credentials' account.
      accountId: ACCOUNT_ID,
    });
  });
});
