#!/usr/bin/env node
// Sums the per-project Jest JSON reports (written by the Nx `test` target) into the closing line
// CI reads: `N passed, N failed`. A project whose report is missing counts as one failure, so a
// crashed runner can never look green.
const fs = require('fs');
const path = require('path');

const dir = process.argv[2] || 'reports/jest';
let passed = 0;
let failed = 0;
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites || 0);
}
if (files.length === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
