/**
 * GitHub Actions expressions, evaluated by GitHub's own parser and evaluator
 * (@actions/expressions, the engine of the Actions language services), plus the status functions
 * the runner provides: success(), failure(), cancelled(), always().
 * Semantics: "Evaluate expressions in workflows and actions",
 * https://docs.github.com/en/actions/reference/workflows-and-actions/expressions
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Contexts = Record<string, Json>;

/** What the status functions answer where the expression is evaluated (a job's or a step's `if`). */
export interface Status {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

export const NO_STATUS: Status = { success: true, failure: false, cancelled: false };

const STATUS_FUNCTION = /\b(success|failure|cancelled|always)\s*\(/i;

/** A condition without a status function gets the implicit `success() &&` GitHub adds. */
export function conditionExpression(condition: string | undefined): string {
  const expr = stripMarkers(condition ?? '').trim();
  if (expr === '') return 'success()';
  return STATUS_FUNCTION.test(expr) ? expr : `success() && (${expr})`;
}

/** `${{ x }}` -> `x` for a condition written with the markers. */
export function stripMarkers(text: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return m && !m[1].includes('}}') ? m[1] : text;
}

function statusFunctions(status: Status) {
  const fn = (name: string, value: () => boolean) =>
    [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) }] as const;
  return [
    fn('success', () => status.success),
    fn('failure', () => status.failure),
    fn('cancelled', () => status.cancelled),
    fn('always', () => true),
  ];
}

export function evaluate(expression: string, contexts: Contexts, status: Status = NO_STATUS): Json {
  const functions = statusFunctions(status);
  const { tokens } = new Lexer(expression).lex();
  const ast = new Parser(
    tokens,
    Object.keys(contexts),
    functions.map(([, f]) => ({ name: f.name, minArgs: f.minArgs, maxArgs: f.maxArgs })),
  ).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  const result = new Evaluator(ast, context, new Map(functions)).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer) ?? 'null') as Json;
}

/** Truthiness as GitHub defines it: false, 0, -0, '', null are falsy; everything else truthy. */
export function truthy(value: Json): boolean {
  return !(value === null || value === false || value === 0 || value === '');
}

/** A value placed into a string (a `run:` script, an env value): GitHub's string conversion. */
export function asString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value, null, 2);
}
