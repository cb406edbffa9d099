/**
 * The offline probe: answers the Probe questions (docs/contracts.md "The hubspoke CLI") from the network model. It sees
 * what the live probe would: a request succeeds only if its reply comes back, on every path AWS
 * may choose; the egress IP is the NAT-translated source of those paths.
 */
import type { EgressIpObservation, Probe, ProbeHost, RequestObservation, RequestSpec } from './probe';
import type { CheckExpectations } from './checks/expectations';
import { resolveHost } from './checks/expectations';
import { tag } from './checks/network-scope';
import { SSM_SERVICES } from '@hubspoke/netmodel';
import type { Topology } from './checks/topology';
import { roundTripOk, type Tracer, type TracedPath } from './checks/tracer';
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

  async listProbes(): Promise<ProbeHost[]> {
    if (!this.expectations.probes) return this.topology.defaultProbes();
    const { model } = this.topology;
    return this.expectations.probes.map((ref) => {
      const inst = [...model.instances.values()].find(
        (i) => i.InstanceId === ref || tag(i.Tags, 'Name') === ref,
      );
      const eni = inst?.InstanceId ? model.instanceEni.get(inst.InstanceId) : undefined;
      const subnet = eni ? model.subnets.get(eni.subnetId) : undefined;
      if (!inst?.InstanceId || !eni || !subnet) throw new UnknownProbeError(ref);
      const name = tag(inst.Tags, 'Name');
      return {
        instanceId: inst.InstanceId,
        vpcId: subnet.vpcId,
        subnetId: subnet.id,
        availabilityZone: subnet.az,
        privateIp: eni.ipText,
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
    const ip = resolveHost(this.expectations.hosts, spec.host);
    if (!ip)
      return { observed: false, succeeded: false, detail: `host ${spec.host} is not in the hosts table` };
    const app =
      spec.protocol === 'tls'
        ? { kind: 'tls' as const, sni: spec.sni ?? spec.host }
        : { kind: 'http' as const, host: spec.host };
    const paths = this.tracer.trace({
      source: { instanceId: probe.instanceId },
      destination: { ip, port: spec.port },
      protocol: 'tcp',
      app,
    });
    return summarize(paths, `${spec.protocol} ${spec.host}:${spec.port} (${ip})`);
  }

  async ssmReachable(probe: ProbeHost): Promise<RequestObservation> {
    const endpoints = this.topology.ssmEndpoints(probe.vpcId);
    const missing = SSM_SERVICES.filter((s) => !endpoints.some((e) => e.service === s));
    const region = this.topology.snapshot.Region ?? 'us-east-1';
    const paths: TracedPath[] = [];
    const failures: string[] = [];
    let decisive: RequestObservation['decisive'];
    for (const ep of endpoints) {
      if (ep.interfaces.length === 0)
        failures.push(`${ep.service} endpoint ${ep.endpointId} has no network interface`);
      // Private DNS may answer with any endpoint ENI, so every one must be reachable.
      for (const target of ep.interfaces) {
        const traced = this.tracer.trace({
          source: { instanceId: probe.instanceId },
          destination: { ip: target.ip, port: 443 },
          protocol: 'tcp',
          app: { kind: 'tls', sni: `${ep.service}.${region}.amazonaws.com` },
        });
        paths.push(...traced);
        const bad = traced.find((p) => !roundTripOk(p));
        if (bad) {
          const d = roundTripFailure(bad);
          decisive ??= d;
          failures.push(
            `${ep.service} ${target.ip}${target.az ? ` (${target.az})` : ''}: ${d.kind} ${d.id}: ${d.detail}`,
          );
        }
      }
    }
    for (const s of missing) failures.push(`no ${s} interface endpoint in ${probe.vpcId}`);
    if (missing.length > 0)
      decisive ??= {
        kind: 'vpc-endpoint',
        id: probe.vpcId,
        detail: `missing ${missing.join(', ')} endpoint(s)`,
      };
    const succeeded = failures.length === 0;
    return {
      observed: true,
      succeeded,
      paths,
      ...(decisive ? { decisive } : {}),
      detail: succeeded
        ? `reaches ${endpoints.map((e) => e.service).join(', ')} on 443`
        : failures.join('; '),
    };
  }
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
