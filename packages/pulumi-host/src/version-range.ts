/**
 * The version ranges of `pulumi.runtime.requirePulumiVersion`, which the CLI checks with
 * github.com/blang/semver `ParseRange`: comparators `>=`, `<=`, `>`, `<`, `=`/`==`, `!`/`!=` and a
 * bare version (equal); space-separated comparators must all hold; `||` separates alternatives.
 */

interface Version {
  parts: [number, number, number];
  pre: string;
}

function parseVersion(text: string): Version {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!m) throw new Error(`invalid version "${text}" in a Pulumi version range`);
  return { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? '' };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1; // a release sorts after its pre-releases
  if (!b) return -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === undefined) return -1;
    if (y[i] === undefined) return 1;
    const nx = /^\d+$/.test(x[i]!) ? Number(x[i]) : NaN;
    const ny = /^\d+$/.test(y[i]!) ? Number(y[i]) : NaN;
    if (x[i] === y[i]) continue;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    if (!Number.isNaN(nx)) return -1;
    if (!Number.isNaN(ny)) return 1;
    return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < 3; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i]! - y.parts[i]!;
  return comparePre(x.pre, y.pre);
}

function comparatorHolds(version: string, comparator: string): boolean {
  const m = /^(>=|<=|>|<|==|=|!=|!)?(.+)$/.exec(comparator);
  if (!m) throw new Error(`invalid comparator "${comparator}" in a Pulumi version range`);
  const c = compareVersions(version, m[2]!);
  switch (m[1]) {
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '!':
    case '!=':
      return c !== 0;
    default:
      return c === 0;
  }
}

export function versionSatisfies(version: string, range: string): boolean {
  const alternatives = range.split('||').map((a) => a.trim());
  if (alternatives.some((a) => a === ''))
    throw new Error(`empty alternative in Pulumi version range "${range}"`);
  return alternatives.some((alt) =>
    alt
      // blang/semver allows a space between an operator and its version (">= 3.0.0").
      .replace(/(>=|<=|==|!=|>|<|=|!)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => comparatorHolds(version, c)),
  );
}
