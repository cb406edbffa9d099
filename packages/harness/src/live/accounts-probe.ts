/**
 * A Probe over several accounts (docs/multi-account.md): a probe instance is reachable through
 * Systems Manager only in its own account, so each account's probes go through that account's
 * SSM probe, and the probes of all accounts are listed together.
 */
import type { EgressIpObservation, Probe, ProbeHost, RequestObservation, RequestSpec } from '../probe';

export class AccountsProbe implements Probe {
  readonly kind = 'ssm' as const;
  private readonly owner = new Map<string, Probe>();

  /** One probe per account, the network account's first. */
  constructor(private readonly probes: Probe[]) {}

  async listProbes(): Promise<ProbeHost[]> {
    const hosts: ProbeHost[] = [];
    for (const probe of this.probes) {
      for (const host of await probe.listProbes()) {
        this.owner.set(host.instanceId, probe);
        hosts.push(host);
      }
    }
    return hosts.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  }

  egressIp(host: ProbeHost): Promise<EgressIpObservation> {
    return this.of(host).egressIp(host);
  }

  request(host: ProbeHost, request: RequestSpec): Promise<RequestObservation> {
    return this.of(host).request(host, request);
  }

  ssmReachable(host: ProbeHost): Promise<RequestObservation> {
    return this.of(host).ssmReachable(host);
  }

  private of(host: ProbeHost): Probe {
    const probe = this.owner.get(host.instanceId);
    if (!probe) throw new Error(`probe ${host.instanceId} is not among the listed probes of any account`);
    return probe;
  }
}
