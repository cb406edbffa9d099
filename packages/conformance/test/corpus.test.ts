/**
 * Runs every case of the conformance corpus (`cases/<area>/<name>.ts`): the check statuses and
 * trace verdicts the verifier gives must be the ones AWS gives, as the case's sources document.
 */
import { evaluateChecks, evaluateTraces, loadCases, missingTraceText } from '../src';

const cases = loadCases();

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  if (c.checks) {
    it(`checks: ${Object.entries(c.checks)
      .map(([id, s]) => `${id}=${s}`)
      .join(', ')}`, async () => {
      const results = await evaluateChecks(c);
      const got = Object.fromEntries(
        Object.keys(c.checks!).map((id) => [id, results.find((r) => r.id === id)?.status ?? 'not run']),
      );
      expect(got).toEqual(c.checks);
    });
  }
  for (const t of c.traces ?? []) {
    it(`trace ${t.name}: ${t.verdict}`, () => {
      const [outcome] = evaluateTraces({ ...c, traces: [t] });
      expect(outcome!.verdict).toBe(t.verdict);
      // The rendered trace names what decided (rule, attribute or route) and why.
      const missing = missingTraceText(outcome!);
      if (missing.length > 0) throw new Error(`trace lacks ${JSON.stringify(missing)}:\n${outcome!.text}`);
    });
  }
});

it('the corpus is not empty', () => {
  expect(cases.length).toBeGreaterThan(0);
});
