/** Reading what `hubspoke verify` / `hubspoke e2e` write: results.json, report.md, junit.xml. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `unknown`: the model could not decide the check (something on its paths is not modelled); it
 * fails the run. `not-applicable`: a default check the environment has nothing for; it does not.
 */
export const CHECK_STATUSES = ['pass', 'fail', 'unknown', 'not-applicable'] as const;

export interface CheckSummary {
  id: string;
  status: (typeof CHECK_STATUSES)[number];
  detail: string;
  warnings?: string[];
}

export interface VerifyResults {
  checks: CheckSummary[];
}

/** Validates the CONTRACT shape `{ checks: [{ id, status, detail }] }` and keeps only what we show. */
export function parseResults(json: unknown, source = 'results.json'): VerifyResults {
  const checks = (json as { checks?: unknown })?.checks;
  if (!Array.isArray(checks)) throw new Error(`${source}: expected { "checks": [...] }`);
  return {
    checks: checks.map((c: unknown, i) => {
      const check = c as Partial<CheckSummary>;
      if (typeof check?.id !== 'string' || !(CHECK_STATUSES as readonly unknown[]).includes(check.status)) {
        throw new Error(
          `${source}: checks[${i}] needs a string id and status "pass", "fail", "unknown" or "not-applicable"`,
        );
      }
      return {
        id: check.id,
        status: check.status!,
        detail: typeof check.detail === 'string' ? check.detail : '',
        ...(Array.isArray(check.warnings) && check.warnings.length > 0
          ? { warnings: check.warnings.map(String) }
          : {}),
      };
    }),
  };
}

/** The first ```mermaid block of a markdown report, fence included; undefined when there is none. */
export function extractMermaid(markdown: string): string | undefined {
  const m = /^(`{3,})mermaid[^\n]*\n[\s\S]*?\n\1[ \t]*$/m.exec(markdown);
  return m?.[0];
}

export interface VerifyDir {
  results?: VerifyResults;
  mermaid?: string;
  junit?: string;
  /** Problems reading the directory (missing or malformed files), for the reader of the comment. */
  problems: string[];
}

/** Loads a verify/e2e output directory, tolerating missing files: a crashed run still gets reported. */
export function readVerifyDir(dir: string): VerifyDir {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const file = join(dir, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  let results: VerifyResults | undefined;
  const json = read('results.json');
  if (json === undefined) problems.push(`no results.json in ${dir}`);
  else {
    try {
      results = parseResults(JSON.parse(json), join(dir, 'results.json'));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  const report = read('report.md');
  return {
    results,
    mermaid: report ? extractMermaid(report) : undefined,
    junit: read('junit.xml'),
    problems,
  };
}
