/** Small statistics helpers of `npm run bench`: nearest-rank percentiles, medians, rounding. */

export interface Percentiles {
  readonly samples: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of an ascending array (0 for an empty one). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50/p95/p99/max/mean of `samples`, rounded to `digits` decimals. */
export function percentiles(samples: readonly number[], digits = 2): Percentiles {
  const list = [...samples].sort((a, b) => a - b);
  const r = (x: number): number => round(x, digits);
  const sum = list.reduce((s, x) => s + x, 0);
  return {
    samples: list.length,
    p50: r(percentileOfSorted(list, 50)),
    p95: r(percentileOfSorted(list, 95)),
    p99: r(percentileOfSorted(list, 99)),
    max: r(list[list.length - 1] ?? 0),
    mean: r(list.length === 0 ? 0 : sum / list.length),
  };
}

export function median(values: readonly number[]): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), 50);
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Milliseconds since `from` (a process.hrtime.bigint() reading). */
export function msSince(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e6;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same turn mix on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
