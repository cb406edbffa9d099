/**
 * The check suite of a live run: the same functions as the offline verify. Probe checks
 * (egress-ip, allow, deny, ssm-reachable) go through the SSM probe, i.e. real traffic; the
 * model checks (spoke-attachment, inspected-egress, inspected-east-west, symmetric-return,
 * east-west) are evaluated by the model on the snapshot read from the account, since a probe
 * cannot see which endpoint a packet crossed.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { completeRun } from '../checks/evaluated';
import {
  type CheckExpectations,
  MODEL_KINDS,
  PROBE_KINDS,
  defaultExpectations,
} from '../checks/expectations';
import type { NetworkScope } from '../checks/network-scope';
import { runModelChecks, runProbeChecks } from '../checks/run';
import type { CheckResult, ProbeObservation } from '../checks/types';
import type { Observation, Probe, ProbeHost, RequestSpec } from '../probe';

export interface LiveCheckInput {
  probe: Probe;
  snapshot: NetworkSnapshot;
  expectations?: CheckExpectations;
  egressIps: { ips: string[]; source: string };
  /** The env and the spoke VPCs its stack outputs name. */
  scope?: NetworkScope;
  onResult?: (r: CheckResult) => void;
}

export type LiveCheckSuite = (input: LiveCheckInput) => Promise<CheckResult[]>;

/**
 * Passes every call to `inner` and keeps what each probe observed, so the result of the check
 * that asked can carry it (`observations`): a pass then shows its evidence too.
 */
class ObservationRecorder implements Probe {
  readonly kind: Probe['kind'];
  private pending: ProbeObservation[] = [];
  constructor(private readonly inner: Probe) {
    this.kind = inner.kind;
  }
  listProbes(): Promise<ProbeHost[]> {
    return this.inner.listProbes();
  }
  egressIp(p: ProbeHost) {
    return this.keep(p, this.inner.egressIp(p));
  }
  request(p: ProbeHost, r: RequestSpec) {
    return this.keep(p, this.inner.request(p, r));
  }
  ssmReachable(p: ProbeHost) {
    return this.keep(p, this.inner.ssmReachable(p));
  }
  /** The observations made since the last call. */
  take(): ProbeObservation[] {
    return this.pending.splice(0);
  }
  private async keep<T extends Observation>(p: ProbeHost, observation: Promise<T>): Promise<T> {
    const o = await observation;
    this.pending.push({
      subject: p.name ?? p.instanceId,
      observed: o.observed,
      detail: o.detail,
      ...(o.connection ? { connection: o.connection } : {}),
    });
    return o;
  }
}

export const runLiveChecks: LiveCheckSuite = async (input) => {
  const ex = input.expectations ?? defaultExpectations();
  const onResult = input.onResult ? { onResult: input.onResult } : {};
  const probeKinds = ex.run.filter((k) => PROBE_KINDS.includes(k));
  const modelKinds = ex.run.filter((k) => MODEL_KINDS.includes(k));
  const recorder = new ObservationRecorder(input.probe);
  const results = probeKinds.length
    ? await runProbeChecks({
        probe: recorder,
        expectations: { ...ex, run: probeKinds },
        egressIps: input.egressIps,
        onResult: (r) => {
          const observations = recorder.take();
          if (observations.length > 0) r.observations = observations;
          input.onResult?.(r);
        },
      })
    : [];
  if (modelKinds.length)
    results.push(
      ...runModelChecks({
        snapshot: input.snapshot,
        expectations: { ...ex, run: modelKinds },
        ...(input.scope ? { scope: input.scope } : {}),
        ...onResult,
      }),
    );
  return completeRun(results, ex, input.onResult);
};
