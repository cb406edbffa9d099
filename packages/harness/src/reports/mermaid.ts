/**
 * A Mermaid flowchart of the snapshot's topology: VPCs with their subnets per AZ, firewall
 * endpoints, NAT gateways, IGWs, the TGW and its route tables, and the routes between them.
 * Large networks collapse spokes to one node each past `detailedVpcLimit`, because GitHub stops
 * rendering diagrams long before a 100-spoke network's subnets fit.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { Route, Tag } from '@aws-sdk/client-ec2';

export interface MermaidOptions {
  detailedVpcLimit?: number;
}

const nameTag = (tags: Tag[] | undefined): string | undefined => tags?.find((t) => t.Key === 'Name')?.Value;
const stackTag = (tags: Tag[] | undefined): string | undefined =>
  tags?.find((t) => t.Key === 'hubspoke:stack')?.Value;
/** Mermaid ids: letters, digits, underscore. */
const mid = (id: string): string => `n_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
/** Mermaid labels: quotes and angle brackets would end or break the label. */
const esc = (s: string): string => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function topologyMermaid(snapshot: NetworkSnapshot, options: MermaidOptions = {}): string {
  const limit = options.detailedVpcLimit ?? 8;
  const out: string[] = ['flowchart LR'];
  const vpcs = snapshot.Vpcs ?? [];
  const firewallVpcs = new Set((snapshot.Firewalls ?? []).map((f) => f.Firewall?.VpcId));
  // The firewall VPC is always drawn in detail; spokes only while the diagram stays readable.
  const detailed = new Set(vpcs.filter((v) => firewallVpcs.has(v.VpcId)).map((v) => v.VpcId));
  for (const v of vpcs) if (detailed.size < limit) detailed.add(v.VpcId);
  const rtbOfSubnet = new Map<string, string>();
  const mainRtb = new Map<string, string>();
  for (const rt of snapshot.RouteTables ?? []) {
    for (const a of rt.Associations ?? []) {
      if (a.SubnetId) rtbOfSubnet.set(a.SubnetId, rt.RouteTableId!);
      if (a.Main && rt.VpcId) mainRtb.set(rt.VpcId, rt.RouteTableId!);
    }
  }
  const rtbById = new Map((snapshot.RouteTables ?? []).map((r) => [r.RouteTableId, r]));
  const endpointsByAzSubnet = new Map<string, string>();
  for (const f of snapshot.Firewalls ?? []) {
    for (const [az, s] of Object.entries(f.FirewallStatus?.SyncStates ?? {})) {
      if (s.Attachment?.SubnetId && s.Attachment.EndpointId)
        endpointsByAzSubnet.set(s.Attachment.SubnetId, `${s.Attachment.EndpointId}|${az}`);
    }
  }
  const edges: string[] = [];
  const drawn = new Set<string>();

  for (const v of vpcs) {
    const vid = v.VpcId!;
    const label = `${esc(stackTag(v.Tags) ?? nameTag(v.Tags) ?? vid)}<br/>${esc(`${vid} ${v.CidrBlock ?? ''}`)}`;
    const subnets = (snapshot.Subnets ?? []).filter((s) => s.VpcId === vid);
    if (!detailed.has(vid)) {
      out.push(`  ${mid(vid)}["${label}<br/>${subnets.length} subnets"]`);
      drawn.add(vid);
      continue;
    }
    out.push(`  subgraph ${mid(vid)}["${label}"]`);
    drawn.add(vid);
    const azs = [...new Set(subnets.map((s) => s.AvailabilityZone ?? '?'))].sort();
    for (const az of azs) {
      out.push(`    subgraph ${mid(`${vid}_${az}`)}["${esc(az)}"]`);
      for (const s of subnets.filter((x) => (x.AvailabilityZone ?? '?') === az)) {
        out.push(
          `      ${mid(s.SubnetId!)}["${esc(nameTag(s.Tags) ?? s.SubnetId!)}<br/>${esc(s.CidrBlock ?? '')}"]`,
        );
        drawn.add(s.SubnetId!);
        const ep = endpointsByAzSubnet.get(s.SubnetId!);
        if (ep) {
          const [endpointId] = ep.split('|');
          out.push(`      ${mid(endpointId!)}{{"firewall endpoint<br/>${esc(endpointId!)}"}}`);
          edges.push(`  ${mid(s.SubnetId!)} -.- ${mid(endpointId!)}`);
          drawn.add(endpointId!);
        }
        for (const n of (snapshot.NatGateways ?? []).filter((x) => x.SubnetId === s.SubnetId)) {
          const eip =
            n.NatGatewayAddresses?.map((a) => a.PublicIp)
              .filter(Boolean)
              .join(', ') ?? '';
          out.push(`      ${mid(n.NatGatewayId!)}(["NAT ${esc(n.NatGatewayId!)}<br/>${esc(eip)}"])`);
          edges.push(`  ${mid(s.SubnetId!)} -.- ${mid(n.NatGatewayId!)}`);
          drawn.add(n.NatGatewayId!);
        }
      }
      out.push('    end');
    }
    for (const g of (snapshot.InternetGateways ?? []).filter((x) =>
      x.Attachments?.some((a) => a.VpcId === vid),
    )) {
      out.push(`    ${mid(g.InternetGatewayId!)}(["IGW ${esc(g.InternetGatewayId!)}"])`);
      drawn.add(g.InternetGatewayId!);
    }
    out.push('  end');
    // Routes of each subnet, except local: subnet -- destination --> target.
    for (const s of subnets) {
      const rt = rtbById.get(rtbOfSubnet.get(s.SubnetId!) ?? mainRtb.get(vid) ?? '');
      for (const r of rt?.Routes ?? []) {
        const target = routeTarget(r);
        if (!target || target === 'local') continue;
        edges.push(
          `  ${mid(s.SubnetId!)} -->|"${esc(r.DestinationCidrBlock ?? r.DestinationPrefixListId ?? '?')}"| ${mid(target)}`,
        );
      }
    }
  }

  // Transit Gateway, its route tables, associations (attachment -> table) and routes (table -> VPC).
  for (const t of snapshot.TransitGateways ?? []) {
    out.push(`  ${mid(t.TransitGatewayId!)}[["TGW ${esc(t.TransitGatewayId!)}"]]`);
    drawn.add(t.TransitGatewayId!);
  }
  const vpcOfAttachment = new Map(
    (snapshot.TransitGatewayVpcAttachments ?? []).map((a) => [a.TransitGatewayAttachmentId!, a]),
  );
  for (const rt of snapshot.TransitGatewayRouteTables ?? []) {
    const id = rt.TransitGatewayRouteTableId!;
    out.push(`  ${mid(id)}[/"TGW route table<br/>${esc(nameTag(rt.Tags) ?? id)}"/]`);
    if (rt.TransitGatewayId) edges.push(`  ${mid(rt.TransitGatewayId)} --- ${mid(id)}`);
    for (const a of snapshot.TransitGatewayRouteTableAssociations?.[id] ?? []) {
      const att = vpcOfAttachment.get(a.TransitGatewayAttachmentId ?? '');
      const appliance = att?.Options?.ApplianceModeSupport === 'enable' ? ', appliance mode' : '';
      if (a.ResourceId)
        edges.push(
          `  ${mid(a.ResourceId)} ==>|"${esc(a.TransitGatewayAttachmentId ?? '')}${appliance}"| ${mid(id)}`,
        );
    }
    for (const r of snapshot.TransitGatewayRoutes?.[id] ?? []) {
      const dest = r.DestinationCidrBlock ?? '?';
      if (r.State === 'blackhole') {
        out.push(`  ${mid(`${id}_bh_${dest}`)}(("blackhole"))`);
        edges.push(`  ${mid(id)} -->|"${esc(dest)}"| ${mid(`${id}_bh_${dest}`)}`);
        continue;
      }
      for (const a of r.TransitGatewayAttachments ?? [])
        if (a.ResourceId) edges.push(`  ${mid(id)} -->|"${esc(dest)}"| ${mid(a.ResourceId)}`);
    }
  }
  // A route target not drawn elsewhere (e.g. a peering) still needs a node, or Mermaid invents an unlabeled one.
  const referenced = new Set(edges.flatMap((e) => [...e.matchAll(/n_[A-Za-z0-9_]+/g)].map((m) => m[0])));
  const known = new Set(
    [...drawn]
      .map(mid)
      .concat((snapshot.TransitGatewayRouteTables ?? []).map((r) => mid(r.TransitGatewayRouteTableId!))),
  );
  for (const ref of referenced)
    if (!known.has(ref) && !ref.includes('_bh_')) out.push(`  ${ref}["${ref.slice(2)}"]`);
  return [...out, ...edges].join('\n');
}

function routeTarget(r: Route): string | undefined {
  return (
    r.GatewayId ??
    r.NatGatewayId ??
    r.TransitGatewayId ??
    r.NetworkInterfaceId ??
    r.VpcPeeringConnectionId ??
    r.InstanceId ??
    r.LocalGatewayId ??
    r.CoreNetworkArn
  );
}
