/**
 * `hubspoke trace`: one flow through the model, hop by hop, on every path AWS may choose, with the
 * route or rule that decided each. Exit 0 when every path gets its reply, 1 when one does not, 3
 * when a path meets something the model does not model (UNKNOWN, naming it).
 */
import { resolve } from 'node:path';
import {
  createTracer,
  defaultExpectations,
  formatTrace,
  isIpv4,
  loadChecksFile,
  pathUnknown,
  resolveHost,
  roundTripOk,
  type FlowQuery,
  type TracedPath,
} from '@hubspoke/harness';
import { isAwsServiceName, type NetworkSnapshot } from '@hubspoke/netmodel';
import { InputError } from '../errors';
import type { CliIo } from '../io';
import { cliRepoRoot } from '../repo';
import { formatProgress, snapshotFromMockCloud } from '../env-snapshot';
import { loadSnapshotFile } from '../snapshot-file';
import { DEFAULT_ENV, PROTOCOLS, type TraceOptions, type VerifyDeps } from './trace';

export async function trace(options: TraceOptions, io: CliIo, deps: VerifyDeps = {}): Promise<number> {
  if (options.snapshot && options.env) throw new InputError('--snapshot and --env are mutually exclusive');
  const hosts = options.checks
    ? loadChecksFile(resolve(io.cwd, options.checks)).hosts
    : defaultExpectations().hosts;
  const m = /^(.+):(\d{1,5})$/.exec(options.to);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
    throw new InputError(`--to: "${options.to}" is not <host|ip>:<port>`);
  const host = m[1]!;
  const port = Number(m[2]);
  const ip = resolveHost(hosts, host);
  // An AWS service name resolves as the source VPC resolves it (private DNS of an interface endpoint, or public).
  const byName = !ip && isAwsServiceName(host);
  if (!ip && !byName)
    throw new InputError(
      `--to: host "${host}" is not in the hosts table (known: ${Object.keys(hosts).join(', ')}; add it with --checks)`,
    );
  const protocol = options.protocol ?? (port === 443 ? 'tls' : port === 80 ? 'http' : 'tcp');
  if (!(PROTOCOLS as readonly string[]).includes(protocol))
    throw new InputError(`--protocol: "${protocol}" is not one of ${PROTOCOLS.join(', ')}`);
  if (options.sni && protocol !== 'tls')
    throw new InputError(`--sni: only applies to --protocol tls (got ${protocol})`);
  if (!/^i-[0-9a-zA-Z-]+$/.test(options.from) && !isIpv4(options.from))
    throw new InputError(`--from: "${options.from}" is not an instance id (i-...) or an IPv4 address`);

  let snapshot: NetworkSnapshot;
  if (options.snapshot) snapshot = loadSnapshotFile(resolve(io.cwd, options.snapshot));
  else {
    const root = deps.repoRoot ?? cliRepoRoot();
    const env = options.env ?? DEFAULT_ENV;
    snapshot = (
      deps.snapshotFromEnv
        ? await deps.snapshotFromEnv(root, env, io)
        : await snapshotFromMockCloud(root, env, (p) => io.stderr(formatProgress(p)))
    ).snapshot;
  }
  if (
    options.from.startsWith('i-') &&
    !(snapshot.Instances ?? []).some((i) => i.InstanceId === options.from)
  ) {
    throw new InputError(`--from: instance "${options.from}" is not in the snapshot`);
  }

  const query: FlowQuery = {
    source: options.from.startsWith('i-') ? { instanceId: options.from } : { ip: options.from },
    destination: ip ? { ip, port } : { host, port },
    protocol: protocol === 'udp' ? 'udp' : 'tcp',
    ...(protocol === 'tls'
      ? { app: { kind: 'tls' as const, sni: options.sni ?? host } }
      : protocol === 'http'
        ? { app: { kind: 'http' as const, host } }
        : {}),
  };
  const paths = createTracer(snapshot, { hosts }).trace(query);
  const to = host === ip ? ip : ip ? `${host} (${ip})` : `${host} (resolved from the source VPC)`;
  io.stdout(
    formatTrace(
      `${options.from} -> ${to}:${port} ${protocol}${query.app?.kind === 'tls' ? ` sni=${query.app.sni}` : ''}`,
      paths,
    ),
  );
  return traceExitCode(paths);
}

/** 0 every path answered, 3 some path meets what the model does not model, 1 otherwise. */
export function traceExitCode(paths: TracedPath[]): number {
  if (paths.some(pathUnknown)) return 3;
  return paths.length > 0 && paths.every(roundTripOk) ? 0 : 1;
}
