/**
 * Checks answered through the Probe interface, so the offline model and the live SSM probe run
 * the same code: egress-ip, allow:<host>:<port>, deny:<host>:<port>, ssm-reachable.
 * Each aggregates over every probe; a check passes only when every probe made the observation and
 * the observation met the expectation.
 */
import type { Probe, ProbeHost, RequestObservation } from '../probe';
import type { HostRequest } from './expectations';
import { hopToDecisive, type CheckPath, type CheckResult, type DecisiveHop } from './types';
import { pathUnknown, roundTripOk, type TracedPath } from './tracer';

type Failure = NonNullable<CheckResult['failures']>[number];

const probeLabel = (p: ProbeHost): string =>
  `${p.name ?? p.instanceId} (${p.subnetId}, ${p.availabilityZone})`;

export async function egressIpCheck(
  probe: Probe,
  probes: ProbeHost[],
  expectedIps: string[],
  source: string,
): Promise<CheckResult> {
  const failures: Failure[] = [];
  const paths: CheckPath[] = [];
  const seen: string[] = [];
  if (expectedIps.length === 0) {
    return {
      id: 'egress-ip',
      status: 'fail',
      detail: `no expected egress IPs: ${source} is empty`,
      covered: 0,
    };
  }
  const unknowns: Failure[] = [];
  for (const p of probes) {
    const o = await probe.egressIp(p);
    paths.push(
      ...toCheckPaths(
        o.paths,
        probeLabel(p),
        p,
        (t) => roundTripOk(t) && expectedIps.includes(t.translatedSource ?? ''),
      ),
    );
    const traced = (o.paths as TracedPath[] | undefined) ?? [];
    const undecided = traced.filter(pathUnknown);
    // Paths the model cannot decide leave the egress IP unknown, unless a decided path already fails.
    const decidedFailure = traced.some(
      (t) => !pathUnknown(t) && !(roundTripOk(t) && expectedIps.includes(t.translatedSource ?? '')),
    );
    if (undecided.length > 0 && !decidedFailure) {
      unknowns.push(unknownCase(p, undecided));
      continue;
    }
    if (!o.observed) {
      failures.push(failure(p, `could not observe its egress IP: ${o.detail}`, o.decisive));
      continue;
    }
    const wrong = o.ips.filter((ip) => !expectedIps.includes(ip));
    seen.push(...o.ips);
    if (o.ips.length === 0) failures.push(failure(p, 'observed no egress IP', o.decisive));
    else if (wrong.length > 0) {
      const bad = (o.paths as TracedPath[] | undefined)?.find((t) =>
        wrong.includes(t.translatedSource ?? ''),
      );
      const natHop = bad?.hops.find((h) => h.kind === 'nat-gateway' || h.kind === 'internet-gateway');
      failures.push(
        failure(
          p,
          `egress IP ${wrong.join(', ')} is not one of ${source} (${expectedIps.join(', ')})`,
          natHop ?? o.decisive,
        ),
      );
    }
  }
  return finish(
    'egress-ip',
    probes,
    failures,
    paths,
    `egress IP of ${probes.length} probe(s) in ${source}: ${[...new Set(seen)].join(', ')}`,
    unknowns,
  );
}

export async function requestCheck(
  probe: Probe,
  probes: ProbeHost[],
  req: HostRequest,
  expect: 'allow' | 'deny',
): Promise<CheckResult> {
  const id = `${expect}:${req.host}:${req.port}`;
  const failures: Failure[] = [];
  const unknowns: Failure[] = [];
  const paths: CheckPath[] = [];
  let deciding: DecisiveHop | undefined;
  for (const p of probes) {
    const o: RequestObservation = await probe.request(p, {
      host: req.host,
      port: req.port,
      protocol: req.protocol,
      ...(req.sni ? { sni: req.sni } : {}),
    });
    paths.push(
      ...toCheckPaths(o.paths, probeLabel(p), p, (t) =>
        expect === 'allow' ? roundTripOk(t) : !roundTripOk(t),
      ),
    );
    deciding ??= hopToDecisive(o.decisive);
    if (!o.observed) {
      failures.push(failure(p, `request not made: ${o.detail}`, o.decisive));
      continue;
    }
    // A deny holds only if no path gets a response (the model may list several).
    const traced = (o.paths as TracedPath[] | undefined) ?? [];
    const anyPathSucceeded = o.succeeded || traced.some(roundTripOk);
    const undecided = traced.filter(pathUnknown);
    const decidedFailure =
      expect === 'allow' ? traced.some((t) => !pathUnknown(t) && !roundTripOk(t)) : anyPathSucceeded;
    if (undecided.length > 0 && !decidedFailure) {
      unknowns.push(unknownCase(p, undecided));
      continue;
    }
    if (expect === 'allow' && !o.succeeded)
      failures.push(failure(p, `expected a response, got none: ${o.detail}`, o.decisive));
    if (expect === 'deny' && anyPathSucceeded) {
      const passed = ((o.paths as TracedPath[] | undefined) ?? []).find(roundTripOk);
      const fw = passed?.firewallDecisions?.[0];
      const why: DecisiveHop | undefined = fw
        ? {
            kind: 'firewall',
            id: fw.data.decidedBy.ruleGroup ?? 'policy',
            detail: `${fw.data.decidedBy.action}: ${fw.data.decidedBy.text}`,
          }
        : passed && passed.firewallEndpoints.length === 0
          ? {
              kind: 'route',
              id: passed.hops.find((h) => h.kind === 'route-table')?.id ?? '?',
              detail: 'path crosses no firewall endpoint',
            }
          : hopToDecisive(o.decisive);
      failures.push(failure(p, `expected no response, but it came back: ${o.detail}`, why));
    }
  }
  const verb = expect === 'allow' ? 'answered' : 'blocked';
  const result = finish(
    id,
    probes,
    failures,
    paths,
    `${req.protocol} ${req.host}:${req.port} ${verb} for ${probes.length} probe(s)`,
    unknowns,
  );
  if (result.status === 'pass' && deciding) result.decisive = deciding;
  return result;
}

export async function ssmReachableCheck(probe: Probe, probes: ProbeHost[]): Promise<CheckResult> {
  const failures: Failure[] = [];
  const unknowns: Failure[] = [];
  const paths: CheckPath[] = [];
  const warnings = new Set<string>();
  for (const p of probes) {
    const o = await probe.ssmReachable(p);
    for (const w of o.warnings ?? []) warnings.add(w);
    paths.push(...toCheckPaths(o.paths, `${probeLabel(p)} -> SSM`, p, roundTripOk));
    const traced = (o.paths as TracedPath[] | undefined) ?? [];
    const undecided = traced.filter(pathUnknown);
    if (!o.observed) failures.push(failure(p, `not observed: ${o.detail}`, o.decisive));
    else if (undecided.length > 0 && traced.every((t) => pathUnknown(t) || roundTripOk(t)))
      unknowns.push(unknownCase(p, undecided));
    else if (!o.succeeded) failures.push(failure(p, o.detail, o.decisive));
  }
  const result = finish(
    'ssm-reachable',
    probes,
    failures,
    paths,
    `the SSM agent of ${probes.length} probe(s) reaches ssm, ssmmessages and ec2messages on 443 as it resolves them`,
    unknowns,
  );
  if (warnings.size > 0) result.warnings = [...(result.warnings ?? []), ...warnings];
  return result;
}

/** A probe whose outcome rests on paths the model cannot decide: what was not modelled, first one named. */
function unknownCase(p: ProbeHost, undecided: TracedPath[]): Failure {
  const first = undecided[0]!;
  const d = first.returnPath?.verdict === 'unknown' ? first.returnPath.decidedBy : first.decidedBy;
  const what = [
    ...new Set(
      undecided.map((t) => (t.returnPath?.verdict === 'unknown' ? t.returnPath.decidedBy : t.decidedBy).id),
    ),
  ];
  return failure(
    p,
    `cannot tell: ${undecided.length} path(s) meet what the model does not model (${what.join(', ')}): ${d.detail}`,
    d,
  );
}

function failure(p: ProbeHost, detail: string, decisive: Parameters<typeof hopToDecisive>[0]): Failure {
  const d = hopToDecisive(decisive);
  return {
    subject: p.name ?? p.instanceId,
    detail,
    subnetId: p.subnetId,
    az: p.availabilityZone,
    ...(d ? { decisive: { subnetId: p.subnetId, az: p.availabilityZone, ...d } } : {}),
  };
}

function toCheckPaths(
  paths: unknown,
  label: string,
  p: ProbeHost,
  ok: (t: TracedPath) => boolean,
): CheckPath[] {
  return ((paths as TracedPath[] | undefined) ?? []).map((t) => ({
    label,
    ok: ok(t),
    forward: t,
    ...(t.returnPath ? { returnPath: t.returnPath } : {}),
    subnetId: p.subnetId,
    az: p.availabilityZone,
  }));
}

/**
 * No probe is a failure: a check that observed nothing must not pass. A failing case decides the
 * check; otherwise a case the model cannot decide makes it `unknown`.
 */
export function finish(
  id: string,
  probes: ProbeHost[],
  failures: Failure[],
  paths: CheckPath[],
  passDetail: string,
  unknowns: Failure[] = [],
): CheckResult {
  if (probes.length === 0)
    return {
      id,
      status: 'fail',
      detail:
        'no probe to observe from (no instance tagged hubspoke:role=probe and none in a VPC without IGW)',
      covered: 0,
    };
  if (failures.length === 0 && unknowns.length > 0)
    return undecidedResult(id, unknowns, probes.length, 'probe', paths);
  if (failures.length === 0) return { id, status: 'pass', detail: passDetail, covered: probes.length, paths };
  return {
    id,
    status: 'fail',
    detail: summarizeFailures(failures, probes.length, 'probe'),
    ...(failures[0]!.decisive ? { decisive: failures[0]!.decisive } : {}),
    failures,
    covered: probes.length,
    paths,
  };
}

/** An `unknown` result: no case failed, `unknowns` could not be decided; the first is named. */
export function undecidedResult(
  id: string,
  unknowns: Failure[],
  total: number,
  unit: string,
  paths: CheckPath[],
): CheckResult {
  const f = unknowns[0]!;
  const more = unknowns.length > 1 ? ` (+${unknowns.length - 1} more)` : '';
  return {
    id,
    status: 'unknown',
    detail: `UNKNOWN: ${unknowns.length}/${total} ${unit}(s) cannot be decided: ${clip(`${f.subject}: ${f.detail}`, 300)}${more}`,
    ...(f.decisive ? { decisive: f.decisive } : {}),
    failures: unknowns,
    covered: total,
    paths,
  };
}

/**
 * `2/3 probe(s) failed: spoke-a-probe (us-east-1a): ... (+1 more)`: the first failure only, cut
 * to a readable length; every failure with its decisive hop is in `failures`.
 */
export function summarizeFailures(failures: Failure[], total: number, unit: string): string {
  const f = failures[0]!;
  const where = f.subject.includes(f.az ?? '\u0000') ? '' : [f.subnetId, f.az].filter(Boolean).join(', ');
  const first = clip(`${f.subject}${where ? ` (${where})` : ''}: ${f.detail}`, 300);
  const more = failures.length > 1 ? ` (+${failures.length - 1} more)` : '';
  return `${failures.length}/${total} ${unit}(s) failed: ${first}${more}`;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
