/** Finds every case module under `cases/` (one case per file, exported as `default`). */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ConformanceCase } from './types';

export const CASES_DIR = join(__dirname, '..', 'cases');

export function loadCases(dir: string = CASES_DIR): ConformanceCase[] {
  const files = walk(dir).filter((f) => f.endsWith('.ts'));
  return files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { default?: ConformanceCase };
    const c = mod.default;
    const expectedId = relative(dir, file).replace(/\.ts$/, '');
    if (!c) throw new Error(`${file}: no default export (a ConformanceCase)`);
    if (c.id !== expectedId) throw new Error(`${file}: id "${c.id}" does not match its path "${expectedId}"`);
    if (c.sources.length === 0) throw new Error(`${c.id}: names no source document`);
    if (!c.checks && !c.traces?.length) throw new Error(`${c.id}: expects nothing`);
    return c;
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}
