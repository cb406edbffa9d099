import {
  enumerateWorkloadSubnets,
  findProbes,
  firewallVpcIds,
  isInternetAddress,
  natEipsOfVpc,
  representativeIp,
  ssmEndpointsOf,
} from '../src/model/queries';
import { traceFlow } from '../src/trace/tracer';
import { model } from './helpers';

describe('model queries', () => {
  it('firewall VPC and its NAT EIPs', () => {
    const m = model({ azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
    expect(firewallVpcIds(m)).toEqual(['vpc-inspection']);
    expect(natEipsOfVpc(m, 'vpc-inspection')).toEqual(['203.0.113.10', '203.0.113.11', '203.0.113.12']);
    expect(natEipsOfVpc(m, 'vpc-spoke-a')).toEqual([]);
  });

  it('probes: tagged instances, else instances in VPCs without an IGW', () => {
    expect(findProbes(model()).map((p) => p.instanceId)).toEqual(['i-spoke-a-probe', 'i-spoke-b-probe']);
    const untagged = model({ spokeRouteToIgw: [1] }, (s) => {
      for (const i of s.Instances!) i.Tags = i.Tags!.filter((t) => t.Key !== 'hubspoke:role');
    });
    // spoke-b now has an IGW: its instance is not a probe.
    expect(findProbes(untagged)).toEqual([
      {
        instanceId: 'i-spoke-a-probe',
        vpcId: 'vpc-spoke-a',
        subnetId: 'subnet-spoke-a-workload-a',
        availabilityZone: 'us-east-1a',
        privateIp: '10.1.0.10',
        state: 'running',
        name: 'spoke-a-probe',
      },
    ]);
    expect(findProbes(model({ probes: false }))).toEqual([]);
  });

  it('SSM endpoints of a VPC with their ENI addresses', () => {
    const eps = ssmEndpointsOf(model(), 'vpc-spoke-b');
    expect(eps.map((e) => e.service)).toEqual(['ec2messages', 'ssm', 'ssmmessages']);
    expect(eps[1]!.interfaces).toEqual([
      {
        eniId: 'eni-spoke-b-ssm-a',
        ip: '10.2.0.20',
        subnetId: 'subnet-spoke-b-workload-a',
        az: 'us-east-1a',
      },
      {
        eniId: 'eni-spoke-b-ssm-b',
        ip: '10.2.1.20',
        subnetId: 'subnet-spoke-b-workload-b',
        az: 'us-east-1b',
      },
    ]);
    expect(ssmEndpointsOf(model(), 'vpc-inspection')).toEqual([]);
  });

  it('places endpoint ENIs when the snapshot does not list them', () => {
    const m = model({}, (s) => {
      s.NetworkInterfaces = s.NetworkInterfaces!.filter((n) => n.InterfaceType !== 'vpc_endpoint');
    });
    const ssm = ssmEndpointsOf(m, 'vpc-spoke-a').find((e) => e.service === 'ssm')!;
    expect(ssm.interfaces).toEqual([
      {
        eniId: 'vpce-spoke-a-ssm@subnet-spoke-a-workload-a',
        ip: '10.1.0.254',
        subnetId: 'subnet-spoke-a-workload-a',
        az: 'us-east-1a',
      },
      {
        eniId: 'vpce-spoke-a-ssm@subnet-spoke-a-workload-b',
        ip: '10.1.1.254',
        subnetId: 'subnet-spoke-a-workload-b',
        az: 'us-east-1b',
      },
    ]);
    // Placed ENIs carry the endpoint security group, so the SG check still applies.
    expect(traceFlow(m, { from: 'i-spoke-a-probe', to: '10.1.0.254', port: 443 }).paths[0]!.verdict).toBe(
      'delivered',
    );
    expect(
      traceFlow(m, { from: 'i-spoke-a-probe', to: '10.1.0.254', port: 22 }).paths[0]!.decidedBy.kind,
    ).toBe('security-group');
  });

  it('workload subnets: every spoke subnet except TGW subnets, with a source address', () => {
    const ws = enumerateWorkloadSubnets(
      model({ spokeCount: 3, azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }),
    );
    expect(ws).toHaveLength(9);
    expect(ws.every((w) => w.subnetId.includes('-workload-'))).toBe(true);
    const a = ws.find((w) => w.subnetId === 'subnet-spoke-a-workload-a')!;
    expect(a).toMatchObject({ sourceIp: '10.1.0.10', instanceId: 'i-spoke-a-probe' });
    expect(ws.find((w) => w.subnetId === 'subnet-spoke-a-workload-b')!.sourceIp).toBe('10.1.1.4');
  });

  it('a spoke attaching the TGW in its workload subnets keeps them as workloads', () => {
    const m = model({ spokeCount: 1 }, (s) => {
      s.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === 'tgw-attach-spoke-a',
      )!.SubnetIds = ['subnet-spoke-a-workload-a', 'subnet-spoke-a-workload-b'];
      s.Subnets = s.Subnets!.filter((x) => !x.SubnetId!.startsWith('subnet-spoke-a-tgw-'));
      s.RouteTables = s.RouteTables!.filter((t) => !t.RouteTableId!.startsWith('rtb-spoke-a-tgw-'));
      s.NetworkInterfaces = s.NetworkInterfaces!.filter(
        (n) => !n.SubnetId!.startsWith('subnet-spoke-a-tgw-'),
      );
      for (const acl of s.NetworkAcls!)
        acl.Associations = acl.Associations!.filter((a) => !a.SubnetId!.startsWith('subnet-spoke-a-tgw-'));
    });
    expect(enumerateWorkloadSubnets(m).map((w) => w.subnetId)).toEqual([
      'subnet-spoke-a-workload-a',
      'subnet-spoke-a-workload-b',
    ]);
    expect(enumerateWorkloadSubnets(model({ spokeCount: 1 })).map((w) => w.subnetId)).toEqual([
      'subnet-spoke-a-workload-a',
      'subnet-spoke-a-workload-b',
    ]);
  });

  it('representative address skips addresses held by ENIs', () => {
    const m = model({}, (s) => {
      s.NetworkInterfaces!.push({
        NetworkInterfaceId: 'eni-x',
        SubnetId: 'subnet-spoke-a-workload-b',
        PrivateIpAddress: '10.1.1.4',
        InterfaceType: 'lambda',
      });
    });
    expect(representativeIp(m, 'subnet-spoke-a-workload-b')).toBe('10.1.1.5');
    expect(() => representativeIp(m, 'subnet-nope')).toThrow('subnet "subnet-nope" is not in the snapshot');
  });

  it('internet vs VPC addresses', () => {
    const m = model();
    expect(isInternetAddress(m, '198.51.100.7')).toBe(true);
    expect(isInternetAddress(m, '10.1.0.10')).toBe(false);
    expect(isInternetAddress(m, '192.168.1.1')).toBe(false);
  });
});

describe('traceFlow input', () => {
  const m = model();
  it.each([
    [{ from: 'i-nope', to: '198.51.100.7', port: 443 }, 'source "i-nope": no such instance in the snapshot'],
    [
      { from: '172.31.0.1', to: '198.51.100.7', port: 443 },
      'source "172.31.0.1": no subnet holds this address',
    ],
    [{ from: 'i-spoke-a-probe', to: 'example.com', port: 443 }, 'invalid destination address "example.com"'],
    [{ from: 'i-spoke-a-probe', to: '198.51.100.7', port: 70000 }, 'destination port 70000 is not 0..65535'],
    [
      { from: 'subnet-nope', to: '198.51.100.7', port: 443 },
      'source "subnet-nope": no such subnet in the snapshot',
    ],
  ])('%j is rejected', (request, message) => {
    expect(() => traceFlow(m, request)).toThrow(message);
  });

  it('sources by instance, subnet and IP resolve to the same start', () => {
    const byInstance = traceFlow(m, { from: 'i-spoke-a-probe', to: '198.51.100.7', port: 443 });
    const byIp = traceFlow(m, { from: '10.1.0.10', to: '198.51.100.7', port: 443 });
    const bySubnet = traceFlow(m, { from: 'subnet-spoke-a-workload-a', to: '198.51.100.7', port: 443 });
    expect(byIp.paths[0]!.source).toEqual(byInstance.paths[0]!.source);
    expect(bySubnet.paths[0]!.source).toEqual(byInstance.paths[0]!.source);
  });
});
