/** The real repo's stack projects are what e2e deploys: discovery and template config must work on them. */
import {
  allProjects,
  discoverProjects,
  ephemeralConfig,
  readTemplateConfig,
} from '@hubspoke/harness/src/live/projects';
import { cliRepoRoot } from '../../src/repo';

describe('e2e over this repo', () => {
  const layout = discoverProjects(cliRepoRoot());

  it('finds tgw, inspection and the spokes, in deploy order', () => {
    expect(layout.tgw.project).toBe('tgw');
    expect(layout.inspection.project).toBe('inspection');
    expect(layout.spokes.length).toBeGreaterThan(0);
    for (const s of layout.spokes) expect(s.project).toMatch(/^spoke-/);
  });

  it('every project has a copyable dev template (no secrets) and gets the ephemeral settings', () => {
    for (const p of allProjects(layout)) {
      const config = ephemeralConfig(p, readTemplateConfig(p, 'dev'), {
        expiresAt: '2026-11-26T10:00:00Z',
        region: 'eu-west-1',
      });
      expect(config['aws:region']).toBe('eu-west-1');
      expect(config['hubspoke:expiresAt']).toBe('2026-11-26T10:00:00Z');
      if (p.role === 'spoke') expect(config[`${p.project}:probe`]).toBe('true');
    }
  });
});
