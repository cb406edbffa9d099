/** Shared set-up of the live CLI tests: an in-process CLI, a fixture account and matching stack outputs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { CliIo } from '../../src/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function captureIo(
  cwd = mkdtempSync(join(tmpdir(), 'hubspoke-live-cli-')),
): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, columns: 140 };
}

/** Runs one registered command in a bare program, the way the hubspoke CLI does (exit override, io). */
export async function runCommand(
  register: (program: Command, io: CliIo, setExit: (code: number) => void) => void,
  argv: string[],
  io = captureIo(),
): Promise<CliRun> {
  let code = 0;
  const program = new Command('hubspoke').exitOverride();
  register(program, io, (c) => (code = c));
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** Stack outputs consistent with a hub-and-spoke fixture snapshot (what the programs would export). */
export function outputsFromSnapshot(s: NetworkSnapshot): Record<string, Record<string, unknown>> {
  const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string): string | undefined =>
    tags?.find((t) => t.Key === key)?.Value;
  const fw = s.Firewalls![0]!;
  const outputs: Record<string, Record<string, unknown>> = {
    tgw: {
      transitGatewayId: s.TransitGateways![0]!.TransitGatewayId,
      spokeRouteTableId: 'x',
      inspectionRouteTableId: 'y',
      supernetCidr: '10.0.0.0/8',
      blackholeCidrs: [],
    },
    inspection: {
      vpcId: fw.Firewall!.VpcId,
      vpcCidr: '10.0.0.0/16',
      availabilityZones: [],
      natPublicIps: (s.NatGateways ?? []).flatMap((n) =>
        (n.NatGatewayAddresses ?? []).map((a) => a.PublicIp!),
      ),
      natGatewayIds: (s.NatGateways ?? []).map((n) => n.NatGatewayId!),
      firewallArn: fw.Firewall!.FirewallArn,
      firewallPolicyArn: fw.Firewall!.FirewallPolicyArn,
      firewallEndpointIds: {},
      tgwAttachmentId: 'att',
      allowedDomains: [],
    },
  };
  for (const vpc of s.Vpcs ?? []) {
    const stack = tag(vpc.Tags, 'hubspoke:stack');
    if (!stack?.startsWith('spoke-')) continue;
    const probe = (s.Instances ?? []).find((i) => i.VpcId === vpc.VpcId);
    outputs[stack] = {
      vpcId: vpc.VpcId,
      vpcCidr: vpc.CidrBlock,
      availabilityZones: [],
      workloadSubnetIds: [],
      tgwAttachmentId: 'att',
      ...(probe ? { probeInstanceId: probe.InstanceId, probePrivateIp: probe.PrivateIpAddress } : {}),
    };
  }
  return outputs;
}
