import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { createTracer, formatTrace, traceVerdict } from '../../src';

const snapshot = buildHubSpokeSnapshot();
const probe = snapshot.Instances![0]!.InstanceId!;
const tracer = createTracer(snapshot);
const tlsTo = (ip: string, sni: string) =>
  tracer.trace({
    source: { instanceId: probe },
    destination: { ip, port: 443 },
    protocol: 'tcp',
    app: { kind: 'tls', sni },
  });

describe('formatTrace', () => {
  it('lists every packet a firewall saw with its decider and scope, quoting each rule once', () => {
    const paths = tlsTo('192.0.2.10', 'www.amazon.com');
    const text = formatTrace('probe -> www.amazon.com', paths);
    expect(traceVerdict(paths)).toBe('ALLOWED');
    expect(text).toContain('verdict: ALLOWED, reply received on 2/2 path(s)');
    expect(text).toContain(
      'SYN (client -> server): pass by stateful rule sid 892123 in hubspoke-dev-handshake [scope: this packet only -- packet rule (pkt)',
    );
    expect(text).toContain(
      'server data (server -> client): pass by domain-list rule sid 1 in hubspoke-dev-domains [whole flow: fixed at the client data',
    );
    // The handshake rule decides two packets per path but is quoted once per firewall.
    const firstPath = text.split('path 2/2')[0]!;
    expect(firstPath.match(/rule: pass tcp any any <> \$EXTERNAL_NET 443/g)).toHaveLength(1);
  });

  it('names the packet and the default action that dropped a denied flow', () => {
    const paths = tlsTo('192.0.2.12', 'example.com');
    const text = formatTrace('probe -> example.com', paths);
    expect(traceVerdict(paths)).toBe('BLOCKED');
    expect(text).toContain('drops the client data: aws:drop_strict (this packet)');
    expect(text).toContain('verdict: BLOCKED, reply received on 0/2 path(s)');
  });
});
