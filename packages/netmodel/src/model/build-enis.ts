/**
 * Addresses in the VPCs: VPC endpoints, NAT gateways, network interfaces and instances become ENIs
 * indexed by id and by (VPC, private IP), and public IPs (ENI associations, EIPs) are mapped to their
 * private owner. Several members can describe the same ENI (a NAT address, its ENI, an instance's
 * NIC), so addEni merges them. Interface endpoints whose ENIs the snapshot does not list get one
 * placed per subnet, so they stay reachable in the model.
 *
 * Order matters: VPC endpoints before network interfaces (to tell endpoint ENIs apart), ENIs and
 * instances before endpoint placement (to find a free address) and before EIPs (to find the owner).
 */
import { intToIp, ipToInt } from '../ip/cidr';
import { lower } from './build-context';
import type { BuildContext } from './build-context';
import { at } from './errors';
import type { EniInfo, EniKind, InterfaceEndpointInfo, NatInfo } from './types';

export function indexVpcEndpoints(ctx: BuildContext): void {
  (ctx.s.VpcEndpoints ?? []).forEach((e, i) => {
    const id = ctx.requireId('VpcEndpoints', i, e.VpcEndpointId, 'VpcEndpointId');
    ctx.vpc('VpcEndpoints', i, id, e.VpcId);
    ctx.m.vpcEndpoints.set(id, e);
    const type = lower(e.VpcEndpointType);
    if (type === 'gateway') {
      ctx.m.gatewayEndpoints.set(id, {
        id,
        vpcId: e.VpcId!,
        serviceName: e.ServiceName ?? '',
        state: lower(e.State) || 'available',
      });
    }
    if (type === 'interface') {
      for (const sn of e.SubnetIds ?? []) ctx.subnet('VpcEndpoints', i, id, sn, 'SubnetIds[]');
      const info: InterfaceEndpointInfo = {
        id,
        vpcId: e.VpcId!,
        serviceName: e.ServiceName ?? '',
        type,
        subnetIds: e.SubnetIds ?? [],
        eniIds: e.NetworkInterfaceIds ?? [],
        groups: (e.Groups ?? []).map((g) => g.GroupId!).filter(Boolean),
        state: lower(e.State) || 'available',
        privateDns: e.PrivateDnsEnabled === true,
      };
      ctx.m.interfaceEndpoints.set(id, info);
    }
  });
}

export function indexNatGateways(ctx: BuildContext): void {
  (ctx.s.NatGateways ?? []).forEach((n, i) => {
    const id = ctx.requireId('NatGateways', i, n.NatGatewayId, 'NatGatewayId');
    const sub = ctx.subnet('NatGateways', i, id, n.SubnetId);
    const state = lower(n.State);
    const info: NatInfo = {
      id,
      subnetId: sub.id,
      vpcId: sub.vpcId,
      public: lower(n.ConnectivityType) !== 'private',
      state: state || 'available',
      available: state === '' || state === 'available',
      addresses: (n.NatGatewayAddresses ?? [])
        .filter((a) => a.PrivateIp || a.PublicIp)
        .map((a) => ({
          privateIp: a.PrivateIp ?? a.PublicIp!,
          ...(a.PublicIp ? { publicIp: a.PublicIp } : {}),
        })),
    };
    ctx.m.natGateways.set(id, info);
    (n.NatGatewayAddresses ?? []).forEach((a, j) => {
      if (!a.PrivateIp) return;
      at('NatGateways', i, id, () => ipToInt(a.PrivateIp!, `NatGatewayAddresses[${j}].PrivateIp`));
      addEni(ctx, {
        id: a.NetworkInterfaceId ?? `${id}-eni-${j}`,
        ip: ipToInt(a.PrivateIp),
        ipText: a.PrivateIp,
        subnetId: sub.id,
        vpcId: sub.vpcId,
        groups: [],
        kind: 'nat',
        interfaceType: 'nat_gateway',
        attached: true,
        natGatewayId: id,
        ...(a.PublicIp ? { publicIp: a.PublicIp } : {}),
      });
    });
  });
}

function addEni(ctx: BuildContext, eni: EniInfo): void {
  const existing = ctx.m.enis.get(eni.id);
  // Several members describe the same ENI (NAT addresses, ENIs, instances): merge what each knows.
  if (existing && existing.ip === eni.ip) {
    existing.publicIp ??= eni.publicIp;
    existing.instanceId ??= eni.instanceId;
    existing.natGatewayId ??= eni.natGatewayId;
    existing.interfaceType ??= eni.interfaceType;
    existing.attached ||= eni.attached;
    if (existing.groups.length === 0) existing.groups = eni.groups;
    if (
      existing.kind === 'other' ||
      (existing.kind === 'instance' && eni.kind !== 'instance' && eni.kind !== 'other')
    )
      existing.kind = eni.kind;
    return;
  }
  if (!existing) ctx.m.enis.set(eni.id, eni);
  const byIp = ctx.m.enisByIp.get(eni.vpcId)!;
  if (!byIp.has(eni.ip)) byIp.set(eni.ip, existing ?? eni);
  if (eni.publicIp) ctx.m.publicIpOwner.set(eni.publicIp, { vpcId: eni.vpcId, privateIp: eni.ipText });
}

export function indexNetworkInterfaces(ctx: BuildContext): void {
  const endpointOfEni = new Map<string, string>();
  for (const e of ctx.m.vpcEndpoints.values())
    for (const eni of e.NetworkInterfaceIds ?? []) endpointOfEni.set(eni, e.VpcEndpointId!);
  (ctx.s.NetworkInterfaces ?? []).forEach((n, i) => {
    const id = ctx.requireId('NetworkInterfaces', i, n.NetworkInterfaceId, 'NetworkInterfaceId');
    const sub = ctx.subnet('NetworkInterfaces', i, id, n.SubnetId);
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
      addEni(ctx, {
        id: k === 0 ? id : `${id}#${p.ip}`,
        ip,
        ipText: p.ip,
        subnetId: sub.id,
        vpcId: sub.vpcId,
        groups,
        kind,
        ...(n.InterfaceType ? { interfaceType: n.InterfaceType } : {}),
        // Requester-managed ENIs (endpoints, NAT, TGW, Lambda...) belong to a service even without an Attachment.
        attached: Boolean(
          n.Attachment?.InstanceId ||
          n.Attachment?.Status === 'attached' ||
          n.RequesterManaged ||
          type !== 'interface',
        ),
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
export function placeEndpointInterfaces(ctx: BuildContext): void {
  for (const ep of ctx.m.interfaceEndpoints.values()) {
    const known = ep.eniIds.map((id) => ctx.m.enis.get(id)).filter((e) => e !== undefined);
    for (const subnetId of ep.subnetIds) {
      if (known.some((e) => e.subnetId === subnetId)) continue;
      const sub = ctx.m.subnets.get(subnetId)!;
      const byIp = ctx.m.enisByIp.get(sub.vpcId)!;
      let ip = sub.cidr.base + 2 ** (32 - sub.cidr.prefix) - 2;
      while (ip > sub.cidr.base + 3 && byIp.has(ip)) ip--;
      const id = `${ep.id}@${subnetId}`;
      addEni(ctx, {
        id,
        ip,
        ipText: intToIp(ip),
        subnetId,
        vpcId: sub.vpcId,
        groups: ep.groups,
        kind: 'vpc-endpoint',
        interfaceType: 'vpc_endpoint',
        attached: true,
        vpcEndpointId: ep.id,
      });
      ep.eniIds.push(id);
    }
  }
}

export function indexInstances(ctx: BuildContext): void {
  (ctx.s.Instances ?? []).forEach((inst, i) => {
    const id = ctx.requireId('Instances', i, inst.InstanceId, 'InstanceId');
    ctx.m.instances.set(id, inst);
    // Every instance is kept, so a probe that is not running is named with its state; a terminated
    // (or terminating) one has released its network interfaces and holds no address any more.
    const state = lower(inst.State?.Name);
    if (state === 'terminated' || state === 'shutting-down') return;
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
      const sub = ctx.subnet('Instances', i, id, n.subnetId);
      const ip = at('Instances', i, id, () => ipToInt(n.ip!, 'PrivateIpAddress'));
      const publicIp =
        n.publicIp ?? (n.primary && n.ip === inst.PrivateIpAddress ? inst.PublicIpAddress : undefined);
      addEni(ctx, {
        id: n.id,
        ip,
        ipText: n.ip,
        subnetId: sub.id,
        vpcId: sub.vpcId,
        groups: n.groups,
        kind: 'instance',
        interfaceType: 'interface',
        attached: true,
        instanceId: id,
        ...(publicIp ? { publicIp } : {}),
      });
    }
    const ip = inst.PrivateIpAddress ?? nics.find((n) => n.ip)?.ip;
    if (ip) {
      ctx.m.instanceIp.set(id, ip);
      const sub = nics.find((n) => n.ip === ip)?.subnetId;
      const vpcId = sub ? ctx.m.subnets.get(sub)?.vpcId : undefined;
      const eni = vpcId ? ctx.m.enisByIp.get(vpcId)?.get(ipToInt(ip)) : undefined;
      if (eni) ctx.m.instanceEni.set(id, eni);
    }
  });
}

export function indexAddresses(ctx: BuildContext): void {
  (ctx.s.Addresses ?? []).forEach((a, i) => {
    if (!a.PublicIp || !a.PrivateIpAddress) return; // unassociated EIP
    const eni = a.NetworkInterfaceId ? ctx.m.enis.get(a.NetworkInterfaceId) : undefined;
    const vpcId = eni?.vpcId ?? (a.InstanceId ? findInstanceVpc(ctx, a.InstanceId) : undefined);
    if (!vpcId) return; // associated with something outside the snapshot
    const ip = at('Addresses', i, a.AllocationId, () => ipToInt(a.PrivateIpAddress!, 'PrivateIpAddress'));
    const owner = ctx.m.enisByIp.get(vpcId)?.get(ip);
    if (owner) owner.publicIp ??= a.PublicIp;
    ctx.m.publicIpOwner.set(a.PublicIp, { vpcId, privateIp: a.PrivateIpAddress });
  });
}

function findInstanceVpc(ctx: BuildContext, instanceId: string): string | undefined {
  const inst = ctx.m.instances.get(instanceId);
  return inst?.VpcId ?? (inst?.SubnetId ? ctx.m.subnets.get(inst.SubnetId)?.vpcId : undefined);
}
