module.exports = { ...require('../../../jest.preset.js'), displayName: 'spoke-a' };
