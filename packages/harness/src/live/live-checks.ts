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
import type { CheckResult } from '../checks/types';
import type { Probe } from '../probe';

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

export const runLiveChecks: LiveCheckSuite = async (input) => {
  const ex = input.expectations ?? defaultExpectations();
  const onResult = input.onResult ? { onResult: input.onResult } : {};
  const probeKinds = ex.run.filter((k) => PROBE_KINDS.includes(k));
  const modelKinds = ex.run.filter((k) => MODEL_KINDS.includes(k));
  const results = probeKinds.length
    ? await runProbeChecks({
        probe: input.probe,
        expectations: { ...ex, run: probeKinds },
        egressIps: input.egressIps,
        ...onResult,
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
