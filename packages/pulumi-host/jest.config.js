module.exports = { ...require('../../jest.preset.js'), displayName: 'pulumi-host' };
