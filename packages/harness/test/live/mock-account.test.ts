/**
 * The mocked AWS account is strict the way EC2 is: an unknown filter name, a value outside a
 * documented enumeration or too many values is an error, never "matches everything", so a typo in
 * the AWS reader fails a test. And the real reader still reads the whole fixture through it.
 */
import {
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
  SearchTransitGatewayRoutesCommand,
  type SearchTransitGatewayRoutesCommandInput,
} from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../src/live/aws-clients';
import { readAwsSnapshot } from '../../src/live/aws-snapshot';
import { serveSnapshot } from '../../src/live/testing/mock-account';

const ec2Mock = mockClient(EC2Client);
const nfwMock = mockClient(NetworkFirewallClient);
const snapshot = buildHubSpokeSnapshot({ tgwBlackholeCidrs: ['10.9.0.0/16'] });
const fast = { attempts: 1, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const ec2 = new EC2Client({ region: 'us-east-1' });

beforeEach(() => {
  ec2Mock.reset();
  nfwMock.reset();
  serveSnapshot(snapshot, ec2Mock, nfwMock);
});

describe('filters', () => {
  it('an unknown filter name is InvalidParameterValue, as EC2 answers it', async () => {
    await expect(
      ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-idd', Values: ['vpc-spoke-a'] }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'vpc-idd' is invalid" });
  });

  it('a filter another call knows is still unknown here', async () => {
    await expect(
      ec2.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: 'tgw-rtb-spoke',
          Filters: [{ Name: 'vpc-id', Values: ['vpc-spoke-a'] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'vpc-id' is invalid" });
  });

  it('a value outside the documented enumeration is rejected, naming it', async () => {
    await expect(
      ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['runing'] }] }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining("does not accept the value 'runing'"),
    });
  });

  it('more than 200 values, or a value over 255 characters, is FilterLimitExceeded', async () => {
    const many = Array.from({ length: 201 }, (_, i) => `vpc-${i}`);
    await expect(
      ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: many }] })),
    ).rejects.toMatchObject({
      name: 'FilterLimitExceeded',
      message: 'The maximum number of filter values specified on a single call is 200',
    });
    await expect(
      ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['x'.repeat(256)] }] })),
    ).rejects.toMatchObject({ name: 'FilterLimitExceeded' });
  });

  it('known filters filter: tags, ids and enumerations', async () => {
    const vpcs = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:hubspoke:stack', Values: ['spoke-b'] }] }),
    );
    expect(vpcs.Vpcs?.map((v) => v.VpcId)).toEqual(['vpc-spoke-b']);
    const stopped = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }),
    );
    expect(stopped.Reservations).toEqual([]);
    const blackholes = await ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: 'tgw-rtb-spoke',
        Filters: [{ Name: 'state', Values: ['blackhole'] }],
      }),
    );
    expect(blackholes.Routes?.map((r) => r.DestinationCidrBlock)).toEqual(['10.9.0.0/16']);
  });

  it('SearchTransitGatewayRoutes without filters is MissingParameter', async () => {
    await expect(
      // The SDK's types require Filters too; the cast stands for a caller that gets around them.
      ec2.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: 'tgw-rtb-spoke',
        } as SearchTransitGatewayRoutesCommandInput),
      ),
    ).rejects.toMatchObject({ name: 'MissingParameter' });
  });
});

it('the AWS reader reads the whole account through the strict mock', async () => {
  const read = await readAwsSnapshot({
    env: 'dev',
    region: 'us-east-1',
    clients: createAwsClients('us-east-1', fast),
  });
  expect(read.Vpcs?.map((v) => v.VpcId).sort()).toEqual(snapshot.Vpcs!.map((v) => v.VpcId).sort());
  expect(read.Instances?.length).toBe(snapshot.Instances!.length);
  expect(read.TransitGatewayRoutes).toEqual(snapshot.TransitGatewayRoutes);
});
