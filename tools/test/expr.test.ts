import { evaluate, simulate } from './helpers/expr';
import type { Workflow } from './helpers/workflows';

const ok = { success: true, failure: false, cancelled: false };

describe('expression evaluator (test helper)', () => {
  it('follows GitHub precedence and comparison rules', () => {
    const values = { 'needs.plan.outputs.any': 'TRUE', 'inputs.keep': null };
    expect(evaluate("needs.plan.outputs.any == 'true'", { values, status: ok })).toBe(true);
    expect(evaluate('!inputs.keep', { values, status: ok })).toBe(true);
    expect(evaluate("${{ false || 'a' && 'b' }}", { values, status: ok })).toBe('b');
    expect(evaluate('!(always() && failure())', { values, status: ok })).toBe(true);
    expect(() => evaluate('fromJSON(x)', { values, status: ok })).toThrow(/argument-less/);
  });

  it('skips dependents of a failed job unless a status function says otherwise', () => {
    const wf = {
      on: {},
      jobs: {
        a: {},
        b: { needs: 'a' },
        c: { needs: 'b', if: 'always()' },
        d: { needs: 'b', if: '${{ !cancelled() && !failure() }}' },
      },
    } as unknown as Workflow;
    expect(simulate(wf, { outcomes: { a: 'failure' } })).toEqual({
      a: 'failure',
      b: 'skipped',
      c: 'success',
      d: 'skipped',
    });
    expect(simulate(wf, { cancelDuring: 'a' })).toEqual({
      a: 'cancelled',
      b: 'skipped',
      c: 'success',
      d: 'skipped',
    });
    expect(simulate(wf, {})).toEqual({ a: 'success', b: 'success', c: 'success', d: 'success' });
  });
});
