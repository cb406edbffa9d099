/**
 * Checks computed from the network model over every spoke workload subnet in every AZ, on every
 * path AWS may choose: inspected-egress, inspected-east-west, symmetric-return, east-west:<A>:<B>.
 * They have no live counterpart (a probe sees one path), which is why they exist: they prove what
 * sampling cannot.
 */
import type { Hop, PathResult } from '@hubspoke/netmodel';
import type { EastWestExpectation } from './expectations';
import type { Topology, WorkloadSubnet } from './topology';
import type { CheckPath, CheckResult, DecisiveHop } from './types';
import { pathUnknown, roundTripOk, type FlowQuery, type Tracer, type TracedPath } from './tracer';
import { decisiveOf, endpointsText, roundTripFailure } from './paths';
import { clip, summarizeFailures, undecidedResult } from './probe-checks';
import { routingClasses } from './routing-class';
import type { OwnInternetRoute } from './spoke-checks';

type Failure = NonNullable<CheckResult['failures']>[number];

export interface InternetTarget {
  host: string;
  ip: string;
  port: number;
  protocol: 'tls' | 'http';
}

/** One traced flow from a workload subnet, kept so the routing checks share traces. */
export interface SubnetFlow {
  from: WorkloadSubnet;
  to: string;
  paths: TracedPath[];
  /** East-west flows: true when source and destination are in different AZs. */
  crossAz?: boolean;
}

const subnetLabel = (s: WorkloadSubnet): string => `${s.vpcName} ${s.subnetId} (${s.az})`;

function appOf(t: { host: string; protocol: 'tls' | 'http' | 'tcp' | 'udp' }): FlowQuery['app'] {
  if (t.protocol === 'tls') return { kind: 'tls', sni: t.host };
  if (t.protocol === 'http') return { kind: 'http', host: t.host };
  return undefined;
}

/** Internet-bound flows of every workload subnet (one per distinct internet target). */
export function traceInternetFlows(
  tracer: Tracer,
  topology: Topology,
  targets: InternetTarget[],
): SubnetFlow[] {
  const flows: SubnetFlow[] = [];
  for (const s of topology.workloadSubnets) {
    for (const t of targets) {
      const app = appOf(t);
      const paths = tracer.trace({
        source: { ip: s.freeIp, vpcId: s.vpcId },
        destination: { ip: t.ip, port: t.port },
        protocol: 'tcp',
        ...(app ? { app } : {}),
      });
      flows.push({ from: s, to: `${t.host}:${t.port}`, paths });
    }
  }
  return flows;
}

/**
 * East-west flows between workload subnets of different spokes, in every AZ combination: from
 * every workload subnet to one member (outside its VPC) of every routing class. A class groups
 * destinations that every trace treats alike (see routing-class.ts, the AZ is part of a class), so
 * this decides every pair while tracing a number of flows linear in the subnets.
 */
export function traceEastWestFlows(tracer: Tracer, topology: Topology): SubnetFlow[] {
  const flows: SubnetFlow[] = [];
  const classes = routingClasses(tracer.model, topology.workloadSubnets).map((members) => ({
    members,
    // Members per VPC, so "the others outside a's VPC" is a lookup, not a scan per source.
    perVpc: members.reduce((m, s) => m.set(s.vpcId, (m.get(s.vpcId) ?? 0) + 1), new Map<string, number>()),
  }));
  for (const a of topology.workloadSubnets) {
    for (const { members, perVpc } of classes) {
      const b = members[0]!.vpcId !== a.vpcId ? members[0]! : members.find((m) => m.vpcId !== a.vpcId);
      if (!b) continue;
      const paths = tracer.trace({
        source: { ip: a.freeIp, vpcId: a.vpcId },
        // A stand-in workload at b's free address: it answers as a workload there would.
        destination: { ip: b.freeIp, port: 443, standIn: true },
        protocol: 'tcp',
      });
      const others = members.length - (perVpc.get(a.vpcId) ?? 0) - 1;
      flows.push({
        from: a,
        to: `${subnetLabel(b)}${others > 0 ? ` (and ${others} subnet(s) routed alike)` : ''}`,
        paths,
        crossAz: b.az !== a.az,
      });
    }
  }
  return flows;
}

/**
 * inspected-egress: every internet-bound path from every spoke workload subnet crosses a firewall
 * endpoint, and no spoke subnet has a route of its own to an internet, NAT or egress-only gateway
 * (`ownRoutes`, read from the route tables: a trace only sees the destinations it tries).
 */
export function inspectedEgressCheck(
  topology: Topology,
  flows: SubnetFlow[],
  ownRoutes: OwnInternetRoute[] = [],
): CheckResult {
  const failures: Failure[] = [];
  const paths: CheckPath[] = [];
  const ownWays: Failure[] = ownRoutes.map((r) => ({
    subject: `${r.spoke} ${r.subnetId} (${r.az})`,
    detail: `has a way to the internet of its own: ${r.destination} -> ${r.gateway} in ${r.routeTableId}`,
    decisive: {
      kind: 'route',
      id: r.routeTableId,
      detail: `${r.routeTableId}: ${r.destination} -> ${r.gateway} (bypasses inspection)`,
      subnetId: r.subnetId,
      az: r.az,
    },
    subnetId: r.subnetId,
    az: r.az,
  }));
  const unknowns: Failure[] = [];
  for (const f of flows) {
    f.paths.forEach((p, n) => {
      const ok = p.firewallEndpoints.length > 0;
      paths.push(checkPath(f, p, ok));
      if (ok) return;
      // Met what the model does not model before any endpoint: whether it is inspected is unknown.
      if (p.forwardVerdict === 'unknown') {
        unknowns.push(unknownCase(f, p, n));
        return;
      }
      const reachedInternet = p.hops.some((h) => h.kind === 'internet' || h.kind === 'internet-gateway');
      const d: DecisiveHop = reachedInternet ? bypassHop(p) : decisiveOf(p);
      failures.push({
        subject: `${subnetLabel(f.from)} -> ${f.to} path ${n + 1}/${f.paths.length}`,
        detail: reachedInternet
          ? `reaches the internet without crossing a firewall endpoint`
          : `dropped before any firewall endpoint`,
        decisive: { subnetId: f.from.subnetId, az: f.from.az, ...d },
        subnetId: f.from.subnetId,
        az: f.from.az,
      });
    });
  }
  const result = pathCheckResult(
    'inspected-egress',
    topology,
    flows,
    failures,
    paths,
    (n) =>
      `${n} internet-bound path(s) from ${topology.workloadSubnets.length} workload subnet(s) all cross a firewall endpoint; no spoke subnet routes to a gateway of its own`,
    unknowns,
  );
  if (ownWays.length === 0) return result;
  const own = `${ownWays.length} spoke subnet(s) route to the internet on their own: ${clip(`${ownWays[0]!.subject} ${ownWays[0]!.detail}`, 200)}${ownWays.length > 1 ? ` (+${ownWays.length - 1} more)` : ''}`;
  return {
    ...result,
    status: 'fail',
    detail: result.status === 'pass' ? own : `${own}; ${result.detail}`,
    decisive: ownWays[0]!.decisive!,
    failures: [...ownWays, ...(result.failures ?? [])],
  };
}

/**
 * inspected-east-west: every path between workload subnets of different spokes, in every AZ
 * combination, crosses a firewall endpoint. A path that reaches the other spoke without one
 * bypasses inspection; one dropped before any endpoint never got inspected either.
 *
 * An environment with one spoke has no spoke-to-spoke path: when the check runs by default
 * (`ifApplicable`) it is `not-applicable`; when the checks file asks for it, it fails saying so.
 */
export function inspectedEastWestCheck(
  topology: Topology,
  flows: SubnetFlow[],
  options: { ifApplicable?: boolean } = {},
): CheckResult {
  const id = 'inspected-east-west';
  const environmentSpokes = topology.environment.spokes.map((s) => s.name);
  if (environmentSpokes.length === 1) {
    const which = `one spoke (${environmentSpokes[0]})`;
    return options.ifApplicable
      ? {
          id,
          status: 'not-applicable',
          detail: `not applicable: ${which}, so no spoke-to-spoke path exists`,
          covered: 0,
        }
      : {
          id,
          status: 'fail',
          detail: `requested by the checks file, but the environment has ${which}: there is no spoke-to-spoke path to check, so it cannot pass`,
          covered: 0,
        };
  }
  const spokes = new Set(topology.workloadSubnets.map((s) => s.vpcName));
  if (spokes.size < 2)
    return {
      id,
      status: 'fail',
      detail: `no two spokes with workload subnets (${[...spokes].join(', ') || 'none'}) among the environment's ${environmentSpokes.length} spoke(s): no east-west path to check`,
      covered: 0,
    };
  const failures: Failure[] = [];
  const unknowns: Failure[] = [];
  const paths: CheckPath[] = [];
  for (const f of flows) {
    f.paths.forEach((p, n) => {
      const ok = p.firewallEndpoints.length > 0;
      paths.push(checkPath(f, p, ok));
      if (ok) return;
      if (p.forwardVerdict === 'unknown') {
        unknowns.push(unknownCase(f, p, n));
        return;
      }
      const reached = p.verdict === 'delivered' || p.forwardVerdict === 'delivered';
      const d: DecisiveHop = reached ? eastWestBypassHop(p) : decisiveOf(p);
      failures.push({
        subject: `${subnetLabel(f.from)} -> ${f.to} path ${n + 1}/${f.paths.length}`,
        detail: reached
          ? 'reaches the other spoke without crossing a firewall endpoint'
          : 'dropped before any firewall endpoint',
        decisive: { subnetId: f.from.subnetId, az: f.from.az, ...d },
        subnetId: f.from.subnetId,
        az: f.from.az,
      });
    });
  }
  return pathCheckResult(
    id,
    topology,
    flows,
    failures,
    paths,
    (n) =>
      `${n} path(s) between workload subnets of ${spokes.size} spokes, in every AZ combination, all cross a firewall endpoint`,
    unknowns,
  );
}

export function symmetricReturnCheck(topology: Topology, flows: SubnetFlow[]): CheckResult {
  const failures: Failure[] = [];
  const unknowns: Failure[] = [];
  const paths: CheckPath[] = [];
  for (const f of flows) {
    f.paths.forEach((p, n) => {
      const ret = p.returnPath;
      // Every path this check sees should be inspected: "no endpoint either way" is not symmetric
      // inspection, it is none.
      const ok =
        ret !== undefined &&
        ret.verdict === 'delivered' &&
        p.firewallEndpoints.length > 0 &&
        sameEndpoints(p.firewallEndpoints, ret.firewallEndpoints);
      paths.push(checkPath(f, p, ok));
      if (ok) return;
      if (pathUnknown(p)) {
        unknowns.push(unknownCase(f, p, n));
        return;
      }
      let detail: string;
      let decisive: DecisiveHop;
      if (!ret) {
        // No reply exists to compare: the request itself never arrived.
        detail = p.firewallEndpoints.length
          ? `the request never reaches its destination, so no reply returns through ${endpointsText(p.firewallEndpoints)}`
          : 'the request never reaches its destination (and crosses no firewall endpoint)';
        decisive = decisiveOf(p);
      } else if (p.firewallEndpoints.length === 0 && ret.firewallEndpoints.length === 0) {
        detail = 'neither the request nor the reply crosses a firewall endpoint';
        decisive = eastWestBypassHop(p);
      } else if (
        sameEndpoints(p.firewallEndpoints, ret.firewallEndpoints) ||
        ret.firewallEndpoints.every((e) => p.firewallEndpoints.includes(e))
      ) {
        detail = `the reply is dropped before returning through ${endpointsText(p.firewallEndpoints)}`;
        decisive = decisiveOf(ret, 'return');
      } else {
        detail = `request crosses ${endpointsText(p.firewallEndpoints)}, reply crosses ${endpointsText(ret.firewallEndpoints)}`;
        decisive = asymmetryHop(ret, p.firewallEndpoints);
      }
      failures.push({
        subject: `${subnetLabel(f.from)} -> ${f.to} path ${n + 1}/${f.paths.length}`,
        detail,
        decisive: { subnetId: f.from.subnetId, az: f.from.az, ...decisive },
        subnetId: f.from.subnetId,
        az: f.from.az,
      });
    });
  }
  return pathCheckResult(
    'symmetric-return',
    topology,
    flows,
    failures,
    paths,
    (n) =>
      `${n} path(s) (internet-bound and cross-AZ east-west) cross a firewall endpoint and return through the endpoint they left by`,
    unknowns,
  );
}

export function eastWestCheck(tracer: Tracer, topology: Topology, e: EastWestExpectation): CheckResult {
  const id = `east-west:${e.from}:${e.to}`;
  const from = topology.resolveVpc(e.from);
  const to = topology.resolveVpc(e.to);
  if (!from || !to)
    return {
      id,
      status: 'fail',
      detail: `VPC "${!from ? e.from : e.to}" is not in the snapshot (by id, hubspoke:stack or Name tag)`,
      covered: 0,
    };
  const src = topology.workloadSubnets.filter((s) => s.vpcId === from);
  const dst = topology.workloadSubnets.filter((s) => s.vpcId === to);
  const failures: Failure[] = [];
  const unknowns: Failure[] = [];
  const paths: CheckPath[] = [];
  const flows: SubnetFlow[] = [];
  const proto = e.protocol === 'udp' ? 'udp' : 'tcp';
  const app = appOf({ host: topology.vpcName(to), protocol: e.protocol });
  for (const a of src) {
    for (const b of dst) {
      const traced = tracer.trace({
        source: { ip: a.freeIp, vpcId: a.vpcId },
        destination: { ip: b.freeIp, port: e.port, standIn: true },
        protocol: proto,
        ...(app ? { app } : {}),
      });
      const flow = { from: a, to: subnetLabel(b), paths: traced };
      flows.push(flow);
      traced.forEach((p, n) => {
        const answered = roundTripOk(p);
        const ok = e.expect === 'allow' ? answered : !answered && !pathUnknown(p);
        paths.push(checkPath(flow, p, ok));
        if (ok) return;
        if (pathUnknown(p)) {
          unknowns.push(unknownCase(flow, p, n));
          return;
        }
        const d = e.expect === 'allow' ? roundTripFailure(p) : allowedBy(p);
        failures.push({
          subject: `${subnetLabel(a)} -> ${subnetLabel(b)} path ${n + 1}/${traced.length}`,
          detail:
            e.expect === 'allow'
              ? `expected a response on ${e.protocol}/${e.port}, got none`
              : `expected no response on ${e.protocol}/${e.port}, but it came back`,
          decisive: { subnetId: a.subnetId, az: a.az, ...d },
          subnetId: a.subnetId,
          az: a.az,
        });
      });
    }
  }
  if (src.length === 0 || dst.length === 0) {
    return {
      id,
      status: 'fail',
      detail: `no workload subnet in ${src.length === 0 ? e.from : e.to}`,
      covered: 0,
    };
  }
  return pathCheckResult(
    id,
    topology,
    flows,
    failures,
    paths,
    (n) =>
      `${e.from} -> ${e.to} ${e.protocol}/${e.port}: ${e.expect === 'allow' ? 'answered' : 'blocked'} on all ${n} path(s)`,
    unknowns,
  );
}

/** A path that met what the model does not model: the case cannot be decided. */
function unknownCase(f: SubnetFlow, p: TracedPath, n: number): Failure {
  const d = p.returnPath?.verdict === 'unknown' ? decisiveOf(p.returnPath, 'return') : decisiveOf(p);
  return {
    subject: `${subnetLabel(f.from)} -> ${f.to} path ${n + 1}/${f.paths.length}`,
    detail: `cannot tell: the path meets what the model does not model: ${d.detail}`,
    decisive: { subnetId: f.from.subnetId, az: f.from.az, ...d },
    subnetId: f.from.subnetId,
    az: f.from.az,
  };
}

function pathCheckResult(
  id: string,
  topology: Topology,
  flows: SubnetFlow[],
  failures: Failure[],
  paths: CheckPath[],
  passDetail: (n: number) => string,
  unknowns: Failure[] = [],
): CheckResult {
  const total = flows.reduce((n, f) => n + f.paths.length, 0);
  if (topology.workloadSubnets.length === 0) {
    const spokes = topology.environment.spokes.map((s) => s.name);
    return {
      id,
      status: 'fail',
      detail: `no spoke workload subnet found (${spokes.length ? `spoke VPC(s) ${spokes.join(', ')} have no subnet in the snapshot` : 'no spoke VPC in the snapshot'})`,
      covered: 0,
    };
  }
  if (total === 0)
    return { id, status: 'fail', detail: 'the model returned no path for any flow', covered: 0 };
  if (failures.length === 0 && unknowns.length > 0)
    return undecidedResult(id, unknowns, total, 'path', paths);
  if (failures.length === 0) return { id, status: 'pass', detail: passDetail(total), covered: total, paths };
  return {
    id,
    status: 'fail',
    detail: summarizeFailures(failures, total, 'path'),
    decisive: failures[0]!.decisive!,
    failures,
    covered: total,
    paths,
  };
}

function checkPath(f: SubnetFlow, p: TracedPath, ok: boolean): CheckPath {
  return {
    label: `${subnetLabel(f.from)} -> ${f.to}`,
    ok,
    forward: p,
    ...(p.returnPath ? { returnPath: p.returnPath } : {}),
    subnetId: f.from.subnetId,
    az: f.from.az,
  };
}

function sameEndpoints(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** The route that sent a packet to a NAT gateway or IGW without a firewall endpoint before it. */
function bypassHop(p: PathResult): DecisiveHop {
  const exit = p.hops.findIndex((h) => h.kind === 'nat-gateway' || h.kind === 'internet-gateway');
  const route = [...p.hops.slice(0, exit < 0 ? p.hops.length : exit)]
    .reverse()
    .find((h) => h.kind === 'route-table');
  const hop: Hop | undefined = route ?? p.hops[exit];
  if (!hop) return decisiveOf(p);
  return { kind: 'route', id: hop.id, detail: hop.detail, ...(hop.az ? { az: hop.az } : {}) };
}

/**
 * The route that took a flow between spokes past the firewall: the TGW route table that sent it
 * straight to the other spoke (or the VPC route, for a path that never met the TGW).
 */
function eastWestBypassHop(p: PathResult): DecisiveHop {
  const tgw = p.hops.find((h) => h.kind === 'tgw-route-table');
  if (tgw)
    return { kind: 'tgw-route', id: tgw.id, detail: `${tgw.detail} (no firewall endpoint on the path)` };
  const route = p.hops.find((h) => h.kind === 'route-table');
  if (route)
    return { kind: 'route', id: route.id, detail: `${route.detail} (no firewall endpoint on the path)` };
  return decisiveOf(p);
}

/** Where the reply diverged: the TGW attachment (AZ choice) in front of the other endpoint. */
function asymmetryHop(ret: Pick<PathResult, 'hops' | 'decidedBy'>, forwardEndpoints: string[]): DecisiveHop {
  const idx = ret.hops.findIndex((h) => h.kind === 'firewall-endpoint' && !forwardEndpoints.includes(h.id));
  const upTo = idx < 0 ? ret.hops : ret.hops.slice(0, idx + 1);
  const hop = [...upTo].reverse().find((h) => h.kind === 'tgw-attachment') ?? upTo[upTo.length - 1];
  if (!hop) return decisiveOf(ret, 'return');
  const endpoint = idx >= 0 ? ` -> ${ret.hops[idx]!.id}` : ' (no firewall endpoint)';
  return {
    kind: hop.kind,
    id: hop.id,
    detail: `reply: ${hop.detail}${endpoint}`,
    ...(hop.az ? { az: hop.az } : {}),
  };
}

/** For an unexpected answer: the firewall rule that passed it, or the path that skipped the firewall. */
function allowedBy(p: TracedPath): DecisiveHop {
  const fw = p.firewallDecisions?.find((d) => d.allowed);
  if (fw)
    return {
      kind: 'firewall',
      id: fw.data.decidedBy.ruleGroup ?? 'policy',
      detail: `${fw.data.decidedBy.action}: ${fw.data.decidedBy.text}`,
    };
  return p.firewallEndpoints.length === 0 ? eastWestBypassHop(p) : decisiveOf(p);
}
