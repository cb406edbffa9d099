/**
 * Throwaway Pulumi projects for the stand-in's tests: a temporary directory whose `node_modules`
 * links to the repo's, so a program resolves `@pulumi/pulumi` (and its `cmd/run`) as it would in
 * the repo, and each project a Pulumi.yaml and a program.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { StackSpec } from '@hubspoke/mock-cloud';

const REPO_ROOT = resolve(__dirname, '../../..');

export class FixtureRepo {
  readonly root = mkdtempSync(join(tmpdir(), 'pulumi-host-'));

  constructor() {
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(this.root, 'node_modules'), 'dir');
  }

  write(rel: string, text: string): string {
    const file = join(this.root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  /** A JavaScript project (no compiler), as `typescript: false` runs it. */
  js(name: string, program: string): string {
    this.write(
      `${name}/Pulumi.yaml`,
      `name: ${name}\nmain: index.js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
    );
    this.write(`${name}/index.js`, program);
    return join(this.root, name);
  }

  /** A TypeScript project; `tsconfig` false leaves tsconfig.json out. */
  ts(name: string, program: string, options: { tsconfig?: boolean } = {}): string {
    this.write(
      `${name}/Pulumi.yaml`,
      `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    this.write(`${name}/index.ts`, program);
    if (options.tsconfig !== false)
      this.write(
        `${name}/tsconfig.json`,
        JSON.stringify({
          extends: join(REPO_ROOT, 'tsconfig.base.json'),
          compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node10' },
        }),
      );
    return join(this.root, name);
  }

  spec(dir: string, config: Record<string, unknown> = {}, stack = 'dev'): StackSpec {
    const project = dir.split('/').pop()!;
    return {
      project,
      stack,
      programPath: join(dir, 'index.ts'),
      projectDir: dir,
      config: { 'aws:region': 'us-east-1', ...config },
    };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** True when no process has this pid any more. */
export function processGone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** True when nothing listens on the loopback port any more. */
export function portClosed(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
