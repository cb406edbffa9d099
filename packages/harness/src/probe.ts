/**
 * The probe interface: what a check may observe from a probe workload. The offline implementation
 * answers from the network model; the live one runs commands on the instance through SSM. A check
 * reports `pass` only when `observed` is true and the observation meets the expectation.
 */
import type { Hop, PathResult, ProbeInstance } from '@hubspoke/netmodel';

/** A probe workload, as the network model finds it (instance, VPC, subnet, AZ, private IP, Name). */
export interface ProbeHost extends ProbeInstance {
  /**
   * Not an instance: a modelled open-egress workload at a free address of a workload subnet,
   * standing in where the environment has no probe instance (offline only).
   */
  standIn?: boolean;
}

export interface RequestSpec {
  host: string;
  port: number;
  /** `tls`: a TLS handshake with SNI = host (or `sni`); `http`: plain HTTP with Host = host. */
  protocol: 'tls' | 'http';
  sni?: string;
}

/** What the live probe measured with curl, kept so a report shows how a verdict was reached. */
export interface ConnectionEvidence {
  curlExit: number;
  /** Seconds until the TCP connection was established; 0 when it never was. */
  timeConnectS: number;
  /** Address the probe connected (or tried to connect) to. */
  remoteIp?: string;
  /** HTTP status, when one came back. */
  httpCode?: string;
}

export interface Observation {
  /** False when the probe could not make the observation (SSM failure, no such probe...). */
  observed: boolean;
  detail: string;
  /** Live only: the connection behind the observation. */
  connection?: ConnectionEvidence;
  /** Paths the model evaluated (offline only). */
  paths?: PathResult[];
  /** The hop, route or rule that decided the outcome. */
  decisive?: Hop | { kind: string; id: string; detail: string };
  /** Findings worth reporting even when the observation succeeds (e.g. DNS attributes unknown). */
  warnings?: string[];
}

export interface RequestObservation extends Observation {
  /** True when the response came back. */
  succeeded: boolean;
}

export interface EgressIpObservation extends Observation {
  /** Every egress IP the probe may appear as (the model lists all possible paths). */
  ips: string[];
}

export interface Probe {
  readonly kind: 'model' | 'ssm';
  listProbes(): Promise<ProbeHost[]>;
  egressIp(probe: ProbeHost): Promise<EgressIpObservation>;
  request(probe: ProbeHost, request: RequestSpec): Promise<RequestObservation>;
  /**
   * Can the probe reach its VPC's SSM endpoints on 443: traced by the model; live, the endpoint
   * names resolve on the probe to the endpoints' private addresses and a TLS handshake to each
   * succeeds.
   */
  ssmReachable(probe: ProbeHost): Promise<RequestObservation>;
}
