/**
 * The issue's acceptance scenarios, end to end through the scripts the PR workflow runs:
 * changed files -> affected stacks (Nx graph) -> `pulumi preview` per stack (fake pulumi) ->
 * the PR comment, upserted into a fake GitHub.
 */
import { planStacks } from '../src/ci/affected-stacks';
import { spawnRunner } from '../src/ci/exec';
import { readAffectedProjects, type ProjectGraph } from '../src/ci/graph';
import { MARKER, publishComment } from '../src/ci/pr-comment';
import { previewStacks } from '../src/ci/preview-stacks';
import { readVerifyDir } from '../src/ci/verify-report';
import { FakeGitHub } from './helpers/fake-github';
import { digest, fakePulumi, previewedRoots, type FakeStack } from './helpers/fake-pulumi';
import { realGraph } from './helpers/graph';
import { MERMAID, verifyDir } from './helpers/verify-output';
import { repoRoot } from './helpers/workflows';

jest.setTimeout(60_000);

const REPO = 'org/hubspoke';
const STACK_ROWS = /^\| `([\w-]+)` \| (\d+) \|/gm;

/** Every stack of the graph exists in prod and previews with changes: anything previewed shows up. */
const pulumiForAllStacks = (graph: ProjectGraph): Record<string, FakeStack> =>
  Object.fromEntries(
    Object.values(graph.nodes)
      .filter((n) => n.data.tags?.includes('stack'))
      .map((n) => [
        n.data.root,
        { preview: { stdout: JSON.stringify(digest(n.name, { update: 1, same: 3 })) } },
      ]),
  );

async function commentFor(graph: ProjectGraph, affected: string[]) {
  const plan = planStacks(graph, affected);
  const { run, calls } = fakePulumi(pulumiForAllStacks(graph));
  const preview = await previewStacks(plan, { env: 'prod', run });
  const gh = new FakeGitHub();
  gh.seed(REPO, 9, ['first review']);
  await publishComment(
    {
      env: 'prod',
      preview,
      verify: readVerifyDir(verifyDir()),
      sha: 'abcdef0123',
      artifactName: 'pulumi-preview',
    },
    { repo: REPO, pr: 9, token: gh.token, apiUrl: gh.base, fetch: gh.fetch },
  );
  const posted = gh.list(REPO, 9).filter((c) => c.body?.startsWith(MARKER));
  expect(posted).toHaveLength(1);
  const body = posted[0].body as string;
  return {
    body,
    previewed: previewedRoots(calls),
    rows: [...body.matchAll(STACK_ROWS)].map((m) => `${m[1]}@${m[2]}`),
  };
}

describe('PR comment for a change to one spoke (real Nx project graph)', () => {
  it('previews only that spoke', async () => {
    const affected = await readAffectedProjects(
      spawnRunner,
      { files: ['apps/spokes/spoke-a/index.ts'] },
      repoRoot,
    );
    const graph = await realGraph();
    // Projects whose tests run the spoke's program (policy, integration-tests) are affected too;
    // among the stacks, only the spoke is.
    expect(affected.filter((p) => graph.nodes[p]?.data.tags?.includes('stack'))).toEqual(['spoke-a']);
    const { body, previewed, rows } = await commentFor(graph, affected);
    expect(previewed).toEqual(['apps/spokes/spoke-a']);
    expect(rows).toEqual(['spoke-a@1']);
    expect(body).toContain('### Pulumi preview — 1 stack(s), 1 change(s)');
    expect(body).toContain('**Previewed in dependency order:** `spoke-a`\n');
    expect(body).toContain('<summary><code>spoke-a</code> +0 ~1 -0 ±0</summary>');
    for (const other of ['tgw', 'inspection', 'spoke-b']) expect(body).not.toContain(`<code>${other}</code>`);
    expect(body).toContain('### Offline verify — ✅ all 4 checks passed');
    expect(body).toContain(MERMAID);
  });
});

describe('PR comment for a change to packages/network (real Nx project graph)', () => {
  // Nx's source analysis (nx.json pluginsConfig) sees every stack import @hubspoke/network.
  it('previews every stack in dependency order: tgw, inspection, spoke-a, spoke-b', async () => {
    const graph = await realGraph();
    const spokes = Object.values(graph.nodes)
      .filter((n) => n.data.tags?.includes('spoke'))
      .map((n) => n.name)
      .sort();
    expect(spokes).toEqual(expect.arrayContaining(['spoke-a', 'spoke-b']));
    const affected = await readAffectedProjects(
      spawnRunner,
      { files: ['packages/network/src/index.ts'] },
      repoRoot,
    );
    expect(affected).toEqual(expect.arrayContaining(['network', 'tgw', 'inspection', ...spokes]));
    const { body, previewed, rows } = await commentFor(graph, affected);
    expect(previewed).toEqual([
      'apps/tgw',
      'apps/inspection',
      ...spokes.map((s) => graph.nodes[s].data.root),
    ]);
    expect(rows).toEqual(['tgw@1', 'inspection@2', ...spokes.map((s) => `${s}@3`)]);
    expect(body).toContain(
      `**Previewed in dependency order:** \`tgw\` → \`inspection\` → ${spokes.map((s) => `\`${s}\``).join(', ')}`,
    );
    expect(body).toContain(
      `### Pulumi preview — ${spokes.length + 2} stack(s), ${spokes.length + 2} change(s)`,
    );
    const diffOrder = [...body.matchAll(/<summary><code>([\w-]+)<\/code>/g)].map((m) => m[1]);
    expect(diffOrder).toEqual(['tgw', 'inspection', ...spokes]);
  });
});
