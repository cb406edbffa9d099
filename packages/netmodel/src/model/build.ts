/**
 * buildNetworkModel: validates a NetworkSnapshot and indexes it once, so tracing a hop is a few
 * map lookups. Structural faults (a reference to an id that is not in the snapshot, a malformed
 * CIDR) throw a SnapshotError naming the member, the id and the value.
 */
import type { Route } from '@aws-sdk/client-ec2';
import { buildFirewallEngine } from '../firewall/engine';
import type { FirewallEngine } from '../firewall/engine';
import { intToIp, ipToInt, parseCidr } from '../ip/cidr';
import type { Cidr } from '../ip/cidr';
import { LpmTable } from '../ip/lpm';
import { compileNacl, compileSecurityGroup } from '../security/compile';
import type { NetworkSnapshot } from '../snapshot';
import { at, SnapshotError, snapshotError } from './errors';
import type {
  BuildModelOptions,
  EniInfo,
  EniKind,
  FirewallEndpointInfo,
  FirewallInfo,
  InterfaceEndpointInfo,
  NatInfo,
  NetworkModel,
  RouteTableInfo,
  RouteTarget,
  SubnetInfo,
  TgwAttachmentInfo,
  TgwRouteTableInfo,
  VpcInfo,
  VpcRoute,
} from './types';

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
const nameTag = (tags: { Key?: string; Value?: string }[] | undefined): string | undefined =>
  tags?.find((t) => t.Key === 'Name')?.Value;

export function buildNetworkModel(snapshot: NetworkSnapshot, options: BuildModelOptions = {}): NetworkModel {
  if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) {
    throw snapshotError('snapshot', 0, undefined, 'expected a JSON object with the members of DESIGN 4.3');
  }
  const b = new Builder(snapshot);
  b.vpcs();
  b.subnets();
  b.routeTables();
  b.internetGateways();
  b.securityGroupsAndNacls();
  b.vpcEndpoints();
  b.natGateways();
  b.networkInterfaces();
  b.instances();
  b.placeEndpointInterfaces();
  b.addresses();
  b.firewalls();
  b.transitGateways();
  b.validateRouteTargets();
  return b.finish(options);
}

class Builder {
  readonly m: Omit<NetworkModel, 'firewallEngine'>;
  private readonly tgwIds = new Set<string>();

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
      tgwAttachments: new Map(),
      tgwAttachmentByVpc: new Map(),
      tgwRouteTables: new Map(),
      vpcCidrTable: new LpmTable(),
      subnetTables: new Map(),
    };
    for (const member of [
      'Vpcs',
      'Subnets',
      'RouteTables',
      'InternetGateways',
      'NatGateways',
      'Addresses',
      'VpcEndpoints',
      'SecurityGroups',
      'NetworkAcls',
      'NetworkInterfaces',
      'Instances',
      'TransitGateways',
      'TransitGatewayAttachments',
      'TransitGatewayVpcAttachments',
      'TransitGatewayRouteTables',
      'Firewalls',
      'FirewallPolicies',
      'RuleGroups',
    ] as const) {
      const v = s[member];
      if (v !== undefined && !Array.isArray(v)) throw new SnapshotError(`${member}: expected an array`);
    }
    for (const member of [
      'TransitGatewayRouteTableAssociations',
      'TransitGatewayRouteTablePropagations',
      'TransitGatewayRoutes',
    ] as const) {
      const v = s[member];
      if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) {
        throw new SnapshotError(`${member}: expected an object keyed by TGW route table id`);
      }
    }
  }

  private requireId(member: string, i: number, id: string | undefined, field: string): string {
    if (!id) throw snapshotError(member, i, undefined, `${field} missing`);
    return id;
  }

  private vpc(member: string, i: number, id: string, vpcId: string | undefined): VpcInfo {
    const v = vpcId ? this.m.vpcs.get(vpcId) : undefined;
    if (!v) throw snapshotError(member, i, id, `VpcId "${vpcId}" is not in Vpcs`);
    return v;
  }

  private subnet(
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

  vpcs(): void {
    (this.s.Vpcs ?? []).forEach((v, i) => {
      const id = this.requireId('Vpcs', i, v.VpcId, 'VpcId');
      if (this.m.vpcs.has(id)) throw snapshotError('Vpcs', i, id, 'duplicate VpcId');
      const texts = new Set<string>();
      if (v.CidrBlock) texts.add(v.CidrBlock);
      for (const a of v.CidrBlockAssociationSet ?? []) {
        const state = lower(a.CidrBlockState?.State);
        if (a.CidrBlock && (state === '' || state === 'associated')) texts.add(a.CidrBlock);
      }
      if (texts.size === 0) throw snapshotError('Vpcs', i, id, 'no CidrBlock');
      const cidrs = [...texts].map((t) => at('Vpcs', i, id, () => parseCidr(t, 'CidrBlock')));
      cidrs.forEach((c) => this.m.vpcCidrTable.add(c, id));
      this.m.vpcs.set(id, {
        id,
        cidrs,
        subnets: [],
        mainRouteTable: undefined,
        igwIds: [],
        tgwAttachmentIds: [],
        name: nameTag(v.Tags),
      });
      this.m.enisByIp.set(id, new Map());
      this.m.subnetTables.set(id, new LpmTable());
    });
  }

  subnets(): void {
    (this.s.Subnets ?? []).forEach((sn, i) => {
      const id = this.requireId('Subnets', i, sn.SubnetId, 'SubnetId');
      if (this.m.subnets.has(id)) throw snapshotError('Subnets', i, id, 'duplicate SubnetId');
      const vpc = this.vpc('Subnets', i, id, sn.VpcId);
      if (!sn.CidrBlock) throw snapshotError('Subnets', i, id, 'CidrBlock missing');
      const cidr = at('Subnets', i, id, () => parseCidr(sn.CidrBlock!, 'CidrBlock'));
      if (!vpc.cidrs.some((c) => c.prefix <= cidr.prefix && (cidr.base & c.mask) >>> 0 === c.base)) {
        throw snapshotError('Subnets', i, id, `CidrBlock ${sn.CidrBlock} is outside the CIDRs of ${vpc.id}`);
      }
      if (!sn.AvailabilityZone) throw snapshotError('Subnets', i, id, 'AvailabilityZone missing');
      const info: SubnetInfo = {
        id,
        vpcId: vpc.id,
        az: sn.AvailabilityZone,
        cidr,
        routeTable: undefined,
        routeTableSource: 'none',
        nacl: undefined,
        name: nameTag(sn.Tags),
      };
      this.m.subnets.set(id, info);
      vpc.subnets.push(info);
      this.m.subnetTables.get(vpc.id)!.add(cidr, info);
    });
  }

  routeTables(): void {
    (this.s.RouteTables ?? []).forEach((rt, i) => {
      const id = this.requireId('RouteTables', i, rt.RouteTableId, 'RouteTableId');
      const vpc = this.vpc('RouteTables', i, id, rt.VpcId);
      const info: RouteTableInfo = { id, vpcId: vpc.id, routes: new LpmTable(), main: false };
      (rt.Routes ?? []).forEach((r, j) => {
        if (!r.DestinationCidrBlock) return; // IPv6 and prefix-list routes do not carry the IPv4 flows we trace
        const dest = at('RouteTables', i, id, () =>
          parseCidr(r.DestinationCidrBlock!, `Routes[${j}].DestinationCidrBlock`),
        );
        const target = routeTarget(r);
        const blackhole = lower(r.State) === 'blackhole';
        const route: VpcRoute = {
          dest,
          target,
          blackhole,
          text: `${id}: ${dest.text} -> ${targetText(target)}${blackhole ? ' (blackhole)' : ''}`,
        };
        info.routes.add(dest, route);
      });
      this.m.routeTables.set(id, info);
      for (const [j, a] of (rt.Associations ?? []).entries()) {
        const state = lower(a.AssociationState?.State);
        if (state !== '' && state !== 'associated') continue;
        if (a.Main) {
          info.main = true;
          vpc.mainRouteTable = info;
        } else if (a.SubnetId) {
          const sub = this.subnet('RouteTables', i, id, a.SubnetId, `Associations[${j}].SubnetId`);
          if (sub.vpcId !== vpc.id)
            throw snapshotError(
              'RouteTables',
              i,
              id,
              `Associations[${j}].SubnetId ${a.SubnetId} is in ${sub.vpcId}, not ${vpc.id}`,
            );
          if (sub.routeTable && sub.routeTable.id !== id) {
            throw snapshotError(
              'RouteTables',
              i,
              id,
              `Associations[${j}].SubnetId ${a.SubnetId} is already associated with ${sub.routeTable.id}`,
            );
          }
          sub.routeTable = info;
          sub.routeTableSource = 'explicit';
        } else if (a.GatewayId) {
          vpc.edgeRouteTable = info;
        }
      }
    });
    // Subnets without an explicit association use the VPC's main route table.
    for (const sub of this.m.subnets.values()) {
      if (!sub.routeTable) {
        const main = this.m.vpcs.get(sub.vpcId)!.mainRouteTable;
        if (main) {
          sub.routeTable = main;
          sub.routeTableSource = 'main';
        }
      }
    }
  }

  internetGateways(): void {
    (this.s.InternetGateways ?? []).forEach((g, i) => {
      const id = this.requireId('InternetGateways', i, g.InternetGatewayId, 'InternetGatewayId');
      for (const a of g.Attachments ?? []) {
        const state = lower(a.State);
        if (state !== '' && state !== 'available' && state !== 'attached') continue;
        const vpc = this.vpc('InternetGateways', i, id, a.VpcId);
        this.m.igwVpc.set(id, vpc.id);
        vpc.igwIds.push(id);
      }
    });
  }

  securityGroupsAndNacls(): void {
    (this.s.SecurityGroups ?? []).forEach((sg, i) => {
      const id = this.requireId('SecurityGroups', i, sg.GroupId, 'GroupId');
      this.m.securityGroups.set(
        id,
        at('SecurityGroups', i, id, () => compileSecurityGroup(sg)),
      );
    });
    const defaults = new Map<string, ReturnType<typeof compileNacl>>();
    (this.s.NetworkAcls ?? []).forEach((acl, i) => {
      const id = this.requireId('NetworkAcls', i, acl.NetworkAclId, 'NetworkAclId');
      const vpc = this.vpc('NetworkAcls', i, id, acl.VpcId);
      const info = at('NetworkAcls', i, id, () => compileNacl(acl));
      if (acl.IsDefault) defaults.set(vpc.id, info);
      for (const [j, a] of (acl.Associations ?? []).entries()) {
        const sub = this.subnet('NetworkAcls', i, id, a.SubnetId, `Associations[${j}].SubnetId`);
        sub.nacl = info;
      }
    });
    for (const sub of this.m.subnets.values()) if (!sub.nacl) sub.nacl = defaults.get(sub.vpcId);
  }

  vpcEndpoints(): void {
    (this.s.VpcEndpoints ?? []).forEach((e, i) => {
      const id = this.requireId('VpcEndpoints', i, e.VpcEndpointId, 'VpcEndpointId');
      this.vpc('VpcEndpoints', i, id, e.VpcId);
      this.m.vpcEndpoints.set(id, e);
      const type = lower(e.VpcEndpointType);
      if (type === 'interface') {
        for (const sn of e.SubnetIds ?? []) this.subnet('VpcEndpoints', i, id, sn, 'SubnetIds[]');
        const info: InterfaceEndpointInfo = {
          id,
          vpcId: e.VpcId!,
          serviceName: e.ServiceName ?? '',
          type,
          subnetIds: e.SubnetIds ?? [],
          eniIds: e.NetworkInterfaceIds ?? [],
          groups: (e.Groups ?? []).map((g) => g.GroupId!).filter(Boolean),
        };
        this.m.interfaceEndpoints.set(id, info);
      }
    });
  }

  natGateways(): void {
    (this.s.NatGateways ?? []).forEach((n, i) => {
      const id = this.requireId('NatGateways', i, n.NatGatewayId, 'NatGatewayId');
      const sub = this.subnet('NatGateways', i, id, n.SubnetId);
      const state = lower(n.State);
      const info: NatInfo = {
        id,
        subnetId: sub.id,
        vpcId: sub.vpcId,
        public: lower(n.ConnectivityType) !== 'private',
        available: state === '' || state === 'available',
        addresses: (n.NatGatewayAddresses ?? [])
          .filter((a) => a.PrivateIp || a.PublicIp)
          .map((a) => ({
            privateIp: a.PrivateIp ?? a.PublicIp!,
            ...(a.PublicIp ? { publicIp: a.PublicIp } : {}),
          })),
      };
      this.m.natGateways.set(id, info);
      (n.NatGatewayAddresses ?? []).forEach((a, j) => {
        if (!a.PrivateIp) return;
        at('NatGateways', i, id, () => ipToInt(a.PrivateIp!, `NatGatewayAddresses[${j}].PrivateIp`));
        this.addEni({
          id: a.NetworkInterfaceId ?? `${id}-eni-${j}`,
          ip: ipToInt(a.PrivateIp),
          ipText: a.PrivateIp,
          subnetId: sub.id,
          vpcId: sub.vpcId,
          groups: [],
          kind: 'nat',
          natGatewayId: id,
          ...(a.PublicIp ? { publicIp: a.PublicIp } : {}),
        });
      });
    });
  }

  private addEni(eni: EniInfo): void {
    const existing = this.m.enis.get(eni.id);
    // Several members describe the same ENI (NAT addresses, ENIs, instances): merge what each knows.
    if (existing && existing.ip === eni.ip) {
      existing.publicIp ??= eni.publicIp;
      existing.instanceId ??= eni.instanceId;
      existing.natGatewayId ??= eni.natGatewayId;
      if (existing.groups.length === 0) existing.groups = eni.groups;
      if (
        existing.kind === 'other' ||
        (existing.kind === 'instance' && eni.kind !== 'instance' && eni.kind !== 'other')
      )
        existing.kind = eni.kind;
      return;
    }
    if (!existing) this.m.enis.set(eni.id, eni);
    const byIp = this.m.enisByIp.get(eni.vpcId)!;
    if (!byIp.has(eni.ip)) byIp.set(eni.ip, existing ?? eni);
    if (eni.publicIp) this.m.publicIpOwner.set(eni.publicIp, { vpcId: eni.vpcId, privateIp: eni.ipText });
  }

  networkInterfaces(): void {
    const endpointOfEni = new Map<string, string>();
    for (const e of this.m.vpcEndpoints.values())
      for (const eni of e.NetworkInterfaceIds ?? []) endpointOfEni.set(eni, e.VpcEndpointId!);
    (this.s.NetworkInterfaces ?? []).forEach((n, i) => {
      const id = this.requireId('NetworkInterfaces', i, n.NetworkInterfaceId, 'NetworkInterfaceId');
      const sub = this.subnet('NetworkInterfaces', i, id, n.SubnetId);
      const type = lower(n.InterfaceType);
      const vpceId = endpointOfEni.get(id);
      let kind: EniKind = 'other';
      if (type === 'natgateway' || type === 'nat_gateway') kind = 'nat';
      else if (type === 'transit_gateway') kind = 'tgw';
      else if (type === 'gateway_load_balancer_endpoint') kind = 'firewall-endpoint';
      else if (type === 'vpc_endpoint' || vpceId) kind = 'vpc-endpoint';
      else if (n.Attachment?.InstanceId) kind = 'instance';
      const groups = (n.Groups ?? []).map((g) => g.GroupId!).filter(Boolean);
      const ips: { ip: string; publicIp?: string }[] = [];
      if (n.PrivateIpAddress)
        ips.push({
          ip: n.PrivateIpAddress,
          ...(n.Association?.PublicIp ? { publicIp: n.Association.PublicIp } : {}),
        });
      for (const p of n.PrivateIpAddresses ?? []) {
        if (p.PrivateIpAddress && p.PrivateIpAddress !== n.PrivateIpAddress)
          ips.push({
            ip: p.PrivateIpAddress,
            ...(p.Association?.PublicIp ? { publicIp: p.Association.PublicIp } : {}),
          });
      }
      for (const [k, p] of ips.entries()) {
        const ip = at('NetworkInterfaces', i, id, () => ipToInt(p.ip, 'PrivateIpAddress'));
        this.addEni({
          id: k === 0 ? id : `${id}#${p.ip}`,
          ip,
          ipText: p.ip,
          subnetId: sub.id,
          vpcId: sub.vpcId,
          groups,
          kind,
          ...(n.Attachment?.InstanceId ? { instanceId: n.Attachment.InstanceId } : {}),
          ...(vpceId ? { vpcEndpointId: vpceId } : {}),
          ...(p.publicIp ? { publicIp: p.publicIp } : {}),
        });
      }
    });
  }

  /**
   * An interface endpoint has one ENI per subnet. When the snapshot does not list them (a reader
   * that skipped DescribeNetworkInterfaces), place one at the highest free address of each subnet
   * so the endpoint stays reachable in the model; the ENI id says it was placed.
   */
  placeEndpointInterfaces(): void {
    for (const ep of this.m.interfaceEndpoints.values()) {
      const known = ep.eniIds.map((id) => this.m.enis.get(id)).filter((e) => e !== undefined);
      for (const subnetId of ep.subnetIds) {
        if (known.some((e) => e.subnetId === subnetId)) continue;
        const sub = this.m.subnets.get(subnetId)!;
        const byIp = this.m.enisByIp.get(sub.vpcId)!;
        let ip = sub.cidr.base + 2 ** (32 - sub.cidr.prefix) - 2;
        while (ip > sub.cidr.base + 3 && byIp.has(ip)) ip--;
        const id = `${ep.id}@${subnetId}`;
        this.addEni({
          id,
          ip,
          ipText: intToIp(ip),
          subnetId,
          vpcId: sub.vpcId,
          groups: ep.groups,
          kind: 'vpc-endpoint',
          vpcEndpointId: ep.id,
        });
        ep.eniIds.push(id);
      }
    }
  }

  instances(): void {
    (this.s.Instances ?? []).forEach((inst, i) => {
      const id = this.requireId('Instances', i, inst.InstanceId, 'InstanceId');
      const state = lower(inst.State?.Name);
      if (state === 'terminated' || state === 'shutting-down') return;
      this.m.instances.set(id, inst);
      const nics = inst.NetworkInterfaces?.length
        ? inst.NetworkInterfaces.map((n, k) => ({
            id: n.NetworkInterfaceId ?? `${id}-eni-${k}`,
            subnetId: n.SubnetId ?? inst.SubnetId,
            ip: n.PrivateIpAddress,
            publicIp: n.Association?.PublicIp,
            groups: (n.Groups ?? []).map((g) => g.GroupId!).filter(Boolean),
            primary: (n.Attachment?.DeviceIndex ?? k) === 0,
          }))
        : [
            {
              id: `${id}-eni-0`,
              subnetId: inst.SubnetId,
              ip: inst.PrivateIpAddress,
              publicIp: inst.PublicIpAddress,
              groups: (inst.SecurityGroups ?? []).map((g) => g.GroupId!).filter(Boolean),
              primary: true,
            },
          ];
      for (const n of nics) {
        if (!n.ip) continue;
        const sub = this.subnet('Instances', i, id, n.subnetId);
        const ip = at('Instances', i, id, () => ipToInt(n.ip!, 'PrivateIpAddress'));
        const publicIp =
          n.publicIp ?? (n.primary && n.ip === inst.PrivateIpAddress ? inst.PublicIpAddress : undefined);
        this.addEni({
          id: n.id,
          ip,
          ipText: n.ip,
          subnetId: sub.id,
          vpcId: sub.vpcId,
          groups: n.groups,
          kind: 'instance',
          instanceId: id,
          ...(publicIp ? { publicIp } : {}),
        });
      }
      const ip = inst.PrivateIpAddress ?? nics.find((n) => n.ip)?.ip;
      if (ip) {
        this.m.instanceIp.set(id, ip);
        const sub = nics.find((n) => n.ip === ip)?.subnetId;
        const vpcId = sub ? this.m.subnets.get(sub)?.vpcId : undefined;
        const eni = vpcId ? this.m.enisByIp.get(vpcId)?.get(ipToInt(ip)) : undefined;
        if (eni) this.m.instanceEni.set(id, eni);
      }
    });
  }

  addresses(): void {
    (this.s.Addresses ?? []).forEach((a, i) => {
      if (!a.PublicIp || !a.PrivateIpAddress) return; // unassociated EIP
      const eni = a.NetworkInterfaceId ? this.m.enis.get(a.NetworkInterfaceId) : undefined;
      const vpcId = eni?.vpcId ?? (a.InstanceId ? this.findInstanceVpc(a.InstanceId) : undefined);
      if (!vpcId) return; // associated with something outside the snapshot
      const ip = at('Addresses', i, a.AllocationId, () => ipToInt(a.PrivateIpAddress!, 'PrivateIpAddress'));
      const owner = this.m.enisByIp.get(vpcId)?.get(ip);
      if (owner) owner.publicIp ??= a.PublicIp;
      this.m.publicIpOwner.set(a.PublicIp, { vpcId, privateIp: a.PrivateIpAddress });
    });
  }

  private findInstanceVpc(instanceId: string): string | undefined {
    const inst = this.m.instances.get(instanceId);
    return inst?.VpcId ?? (inst?.SubnetId ? this.m.subnets.get(inst.SubnetId)?.vpcId : undefined);
  }

  firewalls(): void {
    const policies = new Map(
      (this.s.FirewallPolicies ?? []).map((p) => [p.FirewallPolicyResponse?.FirewallPolicyArn, p]),
    );
    const groups = new Map((this.s.RuleGroups ?? []).map((g) => [g.RuleGroupResponse?.RuleGroupArn, g]));
    (this.s.Firewalls ?? []).forEach((f, i) => {
      const fw = f.Firewall;
      if (!fw) throw snapshotError('Firewalls', i, undefined, 'Firewall missing');
      const arn = fw.FirewallArn ?? fw.FirewallName;
      if (!arn) throw snapshotError('Firewalls', i, undefined, 'Firewall.FirewallArn missing');
      const vpc = this.vpc('Firewalls', i, arn, fw.VpcId);
      const policy = fw.FirewallPolicyArn ? policies.get(fw.FirewallPolicyArn) : undefined;
      if (!policy)
        throw snapshotError(
          'Firewalls',
          i,
          arn,
          `FirewallPolicyArn "${fw.FirewallPolicyArn}" is not in FirewallPolicies`,
        );
      const refs = [
        ...(policy.FirewallPolicy?.StatefulRuleGroupReferences ?? []),
        ...(policy.FirewallPolicy?.StatelessRuleGroupReferences ?? []),
      ];
      const ruleGroups = refs.map((r) => {
        const g = groups.get(r.ResourceArn);
        if (!g && !r.ResourceArn?.includes(':aws-managed:')) {
          throw snapshotError(
            'FirewallPolicies',
            fw.FirewallPolicyArn!,
            undefined,
            `rule group "${r.ResourceArn}" is not in RuleGroups`,
          );
        }
        return g;
      });
      const info: FirewallInfo = {
        arn,
        name: fw.FirewallName ?? arn,
        vpcId: vpc.id,
        policyArn: fw.FirewallPolicyArn!,
        policy,
        ruleGroups: ruleGroups.filter((g) => g !== undefined),
        endpointsByAz: new Map(),
      };
      this.m.firewalls.set(arn, info);
      for (const [azKey, st] of Object.entries(f.FirewallStatus?.SyncStates ?? {})) {
        const att = st.Attachment;
        if (!att?.EndpointId) continue; // endpoint still being created
        const sub = this.subnet(
          'Firewalls',
          i,
          arn,
          att.SubnetId,
          `FirewallStatus.SyncStates["${azKey}"].Attachment.SubnetId`,
        );
        if (sub.vpcId !== vpc.id)
          throw snapshotError(
            'Firewalls',
            i,
            arn,
            `endpoint ${att.EndpointId} subnet ${sub.id} is not in the firewall VPC ${vpc.id}`,
          );
        // Key by the endpoint subnet's AZ (DESIGN 5): that is where the endpoint actually is.
        const ep: FirewallEndpointInfo = {
          endpointId: att.EndpointId,
          firewallArn: arn,
          firewallName: info.name,
          az: sub.az,
          subnetId: sub.id,
          vpcId: vpc.id,
        };
        this.m.firewallEndpoints.set(att.EndpointId, ep);
        info.endpointsByAz.set(sub.az, att.EndpointId);
      }
    });
  }

  transitGateways(): void {
    for (const t of this.s.TransitGateways ?? []) if (t.TransitGatewayId) this.tgwIds.add(t.TransitGatewayId);
    const ensure = (id: string): TgwAttachmentInfo => {
      let a = this.m.tgwAttachments.get(id);
      if (!a) {
        a = {
          id,
          tgwId: '',
          resourceType: 'vpc',
          subnetByAz: new Map(),
          applianceMode: false,
          available: true,
        };
        this.m.tgwAttachments.set(id, a);
      }
      return a;
    };
    const activeState = (s: string | undefined): boolean =>
      ['', 'available', 'modifying', 'pendingacceptance'].includes(lower(s)) || lower(s) === 'pending';
    (this.s.TransitGatewayVpcAttachments ?? []).forEach((v, i) => {
      const id = this.requireId(
        'TransitGatewayVpcAttachments',
        i,
        v.TransitGatewayAttachmentId,
        'TransitGatewayAttachmentId',
      );
      const vpc = this.vpc('TransitGatewayVpcAttachments', i, id, v.VpcId);
      if (!v.TransitGatewayId)
        throw snapshotError('TransitGatewayVpcAttachments', i, id, 'TransitGatewayId missing');
      const a = ensure(id);
      a.tgwId = v.TransitGatewayId;
      a.vpcId = vpc.id;
      a.resourceType = 'vpc';
      a.applianceMode = lower(v.Options?.ApplianceModeSupport) === 'enable';
      a.available = activeState(v.State);
      for (const sn of v.SubnetIds ?? []) {
        const sub = this.subnet('TransitGatewayVpcAttachments', i, id, sn, 'SubnetIds[]');
        if (sub.vpcId !== vpc.id)
          throw snapshotError(
            'TransitGatewayVpcAttachments',
            i,
            id,
            `subnet ${sn} is in ${sub.vpcId}, not ${vpc.id}`,
          );
        if (a.subnetByAz.has(sub.az))
          throw snapshotError(
            'TransitGatewayVpcAttachments',
            i,
            id,
            `two subnets in ${sub.az} (${a.subnetByAz.get(sub.az)}, ${sn}); AWS allows one per AZ`,
          );
        a.subnetByAz.set(sub.az, sub.id);
      }
      this.tgwIds.add(v.TransitGatewayId);
    });
    (this.s.TransitGatewayAttachments ?? []).forEach((t, i) => {
      const id = this.requireId(
        'TransitGatewayAttachments',
        i,
        t.TransitGatewayAttachmentId,
        'TransitGatewayAttachmentId',
      );
      const known = this.m.tgwAttachments.has(id);
      const a = ensure(id);
      if (t.TransitGatewayId) a.tgwId ||= t.TransitGatewayId;
      if (t.ResourceType) a.resourceType = lower(t.ResourceType);
      if (!known) a.available = activeState(t.State);
      if (a.resourceType === 'vpc') {
        if (!known)
          throw snapshotError(
            'TransitGatewayAttachments',
            i,
            id,
            'VPC attachment is not in TransitGatewayVpcAttachments (its subnets are needed)',
          );
        if (t.ResourceId && a.vpcId && t.ResourceId !== a.vpcId)
          throw snapshotError(
            'TransitGatewayAttachments',
            i,
            id,
            `ResourceId ${t.ResourceId} differs from the VPC attachment's ${a.vpcId}`,
          );
      }
      if (t.Association?.TransitGatewayRouteTableId && lower(t.Association.State) === 'associated')
        a.routeTableId = t.Association.TransitGatewayRouteTableId;
      if (a.tgwId) this.tgwIds.add(a.tgwId);
    });
    for (const a of this.m.tgwAttachments.values()) {
      if (a.vpcId) {
        this.m.tgwAttachmentByVpc.set(`${a.tgwId}|${a.vpcId}`, a.id);
        this.m.vpcs.get(a.vpcId)!.tgwAttachmentIds.push(a.id);
      }
    }

    // Route tables: those listed, plus those only named as keys (a reader may skip the list).
    const listed = this.s.TransitGatewayRouteTables;
    const tables = this.m.tgwRouteTables;
    const addTable = (id: string, tgwId: string): TgwRouteTableInfo => {
      let t = tables.get(id);
      if (!t) {
        t = { id, tgwId, routes: new LpmTable() };
        tables.set(id, t);
      }
      return t;
    };
    (listed ?? []).forEach((rt, i) => {
      const id = this.requireId(
        'TransitGatewayRouteTables',
        i,
        rt.TransitGatewayRouteTableId,
        'TransitGatewayRouteTableId',
      );
      if (rt.TransitGatewayId && !this.tgwIds.has(rt.TransitGatewayId)) this.tgwIds.add(rt.TransitGatewayId);
      addTable(id, rt.TransitGatewayId ?? '');
    });
    const keyed = (
      member:
        | 'TransitGatewayRouteTableAssociations'
        | 'TransitGatewayRouteTablePropagations'
        | 'TransitGatewayRoutes',
    ): [string, unknown[]][] =>
      Object.entries(this.s[member] ?? {}).map(([rtb, v]) => {
        if (listed && !tables.has(rtb))
          throw snapshotError(
            member,
            rtb,
            undefined,
            `route table "${rtb}" is not in TransitGatewayRouteTables`,
          );
        if (!Array.isArray(v)) throw snapshotError(member, rtb, undefined, 'expected an array');
        return [rtb, v];
      });
    const attachment = (
      member: string,
      rtb: string,
      id: string | undefined,
      j: number,
    ): TgwAttachmentInfo => {
      const a = id ? this.m.tgwAttachments.get(id) : undefined;
      if (!a)
        throw snapshotError(
          member,
          rtb,
          undefined,
          `[${j}] TransitGatewayAttachmentId "${id}" is not in TransitGatewayVpcAttachments/TransitGatewayAttachments`,
        );
      return a;
    };
    for (const [rtb] of keyed('TransitGatewayRouteTableAssociations')) {
      const t = tables.get(rtb) ?? addTable(rtb, '');
      (this.s.TransitGatewayRouteTableAssociations![rtb] ?? []).forEach((assoc, j) => {
        const st = lower(assoc.State);
        if (st !== '' && st !== 'associated' && st !== 'associating') return;
        const a = attachment(
          'TransitGatewayRouteTableAssociations',
          rtb,
          assoc.TransitGatewayAttachmentId,
          j,
        );
        if (a.routeTableId && a.routeTableId !== rtb && this.assocFromKeyed.has(a.id)) {
          throw snapshotError(
            'TransitGatewayRouteTableAssociations',
            rtb,
            a.id,
            `attachment is also associated with ${a.routeTableId}; an attachment has one association`,
          );
        }
        a.routeTableId = rtb;
        this.assocFromKeyed.add(a.id);
        t.tgwId ||= a.tgwId;
      });
    }
    for (const [rtb] of keyed('TransitGatewayRoutes')) {
      const t = tables.get(rtb) ?? addTable(rtb, '');
      (this.s.TransitGatewayRoutes![rtb] ?? []).forEach((r, j) => {
        if (!r.DestinationCidrBlock) return; // prefix-list routes are not modelled
        const st = lower(r.State);
        if (st === 'deleted' || st === 'deleting' || st === 'pending') return;
        const dest = at('TransitGatewayRoutes', rtb, undefined, () =>
          parseCidr(r.DestinationCidrBlock!, `[${j}].DestinationCidrBlock`),
        );
        const blackhole = st === 'blackhole';
        const attachmentIds = blackhole
          ? []
          : (r.TransitGatewayAttachments ?? []).map(
              (x) => attachment('TransitGatewayRoutes', rtb, x.TransitGatewayAttachmentId, j).id,
            );
        if (!blackhole && attachmentIds.length === 0)
          throw snapshotError(
            'TransitGatewayRoutes',
            rtb,
            undefined,
            `[${j}] ${dest.text}: active route without TransitGatewayAttachments`,
          );
        const type = lower(r.Type) === 'propagated' ? 'propagated' : 'static';
        t.routes.add(dest, {
          dest,
          blackhole,
          attachmentIds,
          type,
          text: tgwRouteText(rtb, dest, blackhole, attachmentIds, type),
        });
      });
    }
    // A route search that lists propagated routes is the truth for that table. One that lists only
    // static routes (or none) came from a source that cannot search: derive the propagated routes
    // from the propagations and the VPC CIDRs (a static route for the same prefix still wins).
    for (const [rtb] of keyed('TransitGatewayRouteTablePropagations')) {
      const t = tables.get(rtb) ?? addTable(rtb, '');
      if (t.routes.values().some((r) => r.type === 'propagated')) continue;
      (this.s.TransitGatewayRouteTablePropagations![rtb] ?? []).forEach((p, j) => {
        const st = lower(p.State);
        if (st !== '' && st !== 'enabled' && st !== 'enabling') return;
        const a = attachment('TransitGatewayRouteTablePropagations', rtb, p.TransitGatewayAttachmentId, j);
        if (!a.vpcId) return;
        for (const dest of this.m.vpcs.get(a.vpcId)!.cidrs) {
          if (t.routes.exact(dest).length > 0) continue;
          t.routes.add(dest, {
            dest,
            blackhole: false,
            attachmentIds: [a.id],
            type: 'propagated',
            text: tgwRouteText(rtb, dest, false, [a.id], 'propagated'),
          });
        }
      });
    }
    for (const a of this.m.tgwAttachments.values()) {
      if (a.routeTableId && !tables.has(a.routeTableId)) {
        if (listed)
          throw snapshotError(
            'TransitGatewayAttachments',
            a.id,
            a.id,
            `associated route table "${a.routeTableId}" is not in TransitGatewayRouteTables`,
          );
        addTable(a.routeTableId, a.tgwId);
      }
    }
  }

  private readonly assocFromKeyed = new Set<string>();

  /** Active routes must point at things the snapshot holds (AWS marks routes to deleted targets blackhole). */
  validateRouteTargets(): void {
    const vpceIds = new Set([...this.m.vpcEndpoints.keys(), ...this.m.firewallEndpoints.keys()]);
    const instanceIds = new Set(this.m.instances.keys());
    for (const rt of this.m.routeTables.values()) {
      for (const r of rt.routes.values()) {
        if (r.blackhole) continue;
        const t = r.target;
        const missing = (what: string, member: string): never => {
          throw snapshotError(
            'RouteTables',
            rt.id,
            undefined,
            `route ${r.dest.text} -> ${what} "${'id' in t ? t.id : ''}" is not in ${member}`,
          );
        };
        if (t.kind === 'igw' && this.m.igwVpc.get(t.id) === undefined)
          missing('internet gateway', 'InternetGateways (attached)');
        if (t.kind === 'nat' && !this.m.natGateways.has(t.id)) missing('NAT gateway', 'NatGateways');
        if (t.kind === 'tgw' && !this.tgwIds.has(t.id)) missing('transit gateway', 'TransitGateways');
        if (t.kind === 'vpce' && !vpceIds.has(t.id))
          missing('VPC endpoint', 'VpcEndpoints or Firewalls[].FirewallStatus.SyncStates');
        if (t.kind === 'eni' && !this.m.enis.has(t.id)) missing('network interface', 'NetworkInterfaces');
        if (t.kind === 'instance' && !instanceIds.has(t.id)) missing('instance', 'Instances');
      }
    }
  }

  finish(options: BuildModelOptions): NetworkModel {
    const factory = options.firewallEngineFactory ?? buildFirewallEngine;
    const engines = new Map<string, FirewallEngine>();
    const m = this.m;
    return Object.assign(m, {
      firewallEngine(arn: string): FirewallEngine {
        let e = engines.get(arn);
        if (!e) {
          const fw = m.firewalls.get(arn);
          if (!fw?.policy) throw new Error(`firewall ${arn}: no policy in the snapshot`);
          const vpc = m.vpcs.get(fw.vpcId)!;
          e = factory(fw.policy, fw.ruleGroups, { firewallVpcCidrs: vpc.cidrs.map((c: Cidr) => c.text) });
          engines.set(arn, e);
        }
        return e;
      },
    });
  }
}

function routeTarget(r: Route): RouteTarget {
  const g = r.GatewayId;
  if (g === 'local') return { kind: 'local' };
  if (g?.startsWith('igw-')) return { kind: 'igw', id: g };
  if (g?.startsWith('vpce-')) return { kind: 'vpce', id: g };
  if (r.NatGatewayId) return { kind: 'nat', id: r.NatGatewayId };
  if (r.TransitGatewayId) return { kind: 'tgw', id: r.TransitGatewayId };
  if (r.NetworkInterfaceId && !r.InstanceId) return { kind: 'eni', id: r.NetworkInterfaceId };
  if (r.InstanceId) return { kind: 'instance', id: r.InstanceId };
  if (r.NetworkInterfaceId) return { kind: 'eni', id: r.NetworkInterfaceId };
  if (r.VpcPeeringConnectionId)
    return { kind: 'unsupported', id: r.VpcPeeringConnectionId, what: 'VPC peering' };
  if (r.EgressOnlyInternetGatewayId)
    return { kind: 'unsupported', id: r.EgressOnlyInternetGatewayId, what: 'egress-only IGW' };
  if (r.CarrierGatewayId) return { kind: 'unsupported', id: r.CarrierGatewayId, what: 'carrier gateway' };
  if (r.LocalGatewayId) return { kind: 'unsupported', id: r.LocalGatewayId, what: 'local gateway' };
  if (r.CoreNetworkArn) return { kind: 'unsupported', id: r.CoreNetworkArn, what: 'Cloud WAN core network' };
  if (g)
    return { kind: 'unsupported', id: g, what: g.startsWith('vgw-') ? 'virtual private gateway' : 'gateway' };
  return { kind: 'unsupported', id: '(none)', what: 'route without target' };
}

function targetText(t: RouteTarget): string {
  return t.kind === 'local' ? 'local' : t.id;
}

function tgwRouteText(
  rtb: string,
  dest: Cidr,
  blackhole: boolean,
  attachments: string[],
  type: string,
): string {
  return `${rtb}: ${dest.text} -> ${blackhole ? 'blackhole' : attachments.join(', ')} (${type})`;
}
