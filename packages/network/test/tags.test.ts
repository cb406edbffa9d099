import { stackTags } from '../src/tags';

describe('stackTags', () => {
  it('tags env and stack for long-lived envs', () => {
    expect(stackTags({ env: 'dev', project: 'tgw' })).toEqual({
      'hubspoke:env': 'dev',
      'hubspoke:stack': 'tgw',
    });
  });
  it('marks it-* envs ephemeral with their expiry', () => {
    expect(stackTags({ env: 'it-42-1', project: 'spoke-a', expiresAt: '2026-11-27T00:00:00Z' })).toEqual({
      'hubspoke:env': 'it-42-1',
      'hubspoke:stack': 'spoke-a',
      'hubspoke:ephemeral': 'true',
      'hubspoke:expires-at': '2026-11-27T00:00:00Z',
    });
  });
  it('marks any env ephemeral when hubspoke:ephemeral says so', () => {
    expect(
      stackTags({ env: 'sandbox', project: 'tgw', ephemeral: true, expiresAt: '2026-11-27T00:00:00Z' }),
    ).toMatchObject({
      'hubspoke:ephemeral': 'true',
      'hubspoke:expires-at': '2026-11-27T00:00:00Z',
    });
    expect(() => stackTags({ env: 'sandbox', project: 'tgw', ephemeral: true })).toThrow(
      /sandbox is ephemeral and needs/,
    );
  });
  it('refuses an ephemeral env without an expiry, and a malformed expiry', () => {
    expect(() => stackTags({ env: 'it-42-1', project: 'tgw' })).toThrow(
      /it-42-1 is ephemeral .* needs hubspoke:expiresAt/,
    );
    expect(() => stackTags({ env: 'it-1', project: 'tgw', expiresAt: 'tomorrow' })).toThrow(
      'hubspoke:expiresAt "tomorrow" is not an RFC 3339 UTC time',
    );
  });
});
