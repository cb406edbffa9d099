/**
 * What a live run needs before it may create anything: AWS credentials (through the SDK's default
 * provider chain: env vars, SSO/profile, web identity in CI, instance role), a region, a Pulumi
 * CLI on PATH and, for self-managed backends, a secrets passphrase. All problems are collected so
 * one failed start names everything that is missing.
 */
import { execFile } from 'node:child_process';
import { EC2Client } from '@aws-sdk/client-ec2';
import { type Backend, isDiyBackend } from './backend';
import { PreflightError, errorMessage } from './errors';

export interface PreflightDeps {
  /** Resolves AWS credentials (default: the SDK default provider chain of an EC2 client). */
  credentials: () => Promise<{ accessKeyId?: string }>;
  /** Resolves the region (default: the SDK's region chain, after --region). */
  region: () => Promise<string | undefined>;
  /** Runs `pulumi version`; resolves to its output. */
  pulumiVersion: () => Promise<string>;
  vars: Record<string, string | undefined>;
}

export interface PreflightResult {
  region: string;
  pulumiVersion: string;
  backendUrl: string;
  backend: Backend;
}

export async function runPreflight(deps: PreflightDeps, backend: Backend): Promise<PreflightResult> {
  const backendUrl = backend.url;
  const problems: string[] = [];
  const [creds, region, pulumi] = await Promise.allSettled([
    deps.credentials(),
    deps.region(),
    deps.pulumiVersion(),
  ]);
  if (creds.status === 'rejected' || !creds.value.accessKeyId) {
    problems.push(
      `AWS credentials: none found through the default provider chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE/SSO, ` +
        `web identity, instance role)${creds.status === 'rejected' ? `: ${firstLine(creds.reason)}` : ''}`,
    );
  }
  if (region.status === 'rejected' || !region.value) {
    problems.push('AWS region: pass --region or set AWS_REGION');
  }
  if (pulumi.status === 'rejected') {
    problems.push(
      `Pulumi CLI: \`pulumi version\` failed (${firstLine(pulumi.reason)}); install it: https://www.pulumi.com/docs/install/`,
    );
  }
  if (backend.problem) problems.push(backend.problem);
  if (
    isDiyBackend(backendUrl) &&
    deps.vars.PULUMI_CONFIG_PASSPHRASE === undefined &&
    deps.vars.PULUMI_CONFIG_PASSPHRASE_FILE === undefined
  ) {
    problems.push(
      `Pulumi secrets passphrase: backend ${backendUrl} is self-managed; set PULUMI_CONFIG_PASSPHRASE (may be empty) or PULUMI_CONFIG_PASSPHRASE_FILE`,
    );
  }
  if (problems.length > 0) throw new PreflightError(problems);
  return {
    region: (region as PromiseFulfilledResult<string>).value,
    pulumiVersion: (pulumi as PromiseFulfilledResult<string>).value.trim(),
    backendUrl,
    backend,
  };
}

function firstLine(err: unknown): string {
  return (errorMessage(err).split('\n')[0] ?? '').trim();
}

/** `pulumi version` through PATH, with a short timeout (a hung CLI must not hang the start). */
export function pulumiVersionFromPath(env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  return () =>
    new Promise((resolve, reject) => {
      execFile('pulumi', ['version'], { env, timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          reject(
            new Error(
              code === 'ENOENT' ? 'pulumi: command not found on PATH' : `${err.message} ${stderr}`.trim(),
            ),
          );
        } else resolve(stdout);
      });
    });
}

/** The real preflight dependencies: SDK default chains and the CLI on PATH. */
export function defaultPreflightDeps(
  region: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): PreflightDeps {
  const client = new EC2Client(region ? { region } : {});
  return {
    credentials: () => client.config.credentials(),
    region: () => client.config.region(),
    pulumiVersion: pulumiVersionFromPath(env),
    vars: env,
  };
}
