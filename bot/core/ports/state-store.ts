/**
 * The store port: where Pandu keeps its state (per-user preferences, walkthroughs, runs, reminders,
 * conversation references). Documents are plain JSON values under string keys; each carries an
 * eTag so that two writers (two bot instances) never overwrite each other's changes.
 *
 * Backends: lowdb in a local folder (the embedded default, one process) and, later, Azure Blob
 * Storage for several instances. The contract tests in test/store/ run against every backend.
 */
export interface StoredDocument {
  readonly value: unknown;
  /** Opaque version tag; changes on every write of the document. */
  readonly etag: string;
}

export interface DocumentChange {
  readonly key: string;
  /** The new value; `undefined` deletes the document. */
  readonly value: unknown;
  /**
   * Optimistic concurrency: the eTag the writer read. The write fails with a StoreConflictError when
   * the stored document has another eTag; `null` means "must not exist yet"; omitted means "any".
   */
  readonly etag?: string | null;
}

export interface StateStore {
  /** Reads the documents under `keys`; a missing document is absent from the result. */
  read(keys: readonly string[]): Promise<ReadonlyMap<string, StoredDocument>>;
  /**
   * Writes all changes at once: either every change is applied or none is (a conflict on one key
   * fails the whole write). Resolves with the new eTags once the data is durable.
   */
  write(changes: readonly DocumentChange[]): Promise<ReadonlyMap<string, string>>;
  /** Keys that start with `prefix` (for sweeps such as "all users"), sorted. */
  list(prefix: string): Promise<readonly string[]>;
  /** Whether the store can serve requests, for /healthz. */
  health(): Promise<{ readonly ok: boolean; readonly detail: string }>;
  /** Releases files, locks and connections. */
  close(): Promise<void>;
}

/** A write whose eTag did not match: someone else changed the document since it was read. */
export class StoreConflictError extends Error {
  constructor(readonly key: string) {
    super(`The document "${key}" was changed by someone else since it was read; read it again and retry.`);
    this.name = 'StoreConflictError';
  }
}
