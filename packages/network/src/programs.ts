/**
 * The stack programs. Each app in `apps/` is one line that exports one of these, so every spoke
 * project runs the same code with its own config, and the mock cloud can run them all in-process.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as path from 'path';
import { assertNoOverlap } from './cidr';
import {
  readCommonConfig,
  readInspectionConfig,
  readSpokeConfig,
  readTgwConfig,
  type CommonConfig,
} from './config';
import {
  isEphemeralEnv,
  INSPECTION_OUTPUT_KEYS,
  INSPECTION_PROJECT,
  TGW_OPTIONAL_OUTPUT_KEYS,
  TGW_OUTPUT_KEYS,
  TGW_PROJECT,
  type InspectionOutputs,
  type SpokeOutputs,
  type TgwOutputs,
} from './contracts';
import { planFirewallPolicy } from './firewall-plan';
import { InspectionVpc } from './inspection-vpc';
import { spokePlacement, type SpokePlacement } from './spoke-account';
import { SpokeVpc } from './spoke-vpc';
import { SpokeWorkload } from './spoke-workload';
import { readStackOutputs } from './stack-reference';
import { stackTags } from './tags';
import { TransitGatewayShare } from './tgw-share';
import { TransitHub } from './transit-hub';

/** What a program returns: each contracted output, possibly still an Output. */
export type StackExports<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Which account a provider deploys into (docs/multi-account.md); none: the ambient credentials. */
interface ProviderAccount {
  accountId: string;
  /** Assumed from the ambient credentials; none: the credentials must be of `accountId`. */
  roleArn?: string;
}

/**
 * Every resource goes through this provider so the docs/contracts.md "Tags" tags are applied as
 * default tags. Given an account, the provider is pinned to it (`allowedAccountIds`: the AWS
 * provider refuses to run in any other) and assumes its role when one is given.
 */
function stackProvider(common: CommonConfig, name = 'aws', account?: ProviderAccount): aws.Provider {
  return new aws.Provider(name, {
    region: common.region as aws.Region,
    defaultTags: {
      tags: stackTags({
        env: common.env,
        project: common.project,
        expiresAt: common.expiresAt,
        ephemeral: common.ephemeral,
      }),
    },
    ...(account
      ? {
          allowedAccountIds: [account.accountId],
          ...(account.roleArn
            ? {
                assumeRoles: [
                  { roleArn: account.roleArn, sessionName: `hubspoke-${common.project}-${common.env}` },
                ],
              }
            : {}),
        }
      : {}),
  });
}

/** The spoke's provider, and the network account's when the TGW belongs to another account. */
function spokeProviders(
  common: CommonConfig,
  placement: SpokePlacement,
): { spoke: aws.Provider; network?: aws.Provider } {
  if (placement.kind === 'network-account') return { spoke: stackProvider(common) };
  const spoke = stackProvider(common, 'aws', placement.account);
  if (placement.kind === 'own-account') return { spoke };
  return { spoke, network: stackProvider(common, 'aws-network', { accountId: placement.networkAccountId }) };
}

export async function tgwProgram(): Promise<StackExports<TgwOutputs>> {
  const common = readCommonConfig();
  const cfg = readTgwConfig();
  const provider = stackProvider(common);
  const hub = new TransitHub(
    'hub',
    { supernetCidr: cfg.supernet, blackholeCidrs: cfg.blackholeCidrs, amazonSideAsn: cfg.amazonSideAsn },
    { providers: [provider] },
  );
  if (cfg.shareWith.length > 0) {
    new TransitGatewayShare(
      'hub-share',
      {
        transitGatewayArn: hub.transitGatewayArn,
        principals: cfg.shareWith,
        shareName: `hubspoke-${common.env}-tgw`,
      },
      { providers: [provider] },
    );
  }
  return {
    transitGatewayId: hub.transitGatewayId,
    spokeRouteTableId: hub.spokeRouteTableId,
    inspectionRouteTableId: hub.inspectionRouteTableId,
    supernetCidr: cfg.supernet,
    blackholeCidrs: cfg.blackholeCidrs,
    accountId: hub.ownerAccountId,
    shareWith: cfg.shareWith,
  };
}

/** @param projectDir directory of the inspection project; rules files are relative to it. */
export async function inspectionProgram(projectDir: string): Promise<StackExports<InspectionOutputs>> {
  const common = readCommonConfig();
  const cfg = readInspectionConfig(common.region);
  const tgw = await readStackOutputs<TgwOutputs>(TGW_PROJECT, TGW_OUTPUT_KEYS);
  const firewallPlan = planFirewallPolicy({
    homeNet: cfg.homeNet ?? [tgw.supernetCidr],
    allowedDomains: cfg.allowedDomains,
    rulesFiles: cfg.rulesFiles,
    baseDir: path.resolve(projectDir),
    statefulDefaultActions: cfg.statefulDefaultActions,
  });
  const provider = stackProvider(common);
  const inspection = new InspectionVpc(
    'inspection',
    {
      vpcCidr: cfg.vpcCidr,
      availabilityZones: cfg.availabilityZones,
      supernetCidr: tgw.supernetCidr,
      transitGatewayId: tgw.transitGatewayId,
      spokeRouteTableId: tgw.spokeRouteTableId,
      inspectionRouteTableId: tgw.inspectionRouteTableId,
      firewallPlan,
      applianceMode: cfg.applianceMode,
      logRetentionDays: cfg.logRetentionDays,
      // Ephemeral environments are destroyed by e2e; protection would stop that.
      protection: !(isEphemeralEnv(common.env) || common.ephemeral),
    },
    { providers: [provider] },
  );
  return {
    vpcId: inspection.vpcId,
    vpcCidr: cfg.vpcCidr,
    availabilityZones: cfg.availabilityZones,
    natPublicIps: inspection.natPublicIps,
    natGatewayIds: inspection.natGatewayIds,
    firewallArn: inspection.firewallArn,
    firewallPolicyArn: inspection.firewallPolicyArn,
    firewallEndpointIds: inspection.firewallEndpointIds,
    tgwAttachmentId: inspection.tgwAttachmentId,
    allowedDomains: firewallPlan.ruleGroups.flatMap(
      (g) => g.ruleGroup.RulesSource?.RulesSourceList?.Targets ?? [],
    ),
  };
}

export async function spokeProgram(): Promise<StackExports<SpokeOutputs>> {
  const common = readCommonConfig();
  const cfg = readSpokeConfig(common.region);
  const tgw = await readStackOutputs<TgwOutputs>(TGW_PROJECT, TGW_OUTPUT_KEYS, TGW_OPTIONAL_OUTPUT_KEYS);
  const placement = spokePlacement(common.project, cfg.account, tgw);
  const inspection = await readStackOutputs<InspectionOutputs>(INSPECTION_PROJECT, INSPECTION_OUTPUT_KEYS);
  assertNoOverlap([
    { name: `${common.project}:vpcCidr`, cidr: cfg.vpcCidr },
    { name: 'inspection:vpcCidr', cidr: inspection.vpcCidr },
  ]);
  const providers = spokeProviders(common, placement);
  const provider = providers.spoke;
  const spoke = new SpokeVpc(
    common.project,
    {
      vpcCidr: cfg.vpcCidr,
      availabilityZones: cfg.availabilityZones,
      supernetCidr: tgw.supernetCidr,
      region: common.region,
      transitGatewayId: tgw.transitGatewayId,
      spokeRouteTableId: tgw.spokeRouteTableId,
      inspectionRouteTableId: tgw.inspectionRouteTableId,
      flowLogRetentionDays: cfg.flowLogRetentionDays,
      ...(providers.network ? { transitGatewayAccount: { provider: providers.network } } : {}),
    },
    { providers: [provider] },
  );
  const outputs: StackExports<SpokeOutputs> = {
    vpcId: spoke.vpcId,
    vpcCidr: cfg.vpcCidr,
    availabilityZones: cfg.availabilityZones,
    workloadSubnetIds: pulumi.all(spoke.workloadSubnetIds),
    tgwAttachmentId: spoke.tgwAttachmentId,
    ...(cfg.account ? { accountId: cfg.account.accountId } : {}),
  };
  if (cfg.probe) {
    const probe = new SpokeWorkload(
      `${common.project}-probe`,
      {
        vpcId: spoke.vpcId,
        subnetId: spoke.workloadSubnetIds[0],
        instanceType: cfg.probeInstanceType,
        startAfter: [...spoke.ssmEndpoints, spoke.workloadDefaultRoutes[0]],
      },
      { providers: [provider] },
    );
    outputs.probeInstanceId = probe.instanceId;
    outputs.probePrivateIp = probe.privateIp;
  }
  return outputs;
}
