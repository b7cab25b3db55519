import { formatPath, type PathPart, type Problem } from './problems.js';

/**
 * One parsed catalogue file. `locate` maps a path inside the data to a 1-based line (the reader of
 * YAML files supplies it); the core never reads files itself.
 */
export interface SourceDoc {
  readonly file: string;
  readonly data: unknown;
  readonly locate: (path: readonly PathPart[]) => number | undefined;
}

export type Obj = Readonly<Record<string, unknown>>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads typed fields out of untrusted parsed data and records a problem for each one that is
 * missing, of the wrong type, empty, or unknown. Methods return `undefined` for a bad field so the
 * caller can go on and report everything at once.
 */
export class FieldReader {
  readonly problems: Problem[] = [];

  constructor(readonly doc: SourceDoc) {}

  report(path: readonly PathPart[], message: string, fix: string): void {
    const line = this.doc.locate(path);
    this.problems.push({ file: this.doc.file, ...(line === undefined ? {} : { line }), path: formatPath(path), message, fix });
  }

  /** Checks that `obj` is an object with only `allowed` keys. */
  object(value: unknown, path: readonly PathPart[], allowed: readonly string[]): Obj | undefined {
    if (!isObj(value)) {
      this.report(path, `Expected a mapping (key: value pairs) here, found ${describe(value)}.`, 'Write this entry as "key: value" lines.');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        if (value[key] === null) {
          this.report([...path, key], `Unknown field "${key}": a text with a comma inside {…} was split in two.`, 'Put the whole text in quotes, e.g. name: "Pendamping (PKH, KUBE)".');
          continue;
        }
        const near = closest(key, allowed);
        this.report([...path, key], `Unknown field "${key}".`, near ? `Did you mean "${near}"? Known fields: ${allowed.join(', ')}.` : `Remove it, or use one of: ${allowed.join(', ')}.`);
      }
    }
    return value;
  }

  text(obj: Obj, key: string, path: readonly PathPart[], opts: { optional?: boolean } = {}): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.report([...path, key], `The field "${key}" is missing.`, `Add "${key}:" with a text.`);
      return undefined;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      this.report([...path, key], `"${key}" must be text, found the ${typeof value} ${String(value)}.`, `Put the value in quotes, e.g. ${key}: "${String(value)}".`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report([...path, key], `"${key}" must be text, found ${describe(value)}.`, `Write "${key}" as a single text value.`);
      return undefined;
    }
    if (value.trim() === '') {
      this.report([...path, key], `"${key}" is empty.`, `Write the ${key}, or remove the field if it is optional.`);
      return undefined;
    }
    return value.trim();
  }

  oneOf<T extends string>(obj: Obj, key: string, path: readonly PathPart[], values: readonly T[], opts: { optional?: boolean } = {}): T | undefined {
    const value = this.text(obj, key, path, opts);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      this.report([...path, key], `"${key}" is "${value}", which is not allowed.`, `Use one of: ${values.join(', ')}.`);
      return undefined;
    }
    return value as T;
  }

  integer(obj: Obj, key: string, path: readonly PathPart[], opts: { optional?: boolean; min?: number } = {}): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.report([...path, key], `The field "${key}" is missing.`, `Add "${key}:" with a whole number.`);
      return undefined;
    }
    const min = opts.min ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      this.report([...path, key], `"${key}" must be a whole number of at least ${min}, found ${describe(value)}.`, `Write a whole number, e.g. ${key}: 14.`);
      return undefined;
    }
    return value;
  }

  bool(obj: Obj, key: string, path: readonly PathPart[]): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.report([...path, key], `"${key}" must be true or false, found ${describe(value)}.`, `Write ${key}: true or ${key}: false.`);
      return undefined;
    }
    return value;
  }

  /** A list; each element is checked by `item`, which returns undefined for a bad element. */
  list<T>(obj: Obj, key: string, path: readonly PathPart[], item: (value: unknown, path: readonly PathPart[]) => T | undefined, opts: { optional?: boolean; nonEmpty?: boolean } = {}): T[] {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.report([...path, key], `The list "${key}" is missing.`, `Add "${key}:" with a list (use [] for an empty one).`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.report([...path, key], `"${key}" must be a list, found ${describe(value)}.`, `Write it as a YAML list: "${key}: [a, b]" or one "- item" per line.`);
      return [];
    }
    if (opts.nonEmpty && value.length === 0) {
      this.report([...path, key], `The list "${key}" is empty.`, `Add at least one entry to "${key}".`);
    }
    const out: T[] = [];
    value.forEach((element, i) => {
      const checked = item(element, [...path, key, i]);
      if (checked !== undefined) out.push(checked);
    });
    return out;
  }

  /** A list of non-empty texts. */
  texts(obj: Obj, key: string, path: readonly PathPart[], opts: { optional?: boolean; nonEmpty?: boolean } = {}): string[] {
    return this.list(obj, key, path, (value, p) => this.textValue(value, p), opts);
  }

  textValue(value: unknown, path: readonly PathPart[]): string | undefined {
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') {
      this.report(path, `Expected text here, found ${describe(value)}.`, 'Write a single text value (quote it if it contains ": ").');
      return undefined;
    }
    if (value.trim() === '') {
      this.report(path, 'This text is empty.', 'Write the text or remove the entry.');
      return undefined;
    }
    return value.trim();
  }
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `the ${typeof value} ${String(value)}`;
}

/** Edit distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Up to `n` candidates ordered by closeness to `word`. */
export function nearest(word: string, candidates: Iterable<string>, n: number): string[] {
  return [...candidates]
    .map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) - (c.startsWith(word) || word.startsWith(c) ? 2 : 0) }))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, n)
    .map((x) => x.c);
}

/** Drops keys whose value is undefined, so optional fields stay absent rather than undefined. */
export function compact<T extends object>(obj: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
