/**
 * The packets the evaluator reasons about. A flow is a sequence of packets in the order they
 * cross the firewall: TCP = SYN, SYN-ACK, the client's first data packet, the server's reply data;
 * UDP/ICMP = request, reply. The third ACK of the handshake is not modelled on its own: it carries
 * no data, and the client's first data segment acknowledges the SYN-ACK again.
 */
import type { TCPFlag } from '@aws-sdk/client-network-firewall';
import type { Flow, FlowProtocol, PacketLabel } from './types';
import type { IpAddress } from '../ip/cidr';

export interface Packet {
  label: PacketLabel;
  protocol: FlowProtocol;
  src: IpAddress;
  dst: IpAddress;
  /** Undefined for ICMP. */
  srcPort?: number;
  dstPort?: number;
  /** True for client -> server, as the stateful engine sees the flow. */
  toServer: boolean;
  /** Suricata's flow state: false for the TCP handshake and a UDP/ICMP flow's first packet. */
  established: boolean;
  /** Application layer, once the engine can know it (never during the TCP handshake). */
  app?: Flow['app'];
  tcpFlags: TCPFlag[];
  /**
   * The stateful engine picked the flow up mid-stream (StreamExceptionPolicy CONTINUE): it has no
   * context from before the break, so flow state, flowbits and the app layer are unknown.
   */
  midstream?: boolean;
}
