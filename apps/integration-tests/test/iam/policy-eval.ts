/**
 * Just enough of IAM policy evaluation to check the shipped policies offline: an explicit Deny
 * wins, else some Allow statement must match the action (Action / NotAction, `*` and `?`
 * wildcards, case-insensitive), the resource ARN (Resource / NotResource) and every condition.
 * Condition operators it does not implement throw, so a policy can never pass by being outside
 * what this evaluates.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** One authorization AWS makes for a request: an action on one resource, with its context keys. */
export interface Authorization {
  action: string;
  /** The resource ARN, or `*` for wildcard-only actions. */
  resource: string;
  /** Condition keys present in the request (multi-valued keys as arrays). */
  context: Record<string, string | string[]>;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}

function lookup(context: Authorization['context'], key: string): string[] | undefined {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : list(context[found]);
}

type Compare = (actual: string, expected: string) => boolean;
const COMPARES: Record<string, Compare> = {
  StringEquals: (a, e) => a === e,
  StringNotEquals: (a, e) => a !== e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => wildcardMatch(e, a, false),
  StringNotLike: (a, e) => !wildcardMatch(e, a, false),
  ArnEquals: (a, e) => a === e,
  ArnLike: (a, e) => wildcardMatch(e, a, false),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
};
const NEGATED = new Set(['StringNotEquals', 'StringNotLike']);

/** Whether one `operator: { key: values }` entry holds for the context. */
export function conditionHolds(
  operator: string,
  key: string,
  expected: string | string[],
  context: Authorization['context'],
): boolean {
  const m = /^(?:(ForAllValues|ForAnyValue):)?([A-Za-z]+?)(IfExists)?$/.exec(operator);
  if (!m) throw new Error(`condition operator ${operator} is not understood`);
  const [, set, base, ifExists] = m as unknown as [string, string | undefined, string, string | undefined];
  const actual = lookup(context, key);
  const values = list(expected);
  if (base === 'Null') return (actual === undefined) === (values[0]!.toLowerCase() === 'true');
  const compare = COMPARES[base];
  if (!compare) throw new Error(`condition operator ${operator} is not implemented by this evaluator`);
  if (actual === undefined) return !!ifExists || set === 'ForAllValues';
  const one = (a: string): boolean =>
    NEGATED.has(base) ? values.every((e) => compare(a, e)) : values.some((e) => compare(a, e));
  if (set === 'ForAllValues') return actual.every(one);
  if (set === 'ForAnyValue') return actual.some(one);
  if (actual.length !== 1)
    throw new Error(`${operator} on multi-valued key ${key} needs ForAllValues/ForAnyValue`);
  return one(actual[0]!);
}

function statementMatches(s: PolicyStatement, a: Authorization): boolean {
  const action =
    s.Action !== undefined
      ? list(s.Action).some((p) => wildcardMatch(p, a.action))
      : !list(s.NotAction).some((p) => wildcardMatch(p, a.action));
  if (!action) return false;
  const resource =
    s.Resource !== undefined
      ? list(s.Resource).some((p) => wildcardMatch(p, a.resource, false))
      : !list(s.NotResource).some((p) => wildcardMatch(p, a.resource, false));
  if (!resource) return false;
  return Object.entries(s.Condition ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => conditionHolds(operator, key, expected, a.context)),
  );
}

/** The statements deciding `a`: `allowed` only with a matching Allow and no matching Deny. */
export function evaluate(policy: PolicyDocument, a: Authorization): { allowed: boolean; by?: string } {
  const deny = policy.Statement.find((s) => s.Effect === 'Deny' && statementMatches(s, a));
  if (deny) return { allowed: false, by: deny.Sid ?? 'Deny' };
  const allow = policy.Statement.find((s) => s.Effect === 'Allow' && statementMatches(s, a));
  return allow ? { allowed: true, by: allow.Sid ?? 'Allow' } : { allowed: false };
}
