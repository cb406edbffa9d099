module.exports = { ...require('../../jest.preset.js'), displayName: 'stack-testing' };
