/**
 * Which Pulumi backend a live run uses, and why. The state must be where the teardown job and
 * `hubspoke sweep` look for it: a `file://` backend inside a CI checkout disappears with the
 * runner, so in CI it is refused unless asked for with `--backend`. A secret that is not
 * configured reaches a GitHub job as an empty string, so empty values count as unset.
 */

export const PULUMI_CLOUD_URL = 'https://api.pulumi.com';

export type BackendSource = 'option' | 'PULUMI_BACKEND_URL' | 'PULUMI_ACCESS_TOKEN' | 'default';

export interface Backend {
  url: string;
  source: BackendSource;
  /** Why this backend must not be used here (reported by preflight with the other problems). */
  problem?: string;
}

const value = (v: string | undefined): string | undefined => v?.trim() || undefined;

export function isCi(vars: Record<string, string | undefined>): boolean {
  return /^(true|1)$/i.test(vars.CI?.trim() ?? '');
}

/** Pulumi Cloud (app.pulumi.com or self-hosted https) keeps secrets itself; DIY backends need a passphrase. */
export function isDiyBackend(url: string): boolean {
  return !/^https?:\/\//.test(url);
}

/**
 * `--backend`, else PULUMI_BACKEND_URL, else Pulumi Cloud when PULUMI_ACCESS_TOKEN is set, else
 * `localDefault` (the repo's `file://` state).
 */
export function resolveBackend(
  vars: Record<string, string | undefined>,
  localDefault: string,
  option?: string,
): Backend {
  const ci = isCi(vars);
  const token = value(vars.PULUMI_ACCESS_TOKEN);
  let backend: Backend;
  if (value(option)) backend = { url: value(option)!, source: 'option' };
  else if (value(vars.PULUMI_BACKEND_URL))
    backend = { url: value(vars.PULUMI_BACKEND_URL)!, source: 'PULUMI_BACKEND_URL' };
  else if (token) backend = { url: PULUMI_CLOUD_URL, source: 'PULUMI_ACCESS_TOKEN' };
  else backend = { url: localDefault, source: 'default' };

  if (ci && backend.url.startsWith('file://') && backend.source !== 'option') {
    backend.problem =
      `Pulumi backend: ${backend.url} (${describeSource(backend)}) keeps the state on this CI runner, where the teardown ` +
      `job and \`hubspoke sweep\` cannot find it; set PULUMI_BACKEND_URL (s3://..., https://...) or PULUMI_ACCESS_TOKEN ` +
      `(Pulumi Cloud), or pass --backend ${backend.url} to use it on purpose`;
  } else if (ci && !isDiyBackend(backend.url) && !token) {
    backend.problem = `Pulumi backend: ${backend.url} needs PULUMI_ACCESS_TOKEN in CI (it is unset or empty)`;
  }
  return backend;
}

function describeSource(b: Backend): string {
  switch (b.source) {
    case 'option':
      return 'from --backend';
    case 'PULUMI_BACKEND_URL':
      return 'from PULUMI_BACKEND_URL';
    case 'PULUMI_ACCESS_TOKEN':
      return 'Pulumi Cloud: PULUMI_ACCESS_TOKEN is set and no backend URL';
    case 'default':
      return 'default: no --backend, PULUMI_BACKEND_URL or PULUMI_ACCESS_TOKEN';
  }
}

/** `https://api.pulumi.com (Pulumi Cloud: PULUMI_ACCESS_TOKEN is set and no backend URL)` */
export function describeBackend(b: Backend): string {
  return `${b.url} (${describeSource(b)})`;
}
