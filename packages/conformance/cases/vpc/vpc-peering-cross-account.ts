import { peeredSharedServices, SHARED } from '../../src/peering';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/vpc-peering-cross-account',
  behaviour:
    "A peering connection to another account's VPC that the snapshot does not hold leads somewhere the verifier " +
    'cannot see: the verdict is UNKNOWN naming the peer, not "blocked".',
  naive:
    'The peer VPC is not in the snapshot, so nothing answers and the flow is blocked; its ACLs, security groups ' +
    'and hosts simply were not read.',
  sources: [
    {
      title: 'Amazon VPC Peering guide, "Create a VPC peering connection with a VPC in another account"',
      url: 'https://docs.aws.amazon.com/vpc/latest/peering/create-vpc-peering-connection.html',
    },
  ],
  snapshot: () => {
    const s = peeredSharedServices('active', '999988887777');
    // The other account's side was not read: only the connection (visible to both accounts) remains.
    const gone = (id?: string) => id?.includes('shared');
    s.Vpcs = s.Vpcs!.filter((v) => v.VpcId !== SHARED.vpcId);
    s.VpcAttributes = s.VpcAttributes!.filter((a) => a.VpcId !== SHARED.vpcId);
    s.Subnets = s.Subnets!.filter((x) => x.VpcId !== SHARED.vpcId);
    s.RouteTables = s.RouteTables!.filter((x) => x.VpcId !== SHARED.vpcId);
    s.NetworkAcls = s.NetworkAcls!.filter((x) => x.VpcId !== SHARED.vpcId);
    s.SecurityGroups = s.SecurityGroups!.filter((x) => x.VpcId !== SHARED.vpcId);
    s.NetworkInterfaces = s.NetworkInterfaces!.filter((x) => x.VpcId !== SHARED.vpcId);
    s.Instances = s.Instances!.filter((x) => !gone(x.InstanceId));
    return s;
  },
  traces: [
    {
      name: 'spoke-a to the other account',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '10.50.0.10', port: 443 },
        protocol: 'tcp',
      },
      verdict: 'UNKNOWN',
      traceIncludes: [
        'pcx-shared leads to vpc-shared (account 999988887777, us-east-1), which is not in the snapshot',
      ],
    },
  ],
};
export default c;
