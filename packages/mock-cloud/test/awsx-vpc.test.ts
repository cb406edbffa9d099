import * as awsx from '@pulumi/awsx';
import { MockCloud } from '../src';
import { run } from './helpers';

const AZS = ['us-east-1a', 'us-east-1b'];

/** Public /26 + private /26 + isolated /25 per AZ, tiling 10.0.0.0/23 with no gap. */
function inspectionLike(overrides: Partial<awsx.ec2.VpcArgs> = {}): awsx.ec2.VpcArgs {
  return {
    cidrBlock: '10.0.0.0/23',
    availabilityZoneNames: AZS,
    subnetStrategy: 'Exact',
    natGateways: { strategy: 'OnePerAz' },
    enableDnsHostnames: true,
    subnetSpecs: [
      { type: 'Public', name: 'public', cidrBlocks: ['10.0.0.0/26', '10.0.1.0/26'] },
      { type: 'Private', name: 'firewall', cidrBlocks: ['10.0.0.64/26', '10.0.1.64/26'] },
      { type: 'Isolated', name: 'tgw', cidrBlocks: ['10.0.0.128/25', '10.0.1.128/25'] },
    ],
    tags: { team: 'net' },
    ...overrides,
  };
}

async function build(args: awsx.ec2.VpcArgs, cloud = new MockCloud()) {
  const outputs = await run(cloud, 'inspection', () => {
    const vpc = new awsx.ec2.Vpc('insp', args);
    return {
      vpcId: vpc.vpcId,
      publicSubnetIds: vpc.publicSubnetIds,
      privateSubnetIds: vpc.privateSubnetIds,
      isolatedSubnetIds: vpc.isolatedSubnetIds,
      subnetLayout: vpc.subnetLayout,
    };
  });
  return { cloud, outputs, snapshot: cloud.toSnapshot() };
}

describe('awsx:ec2:Vpc emulation', () => {
  it('creates the VPC, IGW, subnets, route tables, associations, NAT + EIP per AZ', async () => {
    const { outputs, snapshot } = await build(inspectionLike());
    expect(snapshot.Vpcs).toHaveLength(1);
    expect(snapshot.Vpcs![0].CidrBlock).toBe('10.0.0.0/23');
    expect(snapshot.InternetGateways).toHaveLength(1);
    expect(snapshot.Subnets).toHaveLength(6);
    // main table + one per subnet
    expect(snapshot.RouteTables).toHaveLength(7);
    expect(snapshot.NatGateways).toHaveLength(2);
    expect(snapshot.Addresses).toHaveLength(2);
    const eips = snapshot.Addresses!.map((a) => a.PublicIp!);
    expect(new Set(eips).size).toBe(2);
    for (const ip of eips) expect(ip).toMatch(/^(198\.51\.100|203\.0\.113)\.\d+$/);
    expect(snapshot.NatGateways!.map((n) => n.NatGatewayAddresses![0].PublicIp).sort()).toEqual(
      [...eips].sort(),
    );
    const publicIds = outputs.publicSubnetIds as string[];
    const natSubnets = snapshot.NatGateways!.map((n) => n.SubnetId);
    expect([...natSubnets].sort()).toEqual([...publicIds].sort());
    expect(outputs.vpcId).toBe(snapshot.Vpcs![0].VpcId);
    expect(outputs.subnetLayout).toEqual([
      { type: 'Public', name: 'public', cidrBlocks: ['10.0.0.0/26', '10.0.1.0/26'] },
      { type: 'Private', name: 'firewall', cidrBlocks: ['10.0.0.64/26', '10.0.1.64/26'] },
      { type: 'Isolated', name: 'tgw', cidrBlocks: ['10.0.0.128/25', '10.0.1.128/25'] },
    ]);
  });

  it('orders subnet id outputs AZ first, then by type, and tags subnets as awsx does', async () => {
    const { outputs, snapshot } = await build(inspectionLike());
    const byId = new Map(snapshot.Subnets!.map((s) => [s.SubnetId!, s]));
    const describe = (ids: unknown) =>
      (ids as string[]).map((id) => `${byId.get(id)!.AvailabilityZone} ${byId.get(id)!.CidrBlock}`);
    expect(describe(outputs.publicSubnetIds)).toEqual(['us-east-1a 10.0.0.0/26', 'us-east-1b 10.0.1.0/26']);
    expect(describe(outputs.privateSubnetIds)).toEqual([
      'us-east-1a 10.0.0.64/26',
      'us-east-1b 10.0.1.64/26',
    ]);
    expect(describe(outputs.isolatedSubnetIds)).toEqual([
      'us-east-1a 10.0.0.128/25',
      'us-east-1b 10.0.1.128/25',
    ]);
    const tgwSubnet = byId.get((outputs.isolatedSubnetIds as string[])[1])!;
    expect(tgwSubnet.Tags).toEqual([
      { Key: 'Name', Value: 'insp-tgw-2' },
      { Key: 'SubnetType', Value: 'Isolated' },
      { Key: 'team', Value: 'net' },
    ]);
    expect(byId.get((outputs.publicSubnetIds as string[])[0])!.MapPublicIpOnLaunch).toBe(true);
    expect(tgwSubnet.MapPublicIpOnLaunch).toBe(false);
  });

  it('routes public -> IGW, private -> NAT of the same AZ, isolated -> local only', async () => {
    const { outputs, snapshot } = await build(inspectionLike());
    const tableOf = (subnetId: string) =>
      snapshot.RouteTables!.find((t) => t.Associations!.some((a) => a.SubnetId === subnetId))!;
    const igwId = snapshot.InternetGateways![0].InternetGatewayId;
    const natBySubnet = new Map(snapshot.NatGateways!.map((n) => [n.SubnetId, n.NatGatewayId]));
    const [pubA, pubB] = outputs.publicSubnetIds as string[];
    const [privA, privB] = outputs.privateSubnetIds as string[];
    const [isoA] = outputs.isolatedSubnetIds as string[];
    const defaultRoute = (subnetId: string) =>
      tableOf(subnetId).Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
    expect(defaultRoute(pubA)).toMatchObject({ GatewayId: igwId, State: 'active', Origin: 'CreateRoute' });
    expect(defaultRoute(privA)!.NatGatewayId).toBe(natBySubnet.get(pubA));
    expect(defaultRoute(privB)!.NatGatewayId).toBe(natBySubnet.get(pubB));
    expect(tableOf(isoA).Routes).toEqual([
      {
        DestinationCidrBlock: '10.0.0.0/23',
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      },
    ]);
  });

  it('uses one NAT in the first AZ for the Single strategy', async () => {
    const { outputs, snapshot } = await build(inspectionLike({ natGateways: { strategy: 'Single' } }));
    expect(snapshot.NatGateways).toHaveLength(1);
    const nat = snapshot.NatGateways![0];
    expect(nat.SubnetId).toBe((outputs.publicSubnetIds as string[])[0]);
    const privB = (outputs.privateSubnetIds as string[])[1];
    const table = snapshot.RouteTables!.find((t) => t.Associations!.some((a) => a.SubnetId === privB))!;
    expect(table.Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')!.NatGatewayId).toBe(
      nat.NatGatewayId,
    );
  });

  it('rejects gaps under Exact with awsx validateNoGaps message (AZ-major order)', async () => {
    // Per-type blocks are contiguous but the AZ-major walk (a-public, a-private, a-isolated, b-...) is not.
    const args = inspectionLike({
      subnetSpecs: [
        { type: 'Public', cidrBlocks: ['10.0.0.0/26', '10.0.0.64/26'] },
        { type: 'Private', cidrBlocks: ['10.0.0.128/26', '10.0.0.192/26'] },
        { type: 'Isolated', cidrBlocks: ['10.0.1.0/25', '10.0.1.128/25'] },
      ],
    });
    await expect(build(args)).rejects.toThrow(
      'There are gaps in the subnet ranges. Please fix the following gaps: insp-public-1 (10.0.0.0/26) <=> insp-private-1 (10.0.0.128/26)',
    );
  });

  it('rejects a layout that does not reach the end of the VPC under Exact', async () => {
    const args = inspectionLike({ cidrBlock: '10.0.0.0/22' });
    await expect(build(args)).rejects.toThrow(
      'insp-tgw-2 (ending 10.0.1.254) ends before VPC ends (at 10.0.3.254})',
    );
  });

  it('accepts the same gap under Auto (no gap validation)', async () => {
    const { snapshot } = await build(inspectionLike({ cidrBlock: '10.0.0.0/22', subnetStrategy: 'Auto' }));
    expect(snapshot.Subnets).toHaveLength(6);
  });

  it('requires public plus private/isolated subnets for OnePerAz', async () => {
    const args = inspectionLike({
      cidrBlock: '10.0.0.0/24',
      subnetSpecs: [{ type: 'Isolated', cidrBlocks: ['10.0.0.0/25', '10.0.0.128/25'] }],
    });
    await expect(build(args)).rejects.toThrow(
      "If NAT Gateway strategy is 'OnePerAz' or 'Single', public subnets must be declared to host the NAT Gateway resource",
    );
  });

  it('accepts isolated-only spokes with NAT strategy None and creates no NAT', async () => {
    const { snapshot, outputs } = await build(
      inspectionLike({
        cidrBlock: '10.0.0.0/24',
        natGateways: { strategy: 'None' },
        subnetSpecs: [{ type: 'Isolated', name: 'workload', cidrBlocks: ['10.0.0.0/25', '10.0.0.128/25'] }],
      }),
    );
    expect(snapshot.NatGateways).toEqual([]);
    expect(snapshot.InternetGateways).toHaveLength(1); // awsx creates the IGW unconditionally
    expect(outputs.publicSubnetIds).toEqual([]);
  });

  it('counts Unused specs in the Exact tiling but creates no subnet for them', async () => {
    const { snapshot, outputs } = await build(
      inspectionLike({
        cidrBlock: '10.0.0.0/24',
        natGateways: { strategy: 'None' },
        subnetSpecs: [
          { type: 'Isolated', name: 'workload', cidrBlocks: ['10.0.0.0/26', '10.0.0.128/26'] },
          { type: 'Unused', cidrBlocks: ['10.0.0.64/26', '10.0.0.192/26'] },
        ],
      }),
    );
    expect(snapshot.Subnets!.map((s) => s.CidrBlock).sort()).toEqual(['10.0.0.0/26', '10.0.0.128/26']);
    expect(outputs.isolatedSubnetIds).toHaveLength(2);
  });

  it('rejects a cidrBlocks count different from the AZ count', async () => {
    const args = inspectionLike({
      subnetSpecs: [
        { type: 'Public', cidrBlocks: ['10.0.0.0/26'] },
        { type: 'Private', cidrBlocks: ['10.0.0.64/26', '10.0.1.64/26'] },
      ],
    });
    await expect(build(args)).rejects.toThrow(
      'The number of CIDR blocks in subnetSpecs[0] must match the number of availability zones (2).',
    );
  });

  it('rejects mixing explicit and implicit specs', async () => {
    const args = inspectionLike({
      subnetSpecs: [
        { type: 'Public', cidrBlocks: ['10.0.0.0/26', '10.0.1.0/26'] },
        { type: 'Private', cidrMask: 26 },
      ],
    });
    await expect(build(args)).rejects.toThrow(
      'If any subnet spec has explicit cidrBlocks, all subnets must have explicit cidrBlocks.',
    );
  });

  it('rejects overlapping subnets naming them', async () => {
    const args = inspectionLike({
      subnetStrategy: 'Auto',
      subnetSpecs: [
        { type: 'Public', cidrBlocks: ['10.0.0.0/26', '10.0.1.0/26'] },
        { type: 'Private', cidrBlocks: ['10.0.0.0/27', '10.0.1.64/26'] },
      ],
    });
    await expect(build(args)).rejects.toThrow(
      /overlap with at least one other subnet[\s\S]*insp-public-1: 10.0.0.0\/26/,
    );
  });

  it('rejects an AZ outside the region, naming it', async () => {
    await expect(
      build(inspectionLike({ availabilityZoneNames: ['us-east-1a', 'eu-west-1b'] })),
    ).rejects.toThrow("availability zone 'eu-west-1b' is not in region us-east-1");
  });

  it('rejects the Legacy strategy, which ignores explicit cidrBlocks', async () => {
    await expect(build(inspectionLike({ subnetStrategy: 'Legacy' }))).rejects.toThrow(
      'emulates only explicit layouts',
    );
  });

  it('merges the aws provider default tags into the children', async () => {
    const cloud = new MockCloud();
    const aws = await import('@pulumi/aws');
    await run(cloud, 'spoke-a', () => {
      const provider = new aws.Provider('aws', {
        region: 'us-east-1',
        defaultTags: { tags: { 'hubspoke:env': 'dev' } },
      });
      const vpc = new awsx.ec2.Vpc('spoke', inspectionLike({ natGateways: { strategy: 'None' } }), {
        providers: [provider],
      });
      return { vpcId: vpc.vpcId };
    });
    const snapshot = cloud.toSnapshot();
    expect(snapshot.Vpcs![0].Tags).toEqual([
      { Key: 'Name', Value: 'spoke' },
      { Key: 'hubspoke:env', Value: 'dev' },
      { Key: 'team', Value: 'net' },
    ]);
    expect(snapshot.Subnets!.every((s) => s.Tags!.some((t) => t.Key === 'hubspoke:env'))).toBe(true);
  });
});
