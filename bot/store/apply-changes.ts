/**
 * The backend-independent half of the store port: eTag checks, all-or-nothing application of a
 * write, key listing and copying of values. The lowdb and memory stores both build on it, so their
 * conflict semantics cannot drift apart. Everything here is pure except the eTag generator.
 */
import { randomBytes } from 'node:crypto';
import { StoreConflictError, type DocumentChange, type StoredDocument } from '../core/ports/state-store.js';

/** The documents of a store, by key. A Map, not an object, so that keys such as "__proto__" are safe. */
export type DocumentTable = ReadonlyMap<string, StoredDocument>;

/** The outcome of applying one write: the table after it, and the new eTag of every written key. */
export interface AppliedWrite {
  readonly documents: Map<string, StoredDocument>;
  readonly etags: Map<string, string>;
}

/**
 * Makes an eTag generator: `"<counter>-<random>"`. The counter keeps eTags of one process distinct;
 * the random part keeps them distinct across restarts, when the counter starts again at 1.
 */
export function createEtagGenerator(): () => string {
  let counter = 0;
  return () => `${(++counter).toString(36)}-${randomBytes(6).toString('hex')}`;
}

/**
 * Applies `changes` to `current` without modifying it. Every eTag is checked before anything is
 * applied, so a conflict on one key (StoreConflictError) leaves the whole write unapplied.
 * Values are copied (see {@link copyJsonValue}), so later mutations by the caller do not leak in.
 */
export function applyChanges(current: DocumentTable, changes: readonly DocumentChange[], newEtag: () => string): AppliedWrite {
  assertDistinctKeys(changes);
  for (const change of changes) assertEtagMatches(current.get(change.key), change);
  const documents = new Map(current);
  const etags = new Map<string, string>();
  for (const change of changes) {
    if (change.value === undefined) {
      documents.delete(change.key);
      continue;
    }
    const etag = newEtag();
    documents.set(change.key, { value: copyJsonValue(change.value, change.key), etag });
    etags.set(change.key, etag);
  }
  return { documents, etags };
}

/** The documents under `keys`, with copied values; missing keys are absent from the result. */
export function readDocuments(table: DocumentTable, keys: readonly string[]): Map<string, StoredDocument> {
  const found = new Map<string, StoredDocument>();
  for (const key of keys) {
    const doc = table.get(key);
    if (doc) found.set(key, { value: structuredClone(doc.value), etag: doc.etag });
  }
  return found;
}

/** Keys that start with `prefix`, sorted by code unit (the same order on every backend). */
export function listKeys(table: DocumentTable, prefix: string): string[] {
  return [...table.keys()].filter((key) => key.startsWith(prefix)).sort();
}

function assertDistinctKeys(changes: readonly DocumentChange[]): void {
  const seen = new Set<string>();
  for (const { key } of changes) {
    if (typeof key !== 'string' || key === '') throw new TypeError('A store key must be a non-empty string.');
    if (seen.has(key)) throw new TypeError(`The write changes "${key}" twice; merge the two changes into one.`);
    seen.add(key);
  }
}

function assertEtagMatches(stored: StoredDocument | undefined, change: DocumentChange): void {
  if (change.etag === undefined) return;
  if (change.etag === null ? stored !== undefined : stored?.etag !== change.etag) throw new StoreConflictError(change.key);
}

/**
 * A deep copy of `value` that is exactly what a JSON file would give back, so every backend returns
 * the same thing: object properties holding `undefined` are dropped (as JSON.stringify does), and
 * anything JSON cannot hold faithfully (Dates, Maps, class instances, NaN, functions, cycles) is
 * refused with a TypeError naming the key and the path, instead of coming back changed later.
 */
export function copyJsonValue(value: unknown, key: string): unknown {
  return copyAt(value, key, '$', new Set());
}

function copyAt(value: unknown, key: string, path: string, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return refuse(key, path, `the number ${value}`);
  }
  if (typeof value !== 'object') return refuse(key, path, `a ${typeof value}`);
  if (ancestors.has(value)) return refuse(key, path, 'a reference to itself (a cycle)');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? copyArray(value, key, path, ancestors) : copyObject(value, key, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function copyArray(items: readonly unknown[], key: string, path: string, ancestors: Set<object>): unknown[] {
  return items.map((item, i) => {
    if (item === undefined) return refuse(key, `${path}[${i}]`, 'undefined (JSON would turn it into null)');
    return copyAt(item, key, `${path}[${i}]`, ancestors);
  });
}

function copyObject(source: object, key: string, path: string, ancestors: Set<object>): Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(source);
  if (proto !== Object.prototype && proto !== null) return refuse(key, path, `an instance of ${source.constructor?.name ?? 'a class'}`);
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(source)) {
    if (item === undefined) continue;
    Object.defineProperty(copy, name, { value: copyAt(item, key, `${path}.${name}`, ancestors), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function refuse(key: string, path: string, what: string): never {
  throw new TypeError(`The value for "${key}" holds ${what} at ${path}; store only plain JSON (strings, finite numbers, booleans, null, arrays, plain objects), e.g. a Date as an ISO string.`);
}
