/**
 * How an instance in a VPC resolves an AWS service name (`ssm.us-east-1.amazonaws.com`): to the
 * interface endpoint's addresses when its private DNS is in effect, else to the service's public
 * address, so the traffic goes where a public destination goes (through the firewall, where the
 * SNI decides). No DNS is run: the decision follows the VPC's DNS attributes and the endpoint.
 *
 * AWS PrivateLink guide, "Manage DNS names for VPC endpoint services" / private DNS of interface
 * endpoints (private DNS needs both enableDnsSupport and enableDnsHostnames):
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-dns-hostnames
 * Amazon VPC User Guide, "DNS attributes for your VPC" (enableDnsSupport off: the Amazon DNS
 * server does not resolve names for the VPC):
 * https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support
 */
import type { InterfaceEndpointInfo, NetworkModel } from './types';

/** Interface endpoints by VPC, indexed once per model (a check resolves names for every probe). */
const byVpc = new WeakMap<NetworkModel, Map<string, InterfaceEndpointInfo[]>>();

function endpointsOf(model: NetworkModel, vpcId: string): InterfaceEndpointInfo[] {
  let index = byVpc.get(model);
  if (!index) {
    index = new Map();
    for (const e of model.interfaceEndpoints.values()) {
      const list = index.get(e.vpcId);
      if (list) list.push(e);
      else index.set(e.vpcId, [e]);
    }
    byVpc.set(model, index);
  }
  return index.get(vpcId) ?? [];
}

export type NameResolution =
  /** Private DNS answers with the endpoint's interface addresses (any of them, so each is a path). */
  | { kind: 'private'; endpointId: string; addresses: string[]; detail: string; warning?: string }
  /** The name resolves to the service's public address. */
  | { kind: 'public'; detail: string; decidedBy: { kind: 'dns'; id: string } }
  /** Nothing resolves the name (the VPC's DNS resolution is off). */
  | { kind: 'unresolvable'; detail: string; decidedBy: { kind: 'dns'; id: string } };

/** `<service>.<region>.amazonaws.com` -> the interface endpoint service name `com.amazonaws.<region>.<service>`. */
export function endpointServiceOf(name: string): string | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name.toLowerCase());
  return m ? `com.amazonaws.${m[2]}.${m[1]}` : undefined;
}

/** True when `name` is an AWS service endpoint name (`<service>.<region>.amazonaws.com`). */
export function isAwsServiceName(name: string): boolean {
  return endpointServiceOf(name) !== undefined;
}

export function resolveServiceName(model: NetworkModel, vpcId: string, name: string): NameResolution {
  const vpc = model.vpcs.get(vpcId);
  if (!vpc) throw new Error(`VPC "${vpcId}" is not in the snapshot`);
  const dns = vpc.dns;
  if (dns && !dns.support)
    return {
      kind: 'unresolvable',
      detail: `enableDnsSupport is false on ${vpcId}: the Amazon DNS server does not answer, so ${name} does not resolve`,
      decidedBy: { kind: 'dns', id: vpcId },
    };
  const service = endpointServiceOf(name);
  const endpoint = endpointsOf(model, vpcId).find((e) => e.serviceName.toLowerCase() === service);
  if (!endpoint)
    return {
      kind: 'public',
      detail: `no ${service ?? name} interface endpoint in ${vpcId}: ${name} resolves to the service's public address`,
      decidedBy: { kind: 'dns', id: vpcId },
    };
  if (!endpoint.privateDns)
    return {
      kind: 'public',
      detail: `private DNS is off on ${endpoint.id}: ${name} resolves to the service's public address, not to the endpoint`,
      decidedBy: { kind: 'dns', id: endpoint.id },
    };
  if (dns && !dns.hostnames)
    return {
      kind: 'public',
      detail: `enableDnsHostnames is false on ${vpcId}: the private DNS of ${endpoint.id} is not in effect, so ${name} resolves to the service's public address`,
      decidedBy: { kind: 'dns', id: vpcId },
    };
  const addresses = endpoint.eniIds.flatMap((id) => {
    const eni = model.enis.get(id);
    return eni ? [eni.ipText] : [];
  });
  if (addresses.length === 0)
    return {
      kind: 'private',
      endpointId: endpoint.id,
      addresses,
      detail: `${name.split('.')[0]} endpoint ${endpoint.id} has no network interface: its private DNS name ${name} resolves to no address`,
    };
  const known = dns
    ? `enableDnsSupport and enableDnsHostnames are true on ${vpcId}`
    : `the snapshot has no VpcAttributes, so ${vpcId}'s DNS attributes are unknown and taken as on`;
  return {
    kind: 'private',
    endpointId: endpoint.id,
    addresses,
    detail: `${name} resolves to ${addresses.join(', ') || 'no address'} (private DNS of ${endpoint.id}; ${known})`,
    ...(dns
      ? {}
      : {
          warning: `DNS attributes of ${vpcId} are unknown (the snapshot has no VpcAttributes): private DNS of ${endpoint.id} was assumed in effect`,
        }),
  };
}
