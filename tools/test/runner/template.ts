/**
 * Loading workflows and composite actions with GitHub's own parser (@actions/workflow-parser):
 * schema-validated token trees whose `${{ }}` strings are already expressions (a string mixing
 * text and expressions becomes one `format(...)` expression, as on GitHub).
 *
 * The converted workflow model gives each job its normalized `if` (with the implicit `success()`),
 * `needs`, and step ids; keys it leaves out (a step's `with`, `shell`, `working-directory`,
 * `timeout-minutes`, a job's `timeout-minutes` and `defaults`) are read from the parsed tokens.
 */
import { readFileSync } from 'node:fs';
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
  type TemplateParseResult,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import type { Job as ModelJob, Step as ModelStep } from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { evaluate, type Contexts, type Json, type Status } from './expressions';

export type Token = TemplateToken;
export type { ModelJob, ModelStep };

/** A token turned into a value: literals as they are, expressions evaluated against `contexts`. */
export function valueOf(token: Token | undefined, contexts: Contexts, status?: Status): Json {
  if (token === undefined) return null;
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBasicExpression(token)) return evaluate(token.expression, contexts, status);
  if (isSequence(token)) return [...token].map((t) => valueOf(t, contexts, status));
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const pair of token)
      out[String(valueOf(pair.key, contexts, status))] = valueOf(pair.value, contexts, status);
    return out;
  }
  return null; // null token
}

/** The raw value of `key` in a mapping token. */
export function member(token: Token | undefined, key: string): Token | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (isString(pair.key) && pair.key.value === key) return pair.value;
  return undefined;
}

function failOnErrors(result: TemplateParseResult, file: string): void {
  const errors = result.context.errors.getErrors();
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
}

export interface LoadedWorkflow {
  file: string;
  model: WorkflowTemplate;
  /** The parsed mapping of the whole file. */
  root: Token;
}

export async function loadWorkflowFile(path: string, name = path): Promise<LoadedWorkflow> {
  const parsed = parseWorkflow({ name, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
  failOnErrors(parsed, name);
  if (!parsed.value) throw new Error(`${name}: empty workflow`);
  const model = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (model.errors?.length) throw new Error(`${name}: ${model.errors.map((e) => e.Message).join('; ')}`);
  return { file: name, model, root: parsed.value };
}

export function modelJob(wf: LoadedWorkflow, id: string): ModelJob {
  const job = wf.model.jobs.find((j) => j.id.value === id);
  if (!job || job.type !== 'job') throw new Error(`${wf.file}: no job ${id}`);
  return job;
}

export const rawJob = (wf: LoadedWorkflow, id: string): Token | undefined =>
  member(member(wf.root, 'jobs'), id);

/** The parsed mapping of each step of a job, in order (aligned with the model's steps). */
export function rawSteps(jobOrRuns: Token | undefined): Token[] {
  const steps = member(jobOrRuns, 'steps');
  return steps && isSequence(steps) ? [...steps] : [];
}

export interface LoadedAction {
  file: string;
  root: Token;
}

export function loadActionFile(path: string, name = path): LoadedAction {
  const parsed = parseAction({ name, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
  failOnErrors(parsed, name);
  if (!parsed.value) throw new Error(`${name}: empty action`);
  return { file: name, root: parsed.value };
}

/** A literal scalar of a mapping (no expression), e.g. `shell` or `using`. */
export function literal(token: Token | undefined, key: string): string | number | boolean | undefined {
  const v = member(token, key);
  if (!v) return undefined;
  if (isString(v) || isNumber(v) || isBoolean(v)) return v.value;
  throw new Error(`${key}: expected a literal, got an expression`);
}
