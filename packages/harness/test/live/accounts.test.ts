/**
 * The accounts the live path reads through a role: from the spokes' stack config and
 * `--account-role`; the assumed credentials and their renewal; merging per-account reads.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { mergeSnapshots, attachedAccountsNotRead } from '../../src/live/account-snapshot';
import {
  accountsOfAllEnvs,
  accountsOfEnv,
  parseAccountRoles,
  withAccountRoles,
} from '../../src/live/accounts';
import { assumedRoleCredentials } from '../../src/live/aws-clients';
import { discoverProjects } from '../../src/live/projects';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';

const A = '222222222222';
const B = '333333333333';

function repo(extra: Record<string, string>) {
  return discoverProjects(makeFixtureRepo({ spokes: ['spoke-a', 'spoke-b', 'spoke-c'], extraConfig: extra }));
}

describe('accounts of an environment', () => {
  it("takes each spoke's account and role (default hubspoke-deploy), one entry per account", () => {
    const layout = repo({
      'spoke-a': `  spoke-a:accountId: '${A}'\n`,
      'spoke-b': `  spoke-b:accountId: '${B}'\n  spoke-b:roleArn: arn:aws:iam::${B}:role/team-b\n`,
      'spoke-c': `  spoke-c:accountId: '${A}'\n`,
    });
    expect(accountsOfEnv(layout, 'dev')).toEqual([
      { accountId: A, roleArn: `arn:aws:iam::${A}:role/hubspoke-deploy`, spokes: ['spoke-a', 'spoke-c'] },
      { accountId: B, roleArn: `arn:aws:iam::${B}:role/team-b`, spokes: ['spoke-b'] },
    ]);
    expect(accountsOfEnv(layout, 'staging')).toEqual([]);
  });

  it('names the file and key of a bad account setting', () => {
    const layout = repo({ 'spoke-b': '  spoke-b:accountId: 12345\n' });
    expect(() => accountsOfEnv(layout, 'dev')).toThrow(
      'apps/spokes/spoke-b/Pulumi.dev.yaml: config spoke-b:accountId must be a 12-digit AWS account id (quote it in YAML), got "12345"',
    );
  });

  it('collects the accounts of every environment for the sweeper', () => {
    const root = makeFixtureRepo({
      spokes: ['spoke-a'],
      extraConfig: { 'spoke-a': `  spoke-a:accountId: '${A}'\n` },
    });
    writeFileSync(
      join(root, 'apps/spokes/spoke-a/Pulumi.org.yaml'),
      `config:\n  spoke-a:accountId: '${B}'\n`,
    );
    expect(accountsOfAllEnvs(discoverProjects(root)).map((a) => a.accountId)).toEqual([A, B]);
  });
});

describe('--account-role', () => {
  it('maps accounts to roles, overriding the config and adding accounts it does not name', () => {
    const roles = parseAccountRoles([
      `${A}=arn:aws:iam::${A}:role/hubspoke-verify`,
      `${B}=arn:aws:iam::${B}:role/x`,
    ]);
    const accounts = withAccountRoles(
      [{ accountId: A, roleArn: `arn:aws:iam::${A}:role/hubspoke-deploy`, spokes: ['spoke-a'] }],
      roles,
    );
    expect(accounts).toEqual([
      { accountId: A, roleArn: `arn:aws:iam::${A}:role/hubspoke-verify`, spokes: ['spoke-a'] },
      { accountId: B, roleArn: `arn:aws:iam::${B}:role/x`, spokes: [] },
    ]);
  });

  it('rejects a value that is not <account>=<role ARN>, a role of another account, two roles for one account', () => {
    expect(() => parseAccountRoles(['spoke-a'])).toThrow(
      '--account-role "spoke-a": expected <12-digit account id>=',
    );
    expect(() => parseAccountRoles([`${A}=arn:aws:iam::${B}:role/x`])).toThrow(
      `arn:aws:iam::${B}:role/x is a role in account ${B}, not in ${A}`,
    );
    expect(() =>
      parseAccountRoles([`${A}=arn:aws:iam::${A}:role/x`, `${A}=arn:aws:iam::${A}:role/y`]),
    ).toThrow(`--account-role names two roles for account ${A}`);
  });
});

describe('assumed-role credentials', () => {
  it('assume the role once, and again only when the session is about to expire', async () => {
    const sts = new STSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    let now = Date.parse('2026-01-01T00:00:00Z');
    let n = 0;
    mockClient(sts)
      .on(AssumeRoleCommand)
      .callsFake(() => ({
        Credentials: {
          AccessKeyId: `ASIA${++n}`,
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(now + 60 * 60_000),
        },
      }));
    const provider = assumedRoleCredentials(`arn:aws:iam::${A}:role/hubspoke-deploy`, {
      sessionName: 'hubspoke-e2e',
      sts,
      now: () => now,
    });
    const [first, concurrent] = await Promise.all([provider(), provider()]);
    expect(first.accessKeyId).toBe('ASIA1');
    expect(concurrent.accessKeyId).toBe('ASIA1');
    now += 50 * 60_000;
    expect((await provider()).accessKeyId).toBe('ASIA1');
    now += 6 * 60_000; // 4 minutes left: renew
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(n).toBe(2);
  });
});

describe('merging the accounts of one environment', () => {
  it('keeps each resource once and joins the keyed members', () => {
    const merged = mergeSnapshots([
      {
        Region: 'us-east-1',
        Vpcs: [{ VpcId: 'vpc-1', OwnerId: A }],
        TransitGatewayVpcAttachments: [
          { TransitGatewayAttachmentId: 'tgw-attach-1', VpcId: 'vpc-2', VpcOwnerId: B },
        ],
        TransitGatewayRoutes: { 'tgw-rtb-1': [{ DestinationCidrBlock: '10.0.0.0/16' }] },
      },
      {
        Vpcs: [{ VpcId: 'vpc-2', OwnerId: B }],
        TransitGatewayVpcAttachments: [
          { TransitGatewayAttachmentId: 'tgw-attach-1', VpcId: 'vpc-2', VpcOwnerId: B },
        ],
        TransitGatewayRoutes: { 'tgw-rtb-1': [{ DestinationCidrBlock: '10.0.0.0/16' }] },
      },
    ]);
    expect(merged.Region).toBe('us-east-1');
    expect(merged.Vpcs!.map((v) => v.VpcId)).toEqual(['vpc-1', 'vpc-2']);
    expect(merged.TransitGatewayVpcAttachments).toHaveLength(1);
    expect(merged.TransitGatewayRoutes).toEqual({ 'tgw-rtb-1': [{ DestinationCidrBlock: '10.0.0.0/16' }] });
    expect(attachedAccountsNotRead(merged, new Set([A, B]))).toEqual([]);
    expect(attachedAccountsNotRead(merged, new Set([A]))).toEqual([
      { accountId: B, attachmentId: 'tgw-attach-1', vpcId: 'vpc-2' },
    ]);
  });
});
