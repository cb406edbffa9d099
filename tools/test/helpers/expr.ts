/**
 * A small evaluator for the GitHub Actions expressions our job `if:` conditions use, and a
 * simulator of which jobs run given job outcomes. Enough to test "teardown runs after a failure
 * or a cancellation" by evaluating the workflow, not by searching its text.
 *
 * Supported: literals ('str', true, false, null, numbers), context paths (a.b-c.d), !, ==, !=,
 * &&, ||, parentheses, and the status functions success(), failure(), cancelled(), always().
 */
import { needsOf, type Workflow } from './workflows';

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';
type Value = string | number | boolean | null;

export interface EvalContext {
  values: Record<string, Value>;
  status: { success: boolean; failure: boolean; cancelled: boolean };
}

const TOKEN = /\s*(?:(\()|(\))|(!=|==|&&|\|\||!)|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w.-]*))/y;

type Token = { kind: 'lp' | 'rp' | 'op' | 'str' | 'num' | 'id'; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let rest = src.trim();
  while (rest.length > 0) {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`cannot tokenize expression at: ${rest}`);
    if (m[1]) tokens.push({ kind: 'lp', text: '(' });
    else if (m[2]) tokens.push({ kind: 'rp', text: ')' });
    else if (m[3]) tokens.push({ kind: 'op', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'str', text: m[4].replace(/''/g, "'") });
    else if (m[5]) tokens.push({ kind: 'num', text: m[5] });
    else tokens.push({ kind: 'id', text: m[6] });
    rest = rest.slice(m[0].length).trimStart();
  }
  return tokens;
}

const truthy = (v: Value): boolean => v !== null && v !== false && v !== '' && v !== 0;

export function usesStatusFunction(expr: string): boolean {
  return /\b(success|failure|cancelled|always)\s*\(/.test(expr);
}

export function evaluate(expression: string, ctx: EvalContext): Value {
  const src = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];

  const primary = (): Value => {
    const t = take();
    if (!t) throw new Error(`unexpected end of expression: ${src}`);
    if (t.kind === 'lp') {
      const v = or();
      if (take()?.kind !== 'rp') throw new Error(`missing ) in ${src}`);
      return v;
    }
    if (t.kind === 'op' && t.text === '!') return !truthy(primary());
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'id') {
      if (peek()?.kind === 'lp') {
        take();
        if (take()?.kind !== 'rp') throw new Error(`only argument-less functions are supported: ${t.text}`);
        switch (t.text) {
          case 'always':
            return true;
          case 'success':
            return ctx.status.success;
          case 'failure':
            return ctx.status.failure;
          case 'cancelled':
            return ctx.status.cancelled;
          default:
            throw new Error(`unsupported function ${t.text}()`);
        }
      }
      if (t.text === 'true') return true;
      if (t.text === 'false') return false;
      if (t.text === 'null') return null;
      return t.text in ctx.values ? ctx.values[t.text] : null;
    }
    throw new Error(`unexpected token ${t.text} in ${src}`);
  };
  const equality = (): Value => {
    let left = primary();
    while (peek()?.kind === 'op' && (peek().text === '==' || peek().text === '!=')) {
      const op = take().text;
      const right = primary();
      // GitHub compares strings case-insensitively and treats null like ''.
      const norm = (v: Value) => (v === null ? '' : typeof v === 'string' ? v.toLowerCase() : v);
      const eq = norm(left) === norm(right);
      left = op === '==' ? eq : !eq;
    }
    return left;
  };
  const and = (): Value => {
    let left = equality();
    while (peek()?.text === '&&') {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (peek()?.text === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${src}`);
  return value;
}

export interface Simulation {
  /** What a job does when it runs (default success). */
  outcomes?: Record<string, 'success' | 'failure'>;
  /** The run is cancelled while this job runs. */
  cancelDuring?: string;
  /** Values for context paths, e.g. `needs.plan.outputs.any` or `inputs.keep`. */
  values?: Record<string, Value>;
}

/** Runs the job graph: each job's `if` (with the implicit success()) decides run or skip. */
export function simulate(workflow: Workflow, sim: Simulation): Record<string, JobResult> {
  const results: Record<string, JobResult> = {};
  const jobs = Object.keys(workflow.jobs);
  const ancestors = (job: string): string[] => {
    const direct = needsOf(workflow.jobs[job]);
    return [...new Set([...direct, ...direct.flatMap(ancestors)])];
  };
  let cancelled = false;
  const pending = new Set(jobs);
  while (pending.size > 0) {
    const ready = [...pending].filter((j) => needsOf(workflow.jobs[j]).every((n) => n in results));
    if (ready.length === 0) throw new Error(`needs cycle among ${[...pending].join(', ')}`);
    for (const job of ready) {
      pending.delete(job);
      const up = ancestors(job).map((a) => results[a]);
      const status = {
        success: !cancelled && needsOf(workflow.jobs[job]).every((n) => results[n] === 'success'),
        failure: up.includes('failure'),
        cancelled,
      };
      const expr = workflow.jobs[job].if;
      // A job that did not run has no outputs; `needs.<job>.result` is what happened to it.
      const values: Record<string, Value> = Object.fromEntries(
        Object.entries(sim.values ?? {}).filter(([path]) => {
          const m = /^needs\.([\w-]+)\.outputs\./.exec(path);
          return !m || results[m[1]] === 'success';
        }),
      );
      for (const need of needsOf(workflow.jobs[job])) values[`needs.${need}.result`] = results[need];
      const runs =
        expr === undefined
          ? status.success
          : usesStatusFunction(expr)
            ? truthy(evaluate(expr, { values, status }))
            : status.success && truthy(evaluate(expr, { values, status }));
      if (!runs) {
        results[job] = 'skipped';
        continue;
      }
      if (sim.cancelDuring === job) {
        cancelled = true;
        results[job] = 'cancelled';
      } else results[job] = sim.outcomes?.[job] ?? 'success';
    }
  }
  return results;
}
