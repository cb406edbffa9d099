/** SDK-facing modules against aws-sdk-client-mock: readiness gates, SSM probe, throttling, pagination. */
import {
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
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
import { SsmProbe, type SsmProbeOptions } from '../../src/live/ssm-probe';
import { answerProbeScript, serveProbes, serveSsmEndpoints } from '../../src/live/testing/mock-account';
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
/** The stdout of one curl step as the probe script prints it. */
const out = (key: string, rc: number, w: string, body = ''): string =>
  `${NONCE}:${key}:RC=${rc}\n${NONCE}:${key}:W=${w}\n${NONCE}:${key}:BODY=${body}\n${NONCE}:${key}:ERR=\n`;
const sentScript = (): string =>
  ssmMock.commandCalls(SendCommandCommand).at(-1)!.args[0].input.Parameters!.commands![0]!;

function probe(extra: Partial<SsmProbeOptions> = {}): SsmProbe {
  const c = clients();
  return new SsmProbe({
    ec2: c.ec2,
    ssm: c.ssm,
    env: 'it-1',
    region: 'us-east-1',
    clock: manualClock(),
    nonce: () => 'n1',
    commandTimeoutMs: 120_000,
    ...extra,
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
    expect(hosts[0]!.name).toBe('probe-a');
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:hubspoke:env', Values: ['it-1'] },
      { Name: 'tag:hubspoke:role', Values: ['probe'] },
      { Name: 'instance-state-name', Values: ['running'] },
    ]);
  });

  it('honours the probe selection of a checks file, and a name matching no probe is an error, as in verify', async () => {
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
    expect((await probe({ select: ['probe-a'] }).listProbes()).map((h) => h.instanceId)).toEqual(['i-a']);
    await expect(probe({ select: ['probe-a', 'probe-z'] }).listProbes()).rejects.toThrow(
      'probes: "probe-z" is not the instance id or Name tag of a running probe of it-1 (found: probe-a (i-a), i-b)',
    );
  });

  it('observes the egress IP, polling through InvocationDoesNotExist, Pending, InProgress, Delayed and Cancelling', async () => {
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
      // Cancelling is not an end state: the command may still finish.
      .resolvesOnce({ Status: 'Cancelling' })
      .rejectsOnce(throttle())
      .resolves({
        Status: 'Success',
        StandardOutputContent: `motd\n${out('egress', 0, '200 0.011 0.030 52.94.1.1', '198.51.100.2')}`,
      });
    const o = await probe().egressIp(HOST);
    expect(o).toMatchObject({
      observed: true,
      ips: ['198.51.100.2'],
      connection: { curlExit: 0, timeConnectS: 0.011, remoteIp: '52.94.1.1', httpCode: '200' },
    });
    const sent = ssmMock.commandCalls(SendCommandCommand).at(-1)!.args[0].input;
    expect(sent.DocumentName).toBe('AWS-RunShellScript');
    expect(sent.InstanceIds).toEqual(['i-a']);
    expect(sentScript()).toContain('hs_curl egress https://checkip.amazonaws.com:443/');
  });

  it('reads the egress IP from the egressIpHost of the checks file', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock.on(GetCommandInvocationCommand).resolves({
      Status: 'Success',
      StandardOutputContent: out('egress', 0, '200 0.01 0.02 192.0.2.50', '198.51.100.9'),
    });
    const p = probe({ egressIpHost: { host: 'ip.example.net', port: 8443, protocol: 'tls' } });
    expect((await p.egressIp(HOST)).ips).toEqual(['198.51.100.9']);
    expect(sentScript()).toContain('hs_curl egress https://ip.example.net:8443/');
    expect(sentScript()).not.toContain('checkip');
  });

  it('a cancelled command is not an observation (after Cancelling it ends Cancelled)', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .resolvesOnce({ Status: 'Cancelling' })
      .resolves({ Status: 'Cancelled' });
    const o = await probe().egressIp(HOST);
    expect(o.observed).toBe(false);
    expect(o.detail).toContain('ended Cancelled');
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

  it('answered when a response came back; blocked only when TCP connected and the exchange then failed', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .resolvesOnce({
        Status: 'Success',
        StandardOutputContent: out('request', 0, '200 0.010 0.040 52.94.2.2'),
      })
      .resolvesOnce({
        Status: 'Success',
        StandardOutputContent: out('request', 28, '000 0.012 0.000 93.184.215.14'),
      });
    expect(await probe().request(HOST, { host: 'www.amazon.com', port: 443, protocol: 'tls' })).toMatchObject(
      { observed: true, succeeded: true },
    );
    const denied = await probe().request(HOST, { host: 'example.com', port: 443, protocol: 'tls' });
    expect(denied).toMatchObject({
      observed: true,
      succeeded: false,
      connection: { curlExit: 28, timeConnectS: 0.012, remoteIp: '93.184.215.14' },
    });
    expect(denied.detail).toContain('blocked after the TCP handshake');
    expect(denied.detail).toContain('TCP connected to 93.184.215.14 in 0.012s');
  });

  it.each([
    ['a DNS failure', out('request', 6, '000 0.000 0.000 '), /did not resolve/],
    ['a refused connection', out('request', 7, '000 0.000 0.000 93.184.215.14'), /refused or had no route/],
    [
      'a connect timeout (no route)',
      out('request', 28, '000 0.000 0.000 '),
      /timed out before it was established/,
    ],
    ['a missing curl', out('request', 127, ''), /curl is not installed/],
  ])('%s is not a blocked request: not observed, saying why', async (_what, stdout, why) => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock.on(GetCommandInvocationCommand).resolves({ Status: 'Failed', StandardOutputContent: stdout });
    const o = await probe().request(HOST, { host: 'example.com', port: 443, protocol: 'tls' });
    expect(o).toMatchObject({ observed: false, succeeded: false });
    expect(o.detail).toMatch(why);
  });

  it('an aborted run (Ctrl-C) turns the command in flight into an observation not made', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd' } });
    ssmMock.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    const controller = new AbortController();
    controller.abort();
    const o = await probe({ signal: controller.signal }).request(HOST, {
      host: 'www.amazon.com',
      port: 443,
      protocol: 'tls',
    });
    expect(o).toMatchObject({ observed: false, succeeded: false });
    expect(o.detail).toMatch(/cancelled/);
  });

  it('a refused host never reaches SSM', async () => {
    const o = await probe().request(HOST, { host: 'x;reboot', port: 443, protocol: 'tls' });
    expect(o.observed).toBe(false);
    expect(ssmMock.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});

describe('SsmProbe.ssmReachable: the SSM endpoints, seen from the probe', () => {
  const NAMES = ['ssm', 'ssmmessages', 'ec2messages'].map((s) => `${s}.us-east-1.amazonaws.com`);

  function endpoints(dns?: (instanceId: string, name: string) => string[]) {
    const privateDns = serveSsmEndpoints(ec2Mock, [{ instanceId: 'i-a', vpcId: 'vpc-a' }], 'us-east-1');
    serveProbes(ssmMock, ['i-a'], { answers: {}, egressIp: '', dns: dns ?? privateDns });
    return privateDns;
  }

  it('passes when each name resolves to its endpoint ENIs and the TLS handshake to each completes', async () => {
    endpoints();
    const o = await probe().ssmReachable(HOST);
    expect(o).toMatchObject({ observed: true, succeeded: true });
    expect(o.detail).toMatch(/reaches ssm 10\.1\.255\.10 \(TLS in 0\.021s\), ssmmessages 10\.1\.255\.11/);
    for (const name of NAMES) {
      expect(sentScript()).toContain(`hs_resolve ${name.split('.')[0]}-dns ${name}`);
      expect(sentScript()).toContain(`https://${name}:443/`);
    }
    expect(ec2Mock.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input.Filters).toEqual(
      expect.arrayContaining([{ Name: 'vpc-id', Values: ['vpc-a'] }]),
    );
    expect(
      ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input.NetworkInterfaceIds,
    ).toHaveLength(3);
  });

  it('fails when private DNS is off (the names resolve to public addresses)', async () => {
    endpoints((_i, name) => (name.endsWith('.amazonaws.com') ? ['52.46.1.1'] : []));
    const o = await probe().ssmReachable(HOST);
    expect(o).toMatchObject({ observed: true, succeeded: false });
    expect(o.detail).toContain(
      "ssm.us-east-1.amazonaws.com resolves to 52.46.1.1, not to the ssm endpoint's private addresses (10.1.255.10): private DNS of the endpoint is not in effect",
    );
  });

  it('fails when a TLS handshake does not complete, and when a name does not resolve', async () => {
    const privateDns = serveSsmEndpoints(ec2Mock, [{ instanceId: 'i-a', vpcId: 'vpc-a' }], 'us-east-1');
    serveProbes(ssmMock, ['i-a'], {
      answers: { 'ssmmessages.us-east-1.amazonaws.com': { rc: 28, code: '000', remoteIp: '10.1.255.11' } },
      egressIp: '',
      dns: (i, name) => (name.startsWith('ec2messages') ? [] : privateDns(i, name)),
    });
    const o = await probe().ssmReachable(HOST);
    expect(o.succeeded).toBe(false);
    expect(o.detail).toContain(
      'TLS handshake with ssmmessages.us-east-1.amazonaws.com did not complete (curl exit 28',
    );
    expect(o.detail).toContain('ec2messages.us-east-1.amazonaws.com does not resolve on the probe');
  });

  it('fails naming the missing endpoint; a failing SSM command or EC2 read is not an observation', async () => {
    serveProbes(ssmMock, ['i-a'], { answers: {}, egressIp: '', dns: () => ['10.9.9.9'] });
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    const none = await probe().ssmReachable(HOST);
    expect(none).toMatchObject({ observed: true, succeeded: false });
    expect(none.detail).toContain('no ssm interface endpoint with a network interface in vpc-a');

    ec2Mock
      .on(DescribeVpcEndpointsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    expect(await probe().ssmReachable(HOST)).toMatchObject({ observed: false, succeeded: false });

    endpoints();
    ssmMock.on(SendCommandCommand).rejects(new Error('InvalidInstanceId'));
    expect(await probe().ssmReachable(HOST)).toMatchObject({ observed: false, succeeded: false });
  });

  it('the stand-in answers scripts like the probe would print them (shared with the e2e tests)', () => {
    const script = `echo "HUBSPOKE_x:$k:RC=$RC"\nhs_curl egress https://checkip.amazonaws.com:443/\n`;
    expect(answerProbeScript(script, 'i-a', { answers: {}, egressIp: '1.2.3.4' })).toContain(
      'HUBSPOKE_x:egress:W=000 0.012000 0.000000 192.0.2.99',
    );
  });
});
