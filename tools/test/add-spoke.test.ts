import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findRepoRoot } from '@hubspoke/network/src/stack-projects';
import YAML from 'yaml';
import { main, planSpoke } from '../src/add-spoke';

const repoRoot = findRepoRoot(__dirname);

/** A scratch copy of the repo's stack configs, so the test can add spokes without touching the repo. */
function scratchRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'add-spoke-'));
  const copy = (rel: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, rel), path.join(root, rel));
  };
  for (const dir of [
    'apps/tgw',
    'apps/inspection',
    ...fs.readdirSync(path.join(repoRoot, 'apps/spokes')).map((s) => `apps/spokes/${s}`),
  ]) {
    for (const f of fs.readdirSync(path.join(repoRoot, dir)).filter((f) => f.startsWith('Pulumi.')))
      copy(`${dir}/${f}`);
  }
  return root;
}

function filesUnder(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

describe('add-spoke', () => {
  it('picks the next free /16 of the supernet in every env and writes a complete project', () => {
    const root = scratchRepo();
    expect(main(['spoke-c'], root)).toBe(0);
    const dir = path.join(root, 'apps/spokes/spoke-c');
    // One stack config per environment of apps/tgw (dev, prod, org, ...).
    const envFiles = fs
      .readdirSync(path.join(repoRoot, 'apps/tgw'))
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    expect(envFiles).toEqual(expect.arrayContaining(['Pulumi.dev.yaml', 'Pulumi.prod.yaml']));
    expect(filesUnder(dir)).toEqual(
      [
        ...envFiles,
        'Pulumi.yaml',
        'index.test.ts',
        'index.ts',
        'jest.config.js',
        'project.json',
        'tsconfig.json',
      ].sort(),
    );
    // the tsconfig.json Pulumi's TypeScript loader needs, as the existing spokes have it
    expect(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(repoRoot, 'apps/spokes/spoke-a/tsconfig.json'), 'utf8'),
    );
    const dev = YAML.parse(fs.readFileSync(path.join(dir, 'Pulumi.dev.yaml'), 'utf8')).config;
    expect(dev['spoke-c:vpcCidr']).toBe('10.19.0.0/16');
    expect(dev['spoke-c:probe']).toBe(true);
    expect(dev['spoke-c:availabilityZones']).toEqual(['us-east-1a', 'us-east-1b']);
    const project = JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8'));
    expect(project.implicitDependencies).toEqual(['tgw', 'inspection']);
    expect(project.tags).toContain('spoke');
  });

  it('takes --cidr and then skips it for the next spoke', () => {
    const root = scratchRepo();
    expect(main(['spoke-c', '--cidr', '10.20.0.0/16'], root)).toBe(0);
    const files = planSpoke(root, { name: 'spoke-d', prefix: 16, probe: true });
    expect(YAML.parse(files.get('apps/spokes/spoke-d/Pulumi.dev.yaml')!).config['spoke-d:vpcCidr']).toBe(
      '10.19.0.0/16',
    );
  });

  it('refuses an overlapping CIDR naming both, and writes nothing', () => {
    const root = scratchRepo();
    expect(() =>
      planSpoke(root, { name: 'spoke-c', cidr: '10.17.128.0/17', prefix: 16, probe: true }),
    ).toThrow(/spoke-a:vpcCidr \(\w+\) 10\.17\.0\.0\/16 overlaps spoke-c:vpcCidr \(\w+\) 10\.17\.128\.0\/17/);
    expect(main(['spoke-c', '--cidr', '10.17.128.0/17'], root)).toBe(2);
    expect(fs.existsSync(path.join(root, 'apps/spokes/spoke-c'))).toBe(false);
  });

  it('refuses a CIDR outside the supernet naming both, and writes nothing', () => {
    const root = scratchRepo();
    expect(() => planSpoke(root, { name: 'spoke-c', cidr: '10.64.0.0/16', prefix: 16, probe: true })).toThrow(
      /spoke-c:vpcCidr \(\w+\) 10\.64\.0\.0\/16 is outside tgw:supernet \(\w+\) 10\.16\.0\.0\/12/,
    );
    expect(main(['spoke-c', '--cidr', '10.64.0.0/16'], root)).toBe(2);
    expect(fs.existsSync(path.join(root, 'apps/spokes/spoke-c'))).toBe(false);
  });

  it('refuses bad names and existing spokes', () => {
    const root = scratchRepo();
    expect(() => planSpoke(root, { name: 'Spoke_C', prefix: 16, probe: true })).toThrow(
      'spoke name "Spoke_C" must be',
    );
    expect(() => planSpoke(root, { name: 'inspection', prefix: 16, probe: true })).toThrow(
      /already an Nx project/,
    );
    // Library projects too, whichever exist: the names come from the project.json files.
    for (const name of ['conformance', 'harness', 'tools'])
      expect(() => planSpoke(repoRoot, { name, prefix: 16, probe: true })).toThrow(
        `spoke name ${name} is already an Nx project name`,
      );
    expect(() => planSpoke(root, { name: 'spoke-a', prefix: 16, probe: true })).toThrow(
      'apps/spokes/spoke-a already exists',
    );
  });
});
