module.exports = { ...require('../../jest.preset.js'), displayName: 'policy-host' };
