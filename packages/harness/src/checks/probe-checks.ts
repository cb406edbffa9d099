/**
 * Checks answered through the Probe interface, so the offline model and the live SSM probe run
 * the same code: egress-ip, allow:<host>:<port>, deny:<host>:<port>, ssm-reachable.
 * Each aggregates over every probe; a check passes only when every probe made the observation and
 * the observation met the expectation.
 */
import type { Probe, ProbeHost, RequestObservation } from '../probe';
import type { HostRequest } from './expectations';
import { hopToDecisive, type CheckPath, type CheckResult, type DecisiveHop } from './types';
import { roundTripOk, type TracedPath } from './tracer';

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
    const anyPathSucceeded = o.succeeded || ((o.paths as TracedPath[] | undefined) ?? []).some(roundTripOk);
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
  );
  if (result.status === 'pass' && deciding) result.decisive = deciding;
  return result;
}

export async function ssmReachableCheck(probe: Probe, probes: ProbeHost[]): Promise<CheckResult> {
  const failures: Failure[] = [];
  const paths: CheckPath[] = [];
  for (const p of probes) {
    const o = await probe.ssmReachable(p);
    paths.push(...toCheckPaths(o.paths, `${probeLabel(p)} -> SSM`, p, roundTripOk));
    if (!o.observed) failures.push(failure(p, `not observed: ${o.detail}`, o.decisive));
    else if (!o.succeeded) failures.push(failure(p, o.detail, o.decisive));
  }
  return finish(
    'ssm-reachable',
    probes,
    failures,
    paths,
    `${probes.length} probe(s) reach their SSM endpoints on 443`,
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

/** No probe is a failure: a check that observed nothing must not pass. */
export function finish(
  id: string,
  probes: ProbeHost[],
  failures: Failure[],
  paths: CheckPath[],
  passDetail: string,
): CheckResult {
  if (probes.length === 0)
    return {
      id,
      status: 'fail',
      detail:
        'no probe to observe from (no instance tagged hubspoke:role=probe and none in a VPC without IGW)',
      covered: 0,
    };
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
