/**
 * IAM roles / policies / instance profiles and CloudWatch log groups: names unique per account
 * (and region for log groups), with AWS's checks.
 */
import { accountKey, type Account } from './account';
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

/** A role of `caller`'s account, by name or ARN (an ARN of another account is not found). */
function role(account: Account, caller: string, ref: string) {
  const name = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
  const found = account.iamRoles.get(accountKey(caller, name));
  if (!found || (ref.startsWith('arn:') && found.arn !== ref))
    fail(`NoSuchEntity: The role with name ${name} cannot be found.`);
  return found;
}

export function createRole(account: Account, req: ResourceRequest): ResourceResult {
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  const key = accountKey(req.accountId, name);
  if (account.iamRoles.has(key)) fail(`EntityAlreadyExists: Role with name ${name} already exists.`);
  const path = optString(req, 'path') ?? '/';
  const roleArn = arn('iam', '', req.accountId, `role${path}${name}`);
  const managed = new Set(stringList(req, 'managedPolicyArns'));
  account.iamRoles.set(key, {
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
  const r = role(account, req.accountId, reqString(req, 'role'));
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  if (r.inlinePolicies.has(name))
    fail(`EntityAlreadyExists: role ${r.name} already has an inline policy named ${name}`);
  r.inlinePolicies.set(name, requireJson(req, 'policy'));
  return { id: `${r.name}:${name}`, state: { ...req.inputs, name } };
}

export function createRolePolicyAttachment(account: Account, req: ResourceRequest): ResourceResult {
  const r = role(account, req.accountId, reqString(req, 'role'));
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
  const key = accountKey(req.accountId, name);
  if (account.instanceProfiles.has(key))
    fail(`EntityAlreadyExists: Instance Profile ${name} already exists.`);
  const roleRef = optString(req, 'role');
  const r = roleRef ? role(account, req.accountId, roleRef) : undefined;
  const path = optString(req, 'path') ?? '/';
  const profileArn = arn('iam', '', req.accountId, `instance-profile${path}${name}`);
  account.instanceProfiles.set(key, { name, arn: profileArn, role: r?.name });
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
  const key = accountKey(req.accountId, name);
  if (account.logGroups.has(key))
    fail(`ResourceAlreadyExistsException: The specified log group already exists: ${name}`);
  const retention = optNumber(req, 'retentionInDays') ?? 0;
  if (!RETENTION_DAYS.has(retention))
    fail(`InvalidParameterException: retentionInDays ${retention} is not a valid value`);
  const groupArn = arn('logs', account.region, req.accountId, `log-group:${name}`);
  account.logGroups.set(key, { name, arn: groupArn });
  return {
    id: name,
    state: { ...req.inputs, name, arn: groupArn, retentionInDays: retention, tagsAll: tagsAll(req) },
  };
}
