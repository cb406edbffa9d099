/**
 * What answers at a destination address. Only what holds the address can answer, and not every
 * holder does: a running instance answers as a workload would; an interface endpoint answers its
 * service's port; a NAT gateway, a Transit Gateway attachment interface or a firewall endpoint
 * answers nothing initiated toward it; an instance that is not running answers nothing.
 *
 * Amazon EC2 User Guide, "Amazon EC2 instance state changes" (only a running instance runs):
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 * AWS PrivateLink guide, "Access an AWS service using an interface VPC endpoint" (the endpoint's
 * security group must allow HTTPS, 443, from the clients):
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
import type { EniInfo, NetworkModel } from '../model/types';
import type { Packet } from '../security/evaluate';

export type Answer =
  | { kind: 'answers'; detail: string }
  | {
      kind: 'silent';
      decision: 'no-answer' | 'instance-state' | 'resource-state';
      id: string;
      detail: string;
    }
  | { kind: 'unknown'; id: string; detail: string };

/** Ports an interface endpoint of an AWS service answers on (HTTPS, except the SMTP endpoint). */
const SERVICE_PORTS: Record<string, number[]> = { 'email-smtp': [25, 465, 587, 2465, 2587] };
const HTTPS = [443];

export function instanceState(model: NetworkModel, instanceId: string): string {
  return (model.instances.get(instanceId)?.State?.Name ?? 'running').toLowerCase();
}

export function answerOf(model: NetworkModel, eni: EniInfo, pkt: Packet): Answer {
  if (eni.instanceId) {
    const state = instanceState(model, eni.instanceId);
    if (state !== 'running')
      return {
        kind: 'silent',
        decision: 'instance-state',
        id: eni.instanceId,
        detail: `${eni.instanceId} is ${state}: an instance that is not running answers nothing`,
      };
    return { kind: 'answers', detail: `${eni.instanceId} answers as a running workload` };
  }
  switch (eni.kind) {
    case 'nat':
      return silent(
        eni.natGatewayId ?? eni.id,
        `${eni.natGatewayId ?? eni.id}'s own address answers nothing initiated toward it`,
      );
    case 'tgw':
      return silent(eni.id, `${eni.id} is a Transit Gateway attachment interface: it answers nothing`);
    case 'firewall-endpoint':
      return silent(
        eni.id,
        `${eni.id} is a firewall endpoint interface: it answers nothing (it is reached as a route target)`,
      );
    case 'vpc-endpoint':
      return endpointAnswer(model, eni, pkt);
    default:
      if (eni.attached === false)
        return silent(eni.id, `${eni.id} is attached to nothing: no host answers at ${eni.ipText}`);
      return {
        kind: 'unknown',
        id: eni.id,
        detail: `${eni.id} is a ${eni.interfaceType ?? 'requester-managed'} interface: what it answers is not modelled`,
      };
  }
}

function silent(id: string, detail: string): Answer {
  return { kind: 'silent', decision: 'no-answer', id, detail };
}

function endpointAnswer(model: NetworkModel, eni: EniInfo, pkt: Packet): Answer {
  const ep = eni.vpcEndpointId ? model.interfaceEndpoints.get(eni.vpcEndpointId) : undefined;
  if (!ep)
    return {
      kind: 'unknown',
      id: eni.id,
      detail: `${eni.id} belongs to an endpoint the snapshot does not describe: what it answers is not modelled`,
    };
  if (ep.state !== 'available')
    return {
      kind: 'silent',
      decision: 'resource-state',
      id: ep.id,
      detail: `${ep.id} is ${ep.state}: an interface endpoint that is not available answers nothing`,
    };
  const service = awsServiceOf(ep.serviceName);
  if (!service)
    return {
      kind: 'unknown',
      id: ep.id,
      detail: `${ep.id} (${ep.serviceName}) is an endpoint service: what it listens on is not modelled`,
    };
  const ports = SERVICE_PORTS[service] ?? HTTPS;
  if (pkt.protocol !== 'tcp' || !ports.includes(pkt.dstPort))
    return silent(
      ep.id,
      `${ep.id} (${service}) answers only TCP ${ports.join(', ')}, not ${pkt.protocol}/${pkt.dstPort}`,
    );
  return { kind: 'answers', detail: `${ep.id} (${service}) answers TCP ${pkt.dstPort}` };
}

/** `com.amazonaws.<region>.<service>` -> `<service>`; endpoint services (`com.amazonaws.vpce.*`, others) -> undefined. */
export function awsServiceOf(serviceName: string): string | undefined {
  const m = /^com\.amazonaws\.([a-z0-9-]+)\.(.+)$/.exec(serviceName);
  return m && m[1] !== 'vpce' ? m[2] : undefined;
}
