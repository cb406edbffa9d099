/**
 * Several accounts in one mock cloud: each resource belongs to the account of the provider that
 * created it, and AWS's cross-account rules hold with AWS's errors: attaching to another account's
 * transit gateway needs a RAM share, a shared attachment waits for the owner's acceptance, only the
 * owner associates, propagates and routes, and security groups do not cross accounts.
 */
import * as aws from '@pulumi/aws';
import { ACCOUNT_ID, MockCloud } from '../src';
import { run } from './helpers';

const NETWORK = ACCOUNT_ID;
const TEAM_A = '222222222222';
const TEAM_B = '333333333333';
const OUTSIDER = '444444444444';
const ORGANIZATION = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';

const roleIn = (account: string) => `arn:aws:iam::${account}:role/hubspoke-deploy`;

/** The provider a team's stack deploys its own resources with: a role in the team's account. */
function teamProvider(account: string, name = 'aws'): aws.Provider {
  return new aws.Provider(name, {
    region: 'us-east-1',
    assumeRoles: [{ roleArn: roleIn(account) }],
    allowedAccountIds: [account],
  });
}

/** The network account's provider: the ambient credentials, pinned to the network account. */
function networkProvider(): aws.Provider {
  return new aws.Provider('aws-network', { region: 'us-east-1', allowedAccountIds: [NETWORK] });
}

interface Hub {
  tgwId: string;
  rtId: string;
}

/** The network account's gateway, one route table, and (optionally) a RAM share of the gateway. */
async function hub(
  cloud: MockCloud,
  options: { shareWith?: string[]; autoAccept?: boolean } = {},
): Promise<Hub> {
  const out = await run(cloud, 'tgw', () => {
    const tgw = new aws.ec2transitgateway.TransitGateway('hub', {
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      autoAcceptSharedAttachments: options.autoAccept ? 'enable' : 'disable',
    });
    const rt = new aws.ec2transitgateway.RouteTable('hub-spoke', { transitGatewayId: tgw.id });
    if (options.shareWith) {
      const share = new aws.ram.ResourceShare('hub', { name: 'hub-share', allowExternalPrincipals: false });
      new aws.ram.ResourceAssociation('hub', { resourceArn: tgw.arn, resourceShareArn: share.arn });
      options.shareWith.forEach(
        (principal, i) =>
          new aws.ram.PrincipalAssociation(`hub-${i}`, { principal, resourceShareArn: share.arn }),
      );
    }
    return { tgwId: tgw.id, rtId: rt.id };
  });
  return out as unknown as Hub;
}

/** A team's VPC with one subnet, built through `provider`. */
function teamVpc(provider: aws.Provider, n = 20) {
  const vpc = new aws.ec2.Vpc('vpc', { cidrBlock: `10.${n}.0.0/16` }, { provider });
  const subnet = new aws.ec2.Subnet(
    'subnet',
    { vpcId: vpc.id, cidrBlock: `10.${n}.0.0/24`, availabilityZone: 'us-east-1a' },
    { provider },
  );
  const table = new aws.ec2.RouteTable('rt', { vpcId: vpc.id }, { provider });
  new aws.ec2.RouteTableAssociation('rt', { routeTableId: table.id, subnetId: subnet.id }, { provider });
  return { vpc, subnet, table };
}

function attach(provider: aws.Provider, h: Hub, v: ReturnType<typeof teamVpc>, extra = {}) {
  return new aws.ec2transitgateway.VpcAttachment(
    'attachment',
    { transitGatewayId: h.tgwId, vpcId: v.vpc.id, subnetIds: [v.subnet.id], ...extra },
    { provider },
  );
}

describe('a provider acts in the account of its assumed role or its allowed account', () => {
  it('gives each resource the OwnerId of its provider account', async () => {
    const cloud = new MockCloud();
    await run(cloud, 'spoke-a', () => {
      teamVpc(teamProvider(TEAM_A));
      new aws.ec2.Vpc('own', { cidrBlock: '10.30.0.0/16' });
    });
    const snapshot = cloud.toSnapshot();
    const owners = Object.fromEntries(snapshot.Vpcs!.map((v) => [v.CidrBlock, v.OwnerId]));
    expect(owners).toEqual({ '10.20.0.0/16': TEAM_A, '10.30.0.0/16': NETWORK });
    expect(snapshot.Subnets![0].OwnerId).toBe(TEAM_A);
    expect(snapshot.Subnets![0].SubnetArn).toContain(`:${TEAM_A}:subnet/`);
  });

  it('refuses a provider whose account is not among its allowed account ids, like the AWS provider', async () => {
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        const provider = new aws.Provider('aws', { region: 'us-east-1', allowedAccountIds: [TEAM_A] });
        new aws.ec2.Vpc('vpc', { cidrBlock: '10.20.0.0/16' }, { provider });
      }),
    ).rejects.toThrow(`aws provider 'aws': AWS account ID not allowed: ${NETWORK}`);
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        const provider = new aws.Provider('aws', {
          region: 'us-east-1',
          assumeRoles: [{ roleArn: roleIn(TEAM_B) }],
          allowedAccountIds: [TEAM_A],
        });
        new aws.ec2.Vpc('vpc', { cidrBlock: '10.20.0.0/16' }, { provider });
      }),
    ).rejects.toThrow(`AWS account ID not allowed: ${TEAM_B}`);
  });

  it('rejects an assumed role without an IAM role ARN', async () => {
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        new aws.Provider('aws', { region: 'us-east-1', assumeRoles: [{ sessionName: 'x' }] });
      }),
    ).rejects.toThrow('IAM Role ARN not set in assume role 1 of 1');
  });

  it("does not let one account use another account's VPC, subnet or security group", async () => {
    const cloud = new MockCloud();
    const team = (await run(cloud, 'spoke-a', () => {
      const v = teamVpc(teamProvider(TEAM_A));
      return { vpcId: v.vpc.id, subnetId: v.subnet.id, sgId: v.vpc.defaultSecurityGroupId };
    })) as { vpcId: string; subnetId: string; sgId: string };
    await expect(
      run(cloud, 'spoke-b', () => {
        const provider = teamProvider(TEAM_B);
        new aws.ec2.Subnet(
          's',
          { vpcId: team.vpcId, cidrBlock: '10.20.1.0/24', availabilityZone: 'us-east-1a' },
          { provider },
        );
      }),
    ).rejects.toThrow(`InvalidVpcID.NotFound: The vpc ID '${team.vpcId}' does not exist`);
    await expect(
      run(cloud, 'spoke-b', async () => {
        await aws.ec2.getSubnet({ id: team.subnetId }, { provider: teamProvider(TEAM_B) });
      }),
    ).rejects.toThrow(`InvalidSubnetID.NotFound: The subnet ID '${team.subnetId}' does not exist`);
    // Security-group references do not cross accounts: a group id names a group of the caller.
    await expect(
      run(cloud, 'spoke-b', () => {
        const provider = teamProvider(TEAM_B);
        const vpc = new aws.ec2.Vpc('vpc', { cidrBlock: '10.21.0.0/16' }, { provider });
        new aws.ec2.SecurityGroup(
          'sg',
          {
            vpcId: vpc.id,
            ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, securityGroups: [team.sgId] }],
          },
          { provider },
        );
      }),
    ).rejects.toThrow(`InvalidGroup.NotFound: The security group '${team.sgId}' does not exist`);
  });

  it('keeps IAM names per account', async () => {
    const cloud = new MockCloud();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    await run(cloud, 'spoke-a', () => {
      new aws.iam.Role(
        'probe',
        { name: 'probe', assumeRolePolicy: policy },
        { provider: teamProvider(TEAM_A) },
      );
      new aws.iam.Role(
        'probe-b',
        { name: 'probe', assumeRolePolicy: policy },
        { provider: teamProvider(TEAM_B, 'b') },
      );
    });
    await expect(
      run(cloud, 'spoke-c', () => {
        new aws.iam.Role(
          'again',
          { name: 'probe', assumeRolePolicy: policy },
          { provider: teamProvider(TEAM_A) },
        );
      }),
    ).rejects.toThrow('EntityAlreadyExists: Role with name probe already exists.');
  });
});

describe('sharing a transit gateway across accounts', () => {
  it('rejects an attachment to a gateway that is not shared with the account, naming account and share', async () => {
    const cloud = new MockCloud();
    const unshared = await hub(cloud);
    await expect(
      run(cloud, 'spoke-a', () => {
        const provider = teamProvider(TEAM_A);
        attach(provider, unshared, teamVpc(provider));
      }),
    ).rejects.toThrow(
      `InvalidTransitGatewayID.NotFound: Transit Gateway ${unshared.tgwId} was deleted or does not exist. ` +
        `(it belongs to account ${NETWORK} and is not shared with account ${TEAM_A} through AWS RAM: ` +
        `no resource share of account ${NETWORK} includes it)`,
    );
  });

  it('names the share and its principals when the account is not among them', async () => {
    const cloud = new MockCloud();
    const shared = await hub(cloud, { shareWith: [TEAM_A, TEAM_B] });
    const err = await run(cloud, 'spoke-x', () => {
      const provider = teamProvider(OUTSIDER);
      attach(provider, shared, teamVpc(provider));
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      new RegExp(
        `not shared with account ${OUTSIDER} through AWS RAM: resource share hub-share \\(arn:aws:ram:us-east-1:${NETWORK}:resource-share/[0-9a-f-]+\\) shares it with ${TEAM_A}, ${TEAM_B}`,
      ),
    );
  });

  it('lets an organization share reach every account (the mock cloud does not know the members)', async () => {
    const cloud = new MockCloud();
    const shared = await hub(cloud, { shareWith: [ORGANIZATION] });
    await run(cloud, 'spoke-x', () => {
      const provider = teamProvider(OUTSIDER);
      attach(provider, shared, teamVpc(provider));
    });
    expect(cloud.toSnapshot().TransitGatewayVpcAttachments![0].State).toBe('pendingAcceptance');
  });

  it('rejects a principal that is neither an account id nor an organization or OU ARN', async () => {
    await expect(hub(new MockCloud(), { shareWith: ['team-a'] })).rejects.toThrow(
      'InvalidParameterException: principal "team-a" is not an AWS account id, organization ARN or organizational unit ARN',
    );
  });

  it("does not let an account share another account's gateway", async () => {
    const cloud = new MockCloud();
    await hub(cloud);
    const tgwArn = cloud.toSnapshot().TransitGateways![0].TransitGatewayArn!;
    await expect(
      run(cloud, 'spoke-a', () => {
        const provider = teamProvider(TEAM_A);
        const share = new aws.ram.ResourceShare('s', { name: 'steal' }, { provider });
        new aws.ram.ResourceAssociation(
          's',
          { resourceArn: tgwArn, resourceShareArn: share.arn },
          { provider },
        );
      }),
    ).rejects.toThrow(
      `UnknownResourceException: The resource ${tgwArn} could not be found in account ${TEAM_A}.`,
    );
  });
});

describe('a shared attachment waits for the owner', () => {
  it('stays pendingAcceptance without the accepter: no association, no route to the gateway', async () => {
    const cloud = new MockCloud();
    const h = await hub(cloud, { shareWith: [TEAM_A] });
    const out = (await run(cloud, 'spoke-a', () => {
      const provider = teamProvider(TEAM_A);
      const v = teamVpc(provider);
      const att = attach(provider, h, v);
      return { attachmentId: att.id, tableId: v.table.id };
    })) as { attachmentId: string; tableId: string };
    const snapshot = cloud.toSnapshot();
    expect(snapshot.TransitGatewayVpcAttachments![0]).toMatchObject({
      State: 'pendingAcceptance',
      VpcOwnerId: TEAM_A,
    });
    expect(snapshot.TransitGatewayAttachments![0]).toMatchObject({
      TransitGatewayOwnerId: NETWORK,
      ResourceOwnerId: TEAM_A,
    });
    await expect(
      run(cloud, 'spoke-a-assoc', () => {
        new aws.ec2transitgateway.RouteTableAssociation(
          'assoc',
          { transitGatewayAttachmentId: out.attachmentId, transitGatewayRouteTableId: h.rtId },
          { provider: networkProvider() },
        );
      }),
    ).rejects.toThrow(
      `IncorrectState: Transit Gateway Attachment ${out.attachmentId} is in state pendingAcceptance, not available`,
    );
    await expect(
      run(cloud, 'spoke-a-route', () => {
        new aws.ec2.Route(
          'default',
          { routeTableId: out.tableId, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: h.tgwId },
          { provider: teamProvider(TEAM_A) },
        );
      }),
    ).rejects.toThrow(
      `InvalidTransitGatewayID.NotFound: transit gateway ${h.tgwId}: attachment ${out.attachmentId} of VPC`,
    );
  });

  it('becomes available when the owner accepts it; then only the owner associates and propagates', async () => {
    const cloud = new MockCloud();
    const h = await hub(cloud, { shareWith: [TEAM_A] });
    await run(cloud, 'spoke-a', () => {
      const provider = teamProvider(TEAM_A);
      const network = networkProvider();
      const v = teamVpc(provider);
      const att = attach(provider, h, v);
      const accepted = new aws.ec2transitgateway.VpcAttachmentAccepter(
        'accept',
        {
          transitGatewayAttachmentId: att.id,
          transitGatewayDefaultRouteTableAssociation: false,
          transitGatewayDefaultRouteTablePropagation: false,
        },
        { provider: network },
      );
      new aws.ec2transitgateway.RouteTableAssociation(
        'assoc',
        { transitGatewayAttachmentId: accepted.id, transitGatewayRouteTableId: h.rtId },
        { provider: network },
      );
      new aws.ec2transitgateway.RouteTablePropagation(
        'prop',
        { transitGatewayAttachmentId: accepted.id, transitGatewayRouteTableId: h.rtId },
        { provider: network },
      );
      new aws.ec2.Route(
        'default',
        { routeTableId: v.table.id, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: h.tgwId },
        { provider, dependsOn: [accepted] },
      );
    });
    const snapshot = cloud.toSnapshot();
    expect(snapshot.TransitGatewayVpcAttachments![0].State).toBe('available');
    expect(snapshot.TransitGatewayRouteTableAssociations![h.rtId]).toHaveLength(1);
    expect(snapshot.TransitGatewayRoutes![h.rtId]).toEqual([
      expect.objectContaining({ DestinationCidrBlock: '10.20.0.0/16', Type: 'propagated' }),
    ]);
    expect(new Set(snapshot.Vpcs!.map((v) => v.OwnerId))).toEqual(new Set([TEAM_A]));
    expect(snapshot.TransitGateways![0].OwnerId).toBe(NETWORK);
  });

  it('refuses association and propagation by the requesting account', async () => {
    const cloud = new MockCloud();
    const h = await hub(cloud, { shareWith: [TEAM_A] });
    for (const type of ['association', 'propagation'] as const) {
      await expect(
        run(cloud, `spoke-a-${type}`, () => {
          const provider = teamProvider(TEAM_A);
          const att = attach(provider, h, teamVpc(provider, type === 'association' ? 40 : 41));
          const accepted = new aws.ec2transitgateway.VpcAttachmentAccepter(
            'accept',
            {
              transitGatewayAttachmentId: att.id,
              transitGatewayDefaultRouteTableAssociation: false,
              transitGatewayDefaultRouteTablePropagation: false,
            },
            { provider: networkProvider() },
          );
          const Resource =
            type === 'association'
              ? aws.ec2transitgateway.RouteTableAssociation
              : aws.ec2transitgateway.RouteTablePropagation;
          new Resource(
            type,
            { transitGatewayAttachmentId: accepted.id, transitGatewayRouteTableId: h.rtId },
            { provider },
          );
        }),
      ).rejects.toThrow(
        `InvalidRouteTableID.NotFound: Transit Gateway Route Table ${h.rtId} was deleted or does not exist. ` +
          `(it belongs to account ${NETWORK}, which owns the transit gateway`,
      );
    }
  });

  it('refuses acceptance by the requesting account and of an attachment that needs none', async () => {
    const cloud = new MockCloud();
    const h = await hub(cloud, { shareWith: [TEAM_A] });
    await expect(
      run(cloud, 'spoke-a', () => {
        const provider = teamProvider(TEAM_A);
        const att = attach(provider, h, teamVpc(provider));
        new aws.ec2transitgateway.VpcAttachmentAccepter(
          'accept',
          {
            transitGatewayAttachmentId: att.id,
            transitGatewayDefaultRouteTableAssociation: false,
            transitGatewayDefaultRouteTablePropagation: false,
          },
          { provider },
        );
      }),
    ).rejects.toThrow(/InvalidParameterValue: Cannot accept tgw-attach-[0-9a-f]+: only the owner of tgw-/);

    const auto = new MockCloud();
    const ah = await hub(auto, { shareWith: [TEAM_A], autoAccept: true });
    await expect(
      run(auto, 'spoke-a', () => {
        const provider = teamProvider(TEAM_A);
        const att = attach(provider, ah, teamVpc(provider));
        new aws.ec2transitgateway.VpcAttachmentAccepter(
          'accept',
          {
            transitGatewayAttachmentId: att.id,
            transitGatewayDefaultRouteTableAssociation: false,
            transitGatewayDefaultRouteTablePropagation: false,
          },
          { provider: networkProvider() },
        );
      }),
    ).rejects.toThrow(
      /IncorrectState: Transit Gateway Attachment tgw-attach-[0-9a-f]+ is in state available/,
    );
    expect(auto.toSnapshot().TransitGatewayVpcAttachments![0].State).toBe('available');
  });

  it('rejects default-table flags the provider cannot keep across accounts (a change on every preview)', async () => {
    const cloud = new MockCloud();
    const h = await hub(cloud, { shareWith: [TEAM_A] });
    await expect(
      run(cloud, 'spoke-a', () => {
        const provider = teamProvider(TEAM_A);
        attach(provider, h, teamVpc(provider), { transitGatewayDefaultRouteTableAssociation: false });
      }),
    ).rejects.toThrow('transitGatewayDefaultRouteTableAssociation is false, but');
    await expect(
      run(cloud, 'spoke-b', () => {
        const provider = teamProvider(TEAM_A, 'aws-b');
        const att = attach(provider, h, teamVpc(provider, 21));
        new aws.ec2transitgateway.VpcAttachmentAccepter(
          'accept',
          { transitGatewayAttachmentId: att.id },
          { provider: networkProvider() },
        );
      }),
    ).rejects.toThrow('transitGatewayDefaultRouteTableAssociation is true (the default), but');
  });
});
