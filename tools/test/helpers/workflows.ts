/** Loading the workflows and composite actions as plain objects for structural assertions. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@hubspoke/network/src/stack-projects';
import { parse } from 'yaml';

export const repoRoot = findRepoRoot(__dirname);
export const workflowsDir = join(repoRoot, '.github/workflows');
export const actionsDir = join(repoRoot, '.github/actions');

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  shell?: string;
  'continue-on-error'?: boolean;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface CompositeAction {
  name: string;
  inputs?: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Step[] };
}

export const workflowFiles = (): string[] =>
  readdirSync(workflowsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

export const readWorkflowText = (file: string): string => readFileSync(join(workflowsDir, file), 'utf8');

export const loadWorkflow = (file: string): Workflow => parse(readWorkflowText(file)) as Workflow;

export const actionNames = (): string[] => readdirSync(actionsDir).sort();

export const loadAction = (name: string): CompositeAction =>
  parse(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')) as CompositeAction;

export const needsOf = (job: Job): string[] =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/** A job uses AWS when it assumes a role, through the composite action or the upstream one. */
export const usesAws = (job: Job): boolean =>
  (job.steps ?? []).some(
    (s) =>
      s.uses === './.github/actions/aws' ||
      (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'),
  );

/** Secrets other than the job token (which fork PRs only get read-only). */
export const usesSecrets = (job: Job): boolean => /secrets\.(?!GITHUB_TOKEN\b)\w+/.test(JSON.stringify(job));

export const SAME_REPO = 'github.event.pull_request.head.repo.full_name == github.repository';
