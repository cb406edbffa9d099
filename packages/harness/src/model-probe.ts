/**
 * The offline probe: answers the Probe questions (docs/contracts.md "The hubspoke CLI") from the network model. It sees
 * what the live probe would: a request succeeds only if its reply comes back, on every path AWS
 * may choose; the egress IP is the NAT-translated source of those paths. A probe instance that is
 * not running observes nothing; the SSM agent reaches its services as it resolves their names.
 */
import type { EgressIpObservation, Probe, ProbeHost, RequestObservation, RequestSpec } from './probe';
import type { CheckExpectations } from './checks/expectations';
import { resolveHost } from './checks/expectations';
import { tag } from './checks/network-scope';
import { SSM_SERVICES } from '@hubspoke/netmodel';
import type { Topology } from './checks/topology';
import { roundTripOk, type FlowQuery, type Tracer, type TracedPath } from './checks/tracer';
import { roundTripFailure } from './checks/paths';

/** A probe named in the checks file that the snapshot does not contain. */
export class UnknownProbeError extends Error {
  constructor(readonly probe: string) {
    super(`probes: "${probe}" is not an instance id or Name tag of any instance in the snapshot`);
    this.name = 'UnknownProbeError';
  }
}

export class ModelProbe implements Probe {
  readonly kind = 'model' as const;

  constructor(
    private readonly tracer: Tracer,
    private readonly topology: Topology,
    private readonly expectations: Pick<CheckExpectations, 'hosts' | 'egressIpHost' | 'probes'>,
  ) {}

  /** The default probes; with none in the snapshot, a stand-in workload in every workload subnet. */
  async listProbes(): Promise<ProbeHost[]> {
    if (!this.expectations.probes) {
      const probes = this.topology.defaultProbes();
      return probes.length > 0 ? probes : this.topology.standInProbes();
    }
    const { model } = this.topology;
    return this.expectations.probes.map((ref) => {
      const inst = [...model.instances.values()].find(
        (i) => i.InstanceId === ref || tag(i.Tags, 'Name') === ref,
      );
      if (!inst?.InstanceId) throw new UnknownProbeError(ref);
      const state = (inst.State?.Name ?? 'running').toLowerCase();
      const eni = model.instanceEni.get(inst.InstanceId);
      const subnet = eni ? model.subnets.get(eni.subnetId) : undefined;
      const name = tag(inst.Tags, 'Name');
      // A terminated probe holds no interface any more; it is still the probe asked for, and fails
      // its checks naming its state.
      if (!eni || !subnet) {
        if (state === 'running') throw new UnknownProbeError(ref);
        return {
          instanceId: inst.InstanceId,
          vpcId: inst.VpcId ?? '',
          subnetId: inst.SubnetId ?? '',
          availabilityZone: inst.Placement?.AvailabilityZone ?? '',
          privateIp: inst.PrivateIpAddress ?? '',
          state,
          ...(name ? { name } : {}),
        };
      }
      return {
        instanceId: inst.InstanceId,
        vpcId: subnet.vpcId,
        subnetId: subnet.id,
        availabilityZone: subnet.az,
        privateIp: eni.ipText,
        state,
        ...(name ? { name } : {}),
      };
    });
  }

  async egressIp(probe: ProbeHost): Promise<EgressIpObservation> {
    const r = await this.request(probe, this.expectations.egressIpHost);
    const ips = [
      ...new Set(
        ((r.paths as TracedPath[] | undefined) ?? [])
          .filter(roundTripOk)
          .map((p) => p.translatedSource ?? probe.privateIp),
      ),
    ];
    // Like `curl checkip`: no answer on some path means the probe cannot tell its egress IP there.
    return {
      ...r,
      observed: r.observed && r.succeeded,
      ips,
      detail: r.succeeded ? `egress IP(s) ${ips.join(', ')}` : r.detail,
    };
  }

  async request(probe: ProbeHost, spec: RequestSpec): Promise<RequestObservation> {
    const down = notRunning(probe);
    if (down) return down;
    const ip = resolveHost(this.expectations.hosts, spec.host);
    if (!ip)
      return { observed: false, succeeded: false, detail: `host ${spec.host} is not in the hosts table` };
    const app =
      spec.protocol === 'tls'
        ? { kind: 'tls' as const, sni: spec.sni ?? spec.host }
        : { kind: 'http' as const, host: spec.host };
    const paths = this.tracer.trace({
      source: sourceOf(probe),
      destination: { ip, port: spec.port },
      protocol: 'tcp',
      app,
    });
    return summarize(paths, `${spec.protocol} ${spec.host}:${spec.port} (${ip})`);
  }

  /**
   * The SSM agent connects to ssm, ssmmessages and ec2messages on 443 by name. Each name resolves
   * as the instance would resolve it (the tracer's name resolution): to the interface endpoint's
   * addresses when its private DNS is in effect (every address is a path), else to the service's
   * public address, through whatever a public destination goes through (the firewall, where the
   * SNI decides). AWS Systems Manager User Guide, "Improve the security of EC2 instances by using
   * VPC endpoints for Systems Manager":
   * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
   */
  async ssmReachable(probe: ProbeHost): Promise<RequestObservation> {
    const down = notRunning(probe);
    if (down) return down;
    const region = this.topology.snapshot.Region ?? 'us-east-1';
    const paths: TracedPath[] = [];
    const failures: string[] = [];
    const reached: string[] = [];
    let decisive: RequestObservation['decisive'];
    for (const service of SSM_SERVICES) {
      const host = `${service}.${region}.amazonaws.com`;
      const traced = this.tracer.trace({
        source: sourceOf(probe),
        destination: { host, port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: host },
      });
      paths.push(...traced);
      const bad = traced.find((p) => !roundTripOk(p));
      if (!bad) {
        reached.push(service);
        continue;
      }
      const d = roundTripFailure(bad);
      decisive ??= d;
      const how = traced[0]?.hops[0]?.kind === 'dns' ? `${traced[0].hops[0].detail}; ` : '';
      failures.push(`${host}: ${how}${d.kind} ${d.id}: ${d.detail}`);
    }
    const succeeded = failures.length === 0;
    const vpc = this.topology.model.vpcs.get(probe.vpcId);
    return {
      observed: true,
      succeeded,
      paths,
      ...(decisive ? { decisive } : {}),
      ...(vpc && !vpc.dns
        ? {
            warnings: [
              `DNS attributes of ${probe.vpcId} are unknown (the snapshot has no VpcAttributes): private DNS of its SSM endpoints was assumed in effect`,
            ],
          }
        : {}),
      detail: succeeded ? `reaches ${reached.join(', ')} on 443` : failures.join('; '),
    };
  }
}

/**
 * A probe instance that is not running observes nothing (Amazon EC2 User Guide, "Amazon EC2
 * instance state changes": https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html).
 */
function notRunning(probe: ProbeHost): RequestObservation | undefined {
  if (!probe.state || probe.state === 'running') return undefined;
  const detail = `${probe.instanceId} is ${probe.state}: a probe that is not running observes nothing`;
  return {
    observed: false,
    succeeded: false,
    detail,
    decisive: { kind: 'instance-state', id: probe.instanceId, detail },
  };
}

/** An instance traces with its ENI and security groups; a stand-in from its address. */
function sourceOf(probe: ProbeHost): FlowQuery['source'] {
  return probe.standIn ? { ip: probe.privateIp, vpcId: probe.vpcId } : { instanceId: probe.instanceId };
}

/** All paths must round-trip for `succeeded`; the decisive hop is the first failure, else the last pass. */
function summarize(paths: TracedPath[], what: string): RequestObservation {
  if (paths.length === 0) return { observed: true, succeeded: false, paths, detail: `${what}: no path` };
  const bad = paths.filter((p) => !roundTripOk(p));
  if (bad.length === 0) {
    const fw = paths[0]!.firewallDecisions?.find((d) => d.allowed);
    return {
      observed: true,
      succeeded: true,
      paths,
      detail: `${what}: response received on ${paths.length}/${paths.length} path(s)`,
      ...(fw
        ? {
            decisive: {
              kind: 'firewall',
              id: fw.data.decidedBy.ruleGroup ?? 'policy',
              detail: fw.data.decidedBy.text,
            },
          }
        : {}),
    };
  }
  const d = roundTripFailure(bad[0]!);
  return {
    observed: true,
    succeeded: false,
    paths,
    decisive: d,
    detail: `${what}: no response on ${bad.length}/${paths.length} path(s); ${d.kind} ${d.id}${d.az ? ` (${d.az})` : ''}: ${d.detail}`,
  };
}
