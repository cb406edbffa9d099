/** Starting a pack fails with a message that says why, and never leaves a process behind. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startPolicyPack } from '../src/pack-process';

const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('startPolicyPack', () => {
  it('refuses a directory that is not a policy pack', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'not-a-pack-'));
    await expect(startPolicyPack(dir)).rejects.toThrow(`${dir} is not a policy pack: no PulumiPolicy.yaml`);
  });

  it('reports a pack that does not compile with the compiler output', async () => {
    fs.mkdirSync(path.join(REPO_ROOT, 'reports'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'reports', '.broken-pack-'));
    try {
      fs.writeFileSync(path.join(dir, 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
      fs.writeFileSync(
        path.join(dir, 'package.json'),
        '{ "name": "broken", "version": "0.0.1", "main": "index.ts" }\n',
      );
      fs.writeFileSync(path.join(dir, 'index.ts'), "const n: number = 'not a number';\nexport = n;\n");
      await expect(startPolicyPack(dir)).rejects.toThrow(/exited before serving[\s\S]*TS2322/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
