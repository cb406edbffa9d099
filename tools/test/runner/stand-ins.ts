/**
 * Offline stand-ins for the third-party actions the offline jobs use, each doing here what the
 * action does on GitHub for these workflows (inputs as in each action's action.yml at the pinned
 * version). Actions that need the cloud (AWS credentials, the Pulumi CLI) have no stand-in on
 * purpose: a job reaching one fails.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ActionStandIn, RunStepStandIn, StepEffect } from './runner';
import { inWorkspace } from './runner';
import { checkout, linkInstalledPackages, lockMismatches } from './workspace';

const fail = (log: string): StepEffect => ({ outcome: 'failure', log: `${log}\n` });

/** actions/checkout: the run's snapshot (working tree + PR change) with full history. */
export const checkoutStandIn: ActionStandIn = ({ workspace, run, with: w }) => {
  if (w.repository && w.repository !== 'org/hubspoke')
    return fail(`checkout of another repository (${w.repository}) is not supported`);
  checkout(run.snapshot, workspace);
  return {
    outcome: 'success',
    log: `checked out ${run.snapshot.head} (persist-credentials: ${w['persist-credentials'] ?? 'true'})\n`,
  };
};

/**
 * actions/setup-node: the Node on PATH stands in for the one setup-node would install, provided
 * it is the major version the workflow asks for (node-version-file or node-version).
 */
export const setupNodeStandIn: ActionStandIn = ({ workspace, with: w, env }) => {
  const wanted = w['node-version-file']
    ? readFileSync(inWorkspace(workspace, w['node-version-file']), 'utf8').trim()
    : w['node-version'];
  if (!wanted) return fail('setup-node: neither node-version nor node-version-file given');
  const have = execFileSync('node', ['--version'], {
    encoding: 'utf8',
    env: { PATH: env.PATH ?? process.env.PATH },
  }).trim();
  const major = (v: string) => v.replace(/^v/, '').split('.')[0];
  if (major(have) !== major(wanted))
    return fail(`setup-node would install Node ${wanted}; the stand-in only has ${have} on PATH`);
  return { outcome: 'success', outputs: { 'node-version': have }, log: `Node ${have} (asked: ${wanted})\n` };
};

const artifactDir = (root: string, name: string) => join(root, encodeURIComponent(name));

/** actions/upload-artifact: one immutable artifact per name per run; if-no-files-found honoured. */
export const uploadArtifactStandIn: ActionStandIn = ({ workspace, run, with: w }) => {
  const name = w.name || 'artifact';
  const paths = (w.path ?? '')
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length !== 1)
    return fail(`upload-artifact stand-in takes one path, got ${JSON.stringify(w.path)}`);
  const dest = artifactDir(run.artifacts, name);
  if (existsSync(dest) && w.overwrite !== 'true')
    return fail(`an artifact named ${name} already exists in this run`);
  const src = inWorkspace(workspace, paths[0]);
  const files = existsSync(src)
    ? statSync(src).isDirectory()
      ? readdirSync(src, { recursive: true })
      : [src]
    : [];
  if (files.length === 0) {
    const mode = w['if-no-files-found'] || 'warn';
    const message = `No files were found with the provided path: ${paths[0]}. No artifacts will be uploaded.`;
    if (mode === 'error') return fail(message);
    return { outcome: 'success', log: `${mode === 'warn' ? 'Warning: ' : ''}${message}\n` };
  }
  mkdirSync(dest, { recursive: true });
  if (statSync(src).isDirectory()) cpSync(src, dest, { recursive: true });
  else cpSync(src, join(dest, basename(src)));
  return { outcome: 'success', log: `uploaded ${name}\n` };
};

/** actions/download-artifact: by name, into `path` (default: the workspace); a missing one fails. */
export const downloadArtifactStandIn: ActionStandIn = ({ workspace, run, with: w }) => {
  if (!w.name) return fail('download-artifact stand-in needs a name');
  const src = artifactDir(run.artifacts, w.name);
  if (!existsSync(src)) return fail(`Unable to download artifact(s): Artifact not found for name: ${w.name}`);
  const dest = inWorkspace(workspace, w.path || '.');
  mkdirSync(dest, { recursive: true });
  cpSync(src, dest, { recursive: true });
  return { outcome: 'success', outputs: { 'download-path': dest } };
};

/**
 * nrwl/nx-set-shas: NX_BASE/NX_HEAD for the job. A pull request's base is the commit the PR
 * branched from; on main it is the last successful run's commit (`facts.lastSuccessfulSha`), and
 * without one the action falls back to HEAD~1 unless error-on-no-successful-workflow is set.
 */
export const nxSetShasStandIn: ActionStandIn = ({ run, with: w }) => {
  const pr = run.event.payload.pull_request;
  let base: string;
  if (pr) base = run.snapshot.base;
  else if (run.facts.lastSuccessfulSha) base = run.facts.lastSuccessfulSha;
  else if (w['error-on-no-successful-workflow'] === 'true')
    return fail(
      'Unable to find a successful workflow run on origin/main: error-on-no-successful-workflow is set',
    );
  else base = `${run.snapshot.head}~1`;
  const shas = { base, head: run.snapshot.head };
  const env: Record<string, string> =
    w['set-environment-variables-for-job'] === 'false' ? {} : { NX_BASE: shas.base, NX_HEAD: shas.head };
  return { outcome: 'success', outputs: shas, env };
};

export const offlineActions: Record<string, ActionStandIn> = {
  'actions/checkout': checkoutStandIn,
  'actions/setup-node': setupNodeStandIn,
  'actions/upload-artifact': uploadArtifactStandIn,
  'actions/download-artifact': downloadArtifactStandIn,
  'nrwl/nx-set-shas': nxSetShasStandIn,
};

/**
 * `npm ci` of the setup action: the packages are already installed in the repository running this
 * suite, by `npm ci` from the same package-lock.json (`.ci/run` starts with it), so the job's
 * node_modules links to them; what npm ci checks first, the lock file matching package.json, is
 * still checked.
 */
export const npmCiInstalled: RunStepStandIn = {
  script: 'npm ci --no-audit --no-fund',
  reason: 'already installed: node_modules of this repository, from the same package-lock.json',
  effect: ({ workspace, run }) => {
    const problems = lockMismatches(workspace);
    if (problems.length > 0)
      return fail(`npm ci: package.json and package-lock.json are not in sync:\n${problems.join('\n')}`);
    linkInstalledPackages(run.snapshot.source, workspace);
    return { outcome: 'success', log: 'node_modules linked\n' };
  },
};
