import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironment, ProgressEvent, runStacks } from '../src';

/** Writes a tiny repo with apps/tgw, apps/inspection and apps/spokes/spoke-a programs. */
function fakeRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mock-cloud-runner-'));
  // The programs live outside the workspace, so they load @pulumi/* by resolved path.
  const pulumiPath = JSON.stringify(require.resolve('@pulumi/pulumi'));
  const awsPath = JSON.stringify(require.resolve('@pulumi/aws'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('apps/tgw/Pulumi.yaml', 'name: tgw\nruntime: nodejs\n');
  write(
    'apps/tgw/Pulumi.dev.yaml',
    'config:\n  aws:region: us-east-1\n  tgw:supernet: 10.0.0.0/8\n  tgw:blackholes:\n    - 192.168.0.0/16\n  asn: 64512\n',
  );
  write(
    'apps/tgw/index.ts',
    `import * as pulumi from ${pulumiPath};
import * as aws from ${awsPath};
export = async () => {
  const cfg = new pulumi.Config('tgw');
  const tgw = new aws.ec2transitgateway.TransitGateway('tgw', { amazonSideAsn: cfg.requireNumber('asn') });
  return { transitGatewayId: tgw.id, supernetCidr: cfg.require('supernet'), blackholeCidrs: cfg.requireObject<string[]>('blackholes') };
};
`,
  );
  write(
    'apps/inspection/Pulumi.yaml',
    'name: inspection\nruntime: nodejs\nconfig:\n  inspection:mode:\n    default: strict\n',
  );
  write('apps/inspection/Pulumi.dev.yaml', 'config:\n  aws:region: us-east-1\n');
  write(
    'apps/inspection/index.ts',
    `import * as pulumi from ${pulumiPath};
export = async () => {
  const hub = new pulumi.StackReference(\`\${pulumi.getOrganization()}/tgw/\${pulumi.getStack()}\`);
  return { seenTgw: hub.requireOutput('transitGatewayId'), mode: new pulumi.Config('inspection').require('mode') };
};
`,
  );
  write('apps/spokes/spoke-a/Pulumi.yaml', 'name: spoke-a\nruntime: nodejs\n');
  write(
    'apps/spokes/spoke-a/Pulumi.dev.yaml',
    'config:\n  aws:region: us-east-1\n  spoke-a:vpc:\n    cidr: 10.1.0.0/24\n    probe: true\n',
  );
  write(
    'apps/spokes/spoke-a/index.ts',
    `import * as pulumi from ${pulumiPath};
export = async () => {
  const hub = new pulumi.StackReference(\`\${pulumi.getOrganization()}/tgw/\${pulumi.getStack()}\`);
  const vpc = new pulumi.Config().requireObject<{ cidr: string; probe: boolean }>('vpc');
  return { tgw: hub.requireOutput('transitGatewayId'), blackholes: hub.requireOutput('blackholeCidrs'), vpc };
};
`,
  );
  write('apps/spokes/README.md', 'not a project\n');
  return root;
}

describe('runner', () => {
  let root: string;
  beforeAll(() => {
    root = fakeRepo();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('loads tgw, inspection, then the spokes, with namespaced config', () => {
    const specs = loadEnvironment(root, 'dev');
    expect(specs.map((s) => s.project)).toEqual(['tgw', 'inspection', 'spoke-a']);
    expect(specs[0]).toEqual({
      project: 'tgw',
      stack: 'dev',
      programPath: path.join(root, 'apps/tgw/index.ts'),
      projectDir: path.join(root, 'apps/tgw'),
      config: {
        'aws:region': 'us-east-1',
        'tgw:supernet': '10.0.0.0/8',
        'tgw:blackholes': ['192.168.0.0/16'],
        'tgw:asn': 64512,
      },
    });
    // project-level defaults from Pulumi.yaml
    expect(specs[1].config['inspection:mode']).toBe('strict');
  });

  it('names the missing Pulumi.<env>.yaml', () => {
    expect(() => loadEnvironment(root, 'prod')).toThrow(
      `missing ${path.join(root, 'apps/tgw/Pulumi.prod.yaml')}`,
    );
  });

  it('runs the programs in order, wiring StackReferences, and reports progress per stack', async () => {
    const events: ProgressEvent[] = [];
    const limit = Error.stackTraceLimit;
    const result = await runStacks(loadEnvironment(root, 'dev'), { onProgress: (e) => events.push(e) });
    // stack traces are switched off for speed during the run only
    expect(Error.stackTraceLimit).toBe(limit);
    const tgwId = result.outputs.tgw.transitGatewayId;
    expect(tgwId).toMatch(/^tgw-[0-9a-f]{17}$/);
    expect(result.outputs.tgw.blackholeCidrs).toEqual(['192.168.0.0/16']);
    expect(result.outputs.inspection).toEqual({ seenTgw: tgwId, mode: 'strict' });
    expect(result.outputs['spoke-a']).toEqual({
      tgw: tgwId,
      blackholes: ['192.168.0.0/16'],
      vpc: { cidr: '10.1.0.0/24', probe: true },
    });
    expect(result.snapshot.TransitGateways![0].Options!.AmazonSideAsn).toBe(64512);
    expect(events.map((e) => `${e.kind}:${e.project}`)).toEqual([
      'stack-start:tgw',
      'stack-done:tgw',
      'stack-start:inspection',
      'stack-done:inspection',
      'stack-start:spoke-a',
      'stack-done:spoke-a',
    ]);
    const done = events.filter(
      (e): e is Extract<ProgressEvent, { kind: 'stack-done' }> => e.kind === 'stack-done',
    );
    expect(done.every((e) => e.elapsedMs >= 0 && e.total === 3)).toBe(true);
    expect(done[0].resources).toBe(1);
  });

  it('fails naming the project whose program throws', async () => {
    const specs = loadEnvironment(root, 'dev');
    const broken = path.join(root, 'apps/spokes/spoke-a/broken.ts');
    fs.writeFileSync(broken, "export = async () => { throw new Error('no vpc config'); };\n");
    const events: ProgressEvent[] = [];
    await expect(
      runStacks([specs[0], { ...specs[2], programPath: broken }], { onProgress: (e) => events.push(e) }),
    ).rejects.toThrow('stack spoke-a/dev failed under the mock cloud:\n - no vpc config');
    expect(events.at(-1)).toMatchObject({
      kind: 'stack-failed',
      project: 'spoke-a',
      error: expect.stringContaining('no vpc config'),
    });
  });

  it('leaves no leaked-promise candidates behind a failed stack (they would set exit code 1)', async () => {
    const specs = loadEnvironment(root, 'dev');
    await expect(runStacks([specs[2]])).rejects.toThrow();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require('@pulumi/pulumi/runtime/state') as { getStore(): { leakCandidates: Set<unknown> } };
    expect(state.getStore().leakCandidates.size).toBe(0);
  });

  it('turns a rejection Pulumi leaves unobserved into a stack failure, not a crash', () => {
    // A separate process: Jest itself fails any test that sees an unhandled rejection.
    const tsx = require.resolve('tsx/cli');
    const out = execFileSync(process.execPath, [tsx, path.join(__dirname, 'fixtures/apply-throws.ts')], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(
      'RESULT: stack spoke-x/dev failed under the mock cloud:  - error serializing property "name": bad input in apply',
    );
  });

  it('fails a downstream stack whose upstream did not run, naming the stack', async () => {
    const specs = loadEnvironment(root, 'dev');
    await expect(runStacks([specs[2]])).rejects.toThrow('unknown stack "organization/tgw/dev"');
  });
});
