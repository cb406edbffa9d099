/**
 * What `actions/checkout` and `npm ci` give a job on GitHub, made from this repository:
 *
 * - a source snapshot: a git clone of the repository whose last commit is the working tree as it
 *   would be committed (tracked and new non-ignored files; ignored files such as node_modules/ or
 *   reports/ are not there, as in a fresh clone), optionally with a pull request's change on top;
 * - a checkout: a clone of that snapshot per job, so jobs cannot see each other's files;
 * - an install: the job's node_modules/ links to the packages this repository already installed
 *   with `npm ci` from the same package-lock.json (re-installing them per job would add minutes
 *   and need the registry), with the workspace packages (node_modules/@hubspoke/*, .bin) pointing
 *   into the job's own checkout; and the check `npm ci` makes first: the lock file matches every
 *   package.json of the workspace.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

const git = (cwd: string, args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'runner stand-in',
      GIT_AUTHOR_EMAIL: 'stand-in@localhost',
      GIT_COMMITTER_NAME: 'runner stand-in',
      GIT_COMMITTER_EMAIL: 'stand-in@localhost',
    },
  }).trim();

const nulList = (text: string) => text.split('\0').filter(Boolean);

export interface Snapshot {
  /** A non-bare clone holding the commits below. */
  repo: string;
  /** The working tree of the source repository, committed. */
  base: string;
  /** `base` plus the pull request change, or `base` when there is none. */
  head: string;
  /** The repository the snapshot was taken from (its node_modules are reused by installs). */
  source: string;
}

/** Snapshot of `source`'s working tree; `change` (path -> new content) becomes one more commit. */
export function takeSnapshot(source: string, dir: string, change?: Record<string, string>): Snapshot {
  git(dir, ['clone', '--quiet', '--shared', '--no-checkout', source, 'source']);
  const repo = join(dir, 'source');
  git(repo, ['checkout', '--quiet', '--detach', git(source, ['rev-parse', 'HEAD'])]);
  for (const file of nulList(
    git(source, ['ls-files', '-z', '--modified', '--others', '--exclude-standard']),
  )) {
    const from = join(source, file);
    if (!existsSync(from)) continue; // deleted: handled below
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(from, join(repo, file));
  }
  for (const file of nulList(git(source, ['ls-files', '-z', '--deleted'])))
    rmSync(join(repo, file), { force: true });
  git(repo, ['add', '-A']);
  if (git(repo, ['status', '--porcelain']) !== '')
    git(repo, ['commit', '--quiet', '--no-verify', '-m', 'working tree']);
  const base = git(repo, ['rev-parse', 'HEAD']);
  if (change && Object.keys(change).length > 0) {
    for (const [file, content] of Object.entries(change)) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), content);
    }
    git(repo, ['add', '-A']);
    git(repo, ['commit', '--quiet', '--no-verify', '-m', 'pull request change']);
  }
  return { repo, base, head: git(repo, ['rev-parse', 'HEAD']), source };
}

/** `actions/checkout`: the snapshot's head, with its full history, into an empty workspace. */
export function checkout(snapshot: Snapshot, workspace: string): void {
  if (existsSync(workspace) && readdirSync(workspace).length > 0)
    throw new Error(`checkout: workspace ${workspace} is not empty`);
  mkdirSync(dirname(workspace), { recursive: true });
  git(dirname(workspace), ['clone', '--quiet', '--shared', '--no-checkout', snapshot.repo, workspace]);
  git(workspace, ['checkout', '--quiet', '--detach', snapshot.head]);
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  workspaces?: string[];
}

/** Workspace directories of the root package.json (`dir/*` patterns and plain paths). */
export function workspaceDirs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  return (pkg.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return existsSync(join(root, parent))
      ? readdirSync(join(root, parent), { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(root, parent, d.name, 'package.json')))
          .map((d) => `${parent}/${d.name}`)
      : [];
  });
}

/**
 * What `npm ci` refuses first: a package.json whose dependencies the lock file does not record
 * ("`npm ci` can only install packages when your package.json and package-lock.json are in
 * sync", https://docs.npmjs.com/cli/v11/commands/npm-ci). Returns the mismatches.
 */
export function lockMismatches(root: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages?: Record<string, PackageJson>;
  };
  const problems: string[] = [];
  for (const dir of ['', ...workspaceDirs(root)]) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson;
    const locked = lock.packages?.[dir];
    if (!locked) {
      problems.push(`${dir || '.'}: not in package-lock.json`);
      continue;
    }
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      const want = pkg[field] ?? {};
      const have = locked[field] ?? {};
      for (const name of new Set([...Object.keys(want), ...Object.keys(have)]))
        if (want[name] !== have[name])
          problems.push(
            `${dir || '.'}: ${field}.${name} is ${want[name] ?? 'absent'} in package.json, ${have[name] ?? 'absent'} in package-lock.json`,
          );
    }
  }
  return problems;
}

/**
 * Links `workspace/node_modules` to the source repository's installed packages. A link the source
 * keeps relative and pointing into the repository (a workspace package, a .bin entry) is
 * recreated as the same relative link, so it resolves inside the job's checkout.
 */
export function linkInstalledPackages(source: string, workspace: string): void {
  const mirror = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) {
      const src = join(from, entry);
      const dst = join(to, entry);
      const stat = lstatSync(src);
      if (stat.isSymbolicLink()) {
        const target = readlinkSync(src);
        const resolved = resolve(from, target);
        const insideRepo = !relative(source, resolved).startsWith('..');
        symlinkSync(insideRepo && !isAbsolute(target) ? target : resolved, dst);
      } else if (stat.isDirectory() && (entry === '.bin' || entry.startsWith('@'))) mirror(src, dst);
      else symlinkSync(src, dst);
    }
  };
  if (!existsSync(join(source, 'node_modules')))
    throw new Error(`${source} has no node_modules: run npm ci there`);
  mirror(join(source, 'node_modules'), join(workspace, 'node_modules'));
}
