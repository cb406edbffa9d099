/**
 * An environment through the language host: StackReferences answered from the upstream runs, each
 * program creating its resources after its upstream stacks, independent stacks side by side, a
 * short pool that does not deadlock, a reference cycle and a failing upstream named, and previews
 * against the upstream outputs.
 */
import { MockCloud } from '@hubspoke/mock-cloud';
import { runEnvironment, type HostProgressEvent } from '../src';
import { UNKNOWN } from '../src/wire';
import { FixtureRepo } from './fixtures';

const repo = new FixtureRepo();
afterAll(() => repo.remove());

const ref = (project: string) =>
  `new pulumi.StackReference(\`\${pulumi.getOrganization()}/${project}/\${pulumi.getStack()}\`)`;

const program = (body: string) => `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
${body}
};
`;

const hub = repo.js(
  'hub',
  program(`  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'hub', { cidrBlock: '10.0.0.0/24' });
  return { vpcId: vpc.id, supernet: '10.0.0.0/8' };`),
);
const mid = repo.js(
  'mid',
  program(`  const hub = await ${ref('hub')}.getOutputValue('supernet');
  return { supernet: hub, zone: 'us-east-1a' };`),
);
const leaf = (name: string, cidr: string) =>
  repo.js(
    name,
    program(`  const supernet = await ${ref('hub')}.getOutputValue('supernet');
  const zone = await ${ref('mid')}.getOutputValue('zone');
  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', '${name}', { cidrBlock: '${cidr}' });
  new pulumi.CustomResource('aws:ec2/subnet:Subnet', '${name}-a', { vpcId: vpc.id, cidrBlock: '${cidr}', availabilityZone: zone });
  return { supernet, vpcId: vpc.id };`),
  );
const specs = [hub, mid, leaf('leaf-1', '10.1.0.0/24'), leaf('leaf-2', '10.2.0.0/24')].map((d) =>
  repo.spec(d),
);

describe('an environment through the language host', () => {
  const log: string[] = [];
  const events: HostProgressEvent[] = [];
  let result: Awaited<ReturnType<typeof runEnvironment>>;

  beforeAll(async () => {
    result = await runEnvironment(specs, {
      preview: true,
      parallelism: 4,
      onProgress: (e) => {
        events.push(e);
        if (e.kind !== 'stack-start') log.push(`${e.kind} ${e.project} ${e.mode}`);
      },
      observers: [
        {
          beforeCreate: (r) => {
            log.push(`create ${r.name} ${r.dryRun ? 'preview' : 'update'}`);
            return [];
          },
        },
      ],
    });
  }, 300_000);

  it('answers StackReferences from the upstream updates', () => {
    const vpcs = Object.fromEntries(result.snapshot.Vpcs!.map((v) => [v.CidrBlock, v.VpcId]));
    expect(result.outputs).toEqual({
      hub: { vpcId: vpcs['10.0.0.0/24'], supernet: '10.0.0.0/8' },
      mid: { supernet: '10.0.0.0/8', zone: 'us-east-1a' },
      'leaf-1': { supernet: '10.0.0.0/8', vpcId: vpcs['10.1.0.0/24'] },
      'leaf-2': { supernet: '10.0.0.0/8', vpcId: vpcs['10.2.0.0/24'] },
    });
    expect(result.snapshot.Subnets).toHaveLength(2);
  });

  it('creates a stack’s resources only after its upstream updates finished, and runs stacks side by side', () => {
    const at = (line: string) => log.indexOf(line);
    for (const name of ['leaf-1', 'leaf-2']) {
      expect(at(`create ${name} update`)).toBeGreaterThan(at('stack-done hub update'));
      expect(at(`create ${name} update`)).toBeGreaterThan(at('stack-done mid update'));
    }
    const starts = events.filter((e) => e.kind === 'stack-start' && e.mode === 'update');
    const firstDone = events.findIndex((e) => e.kind === 'stack-done');
    expect(starts.length).toBe(4);
    expect(events.indexOf(starts[3]!)).toBeLessThan(firstDone);
  });

  it('previews every stack against its upstream outputs, its own new resources unknown', () => {
    const previews = result.runs.filter((r) => r.mode === 'preview');
    expect(previews.map((r) => r.project).sort()).toEqual(['hub', 'leaf-1', 'leaf-2', 'mid']);
    expect(previews.find((r) => r.project === 'leaf-1')!.outputs).toEqual({
      supernet: '10.0.0.0/8',
      vpcId: UNKNOWN,
    });
    // previews create nothing: one VPC per stack that creates one
    expect(result.snapshot.Vpcs).toHaveLength(3);
  });
});

describe('order and failures', () => {
  it('does not deadlock when a stack waits for one without a slot yet (pool of one, downstream first)', async () => {
    const r = await runEnvironment([...specs].reverse(), { parallelism: 1 });
    expect(Object.keys(r.outputs).sort()).toEqual(['hub', 'leaf-1', 'leaf-2', 'mid']);
  }, 300_000);

  it('names a StackReference cycle', async () => {
    const a = repo.js('cycle-a', program(`  return { b: await ${ref('cycle-b')}.getOutputValue('x') };`));
    const b = repo.js('cycle-b', program(`  return { x: await ${ref('cycle-a')}.getOutputValue('b') };`));
    await expect(runEnvironment([a, b].map((d) => repo.spec(d)))).rejects.toThrow(
      /StackReference cycle: cycle-(a|b) -> cycle-(a|b) -> cycle-(a|b)/,
    );
  }, 300_000);

  it('fails naming the upstream stack that failed, and stops the stacks waiting for it', async () => {
    const broken = repo.js('hub-broken', program(`  throw new Error('no supernet configured');`));
    const waiting = repo.js(
      'waits',
      program(`  return { s: await ${ref('hub-broken')}.getOutputValue('supernet') };`),
    );
    const cloud = new MockCloud();
    const error = await runEnvironment(
      [broken, waiting].map((d) => repo.spec(d)),
      { cloud },
    ).catch((e) => e);
    expect(error.name).toBe('StackRunError');
    expect(error.message).toContain('stack hub-broken/dev failed in update');
    expect(error.message).toContain('no supernet configured');
    expect(error.message).not.toContain('stack waits/dev failed');
  }, 300_000);
});
