/**
 * Result types of the verification checks (docs/contracts.md "The hubspoke CLI"). The same shapes are written by the
 * offline `verify` run and the live `e2e` run, so reports and CI consumers read one format.
 */
import type { Hop, PathResult, ReturnPathResult } from '@hubspoke/netmodel';

/**
 * `unknown`: no case failed, but some case met something the model does not model (docs/contracts.md
 * "The hubspoke CLI"), so the check cannot tell; it fails the run like `fail` does.
 * `not-applicable`: a default check the environment has nothing for (`inspected-east-west` with one
 * spoke); it neither passes nor fails the run, and a run of nothing else fails. A check the checks
 * file asks for is never `not-applicable`: with nothing to evaluate it fails.
 */
export type CheckStatus = 'pass' | 'fail' | 'unknown' | 'not-applicable';

/** Statuses that fail a run: everything but `pass` and `not-applicable` (fails closed on others). */
export function failsRun(status: CheckStatus): boolean {
  return status !== 'pass' && status !== 'not-applicable';
}

/** The route, rule or group that decided a check (or one failing case of it). */
export interface DecisiveHop {
  kind: string;
  id: string;
  detail: string;
  /** Where it happened, when known. */
  subnetId?: string;
  az?: string;
}

/** One traced flow behind a check, kept for the report's path section. */
export interface CheckPath {
  /** What was traced, e.g. `i-0abc (subnet-1, us-east-1a) -> 192.0.2.10:443 tls`. */
  label: string;
  /** True when this flow met the check's expectation. */
  ok: boolean;
  forward: PathResult;
  /** The reply's path, when the model computed one. */
  returnPath?: ReturnPathResult;
  /** Source subnet / AZ of the flow. */
  subnetId?: string;
  az?: string;
}

export interface CheckResult {
  id: string;
  status: CheckStatus;
  /** One line a human can act on: what was expected, what was seen, where. */
  detail: string;
  /** The hop that decided the (first) failure, or the deciding rule of a pass. */
  decisive?: DecisiveHop;
  /**
   * Every failing case, each with its decisive hop and subnet/AZ (first ones only in `detail`); for
   * an `unknown` check, every case that could not be decided, with what was not modelled.
   */
  failures?: { subject: string; detail: string; decisive?: DecisiveHop; subnetId?: string; az?: string }[];
  /** Flows traced for this check (offline); omitted from JSON when empty. */
  paths?: CheckPath[];
  /** How many flows/probes the check covered. */
  covered?: number;
  /** Wall time of the check, ms. */
  durationMs?: number;
  /** Findings worth surfacing even on pass (e.g. large ClientHello hazard). */
  warnings?: string[];
  /**
   * Live runs: what each probe observed for this check (curl exit, TCP connect time, remote
   * address), so a pass shows its evidence as well as a failure.
   */
  observations?: ProbeObservation[];
}

export interface ProbeObservation {
  /** Probe name or instance id. */
  subject: string;
  observed: boolean;
  detail: string;
  connection?: { curlExit: number; timeConnectS: number; remoteIp?: string; httpCode?: string };
}

export function hopToDecisive(
  hop: Hop | { kind: string; id: string; detail: string } | undefined,
): DecisiveHop | undefined {
  if (!hop) return undefined;
  return { kind: hop.kind, id: hop.id, detail: hop.detail, ...('az' in hop && hop.az ? { az: hop.az } : {}) };
}
