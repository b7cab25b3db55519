/**
 * The embedded default store: one JSON file in a local folder, read and written through lowdb.
 *
 * File: `<dir>/pandu-store.json` = `{ "schema": 1, "documents": { "<key>": { "value": …, "etag": "…" } } }`.
 * - Durable: each write goes to a temp file that is fsynced, renamed over the real file, and the
 *   folder is fsynced; a crash or power loss leaves the old or the new file, never a broken one.
 *   The previous good file is kept as `pandu-store.json.bak` for recovery by hand.
 * - Serialized: writes from this process queue up; each one checks eTags, applies all its changes
 *   or none, and resolves only once the file is durable. A failed save changes nothing in memory.
 * - Owned by one process: `<dir>/pandu-store.lock` holds the owner's pid and host; a second process
 *   is refused, a lock left behind by a dead process is taken over.
 * - Strict at open: a file that is not valid JSON or has another schema is refused with a message
 *   that says how to recover, and is never overwritten.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low, type Adapter } from 'lowdb';
import type { DocumentChange, StateStore, StoredDocument } from '../core/ports/state-store.js';
import { applyChanges, createEtagGenerator, listKeys, readDocuments, type DocumentTable } from './apply-changes.js';

/** The store file's name unless `opts.fileName` says otherwise. */
export const DEFAULT_STORE_FILE = 'pandu-store.json';
/** The lock file that marks a data folder as owned by one running Pandu process. */
export const LOCK_FILE = 'pandu-store.lock';
const SCHEMA = 1;

/**
 * The file operations of a durable save, replaceable one by one through `opts.fs` so that tests can
 * make a save fail at a chosen step (as root, read-only folders do not fail reliably).
 */
export interface DurableFileOps {
  /** Creates `file` (which must not exist), writes `text` and fsyncs it. */
  writeSynced(file: string, text: string): Promise<void>;
  /** Makes `to` a second name for (or a copy of) `from`. */
  linkOrCopy(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Fsyncs a folder so that a rename in it survives a power loss. */
  syncDir(dir: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

/** Options of {@link openLowdbStore}. */
export interface LowdbStoreOptions {
  /** The store file's name inside the folder; default `pandu-store.json`. */
  readonly fileName?: string;
  /** Told about things worth a log line that do not stop the store, such as taking over a stale lock. */
  readonly onWarning?: (message: string) => void;
  /** Test seam: replaces some of the file operations of a save. */
  readonly fs?: Partial<DurableFileOps>;
}

interface FileDocument {
  value: unknown;
  etag: string;
}

interface StoreFileData {
  schema: number;
  documents: Record<string, FileDocument>;
}

/**
 * Opens (or creates) the store in `dir`, creating the folder if needed, and takes its lock.
 * Rejects when another live process holds the folder, or when the store file is unreadable, not
 * valid JSON, or of another schema; the message says what to do. Call `close()` to release the lock.
 */
export async function openLowdbStore(dir: string, opts: LowdbStoreOptions = {}): Promise<StateStore> {
  const folder = path.resolve(dir);
  const fileName = opts.fileName ?? DEFAULT_STORE_FILE;
  if (fileName !== path.basename(fileName) || fileName === LOCK_FILE) throw new TypeError(`The store file name "${fileName}" must be a plain file name other than ${LOCK_FILE}.`);
  await fsp.mkdir(folder, { recursive: true });
  const lock = await acquireLock(folder, opts.onWarning ?? (() => undefined));
  try {
    await removeLeftoverTempFiles(folder, fileName);
    const file = path.join(folder, fileName);
    const db = new Low<StoreFileData>(new DurableJsonFile(file, { ...defaultFileOps, ...opts.fs }), emptyData());
    await db.read();
    return new LowdbStore(db, file, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// The store

class LowdbStore implements StateStore {
  private documents: DocumentTable;
  private queue: Promise<unknown> = Promise.resolve();
  private lastFailure: string | undefined;
  private closed = false;
  private readonly newEtag = createEtagGenerator();

  constructor(
    private readonly db: Low<StoreFileData>,
    private readonly file: string,
    private readonly lock: Lock,
  ) {
    this.documents = toTable(db.data);
  }

  async read(keys: readonly string[]): Promise<ReadonlyMap<string, StoredDocument>> {
    this.assertOpen();
    return readDocuments(this.documents, keys);
  }

  async write(changes: readonly DocumentChange[]): Promise<ReadonlyMap<string, string>> {
    this.assertOpen();
    // Group commit: writes that arrive while a save is under way are checked one after another, in
    // order, against the state the earlier ones leave, and then saved together with one file write.
    return new Promise((resolve, reject) => {
      this.pending.push({ changes, resolve, reject });
      if (this.pending.length === 1) void this.enqueue(() => this.flush());
    });
  }

  private pending: { changes: readonly DocumentChange[]; resolve: (etags: ReadonlyMap<string, string>) => void; reject: (error: unknown) => void }[] = [];

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    let working = this.documents;
    const accepted: { etags: ReadonlyMap<string, string>; resolve: (etags: ReadonlyMap<string, string>) => void; reject: (error: unknown) => void }[] = [];
    for (const item of batch) {
      try {
        const applied = applyChanges(working, item.changes, this.newEtag);
        working = applied.documents;
        accepted.push({ etags: applied.etags, resolve: item.resolve, reject: item.reject });
      } catch (error) {
        item.reject(error);
      }
    }
    if (accepted.length === 0) return;
    try {
      if (working !== this.documents) await this.persist(working);
      for (const a of accepted) a.resolve(a.etags);
    } catch (error) {
      for (const a of accepted) a.reject(error);
    }
  }

  async list(prefix: string): Promise<readonly string[]> {
    this.assertOpen();
    return listKeys(this.documents, prefix);
  }

  async health(): Promise<{ readonly ok: boolean; readonly detail: string }> {
    if (this.closed) return { ok: false, detail: `lowdb ${this.file} (closed)` };
    if (this.lastFailure !== undefined) return { ok: false, detail: `lowdb ${this.file}: the last write failed: ${this.lastFailure}` };
    return { ok: true, detail: `lowdb ${this.file}` };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.lock.release();
  }

  /** Runs `task` after every write queued before it, so that writes never interleave. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Saves `next` durably and makes it the current state; on failure keeps what is on disk. */
  private async persist(next: DocumentTable): Promise<void> {
    const previous = this.db.data;
    this.db.data = toFileData(next);
    try {
      await this.db.write();
    } catch (err) {
      this.documents = await this.reloadAfterFailure(previous);
      const reason = err instanceof Error ? err.message : String(err);
      this.lastFailure = reason;
      throw new Error(
        `Could not save ${this.file}: ${reason}. The store kept what is on disk; read the documents again before retrying. Check free disk space and the permissions of ${path.dirname(this.file)}.`,
        { cause: err },
      );
    }
    this.documents = next;
    this.lastFailure = undefined;
  }

  /**
   * After a failed save the file on disk is whole (old or new, never half), so it is the truth:
   * reread it. If even that fails, keep the state from before the write.
   */
  private async reloadAfterFailure(previous: StoreFileData): Promise<DocumentTable> {
    this.db.data = previous;
    try {
      await this.db.read();
    } catch {
      this.db.data = previous;
    }
    return toTable(this.db.data);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The store ${this.file} was closed; open it again to use it.`);
  }
}

function emptyData(): StoreFileData {
  return { schema: SCHEMA, documents: {} };
}

function toTable(data: StoreFileData): DocumentTable {
  return new Map(Object.entries(data.documents).map(([key, doc]) => [key, { value: doc.value, etag: doc.etag }]));
}

/** Object.fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key. */
function toFileData(table: DocumentTable): StoreFileData {
  return { schema: SCHEMA, documents: Object.fromEntries([...table].map(([key, doc]) => [key, { value: doc.value, etag: doc.etag }])) };
}

// ---------------------------------------------------------------------------------------------
// The lowdb adapter: strict reads, durable writes

/** A lowdb adapter for one JSON file that refuses bad files and saves by temp file + fsync + rename. */
class DurableJsonFile implements Adapter<StoreFileData> {
  private saves = 0;

  constructor(
    private readonly file: string,
    private readonly ops: DurableFileOps,
  ) {}

  async read(): Promise<StoreFileData | null> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null;
      throw new Error(`Could not read the store file ${this.file}: ${err instanceof Error ? err.message : String(err)}. Check that it is a file Pandu may read.`, { cause: err });
    }
    return parseStoreFile(text, this.file);
  }

  async write(data: StoreFileData): Promise<void> {
    const text = `${JSON.stringify(data)}\n`;
    const temp = this.tempName();
    try {
      await this.ops.writeSynced(temp, text);
      await this.keepBackup();
      await this.ops.rename(temp, this.file);
    } catch (err) {
      await this.ops.unlink(temp).catch(() => undefined);
      throw err;
    }
    await this.ops.syncDir(path.dirname(this.file));
  }

  /** Points `<file>.bak` at the current file (which is about to be replaced), in one rename. */
  private async keepBackup(): Promise<void> {
    const temp = this.tempName();
    try {
      await this.ops.linkOrCopy(this.file, temp);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return;
      throw err;
    }
    try {
      await this.ops.rename(temp, `${this.file}.bak`);
    } catch (err) {
      await this.ops.unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  private tempName(): string {
    return `${this.file}.${process.pid}-${++this.saves}.tmp`;
  }
}

const defaultFileOps: DurableFileOps = {
  async writeSynced(file, text) {
    const handle = await fsp.open(file, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async linkOrCopy(from, to) {
    try {
      await fsp.link(from, to);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT' || code === 'EEXIST') throw err;
      await fsp.copyFile(from, to); // file systems without hard links (FAT, some network shares)
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  async syncDir(dir) {
    if (process.platform === 'win32') return; // Windows cannot fsync a folder; NTFS journals the rename
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  unlink: (file) => fsp.unlink(file),
};

/** Parses and checks the store file; a bad file is refused with a message saying how to recover. */
function parseStoreFile(text: string, file: string): StoreFileData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badFile(file, `is not valid JSON (truncated?): ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(parsed)) throw badFile(file, 'does not hold a JSON object');
  const { schema, documents } = parsed;
  if (schema === undefined) throw badFile(file, 'has no "schema"; it is not a Pandu store file');
  if (schema !== SCHEMA) {
    const newer = typeof schema === 'number' && schema > SCHEMA ? ' (written by a newer Pandu? then upgrade this one)' : '';
    throw badFile(file, `has schema ${JSON.stringify(schema)}, expected ${SCHEMA}${newer}`);
  }
  if (!isRecord(documents)) throw badFile(file, 'has no "documents" object');
  for (const [key, doc] of Object.entries(documents)) {
    if (!isRecord(doc) || !('value' in doc) || typeof doc.etag !== 'string') throw badFile(file, `has a broken document "${key}" (it needs a "value" and a string "etag")`);
  }
  return { schema: SCHEMA, documents: documents as Record<string, FileDocument> };
}

function badFile(file: string, problem: string): Error {
  const backup = `${path.basename(file)}.bak`;
  return new Error(`The store file ${file} ${problem}. Pandu has not changed it: restore it from ${backup}, or move it away to start with an empty store.`);
}

/** Removes temp files of saves that a crash interrupted; safe because the lock is ours. */
async function removeLeftoverTempFiles(folder: string, fileName: string): Promise<void> {
  for (const name of await fsp.readdir(folder)) {
    if (name.startsWith(`${fileName}.`) && name.endsWith('.tmp')) await fsp.unlink(path.join(folder, name)).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The folder lock

interface Lock {
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

/** Tokens of the locks this process holds, to tell our own lock from one left by a crashed run with the same pid. */
const HELD_TOKENS = new Set<string>();

interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
}

/**
 * Takes `<folder>/pandu-store.lock` (created exclusively), taking over a lock whose process is gone.
 * The lock is also removed, synchronously, when the process exits without closing the store.
 */
async function acquireLock(folder: string, warn: (message: string) => void): Promise<Lock> {
  const lockPath = path.join(folder, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, hostname: os.hostname(), token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreateLock(lockPath, mine)) return holdLock(lockPath, mine);
    const reason = await staleLockReason(lockPath, folder);
    if (reason === undefined) continue; // vanished meanwhile: try again
    warn(`Taking over the lock ${lockPath}: ${reason}.`);
    await fsp.unlink(lockPath).catch((err: unknown) => {
      if (errorCode(err) !== 'ENOENT') throw err;
    });
  }
  throw new Error(`Could not take the lock ${lockPath}: other processes keep creating it. Make sure only one Pandu uses ${folder}.`);
}

async function tryCreateLock(lockPath: string, mine: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await fsp.open(lockPath, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw new Error(`Could not create the lock ${lockPath}: ${err instanceof Error ? err.message : String(err)}. Check that Pandu may write to ${path.dirname(lockPath)}.`, { cause: err });
  }
  try {
    await handle.writeFile(`${JSON.stringify(mine)}\n`, 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Why an existing lock may be taken over, or throws when its owner is alive (or on another host,
 * where its pid cannot be checked). Undefined when the lock file has vanished.
 */
async function staleLockReason(lockPath: string, folder: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(lockPath, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    return `it cannot be read (${err instanceof Error ? err.message : String(err)})`;
  }
  const owner = parseLockInfo(text);
  if (!owner) return 'it is unreadable (a crash while it was being written?)';
  if (owner.hostname !== os.hostname()) {
    throw new Error(
      `The data folder ${folder} is locked by Pandu process ${owner.pid} on host ${owner.hostname}, not this host (${os.hostname()}). If no Pandu runs there any more, delete ${lockPath} and start again; for several instances use the Blob store.`,
    );
  }
  if (owner.pid === process.pid) {
    // In a container every start gets the same pid: a lock with our pid that this process does not
    // hold was left by an earlier run that crashed or was killed.
    if (!HELD_TOKENS.has(owner.token)) return `it was left by an earlier process with the same pid ${owner.pid} (a restart after a crash)`;
    throw new Error(`The data folder ${folder} is already open in this process (pid ${owner.pid}); close that store before opening it again.`);
  }
  if (isAlive(owner.pid)) {
    throw new Error(`The data folder ${folder} is in use by another Pandu process (pid ${owner.pid}). Stop it first, or give this instance its own PANDU_DATA_DIR; for several instances use the Blob store.`);
  }
  return `its process ${owner.pid} is no longer running`;
}

function parseLockInfo(text: string): LockInfo | undefined {
  try {
    const info: unknown = JSON.parse(text);
    if (isRecord(info) && Number.isInteger(info.pid) && typeof info.hostname === 'string' && typeof info.token === 'string') {
      return { pid: info.pid as number, hostname: info.hostname, token: info.token };
    }
  } catch {
    // fall through: unreadable
  }
  return undefined;
}

/** Signal 0 checks that a process exists: EPERM means it exists but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) !== 'ESRCH';
  }
}

function holdLock(lockPath: string, mine: LockInfo): Lock {
  const isOurs = (text: string): boolean => parseLockInfo(text)?.token === mine.token;
  const releaseOnExit = (): void => {
    try {
      if (isOurs(readFileSync(lockPath, 'utf8'))) unlinkSync(lockPath);
    } catch {
      // best effort: the next start takes over a stale lock anyway
    }
  };
  process.on('exit', releaseOnExit);
  HELD_TOKENS.add(mine.token);
  return {
    async release() {
      process.off('exit', releaseOnExit);
      HELD_TOKENS.delete(mine.token);
      try {
        if (isOurs(await fsp.readFile(lockPath, 'utf8'))) await fsp.unlink(lockPath);
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') throw err;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCode(err: unknown): string | undefined {
  return isRecord(err) && typeof err.code === 'string' ? err.code : undefined;
}
