/**
 * BuildContext: the state that the build-* indexers share while buildNetworkModel runs. It holds the
 * snapshot, the model being filled in (everything but the firewall engine, added last) and the
 * lookups that turn a dangling reference into a SnapshotError naming the member, index, id and value.
 */
import { LpmTable } from '../ip/lpm';
import type { NetworkSnapshot } from '../snapshot';
import { snapshotError } from './errors';
import type { NetworkModel, PrefixListInfo, SubnetInfo, VpcInfo } from './types';

/** The model under construction: `firewallEngine` is attached once the indexes are complete. */
export type ModelIndexes = Omit<NetworkModel, 'firewallEngine'>;

export const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
export const nameTag = (tags: { Key?: string; Value?: string }[] | undefined): string | undefined =>
  tags?.find((t) => t.Key === 'Name')?.Value;

export class BuildContext {
  readonly m: ModelIndexes;
  /**
   * Every transit gateway the snapshot names (listed, or referenced by an attachment or route table):
   * filled by the TGW indexer, read when VPC route targets are validated.
   */
  readonly tgwIds = new Set<string>();

  constructor(readonly s: NetworkSnapshot) {
    this.m = {
      snapshot: s,
      vpcs: new Map(),
      subnets: new Map(),
      routeTables: new Map(),
      igwVpc: new Map(),
      natGateways: new Map(),
      enis: new Map(),
      enisByIp: new Map(),
      publicIpOwner: new Map(),
      instances: new Map(),
      instanceIp: new Map(),
      instanceEni: new Map(),
      securityGroups: new Map(),
      firewalls: new Map(),
      firewallEndpoints: new Map(),
      vpcEndpoints: new Map(),
      interfaceEndpoints: new Map(),
      gatewayEndpoints: new Map(),
      prefixLists: new Map(),
      peerings: new Map(),
      tgwAttachments: new Map(),
      tgwAttachmentByVpc: new Map(),
      tgwRouteTables: new Map(),
      vpcCidrTable: new LpmTable(),
      subnetTables: new Map(),
    };
  }

  requireId(member: string, i: number, id: string | undefined, field: string): string {
    if (!id) throw snapshotError(member, i, undefined, `${field} missing`);
    return id;
  }

  vpc(member: string, i: number, id: string, vpcId: string | undefined): VpcInfo {
    const v = vpcId ? this.m.vpcs.get(vpcId) : undefined;
    if (!v) throw snapshotError(member, i, id, `VpcId "${vpcId}" is not in Vpcs`);
    return v;
  }

  /**
   * A prefix list a route or rule references: one absent from `ManagedPrefixLists` is an error
   * naming it (docs/contracts.md "Network snapshot"), never a route or rule silently dropped.
   */
  prefixList(
    member: string,
    i: number | string,
    id: string | undefined,
    plId: string,
    field: string,
  ): PrefixListInfo {
    const pl = this.m.prefixLists.get(plId);
    if (!pl) throw snapshotError(member, i, id, `${field} "${plId}" is not in ManagedPrefixLists`);
    return pl;
  }

  subnet(
    member: string,
    i: number | string,
    id: string | undefined,
    subnetId: string | undefined,
    field = 'SubnetId',
  ): SubnetInfo {
    const sub = subnetId ? this.m.subnets.get(subnetId) : undefined;
    if (!sub) throw snapshotError(member, i, id, `${field} "${subnetId}" is not in Subnets`);
    return sub;
  }
}
