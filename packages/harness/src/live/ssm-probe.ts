/**
 * The live `Probe`: runs curl on the probe instances through SSM Run Command. Every observation
 * says whether it was actually made (`observed`); an SSM failure, a timeout or unparseable output
 * gives `observed: false`, so a check can never pass on a missing observation.
 */
import { randomBytes } from 'node:crypto';
import { type EC2Client, type Instance, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { GetCommandInvocationCommand, type SSMClient, SendCommandCommand } from '@aws-sdk/client-ssm';
import { PROBE_ROLE, TAG_ENV, TAG_ROLE } from '@hubspoke/network/src/contracts';
import type { EgressIpObservation, Probe, ProbeHost, RequestObservation, RequestSpec } from '../probe';
import { type Clock, systemClock } from './clock';
import { errorMessage, isThrottlingError } from './errors';
import {
  type CurlLimits,
  DEFAULT_CURL_LIMITS,
  type ScriptResult,
  describeCurl,
  egressIpScript,
  parseEgressIp,
  parseScriptOutput,
  requestScript,
  requestSucceeded,
} from './probe-script';
import { ssmPingStatus } from './readiness';
import { pollUntil } from './retry';

export interface SsmProbeOptions {
  ec2: EC2Client;
  ssm: SSMClient;
  env: string;
  clock?: Clock;
  curl?: CurlLimits;
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

/** Non-terminal GetCommandInvocation statuses: keep polling. */
const PENDING = new Set(['Pending', 'InProgress', 'Delayed']);

export class SsmProbe implements Probe {
  readonly kind = 'ssm' as const;
  private readonly clock: Clock;
  private readonly curl: CurlLimits;
  private readonly commandTimeoutMs: number;

  constructor(private readonly o: SsmProbeOptions) {
    this.clock = o.clock ?? systemClock;
    this.curl = o.curl ?? DEFAULT_CURL_LIMITS;
    this.commandTimeoutMs = o.commandTimeoutMs ?? 3 * 60_000;
  }

  /** Running instances of the env tagged hubspoke:role=probe. */
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
    const select = this.o.select;
    const chosen = select
      ? hosts.filter(
          (h) => select.includes(h.instanceId) || (h.name !== undefined && select.includes(h.name)),
        )
      : hosts;
    return chosen.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  }

  async egressIp(probe: ProbeHost): Promise<EgressIpObservation> {
    const run = await this.run(probe, (nonce) => egressIpScript(nonce, this.curl));
    if (!run.ok) return { observed: false, ips: [], detail: run.detail };
    const ip = parseEgressIp(run.result);
    if (ip) return { observed: true, ips: [ip], detail: `${probe.instanceId} egresses as ${ip}` };
    // The command ran: not getting an IP is an observation (egress is broken), not a probe failure.
    return {
      observed: true,
      ips: [],
      detail: `${probe.instanceId}: no egress IP from checkip (${describeCurl(run.result)}${run.result.rc === 0 ? `, body ${JSON.stringify(run.result.out)}` : ''})`,
    };
  }

  async request(probe: ProbeHost, request: RequestSpec): Promise<RequestObservation> {
    let build: (nonce: string) => string;
    try {
      const spec = { host: request.host, port: request.port, protocol: request.protocol, sni: request.sni };
      requestScript('validate', spec, this.curl);
      build = (nonce) => requestScript(nonce, spec, this.curl);
    } catch (err) {
      return { observed: false, succeeded: false, detail: errorMessage(err) };
    }
    const run = await this.run(probe, build);
    const target = `${request.protocol} ${request.sni && request.sni !== request.host ? `${request.sni}@` : ''}${request.host}:${request.port}`;
    if (!run.ok) return { observed: false, succeeded: false, detail: `${target}: ${run.detail}` };
    const succeeded = requestSucceeded(run.result);
    return {
      observed: true,
      succeeded,
      detail: `${probe.instanceId} -> ${target}: ${succeeded ? 'answered' : 'no answer'} (${describeCurl(run.result)})`,
    };
  }

  async ssmReachable(probe: ProbeHost): Promise<RequestObservation> {
    try {
      const status =
        (await ssmPingStatus(this.o.ssm, [probe.instanceId])).get(probe.instanceId) ?? 'not registered';
      return {
        observed: true,
        succeeded: status === 'Online',
        detail: `${probe.instanceId} SSM PingStatus=${status}`,
      };
    } catch (err) {
      return {
        observed: false,
        succeeded: false,
        detail: `DescribeInstanceInformation failed: ${errorMessage(err)}`,
      };
    }
  }

  /** SendCommand + GetCommandInvocation polling; `ok: false` whenever the output cannot be trusted. */
  private async run(
    probe: ProbeHost,
    script: (nonce: string) => string,
  ): Promise<{ ok: true; result: ScriptResult } | { ok: false; detail: string }> {
    const nonce = `HUBSPOKE_${this.o.nonce?.() ?? randomBytes(6).toString('hex')}`;
    let commandId: string;
    try {
      const sent = await this.o.ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [probe.instanceId],
          Comment: `hubspoke probe (${this.o.env})`,
          TimeoutSeconds: 60,
          Parameters: { commands: [script(nonce)], executionTimeout: [String(this.curl.maxTimeS + 30)] },
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
      const result = parseScriptOutput(inv.StandardOutputContent ?? '', nonce);
      if (!result) {
        return {
          ok: false,
          detail: `SSM command ${commandId} ${inv.Status}: output not understood (${(inv.StandardErrorContent || inv.StandardOutputContent || 'empty').slice(0, 200)})`,
        };
      }
      return { ok: true, result };
    } catch (err) {
      return { ok: false, detail: errorMessage(err) };
    }
  }
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
