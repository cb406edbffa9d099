/**
 * The multi-account example env `org` (docs/multi-account.md): `hubspoke verify --env org` passes
 * with resources of three accounts in its snapshot; a spoke in an account the TGW is not shared
 * with fails the deploy (exit 2) naming the account and the share; an attachment left unaccepted
 * fails verify (exit 1) naming it as pendingAcceptance.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, runStacks } from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { main } from '../src/cli';
import { declaredSpokes } from '../src/env-snapshot';
import type { CliIo } from '../src/io';

const work = mkdtempSync(join(tmpdir(), 'hubspoke-org-'));

interface CheckJson {
  id: string;
  status: string;
  detail: string;
}

function io(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: work, columns: 160 },
    out,
    err,
  };
}

function checksOf(dir: string): CheckJson[] {
  return (JSON.parse(readFileSync(join(work, dir, 'results.json'), 'utf8')) as { checks: CheckJson[] })
    .checks;
}

/**
 * What AWS shows for an attachment its owner never accepted (say, the spoke's attachment was
 * replaced and the new one waits): state pendingAcceptance, no association, no propagation, while
 * the spoke's routes to the TGW stay.
 */
function leaveUnaccepted(snapshot: NetworkSnapshot, attachmentId: string): NetworkSnapshot {
  const s = structuredClone(snapshot);
  for (const a of s.TransitGatewayVpcAttachments!)
    if (a.TransitGatewayAttachmentId === attachmentId) a.State = 'pendingAcceptance';
  for (const a of s.TransitGatewayAttachments!) {
    if (a.TransitGatewayAttachmentId !== attachmentId) continue;
    a.State = 'pendingAcceptance';
    delete a.Association;
  }
  const other = (x: { TransitGatewayAttachmentId?: string }) => x.TransitGatewayAttachmentId !== attachmentId;
  for (const rt of Object.keys(s.TransitGatewayRouteTableAssociations!))
    s.TransitGatewayRouteTableAssociations![rt] = s.TransitGatewayRouteTableAssociations![rt].filter(other);
  for (const rt of Object.keys(s.TransitGatewayRouteTablePropagations!))
    s.TransitGatewayRouteTablePropagations![rt] = s.TransitGatewayRouteTablePropagations![rt].filter(other);
  for (const rt of Object.keys(s.TransitGatewayRoutes!))
    s.TransitGatewayRoutes![rt] = s.TransitGatewayRoutes![rt].filter(
      (r) => !(r.TransitGatewayAttachments ?? []).some((x) => !other(x)),
    );
  return s;
}

describe('hubspoke verify --env org', () => {
  let snapshot: NetworkSnapshot;

  beforeAll(async () => {
    const { io: cli } = io();
    const code = await main(['verify', '--env', 'org', '--out-dir', 'org'], cli, {
      snapshotFromEnv: async (root, env) => {
        const run = await runStacks(loadEnvironment(root, env));
        snapshot = run.snapshot;
        return { snapshot, spokes: declaredSpokes(run.outputs) };
      },
    });
    expect(code).toBe(0);
  }, 120_000);

  it('passes every check over a snapshot holding resources of three accounts', () => {
    expect(checksOf('org').every((c) => c.status === 'pass')).toBe(true);
    expect(new Set(snapshot.Vpcs!.map((v) => v.OwnerId))).toEqual(
      new Set(['123456789012', '222222222222', '333333333333']),
    );
  });

  it('fails naming the attachment as pendingAcceptance when its owner has not accepted it', async () => {
    const spokeB = snapshot.Vpcs!.find((v) => v.OwnerId === '333333333333')!.VpcId;
    const attachment = snapshot.TransitGatewayVpcAttachments!.find((a) => a.VpcId === spokeB)!;
    const file = join(work, 'unaccepted.json');
    writeFileSync(file, JSON.stringify(leaveUnaccepted(snapshot, attachment.TransitGatewayAttachmentId!)));
    const { io: cli } = io();
    expect(await main(['verify', '--snapshot', file, '--out-dir', 'unaccepted'], cli)).toBe(1);
    const failed = checksOf('unaccepted').filter((c) => c.status !== 'pass');
    expect(failed.map((c) => c.id)).toContain('inspected-egress');
    const named = `${attachment.TransitGatewayAttachmentId} is pendingAcceptance`;
    expect(failed.filter((c) => c.detail.includes(named)).map((c) => c.id)).not.toEqual([]);
  });
});

it('a spoke in an account the TGW is not shared with fails the deploy, naming account and share', async () => {
  const { io: cli, err } = io();
  const code = await main(['verify', '--env', 'org', '--out-dir', 'unshared'], cli, {
    snapshotFromEnv: async (root, env) => {
      const specs = loadEnvironment(root, env);
      specs.find((s) => s.project === 'spoke-b')!.config['spoke-b:accountId'] = '444444444444';
      const run = await runStacks(specs);
      return { snapshot: run.snapshot, spokes: declaredSpokes(run.outputs) };
    },
  });
  expect(code).toBe(2);
  expect(err.join('')).toContain(
    'spoke-b:accountId 444444444444 is not among tgw:shareWith of stack organization/tgw/org ' +
      '(222222222222, 333333333333): the transit gateway of account 123456789012 is not shared with it',
  );
}, 120_000);
