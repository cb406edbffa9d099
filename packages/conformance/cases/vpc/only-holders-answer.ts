import { defaultExpectations } from '@hubspoke/harness';
import { reference } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const probe = { instanceId: 'i-spoke-a-probe' };

const c: ConformanceCase = {
  id: 'vpc/only-holders-answer',
  behaviour:
    'Only what holds an address answers: an address of a subnet that no interface holds is dropped in the subnet; a ' +
    "NAT gateway's own address and a Transit Gateway attachment interface answer nothing initiated toward them. " +
    'The stand-in workloads the routing checks place in a subnet on purpose answer as workloads would.',
  naive:
    'The routes deliver the packet into the subnet that holds the address, so the destination answers; AWS ' +
    'delivers to interfaces, and these hold no listening host.',
  sources: [
    {
      title:
        'VPC Reachability Analyzer, "Explanation codes" (a destination must be a resource that holds the address)',
      url: 'https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html',
    },
    {
      title:
        'Amazon VPC User Guide, "NAT gateway basics" (a NAT gateway translates traffic initiated from the VPC)',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html',
    },
  ],
  snapshot: () => reference(),
  expectations: {
    ...defaultExpectations(),
    hosts: {
      'www.amazon.com': '192.0.2.10',
      'checkip.amazonaws.com': '192.0.2.11',
      'example.com': '192.0.2.12',
    },
    egressIpHost: { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
    allow: [],
    deny: [],
    eastWest: [{ from: 'spoke-a', to: 'spoke-b', port: 443, protocol: 'tcp', expect: 'deny' }],
    run: ['east-west', 'symmetric-return'],
  },
  // The east-west stand-ins answer, so the policy (not an empty address) is what denies, and the
  // replies are checked for symmetry.
  checks: { 'east-west:spoke-a:spoke-b': 'pass', 'symmetric-return': 'pass' },
  traces: [
    {
      name: 'an address no interface holds (same VPC, other subnet)',
      query: { source: probe, destination: { ip: '10.1.1.99', port: 443 }, protocol: 'tcp' },
      verdict: 'BLOCKED',
      traceIncludes: [
        'no network interface holds 10.1.1.99 in subnet-spoke-a-workload-b: AWS drops the packet in the subnet',
      ],
    },
    {
      name: 'the same address as a declared stand-in workload',
      query: { source: probe, destination: { ip: '10.1.1.99', port: 443, standIn: true }, protocol: 'tcp' },
      verdict: 'ALLOWED',
      traceIncludes: [
        'stand-in workload placed by the check (no interface holds this address): it answers as a workload would',
      ],
    },
    {
      name: "a NAT gateway's own address",
      query: { source: probe, destination: { ip: '10.0.0.10', port: 443 }, protocol: 'tcp' },
      verdict: 'BLOCKED',
      traceIncludes: ["nat-a's own address answers nothing initiated toward it"],
    },
    {
      name: 'a TGW attachment interface',
      query: { source: probe, destination: { ip: '10.1.32.20', port: 443 }, protocol: 'tcp' },
      verdict: 'BLOCKED',
      traceIncludes: ['is a Transit Gateway attachment interface: it answers nothing'],
    },
  ],
};
export default c;
