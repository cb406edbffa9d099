/**
 * Runs the docs/contracts.md "The hubspoke CLI" suite. `runProbeChecks` is what both the offline
 * verify and the live e2e run (through their Probe); `runModelChecks` the checks the model answers
 * on a snapshot; `runChecks` is the offline suite (both, with the model as the probe). Every entry
 * point that reports a run ends with `completeRun`, so a run that evaluated nothing fails.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { Probe, ProbeHost } from '../probe';
import { ModelProbe } from '../model-probe';
import { completeRun, guardEvaluated } from './evaluated';
import { defaultExpectations, resolveHost, type CheckExpectations, type CheckKind } from './expectations';
import type { NetworkScope } from './network-scope';
import { Topology } from './topology';
import { createTracer, type Tracer } from './tracer';
import {
  eastWestCheck,
  inspectedEastWestCheck,
  inspectedEgressCheck,
  symmetricReturnCheck,
  traceEastWestFlows,
  traceInternetFlows,
  type InternetTarget,
  type SubnetFlow,
} from './path-checks';
import { egressIpCheck, requestCheck, ssmReachableCheck } from './probe-checks';
import { ownInternetRoutes, spokeAttachmentCheck } from './spoke-checks';
import type { CheckResult } from './types';

export interface ProbeCheckOptions {
  probe: Probe;
  expectations?: CheckExpectations;
  /** Expected egress IPs and where they came from (for the message). */
  egressIps: { ips: string[]; source: string };
  /** Called after each check, e.g. to print progress. */
  onResult?: (r: CheckResult) => void;
}

/** Checks a probe can answer: egress-ip, allow:*, deny:*, ssm-reachable. */
export async function runProbeChecks(options: ProbeCheckOptions): Promise<CheckResult[]> {
  const ex = options.expectations ?? defaultExpectations();
  const run = (k: CheckKind): boolean => ex.run.includes(k);
  const probes: ProbeHost[] = await options.probe.listProbes();
  const results: CheckResult[] = [];
  const add = async (f: () => Promise<CheckResult>): Promise<void> => {
    const t0 = performance.now();
    const r = withStandInNote(guardEvaluated(withWarnings(await f())), probes);
    r.durationMs = Math.round((performance.now() - t0) * 10) / 10;
    results.push(r);
    options.onResult?.(r);
  };
  if (run('egress-ip'))
    await add(() =>
      egressIpCheck(
        options.probe,
        probes,
        ex.egressIps ?? options.egressIps.ips,
        ex.egressIps ? 'the egressIps of the checks file' : options.egressIps.source,
      ),
    );
  if (run('allow'))
    for (const r of ex.allow) await add(() => requestCheck(options.probe, probes, r, 'allow'));
  if (run('deny')) for (const r of ex.deny) await add(() => requestCheck(options.probe, probes, r, 'deny'));
  if (run('ssm-reachable')) await add(() => ssmReachableCheck(options.probe, probes));
  return results;
}

export interface ModelCheckOptions {
  snapshot: NetworkSnapshot;
  expectations?: CheckExpectations;
  /** What the caller knows of the environment (env name, spoke VPCs from the stack outputs). */
  scope?: NetworkScope;
  onResult?: (r: CheckResult) => void;
  /** Tracer and topology already built for this snapshot (runChecks shares them with the model probe). */
  prepared?: { tracer: Tracer; topology: Topology };
}

/**
 * Checks the model answers on the snapshot: spoke-attachment, inspected-egress,
 * inspected-east-west, symmetric-return, east-west:<A>:<B>.
 */
export function runModelChecks(options: ModelCheckOptions): CheckResult[] {
  const ex = options.expectations ?? defaultExpectations();
  const run = (k: CheckKind): boolean => ex.run.includes(k);
  const tracer = options.prepared?.tracer ?? createTracer(options.snapshot, { hosts: ex.hosts });
  const topology = options.prepared?.topology ?? new Topology(tracer.model, options.scope);
  const results: CheckResult[] = [];
  const timed = (f: () => CheckResult, extraMs = 0): void => {
    const t0 = performance.now();
    const r = guardEvaluated(withWarnings(f()));
    r.durationMs = Math.round((performance.now() - t0 + extraMs) * 10) / 10;
    results.push(r);
    options.onResult?.(r);
  };
  if (run('spoke-attachment')) timed(() => spokeAttachmentCheck(topology));
  const routingKinds: CheckKind[] = ['inspected-egress', 'inspected-east-west', 'symmetric-return'];
  if (routingKinds.some(run)) {
    // Routing properties: traced with a pass-all policy so that flows the policy drops still show
    // which endpoint they, and their reply, would cross. The policy itself is judged by allow/deny.
    const routing = createTracer(options.snapshot, { passAllFirewall: true });
    // Each check reports the tracing time it needed; traces are shared between the checks.
    const traced = <T>(f: () => T): { flows: T; ms: number } => {
      const t0 = performance.now();
      const flows = f();
      return { flows, ms: performance.now() - t0 };
    };
    const none = { flows: [] as SubnetFlow[], ms: 0 };
    const internet =
      run('inspected-egress') || run('symmetric-return')
        ? traced(() => traceInternetFlows(routing, topology, internetTargets(ex)))
        : none;
    const eastWest =
      run('inspected-east-west') || run('symmetric-return')
        ? traced(() => traceEastWestFlows(routing, topology))
        : none;
    if (run('inspected-egress'))
      timed(() => inspectedEgressCheck(topology, internet.flows, ownInternetRoutes(topology)), internet.ms);
    if (run('inspected-east-west'))
      timed(
        () =>
          inspectedEastWestCheck(topology, eastWest.flows, {
            ifApplicable: ex.ifConfigured.includes('inspected-east-west'),
          }),
        eastWest.ms,
      );
    if (run('symmetric-return'))
      timed(
        () => symmetricReturnCheck(topology, [...internet.flows, ...eastWest.flows.filter((f) => f.crossAz)]),
        internet.ms + eastWest.ms,
      );
  }
  if (run('east-west')) for (const e of ex.eastWest) timed(() => eastWestCheck(tracer, topology, e));
  return results;
}

export interface RunChecksOptions {
  snapshot: NetworkSnapshot;
  expectations?: CheckExpectations;
  /** What the caller knows of the environment (env name, spoke VPCs from the stack outputs). */
  scope?: NetworkScope;
  onResult?: (r: CheckResult) => void;
}

/** The offline suite on a snapshot: probe checks through the model probe, then the model checks. */
export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const ex = options.expectations ?? defaultExpectations();
  const tracer = createTracer(options.snapshot, { hosts: ex.hosts });
  const topology = new Topology(tracer.model, options.scope);
  const probe = new ModelProbe(tracer, topology, ex);
  const fwVpcs = [...topology.firewallVpcIds].map((v) => topology.vpcName(v)).join(', ') || 'no firewall VPC';
  const onResult = options.onResult ? { onResult: options.onResult } : {};
  const results = await runProbeChecks({
    probe,
    expectations: ex,
    egressIps: { ips: topology.natEips, source: `the NAT EIPs of ${fwVpcs}` },
    ...onResult,
  });
  results.push(
    ...runModelChecks({
      snapshot: options.snapshot,
      expectations: ex,
      prepared: { tracer, topology },
      ...onResult,
    }),
  );
  return completeRun(results, ex, options.onResult);
}

/** Says so when the observation was modelled from stand-in workloads rather than made by probes. */
function withStandInNote(r: CheckResult, probes: ProbeHost[]): CheckResult {
  if (probes.length === 0 || !probes.every((p) => p.standIn)) return r;
  r.detail = `${r.detail} [modelled from a stand-in workload in each of ${probes.length} workload subnet(s): no probe instance]`;
  return r;
}

const MAX_WARNINGS = 5;

/**
 * Firewall findings on the check's paths (e.g. the large-ClientHello hazard, a HOME_NET that does
 * not cover the source), surfaced on the result even when it passes.
 */
export function withWarnings(r: CheckResult): CheckResult {
  const seen = new Set<string>();
  for (const p of r.paths ?? [])
    for (const d of p.forward.firewallDecisions ?? []) for (const w of d.warnings) seen.add(w);
  if (seen.size === 0) return r;
  const list = [...seen];
  r.warnings = [
    ...(r.warnings ?? []),
    ...list.slice(0, MAX_WARNINGS),
    ...(list.length > MAX_WARNINGS ? [`(+${list.length - MAX_WARNINGS} more)`] : []),
  ];
  return r;
}

/** Distinct internet destinations the checks name (egress host, allow and deny lists). */
export function internetTargets(ex: CheckExpectations): InternetTarget[] {
  const seen = new Map<string, InternetTarget>();
  for (const r of [ex.egressIpHost, ...ex.allow, ...ex.deny]) {
    const ip = resolveHost(ex.hosts, r.host);
    if (!ip) continue;
    const key = `${ip}:${r.port}`;
    if (!seen.has(key)) seen.set(key, { host: r.host, ip, port: r.port, protocol: r.protocol });
  }
  return [...seen.values()];
}
