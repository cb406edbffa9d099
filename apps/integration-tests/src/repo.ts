/** Locating the repository and an environment's stack configs from the CLI's own location. */
import {
  allProjects,
  configuredEnvs,
  discoverStackProjects,
  findRepoRoot,
  type ProjectLayout,
} from '@hubspoke/network/src/stack-projects';
import { InputError } from './errors';

/** The repository this CLI belongs to: searched from the CLI's own location, not the caller's cwd. */
export const cliRepoRoot = (): string => findRepoRoot(__dirname);

const ENV_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

/**
 * Fails early, naming the file, when an env cannot be run: an invalid name, a repository without
 * the tgw and inspection projects, no project with a `Pulumi.<env>.yaml`, or a required project
 * (tgw, inspection) without one.
 */
export function checkEnvironment(root: string, env: string): void {
  if (!ENV_NAME.test(env)) throw new InputError(`--env: "${env}" is not a valid stack name`);
  let layout: ProjectLayout;
  try {
    layout = discoverStackProjects(root);
  } catch (err) {
    throw new InputError(err instanceof Error ? err.message : String(err));
  }
  const projects = allProjects(layout);
  const withConfig = projects.filter((p) => configuredEnvs(p.workDir).includes(env));
  if (withConfig.length === 0) {
    const known = new Set(projects.flatMap((p) => configuredEnvs(p.workDir)));
    throw new InputError(
      `--env: unknown environment "${env}": no apps/*/Pulumi.${env}.yaml (known: ${[...known].sort().join(', ') || 'none'})`,
    );
  }
  for (const required of [layout.tgw, layout.inspection]) {
    if (!configuredEnvs(required.workDir).includes(env))
      throw new InputError(`--env ${env}: missing ${required.dir}/Pulumi.${env}.yaml`);
  }
}
