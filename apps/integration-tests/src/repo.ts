/** Locating the repository and an environment's stack configs from the CLI's own location. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { InputError } from './errors';

/** The nearest ancestor of `start` whose package.json declares workspaces: the monorepo root. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).workspaces) return dir;
      } catch {
        // An unreadable package.json is not the root; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new InputError(`cannot find the repository root (a package.json with workspaces) above ${start}`);
    dir = parent;
  }
}

/** Project dirs (relative to the root) of the stack programs: apps/tgw, apps/inspection, apps/spokes/*. */
export function stackProjectDirs(root: string): string[] {
  const spokes = existsSync(join(root, 'apps/spokes'))
    ? readdirSync(join(root, 'apps/spokes'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `apps/spokes/${d.name}`)
        .sort()
    : [];
  return ['apps/tgw', 'apps/inspection', ...spokes].filter((d) => existsSync(join(root, d, 'Pulumi.yaml')));
}

const ENV_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

/**
 * Fails early, naming the file, when an env cannot be run: an invalid name, no project with a
 * `Pulumi.<env>.yaml`, or a required project (tgw, inspection) without one.
 */
export function checkEnvironment(root: string, env: string): void {
  if (!ENV_NAME.test(env)) throw new InputError(`--env: "${env}" is not a valid stack name`);
  const dirs = stackProjectDirs(root);
  const withConfig = dirs.filter((d) => existsSync(join(root, d, `Pulumi.${env}.yaml`)));
  if (withConfig.length === 0) {
    const known = new Set<string>();
    for (const d of dirs)
      for (const f of readdirSync(join(root, d))) {
        const m = /^Pulumi\.(.+)\.yaml$/.exec(f);
        if (m) known.add(m[1]!);
      }
    throw new InputError(
      `--env: unknown environment "${env}": no ${relative(root, join(root, 'apps'))}/*/Pulumi.${env}.yaml (known: ${[...known].sort().join(', ') || 'none'})`,
    );
  }
  for (const required of ['apps/tgw', 'apps/inspection']) {
    if (!existsSync(join(root, required, `Pulumi.${env}.yaml`)))
      throw new InputError(`--env ${env}: missing ${required}/Pulumi.${env}.yaml`);
  }
}
