/**
 * The stack programs run the way `pulumi preview` / `pulumi up` runs them: every environment of
 * the repo, through `@pulumi/pulumi`'s language-host entry with the TypeScript settings Pulumi's
 * loader computes (type-checking on), in update and in preview mode, must load, survive a
 * preview's unknowns and give the same snapshot and results as the in-process runtime, the policy
 * checks included; a program changed to break a policy fails the same policy checks, naming the
 * same resources, on both runtimes, and the previews alone find it too. A faulty program exits 2
 * naming the project and the error; Ctrl-C exits 130 with no program or port left.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, runStacks } from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { changeRegistrations, type RegistrationChange } from '@hubspoke/network/testing/program-change';
import { analyzeStacks, defaultPackDir, policyChecks } from '@hubspoke/policy-host';
import { main } from '../src/cli';
import { snapshotFromMockCloud, snapshotFromPulumiHost, type EnvSnapshot } from '../src/env-snapshot';
import type { CliIo } from '../src/io';
import {
  allProjects,
  configuredEnvs,
  discoverStackProjects,
  findRepoRoot,
} from '@hubspoke/network/src/stack-projects';
import { writeFixtureRepo } from './support/pulumi-fixture';
import { unknownValue } from '@pulumi/pulumi/runtime/rpc';

const ROOT = findRepoRoot(__dirname);
const work = mkdtempSync(join(tmpdir(), 'hubspoke-pulumi-runtime-'));
const PROJECTS = allProjects(discoverStackProjects(ROOT));
/** Every environment of the repo: a Pulumi.<env>.yaml of the tgw project. */
const ENVS = configuredEnvs(join(ROOT, 'apps/tgw')).sort();

interface CheckJson {
  id: string;
  status: string;
  failures?: { subject: string; detail: string }[];
}

function resultsOf(outDir: string): CheckJson[] {
  return (JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { checks: CheckJson[] }).checks;
}

/** `id status` of every check, in order: what must not depend on the runtime. */
function verdicts(checks: CheckJson[]): string[] {
  return checks.map((c) => `${c.id} ${c.status}`);
}

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: work, columns: 160 };
}

describe('every Pulumi project has the tsconfig.json Pulumi\u2019s TypeScript loader reads', () => {
  // Pulumi's loader (cmd/run/run.js) takes only the project's own tsconfig.json compilerOptions
  // over its defaults (target ES2020, module nodenext); without the file it compiles with those.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsutils = require('@pulumi/pulumi/tsutils') as {
    loadTypeScriptCompilerOptions(path: string): Record<string, unknown>;
  };
  const base = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions;

  it.each(PROJECTS.map((p) => p.dir))('%s', (dir) => {
    const file = join(ROOT, dir, 'tsconfig.json');
    expect(existsSync(file)).toBe(true);
    const own = tsutils.loadTypeScriptCompilerOptions(file);
    expect({ target: own.target, module: own.module, moduleResolution: own.moduleResolution }).toEqual({
      target: base.target,
      module: base.module,
      moduleResolution: base.moduleResolution,
    });
    expect(readFileSync(file, 'utf8')).toMatch(/"extends": "(\.\.\/)+tsconfig\.base\.json"/);
  });
});

describe.each(ENVS)('env %s through the Pulumi language host (update and preview)', (env) => {
  let code: number;
  let stderr: string;
  let stdout: string;
  let pulumiSnapshot: NetworkSnapshot | undefined;
  let inProcess: NetworkSnapshot;
  let inProcessCode: number;

  beforeAll(async () => {
    const io = capture();
    code = await main(
      ['verify', '--env', env, '--runtime', 'pulumi', '--preview', '--out-dir', join(work, env)],
      io,
      { onSnapshot: (s) => (pulumiSnapshot = s) },
    );
    stderr = io.err.join('');
    stdout = io.out.join('');
    inProcess = (await runStacks(loadEnvironment(ROOT, env))).snapshot;
    inProcessCode = await main(
      ['verify', '--env', env, '--out-dir', join(work, `${env}-in-process`)],
      capture(),
    );
  }, 1_800_000);

  it('loads, compiles and runs every project in both modes', () => {
    for (const { project } of PROJECTS)
      for (const mode of ['update', 'preview'])
        expect({
          project,
          mode,
          line: stderr.match(new RegExp(`\\] ${project} \\(${mode}\\) \\.\\.\\. .*`))?.[0],
        }).toEqual({
          project,
          mode,
          line: expect.not.stringContaining('FAILED'),
        });
  });

  it('passes every check (exit 0)', () => {
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/(\d+)\/\1 checks passed/);
  });

  it('gives the same snapshot as the in-process runtime', () => {
    expect(pulumiSnapshot).toEqual(inProcess);
  });

  it('gives the same checks and verdicts as the in-process runtime, every policy check included', () => {
    const pulumi = resultsOf(join(work, env));
    const own = resultsOf(join(work, `${env}-in-process`));
    expect(inProcessCode).toBe(code);
    expect(verdicts(pulumi)).toEqual(verdicts(own));
    expect(pulumi.filter((c) => c.id.startsWith('policy:')).length).toBeGreaterThanOrEqual(12);
    expect(stderr).toMatch(/policy pack hubspoke-guardrails@0\.1\.0: 12 policies, ready in/);
    expect(stderr).not.toContain('policy checks: not run');
  });
});

/**
 * The change is made in the programs' own processes: a module preloaded into every language host
 * (NODE_OPTIONS, which the engine stand-in passes on like the CLI) applies the same
 * `changeRegistrations` edit the in-process run gets, so both runtimes run the same "edited" program.
 */
function preloadChange(name: string, change: string): string {
  const file = join(work, `${name}.js`);
  writeFileSync(
    file,
    `const resource = require(${JSON.stringify(require.resolve('@pulumi/pulumi/runtime/resource'))});
const original = resource.registerResource;
const change = ${change};
resource.registerResource = (...args) => {
  change(args[2], args[3], args[7]);
  return original(...args);
};
`,
  );
  return file;
}

async function withPreload<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${before ?? ''} --require ${file}`.trim();
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
}

describe("a spoke's probe given a public IP, on both runtimes", () => {
  // JavaScript source, so the preloaded module runs exactly what the in-process run does.
  const source =
    "(type, name, props) => { if (type === 'aws:ec2/instance:Instance' && name === 'spoke-a-probe') props.associatePublicIpAddress = true; }";
  const change = new Function(`return ${source}`)() as RegistrationChange;
  const subject = "'spoke-a-probe' (aws:ec2/instance:Instance, spoke-a/dev)";
  let pulumiRun: EnvSnapshot;
  let pulumi: CheckJson[];
  let own: CheckJson[];

  beforeAll(async () => {
    const preload = preloadChange('probe-public-ip', source);
    pulumiRun = await withPreload(preload, () =>
      snapshotFromPulumiHost(ROOT, 'dev', () => undefined, { preview: true }),
    );
    await main(['verify', '--env', 'dev', '--out-dir', join(work, 'public-ip-pulumi')], capture(), {
      snapshotFromEnv: async () => pulumiRun,
    });
    await main(['verify', '--env', 'dev', '--out-dir', join(work, 'public-ip-in-process')], capture(), {
      snapshotFromEnv: (root, env) =>
        changeRegistrations(change, () => snapshotFromMockCloud(root, env, () => undefined)),
    });
    pulumi = resultsOf(join(work, 'public-ip-pulumi'));
    own = resultsOf(join(work, 'public-ip-in-process'));
  }, 1_800_000);

  it('fails the same policy checks, naming the same resources', () => {
    expect(verdicts(pulumi)).toEqual(verdicts(own));
    const failing = (checks: CheckJson[]) =>
      checks.filter((c) => c.status === 'fail').map((c) => ({ id: c.id, failures: c.failures }));
    expect(failing(pulumi)).toEqual(failing(own));
    expect(failing(pulumi).map((c) => c.id)).toEqual(
      expect.arrayContaining(['policy:spoke-egress-via-tgw', 'policy:instance-hardening']),
    );
    const egress = pulumi.find((c) => c.id === 'policy:spoke-egress-via-tgw')!;
    expect(egress.failures!.map((f) => f.subject)).toEqual([subject]);
  });

  it('the previews alone (dry run, IDs unknown) find it too, and nothing else', async () => {
    const previews = pulumiRun.stacks!.filter((s) => s.dryRun);
    expect(previews.map((s) => s.project).sort()).toEqual(['inspection', 'spoke-a', 'spoke-b', 'tgw']);
    // Nothing created, nothing known: no AWS resource of a preview has an ID yet.
    const ids = previews
      .flatMap((s) => s.resources)
      .filter((r) => r.custom && !r.read && r.type.startsWith('aws:'))
      .map((r) => r.outputs.id);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids)).toEqual(new Set([unknownValue]));
    const { info, analyses } = await analyzeStacks(defaultPackDir(ROOT), previews);
    const failing = policyChecks(info, analyses).filter((c) => c.status === 'fail');
    expect(failing.map((c) => c.id).sort()).toEqual(
      own
        .filter((c) => c.id.startsWith('policy:') && c.status === 'fail')
        .map((c) => c.id)
        .sort(),
    );
    expect(
      failing.find((c) => c.id === 'policy:spoke-egress-via-tgw')!.failures!.map((f) => f.subject),
    ).toEqual([subject]);
  }, 240_000);
});

describe('faults and Ctrl-C through the CLI', () => {
  const fixture = writeFixtureRepo(join(work, 'fixture'));
  symlinkSync(join(ROOT, 'node_modules'), join(fixture, 'node_modules'), 'dir');

  it('a failing program: exit 2, naming the project, the mode and the error', async () => {
    const io = capture();
    const code = await main(
      ['verify', '--env', 'broken', '--runtime', 'pulumi', '--out-dir', join(work, 'b')],
      io,
      {
        repoRoot: fixture,
      },
    );
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(/stack tgw\/broken failed in update under the Pulumi language host/);
    expect(io.err.join('')).toContain('no transit gateway for you');
  }, 120_000);

  it('Ctrl-C: exit 130 after stopping the program; no process or port left behind', async () => {
    const pidFile = join(work, 'hang.json');
    const driver = join(fixture, 'drive-cli.js');
    const child = spawn(
      process.execPath,
      [driver, 'verify', '--env', 'hang', '--runtime', 'pulumi', '--out-dir', join(work, 'h')],
      {
        env: { ...process.env, FIXTURE_ROOT: fixture, HANG_PID_FILE: pidFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    for (let i = 0; i < 600 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(pidFile)).toBe(true);
    const program = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; monitor: string };
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted: the stack programs were stopped');
    expect(() => process.kill(program.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    const [host, port] = program.monitor.split(':');
    const refused = await new Promise<boolean>((r) => {
      const s = connect({ host: host!, port: Number(port) });
      s.once('connect', () => (s.destroy(), r(false)));
      s.once('error', () => r(true));
    });
    expect(refused).toBe(true);
  }, 120_000);
});
