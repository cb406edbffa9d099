/**
 * Facts the checks need about a snapshot that are plain lookups, not path tracing: which VPC holds
 * the firewall, its NAT EIPs, the spoke workload subnets, the SSM endpoints, the probes, VPC names.
 * Computed once per snapshot and indexed, because the checks query them per subnet and per probe.
 */
import type { Instance, Subnet, Tag, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { NetworkSnapshot } from '@hubspoke/netmodel';

const PROBE_ROLE_TAG = 'hubspoke:role';
const STACK_TAG = 'hubspoke:stack';
const SSM_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;

export interface WorkloadSubnet {
  subnetId: string;
  vpcId: string;
  /** VPC display name: hubspoke:stack tag, else Name tag, else the id. */
  vpcName: string;
  az: string;
  cidr: string;
  /** An address in the subnet to trace from when no instance lives there. */
  representativeIp: string;
}

export interface SsmEndpointAddress {
  service: (typeof SSM_SERVICES)[number];
  endpointId: string;
  /** One ENI address per endpoint subnet: private DNS may hand out any of them. */
  ips: { ip: string; az?: string; subnetId?: string }[];
}

export class Topology {
  readonly firewallVpcIds: Set<string>;
  readonly natEips: string[];
  readonly workloadSubnets: WorkloadSubnet[];
  private readonly subnets = new Map<string, Subnet>();
  private readonly vpcNames = new Map<string, string>();

  constructor(readonly snapshot: NetworkSnapshot) {
    for (const s of snapshot.Subnets ?? []) if (s.SubnetId) this.subnets.set(s.SubnetId, s);
    for (const v of snapshot.Vpcs ?? []) if (v.VpcId) this.vpcNames.set(v.VpcId, tag(v.Tags, STACK_TAG) ?? tag(v.Tags, 'Name') ?? v.VpcId);
    this.firewallVpcIds = new Set((snapshot.Firewalls ?? []).map((f) => f.Firewall?.VpcId).filter((x): x is string => !!x));
    this.natEips = (snapshot.NatGateways ?? [])
      .filter((n) => n.VpcId && this.firewallVpcIds.has(n.VpcId) && n.State !== 'deleted' && n.State !== 'failed')
      .flatMap((n) => (n.NatGatewayAddresses ?? []).map((a) => a.PublicIp))
      .filter((ip): ip is string => !!ip);
    this.workloadSubnets = this.findWorkloadSubnets();
  }

  vpcName(vpcId: string): string {
    return this.vpcNames.get(vpcId) ?? vpcId;
  }

  subnet(subnetId: string): Subnet | undefined {
    return this.subnets.get(subnetId);
  }

  /** Resolves a VPC reference of a checks file: VPC id, hubspoke:stack tag or Name tag. */
  resolveVpc(ref: string): string | undefined {
    for (const v of this.snapshot.Vpcs ?? []) {
      if (v.VpcId === ref || tag(v.Tags, STACK_TAG) === ref || tag(v.Tags, 'Name') === ref) return v.VpcId;
    }
    return undefined;
  }

  /** Spoke VPCs: attached to a TGW and not holding the firewall. */
  spokeVpcIds(): string[] {
    const attached = new Set((this.snapshot.TransitGatewayVpcAttachments ?? []).map((a) => a.VpcId).filter((x): x is string => !!x));
    return [...attached].filter((v) => !this.firewallVpcIds.has(v)).sort();
  }

  /**
   * DESIGN 4.4 default probes: instances tagged hubspoke:role=probe, else every running instance in
   * a VPC with no internet gateway.
   */
  defaultProbes(): Instance[] {
    const live = (this.snapshot.Instances ?? []).filter((i) => !['terminated', 'shutting-down'].includes(i.State?.Name ?? ''));
    const tagged = live.filter((i) => tag(i.Tags, PROBE_ROLE_TAG) === 'probe');
    if (tagged.length > 0) return tagged;
    const igwVpcs = new Set((this.snapshot.InternetGateways ?? []).flatMap((g) => (g.Attachments ?? []).map((a) => a.VpcId)));
    return live.filter((i) => i.VpcId && !igwVpcs.has(i.VpcId));
  }

  /** SSM interface endpoints of a VPC, with every ENI address. Missing services are absent. */
  ssmEndpoints(vpcId: string): SsmEndpointAddress[] {
    const enis = new Map((this.snapshot.NetworkInterfaces ?? []).map((e) => [e.NetworkInterfaceId, e]));
    const out: SsmEndpointAddress[] = [];
    for (const service of SSM_SERVICES) {
      const ep = (this.snapshot.VpcEndpoints ?? []).find(
        (e: VpcEndpoint) => e.VpcId === vpcId && e.VpcEndpointType === 'Interface' && e.ServiceName?.endsWith(`.${service}`) && !/^delet/i.test(String(e.State ?? '')),
      );
      if (!ep?.VpcEndpointId) continue;
      const ips = (ep.NetworkInterfaceIds ?? [])
        .map((id) => enis.get(id))
        .filter((e) => e?.PrivateIpAddress)
        .map((e) => ({ ip: e!.PrivateIpAddress!, az: e!.AvailabilityZone, subnetId: e!.SubnetId }));
      out.push({ service, endpointId: ep.VpcEndpointId, ips });
    }
    return out;
  }

  static readonly SSM_SERVICES = SSM_SERVICES;

  /**
   * Workload subnets of spokes: subnets of spoke VPCs that are not TGW-attachment subnets.
   * Sorted by VPC then AZ so results and reports are stable.
   */
  private findWorkloadSubnets(): WorkloadSubnet[] {
    const spokes = new Set(this.spokeVpcIds());
    const attachmentSubnets = new Set((this.snapshot.TransitGatewayVpcAttachments ?? []).flatMap((a) => a.SubnetIds ?? []));
    const used = new Set((this.snapshot.NetworkInterfaces ?? []).map((e) => e.PrivateIpAddress));
    const instanceIpBySubnet = new Map<string, string>();
    for (const i of this.snapshot.Instances ?? []) if (i.SubnetId && i.PrivateIpAddress && !instanceIpBySubnet.has(i.SubnetId)) instanceIpBySubnet.set(i.SubnetId, i.PrivateIpAddress);
    const out: WorkloadSubnet[] = [];
    for (const s of this.snapshot.Subnets ?? []) {
      if (!s.SubnetId || !s.VpcId || !s.CidrBlock || !spokes.has(s.VpcId) || attachmentSubnets.has(s.SubnetId)) continue;
      out.push({
        subnetId: s.SubnetId,
        vpcId: s.VpcId,
        vpcName: this.vpcName(s.VpcId),
        az: s.AvailabilityZone ?? '?',
        cidr: s.CidrBlock,
        representativeIp: instanceIpBySubnet.get(s.SubnetId) ?? freeAddress(s.CidrBlock, used),
      });
    }
    return out.sort((a, b) => a.vpcName.localeCompare(b.vpcName) || a.az.localeCompare(b.az) || a.subnetId.localeCompare(b.subnetId));
  }
}

export function tag(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/** First host address after the 4 AWS reserves at the start of a subnet that no ENI uses. */
function freeAddress(cidr: string, used: Set<string | undefined>): string {
  const [ip, len] = cidr.split('/');
  const base = ip!.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(len));
  for (let n = 4; n < size - 1; n++) {
    const candidate = toIp(base + n);
    if (!used.has(candidate)) return candidate;
  }
  return toIp(base + 4);
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
