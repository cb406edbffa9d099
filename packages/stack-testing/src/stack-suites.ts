/**
 * Behaviour suites every stack project runs against its own `Pulumi.<env>.yaml` files under the
 * mock cloud. A project's `index.test.ts` is one call, so a spoke added by `npm run add-spoke`
 * passes the very same assertions as the spokes before it.
 *
 * Expectations come from the source of truth, the `Pulumi.<env>.yaml` files and the documented
 * defaults (docs/configuration.md), never from the program's own outputs or planners: outputs are
 * checked against what was created, not used to decide what should have been.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cidrSize, cidrWithin, parseCidr, type Cidr } from '@hubspoke/netmodel';
import YAML from 'yaml';
import {
  INSPECTION_OUTPUT_KEYS,
  PROBE_ROLE,
  SPOKE_OUTPUT_KEYS,
  TAG_ENV,
  TAG_ROLE,
  TAG_STACK,
  TGW_OUTPUT_KEYS,
  type InspectionOutputs,
  type SpokeOutputs,
  type TgwOutputs,
} from '@hubspoke/network/src/contracts';
import { SSM_CORE_POLICY_ARN } from '@hubspoke/network/src/spoke-workload';
import { allProjects, configuredEnvs, discoverStackProjects } from '@hubspoke/network/src/stack-projects';
import {
  REPO_ROOT,
  routeTo,
  routesOfSubnet,
  runEnvironment,
  subnetsOf,
  tagValue,
  type EnvironmentRun,
} from './run-environment';

/** Envs a project is configured for, from its `Pulumi.<env>.yaml` files. */
const envsOf = configuredEnvs;

function projectName(projectDir: string): string {
  const found = allProjects(discoverStackProjects(REPO_ROOT)).find(
    (p) => path.resolve(p.workDir) === path.resolve(projectDir),
  );
  if (!found) throw new Error(`${projectDir} is not a stack project of ${REPO_ROOT}`);
  return found.project;
}

/** The `config:` block of a project's `Pulumi.<env>.yaml`. */
function stackConfig(projectDir: string, env: string): Record<string, unknown> {
  const doc = YAML.parse(fs.readFileSync(path.join(projectDir, `Pulumi.${env}.yaml`), 'utf8')) as {
    config?: Record<string, unknown>;
  } | null;
  return doc?.config ?? {};
}

/** The tgw project's config of `env`: every spoke and the inspection VPC live in its supernet. */
function tgwConfig(env: string): Record<string, unknown> {
  return stackConfig(path.join(REPO_ROOT, 'apps', 'tgw'), env);
}

/** Documented defaults (docs/configuration.md), written out here rather than read from the code. */
const DOCUMENTED_DEFAULTS = {
  logRetentionDays: 30,
  flowLogRetentionDays: 30,
  allowedDomains: ['.amazon.com', 'checkip.amazonaws.com'],
} as const;

/** Subnets are inside `vpcCidr` and pairwise disjoint; returns their total address count. */
const block = (cidr: string): Cidr => parseCidr(cidr, { hostBits: 'reject' });

function expectDisjointWithin(vpcCidr: string, cidrs: string[]): number {
  const vpc = block(vpcCidr);
  const blocks = cidrs.map(block).sort((a, b) => a.base - b.base);
  for (const b of blocks)
    expect({ subnet: b.text, inside: cidrWithin(b, vpc) }).toEqual({ subnet: b.text, inside: true });
  for (let i = 1; i < blocks.length; i++)
    expect({
      pair: `${blocks[i - 1]!.text} ${blocks[i]!.text}`,
      disjoint: blocks[i - 1]!.base + cidrSize(blocks[i - 1]!) <= blocks[i]!.base,
    }).toEqual({
      pair: `${blocks[i - 1]!.text} ${blocks[i]!.text}`,
      disjoint: true,
    });
  return blocks.reduce((n, b) => n + cidrSize(b), 0);
}

function expectStackTags(
  tags: { Key?: string; Value?: string }[] | undefined,
  env: string,
  project: string,
  what: string,
): void {
  expect({ what, env: tagValue(tags, TAG_ENV), stack: tagValue(tags, TAG_STACK) }).toEqual({
    what,
    env,
    stack: project,
  });
}

export function describeTgwStack(projectDir: string): void {
  const project = projectName(projectDir);
  describe.each(envsOf(projectDir))(`${project} stack (%s)`, (env) => {
    let run: EnvironmentRun;
    let out: TgwOutputs;
    beforeAll(async () => {
      run = await runEnvironment({ env, projects: [project] });
      out = run.outputs[project] as unknown as TgwOutputs;
    }, 60_000);

    it('exports every contracted output', () => {
      for (const key of TGW_OUTPUT_KEYS) expect(out[key]).toBeDefined();
    });

    it('disables default association and propagation, so no attachment lands in a table by accident', () => {
      const tgw = run.snapshot.TransitGateways![0];
      expect(tgw.Options).toMatchObject({
        DefaultRouteTableAssociation: 'disable',
        DefaultRouteTablePropagation: 'disable',
      });
      expectStackTags(tgw.Tags, env, project, 'transit gateway');
    });

    it('shares the TGW through RAM with exactly tgw:shareWith (with nobody when unset)', () => {
      const configured = (stackConfig(projectDir, env)[`${project}:shareWith`] as string[] | undefined) ?? [];
      const principals = run.recorded
        .filter((r) => r.type === 'aws:ram/principalAssociation:PrincipalAssociation')
        .map((r) => r.inputs.principal);
      expect(principals).toEqual(configured);
      const associations = run.recorded.filter(
        (r) => r.type === 'aws:ram/resourceAssociation:ResourceAssociation',
      );
      expect(associations.map((a) => a.inputs.resourceArn)).toEqual(
        configured.length > 0 ? [run.snapshot.TransitGateways![0].TransitGatewayArn] : [],
      );
      expect(out.accountId).toBe(run.snapshot.TransitGateways![0].OwnerId);
    });

    it('has a spoke and an inspection route table, blackholing the configured CIDRs in both', () => {
      const configured = (stackConfig(projectDir, env)[`${project}:blackholeCidrs`] ?? []) as string[];
      const ids = run.snapshot.TransitGatewayRouteTables!.map((t) => t.TransitGatewayRouteTableId).sort();
      expect(ids).toEqual([out.spokeRouteTableId, out.inspectionRouteTableId].sort());
      for (const table of ids) {
        const blackholes = (run.snapshot.TransitGatewayRoutes?.[table!] ?? [])
          .filter((r) => r.State === 'blackhole')
          .map((r) => r.DestinationCidrBlock)
          .sort();
        expect(blackholes).toEqual([...configured].sort());
      }
      expect(out.blackholeCidrs).toEqual(configured);
      expect(out.supernetCidr).toBe(stackConfig(projectDir, env)[`${project}:supernet`]);
    });
  });
}

export function describeInspectionStack(projectDir: string): void {
  const project = projectName(projectDir);
  describe.each(envsOf(projectDir))(`${project} stack (%s)`, (env) => {
    let run: EnvironmentRun;
    let out: InspectionOutputs;
    let tgw: TgwOutputs;
    const config = stackConfig(projectDir, env);
    const vpcCidr = config[`${project}:vpcCidr`] as string;
    const azs = config[`${project}:availabilityZones`] as string[];
    const supernet = tgwConfig(env)['tgw:supernet'] as string;
    beforeAll(async () => {
      run = await runEnvironment({ env, projects: ['tgw', project] });
      out = run.outputs[project] as unknown as InspectionOutputs;
      tgw = run.outputs.tgw as unknown as TgwOutputs;
    }, 60_000);

    /** Subnets of the VPC by role, each found by what it holds or routes, one per configured AZ. */
    const subnetsByRole = () => {
      const vpc = run.snapshot.Vpcs!.find((v) => v.CidrBlock === vpcCidr)!;
      const subnets = subnetsOf(run.snapshot, vpc.VpcId!);
      const endpointSubnets = new Set(
        (run.snapshot.Firewalls ?? []).flatMap((f) =>
          Object.values(f.FirewallStatus?.SyncStates ?? {}).map((s) => s.Attachment?.SubnetId),
        ),
      );
      const attachmentSubnets = new Set(
        run.snapshot
          .TransitGatewayVpcAttachments!.filter((a) => a.VpcId === vpc.VpcId)
          .flatMap((a) => a.SubnetIds!),
      );
      const byAz = (pick: (id: string) => boolean) =>
        azs.map((az) => {
          const found = subnets.filter((s) => s.AvailabilityZone === az && pick(s.SubnetId!));
          expect({ az, count: found.length }).toEqual({ az, count: 1 });
          return found[0]!;
        });
      return {
        vpc,
        all: subnets,
        public: byAz((id) => routeTo(run.snapshot, id, '0.0.0.0/0')?.GatewayId?.startsWith('igw-') ?? false),
        firewall: byAz((id) => endpointSubnets.has(id)),
        tgw: byAz((id) => attachmentSubnets.has(id)),
      };
    };

    it('exports every contracted output, matching the config', () => {
      for (const key of INSPECTION_OUTPUT_KEYS) expect(out[key]).toBeDefined();
      expect(out.vpcCidr).toBe(vpcCidr);
      expect(out.availabilityZones).toEqual(azs);
      expect(out.vpcId).toBe(subnetsByRole().vpc.VpcId);
    });

    it('tiles the configured VPC CIDR exactly with a public, a firewall and a TGW subnet per configured AZ', () => {
      const roles = subnetsByRole();
      expect(roles.all).toHaveLength(azs.length * 3);
      const total = expectDisjointWithin(
        vpcCidr,
        roles.all.map((s) => s.CidrBlock!),
      );
      expect(total).toBe(cidrSize(block(vpcCidr)));
    });

    it('routes every AZ through its own firewall endpoint and NAT gateway', () => {
      const endpointAz = new Map<string, string>();
      for (const fw of run.snapshot.Firewalls ?? []) {
        for (const [az, sync] of Object.entries(fw.FirewallStatus?.SyncStates ?? {})) {
          endpointAz.set(sync.Attachment!.EndpointId!, az);
        }
      }
      const roles = subnetsByRole();
      azs.forEach((az, i) => {
        const subnet = (role: 'public' | 'firewall' | 'tgw') => roles[role][i]!;
        const endpoint = out.firewallEndpointIds[az];
        expect(endpointAz.get(endpoint)).toBe(az);

        expect(routeTo(run.snapshot, subnet('tgw').SubnetId!, '0.0.0.0/0')?.GatewayId).toBe(endpoint);
        expect(routeTo(run.snapshot, subnet('public').SubnetId!, supernet)?.GatewayId).toBe(endpoint);
        expect(routeTo(run.snapshot, subnet('firewall').SubnetId!, supernet)?.TransitGatewayId).toBe(
          tgw.transitGatewayId,
        );
        const natId = routeTo(run.snapshot, subnet('firewall').SubnetId!, '0.0.0.0/0')?.NatGatewayId;
        const nat = run.snapshot.NatGateways!.find((n) => n.NatGatewayId === natId);
        expect(nat?.SubnetId).toBe(subnet('public').SubnetId);
      });
    });

    it('exports the NAT EIPs, one per configured AZ', () => {
      const eips = run.snapshot
        .NatGateways!.flatMap((n) => n.NatGatewayAddresses!.map((a) => a.PublicIp))
        .sort();
      expect([...out.natPublicIps].sort()).toEqual(eips);
      expect(eips).toHaveLength(azs.length);
    });

    it('attaches to the TGW with appliance mode, associated with the inspection table, default route from spokes', () => {
      const attachment = run.snapshot.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === out.tgwAttachmentId,
      )!;
      const applianceMode = config[`${project}:applianceMode`] ?? true;
      expect(attachment.Options?.ApplianceModeSupport).toBe(applianceMode ? 'enable' : 'disable');
      expect([...attachment.SubnetIds!].sort()).toEqual(
        subnetsByRole()
          .tgw.map((s) => s.SubnetId)
          .sort(),
      );
      const assoc = run.snapshot.TransitGatewayRouteTableAssociations?.[tgw.inspectionRouteTableId] ?? [];
      expect(assoc.map((a) => a.TransitGatewayAttachmentId)).toEqual([out.tgwAttachmentId]);
      const spokeDefault = run.snapshot.TransitGatewayRoutes?.[tgw.spokeRouteTableId]?.find(
        (r) => r.DestinationCidrBlock === '0.0.0.0/0',
      );
      expect(spokeDefault?.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId).toBe(
        out.tgwAttachmentId,
      );
    });

    it('inspects with a strict-order, default-drop policy whose HOME_NET covers the supernet', () => {
      const homeNet = (config[`${project}:homeNet`] as string[] | undefined) ?? [supernet];
      const policy = run.snapshot.FirewallPolicies![0].FirewallPolicy!;
      expect(policy.StatefulEngineOptions?.RuleOrder).toBe('STRICT_ORDER');
      expect(policy.StatefulDefaultActions).toContain('aws:drop_strict');
      expect(policy.PolicyVariables?.RuleVariables?.HOME_NET?.Definition).toEqual(homeNet);
      for (const group of run.snapshot.RuleGroups ?? []) {
        expect(group.RuleGroup?.RuleVariables?.IPSets?.HOME_NET?.Definition).toEqual(homeNet);
      }
    });

    it('allowlists exactly the configured domains', () => {
      const configured =
        (config[`${project}:allowedDomains`] as string[] | undefined) ?? DOCUMENTED_DEFAULTS.allowedDomains;
      const lists = (run.snapshot.RuleGroups ?? [])
        .map((g) => g.RuleGroup?.RulesSource?.RulesSourceList)
        .filter(Boolean);
      expect(lists).toHaveLength(1);
      expect(lists[0]!.Targets).toEqual(configured);
      expect(lists[0]!.TargetTypes).toEqual(['TLS_SNI', 'HTTP_HOST']);
    });

    it('logs ALERT and FLOW to CloudWatch Logs with the configured retention', () => {
      const logging = run.recorded.find(
        (r) => r.type === 'aws:networkfirewall/loggingConfiguration:LoggingConfiguration',
      )!;
      const configs = (
        logging.inputs.loggingConfiguration as { logDestinationConfigs: { logType: string }[] }
      ).logDestinationConfigs;
      expect(configs.map((c) => c.logType).sort()).toEqual(['ALERT', 'FLOW']);
      const groups = run.recorded.filter(
        (r) => r.project === project && r.type === 'aws:cloudwatch/logGroup:LogGroup',
      );
      // ALERT, FLOW and the VPC flow logs (docs/configuration.md: one retention for all three).
      expect(groups).toHaveLength(3);
      const retention = config[`${project}:logRetentionDays`] ?? DOCUMENTED_DEFAULTS.logRetentionDays;
      for (const g of groups) expect(g.inputs.retentionInDays).toBe(retention);
    });

    it('records VPC flow logs', () => {
      const flowLogs = run.recorded.filter(
        (r) => r.project === project && r.type === 'aws:ec2/flowLog:FlowLog',
      );
      expect(flowLogs).toHaveLength(1);
      expect(flowLogs[0].inputs).toMatchObject({ trafficType: 'ALL', vpcId: out.vpcId });
    });

    it('protects the firewall from deletion and from a policy swap (a long-lived env)', () => {
      const firewall = run.snapshot.Firewalls![0].Firewall!;
      expect(firewall.DeleteProtection).toBe(true);
      expect(firewall.FirewallPolicyChangeProtection).toBe(true);
    });

    it('tags what it creates with env and stack', () => {
      expectStackTags(run.snapshot.Vpcs!.find((v) => v.VpcId === out.vpcId)!.Tags, env, project, 'vpc');
      for (const s of subnetsOf(run.snapshot, out.vpcId))
        expectStackTags(s.Tags, env, project, `subnet ${s.CidrBlock}`);
      for (const n of run.snapshot.NatGateways!)
        expectStackTags(n.Tags, env, project, `nat ${n.NatGatewayId}`);
    });
  });
}

export function describeSpokeStack(projectDir: string): void {
  const project = projectName(projectDir);
  describe.each(envsOf(projectDir))(`${project} stack (%s)`, (env) => {
    let run: EnvironmentRun;
    let out: SpokeOutputs;
    let tgw: TgwOutputs;
    const config = stackConfig(projectDir, env);
    const vpcCidr = config[`${project}:vpcCidr`] as string;
    const azs = config[`${project}:availabilityZones`] as string[];
    beforeAll(async () => {
      run = await runEnvironment({ env, projects: ['tgw', 'inspection', project] });
      out = run.outputs[project] as unknown as SpokeOutputs;
      tgw = run.outputs.tgw as unknown as TgwOutputs;
    }, 60_000);

    /** The spoke's VPC, found by its configured CIDR, and its subnets by role. */
    const layout = () => {
      const vpc = run.snapshot.Vpcs!.find((v) => v.CidrBlock === vpcCidr)!;
      const attachment = run.snapshot.TransitGatewayVpcAttachments!.find((a) => a.VpcId === vpc.VpcId)!;
      const subnets = subnetsOf(run.snapshot, vpc.VpcId!);
      const inAz = (az: string, list: typeof subnets) => {
        const found = list.filter((s) => s.AvailabilityZone === az);
        expect({ az, count: found.length }).toEqual({ az, count: 1 });
        return found[0]!;
      };
      const tgwSubnets = subnets.filter((s) => attachment.SubnetIds!.includes(s.SubnetId!));
      const workload = subnets.filter((s) => !attachment.SubnetIds!.includes(s.SubnetId!));
      return {
        vpc,
        attachment,
        all: subnets,
        workload: azs.map((az) => inAz(az, workload)),
        tgw: azs.map((az) => inAz(az, tgwSubnets)),
      };
    };

    it('exports every contracted output, matching the config and what was created', () => {
      for (const key of SPOKE_OUTPUT_KEYS) expect(out[key]).toBeDefined();
      const l = layout();
      expect(out.vpcId).toBe(l.vpc.VpcId);
      expect(out.vpcCidr).toBe(vpcCidr);
      expect(out.availabilityZones).toEqual(azs);
      expect(out.workloadSubnetIds).toEqual(l.workload.map((s) => s.SubnetId));
      expect(out.tgwAttachmentId).toBe(l.attachment.TransitGatewayAttachmentId);
    });

    it('has one workload and one /28 TGW subnet per configured AZ, inside the configured CIDR', () => {
      const l = layout();
      expect(l.all).toHaveLength(azs.length * 2);
      for (const s of l.tgw) expect(s.CidrBlock).toMatch(/\/28$/);
      expectDisjointWithin(
        vpcCidr,
        l.all.map((s) => s.CidrBlock!),
      );
    });

    it('lives in the account its config names (the network account when it names none)', () => {
      const configured = stackConfig(projectDir, env)[`${project}:accountId`] as string | undefined;
      const expected = configured ?? tgw.accountId;
      expect(run.snapshot.Vpcs!.find((v) => v.VpcId === out.vpcId)?.OwnerId).toBe(expected);
      const attachment = run.snapshot.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === out.tgwAttachmentId,
      );
      expect(attachment).toMatchObject({ VpcOwnerId: expected, State: 'available' });
    });

    it('has no way out of its own: no IGW, no NAT, no route to either, no public IP', () => {
      const subnets = subnetsOf(run.snapshot, out.vpcId);
      for (const subnet of subnets) {
        expect(subnet.MapPublicIpOnLaunch).toBe(false);
        for (const route of routesOfSubnet(run.snapshot, subnet.SubnetId!)) {
          expect({ subnet: subnet.CidrBlock, gateway: route.GatewayId ?? 'none' }).not.toMatchObject({
            gateway: expect.stringMatching(/^igw-/),
          });
          expect(route.NatGatewayId).toBeUndefined();
        }
      }
      expect((run.snapshot.NatGateways ?? []).filter((n) => n.VpcId === out.vpcId)).toEqual([]);
      const igws = (run.snapshot.InternetGateways ?? []).filter((g) =>
        g.Attachments?.some((a) => a.VpcId === out.vpcId),
      );
      expect(igws).toEqual([]);
      for (const instance of (run.snapshot.Instances ?? []).filter((i) => i.VpcId === out.vpcId)) {
        expect(instance.PublicIpAddress).toBeUndefined();
      }
    });

    it('sends everything non-local from its workload subnets to the TGW', () => {
      for (const subnet of layout().workload)
        expect(routeTo(run.snapshot, subnet.SubnetId!, '0.0.0.0/0')?.TransitGatewayId).toBe(
          tgw.transitGatewayId,
        );
    });

    it('associates with the spoke table and propagates into the inspection table only', () => {
      const attachment = out.tgwAttachmentId;
      const associated = (table: string) =>
        (run.snapshot.TransitGatewayRouteTableAssociations?.[table] ?? []).map(
          (a) => a.TransitGatewayAttachmentId,
        );
      const propagated = (table: string) =>
        (run.snapshot.TransitGatewayRouteTablePropagations?.[table] ?? []).map(
          (p) => p.TransitGatewayAttachmentId,
        );
      expect(associated(tgw.spokeRouteTableId)).toContain(attachment);
      expect(associated(tgw.inspectionRouteTableId)).not.toContain(attachment);
      expect(propagated(tgw.inspectionRouteTableId)).toContain(attachment);
      expect(propagated(tgw.spokeRouteTableId)).not.toContain(attachment);
    });

    it('reaches Systems Manager through interface endpoints open to the VPC on 443', () => {
      const endpoints = (run.snapshot.VpcEndpoints ?? []).filter((e) => e.VpcId === out.vpcId);
      const region = run.snapshot.Region;
      expect(endpoints.map((e) => e.ServiceName).sort()).toEqual(
        ['ec2messages', 'ssm', 'ssmmessages'].map((s) => `com.amazonaws.${region}.${s}`),
      );
      for (const e of endpoints) {
        expect(e.VpcEndpointType).toBe('Interface');
        expect(e.PrivateDnsEnabled).toBe(true);
        const sg = run.snapshot.SecurityGroups!.find((g) => g.GroupId === e.Groups![0].GroupId)!;
        expect(sg.IpPermissions).toEqual([
          expect.objectContaining({
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [expect.objectContaining({ CidrIp: out.vpcCidr })],
          }),
        ]);
      }
    });

    it('records VPC flow logs with the configured retention', () => {
      const flowLogs = run.recorded.filter(
        (r) => r.project === project && r.type === 'aws:ec2/flowLog:FlowLog',
      );
      expect(flowLogs).toHaveLength(1);
      expect(flowLogs[0].inputs).toMatchObject({ trafficType: 'ALL', vpcId: out.vpcId });
      const groups = run.recorded.filter(
        (r) => r.project === project && r.type === 'aws:cloudwatch/logGroup:LogGroup',
      );
      expect(groups.map((g) => g.inputs.retentionInDays)).toEqual([
        config[`${project}:flowLogRetentionDays`] ?? DOCUMENTED_DEFAULTS.flowLogRetentionDays,
      ]);
    });

    it('runs the probe only when configured, locked down to Session Manager', () => {
      const probe = config[`${project}:probe`] ?? false;
      const instances = (run.snapshot.Instances ?? []).filter((i) => i.VpcId === out.vpcId);
      if (!probe) {
        expect(instances).toEqual([]);
        expect(out.probeInstanceId).toBeUndefined();
        return;
      }
      expect(instances.map((i) => i.InstanceId)).toEqual([out.probeInstanceId]);
      const [instance] = instances;
      expect(tagValue(instance.Tags, TAG_ROLE)).toBe(PROBE_ROLE);
      expect(instance.MetadataOptions?.HttpTokens).toBe('required');
      expect(instance.PublicIpAddress).toBeUndefined();
      const inputs = run.recorded.find(
        (r) => r.project === project && r.type === 'aws:ec2/instance:Instance',
      )!.inputs;
      expect(inputs).toMatchObject({ associatePublicIpAddress: false, rootBlockDevice: { encrypted: true } });
      expect(inputs.keyName).toBeUndefined();
      const attachments = run.recorded.filter(
        (r) => r.project === project && r.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      );
      expect(attachments.map((a) => a.inputs.policyArn)).toEqual([SSM_CORE_POLICY_ARN]);
      const sg = run.snapshot.SecurityGroups!.find((g) => g.GroupId === instance.SecurityGroups![0].GroupId)!;
      expect(sg.IpPermissions ?? []).toEqual([]);
    });

    it('tags what it creates with env and stack', () => {
      expectStackTags(run.snapshot.Vpcs!.find((v) => v.VpcId === out.vpcId)!.Tags, env, project, 'vpc');
      for (const s of subnetsOf(run.snapshot, out.vpcId))
        expectStackTags(s.Tags, env, project, `subnet ${s.CidrBlock}`);
      const attachment = run.snapshot.TransitGatewayVpcAttachments!.find(
        (a) => a.TransitGatewayAttachmentId === out.tgwAttachmentId,
      );
      expectStackTags(attachment?.Tags, env, project, 'tgw attachment');
    });
  });
}
