/**
 * Reading `pulumi preview --json` (Pulumi's PreviewDigest) and, as a fallback, the text summary
 * of `pulumi preview --diff`, into per-stack change counts and a compact diff for humans.
 */

export interface ChangeCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  same: number;
  /** read, import, refresh, discard, ...: shown, but not a change of the stack. */
  other: number;
}

export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind?: string }>;
}

export interface PreviewDigest {
  steps?: PreviewStep[];
  diagnostics?: { urn?: string; message: string; severity?: string }[];
  changeSummary?: Record<string, number>;
}

export const emptyCounts = (): ChangeCounts => ({
  create: 0,
  update: 0,
  delete: 0,
  replace: 0,
  same: 0,
  other: 0,
});

export function totalChanges(c: ChangeCounts): number {
  return c.create + c.update + c.delete + c.replace;
}

/** Pulumi step ops -> the counters of the comment table. */
function bucketOf(op: string): keyof ChangeCounts {
  switch (op) {
    case 'create':
    case 'update':
    case 'delete':
    case 'replace':
    case 'same':
      return op;
    case 'create-replacement':
    case 'delete-replaced':
      return 'replace';
    default:
      return 'other';
  }
}

export function countsFromSummary(summary: Record<string, number>): ChangeCounts {
  const counts = emptyCounts();
  for (const [op, n] of Object.entries(summary)) {
    // changeSummary counts a replacement under `replace`; the create-/delete-replaced halves
    // would double it.
    if (op === 'create-replacement' || op === 'delete-replaced') continue;
    counts[bucketOf(op)] += n;
  }
  return counts;
}

/** Parses stdout of `pulumi preview --json`. Throws with the start of the text when it is not JSON. */
export function parsePreviewJson(text: string): PreviewDigest {
  const start = text.indexOf('{');
  let parsed: unknown;
  try {
    parsed = JSON.parse(start >= 0 ? text.slice(start) : text);
  } catch {
    throw new Error(`pulumi preview --json did not print JSON: ${text.slice(0, 200)}`);
  }
  if (!parsed || typeof parsed !== 'object') throw new Error('pulumi preview --json printed a non-object');
  return parsed as PreviewDigest;
}

export function countsFromDigest(digest: PreviewDigest): ChangeCounts {
  if (digest.changeSummary) return countsFromSummary(digest.changeSummary);
  const counts = emptyCounts();
  for (const step of digest.steps ?? []) {
    if (step.op === 'create-replacement' || step.op === 'delete-replaced') continue;
    counts[bucketOf(step.op)] += 1;
  }
  return counts;
}

/**
 * Counts from the `Resources:` block that `pulumi preview --diff` prints, e.g.
 * `+ 2 to create`, `~ 1 to update`, `- 1 to delete`, `+-1 to replace`, `5 unchanged`.
 * Returns undefined when no summary is present (the preview failed before it).
 */
export function parseDiffSummary(text: string): ChangeCounts | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*Resources:\s*$/.test(l));
  if (start < 0) return undefined;
  const block = lines.slice(start);
  const counts = emptyCounts();
  const patterns: [RegExp, keyof ChangeCounts][] = [
    [/^\s*\+-\s*(\d+) to replace/, 'replace'],
    [/^\s*\+\s*(\d+) to create/, 'create'],
    [/^\s*~\s*(\d+) to update/, 'update'],
    [/^\s*-\s*(\d+) to delete/, 'delete'],
    [/^\s*(\d+) unchanged/, 'same'],
  ];
  for (const line of block.slice(1)) {
    if (line.trim() === '') break;
    for (const [re, key] of patterns) {
      const m = re.exec(line);
      if (m) {
        counts[key] += Number(m[1]);
        break;
      }
    }
  }
  return counts;
}

const SYMBOL: Record<string, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '+-',
  'create-replacement': '++',
  'delete-replaced': '--',
  read: '>',
  import: '=',
};

/** `aws:ec2/vpc:Vpc::inspection` from `urn:pulumi:prod::inspection::<parent types>$aws:ec2/vpc:Vpc::inspection`. */
export function shortUrn(urn: string): string {
  const parts = urn.split('::');
  if (parts.length < 4) return urn;
  const type = parts[2].split('$').pop() as string;
  return `${type}::${parts.slice(3).join('::')}`;
}

/**
 * A unified-diff-flavoured listing of the changing steps (`same` omitted) with the properties that
 * drive each change; `diff` fences colour `+`/`-` lines on GitHub.
 */
export function renderSteps(digest: PreviewDigest): string {
  const lines: string[] = [];
  for (const step of digest.steps ?? []) {
    if (step.op === 'same' || step.op === 'create-replacement' || step.op === 'delete-replaced') continue;
    const symbol = SYMBOL[step.op] ?? step.op;
    lines.push(`${symbol} ${shortUrn(step.urn)}${SYMBOL[step.op] ? '' : ` (${step.op})`}`);
    const keys = Object.keys(step.detailedDiff ?? {});
    const props = keys.length > 0 ? keys : (step.diffReasons ?? []);
    for (const key of props) {
      const kind = step.detailedDiff?.[key]?.kind ?? 'update';
      const replaces = kind.endsWith('-replace') || (step.replaceReasons ?? []).includes(key);
      lines.push(
        `    ${kind.startsWith('add') ? '+' : kind.startsWith('delete') ? '-' : '~'} ${key}${replaces ? ' (forces replacement)' : ''}`,
      );
    }
  }
  for (const d of digest.diagnostics ?? []) {
    if (d.severity === 'error' || d.severity === 'warning') {
      lines.push(`${d.severity === 'error' ? '!' : '?'} ${d.severity}: ${d.message.trim()}`);
    }
  }
  return lines.join('\n');
}
