/** A small semver-range check covering the forms found in engines fields (>=, ^, ~, x, ||, spaces). */
export function satisfiesRange(version: string, range: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return range.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split('||').some((alt) => alt.trim().split(/\s+/).filter(Boolean).every((c) => comparator(c, [major, minor, patch])));
}

function comparator(c: string, [major, minor, patch]: readonly [number, number, number]): boolean {
  if (c === '*' || c === 'x' || c === '') return true;
  const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(c);
  if (!m) return true;
  const op = m[1] ?? '=';
  const parts = [m[2], m[3], m[4]].map((p) => (p === undefined || p === 'x' || p === '*' ? undefined : Number(p)));
  const v = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0] as const;
  const cmp = compare([major, minor, patch], v);
  switch (op) {
    case '>=': return cmp >= 0;
    case '>': return cmp > 0;
    case '<=': return cmp <= 0;
    case '<': return cmp < 0;
    case '^': return cmp >= 0 && (v[0] !== 0 ? major === v[0] : minor === v[1]);
    case '~': return cmp >= 0 && major === v[0] && (parts[1] === undefined || minor === v[1]);
    default:
      return parts.every((p, i) => p === undefined || p === [major, minor, patch][i]);
  }
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
