/** SDK-facing modules against aws-sdk-client-mock: readiness gates, SSM probe, throttling, pagination. */
import {
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeVpcsCommand,
  EC2Client,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { DescribeFirewallCommand, NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SSMClient,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../src/live/aws-clients';
import { manualClock } from '../../src/live/clock';
import { TimeoutError } from '../../src/live/errors';
import { waitForFirewall, waitForNatGateways, waitForProbesOnline } from '../../src/live/readiness';
import { SsmProbe } from '../../src/live/ssm-probe';
import type { ProbeHost } from '../../src/probe';

const ec2Mock = mockClient(EC2Client);
const ssmMock = mockClient(SSMClient);
const nfwMock = mockClient(NetworkFirewallClient);
const fast = { attempts: 4, startingDelayMs: 0, maxDelayMs: 0, jitter: false };
const throttle = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
const clients = () => createAwsClients('us-east-1', fast);

beforeEach(() => {
  ec2Mock.reset();
  ssmMock.reset();
  nfwMock.reset();
});

describe('throttle-retrying clients', () => {
  it('retry a throttled page and still walk every page of an SDK paginator', async () => {
    ec2Mock
      .on(DescribeVpcsCommand)
      .rejectsOnce(throttle())
      .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-1' }], NextToken: 't1' })
      .rejectsOnce(throttle())
      .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-2' }] });
    const ids: string[] = [];
    for await (const page of paginateDescribeVpcs({ client: clients().ec2 }, {}))
      ids.push(...(page.Vpcs ?? []).map((v) => v.VpcId!));
    expect(ids).toEqual(['vpc-1', 'vpc-2']);
    const calls = ec2Mock.commandCalls(DescribeVpcsCommand);
    expect(calls).toHaveLength(4);
    expect(calls[3]!.args[0].input.NextToken).toBe('t1');
  });

  it('do not retry non-throttling errors', async () => {
    ec2Mock
      .on(DescribeVpcsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    await expect(clients().ec2.send(new DescribeVpcsCommand({}))).rejects.toThrow('denied');
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)).toHaveLength(1);
  });
});

describe('readiness', () => {
  it('waits for the firewall to be READY and IN_SYNC', async () => {
    nfwMock
      .on(DescribeFirewallCommand)
      .resolvesOnce({ FirewallStatus: { Status: 'PROVISIONING', ConfigurationSyncStateSummary: 'PENDING' } })
      .rejectsOnce(throttle())
      .resolvesOnce({ FirewallStatus: { Status: 'READY', ConfigurationSyncStateSummary: 'PENDING' } })
      .resolves({ FirewallStatus: { Status: 'READY', ConfigurationSyncStateSummary: 'IN_SYNC' } });
    const c = clients();
    await waitForFirewall(c.nfw, 'arn:fw', { timeoutMs: 60 * 60_000, clock: manualClock() });
    expect(nfwMock.commandCalls(DescribeFirewallCommand).length).toBeGreaterThanOrEqual(4);
    expect(nfwMock.commandCalls(DescribeFirewallCommand)[0]!.args[0].input).toEqual({
      FirewallArn: 'arn:fw',
    });
  });

  it('times out naming the firewall and its last status', async () => {
    nfwMock
      .on(DescribeFirewallCommand)
      .resolves({ FirewallStatus: { Status: 'PROVISIONING', ConfigurationSyncStateSummary: 'PENDING' } });
    const err = await waitForFirewall(clients().nfw, 'arn:fw', {
      timeoutMs: 20 * 60_000,
      clock: manualClock(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toContain(
      'firewall arn:fw READY and IN_SYNC; last seen: Status=PROVISIONING ConfigurationSyncStateSummary=PENDING',
    );
  });

  it('waits for every NAT gateway and fails at once on a failed one', async () => {
    ec2Mock
      .on(DescribeNatGatewaysCommand)
      .resolvesOnce({
        NatGateways: [
          { NatGatewayId: 'nat-a', State: 'pending' },
          { NatGatewayId: 'nat-b', State: 'available' },
        ],
      })
      .resolves({
        NatGateways: [
          { NatGatewayId: 'nat-a', State: 'available' },
          { NatGatewayId: 'nat-b', State: 'available' },
        ],
      });
    await waitForNatGateways(clients().ec2, ['nat-a', 'nat-b'], { timeoutMs: 600_000, clock: manualClock() });
    expect(ec2Mock.commandCalls(DescribeNatGatewaysCommand)).toHaveLength(2);

    ec2Mock.reset();
    ec2Mock
      .on(DescribeNatGatewaysCommand)
      .resolves({ NatGateways: [{ NatGatewayId: 'nat-a', State: 'failed', FailureMessage: 'EIP limit' }] });
    await expect(
      waitForNatGateways(clients().ec2, ['nat-a'], { timeoutMs: 600_000, clock: manualClock() }),
    ).rejects.toThrow('nat-a failed (EIP limit)');
    expect(ec2Mock.commandCalls(DescribeNatGatewaysCommand)).toHaveLength(1);
  });

  it('waits for probes to be Online in SSM, across pages, and names the laggard on timeout', async () => {
    ssmMock
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({
        InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'Online' }],
        NextToken: 'n',
      })
      .resolvesOnce({ InstanceInformationList: [] })
      .resolves({
        InstanceInformationList: [
          { InstanceId: 'i-a', PingStatus: 'Online' },
          { InstanceId: 'i-b', PingStatus: 'Online' },
        ],
      });
    await waitForProbesOnline(clients().ssm, ['i-a', 'i-b'], { timeoutMs: 600_000, clock: manualClock() });
    expect(ssmMock.commandCalls(DescribeInstanceInformationCommand)[1]!.args[0].input.NextToken).toBe('n');

    ssmMock.reset();
    ssmMock
      .on(DescribeInstanceInformationCommand)
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'Online' }] });
    await expect(
      waitForProbesOnline(clients().ssm, ['i-a', 'i-b'], { timeoutMs: 600_000, clock: manualClock() }),
    ).rejects.toThrow(/online in SSM; last seen: i-a=Online i-b=not registered/);
  });
});

const HOST: ProbeHost = {
  instanceId: 'i-a',
  vpcId: 'vpc-a',
  subnetId: 'subnet-a',
  availabilityZone: 'us-east-1a',
  privateIp: '10.1.0.10',
};
const NONCE = 'HUBSPOKE_n1';
const out = (rc: number, value: string): string =>
  `${NONCE}:RC=${rc}\n${NONCE}:OUT=${value}\n${NONCE}:ERR=\n`;

function probe(): SsmProbe {
  const c = clients();
  return new SsmProbe({
    ec2: c.ec2,
    ssm: c.ssm,
    env: 'it-1',
    clock: manualClock(),
    nonce: () => 'n1',
    commandTimeoutMs: 120_000,
  });
}

describe('SsmProbe', () => {
  it('lists running probes of the env across pages', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: 'i-b',
                VpcId: 'v',
                SubnetId: 's',
                PrivateIpAddress: '10.0.0.2',
                Placement: { AvailabilityZone: 'az' },
              },
            ],
          },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-a', Tags: [{ Key: 'Name', Value: 'probe-a' }] }] }],
      });
    const hosts = await probe().listProbes();
    expect(hosts.map((h) => h.instanceId)).toEqual(['i-a', 'i-b']);
    // A checks file's `probes` selects by instance id or Name tag.
    const c = clients();
    const selected = new SsmProbe({ ec2: c.ec2, ssm: c.ssm, env: 'it-1', select: ['probe-a'] });
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: 'i-a', Tags: [{ Key: 'Name', Value: 'probe-a' }] },
            { InstanceId: 'i-b' },
          ],
        },
      ],
    });
    expect((await selected.listProbes()).map((h) => h.instanceId)).toEqual(['i-a']);
    expect(hosts[0]!.name).toBe('probe-a');
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:hubspoke:env', Values: ['it-1'] },
      { Name: 'tag:hubspoke:role', Values: ['probe'] },
      { Name: 'instance-state-name', Values: ['running'] },
    ]);
  });

  it('observes the egress IP, polling through InvocationDoesNotExist, Pending, InProgress and Delayed', async () => {
    ssmMock
      .on(SendCommandCommand)
      .rejectsOnce(throttle())
      .resolves({ Command: { CommandId: 'cmd-1' } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .rejectsOnce(Object.assign(new Error('not yet'), { name: 'InvocationDoesNotExist' }))
      .resolvesOnce({ Status: 'Pending' })
      .resolvesOnce({ Status: 'InProgress' })
      .resolvesOnce({ Status: 'Delayed' })
      .rejectsOnce(throttle())
      .resolves({ Status: 'Success', StandardOutputContent: `motd\n${out(0, '198.51.100.2')}` });
    const o = await probe().egressIp(HOST);
    expect(o).toMatchObject({ observed: true, ips: ['198.51.100.2'] });
    const sent = ssmMock.commandCalls(SendCommandCommand).at(-1)!.args[0].input;
    expect(sent.DocumentName).toBe('AWS-RunShellScript');
    expect(sent.InstanceIds).toEqual(['i-a']);
    expect(sent.Parameters!.commands![0]).toContain('https://checkip.amazonaws.com');
  });

  it('is not observed when SSM fails, times out or the output is not understood', async () => {
    ssmMock
      .on(SendCommandCommand)
      .rejects(Object.assign(new Error('i-a is not in a valid state'), { name: 'InvalidInstanceId' }));
    expect(await probe().egressIp(HOST)).toMatchObject({ observed: false, ips: [] });
    expect(await probe().request(HOST, { host: 'www.amazon.com', port: 443, protocol: 'tls' })).toMatchObject(
      { observed: false, succeeded: false },
    );

    ssmMock.reset();
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-2' } });
    ssmMock.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    const timedOut = await probe().request(HOST, { host: 'www.amazon.com', port: 443, protocol: 'tls' });
    expect(timedOut.observed).toBe(false);
    expect(timedOut.detail).toMatch(/timed out/);

    ssmMock.reset();
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-3' } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'Success', StandardOutputContent: '198.51.100.2\n' });
    expect(await probe().egressIp(HOST)).toMatchObject({ observed: false });

    ssmMock.reset();
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-4' } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'TimedOut', StatusDetails: 'DeliveryTimedOut' });
    expect(await probe().egressIp(HOST)).toMatchObject({ observed: false });
  });

  it('reports an allowed request as answered and a dropped one as not, both observed', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .resolvesOnce({ Status: 'Success', StandardOutputContent: out(0, '200') })
      .resolvesOnce({ Status: 'Failed', StandardOutputContent: out(28, '000') });
    expect(await probe().request(HOST, { host: 'www.amazon.com', port: 443, protocol: 'tls' })).toMatchObject(
      { observed: true, succeeded: true },
    );
    const denied = await probe().request(HOST, { host: 'example.com', port: 443, protocol: 'tls' });
    expect(denied).toMatchObject({ observed: true, succeeded: false });
    expect(denied.detail).toContain('curl exit 28 (timed out)');
  });

  it('an aborted run (Ctrl-C) turns the command in flight into an observation not made', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    const controller = new AbortController();
    controller.abort();
    const c = clients();
    const p = new SsmProbe({
      ec2: c.ec2,
      ssm: c.ssm,
      env: 'it-1',
      clock: manualClock(),
      signal: controller.signal,
    });
    const o = await p.request(HOST, { host: 'www.amazon.com', port: 443, protocol: 'tls' });
    expect(o).toMatchObject({ observed: false, succeeded: false });
    expect(o.detail).toMatch(/cancelled/);
  });

  it('a refused host never reaches SSM', async () => {
    const o = await probe().request(HOST, { host: 'x;reboot', port: 443, protocol: 'tls' });
    expect(o.observed).toBe(false);
    expect(ssmMock.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it('ssmReachable reads PingStatus; a failing API is not an observation', async () => {
    ssmMock
      .on(DescribeInstanceInformationCommand)
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'ConnectionLost' }] });
    expect(await probe().ssmReachable(HOST)).toMatchObject({ observed: true, succeeded: false });
    ssmMock.reset();
    ssmMock.on(DescribeInstanceInformationCommand).rejects(new Error('AccessDenied'));
    expect(await probe().ssmReachable(HOST)).toMatchObject({ observed: false, succeeded: false });
  });
});
