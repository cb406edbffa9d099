/**
 * The packets the evaluator reasons about. A flow is split into phases (TCP: handshake, then
 * application data; UDP/ICMP: one exchange); each phase has the client's packet and the
 * server's reply, evaluated in that order.
 */
import type { TCPFlag } from '@aws-sdk/client-network-firewall';
import type { Flow, FlowProtocol } from './types';
import type { IpAddress } from './ip';

export interface Packet {
  protocol: FlowProtocol;
  src: IpAddress;
  dst: IpAddress;
  /** Undefined for ICMP. */
  srcPort?: number;
  dstPort?: number;
  /** True for client -> server. */
  toServer: boolean;
  /** Suricata's flow state: false for the TCP handshake and a UDP/ICMP flow's first packet. */
  established: boolean;
  /** Application layer, once the engine can know it (never during the TCP handshake). */
  app?: Flow['app'];
  tcpFlags: TCPFlag[];
}
