const path = require('path');
const preset = require('../jest.preset.js');

// @actions/expressions and @actions/workflow-parser (the parser and evaluator of the workflow
// runner stand-in) ship as ES modules only: Jest maps them to their dist files and ts-jest turns
// those into CommonJS.
const actionsDist = path.join(__dirname, '..', 'node_modules', '@actions', '$1', 'dist');

module.exports = {
  ...preset,
  displayName: 'tools',
  transform: {
    ...preset.transform,
    '/node_modules/@actions/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@actions/)'],
  moduleNameMapper: {
    '^@actions/(expressions|workflow-parser)$': `${actionsDist}/index.js`,
    '^@actions/(expressions|workflow-parser)/(.*)$': `${actionsDist}/$2.js`,
  },
};
