/** IAM roles / policies / instance profiles and CloudWatch log groups (global names, AWS checks). */
import type { Account } from './account';
import { fail } from './errors';
import { arn, shortHash } from './ids';
import {
  autoName,
  optNumber,
  optString,
  reqString,
  ResourceRequest,
  ResourceResult,
  stringList,
  tagsAll,
} from './handler';

function requireJson(req: ResourceRequest, key: string): string {
  const text = reqString(req, key);
  try {
    JSON.parse(text);
  } catch {
    fail(`MalformedPolicyDocument: ${req.type} '${req.name}': ${key} is not valid JSON`);
  }
  return text;
}

function role(account: Account, ref: string) {
  const name = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
  return account.iamRoles.get(name) ?? fail(`NoSuchEntity: The role with name ${name} cannot be found.`);
}

export function createRole(account: Account, req: ResourceRequest): ResourceResult {
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  if (account.iamRoles.has(name)) fail(`EntityAlreadyExists: Role with name ${name} already exists.`);
  const path = optString(req, 'path') ?? '/';
  const roleArn = arn('iam', '', `role${path}${name}`);
  const managed = new Set(stringList(req, 'managedPolicyArns'));
  account.iamRoles.set(name, {
    name,
    arn: roleArn,
    assumeRolePolicy: requireJson(req, 'assumeRolePolicy'),
    inlinePolicies: new Map(),
    managedPolicyArns: managed,
  });
  return {
    id: name,
    state: {
      ...req.inputs,
      name,
      path,
      arn: roleArn,
      uniqueId: `AROA${shortHash(roleArn, 17).toUpperCase()}`,
      tagsAll: tagsAll(req),
    },
  };
}

export function createRolePolicy(account: Account, req: ResourceRequest): ResourceResult {
  const r = role(account, reqString(req, 'role'));
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  if (r.inlinePolicies.has(name))
    fail(`EntityAlreadyExists: role ${r.name} already has an inline policy named ${name}`);
  r.inlinePolicies.set(name, requireJson(req, 'policy'));
  return { id: `${r.name}:${name}`, state: { ...req.inputs, name } };
}

export function createRolePolicyAttachment(account: Account, req: ResourceRequest): ResourceResult {
  const r = role(account, reqString(req, 'role'));
  const policyArn = reqString(req, 'policyArn');
  if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+/.test(policyArn))
    fail(`InvalidInput: ARN ${policyArn} is not valid.`);
  if (!policyArn.includes(':iam::aws:policy/')) {
    fail(`NoSuchEntity: Policy ${policyArn} does not exist (the mock cloud knows only AWS-managed policies)`);
  }
  r.managedPolicyArns.add(policyArn);
  return { id: `${r.name}-${shortHash(policyArn, 20)}`, state: { ...req.inputs } };
}

export function createInstanceProfile(account: Account, req: ResourceRequest): ResourceResult {
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  if (account.instanceProfiles.has(name))
    fail(`EntityAlreadyExists: Instance Profile ${name} already exists.`);
  const roleRef = optString(req, 'role');
  const r = roleRef ? role(account, roleRef) : undefined;
  const path = optString(req, 'path') ?? '/';
  const profileArn = arn('iam', '', `instance-profile${path}${name}`);
  account.instanceProfiles.set(name, { name, arn: profileArn, role: r?.name });
  return {
    id: name,
    state: {
      ...req.inputs,
      name,
      path,
      arn: profileArn,
      uniqueId: `AIPA${shortHash(profileArn, 17).toUpperCase()}`,
      tagsAll: tagsAll(req),
    },
  };
}

const RETENTION_DAYS = new Set([
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

export function createLogGroup(account: Account, req: ResourceRequest): ResourceResult {
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  if (account.logGroups.has(name))
    fail(`ResourceAlreadyExistsException: The specified log group already exists: ${name}`);
  const retention = optNumber(req, 'retentionInDays') ?? 0;
  if (!RETENTION_DAYS.has(retention))
    fail(`InvalidParameterException: retentionInDays ${retention} is not a valid value`);
  const groupArn = arn('logs', account.region, `log-group:${name}`);
  account.logGroups.set(name, { name, arn: groupArn });
  return {
    id: name,
    state: { ...req.inputs, name, arn: groupArn, retentionInDays: retention, tagsAll: tagsAll(req) },
  };
}
