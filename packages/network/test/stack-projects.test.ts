import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../src/stack-projects';

describe('findRepoRoot', () => {
  it('is the nearest directory above the start that holds apps/tgw/Pulumi.yaml', () => {
    const repo = mkdtempSync(join(tmpdir(), 'hubspoke-root-'));
    mkdirSync(join(repo, 'apps/tgw'), { recursive: true });
    mkdirSync(join(repo, 'packages/x/src'), { recursive: true });
    writeFileSync(join(repo, 'apps/tgw/Pulumi.yaml'), 'name: tgw\nruntime: nodejs\n');
    expect(findRepoRoot(join(repo, 'packages/x/src'))).toBe(repo);
    expect(findRepoRoot(repo)).toBe(repo);
    expect(findRepoRoot(__dirname)).toBe(join(__dirname, '..', '..', '..'));
  });

  it('names what it looked for when no parent has it', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'hubspoke-no-root-'));
    expect(() => findRepoRoot(elsewhere)).toThrow(
      `cannot find the hubspoke repo (apps/tgw/Pulumi.yaml) in ${elsewhere} or any parent directory`,
    );
  });
});
