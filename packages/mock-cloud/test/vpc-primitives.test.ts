/**
 * Plain VPC building blocks (no awsx): the account's CreateVpc / CreateSubnet / CreateRouteTable /
 * AssociateRouteTable rules apply, and what they create shows up in the snapshot.
 */
import * as aws from '@pulumi/aws';
import { buildNetworkModel, ipToInt } from '@hubspoke/netmodel';
import { MockCloud } from '../src';
import { run } from './helpers';

const AZS = ['us-east-1a', 'us-east-1b'];

function isolatedVpc() {
  const vpc = new aws.ec2.Vpc('v', { cidrBlock: '10.9.0.0/24', tags: { Name: 'v' } });
  const subnets = AZS.map(
    (az, i) =>
      new aws.ec2.Subnet(`s${i}`, { vpcId: vpc.id, cidrBlock: `10.9.0.${i * 128}/25`, availabilityZone: az }),
  );
  const table = new aws.ec2.RouteTable('rt', { vpcId: vpc.id });
  const assoc = subnets.map(
    (s, i) => new aws.ec2.RouteTableAssociation(`a${i}`, { routeTableId: table.id, subnetId: s.id }),
  );
  return { vpc, subnets, table, assoc };
}

describe('plain VPC, subnets and route tables', () => {
  it('creates them with a main table, an explicit association per subnet and no internet gateway', async () => {
    const cloud = new MockCloud();
    const outputs = await run(cloud, 'spoke-a', () => {
      const { vpc, subnets, table, assoc } = isolatedVpc();
      return {
        vpcId: vpc.id,
        subnetIds: subnets.map((s) => s.id),
        tableId: table.id,
        assocIds: assoc.map((a) => a.id),
      };
    });
    const snapshot = cloud.toSnapshot();
    const vpcId = outputs.vpcId as string;
    expect(snapshot.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
    expect(snapshot.Subnets?.map((s) => [s.CidrBlock, s.AvailabilityZone, s.MapPublicIpOnLaunch])).toEqual([
      ['10.9.0.0/25', 'us-east-1a', false],
      ['10.9.0.128/25', 'us-east-1b', false],
    ]);
    const table = snapshot.RouteTables?.find((t) => t.RouteTableId === outputs.tableId);
    expect(table?.Associations?.map((a) => a.SubnetId)).toEqual(outputs.subnetIds);
    expect(table?.Routes).toEqual([
      expect.objectContaining({ DestinationCidrBlock: '10.9.0.0/24', GatewayId: 'local' }),
    ]);
    expect(
      snapshot.RouteTables?.filter((t) => t.VpcId === vpcId && t.Associations?.some((a) => a.Main)),
    ).toHaveLength(1);
    expect(snapshot.InternetGateways ?? []).toEqual([]);
  });

  it('requires an explicit AZ for a subnet', async () => {
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        const vpc = new aws.ec2.Vpc('v', { cidrBlock: '10.9.0.0/24' });
        return { id: new aws.ec2.Subnet('s', { vpcId: vpc.id, cidrBlock: '10.9.0.0/25' }).id };
      }),
    ).rejects.toThrow('availabilityZone is required');
  });

  it('rejects a subnet outside its VPC and a second association of one subnet', async () => {
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        const vpc = new aws.ec2.Vpc('v', { cidrBlock: '10.9.0.0/24' });
        return {
          id: new aws.ec2.Subnet('s', {
            vpcId: vpc.id,
            cidrBlock: '10.8.0.0/25',
            availabilityZone: 'us-east-1a',
          }).id,
        };
      }),
    ).rejects.toThrow("InvalidSubnet.Range: The CIDR '10.8.0.0/25' is invalid for VPC");
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        const { subnets, table } = isolatedVpc();
        return {
          id: new aws.ec2.RouteTableAssociation('again', { routeTableId: table.id, subnetId: subnets[0].id })
            .id,
        };
      }),
    ).rejects.toThrow('Resource.AlreadyAssociated');
  });

  it('refuses inline routes, which would skip the route checks', async () => {
    await expect(
      run(new MockCloud(), 'spoke-a', () => {
        const vpc = new aws.ec2.Vpc('v', { cidrBlock: '10.9.0.0/24' });
        return {
          id: new aws.ec2.RouteTable('rt', {
            vpcId: vpc.id,
            routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: 'igw-1' }],
          }).id,
        };
      }),
    ).rejects.toThrow('inline routes are not emulated; use aws.ec2.Route resources');
  });
});

describe('gateway endpoints and VPC attributes in the snapshot', () => {
  it('a gateway endpoint routes its AWS-managed prefix list, listed with its entries; the model resolves it', async () => {
    const cloud = new MockCloud();
    const outputs = await run(cloud, 'spoke-a', () => {
      const { vpc, table } = isolatedVpc();
      const s3 = new aws.ec2.VpcEndpoint('s3', {
        vpcId: vpc.id,
        serviceName: 'com.amazonaws.us-east-1.s3',
        vpcEndpointType: 'Gateway',
        routeTableIds: [table.id],
      });
      return { tableId: table.id, endpointId: s3.id, prefixListId: s3.prefixListId, vpcId: vpc.id };
    });
    const snapshot = cloud.toSnapshot();
    const pl = outputs.prefixListId as string;
    expect(pl).toMatch(/^pl-[0-9a-f]{8}$/);
    expect(snapshot.ManagedPrefixLists).toEqual([
      expect.objectContaining({
        PrefixListId: pl,
        PrefixListName: 'com.amazonaws.us-east-1.s3',
        OwnerId: 'AWS',
        AddressFamily: 'IPv4',
      }),
    ]);
    expect(snapshot.ManagedPrefixListEntries).toEqual({ [pl]: [{ Cidr: '192.0.2.128/26' }] });
    const table = snapshot.RouteTables!.find((t) => t.RouteTableId === outputs.tableId)!;
    expect(table.Routes).toContainEqual(
      expect.objectContaining({ DestinationPrefixListId: pl, GatewayId: outputs.endpointId }),
    );
    // The model turns the prefix-list route into a route per entry, toward the endpoint.
    const model = buildNetworkModel(snapshot);
    const routes = model.routeTables.get(outputs.tableId as string)!.routes.lookup(ipToInt('192.0.2.130'));
    expect(routes.map((r) => [r.prefixListId, r.target])).toEqual([
      [pl, { kind: 'vpce', id: outputs.endpointId }],
    ]);
  });

  it('lists every VPC with its DNS attributes, as DescribeVpcAttribute reports them', async () => {
    const cloud = new MockCloud();
    await run(cloud, 'spoke-a', () => {
      new aws.ec2.Vpc('plain', { cidrBlock: '10.9.0.0/24' });
      new aws.ec2.Vpc('dns', { cidrBlock: '10.8.0.0/24', enableDnsHostnames: true });
      new aws.ec2.Vpc('off', { cidrBlock: '10.7.0.0/24', enableDnsSupport: false });
      return {};
    });
    const snapshot = cloud.toSnapshot();
    const byCidr = (cidr: string) => {
      const vpc = snapshot.Vpcs!.find((v) => v.CidrBlock === cidr)!;
      const a = snapshot.VpcAttributes!.find((x) => x.VpcId === vpc.VpcId)!;
      return [a.EnableDnsSupport?.Value, a.EnableDnsHostnames?.Value];
    };
    // AWS defaults: DNS resolution on, DNS hostnames off (for a non-default VPC).
    expect(byCidr('10.9.0.0/24')).toEqual([true, false]);
    expect(byCidr('10.8.0.0/24')).toEqual([true, true]);
    expect(byCidr('10.7.0.0/24')).toEqual([false, false]);
    expect(snapshot.VpcAttributes).toHaveLength(3);
  });
});
