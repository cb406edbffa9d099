export * from './snapshot';
export * from './trace-types';
export * from './firewall';
export { buildHubSpokeSnapshot, spokeName, DEFAULT_ALLOWED_DOMAINS } from './testing/fixture-builder';
export type { HubSpokeFixtureOptions } from './testing/fixture-builder';
export { buildNetworkModel } from './model/build';
export { SnapshotError } from './model/errors';
export type {
  NetworkModel,
  BuildModelOptions,
  FirewallEngineFactory,
  SubnetInfo,
  VpcInfo,
  EniInfo,
} from './model/types';
export {
  enumerateWorkloadSubnets,
  firewallVpcIds,
  natEipsOfVpc,
  findProbes,
  ssmEndpointsOf,
  representativeIp,
  isInternetAddress,
  PROBE_TAG,
} from './model/queries';
export type { WorkloadSubnet, ProbeInstance, SsmEndpoint } from './model/queries';
export { traceFlow, resolveSource } from './trace/tracer';
export type { TraceRequest, ResolvedSource } from './trace/tracer';
export { ipToInt, intToIp, parseCidr, cidrContains, isPrivateIp } from './ip/cidr';
export type { Cidr } from './ip/cidr';
