/**
 * One stack program through `@pulumi/pulumi`'s own language-host entry (`cmd/run`) in its own
 * process, against the engine stand-in and a mock cloud account: update, preview (unknowns), and
 * every fault the run must name (a throwing program, an unknown resource type, a failed
 * registration, a duplicate URN, a compile error), each leaving no process or port behind.
 */
import { readFileSync } from 'node:fs';
import { MockCloud } from '@hubspoke/mock-cloud';
import { InterruptedError, runStack, type StackRun, type StackRunOptions } from '../src';
import { SECRET_SIG, SIG_KEY, UNKNOWN } from '../src/wire';
import { FixtureRepo, portClosed, processGone } from './fixtures';

const repo = new FixtureRepo();
afterAll(() => repo.remove());
const ATTEMPTS_FILE = repo.write('features-attempts.txt', '');

const NET_PROGRAM = `import * as pulumi from '@pulumi/pulumi';

/** A resource of any provider type, without loading that provider's SDK (and its types). */
class Raw extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

class Net extends pulumi.ComponentResource {
  readonly vpc: Raw;
  constructor(name: string, cidr: string, opts?: pulumi.ComponentResourceOptions) {
    super('fixture:index:Net', name, {}, opts);
    this.vpc = new Raw('aws:ec2/vpc:Vpc', name, { cidrBlock: cidr }, { parent: this });
    new Raw(
      'aws:ec2/subnet:Subnet',
      \`\${name}-a\`,
      { vpcId: this.vpc.id, cidrBlock: cidr, availabilityZone: 'us-east-1a' },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

export = async () => {
  const cfg = new pulumi.Config();
  const net = new Net('net', cfg.require('cidr'));
  // Throws on anything but a real id: a preview survives it only because an apply skips unknowns.
  const vpcId = net.vpc.id.apply((id) => {
    if (!id.startsWith('vpc-')) throw new Error(\`not a VPC id: \${id}\`);
    return id;
  });
  const token = 'aws:index/getAvailabilityZones:getAvailabilityZones';
  // Known arguments, but it depends on a resource being created: unknown in a preview.
  const zones = pulumi.runtime.invokeOutput<{ names: string[] }>(token, {}, { dependsOn: [net.vpc] });
  // Known arguments and no dependency: answered from the account in both modes.
  const region = pulumi.runtime.invokeOutput<{ region: string }>(token, {});
  return { vpcId, zones: zones.apply((z) => z.names), region: region.apply((r) => r.region), cidr: cfg.require('cidr') };
};
`;

const ERROR_CAUSE_PROGRAM = `export = async () => ({ message: new Error('outer', { cause: 'inner' }).message });\n`;

/** Transforms, hooks and a version requirement, as a program may use them. */
const LIFECYCLE_PROGRAM = `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  await pulumi.runtime.requirePulumiVersion('>=3.0.0 <4.0.0');
  pulumi.runtime.registerStackTransform(({ type, props, opts }) =>
    type === 'aws:ec2/vpc:Vpc' ? { props: { ...props, tags: { stamped: 'by-transform' } }, opts } : undefined,
  );
  const seen = [];
  const record = new pulumi.ResourceHook('record', (args) => {
    seen.push(args.name + (args.newOutputs ? ':after' : ':before'));
  });
  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' }, {
    hooks: { beforeCreate: [record], afterCreate: [record] },
  });
  return { seen: vpc.id.apply(() => seen.slice()) };
};
`;

/** Invoke transforms and secret outputs, as a program may use them. */
const FEATURES_PROGRAM = `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  // The program asks for a parameter the account does not hold; the transform fixes the name.
  pulumi.runtime.registerInvokeTransform(({ token, args, opts }) =>
    token === 'aws:ssm/getParameter:getParameter'
      ? { args: { ...args, name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }, opts }
      : undefined,
  );
  const ami = pulumi.runtime.invokeOutput('aws:ssm/getParameter:getParameter', { name: '/not/there' });
  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' }, {
    additionalSecretOutputs: ['cidrBlock'],
  });
  return { ami: ami.apply((p) => p.value.startsWith('ami-')), cidr: vpc.cidrBlock };
};
`;

/** A failing create with an error hook asking for two retries: three attempts, then the failure. */
const ERROR_HOOK_PROGRAM = `const fs = require('fs');
const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  const attempts = new pulumi.Config('error-hook').require('attemptsFile');
  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' });
  // A failing create with an error hook asking for two retries: three attempts, then the failure.
  const retry = new pulumi.ErrorHook('retry-twice', () => {
    fs.appendFileSync(attempts, 'x');
    return fs.readFileSync(attempts, 'utf8').length < 3;
  });
  new pulumi.CustomResource('aws:ec2/subnet:Subnet', 'outside', { vpcId: vpc.id, cidrBlock: '10.8.0.0/24', availabilityZone: 'us-east-1a' }, {
    hooks: { onError: [retry] },
  });
  return {};
};
`;

/** Never finishes on its own. */
const HANG_PROGRAM = `module.exports = () => new Promise(() => { setInterval(() => undefined, 1000); });\n`;

interface Outcome {
  run?: StackRun;
  error?: Error;
  pid?: number;
  address?: string;
  cloud: MockCloud;
}

async function attempt(dir: string, options: Partial<StackRunOptions> = {}, config = {}): Promise<Outcome> {
  const cloud = options.cloud ?? new MockCloud();
  const outcome: Outcome = { cloud };
  try {
    outcome.run = await runStack(repo.spec(dir, config), {
      cloud,
      mode: 'update',
      ...options,
      onStarted: ({ pid, address }) => {
        if (pid !== undefined) outcome.pid = pid;
        outcome.address = address;
      },
    });
  } catch (err) {
    outcome.error = err as Error;
  }
  return outcome;
}

/** Runs the fixtures two at a time (each compiles on one core), once for the whole file. */
async function all<T>(tasks: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

const outcomes: Record<string, Outcome> = {};

beforeAll(async () => {
  const net = repo.ts('net', NET_PROGRAM);
  const cases: Record<string, () => Promise<Outcome>> = {
    update: () => attempt(net, {}, { 'net:cidr': '10.9.0.0/24' }),
    preview: () => attempt(net, { mode: 'preview' }, { 'net:cidr': '10.9.0.0/24' }),
    throws: () =>
      attempt(
        repo.js('throws', `module.exports = async () => { throw new Error('the spoke has no cidr'); };\n`),
      ),
    unknownType: () =>
      attempt(
        repo.js(
          'unknown-type',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => { new pulumi.CustomResource('aws:s3/bucket:Bucket', 'logs', {}); return {}; };\n`,
        ),
      ),
    failedRegistration: () =>
      attempt(
        repo.js(
          'failed-registration',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' });
  new pulumi.CustomResource('aws:ec2/subnet:Subnet', 'outside', { vpcId: vpc.id, cidrBlock: '10.8.0.0/24', availabilityZone: 'us-east-1a' });
  return {};
};\n`,
        ),
      ),
    duplicate: () =>
      attempt(
        repo.js(
          'duplicate',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' });
  new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.10.0.0/24' });
  return {};
};\n`,
        ),
      ),
    compileError: () =>
      attempt(repo.ts('compile-error', `const port: number = 'eighty';\nexport = async () => ({ port });\n`)),
    // What Pulumi's loader does without a tsconfig.json: its own defaults (no ES2022 library).
    noTsconfig: () => attempt(repo.ts('no-tsconfig', ERROR_CAUSE_PROGRAM, { tsconfig: false })),
    withTsconfig: () => attempt(repo.ts('with-tsconfig', ERROR_CAUSE_PROGRAM)),
    lifecycle: () => attempt(repo.js('lifecycle', LIFECYCLE_PROGRAM)),
    vetoHook: () =>
      attempt(
        repo.js(
          'veto-hook',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  const veto = new pulumi.ResourceHook('veto', () => { throw new Error('no VPCs on Fridays'); });
  new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'vetoed', { cidrBlock: '10.9.0.0/24' }, { hooks: { beforeCreate: [veto] } });
  return {};
};\n`,
        ),
      ),
    version: () =>
      attempt(
        repo.js(
          'version',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => { await pulumi.runtime.requirePulumiVersion('>=99.0.0'); return {}; };\n`,
        ),
      ),
    observed: () =>
      attempt(
        repo.js(
          'observed',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  const vpc = new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' });
  new pulumi.CustomResource('aws:ec2/subnet:Subnet', 'a', { vpcId: vpc.id, cidrBlock: '10.9.0.0/25', availabilityZone: 'us-east-1a' });
  return {};
};\n`,
        ),
        {
          observers: [
            {
              beforeCreate: (r) =>
                r.type === 'aws:ec2/subnet:Subnet' ? [`subnet ${r.name} is not allowed here`] : [],
            },
          ],
        },
      ),
    reviewed: () =>
      attempt(
        repo.js(
          'reviewed',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => { new pulumi.CustomResource('aws:ec2/vpc:Vpc', 'main', { cidrBlock: '10.9.0.0/24' }); return {}; };\n`,
        ),
        {
          observers: [
            {
              afterRun: (resources) => [
                `${resources.filter((r) => r.custom).length} custom resource(s), want none`,
              ],
            },
          ],
        },
      ),
    timeout: () => attempt(repo.js('slow', HANG_PROGRAM), { timeoutMs: 1500 }),
    features: () => attempt(repo.js('features', FEATURES_PROGRAM)),
    errorHook: () =>
      attempt(repo.js('error-hook', ERROR_HOOK_PROGRAM), {}, { 'error-hook:attemptsFile': ATTEMPTS_FILE }),
    call: () =>
      attempt(
        repo.js(
          'call',
          `const pulumi = require('@pulumi/pulumi');
module.exports = async () => ({ subnets: await pulumi.runtime.call('awsx:ec2:Vpc/getSubnets', {}).promise() });\n`,
        ),
      ),
  };
  const names = Object.keys(cases);
  const results = await all(names.map((n) => cases[n]!));
  names.forEach((n, i) => (outcomes[n] = results[i]!));
}, 600_000);

describe('update', () => {
  it('creates the resources in the account and returns the stack outputs', () => {
    const { run, error, cloud } = outcomes.update!;
    expect(error).toBeUndefined();
    const snapshot = cloud.toSnapshot();
    expect(snapshot.Vpcs).toHaveLength(1);
    expect(snapshot.Subnets).toHaveLength(1);
    expect(run!.outputs).toEqual({
      vpcId: snapshot.Vpcs![0]!.VpcId,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
      region: 'us-east-1',
      cidr: '10.9.0.0/24',
    });
  });

  it('registers URNs as the engine builds them, children qualified by their component', () => {
    const urns = outcomes.update!.run!.resources.map((r) => r.urn);
    expect(urns).toEqual(
      expect.arrayContaining([
        'urn:pulumi:dev::net::pulumi:pulumi:Stack::net-dev',
        'urn:pulumi:dev::net::fixture:index:Net::net',
        'urn:pulumi:dev::net::fixture:index:Net$aws:ec2/vpc:Vpc::net',
        'urn:pulumi:dev::net::fixture:index:Net$aws:ec2/subnet:Subnet::net-a',
      ]),
    );
  });
});

describe('preview (dry run on an empty stack)', () => {
  it('answers resources being created with unknown ids and outputs, and creates nothing', () => {
    const { run, error, cloud } = outcomes.preview!;
    expect(error).toBeUndefined();
    expect(run!.mode).toBe('preview');
    expect(run!.outputs).toEqual({
      vpcId: UNKNOWN,
      zones: UNKNOWN,
      region: 'us-east-1',
      cidr: '10.9.0.0/24',
    });
    expect(cloud.toSnapshot().Vpcs).toEqual([]);
    const vpc = run!.resources.find((r) => r.type === 'aws:ec2/vpc:Vpc')!;
    expect(vpc.id).toBe('');
  });
});

describe('faults: named, and nothing left behind', () => {
  const expectFailure = async (name: string, ...fragments: (string | RegExp)[]) => {
    const { error, pid, address } = outcomes[name]!;
    expect(error?.name).toBe('StackRunError');
    for (const f of fragments) expect(error!.message).toMatch(f);
    expect(processGone(pid)).toBe(true);
    expect(await portClosed(address!)).toBe(true);
  };

  it('a program that throws: the project, the mode, the message and the file', async () => {
    await expectFailure(
      'throws',
      'stack throws/dev failed in update',
      'the spoke has no cidr',
      /throws\/index\.js/,
    );
  });

  it('an unknown resource type: the type and the resource', async () => {
    await expectFailure(
      'unknownType',
      'stack unknown-type/dev failed in update',
      "resource type 'aws:s3/bucket:Bucket' is not emulated by the mock cloud (resource 'logs')",
    );
  });

  it('a failed registration: the resource and the AWS error', async () => {
    await expectFailure(
      'failedRegistration',
      "aws:ec2/subnet:Subnet 'outside' (failed-registration/dev): InvalidSubnet.Range: The CIDR '10.8.0.0/24' is invalid",
    );
  });

  it('a duplicate resource: the engine message with the URN', async () => {
    await expectFailure(
      'duplicate',
      "Duplicate resource URN 'urn:pulumi:dev::duplicate::aws:ec2/vpc:Vpc::main'; try giving it a unique name",
    );
  });

  it('a compile error: the file, line and TypeScript error', async () => {
    await expectFailure(
      'compileError',
      'stack compile-error/dev failed in update',
      /index\.ts\(1,7\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  });
});

describe("what Pulumi's TypeScript loader needs", () => {
  it('fails without a tsconfig.json: its defaults lack the ES2022 library (new Error(message, { cause }))', async () => {
    const { error } = outcomes.noTsconfig!;
    expect(error?.message).toMatch(/index\.ts\(1,\d+\): error TS2554: Expected 0-1 arguments, but got 2/);
  });

  it('loads with a tsconfig.json extending the repo settings', () => {
    expect(outcomes.withTsconfig!.error).toBeUndefined();
    expect(outcomes.withTsconfig!.run!.outputs).toEqual({ message: 'outer' });
  });
});

describe('program callbacks and engine services', () => {
  it('applies stack transforms and runs before/after-create hooks', () => {
    const { run, error, cloud } = outcomes.lifecycle!;
    expect(error).toBeUndefined();
    expect(run!.outputs).toEqual({ seen: ['main:before', 'main:after'] });
    expect(cloud.toSnapshot().Vpcs![0]!.Tags).toContainEqual({ Key: 'stamped', Value: 'by-transform' });
  });

  it('fails the create when a before-create hook fails, naming the hook', async () => {
    expect(outcomes.vetoHook!.error?.message).toContain(
      "before-create hook 'veto' failed: no VPCs on Fridays",
    );
    expect(outcomes.vetoHook!.cloud.toSnapshot().Vpcs).toEqual([]);
  });

  it('answers requirePulumiVersion as the CLI of the SDK version', () => {
    expect(outcomes.version!.error?.message).toMatch(
      /Pulumi CLI version 3\.\d+\.\d+ does not satisfy the version range ">=99\.0\.0"/,
    );
  });

  it('lets an observer (the seam of a policy pack) refuse a resource and review the run', () => {
    const { error, cloud } = outcomes.observed!;
    expect(error?.message).toContain('subnet a is not allowed here');
    expect(cloud.toSnapshot().Subnets).toEqual([]);
    expect(outcomes.reviewed!.error?.message).toContain('1 custom resource(s), want none');
  });
});

describe('more of what a program may call', () => {
  it('applies invoke transforms and returns additional secret outputs as secrets', () => {
    const { run, error } = outcomes.features!;
    expect(error).toBeUndefined();
    expect(run!.outputs).toEqual({ ami: true, cidr: { [SIG_KEY]: SECRET_SIG, value: '10.9.0.0/24' } });
  });

  it('asks error hooks whether to retry a failed create, and fails after the last attempt', () => {
    const { error } = outcomes.errorHook!;
    expect(error?.message).toContain("aws:ec2/subnet:Subnet 'outside' (error-hook/dev): InvalidSubnet.Range");
    expect(readFileSync(ATTEMPTS_FILE, 'utf8')).toBe('xxx');
  });

  it('a method call the account does not serve: named as the engine words it', () => {
    expect(outcomes.call!.error?.message).toMatch(
      /invocation of awsx:ec2:Vpc\/getSubnets returned an error: .*invoke 'awsx:ec2:Vpc\/getSubnets' is not emulated by the mock cloud/,
    );
  });
});

describe('stopping a program', () => {
  it('stops a program that does not finish in time, and says so', async () => {
    const { error, pid, address } = outcomes.timeout!;
    expect(error?.message).toContain('stack slow/dev failed in update');
    expect(error?.message).toContain('the program did not finish in time and was stopped');
    expect(processGone(pid)).toBe(true);
    expect(await portClosed(address!)).toBe(true);
  });

  it('on an abort signal (Ctrl-C), stops the program and closes the port', async () => {
    const abort = new AbortController();
    const dir = repo.js('hang', HANG_PROGRAM);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const cloud = new MockCloud();
    let info: { pid: number | undefined; address: string } | undefined;
    const run = runStack(repo.spec(dir), {
      cloud,
      mode: 'update',
      signal: abort.signal,
      onStarted: (i) => {
        info = i;
        started();
      },
    });
    await running;
    abort.abort();
    await expect(run).rejects.toThrow(InterruptedError);
    expect(processGone(info!.pid)).toBe(true);
    expect(await portClosed(info!.address)).toBe(true);
  }, 60_000);

  it('a program stopped by SIGINT itself (a terminal Ctrl-C reaching it first) is an interruption too', async () => {
    const dir = repo.js('hang-sigint', HANG_PROGRAM);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let info: { pid: number | undefined; address: string } | undefined;
    const run = runStack(repo.spec(dir), {
      cloud: new MockCloud(),
      mode: 'update',
      onStarted: (i) => {
        info = i;
        started();
      },
    });
    await running;
    process.kill(info!.pid!, 'SIGINT');
    await expect(run).rejects.toThrow(InterruptedError);
    expect(await portClosed(info!.address)).toBe(true);
  }, 60_000);
});
