/**
 * @hubspoke/netmodel: the offline network model (docs/snapshot-format.md, docs/network-design.md).
 *
 *   const model = buildNetworkModel(snapshot);          // validate + index once (throws SnapshotError)
 *   const { paths } = traceFlow(model, { from: 'i-...', to: '198.51.100.7', port: 443,
 *                                        app: { kind: 'tls', sni: 'www.amazon.com' } });
 *
 * Every path AWS may choose is returned (AZ choice under appliance mode, equal routes, NAT
 * addresses); each carries its reply (`returnPath`) and is `delivered` only when both directions are.
 */
export * from './snapshot';
export { DEFAULT_ALLOWED_DOMAINS } from './default-allowlist';
export * from './trace-types';
export * from './firewall';
export { buildNetworkModel } from './model/build';
export { SnapshotError } from './model/errors';
export type { NetworkModel, BuildModelOptions, FirewallEngineFactory, SubnetInfo } from './model/types';
export {
  enumerateWorkloadSubnets,
  firewallVpcIds,
  natEipsOfVpc,
  findProbes,
  ssmEndpointsOf,
  representativeIp,
  freeAddress,
  SSM_SERVICES,
  PROBE_TAG,
} from './model/queries';
export type { WorkloadSubnet, ProbeInstance, SsmEndpoint } from './model/queries';
export { resolveServiceName, isAwsServiceName, endpointServiceOf } from './model/dns';
export type { NameResolution } from './model/dns';
export { traceFlow, resolveSource } from './trace/tracer';
export type { TraceRequest, ResolvedSource } from './trace/tracer';
export { natPortRanges } from './trace/walker';
export * from './ip/cidr';
