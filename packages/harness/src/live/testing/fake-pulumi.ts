/**
 * A stand-in for the Pulumi CLI, installed as `<root>/bin/pulumi` so the real Automation API
 * (`PulumiCommand.get({ root })`) drives it: the real driver is then tested end to end, with the
 * commands, flags, files and signals it would use against the real CLI. State lives in a
 * directory (stacks, outputs, a log of every call with its backend URL).
 *
 * Behaviour switches (files in the state dir): `hang-up` makes `up` wait for SIGINT (or, with
 * `ignore-sigint`, for `pulumi cancel`), holding the stack's lock meanwhile; with `slow-exit` it
 * takes 500 ms to exit after SIGINT, as the real CLI finishes the steps in flight.
 * `fail-destroy-once` makes the next destroy fail with a DependencyViolation. `policy-violation`
 * makes every `preview` and `up` given a `--policy-pack` fail with a mandatory policy violation. `kill-up` makes the
 * next `up` die like a killed CLI: its lock stays and its state keeps a pending create. Like a
 * self-managed backend, every operation fails on a lock (`pulumi cancel` removes it) and
 * `destroy` fails on pending operations (`pulumi stack import` of a state without them clears it).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = String.raw`
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const file = (n) => path.join(dir, n);
const readJson = (n, d) => (fs.existsSync(file(n)) ? JSON.parse(fs.readFileSync(file(n), 'utf8')) : d);
fs.appendFileSync(file('log.jsonl'), JSON.stringify({ args, cwd: process.cwd(), backend: process.env.PULUMI_BACKEND_URL || null }) + '\n');
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && !['--yes','--json','--show-secrets','--non-interactive','--skip-preview','--refresh'].includes(args[i - 1])));
const project = (() => { try { return /^name:\s*(\S+)/m.exec(fs.readFileSync('Pulumi.yaml', 'utf8'))[1]; } catch { return '?'; } })();
const stackName = flag('--stack') || (positional[0] === 'stack' && ['rm', 'init'].includes(positional[1]) ? positional[2] : undefined);
const key = project + '/' + stackName;
// One file per stack: parallel spoke deploys run concurrent CLI processes.
const stackFile = (k) => file('stack--' + k.replace('/', '--') + '.json');
const stacks = new Proxy({}, {
  get: (_t, k) => (fs.existsSync(stackFile(k)) ? JSON.parse(fs.readFileSync(stackFile(k), 'utf8')) : undefined),
  set: (_t, k, v) => { fs.writeFileSync(stackFile(k), JSON.stringify(v)); return true; },
  deleteProperty: (_t, k) => { if (fs.existsSync(stackFile(k))) fs.unlinkSync(stackFile(k)); return true; },
});
const fail = (msg) => { process.stderr.write(msg + '\n'); process.exit(255); };
const need = () => { if (!stacks[key]) fail("error: no stack named '" + stackName + "' found"); };
const lockFile = file('lock--' + key.replace('/', '--'));
const lock = () => fs.writeFileSync(lockFile, String(process.pid));
const unlock = () => { if (fs.existsSync(lockFile)) fs.unlinkSync(lockFile); };
const notLocked = () => {
  if (fs.existsSync(lockFile)) fail('error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \x60pulumi cancel\x60.\n  ' + lockFile + ': created by ci@runner (pid ' + fs.readFileSync(lockFile, 'utf8') + ')');
};
const [cmd, sub] = positional;
if (cmd === 'version') { process.stdout.write('v3.276.0\n'); process.exit(0); }
if (cmd === 'stack' && sub === 'select') { need(); process.exit(0); }
if (cmd === 'stack' && sub === 'init') {
  stacks[key] = { outputs: {}, resources: [] };
  fs.writeFileSync('Pulumi.' + stackName + '.yaml', 'encryptionsalt: v1:fakesalt\n');
  process.exit(0);
}
if (cmd === 'stack' && sub === 'ls') {
  const prefix = 'stack--' + project + '--';
  const names = fs.readdirSync(dir).filter((f) => f.startsWith(prefix)).map((f) => ({ name: 'organization/' + project + '/' + f.slice(prefix.length, -5), current: false }));
  process.stdout.write(JSON.stringify(names)); process.exit(0);
}
if (cmd === 'stack' && sub === 'output') { need(); process.stdout.write(JSON.stringify(stacks[key].outputs)); process.exit(0); }
if (cmd === 'stack' && sub === 'history') { process.stdout.write('[]'); process.exit(0); }
if (cmd === 'stack' && sub === 'export') {
  need();
  const st = stacks[key];
  process.stdout.write(JSON.stringify({ version: 3, deployment: { resources: st.resources, ...(st.pending ? { pending_operations: st.pending } : {}) } }));
  process.exit(0);
}
if (cmd === 'stack' && sub === 'import') {
  need(); notLocked();
  const d = JSON.parse(fs.readFileSync(flag('--file'), 'utf8')).deployment || {};
  stacks[key] = { ...stacks[key], resources: d.resources || [], pending: d.pending_operations && d.pending_operations.length ? d.pending_operations : undefined };
  process.exit(0);
}
if (cmd === 'stack' && sub === 'rm') {
  need(); delete stacks[key];
  if (fs.existsSync('Pulumi.' + stackName + '.yaml')) fs.unlinkSync('Pulumi.' + stackName + '.yaml');
  process.exit(0);
}
if (cmd === 'config') {
  need();
  const text = fs.existsSync('Pulumi.' + stackName + '.yaml') ? fs.readFileSync('Pulumi.' + stackName + '.yaml', 'utf8') : '';
  const out = {};
  let inConfig = false;
  for (const line of text.split('\n')) {
    if (/^config:/.test(line)) { inConfig = true; continue; }
    if (!/^\s/.test(line)) inConfig = false;
    const m = inConfig && /^  ([^\s:]+:[^\s:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]] = { value: m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'), secret: false };
  }
  process.stdout.write(JSON.stringify(out)); process.exit(0);
}
// A mandatory policy violation, as the CLI reports it, on every preview / up run with a pack.
const policyViolation = () => {
  const pack = flag('--policy-pack');
  if (!pack || !fs.existsSync(file('policy-violation'))) return;
  process.stdout.write('Policies:\n    \u274c hubspoke-guardrails@v0.1.0 (local: ' + pack + ')\n        - [mandatory]  instance-hardening  (aws:ec2/instance:Instance: ' + project + '-probe)\n          Instances are hardened: IMDSv2 required, encrypted root volume, no key pair, no public IP.\n          associatePublicIpAddress is true\n');
  fail(cmd === 'up' ? 'error: update failed' : 'error: preview failed');
};
// The CLI streams engine events to the Automation API (CLI > 3.205: a gRPC Events service at
// --event-log tcp://...); a preview's result is read from its summary event.
const sendSummary = (resourceChanges, then) => {
  const target = flag('--event-log');
  if (!target || !target.startsWith('tcp://')) return then();
  const grpc = require(modules.grpc);
  const { EventsClient } = require(modules.eventsGrpc);
  const { EventRequest } = require(modules.events);
  const client = new EventsClient(target.slice('tcp://'.length), grpc.credentials.createInsecure());
  const call = client.streamEvents(() => { client.close(); then(); });
  const summaryEvent = { maybeCorrupt: false, durationSeconds: 0, resourceChanges, PolicyPacks: {} };
  call.write(new EventRequest().setEvent(JSON.stringify({ sequence: 1, timestamp: 0, summaryEvent })));
  call.end();
};
if (cmd === 'preview') {
  need(); notLocked();
  process.stdout.write('Previewing update (' + stackName + ')\n');
  policyViolation();
  process.stdout.write('Resources: + 1 to create\n');
  sendSummary({ create: 1 }, () => process.exit(0));
  return;
}
if (cmd === 'cancel') { need(); unlock(); fs.writeFileSync(file('cancelled'), key); process.exit(0); }
if (cmd === 'up') {
  need(); notLocked();
  process.stdout.write('Updating (' + stackName + ')\n');
  if (fs.existsSync(file('kill-up'))) {
    fs.unlinkSync(file('kill-up'));
    lock();
    stacks[key] = { outputs: {}, resources: [{ type: 'aws:ec2/vpc:Vpc', urn: 'urn:pulumi:' + stackName + '::' + project + '::aws:ec2/vpc:Vpc::vpc' }], pending: [{ type: 'creating', resource: { urn: 'urn:pulumi:' + stackName + '::' + project + '::aws:ec2/subnet:Subnet::subnet', type: 'aws:ec2/subnet:Subnet' } }] };
    process.kill(process.pid, 'SIGKILL');
  }
  if (fs.existsSync(file('hang-up'))) {
    fs.unlinkSync(file('hang-up'));
    lock();
    fs.writeFileSync(file('up-started'), key);
    const ignore = fs.existsSync(file('ignore-sigint'));
    const slow = fs.existsSync(file('slow-exit'));
    const stop = (msg) => { unlock(); process.stderr.write(msg + '\n'); process.exit(255); };
    process.on('SIGINT', () => { if (!ignore) setTimeout(() => stop('error: update canceled'), slow ? 500 : 0); });
    setInterval(() => { if (fs.existsSync(file('cancelled'))) stop('error: update canceled by the service'); }, 20);
    return;
  }
  policyViolation();
  const outputs = readJson('outputs.json', {})[project] || {};
  stacks[key] = { outputs, resources: [{ type: 'aws:ec2/vpc:Vpc', outputs: { tags: { 'hubspoke:expires-at': '2026-11-26T10:00:00Z' } } }] };
  process.stdout.write('Resources: + 1 created\n'); process.exit(0);
}
if (cmd === 'destroy') {
  need(); notLocked();
  const pending = stacks[key].pending || [];
  if (pending.length > 0) fail('error: the current deployment has ' + pending.length + ' resource(s) with pending operations:\n' + pending.map((op) => '  * ' + op.resource.urn + ', interrupted while ' + op.type).join('\n') + '\n\nThese resources are in an unknown state because the Pulumi CLI was interrupted while\nwaiting for changes to these resources to complete.');
  if (fs.existsSync(file('fail-destroy-once'))) {
    fs.unlinkSync(file('fail-destroy-once'));
    fail('error: deleting EC2 Subnet (subnet-1): DependencyViolation: The subnet has dependencies and cannot be deleted.');
  }
  stacks[key] = { outputs: {}, resources: [] };
  process.stdout.write('Resources: - 1 deleted\n'); process.exit(0);
}
fail('fake pulumi: unsupported command ' + args.join(' '));
`;

export interface FakePulumi {
  /** Pass to `PulumiCommand.get({ root, skipVersionCheck: true })`. */
  root: string;
  /** State dir (stacks.json, outputs.json, log.jsonl, switch files). */
  dir: string;
  calls(): { args: string[]; cwd: string; backend: string | null }[];
  setOutputs(outputs: Record<string, Record<string, unknown>>): void;
  touch(
    name: 'hang-up' | 'ignore-sigint' | 'slow-exit' | 'fail-destroy-once' | 'kill-up' | 'policy-violation',
  ): void;
  exists(name: string): boolean;
}

export function installFakePulumi(): FakePulumi {
  const root = mkdtempSync(join(tmpdir(), 'fake-pulumi-'));
  const dir = join(root, 'state');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(dir);
  const bin = join(root, 'bin', 'pulumi');
  const modules = {
    grpc: require.resolve('@grpc/grpc-js'),
    eventsGrpc: require.resolve('@pulumi/pulumi/proto/events_grpc_pb'),
    events: require.resolve('@pulumi/pulumi/proto/events_pb'),
  };
  writeFileSync(
    bin,
    `#!${process.execPath}\nconst dir = ${JSON.stringify(dir)};\nconst modules = ${JSON.stringify(modules)};\n(() => {${SCRIPT}})();\n`,
  );
  chmodSync(bin, 0o755);
  return {
    root,
    dir,
    calls: () =>
      readFileSync(join(dir, 'log.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { args: string[]; cwd: string; backend: string | null }),
    setOutputs: (outputs) => writeFileSync(join(dir, 'outputs.json'), JSON.stringify(outputs)),
    touch: (name) => writeFileSync(join(dir, name), ''),
    exists: (name) => {
      try {
        readFileSync(join(dir, name));
        return true;
      } catch {
        return false;
      }
    },
  };
}
