/**
 * The check suite of a live run: the same functions as the offline verify. Probe checks
 * (egress-ip, allow, deny, ssm-reachable) go through the SSM probe, i.e. real traffic; the
 * routing checks (inspected-egress, symmetric-return, east-west) are evaluated by the model on
 * the snapshot read from the account, since a probe cannot see which endpoint a packet crossed.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { type CheckExpectations, type CheckKind, defaultExpectations } from '../checks/expectations';
import { runChecks, runProbeChecks } from '../checks/run';
import type { CheckResult } from '../checks/types';
import type { Probe } from '../probe';

export interface LiveCheckInput {
  probe: Probe;
  snapshot: NetworkSnapshot;
  expectations?: CheckExpectations;
  egressIps: { ips: string[]; source: string };
  onResult?: (r: CheckResult) => void;
}

export type LiveCheckSuite = (input: LiveCheckInput) => Promise<CheckResult[]>;

const MODEL_KINDS: readonly CheckKind[] = ['inspected-egress', 'symmetric-return', 'east-west'];

export const runLiveChecks: LiveCheckSuite = async (input) => {
  const ex = input.expectations ?? defaultExpectations();
  const onResult = input.onResult ? { onResult: input.onResult } : {};
  const probeKinds = ex.run.filter((k) => !MODEL_KINDS.includes(k));
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
      ...(await runChecks({
        snapshot: input.snapshot,
        expectations: { ...ex, run: modelKinds },
        ...onResult,
      })),
    );
  return results;
};
