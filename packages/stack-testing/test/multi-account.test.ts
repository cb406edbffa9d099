/**
 * The example multi-account environment `org` (docs/multi-account.md): tgw and inspection in the
 * network account, each spoke in an account of its own, the TGW shared through RAM and each
 * attachment accepted, associated and propagated by the network account. And how a spoke whose
 * account the TGW is not shared with, or a bad account setting, fails before anything is created.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ACCOUNT_ID } from '@hubspoke/mock-cloud';
import { REPO_ROOT, runEnvironment, type EnvironmentRun } from '../src/run-environment';

const NETWORK = ACCOUNT_ID;
const TEAM_A = '222222222222';
const TEAM_B = '333333333333';
const OU = 'arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cdef3456';

function providerInputs(run: EnvironmentRun, project: string, name: string) {
  const provider = run.recorded.find(
    (r) => r.project === project && r.type === 'pulumi:providers:aws' && r.name === name,
  );
  if (!provider) throw new Error(`no provider ${name} in ${project}`);
  return provider.inputs;
}

/** Provider inputs reach mocks JSON-encoded when structured. */
function decoded(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

describe('the org environment: a network account and a spoke account per team', () => {
  let run: EnvironmentRun;
  beforeAll(async () => {
    run = await runEnvironment({ env: 'org' });
  }, 120_000);

  it('holds resources of three accounts, each with the OwnerId AWS reports', () => {
    const owners = Object.fromEntries(run.snapshot.Vpcs!.map((v) => [v.CidrBlock, v.OwnerId]));
    expect(owners).toEqual({ '10.16.0.0/24': NETWORK, '10.17.0.0/16': TEAM_A, '10.18.0.0/16': TEAM_B });
    expect(run.snapshot.TransitGateways!.map((t) => t.OwnerId)).toEqual([NETWORK]);
    const attachmentOwners = run.snapshot.TransitGatewayAttachments!.map((a) => [
      a.TransitGatewayOwnerId,
      a.ResourceOwnerId,
    ]);
    expect(attachmentOwners.sort()).toEqual([
      [NETWORK, NETWORK],
      [NETWORK, TEAM_A],
      [NETWORK, TEAM_B],
    ]);
    const probeOwners = run.snapshot
      .NetworkInterfaces!.filter((e) => e.Attachment?.InstanceId)
      .map((e) => e.OwnerId);
    expect(probeOwners.sort()).toEqual([TEAM_A, TEAM_B]);
  });

  it('shares the TGW through RAM with exactly tgw:shareWith, inside the organization', () => {
    const share = run.recorded.find((r) => r.type === 'aws:ram/resourceShare:ResourceShare')!;
    expect(share.inputs).toMatchObject({ name: 'hubspoke-org-tgw', allowExternalPrincipals: false });
    expect(
      run.recorded.filter((r) => r.type === 'aws:ram/resourceAssociation:ResourceAssociation'),
    ).toHaveLength(1);
    const principals = run.recorded
      .filter((r) => r.type === 'aws:ram/principalAssociation:PrincipalAssociation')
      .map((r) => r.inputs.principal);
    expect(principals).toEqual([TEAM_A, TEAM_B]);
    expect(run.outputs.tgw).toMatchObject({ accountId: NETWORK, shareWith: [TEAM_A, TEAM_B] });
  });

  it("deploys a spoke with its account's default role, pinned to that account", () => {
    expect(decoded(providerInputs(run, 'spoke-a', 'aws').assumeRoles)).toEqual([
      { roleArn: `arn:aws:iam::${TEAM_A}:role/hubspoke-deploy`, sessionName: 'hubspoke-spoke-a-org' },
    ]);
    expect(decoded(providerInputs(run, 'spoke-a', 'aws').allowedAccountIds)).toEqual([TEAM_A]);
    const network = providerInputs(run, 'spoke-a', 'aws-network');
    expect(decoded(network.allowedAccountIds)).toEqual([NETWORK]);
    expect(network.assumeRoles).toBeUndefined();
    expect(run.outputs['spoke-a']).toMatchObject({ accountId: TEAM_A });
  });

  it('accepts each spoke attachment in the network account, which associates and propagates it', () => {
    const accepters = run.recorded.filter(
      (r) => r.type === 'aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter',
    );
    expect(accepters.map((a) => a.project).sort()).toEqual(['spoke-a', 'spoke-b']);
    for (const spoke of ['spoke-a', 'spoke-b']) {
      const id = run.outputs[spoke].tgwAttachmentId;
      const attachment = run.snapshot.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === id,
      );
      expect(attachment?.State).toBe('available');
      const tgw = run.outputs.tgw as { spokeRouteTableId: string; inspectionRouteTableId: string };
      expect(
        run.snapshot.TransitGatewayRouteTableAssociations![tgw.spokeRouteTableId].map(
          (a) => a.TransitGatewayAttachmentId,
        ),
      ).toContain(id);
      expect(
        run.snapshot.TransitGatewayRouteTablePropagations![tgw.inspectionRouteTableId].map(
          (p) => p.TransitGatewayAttachmentId,
        ),
      ).toContain(id);
    }
  });
});

describe('a spoke account the TGW is not shared with fails before anything is created', () => {
  it('names the account and the share', async () => {
    await expect(
      runEnvironment({ env: 'org', overrides: { 'spoke-b': { 'spoke-b:accountId': '444444444444' } } }),
    ).rejects.toThrow(
      'spoke-b:accountId 444444444444 is not among tgw:shareWith of stack organization/tgw/org ' +
        `(${TEAM_A}, ${TEAM_B}): the transit gateway of account ${NETWORK} is not shared with it`,
    );
  }, 120_000);

  it('says so when the TGW is shared with nobody', async () => {
    await expect(
      runEnvironment({
        env: 'org',
        projects: ['tgw', 'inspection', 'spoke-a'],
        overrides: { tgw: { 'tgw:shareWith': undefined } },
      }),
    ).rejects.toThrow('(empty: the transit gateway is shared with nobody)');
  }, 120_000);

  it('leaves an organizational-unit share to AWS (its members are not known offline)', async () => {
    const run = await runEnvironment({
      env: 'org',
      projects: ['tgw', 'inspection', 'spoke-a'],
      overrides: { tgw: { 'tgw:shareWith': [OU] } },
    });
    expect(run.snapshot.TransitGatewayVpcAttachments!.every((a) => a.State === 'available')).toBe(true);
  }, 120_000);

  it('asks for the tgw stack to be updated when it predates multi-account support', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubspoke-old-tgw-'));
    const oldTgw = path.join(dir, 'index.js');
    // The outputs a tgw stack exported before it named its account.
    fs.writeFileSync(
      oldTgw,
      'module.exports = async () => ({ transitGatewayId: "tgw-0123456789abcdef0", spokeRouteTableId: "tgw-rtb-1", ' +
        'inspectionRouteTableId: "tgw-rtb-2", supernetCidr: "10.16.0.0/12", blackholeCidrs: [] });\n',
    );
    await expect(
      runEnvironment({
        env: 'org',
        projects: [],
        extraStacks: [
          { project: 'tgw', stack: 'org', programPath: oldTgw, config: { 'aws:region': 'us-east-1' } },
          {
            project: 'spoke-a',
            stack: 'org',
            programPath: path.join(REPO_ROOT, 'apps/spokes/spoke-a/index.ts'),
            config: {
              'aws:region': 'us-east-1',
              'spoke-a:vpcCidr': '10.17.0.0/16',
              'spoke-a:availabilityZones': ['us-east-1a'],
              'spoke-a:accountId': TEAM_A,
            },
          },
        ],
      }),
    ).rejects.toThrow(
      'stack organization/tgw/org has no output accountId (deployed before multi-account support): ' +
        `update it (pulumi up in apps/tgw) before deploying spoke-a into account ${TEAM_A}`,
    );
  }, 120_000);
});

describe('bad account settings fail naming the key and value', () => {
  const fails = (overrides: Record<string, Record<string, unknown>>, message: string) =>
    expect(
      runEnvironment({ env: 'org', projects: ['tgw', 'inspection', 'spoke-a'], overrides }),
    ).rejects.toThrow(message);

  it('an account id that is not 12 digits (an unquoted one loses its leading zero)', () =>
    fails(
      { 'spoke-a': { 'spoke-a:accountId': 12345678901 } },
      'config spoke-a:accountId must be a 12-digit AWS account id (quote it in YAML), got "12345678901"',
    ));

  it('a role in another account than the spoke', () =>
    fails(
      { 'spoke-a': { 'spoke-a:roleArn': `arn:aws:iam::${TEAM_B}:role/hubspoke-deploy` } },
      `config spoke-a:roleArn arn:aws:iam::${TEAM_B}:role/hubspoke-deploy is a role in account ${TEAM_B}, not in spoke-a:accountId ${TEAM_A}`,
    ));

  it('a role without an account', () =>
    fails(
      {
        'spoke-a': { 'spoke-a:accountId': undefined, 'spoke-a:roleArn': 'arn:aws:iam::222222222222:role/x' },
      },
      'config spoke-a:roleArn is set, but spoke-a:accountId is not: name the account too',
    ));

  it('a share principal that is neither an account nor an organization or OU', () =>
    fails(
      { tgw: { 'tgw:shareWith': [TEAM_A, 'team-b'] } },
      'config tgw:shareWith[1] is "team-b": expected a 12-digit account id',
    ));
});

it('deploys with a role named in <spoke>:roleArn', async () => {
  const roleArn = `arn:aws:iam::${TEAM_A}:role/network/team-a-deployer`;
  const run = await runEnvironment({
    env: 'org',
    projects: ['tgw', 'inspection', 'spoke-a'],
    overrides: { 'spoke-a': { 'spoke-a:roleArn': roleArn } },
  });
  expect(decoded(providerInputs(run, 'spoke-a', 'aws').assumeRoles)).toEqual([
    { roleArn, sessionName: 'hubspoke-spoke-a-org' },
  ]);
}, 120_000);

it('keeps the repository env files quoting their account ids', () => {
  for (const dir of ['apps/spokes/spoke-a', 'apps/spokes/spoke-b']) {
    const text = fs.readFileSync(path.join(REPO_ROOT, dir, 'Pulumi.org.yaml'), 'utf8');
    expect(text).toMatch(/:accountId: '\d{12}'/);
  }
});
