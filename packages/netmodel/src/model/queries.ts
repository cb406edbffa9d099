/**
 * Questions the checks ask of the model: which VPC holds the firewall, its NAT EIPs, the probes,
 * the SSM endpoints of a VPC, the workload subnets and a source address for each of them.
 */
import { cidrSize, intToIp, ipToInt, isPrivateIp } from '../ip/cidr';
import type { NetworkModel, SubnetInfo } from './types';

const stateOf = (i: { State?: { Name?: string } }): string => (i.State?.Name ?? 'running').toLowerCase();
/** Terminated (or terminating) instances have released their interfaces: they are gone, not stopped. */
const GONE = new Set(['terminated', 'shutting-down']);

/**
 * The tag of a probe instance (docs/contracts.md "Tags"): the spokes' programs set it, the model
 * and the live probe find probes by it. Defined once, here at the bottom of the project graph;
 * `@hubspoke/network`'s TAG_ROLE and PROBE_ROLE are its key and value.
 */
export const PROBE_TAG = { key: 'hubspoke:role', value: 'probe' } as const;
/**
 * The interface endpoints Systems Manager needs in a VPC without internet access; the spokes create
 * them and `ssm-reachable` requires them (AWS Systems Manager User Guide, "Improve the security of
 * EC2 instances by using VPC endpoints for Systems Manager",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html).
 */
export const SSM_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;

export interface WorkloadSubnet {
  subnetId: string;
  vpcId: string;
  az: string;
  cidr: string;
  /** An address to trace from: an instance's when one lives there, else the first usable address. */
  sourceIp: string;
  /** Instance holding sourceIp, when any. */
  instanceId?: string;
  name?: string;
  vpcName?: string;
}

export interface ProbeInstance {
  instanceId: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  privateIp: string;
  name?: string;
  /** `State.Name`; a probe that is not `running` observes nothing. */
  state?: string;
}

export interface SsmEndpoint {
  endpointId: string;
  /** `ssm` | `ssmmessages` | `ec2messages` */
  service: string;
  serviceName: string;
  vpcId: string;
  groups: string[];
  /** One ENI per endpoint subnet. */
  interfaces: { eniId: string; ip: string; subnetId: string; az: string }[];
}

/** VPC ids holding a Network Firewall. */
export function firewallVpcIds(model: NetworkModel): string[] {
  return [...new Set([...model.firewalls.values()].map((f) => f.vpcId))];
}

/** Public IPs (EIPs) of the public NAT gateways in `vpcId`. */
export function natEipsOfVpc(model: NetworkModel, vpcId: string): string[] {
  const ips: string[] = [];
  for (const nat of model.natGateways.values()) {
    if (nat.vpcId !== vpcId || !nat.public) continue;
    for (const a of nat.addresses) {
      const pub = a.publicIp ?? model.enisByIp.get(vpcId)?.get(ipToInt(a.privateIp))?.publicIp;
      if (pub) ips.push(pub);
    }
  }
  return ips;
}

/** TGW attachment subnets and firewall endpoint subnets are infrastructure, not workloads. */
function infrastructureSubnets(model: NetworkModel): Set<string> {
  const ids = new Set<string>();
  for (const a of model.tgwAttachments.values()) for (const sn of a.subnetByAz.values()) ids.add(sn);
  for (const ep of model.firewallEndpoints.values()) ids.add(ep.subnetId);
  return ids;
}

/**
 * A running instance's address when one lives in the subnet (a real workload), else the subnet's
 * first free address (`freeAddress`).
 */
const representativeCache = new WeakMap<NetworkModel, Map<string, string>>();

export function representativeIp(model: NetworkModel, subnetId: string): string {
  let cache = representativeCache.get(model);
  if (!cache) representativeCache.set(model, (cache = new Map()));
  const hit = cache.get(subnetId);
  if (hit) return hit;
  const ip = computeRepresentativeIp(model, subnetId);
  cache.set(subnetId, ip);
  return ip;
}

function computeRepresentativeIp(model: NetworkModel, subnetId: string): string {
  const subnet = model.subnets.get(subnetId);
  if (!subnet) throw new Error(`subnet "${subnetId}" is not in the snapshot`);
  for (const eni of model.enisByIp.get(subnet.vpcId)!.values())
    if (eni.subnetId === subnetId && eni.kind === 'instance' && isRunning(model, eni.instanceId))
      return eni.ipText;
  return freeAddress(model, subnetId);
}

/**
 * The first usable address of the subnet that no ENI holds: AWS reserves the first four addresses
 * and the last one of every subnet (Amazon VPC User Guide, "Subnet CIDR blocks",
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
 */
export function freeAddress(model: NetworkModel, subnetId: string): string {
  const subnet = model.subnets.get(subnetId);
  if (!subnet) throw new Error(`subnet "${subnetId}" is not in the snapshot`);
  const taken = model.enisByIp.get(subnet.vpcId);
  const size = cidrSize(subnet.cidr);
  for (let n = 4; n < size - 1; n++) {
    const ip = subnet.cidr.base + n;
    if (!taken?.has(ip)) return intToIp(ip);
  }
  throw new Error(`subnet ${subnetId} (${subnet.cidr.text}) has no free address to trace from`);
}

/**
 * Workload subnets: every subnet of a VPC that holds no firewall, except TGW attachment subnets
 * when the VPC has other subnets (a spoke may attach the TGW in its workload subnets).
 * With `spokesOnly` (default) only VPCs attached to a transit gateway count.
 */
export function enumerateWorkloadSubnets(
  model: NetworkModel,
  options: { spokesOnly?: boolean } = {},
): WorkloadSubnet[] {
  const spokesOnly = options.spokesOnly ?? true;
  const firewallVpcs = new Set(firewallVpcIds(model));
  const infra = infrastructureSubnets(model);
  const out: WorkloadSubnet[] = [];
  for (const vpc of model.vpcs.values()) {
    if (firewallVpcs.has(vpc.id) || (spokesOnly && vpc.tgwAttachmentIds.length === 0)) continue;
    const hasOthers = vpc.subnets.some((sn) => !infra.has(sn.id));
    for (const sn of [...vpc.subnets].sort(bySubnet)) {
      if (hasOthers && infra.has(sn.id)) continue;
      const sourceIp = representativeIp(model, sn.id);
      const eni = model.enisByIp.get(vpc.id)!.get(ipToInt(sourceIp));
      out.push({
        subnetId: sn.id,
        vpcId: vpc.id,
        az: sn.az,
        cidr: sn.cidr.text,
        sourceIp,
        ...(eni?.instanceId ? { instanceId: eni.instanceId } : {}),
        ...(sn.name ? { name: sn.name } : {}),
        ...(vpc.name ? { vpcName: vpc.name } : {}),
      });
    }
  }
  return out;
}

function bySubnet(a: SubnetInfo, b: SubnetInfo): number {
  return a.az.localeCompare(b.az) || a.cidr.base - b.cidr.base;
}

function isRunning(model: NetworkModel, instanceId: string | undefined): boolean {
  const inst = instanceId ? model.instances.get(instanceId) : undefined;
  return inst === undefined || stateOf(inst) === 'running';
}

/**
 * Probe instances: those tagged hubspoke:role=probe, whatever their state (one that is not running
 * fails the probe checks, naming its state); when none is tagged, every instance that still exists
 * (not terminated) in a VPC without an internet gateway (docs/contracts.md "The hubspoke CLI").
 */
export function findProbes(model: NetworkModel): ProbeInstance[] {
  const all = [...model.instances.values()];
  const tagged = all.filter((i) =>
    i.Tags?.some((t) => t.Key === PROBE_TAG.key && t.Value === PROBE_TAG.value),
  );
  const chosen =
    tagged.length > 0
      ? tagged
      : all.filter((i) => {
          if (GONE.has(stateOf(i))) return false;
          const vpcId = vpcOfInstance(model, i.InstanceId!);
          return vpcId !== undefined && model.vpcs.get(vpcId)!.igwIds.length === 0;
        });
  const out: ProbeInstance[] = [];
  for (const inst of chosen) {
    const id = inst.InstanceId!;
    const eni = model.instanceEni.get(id);
    // A terminated probe holds no interface any more: it is placed by what DescribeInstances still says.
    const subnet = eni
      ? model.subnets.get(eni.subnetId)
      : inst.SubnetId
        ? model.subnets.get(inst.SubnetId)
        : undefined;
    const ip = model.instanceIp.get(id) ?? inst.PrivateIpAddress;
    const state = stateOf(inst);
    // A terminated tagged probe is still a probe (it fails, naming its state), placed where known.
    if ((!ip || !subnet) && !GONE.has(state)) continue;
    const name = inst.Tags?.find((t) => t.Key === 'Name')?.Value;
    out.push({
      instanceId: id,
      vpcId: subnet?.vpcId ?? inst.VpcId ?? '',
      subnetId: subnet?.id ?? '',
      availabilityZone: subnet?.az ?? '',
      privateIp: ip ?? '',
      state,
      ...(name ? { name } : {}),
    });
  }
  return out.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

function vpcOfInstance(model: NetworkModel, instanceId: string): string | undefined {
  const inst = model.instances.get(instanceId);
  return inst?.VpcId ?? (inst?.SubnetId ? model.subnets.get(inst.SubnetId)?.vpcId : undefined);
}

/** Interface endpoints of `vpcId` whose service is ssm, ssmmessages or ec2messages, with their ENI addresses. */
export function ssmEndpointsOf(model: NetworkModel, vpcId: string): SsmEndpoint[] {
  const out: SsmEndpoint[] = [];
  for (const ep of model.interfaceEndpoints.values()) {
    if (ep.vpcId !== vpcId) continue;
    const service = SSM_SERVICES.find((s) => ep.serviceName.endsWith(`.${s}`));
    if (!service) continue;
    const interfaces = ep.eniIds.flatMap((id) => {
      const eni = model.enis.get(id);
      const subnet = eni ? model.subnets.get(eni.subnetId) : undefined;
      return eni && subnet ? [{ eniId: id, ip: eni.ipText, subnetId: subnet.id, az: subnet.az }] : [];
    });
    out.push({
      endpointId: ep.id,
      service,
      serviceName: ep.serviceName,
      vpcId,
      groups: ep.groups,
      interfaces,
    });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service));
}

/** True when `ip` is outside every VPC of the snapshot and not a private range: "the internet". */
export function isInternetAddress(model: NetworkModel, ip: string): boolean {
  const n = ipToInt(ip);
  return !isPrivateIp(n) && model.vpcCidrTable.lookup(n).length === 0;
}
