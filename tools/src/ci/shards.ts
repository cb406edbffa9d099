/**
 * Splitting one layer of stacks into at most a given number of jobs. GitHub runs at most 256 jobs
 * per matrix ("Using a matrix for your jobs", https://docs.github.com/en/actions/how-tos/write-workflows/choose-what-workflows-do/run-job-variations),
 * and a deploy of 1,000 spokes must still fit: each job then deploys its share of the layer with
 * bounded parallelism (deploy-stacks.ts --parallel).
 */

/** GitHub's limit on the jobs one matrix can generate per workflow run. */
export const GITHUB_MATRIX_LIMIT = 256;

export interface Shard {
  /** Job-name label: the stack for a one-stack shard, else the first and last stack and the count. */
  label: string;
  /** Comma-separated stack names, as deploy-stacks.ts --stacks takes them. */
  stacks: string;
}

export function checkMaxJobs(maxJobs: number): number {
  if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > GITHUB_MATRIX_LIMIT) {
    throw new Error(
      `--max-jobs must be an integer from 1 to ${GITHUB_MATRIX_LIMIT} (GitHub's matrix limit), got "${maxJobs}"`,
    );
  }
  return maxJobs;
}

/**
 * Contiguous, balanced shards in the layer's order: min(maxJobs, stacks) shards whose sizes differ
 * by at most one, every stack in exactly one shard. An empty layer has no shard.
 */
export function shardLayer(stacks: readonly string[], maxJobs: number): Shard[] {
  checkMaxJobs(maxJobs);
  const count = Math.min(maxJobs, stacks.length);
  const shards: Shard[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    // The first (length % count) shards take one stack more.
    const size = Math.floor(stacks.length / count) + (i < stacks.length % count ? 1 : 0);
    const part = stacks.slice(start, start + size);
    start += size;
    shards.push({
      label: part.length === 1 ? part[0] : `${part[0]} … ${part[part.length - 1]} (${part.length} stacks)`,
      stacks: part.join(','),
    });
  }
  return shards;
}
