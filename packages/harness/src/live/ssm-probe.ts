/**
 * The live `Probe`: runs curl on the probe instances through SSM Run Command. Every observation
 * says whether it was actually made (`observed`); an SSM failure, a timeout, unparseable output or
 * a curl outcome that proves nothing about the firewall (curl-verdict.ts) gives `observed: false`
 * with the reason, so a check can never pass on a missing observation.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import {
  type EC2Client,
  type Instance,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeVpcEndpoints,
} from '@aws-sdk/client-ec2';
import { GetCommandInvocationCommand, type SSMClient, SendCommandCommand } from '@aws-sdk/client-ssm';
import { PROBE_ROLE, TAG_ENV, TAG_ROLE } from '@hubspoke/network/src/contracts';
import type { HostRequest } from '../checks/expectations';
import { SSM_SERVICES } from '@hubspoke/netmodel';
import type {
  ConnectionEvidence,
  EgressIpObservation,
  Probe,
  ProbeHost,
  RequestObservation,
  RequestSpec,
} from '../probe';
import { type Clock, systemClock } from './clock';
import { curlVerdict, describeCurl } from './curl-verdict';
import { errorMessage, isThrottlingError } from './errors';
import {
  type CurlLimits,
  type CurlResult,
  DEFAULT_CURL_LIMITS,
  type ProbeStep,
  type StepOutput,
  curlResult,
  curlTarget,
  parseProbeOutput,
  probeScript,
  resolvedAddresses,
} from './probe-script';
import { pollUntil } from './retry';

export interface SsmProbeOptions {
  ec2: EC2Client;
  ssm: SSMClient;
  env: string;
  /** Region of the env: the SSM endpoint names are `<service>.<region>.amazonaws.com`. */
  region: string;
  clock?: Clock;
  curl?: CurlLimits;
  /** The host the egress IP is read from (`egressIpHost` of the checks); default checkip.amazonaws.com:443. */
  egressIpHost?: HostRequest;
  /** How long to wait for one command's result. */
  commandTimeoutMs?: number;
  /** First poll delay of GetCommandInvocation (doubles up to 10s). */
  pollDelayMs?: number;
  nonce?: () => string;
  /** Only these probes (instance ids or Name tags), as `probes` of a checks file selects them. */
  select?: string[];
  /** Aborts polling (Ctrl-C): the observations in flight become "not made". */
  signal?: AbortSignal;
}

export const DEFAULT_EGRESS_IP_HOST: HostRequest = {
  host: 'checkip.amazonaws.com',
  port: 443,
  protocol: 'tls',
};

/**
 * Non-terminal GetCommandInvocation statuses: keep polling. `Cancelling` is one: the command may
 * still finish. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetCommandInvocation.html
 */
const PENDING = new Set(['Pending', 'InProgress', 'Delayed', 'Cancelling']);

/** A probe named in the checks file that is not a running probe of the env. */
export class UnknownLiveProbeError extends Error {
  constructor(selected: string[], env: string, found: ProbeHost[]) {
    super(
      `probes: ${selected.map((s) => `"${s}"`).join(', ')} ${selected.length === 1 ? 'is' : 'are'} not the instance id or Name tag of a running probe of ${env} ` +
        `(found: ${found.map((h) => (h.name ? `${h.name} (${h.instanceId})` : h.instanceId)).join(', ') || 'none'})`,
    );
    this.name = 'UnknownLiveProbeError';
  }
}

type Run = { ok: true; steps: Map<string, StepOutput> } | { ok: false; detail: string };

export class SsmProbe implements Probe {
  readonly kind = 'ssm' as const;
  private readonly clock: Clock;
  private readonly curl: CurlLimits;
  private readonly commandTimeoutMs: number;
  private readonly endpointIps = new Map<string, Promise<Map<string, string[]>>>();

  constructor(private readonly o: SsmProbeOptions) {
    this.clock = o.clock ?? systemClock;
    this.curl = o.curl ?? DEFAULT_CURL_LIMITS;
    this.commandTimeoutMs = o.commandTimeoutMs ?? 3 * 60_000;
  }

  /** Running instances of the env tagged hubspoke:role=probe; a selection naming none of them is an error. */
  async listProbes(): Promise<ProbeHost[]> {
    const hosts: ProbeHost[] = [];
    const pages = paginateDescribeInstances(
      { client: this.o.ec2 },
      {
        Filters: [
          { Name: `tag:${TAG_ENV}`, Values: [this.o.env] },
          { Name: `tag:${TAG_ROLE}`, Values: [PROBE_ROLE] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      },
    );
    for await (const page of pages) {
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) hosts.push(toHost(i));
    }
    hosts.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    const select = this.o.select;
    if (!select) return hosts;
    // Like verify: a name that matches nothing is a mistake in the checks file, not "fewer probes".
    const unknown = select.filter((s) => !hosts.some((h) => h.instanceId === s || h.name === s));
    if (unknown.length > 0) throw new UnknownLiveProbeError(unknown, this.o.env, hosts);
    return hosts.filter(
      (h) => select.includes(h.instanceId) || (h.name !== undefined && select.includes(h.name)),
    );
  }

  async egressIp(probe: ProbeHost): Promise<EgressIpObservation> {
    const request = this.o.egressIpHost ?? DEFAULT_EGRESS_IP_HOST;
    const target = describeTarget(request);
    const checked = this.validated(request);
    if (typeof checked === 'string') return { observed: false, ips: [], detail: checked };
    const run = await this.run(probe, [{ kind: 'curl', key: 'egress', request: checked }]);
    if (!run.ok) return { observed: false, ips: [], detail: `${target}: ${run.detail}` };
    const r = curlResult(run.steps, 'egress');
    if (!r) return { observed: false, ips: [], detail: `${target}: the probe's output has no result` };
    const connection = evidence(r);
    const verdict = curlVerdict(r);
    if (verdict.kind === 'not-observed')
      return {
        observed: false,
        ips: [],
        connection,
        detail: `${target}: ${verdict.why} (${describeCurl(r)})`,
      };
    const ip = verdict.kind === 'answered' && r.rc === 0 ? parseIp(r.body) : undefined;
    if (ip)
      return {
        observed: true,
        ips: [ip],
        connection,
        detail: `${probe.instanceId} egresses as ${ip} (${describeCurl(r)})`,
      };
    // The request went out and came back without an IP (or was cut off): egress is broken, observed.
    return {
      observed: true,
      ips: [],
      connection,
      detail: `${probe.instanceId}: no egress IP from ${target} (${describeCurl(r)}${verdict.kind === 'answered' ? `, body ${JSON.stringify(r.body)}` : ''})`,
    };
  }

  async request(probe: ProbeHost, request: RequestSpec): Promise<RequestObservation> {
    const target = describeTarget(request);
    const checked = this.validated(request);
    if (typeof checked === 'string') return { observed: false, succeeded: false, detail: checked };
    const run = await this.run(probe, [{ kind: 'curl', key: 'request', request: checked }]);
    if (!run.ok) return { observed: false, succeeded: false, detail: `${target}: ${run.detail}` };
    const r = curlResult(run.steps, 'request');
    if (!r)
      return { observed: false, succeeded: false, detail: `${target}: the probe's output has no result` };
    const verdict = curlVerdict(r);
    const connection = evidence(r);
    if (verdict.kind === 'not-observed')
      return {
        observed: false,
        succeeded: false,
        connection,
        detail: `${probe.instanceId} -> ${target}: not observed: ${verdict.why} (${describeCurl(r)})`,
      };
    return {
      observed: true,
      succeeded: verdict.kind === 'answered',
      connection,
      detail: `${probe.instanceId} -> ${target}: ${verdict.kind === 'answered' ? 'answered' : 'blocked after the TCP handshake'} (${describeCurl(r)})`,
    };
  }

  /**
   * From the probe: each SSM endpoint name resolves to private addresses of that endpoint's ENIs
   * in the probe's VPC (private DNS is in effect) and a TLS handshake to it completes.
   */
  async ssmReachable(probe: ProbeHost): Promise<RequestObservation> {
    let expected: Map<string, string[]>;
    try {
      expected = await this.endpointAddresses(probe.vpcId);
    } catch (err) {
      return {
        observed: false,
        succeeded: false,
        detail: `reading the SSM endpoints of ${probe.vpcId}: ${errorMessage(err)}`,
      };
    }
    const names = SSM_SERVICES.map((s) => ({ service: s, name: `${s}.${this.o.region}.amazonaws.com` }));
    const steps: ProbeStep[] = names.flatMap(({ service, name }) => [
      { kind: 'resolve' as const, key: `${service}-dns`, name },
      {
        kind: 'curl' as const,
        key: `${service}-tls`,
        request: { host: name, port: 443, protocol: 'tls' as const },
      },
    ]);
    const run = await this.run(probe, steps);
    if (!run.ok) return { observed: false, succeeded: false, detail: `SSM endpoints: ${run.detail}` };
    const failures: string[] = [];
    const seen: string[] = [];
    for (const { service, name } of names) {
      const ips = expected.get(service) ?? [];
      const resolved = resolvedAddresses(run.steps, `${service}-dns`);
      const tls = curlResult(run.steps, `${service}-tls`);
      if (resolved === undefined || !tls) {
        return { observed: false, succeeded: false, detail: `${name}: the probe's output has no result` };
      }
      if (ips.length === 0) {
        failures.push(`no ${service} interface endpoint with a network interface in ${probe.vpcId}`);
        continue;
      }
      const stray = resolved.filter((a) => !ips.includes(a));
      if (resolved.length === 0) failures.push(`${name} does not resolve on the probe`);
      else if (stray.length > 0)
        failures.push(
          `${name} resolves to ${stray.join(', ')}, not to the ${service} endpoint's private addresses (${ips.join(', ')}): private DNS of the endpoint is not in effect`,
        );
      else if (!(tls.timeAppConnectS > 0 && tls.remoteIp && ips.includes(tls.remoteIp)))
        failures.push(`TLS handshake with ${name} did not complete (${describeCurl(tls)})`);
      else seen.push(`${service} ${tls.remoteIp} (TLS in ${tls.timeAppConnectS.toFixed(3)}s)`);
    }
    return {
      observed: true,
      succeeded: failures.length === 0,
      detail:
        failures.length === 0
          ? `${probe.instanceId} reaches ${seen.join(', ')} through private DNS`
          : `${probe.instanceId}: ${failures.join('; ')}`,
    };
  }

  /** Private addresses of the ENIs of each SSM interface endpoint of `vpcId`, keyed by service. */
  private endpointAddresses(vpcId: string): Promise<Map<string, string[]>> {
    let pending = this.endpointIps.get(vpcId);
    if (!pending) {
      pending = this.readEndpointAddresses(vpcId);
      this.endpointIps.set(vpcId, pending);
      pending.catch(() => this.endpointIps.delete(vpcId));
    }
    return pending;
  }

  private async readEndpointAddresses(vpcId: string): Promise<Map<string, string[]>> {
    const eniOf = new Map<string, string>();
    const services = new Map(SSM_SERVICES.map((s) => [`com.amazonaws.${this.o.region}.${s}`, s]));
    const endpoints = paginateDescribeVpcEndpoints(
      { client: this.o.ec2 },
      {
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'vpc-endpoint-type', Values: ['Interface'] },
        ],
      },
    );
    for await (const page of endpoints) {
      for (const ep of page.VpcEndpoints ?? []) {
        const service = services.get(ep.ServiceName ?? '');
        if (!service || ep.VpcId !== vpcId) continue;
        for (const eni of ep.NetworkInterfaceIds ?? []) eniOf.set(eni, service);
      }
    }
    const addresses = new Map<string, string[]>();
    if (eniOf.size === 0) return addresses;
    const enis = paginateDescribeNetworkInterfaces(
      { client: this.o.ec2 },
      { NetworkInterfaceIds: [...eniOf.keys()] },
    );
    for await (const page of enis) {
      for (const eni of page.NetworkInterfaces ?? []) {
        const service = eniOf.get(eni.NetworkInterfaceId ?? '');
        if (!service) continue;
        const ips = (eni.PrivateIpAddresses ?? [])
          .map((a) => a.PrivateIpAddress)
          .filter((a): a is string => !!a);
        if (eni.PrivateIpAddress && !ips.includes(eni.PrivateIpAddress)) ips.push(eni.PrivateIpAddress);
        addresses.set(service, [...(addresses.get(service) ?? []), ...ips]);
      }
    }
    return addresses;
  }

  /** The request if it may reach a shell, else why not. */
  private validated(request: RequestSpec): RequestSpec | string {
    try {
      curlTarget(request);
      return request;
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** SendCommand + GetCommandInvocation polling; `ok: false` whenever the output cannot be trusted. */
  private async run(probe: ProbeHost, steps: ProbeStep[]): Promise<Run> {
    const nonce = `HUBSPOKE_${this.o.nonce?.() ?? randomBytes(6).toString('hex')}`;
    let commandId: string;
    try {
      const sent = await this.o.ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [probe.instanceId],
          Comment: `hubspoke probe (${this.o.env})`,
          TimeoutSeconds: 60,
          Parameters: {
            commands: [probeScript(nonce, steps, this.curl)],
            executionTimeout: [
              String(steps.filter((s) => s.kind === 'curl').length * this.curl.maxTimeS + 30),
            ],
          },
        }),
      );
      if (!sent.Command?.CommandId) return { ok: false, detail: 'SendCommand returned no CommandId' };
      commandId = sent.Command.CommandId;
    } catch (err) {
      return { ok: false, detail: `SendCommand to ${probe.instanceId} failed: ${errorMessage(err)}` };
    }
    try {
      const inv = await pollUntil(
        async () => {
          const r = await this.o.ssm.send(
            new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: probe.instanceId }),
          );
          if (r.Status && PENDING.has(r.Status)) return { done: false, status: r.Status };
          return { done: true, value: r };
        },
        {
          what: `SSM command ${commandId} on ${probe.instanceId}`,
          timeoutMs: this.commandTimeoutMs,
          clock: this.clock,
          initialDelayMs: this.o.pollDelayMs ?? 1_000,
          ...(this.o.signal ? { signal: this.o.signal } : {}),
          maxDelayMs: 10_000,
          // Right after SendCommand the invocation may not exist yet (eventual consistency).
          isTransient: (err) => isThrottlingError(err) || (err as Error)?.name === 'InvocationDoesNotExist',
        },
      );
      if (inv.Status !== 'Success' && inv.Status !== 'Failed') {
        return {
          ok: false,
          detail: `SSM command ${commandId} ended ${inv.Status ?? 'without status'}${inv.StatusDetails ? ` (${inv.StatusDetails})` : ''}`,
        };
      }
      const parsed = parseProbeOutput(inv.StandardOutputContent ?? '', nonce);
      if (!parsed) {
        return {
          ok: false,
          detail: `SSM command ${commandId} ${inv.Status}: output not understood (${(inv.StandardErrorContent || inv.StandardOutputContent || 'empty').slice(0, 200)})`,
        };
      }
      return { ok: true, steps: parsed };
    } catch (err) {
      return { ok: false, detail: errorMessage(err) };
    }
  }
}

function describeTarget(r: RequestSpec): string {
  return `${r.protocol} ${r.sni && r.sni !== r.host ? `${r.sni}@` : ''}${r.host}:${r.port}`;
}

function evidence(r: CurlResult): ConnectionEvidence {
  return {
    curlExit: r.rc,
    timeConnectS: r.timeConnectS,
    ...(r.remoteIp ? { remoteIp: r.remoteIp } : {}),
    ...(r.httpCode !== '000' ? { httpCode: r.httpCode } : {}),
  };
}

/** The egress IP a checkip-style service prints, validated as an IPv4/IPv6 address. */
function parseIp(body: string): string | undefined {
  const candidate = body.trim();
  return isIP(candidate) !== 0 ? candidate : undefined;
}

function tag(i: Instance, key: string): string | undefined {
  return i.Tags?.find((t) => t.Key === key)?.Value;
}

function toHost(i: Instance): ProbeHost {
  const name = tag(i, 'Name');
  return {
    instanceId: i.InstanceId ?? '',
    vpcId: i.VpcId ?? '',
    subnetId: i.SubnetId ?? '',
    availabilityZone: i.Placement?.AvailabilityZone ?? '',
    privateIp: i.PrivateIpAddress ?? '',
    ...(name ? { name } : {}),
  };
}
