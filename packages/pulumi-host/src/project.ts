/**
 * What `Pulumi.yaml` tells the CLI about running a Node.js program: `runtime` (name and options
 * `typescript`, `tsconfig`, `nodeargs`) and `main`. The working directory and entry point follow
 * the CLI's `getPwdMain`: no `main` -> the project directory and `.`; a directory -> that
 * directory and `.`; a file -> its directory and its name. Option defaults and checks follow
 * `parseOptions` of `pulumi-language-nodejs` (`typescript` defaults to true).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import YAML from 'yaml';
import { PulumiHostError } from './errors';

export interface ProjectRuntime {
  /** Directory holding Pulumi.yaml. */
  projectDir: string;
  /** Working directory of the program (`--pwd`). */
  programDir: string;
  /** Entry point relative to `programDir` (`.` = the package's main / index). */
  entryPoint: string;
  typescript: boolean;
  /** `runtime.options.tsconfig`, handed over as PULUMI_NODEJS_TSCONFIG_PATH. */
  tsconfig?: string;
  /** `runtime.options.nodeargs`, split like a shell would. */
  nodeargs: string[];
}

function optionType(file: string, key: string, value: unknown, type: 'boolean' | 'string'): void {
  if (typeof value !== type)
    throw new PulumiHostError(
      `${file}: runtime.options.${key} must be a ${type}, got ${JSON.stringify(value)}`,
    );
}

/** Splits `nodeargs` as github.com/google/shlex does for the CLI: whitespace, quotes and backslashes. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in "${text}"`);
  if (started) out.push(current);
  return out;
}

export function readProjectRuntime(projectDir: string): ProjectRuntime {
  const file = join(projectDir, 'Pulumi.yaml');
  let doc: { runtime?: unknown; main?: unknown } | null;
  try {
    doc = YAML.parse(readFileSync(file, 'utf8')) as typeof doc;
  } catch (err) {
    throw new PulumiHostError(`${file}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const runtime = doc?.runtime;
  const name = typeof runtime === 'string' ? runtime : (runtime as { name?: unknown } | undefined)?.name;
  if (name !== 'nodejs')
    throw new PulumiHostError(
      `${file}: runtime ${JSON.stringify(name)} is not supported here; the Pulumi language host stand-in runs nodejs programs`,
    );
  const options = (
    typeof runtime === 'object' && runtime !== null ? (runtime as { options?: unknown }).options : undefined
  ) as Record<string, unknown> | undefined;
  let typescript = true;
  let tsconfig: string | undefined;
  let nodeargs: string[] = [];
  if (options?.typescript !== undefined) {
    optionType(file, 'typescript', options.typescript, 'boolean');
    typescript = options.typescript as boolean;
  }
  if (options?.tsconfig !== undefined) {
    optionType(file, 'tsconfig', options.tsconfig, 'string');
    tsconfig = options.tsconfig as string;
  }
  if (options?.nodeargs !== undefined) {
    optionType(file, 'nodeargs', options.nodeargs, 'string');
    try {
      nodeargs = splitArgs(options.nodeargs as string);
    } catch (err) {
      throw new PulumiHostError(`${file}: runtime.options.nodeargs: ${(err as Error).message}`);
    }
  }

  let programDir = projectDir;
  let entryPoint = '.';
  if (doc?.main !== undefined) {
    if (typeof doc.main !== 'string' || doc.main === '')
      throw new PulumiHostError(`${file}: main must be a path, got ${JSON.stringify(doc.main)}`);
    const main = isAbsolute(doc.main) ? doc.main : resolve(projectDir, doc.main);
    if (!existsSync(main))
      throw new PulumiHostError(`${file}: project 'main' could not be read: ${main} does not exist`);
    if (statSync(main).isDirectory()) programDir = main;
    else {
      programDir = dirname(main);
      entryPoint = basename(main);
    }
  }
  return { projectDir, programDir, entryPoint, typescript, ...(tsconfig ? { tsconfig } : {}), nodeargs };
}
