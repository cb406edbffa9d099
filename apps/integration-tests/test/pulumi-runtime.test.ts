/**
 * The stack programs run the way `pulumi preview` / `pulumi up` runs them: every environment of
 * the repo, through `@pulumi/pulumi`'s language-host entry with the TypeScript settings Pulumi's
 * loader computes (type-checking on), in update and in preview mode, must load, survive a
 * preview's unknowns and give the same snapshot and results as the in-process runtime. A faulty
 * program exits 2 naming the project and the error; Ctrl-C exits 130 with no program or port left.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, runStacks } from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { main } from '../src/cli';
import type { CliIo } from '../src/io';
import {
  allProjects,
  configuredEnvs,
  discoverStackProjects,
  findRepoRoot,
} from '@hubspoke/network/src/stack-projects';
import { writeFixtureRepo } from './support/pulumi-fixture';

const ROOT = findRepoRoot(__dirname);
const work = mkdtempSync(join(tmpdir(), 'hubspoke-pulumi-runtime-'));
const PROJECTS = allProjects(discoverStackProjects(ROOT));
/** Every environment of the repo: a Pulumi.<env>.yaml of the tgw project. */
const ENVS = configuredEnvs(join(ROOT, 'apps/tgw')).sort();

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
