#!/usr/bin/env node
// The `hubspoke` CLI entry: registers tsx so the TypeScript sources run without a build step.
'use strict';
require('tsx/cjs');
const { main } = require('../src/cli.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
