/**
 * `aws:ec2/securityGroup:SecurityGroup` with inline rules, converted to DescribeSecurityGroups
 * shapes.
 */
import type { IpPermission } from '@aws-sdk/client-ec2';
import type { Account } from './account';
import { autoName, Inputs, optString, ResourceRequest, ResourceResult, tagsAll } from './handler';
import { awsId, shortHash } from './ids';
import { awsTags } from './tags';
import { fail } from './errors';

/** EC2 reports protocols by name for tcp/udp/icmp and "-1" for all. */
function normalizeProtocol(p: unknown): string {
  const s = String(p ?? '-1').toLowerCase();
  const byNumber: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1', '-1': '-1' };
  return byNumber[s] ?? s;
}

function toPermission(
  account: Account,
  owner: string,
  groupId: string,
  rule: Inputs,
  where: string,
): IpPermission {
  const protocol = normalizeProtocol(rule.protocol);
  const perm: IpPermission = {
    IpProtocol: protocol,
    IpRanges: ((rule.cidrBlocks as string[] | undefined) ?? []).map((c) => ({
      CidrIp: c,
      ...(rule.description ? { Description: String(rule.description) } : {}),
    })),
    Ipv6Ranges: ((rule.ipv6CidrBlocks as string[] | undefined) ?? []).map((c) => ({ CidrIpv6: c })),
    PrefixListIds: ((rule.prefixListIds as string[] | undefined) ?? []).map((p) => ({ PrefixListId: p })),
    UserIdGroupPairs: [
      ...((rule.securityGroups as string[] | undefined) ?? []).map((g) => {
        // `<account>/sg-...` names a peer VPC's group; peering is not emulated.
        if (g.includes('/')) fail(`${where}: security group reference ${g} across accounts is not emulated`);
        account.securityGroup(g, owner);
        return { GroupId: g, UserId: owner };
      }),
      ...(rule.self ? [{ GroupId: groupId, UserId: owner }] : []),
    ],
  };
  if (protocol !== '-1') {
    if (rule.fromPort === undefined || rule.toPort === undefined)
      fail(`${where}: fromPort and toPort are required for protocol ${protocol}`);
    perm.FromPort = Number(rule.fromPort);
    perm.ToPort = Number(rule.toPort);
  }
  return perm;
}

export function createSecurityGroup(account: Account, req: ResourceRequest): ResourceResult {
  const vpcId =
    optString(req, 'vpcId') ??
    fail(`${req.type} '${req.name}': vpcId is required (the mock account has no default VPC)`);
  const owner = req.accountId;
  account.vpc(vpcId, owner);
  const id = awsId('sg', req.seed);
  const hash = shortHash(req.seed);
  const name =
    optString(req, 'name') ??
    (optString(req, 'namePrefix')
      ? `${optString(req, 'namePrefix')}${hash.slice(0, 26)}`
      : autoName(req, hash));
  for (const sg of account.securityGroups.values()) {
    if (sg.VpcId === vpcId && sg.GroupName === name) {
      fail(`InvalidGroup.Duplicate: The security group '${name}' already exists for VPC '${vpcId}'`);
    }
  }
  const description = optString(req, 'description') ?? 'Managed by Pulumi';
  const tags = tagsAll(req);
  const rules = (key: string) => (req.inputs[key] as Inputs[] | undefined) ?? [];
  const sgArn = `arn:aws:ec2:${account.region}:${owner}:security-group/${id}`;
  // Register first so `self` references resolve.
  account.securityGroups.set(id, { GroupId: id, GroupName: name, VpcId: vpcId, Description: description });
  account.own(id, owner);
  const group = account.securityGroups.get(id)!;
  Object.assign(group, {
    OwnerId: owner,
    SecurityGroupArn: sgArn,
    IpPermissions: rules('ingress').map((r, i) =>
      toPermission(account, owner, id, r, `${req.name} ingress[${i}]`),
    ),
    // The AWS provider removes EC2's default allow-all egress rule: only inline egress remains.
    IpPermissionsEgress: rules('egress').map((r, i) =>
      toPermission(account, owner, id, r, `${req.name} egress[${i}]`),
    ),
    Tags: awsTags(tags),
  });
  return {
    id,
    state: {
      ...req.inputs,
      name,
      description,
      arn: sgArn,
      ownerId: owner,
      ingress: rules('ingress'),
      egress: rules('egress'),
      tagsAll: tags,
    },
  };
}
