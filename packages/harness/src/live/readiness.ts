/**
 * Readiness gates between deploy and checks. `pulumi up` returns when AWS accepted the resources,
 * not when they work: the firewall must be READY and IN_SYNC with its policy, NAT gateways
 * `available`, and the probes registered with SSM, or the checks fail for reasons unrelated to
 * the network. Each gate has its own timeout and says what it last saw.
 */
import { DescribeNatGatewaysCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeFirewallCommand, type NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { type SSMClient, paginateDescribeInstanceInformation } from '@aws-sdk/client-ssm';
import type { Clock } from './clock';
import { isThrottlingError } from './errors';
import { type PollOptions, pollUntil } from './retry';

export interface ReadinessTimeouts {
  firewallMs: number;
  natMs: number;
  ssmMs: number;
}

export const DEFAULT_READINESS_TIMEOUTS: ReadinessTimeouts = {
  firewallMs: 20 * 60_000,
  natMs: 10 * 60_000,
  ssmMs: 10 * 60_000,
};

export interface WaitOptions {
  timeoutMs: number;
  clock?: Clock;
  signal?: AbortSignal;
  onWait?: PollOptions['onWait'];
}

function poll(what: string, o: WaitOptions): PollOptions {
  return {
    what,
    timeoutMs: o.timeoutMs,
    clock: o.clock,
    signal: o.signal,
    onWait: o.onWait,
    initialDelayMs: 5_000,
    maxDelayMs: 30_000,
    isTransient: isThrottlingError,
  };
}

export async function waitForFirewall(
  nfw: NetworkFirewallClient,
  firewallArn: string,
  o: WaitOptions,
): Promise<void> {
  await pollUntil(
    async () => {
      const r = await nfw.send(new DescribeFirewallCommand({ FirewallArn: firewallArn }));
      const status = r.FirewallStatus?.Status;
      const sync = r.FirewallStatus?.ConfigurationSyncStateSummary;
      if (status === 'READY' && sync === 'IN_SYNC') return { done: true, value: undefined };
      return { done: false, status: `Status=${status ?? '?'} ConfigurationSyncStateSummary=${sync ?? '?'}` };
    },
    poll(`firewall ${firewallArn} READY and IN_SYNC`, o),
  );
}

export async function waitForNatGateways(
  ec2: EC2Client,
  natGatewayIds: string[],
  o: WaitOptions,
): Promise<void> {
  if (natGatewayIds.length === 0)
    throw new Error('no NAT gateway ids to wait for (inspection output natGatewayIds is empty)');
  await pollUntil(
    async () => {
      const r = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: natGatewayIds }));
      const gateways = r.NatGateways ?? [];
      const broken = gateways.filter(
        (g) => g.State === 'failed' || g.State === 'deleted' || g.State === 'deleting',
      );
      if (broken.length > 0) {
        // Not worth waiting for: a failed NAT gateway never becomes available.
        throw new Error(
          `NAT gateway(s) will never be available: ${broken.map((g) => `${g.NatGatewayId} ${g.State}${g.FailureMessage ? ` (${g.FailureMessage})` : ''}`).join(', ')}`,
        );
      }
      const states = natGatewayIds.map(
        (id) => `${id}=${gateways.find((g) => g.NatGatewayId === id)?.State ?? 'not found'}`,
      );
      if (
        natGatewayIds.every((id) => gateways.some((g) => g.NatGatewayId === id && g.State === 'available'))
      ) {
        return { done: true, value: undefined };
      }
      return { done: false, status: states.join(' ') };
    },
    poll(`NAT gateways ${natGatewayIds.join(', ')} available`, o),
  );
}

/** SSM PingStatus of each instance ('ConnectionLost', 'Inactive', 'Online' or 'not registered'). */
export async function ssmPingStatus(ssm: SSMClient, instanceIds: string[]): Promise<Map<string, string>> {
  const status = new Map<string, string>(instanceIds.map((id) => [id, 'not registered']));
  const pages = paginateDescribeInstanceInformation(
    { client: ssm },
    { Filters: [{ Key: 'InstanceIds', Values: instanceIds }] },
  );
  for await (const page of pages) {
    for (const info of page.InstanceInformationList ?? []) {
      if (info.InstanceId && status.has(info.InstanceId))
        status.set(info.InstanceId, info.PingStatus ?? 'unknown');
    }
  }
  return status;
}

export async function waitForProbesOnline(
  ssm: SSMClient,
  instanceIds: string[],
  o: WaitOptions,
): Promise<void> {
  if (instanceIds.length === 0)
    throw new Error('no probe instances to wait for (no spoke exported probeInstanceId)');
  await pollUntil(
    async () => {
      const status = await ssmPingStatus(ssm, instanceIds);
      if ([...status.values()].every((s) => s === 'Online')) return { done: true, value: undefined };
      return { done: false, status: [...status].map(([id, s]) => `${id}=${s}`).join(' ') };
    },
    poll(`probe instances ${instanceIds.join(', ')} online in SSM`, o),
  );
}
