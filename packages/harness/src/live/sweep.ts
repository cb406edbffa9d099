/**
 * Finds ephemeral environments whose `hubspoke:expires-at` has passed and destroys them. Two
 * sources, because either can be the only trace of a leak: the stacks in the backend (their
 * config, else the tags recorded in their state) and the tagged VPCs / transit gateways in the
 * account (a run whose state was lost). Only `it-<id>` envs are ever considered.
 */
import {
  type EC2Client,
  type Tag,
  paginateDescribeTransitGateways,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { TAG_ENV, TAG_EPHEMERAL, TAG_EXPIRES_AT, isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { type LedgerEntry, StackLedger, type TeardownReport, destroyEnvironment } from './environment';
import { errorMessage } from './errors';
import type { Progress } from './progress';
import { type ProjectLayout, deployPhases, refFor } from './projects';
import type { RetryPolicy } from './retry';
import type { StackDriver } from './stack-driver';

/** Config key the programs turn into the `hubspoke:expires-at` tag. */
export const EXPIRES_AT_CONFIG = 'hubspoke:expiresAt';

export interface TaggedResource {
  kind: 'vpc' | 'transit-gateway';
  id: string;
  expiresAt?: string;
}

export interface SweepCandidate {
  env: string;
  /** Earliest expiry any source states. */
  expiresAt: string;
  /** Stacks of the env in the backend, with their deploy phase. */
  stacks: LedgerEntry[];
  resources: TaggedResource[];
}

export interface SweepPlan {
  expired: SweepCandidate[];
  /** Ephemeral envs left alone, and why (not expired yet, no expiry found...). */
  skipped: { env: string; reason: string }[];
}

export interface FindExpiredOptions {
  driver: StackDriver;
  layout: ProjectLayout;
  ec2: EC2Client;
  now: number;
  /** Restrict to one env. */
  env?: string;
}

interface Found {
  expiries: string[];
  stacks: LedgerEntry[];
  resources: TaggedResource[];
  problems: string[];
}

export async function findExpiredEnvironments(o: FindExpiredOptions): Promise<SweepPlan> {
  const found = new Map<string, Found>();
  const entry = (env: string): Found => {
    let f = found.get(env);
    if (!f) found.set(env, (f = { expiries: [], stacks: [], resources: [], problems: [] }));
    return f;
  };
  const wanted = (env: string | undefined): env is string =>
    !!env && isEphemeralEnv(env) && (!o.env || env === o.env);

  for (const [phase, projects] of deployPhases(o.layout).entries()) {
    for (const project of projects) {
      for (const env of await o.driver.listStacks(project)) {
        if (!wanted(env)) continue;
        const ref = refFor(project, env);
        const f = entry(env);
        f.stacks.push({ ref, phase });
        const expiry = await stackExpiry(o.driver, ref).catch((err: unknown) => {
          f.problems.push(`${project.project}/${env}: ${errorMessage(err)}`);
          return undefined;
        });
        if (expiry) f.expiries.push(expiry);
      }
    }
  }

  const filters = [{ Name: `tag:${TAG_EPHEMERAL}`, Values: ['true'] }];
  for await (const page of paginateDescribeVpcs({ client: o.ec2 }, { Filters: filters })) {
    for (const vpc of page.Vpcs ?? []) addResource('vpc', vpc.VpcId, vpc.Tags);
  }
  for await (const page of paginateDescribeTransitGateways({ client: o.ec2 }, { Filters: filters })) {
    for (const tgw of page.TransitGateways ?? []) {
      if (tgw.State !== 'deleted' && tgw.State !== 'deleting')
        addResource('transit-gateway', tgw.TransitGatewayId, tgw.Tags);
    }
  }
  function addResource(kind: TaggedResource['kind'], id: string | undefined, tags: Tag[] | undefined): void {
    const env = tags?.find((t) => t.Key === TAG_ENV)?.Value;
    if (!id || !wanted(env)) return;
    const expiresAt = tags?.find((t) => t.Key === TAG_EXPIRES_AT)?.Value;
    const f = entry(env);
    f.resources.push({ kind, id, ...(expiresAt ? { expiresAt } : {}) });
    if (expiresAt) f.expiries.push(expiresAt);
  }

  const plan: SweepPlan = { expired: [], skipped: [] };
  for (const [env, f] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    const times = f.expiries.map((e) => ({ e, t: Date.parse(e) }));
    const invalid = times.filter((x) => Number.isNaN(x.t)).map((x) => x.e);
    const valid = times.filter((x) => !Number.isNaN(x.t)).sort((a, b) => a.t - b.t);
    if (valid.length === 0) {
      const why =
        invalid.length > 0
          ? `unparseable ${TAG_EXPIRES_AT} ${invalid.join(', ')}`
          : `no ${TAG_EXPIRES_AT} found`;
      plan.skipped.push({ env, reason: [why, ...f.problems].join('; ') });
      continue;
    }
    const first = valid[0]!;
    if (first.t > o.now) {
      plan.skipped.push({ env, reason: `expires at ${first.e}` });
      continue;
    }
    plan.expired.push({ env, expiresAt: first.e, stacks: f.stacks, resources: f.resources });
  }
  return plan;
}

/** `hubspoke:expiresAt` from the stack config, else the `hubspoke:expires-at` tag in its state. */
export async function stackExpiry(
  driver: StackDriver,
  ref: Parameters<StackDriver['getConfig']>[0],
): Promise<string | undefined> {
  const config = await driver.getConfig(ref).catch(() => ({}) as Record<string, unknown>);
  const fromConfig = config[EXPIRES_AT_CONFIG];
  if (typeof fromConfig === 'string' && fromConfig.length > 0) return fromConfig;
  return expiryFromState(await driver.exportState(ref));
}

/** Earliest `hubspoke:expires-at` tag on any resource of a checkpoint (inputs or outputs). */
export function expiryFromState(deployment: unknown): string | undefined {
  const resources = (deployment as { resources?: unknown[] } | undefined)?.resources ?? [];
  const values: string[] = [];
  for (const r of resources) {
    const res = r as { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
    for (const bag of [res.outputs, res.inputs]) {
      for (const key of ['tags', 'tagsAll']) {
        const tags = bag?.[key];
        if (tags && typeof tags === 'object') {
          const v = (tags as Record<string, unknown>)[TAG_EXPIRES_AT];
          if (typeof v === 'string') values.push(v);
        }
      }
    }
  }
  return values.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

export interface SweepResult {
  env: string;
  teardown?: TeardownReport;
  /** Tagged resources of an env with no stack in this backend: sweep cannot destroy them. */
  orphans: TaggedResource[];
}

export interface SweepDeps {
  driver: StackDriver;
  progress: Progress;
  retry: RetryPolicy;
}

/** Dry run unless `yes`: prints the plan; with `yes` destroys every expired env in reverse order. */
export async function sweepExpired(plan: SweepPlan, yes: boolean, deps: SweepDeps): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const s of plan.skipped) deps.progress.info(`skip ${s.env}: ${s.reason}`);
  for (const c of plan.expired) {
    const orphans = c.stacks.length === 0 ? c.resources : [];
    const what = [
      ...c.stacks.map((e) => `stack ${e.ref.project}/${e.ref.env}`),
      ...c.resources.map((r) => `${r.kind} ${r.id}`),
    ].join(', ');
    deps.progress.info(`${yes ? 'destroy' : 'would destroy'} ${c.env} (expired ${c.expiresAt}): ${what}`);
    if (orphans.length > 0) {
      deps.progress.info(
        `  ${c.env}: no stack in this backend manages ${orphans.map((r) => r.id).join(', ')}; point --backend at the backend that created it, or delete by hand`,
      );
    }
    if (!yes || c.stacks.length === 0) {
      results.push({ env: c.env, orphans });
      continue;
    }
    const ledger = new StackLedger();
    for (const e of c.stacks) ledger.add(e.ref, e.phase);
    results.push({ env: c.env, teardown: await destroyEnvironment(ledger, deps), orphans });
  }
  return results;
}
