/**
 * The model probe's own failure branches: a host the table cannot resolve and a flow the model
 * returns no path for are observations that did not succeed, never a pass.
 */
import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { defaultExpectations } from '../../src/checks/expectations';
import { runProbeChecks } from '../../src/checks/run';
import { Topology } from '../../src/checks/topology';
import { createTracer } from '../../src/checks/tracer';
import { ModelProbe } from '../../src/model-probe';

const snapshot = buildHubSpokeSnapshot({ azs: ['us-east-1a'] });

it('a host missing from the hosts table: the request is not made', async () => {
  const tracer = createTracer(snapshot);
  const ex = {
    ...defaultExpectations(),
    allow: [{ host: 'nowhere.example', port: 443, protocol: 'tls' as const }],
    run: ['allow' as const],
  };
  const [r] = await runProbeChecks({
    probe: new ModelProbe(tracer, new Topology(tracer.model), ex),
    expectations: ex,
    egressIps: { ips: [], source: 'none' },
  });
  expect(r).toMatchObject({ id: 'allow:nowhere.example:443', status: 'fail' });
  expect(r!.detail).toContain('request not made: host nowhere.example is not in the hosts table');
});

it('a flow the model returns no path for gets no response', async () => {
  const tracer = createTracer(snapshot);
  const noPaths = { model: tracer.model, trace: () => [] };
  const ex = { ...defaultExpectations(), run: ['allow' as const] };
  const results = await runProbeChecks({
    probe: new ModelProbe(noPaths, new Topology(tracer.model), ex),
    expectations: ex,
    egressIps: { ips: [], source: 'none' },
  });
  expect(results[0]!.status).toBe('fail');
  expect(results[0]!.detail).toContain('tls www.amazon.com:443 (192.0.2.10): no path');
});
