import { GITHUB_MATRIX_LIMIT, shardLayer } from '../src/ci/shards';

const spokes = (n: number) => Array.from({ length: n }, (_, i) => `spoke-${String(i).padStart(4, '0')}`);

describe('shardLayer', () => {
  it('gives each of 1,000 spokes exactly one of at most maxJobs balanced shards', () => {
    for (const maxJobs of [1, 7, 20, 256]) {
      const shards = shardLayer(spokes(1000), maxJobs);
      expect(shards).toHaveLength(maxJobs);
      const sizes = shards.map((s) => s.stacks.split(',').length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(shards.flatMap((s) => s.stacks.split(','))).toEqual(spokes(1000));
    }
  });

  it('a small layer is one job per stack, labelled by the stack', () => {
    expect(shardLayer(['spoke-a', 'spoke-b'], 20)).toEqual([
      { label: 'spoke-a', stacks: 'spoke-a' },
      { label: 'spoke-b', stacks: 'spoke-b' },
    ]);
    expect(shardLayer([], 20)).toEqual([]);
  });

  it('labels a multi-stack shard by its range and size', () => {
    expect(shardLayer(spokes(5), 2).map((s) => s.label)).toEqual([
      'spoke-0000 … spoke-0002 (3 stacks)',
      'spoke-0003 … spoke-0004 (2 stacks)',
    ]);
  });

  it("rejects a job count GitHub's matrix cannot run", () => {
    expect(GITHUB_MATRIX_LIMIT).toBe(256);
    for (const bad of [0, -1, 1.5, 257, Number.NaN])
      expect(() => shardLayer(spokes(3), bad)).toThrow(/--max-jobs must be an integer from 1 to 256/);
  });
});
