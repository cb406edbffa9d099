/**
 * Nothing passes on nothing: a check that covered nothing, a selected kind with nothing to
 * evaluate, and a run without any check all fail, each saying what was empty.
 */
import { completeRun, guardEvaluated, runPassed } from '../../src/checks/evaluated';
import { defaultExpectations, parseChecks } from '../../src/checks/expectations';
import type { CheckResult, CheckStatus } from '../../src/checks/types';

const pass = (id: string, covered?: number): CheckResult => ({
  id,
  status: 'pass',
  detail: 'fine',
  ...(covered !== undefined ? { covered } : {}),
});

describe('guardEvaluated', () => {
  it.each([[0], [undefined]])('turns a pass that covered %s into a failure saying so', (covered) => {
    expect(guardEvaluated(pass('inspected-egress', covered))).toMatchObject({
      status: 'fail',
      detail: 'evaluated no path or probe, so it cannot pass (fine)',
    });
  });

  it('leaves a pass that covered something, and any failure, as they are', () => {
    expect(guardEvaluated(pass('x', 3)).status).toBe('pass');
    const failed: CheckResult = { id: 'x', status: 'fail', detail: 'no', covered: 0 };
    expect(guardEvaluated(failed)).toBe(failed);
  });
});

describe('completeRun', () => {
  it('adds nothing to a run whose selected kinds all evaluated something', () => {
    const results = [pass('egress-ip', 2)];
    expect(completeRun(results, parseChecks({ checks: ['egress-ip'] }))).toEqual(results);
  });

  it('leaves out east-west by default, when no pair is configured', () => {
    expect(completeRun([pass('egress-ip', 2)], defaultExpectations())).toHaveLength(1);
  });

  it.each([
    [
      { allow: [] },
      'allow',
      'allow: the checks file lists no host to allow under allow, so nothing was evaluated',
    ],
    [
      { deny: [] },
      'deny',
      'deny: the checks file lists no host to deny under deny, so nothing was evaluated',
    ],
    [
      { eastWest: [] },
      'east-west',
      'east-west: the checks file lists no pair under eastWest, so nothing was evaluated',
    ],
    [
      { checks: ['east-west'] },
      'east-west',
      'east-west: the checks file lists no pair under eastWest, so nothing was evaluated',
    ],
  ])('fails a selected kind whose list is empty: %j', (file, id, detail) => {
    const seen: CheckResult[] = [];
    const out = completeRun([pass('egress-ip', 2)], parseChecks(file), (r) => seen.push(r));
    expect(out.find((r) => r.id === id)).toEqual({ id, status: 'fail', detail, covered: 0 });
    expect(seen.map((r) => r.id)).toEqual([id]);
  });

  it('fails a run with no check at all, saying that the checks file selects none', () => {
    expect(completeRun([], parseChecks({ checks: [] }))).toEqual([
      {
        id: 'run',
        status: 'fail',
        detail: 'no check was evaluated: the checks file selects none (checks: [])',
        covered: 0,
      },
    ]);
  });

  it('fails a run whose selected checks produced no result, naming them', () => {
    const out = completeRun([], parseChecks({ checks: ['inspected-egress'] }));
    expect(out).toEqual([
      {
        id: 'run',
        status: 'fail',
        detail: 'no check was evaluated (selected: inspected-egress)',
        covered: 0,
      },
    ]);
  });
});

describe('completeRun: not-applicable results', () => {
  it('fails a run in which every result is not applicable, naming them', () => {
    const na: CheckResult = {
      id: 'inspected-east-west',
      status: 'not-applicable',
      detail: 'n/a',
      covered: 0,
    };
    const ex = parseChecks({ checks: ['inspected-east-west'] });
    const out = completeRun([na], ex);
    expect(out.at(-1)).toMatchObject({
      id: 'run',
      status: 'fail',
      detail: 'no check was evaluated: every selected check is not applicable (inspected-east-west)',
    });
    expect(runPassed(out)).toBe(false);
  });
});

describe('runPassed', () => {
  it('needs at least one result, and every result a pass', () => {
    expect(runPassed([])).toBe(false);
    expect(runPassed([pass('a', 1)])).toBe(true);
    expect(runPassed([pass('a', 1), { id: 'b', status: 'fail', detail: '' }])).toBe(false);
  });

  it('lets a not-applicable result neither pass nor fail the run', () => {
    const na: CheckResult = {
      id: 'inspected-east-west',
      status: 'not-applicable',
      detail: 'n/a',
      covered: 0,
    };
    expect(runPassed([pass('a', 1), na])).toBe(true);
    expect(runPassed([na])).toBe(false);
    expect(runPassed([na, { id: 'b', status: 'unknown', detail: '' }, pass('a', 1)])).toBe(false);
  });

  it('treats any status other than pass as not passing', () => {
    const undecided = { id: 'b', status: 'undecided' as CheckStatus, detail: '' };
    expect(runPassed([pass('a', 1), undecided])).toBe(false);
  });
});
