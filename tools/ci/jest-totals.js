#!/usr/bin/env node
// Sums the per-project Jest JSON reports (written by the Nx `test` target to
// reports/jest/<project>.json) into the closing line CI reads: `N passed, N failed`.
//
// The projects that must have a report are asked of Nx (every project with a `test` target), not
// listed here, so a new project is counted the day it exists. A project whose report is missing or
// unreadable counts as one failure, named on stderr, so a crashed or skipped runner can never look
// green. Exit code 1 when anything failed.
//
//   node tools/ci/jest-totals.js [reports-dir] [--projects a,b]
//
// --projects names the projects a partial run (`npm test -- --projects=a,b`) was asked for; each
// must be a project with a test target, and each must have reported.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Names of the projects with a `test` target, as the workspace's own Nx reports them. */
function expectedProjects(root = REPO_ROOT) {
  const nx = require.resolve('nx/bin/nx.js', { paths: [root] });
  const out = execFileSync(process.execPath, [nx, 'show', 'projects', '--with-target', 'test', '--json'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const projects = JSON.parse(out);
  if (!Array.isArray(projects) || projects.length === 0)
    throw new Error(`nx show projects --with-target test returned no project: ${out.trim()}`);
  return projects.sort();
}

/**
 * Totals of the reports in `dir` for `expected` projects: passed and failed tests, plus one failure
 * per project whose report is missing, unreadable or failed without a failing test.
 */
function totals(dir, expected) {
  let passed = 0;
  let failed = 0;
  const problems = [];
  for (const project of expected) {
    const file = path.join(dir, `${project}.json`);
    if (!fs.existsSync(file)) {
      failed += 1;
      problems.push(`${project}: no report (${file}); its tests did not run to completion`);
      continue;
    }
    let report;
    try {
      report = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      failed += 1;
      problems.push(`${project}: unreadable report ${file}: ${err.message}`);
      continue;
    }
    const failing = (report.numFailedTests || 0) + (report.numRuntimeErrorTestSuites || 0);
    passed += report.numPassedTests || 0;
    failed += failing;
    if (failing === 0 && report.success === false) {
      failed += 1;
      problems.push(`${project}: Jest reported the run as failed without a failing test`);
    }
  }
  return { passed, failed, problems };
}

function main(argv) {
  const args = argv.slice(2);
  const flag = args.indexOf('--projects');
  const only = flag >= 0 ? (args.splice(flag, 2)[1] || '').split(',').filter(Boolean) : undefined;
  const dir = args[0] || 'reports/jest';
  let expected;
  try {
    expected = expectedProjects();
  } catch (err) {
    process.stderr.write(`jest-totals: cannot list the projects with a test target: ${err.message}\n`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  if (only) {
    const unknown = only.filter((p) => !expected.includes(p));
    if (only.length === 0 || unknown.length > 0) {
      process.stderr.write(
        `jest-totals: --projects: ${only.length === 0 ? 'no project named' : `not a project with a test target: ${unknown.join(', ')}`} (known: ${expected.join(', ')})\n`,
      );
      console.log('0 passed, 1 failed');
      return 1;
    }
    expected = only;
  }
  const result = totals(dir, expected);
  for (const p of result.problems) process.stderr.write(`jest-totals: ${p}\n`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  return result.failed > 0 ? 1 : 0;
}

module.exports = { expectedProjects, totals };

if (require.main === module) process.exitCode = main(process.argv);
