/**
 * A stand-in for the `pulumi` CLI: stacks keyed by project directory, each with canned
 * `preview --json` output and destroy behaviour. Records every invocation in order.
 */
import type { CommandRunner } from '../../src/ci/exec';
import type { PreviewDigest, PreviewStep } from '../../src/ci/pulumi-preview';

export interface FakeStack {
  /** Stack exists in the backend for the env (default true). */
  exists?: boolean;
  preview?: { code?: number; stdout: string; stderr?: string };
  destroy?: { code: number; stderr?: string };
}

export interface FakeCall {
  command: string;
  args: string[];
  cwd?: string;
}

const flag = (args: readonly string[], name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Same behaviour as the executable fake (fixtures/fake-pulumi.js), in-process. */
export function respond(
  stacks: Record<string, FakeStack>,
  args: readonly string[],
): { code: number; stdout: string; stderr: string } {
  const root = flag(args, '--cwd') ?? '.';
  const stack = stacks[root];
  const env = args[0] === 'stack' ? args[2] : flag(args, '--stack');
  if (!stack) return { code: 255, stdout: '', stderr: `error: no Pulumi.yaml project file found in ${root}` };
  if (stack.exists === false && (args[0] === 'stack' || args[0] === 'preview' || args[0] === 'destroy')) {
    return { code: 255, stdout: '', stderr: `error: no stack named '${env}' found` };
  }
  if (args[0] === 'stack') return { code: 0, stdout: '', stderr: '' };
  if (args[0] === 'preview') {
    const p = stack.preview ?? { stdout: JSON.stringify(digest(root, {})) };
    return { code: p.code ?? 0, stdout: p.stdout, stderr: p.stderr ?? '' };
  }
  if (args[0] === 'destroy')
    return { code: stack.destroy?.code ?? 0, stdout: '', stderr: stack.destroy?.stderr ?? '' };
  return { code: 2, stdout: '', stderr: `fake pulumi: unsupported ${args.join(' ')}` };
}

export function fakePulumi(stacks: Record<string, FakeStack>): { run: CommandRunner; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const run: CommandRunner = async (command, args, options) => {
    calls.push({ command, args: [...args], cwd: options?.cwd });
    if (command !== 'pulumi') return { code: 127, stdout: '', stderr: `${command}: not found` };
    return respond(stacks, args);
  };
  return { run, calls };
}

/** The project directory each `preview` call targeted, in call order. */
export const previewedRoots = (calls: FakeCall[]) =>
  calls.filter((c) => c.args[0] === 'preview').map((c) => flag(c.args, '--cwd'));

/** A PreviewDigest like `pulumi preview --json` prints, with `n` steps per op. */
export function digest(
  project: string,
  ops: Partial<Record<'create' | 'update' | 'delete' | 'replace' | 'same', number>>,
  env = 'prod',
): PreviewDigest {
  const steps: PreviewStep[] = [];
  for (const [op, n] of Object.entries(ops)) {
    for (let i = 0; i < (n ?? 0); i++) {
      const urn = `urn:pulumi:${env}::${project}::hubspoke:network:Component$aws:ec2/route:Route::${project}-${op}-${i}`;
      if (op === 'replace') {
        steps.push(
          { op: 'create-replacement', urn },
          {
            op: 'replace',
            urn,
            replaceReasons: ['cidrBlock'],
            detailedDiff: { cidrBlock: { kind: 'update-replace' } },
          },
        );
        steps.push({ op: 'delete-replaced', urn });
      } else if (op === 'update')
        steps.push({
          op,
          urn,
          diffReasons: ['tags'],
          detailedDiff: { 'tags.hubspoke:env': { kind: 'update' } },
        });
      else steps.push({ op, urn });
    }
  }
  const changeSummary = Object.fromEntries(Object.entries(ops).filter(([, n]) => (n ?? 0) > 0));
  return { steps, changeSummary };
}
