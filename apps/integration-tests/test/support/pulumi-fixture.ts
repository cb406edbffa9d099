/**
 * A tiny repo for the CLI's `--runtime pulumi` fault tests: JavaScript tgw and inspection projects
 * (no compiler, so they start fast) whose tgw program fails (env `broken`) or never finishes and
 * writes its pid and monitor address (env `hang`), and a driver that runs the real CLI `main`
 * against this repo in a process of its own, so a test can send it a real SIGINT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../src/cli.ts');

export function writeFixtureRepo(root: string): string {
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const yaml = (name: string) =>
    `name: ${name}\nmain: index.js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`;
  write('package.json', JSON.stringify({ name: 'fixture', private: true, workspaces: [] }));
  write('apps/tgw/Pulumi.yaml', yaml('tgw'));
  write(
    'apps/tgw/Pulumi.broken.yaml',
    'config:\n  aws:region: us-east-1\n  tgw:fail: no transit gateway for you\n',
  );
  write('apps/tgw/Pulumi.hang.yaml', 'config:\n  aws:region: us-east-1\n  tgw:hang: true\n');
  write(
    'apps/tgw/index.js',
    `const fs = require('fs');
const pulumi = require('@pulumi/pulumi');
module.exports = async () => {
  const cfg = new pulumi.Config('tgw');
  if (cfg.get('fail')) throw new Error(cfg.get('fail'));
  if (cfg.getBoolean('hang')) {
    const monitor = process.env.PULUMI_NODEJS_MONITOR;
    fs.writeFileSync(process.env.HANG_PID_FILE, JSON.stringify({ pid: process.pid, monitor }));
    return new Promise(() => setInterval(() => undefined, 1000));
  }
  return {};
};
`,
  );
  write('apps/inspection/Pulumi.yaml', yaml('inspection'));
  write('apps/inspection/Pulumi.broken.yaml', 'config:\n  aws:region: us-east-1\n');
  write('apps/inspection/Pulumi.hang.yaml', 'config:\n  aws:region: us-east-1\n');
  write('apps/inspection/index.js', 'module.exports = async () => ({});\n');
  write(
    'drive-cli.js',
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});
const { main } = require(${JSON.stringify(CLI)});
main(process.argv.slice(2), undefined, { repoRoot: process.env.FIXTURE_ROOT }).then((code) => {
  process.exitCode = code;
});
`,
  );
  return root;
}
