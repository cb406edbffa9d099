/**
 * Facts the checks need that are lookups, not path tracing: which VPC holds the firewall, its NAT
 * EIPs, the environment's spokes and their workload subnets, the SSM endpoints, the probes, VPC
 * names. Answered by the netmodel queries and computed once per run, because the checks ask per
 * subnet and per probe.
 */
import { TAG_STACK } from '@hubspoke/network/src/contracts';
import type { ProbeHost } from '../probe';
import {
  enumerateWorkloadSubnets,
  freeAddress,
  findProbes,
  firewallVpcIds,
  natEipsOfVpc,
  ssmEndpointsOf,
  type NetworkModel,
  type NetworkSnapshot,
  type ProbeInstance,
  type SsmEndpoint,
} from '@hubspoke/netmodel';
import { classifyVpcs, tag, type EnvironmentVpcs, type NetworkScope } from './network-scope';

export interface WorkloadSubnet {
  subnetId: string;
  vpcId: string;
  /** VPC display name: hubspoke:stack tag, else Name tag, else the id. */
  vpcName: string;
  az: string;
  cidr: string;
  /** The address traces start from (an instance's when one lives there). */
  representativeIp: string;
  /**
   * An address no ENI holds: routing questions (inspected-egress, symmetric-return, east-west)
   * trace from and to it, so an instance's security group does not hide the route behind it.
   */
  freeIp: string;
}

export class Topology {
  readonly snapshot: NetworkSnapshot;
  readonly firewallVpcIds: string[];
  readonly natEips: string[];
  /** The environment's VPCs: hub, spokes (attached or not), and those outside the network. */
  readonly environment: EnvironmentVpcs;
  /** Workload subnets of every spoke, attached or not. */
  readonly workloadSubnets: WorkloadSubnet[];
  private readonly vpcNames = new Map<string, string>();

  constructor(
    readonly model: NetworkModel,
    scope: NetworkScope = {},
  ) {
    this.snapshot = model.snapshot;
    for (const v of this.snapshot.Vpcs ?? [])
      if (v.VpcId) this.vpcNames.set(v.VpcId, tag(v.Tags, TAG_STACK) ?? tag(v.Tags, 'Name') ?? v.VpcId);
    for (const s of scope.spokes ?? []) this.vpcNames.set(s.vpcId, s.name);
    this.firewallVpcIds = firewallVpcIds(model);
    this.natEips = this.firewallVpcIds.flatMap((v) => natEipsOfVpc(model, v));
    this.environment = classifyVpcs(model, scope);
    const spokeVpcs = new Set(this.environment.spokes.map((s) => s.vpcId));
    this.workloadSubnets = enumerateWorkloadSubnets(model, { spokesOnly: false })
      .filter((w) => spokeVpcs.has(w.vpcId))
      .map((w) => ({
        subnetId: w.subnetId,
        vpcId: w.vpcId,
        vpcName: this.vpcName(w.vpcId),
        az: w.az,
        cidr: w.cidr,
        representativeIp: w.sourceIp,
        freeIp: freeAddress(model, w.subnetId),
      }))
      .sort(
        (a, b) =>
          a.vpcName.localeCompare(b.vpcName) ||
          a.az.localeCompare(b.az) ||
          a.subnetId.localeCompare(b.subnetId),
      );
  }

  vpcName(vpcId: string): string {
    return this.vpcNames.get(vpcId) ?? vpcId;
  }

  /** Resolves a VPC reference of a checks file: VPC id, hubspoke:stack tag or Name tag. */
  resolveVpc(ref: string): string | undefined {
    for (const v of this.snapshot.Vpcs ?? []) {
      if (v.VpcId === ref || tag(v.Tags, TAG_STACK) === ref || tag(v.Tags, 'Name') === ref) return v.VpcId;
    }
    return undefined;
  }

  /** docs/contracts.md "The hubspoke CLI" default probes: tagged hubspoke:role=probe, else every instance in a VPC without IGW. */
  defaultProbes(): ProbeInstance[] {
    return findProbes(this.model);
  }

  /**
   * docs/contracts.md "The hubspoke CLI": an environment with no probe instance (prod) still gets
   * the probe checks offline, traced from a stand-in workload in every workload subnet. It sits at
   * an address no ENI holds, so no security group limits it: an open-egress workload, which is
   * what the network, not a particular instance, is then judged by.
   */
  standInProbes(): ProbeHost[] {
    return this.workloadSubnets.map((w) => ({
      instanceId: `stand-in:${w.subnetId}`,
      vpcId: w.vpcId,
      subnetId: w.subnetId,
      availabilityZone: w.az,
      privateIp: w.freeIp,
      name: `stand-in workload ${w.vpcName} ${w.az} ${w.freeIp}`,
      standIn: true,
    }));
  }

  /** SSM interface endpoints of a VPC with every ENI address (private DNS may answer any). */
  ssmEndpoints(vpcId: string): SsmEndpoint[] {
    return ssmEndpointsOf(this.model, vpcId);
  }
}
