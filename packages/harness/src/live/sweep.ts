/**
 * Finds ephemeral environments whose `hubspoke:expires-at` has passed and destroys them. Two
 * sources, because either can be the only trace of a leak: the stacks in the backend (their
 * config, else the tags recorded in their state) and the tagged VPCs / transit gateways in the
 * account (a run whose state was lost), searched in every region an environment uses (the
 * `aws:region` of its stacks) besides the one given, and in every spoke account an environment
 * may use (docs/multi-account.md) besides the credentials' own. Only `it-<id>` envs are ever
 * considered.
 *
 * The nightly teardown uses the same code with an env pattern (`it-<run id>-*`) and
 * `ignoreExpiry`: one teardown implementation, the retrying, recovering destroy of
 * environment.ts.
 */
import {
  type EC2Client,
  type Tag,
  paginateDescribeTransitGateways,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { TAG_ENV, TAG_EPHEMERAL, TAG_EXPIRES_AT, isEphemeralEnv } from '@hubspoke/network/src/contracts';
import { type AccountRole, type AwsLocation, locationKey } from './aws-clients';
import { type LedgerEntry, StackLedger, type TeardownReport, destroyEnvironment } from './environment';
import { errorMessage } from './errors';
import type { Progress } from './progress';
import { type ProjectLayout, deployPhases, refFor } from './projects';
import type { RetryPolicy } from './retry';
import type { StackDriver, StackRef } from './stack-driver';

/** Config key the programs turn into the `hubspoke:expires-at` tag. */
export const EXPIRES_AT_CONFIG = 'hubspoke:expiresAt';
export const REGION_CONFIG = 'aws:region';

export interface TaggedResource {
  kind: 'vpc' | 'transit-gateway';
  id: string;
  region: string;
  expiresAt?: string;
  /** The account holding it, when it is not the credentials' own. */
  accountId?: string;
}

export interface SweepCandidate {
  env: string;
  /** `expired`, or `requested` (matched with `ignoreExpiry`, expired or not). */
  why: 'expired' | 'requested';
  /** Earliest expiry any source states; undefined when torn down on request without one. */
  expiresAt?: string;
  /** Stacks of the env in the backend, with their deploy phase. */
  stacks: LedgerEntry[];
  resources: TaggedResource[];
  /** Regions the env's stacks deploy to. */
  regions: string[];
}

export interface SweepPlan {
  /** Envs to destroy: expired, or matched with `ignoreExpiry`. */
  expired: SweepCandidate[];
  /** Ephemeral envs left alone, and why (not expired yet, no expiry found...). */
  skipped: { env: string; reason: string }[];
  /** Every region whose tagged resources were searched. */
  regions: string[];
}

/**
 * Which envs: an exact `it-<id>`, or a prefix ending in `*` (`it-1234-*`: every attempt of a
 * workflow run). Anything that is not ephemeral is refused.
 */
export function envMatcher(pattern: string): (env: string) => boolean {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    if (!/^it-[a-z0-9-]*$/.test(prefix))
      throw new Error(`env pattern ${JSON.stringify(pattern)}: only it-<prefix>* patterns are allowed`);
    return (env) => env.startsWith(prefix) && isEphemeralEnv(env);
  }
  if (!isEphemeralEnv(pattern))
    throw new Error(`env ${JSON.stringify(pattern)}: only ephemeral envs named it-<id> are swept`);
  return (env) => env === pattern;
}

export interface FindExpiredOptions {
  driver: StackDriver;
  layout: ProjectLayout;
  /** EC2 of one location (region; an account may join it later). */
  ec2For: (location: AwsLocation) => EC2Client;
  /** Locations always searched (the `--region` / default one), besides those of the stacks. */
  locations: AwsLocation[];
  /** Other accounts (spoke accounts) searched, in every region, besides the credentials' own. */
  accounts?: AccountRole[];
  now: number;
  /** Restrict to one env, or to a pattern `it-<prefix>*`. */
  env?: string;
  /** Destroy the matched envs whether or not they expired (the nightly teardown of its own run). */
  ignoreExpiry?: boolean;
}

interface Found {
  expiries: string[];
  stacks: LedgerEntry[];
  resources: TaggedResource[];
  regions: Set<string>;
  problems: string[];
}

export async function findExpiredEnvironments(o: FindExpiredOptions): Promise<SweepPlan> {
  const match = o.env ? envMatcher(o.env) : isEphemeralEnv;
  const found = new Map<string, Found>();
  const entry = (env: string): Found => {
    let f = found.get(env);
    if (!f)
      found.set(env, (f = { expiries: [], stacks: [], resources: [], regions: new Set(), problems: [] }));
    return f;
  };
  const wanted = (env: string | undefined): env is string => !!env && isEphemeralEnv(env) && match(env);

  const locations = new Map(o.locations.map((l) => [locationKey(l), l]));
  for (const [phase, projects] of deployPhases(o.layout).entries()) {
    for (const project of projects) {
      for (const env of await o.driver.listStacks(project)) {
        if (!wanted(env)) continue;
        const ref = refFor(project, env);
        const f = entry(env);
        f.stacks.push({ ref, phase });
        const facts = await stackFacts(o.driver, ref).catch((err: unknown) => {
          f.problems.push(`${project.project}/${env}: ${errorMessage(err)}`);
          return {} as StackFacts;
        });
        if (facts.expiresAt) f.expiries.push(facts.expiresAt);
        if (facts.region) {
          f.regions.add(facts.region);
          const location = { region: facts.region };
          locations.set(locationKey(location), location);
        }
      }
    }
  }

  for (const location of [...locations.values()]) {
    for (const account of o.accounts ?? []) {
      const there = { region: location.region, account };
      locations.set(locationKey(there), there);
    }
  }
  for (const location of [...locations.values()].sort((a, b) =>
    locationKey(a).localeCompare(locationKey(b)),
  )) {
    for (const r of await taggedResources(o.ec2For(location), location)) {
      const env = r.tags?.find((t) => t.Key === TAG_ENV)?.Value;
      if (!wanted(env)) continue;
      const expiresAt = r.tags?.find((t) => t.Key === TAG_EXPIRES_AT)?.Value;
      const f = entry(env);
      f.resources.push({
        kind: r.kind,
        id: r.id,
        region: location.region,
        ...(expiresAt ? { expiresAt } : {}),
        ...(location.account ? { accountId: location.account.accountId } : {}),
      });
      f.regions.add(location.region);
      if (expiresAt) f.expiries.push(expiresAt);
    }
  }

  const plan: SweepPlan = {
    expired: [],
    skipped: [],
    regions: [...new Set([...locations.values()].map((l) => l.region))].sort(),
  };
  for (const [env, f] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    const times = f.expiries.map((e) => ({ e, t: Date.parse(e) }));
    const invalid = times.filter((x) => Number.isNaN(x.t)).map((x) => x.e);
    const valid = times.filter((x) => !Number.isNaN(x.t)).sort((a, b) => a.t - b.t);
    const candidate = (expiresAt?: string): SweepCandidate => ({
      env,
      why: o.ignoreExpiry ? 'requested' : 'expired',
      ...(expiresAt ? { expiresAt } : {}),
      stacks: f.stacks,
      resources: f.resources,
      regions: [...f.regions].sort(),
    });
    if (o.ignoreExpiry) {
      plan.expired.push(candidate(valid[0]?.e));
      continue;
    }
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
    plan.expired.push(candidate(first.e));
  }
  return plan;
}

async function taggedResources(
  ec2: EC2Client,
  location: AwsLocation,
): Promise<{ kind: TaggedResource['kind']; id: string; tags: Tag[] | undefined }[]> {
  const out: { kind: TaggedResource['kind']; id: string; tags: Tag[] | undefined }[] = [];
  const filters = [{ Name: `tag:${TAG_EPHEMERAL}`, Values: ['true'] }];
  try {
    for await (const page of paginateDescribeVpcs({ client: ec2 }, { Filters: filters })) {
      for (const vpc of page.Vpcs ?? [])
        if (vpc.VpcId) out.push({ kind: 'vpc', id: vpc.VpcId, tags: vpc.Tags });
    }
    for await (const page of paginateDescribeTransitGateways({ client: ec2 }, { Filters: filters })) {
      for (const tgw of page.TransitGateways ?? []) {
        if (tgw.TransitGatewayId && tgw.State !== 'deleted' && tgw.State !== 'deleting')
          out.push({ kind: 'transit-gateway', id: tgw.TransitGatewayId, tags: tgw.Tags });
      }
    }
  } catch (err) {
    throw new Error(
      `searching ${location.region}${location.account ? ` of account ${location.account.accountId}` : ''} for resources tagged ${TAG_EPHEMERAL}=true: ${errorMessage(err)}`,
      { cause: err },
    );
  }
  return out;
}

export interface StackFacts {
  expiresAt?: string;
  region?: string;
}

/**
 * Expiry and region of a stack: its config (`hubspoke:expiresAt`, `aws:region`), else its state
 * (the `hubspoke:expires-at` tag, the AWS provider's region): config files live next to the
 * program, so on another machine (the teardown job, a sweeper) the state is where they are.
 */
export async function stackFacts(driver: StackDriver, ref: StackRef): Promise<StackFacts> {
  const config = await driver.getConfig(ref).catch(() => ({}) as Record<string, unknown>);
  const expiresAt = nonEmpty(config[EXPIRES_AT_CONFIG]);
  const region = nonEmpty(config[REGION_CONFIG]);
  if (expiresAt && region) return { expiresAt, region };
  const state = await driver.exportState(ref);
  const fromState = {
    expiresAt: expiresAt ?? expiryFromState(state),
    region: region ?? regionFromState(state),
  };
  return Object.fromEntries(Object.entries(fromState).filter(([, v]) => v !== undefined)) as StackFacts;
}

/** `hubspoke:expiresAt` from the stack config, else the `hubspoke:expires-at` tag in its state. */
export async function stackExpiry(driver: StackDriver, ref: StackRef): Promise<string | undefined> {
  return (await stackFacts(driver, ref)).expiresAt;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

type CheckpointResource = {
  type?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
};

function resourcesOf(deployment: unknown): CheckpointResource[] {
  return ((deployment as { resources?: unknown[] } | undefined)?.resources ?? []) as CheckpointResource[];
}

/** Earliest `hubspoke:expires-at` tag on any resource of a checkpoint (inputs or outputs). */
export function expiryFromState(deployment: unknown): string | undefined {
  const values: string[] = [];
  for (const res of resourcesOf(deployment)) {
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

/** The region of the stack's AWS provider in a checkpoint (`pulumi:providers:aws` inputs). */
export function regionFromState(deployment: unknown): string | undefined {
  for (const res of resourcesOf(deployment)) {
    if (!res.type?.startsWith('pulumi:providers:aws')) continue;
    const region = nonEmpty(res.inputs?.region) ?? nonEmpty(res.outputs?.region);
    if (region) return region;
  }
  return undefined;
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

/** Dry run unless `yes`: prints the plan; with `yes` destroys every planned env in reverse order. */
export async function sweepExpired(plan: SweepPlan, yes: boolean, deps: SweepDeps): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const s of plan.skipped) deps.progress.info(`skip ${s.env}: ${s.reason}`);
  for (const c of plan.expired) {
    const orphans = c.stacks.length === 0 ? c.resources : [];
    const what = [
      ...c.stacks.map((e) => `stack ${e.ref.project}/${e.ref.env}`),
      ...c.resources.map((r) => `${r.kind} ${r.id} (${where(r)})`),
    ].join(', ');
    const why =
      c.why === 'expired'
        ? `expired ${c.expiresAt}`
        : `torn down on request${c.expiresAt ? `, expires ${c.expiresAt}` : ''}`;
    deps.progress.info(
      `${yes ? 'destroy' : 'would destroy'} ${c.env} (${why}; ${c.regions.join(', ') || 'region unknown'}): ${what}`,
    );
    if (orphans.length > 0) {
      deps.progress.info(
        `  ${c.env}: no stack in this backend manages ${orphans.map((r) => `${r.id} (${where(r)})`).join(', ')}; point --backend at the backend that created it, or delete by hand`,
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

/** `us-east-1`, or `us-east-1, account 222222222222` for a resource of another account. */
export function where(r: Pick<TaggedResource, 'region' | 'accountId'>): string {
  return r.accountId ? `${r.region}, account ${r.accountId}` : r.region;
}
