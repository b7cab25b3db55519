/**
 * The scale-out store: Azure Blob Storage, for several Pandu instances sharing one state.
 *
 * Layout: one block blob per document in one container, named `<prefix><encoded key>`, holding
 * `{ "schema": 1, "value": … }` as JSON. The key is encoded with encodeURIComponent (so "/" in a
 * key never makes a virtual folder), and a trailing run of dots is written as `%2E` (Azure and URL
 * normalisation mistreat names ending in "." and a key such as ".." would be a path step); the
 * names decode with decodeURIComponent. The blob's ETag is the document's eTag.
 *
 * Concurrency, honestly:
 * - One document: every change is one conditional request (If-Match with the eTag read, or
 *   If-None-Match: * for "must not exist yet"), so Blob Storage itself refuses a stale writer;
 *   this is true atomicity and holds between any number of instances.
 * - Several documents: Blob Storage has no transactions across blobs. A write first reads every
 *   document and checks all eTags (a conflict there applies nothing), then applies the changes one
 *   by one, each still conditional. If one is refused (412/409) because another writer got in
 *   between, the changes already applied are undone by compensation — previous content written
 *   back on condition of the eTag this write produced, created documents deleted — and the write
 *   rejects with StoreConflictError. Readers may briefly see the partial state, and a rolled-back
 *   document has a new eTag (its old readers get a conflict, never a lost update). This gives
 *   all-or-nothing as long as writers touch disjoint documents or follow the eTag protocol (read,
 *   then write with the eTag read). A compensation that is itself refused (someone built on the
 *   partial state) is left alone, reported through `onWarning` and in the error message.
 *
 * Failures: transient errors (5xx but 501/505, connection resets and refusals, timeouts) are
 * retried a bounded number of times with jittered exponential backoff; 4xx answers never are, and a
 * 412 on a retried conditional write is reported as a conflict, never taken for success. Errors name
 * the container and the key and say what to do; they never contain the connection string, its key
 * or a SAS signature.
 */
import { ContainerClient, type BlobRequestConditions } from '@azure/storage-blob';
import { StoreConflictError, type DocumentChange, type StateStore, type StoredDocument } from '../core/ports/state-store.js';
import { copyJsonValue } from './apply-changes.js';

/** Options of {@link openBlobStore}. */
export interface BlobStoreOptions {
  /** The storage account's connection string (account key or SAS); never shown in messages. */
  readonly connectionString: string;
  /** The container; created at open when missing. 3–63 lowercase letters, digits and single hyphens. */
  readonly container: string;
  /** Put before every blob name, e.g. "pandu/" to share a container; default none. */
  readonly prefix?: string;
  /** Told about things worth a log line that do not fail the call, such as an incomplete rollback. */
  readonly onWarning?: (message: string) => void;
  /** Retries of transient failures; the defaults suit a bot answering a chat turn. */
  readonly retry?: BlobRetryOptions;
  /** How long health() waits for the service; default 3000 ms. */
  readonly healthTimeoutMs?: number;
}

export interface BlobRetryOptions {
  /** Tries per request, the first one included; default 3. */
  readonly maxTries?: number;
  /** The backoff before the second try (doubling, with jitter); default 100 ms. */
  readonly baseDelayMs?: number;
  /** The longest backoff; default 1000 ms. */
  readonly maxDelayMs?: number;
  /** Time limit of one try; default 15000 ms. */
  readonly tryTimeoutMs?: number;
}

const SCHEMA = 1;
/** Azure's limit on blob names. */
const MAX_BLOB_NAME = 1024;
const CONTAINER_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'REQUEST_SEND_ERROR']);
const CONNECTION_CODES = new Set([...TRANSIENT_CODES, 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
const CONNECTION_SETTING = 'PANDU_BLOB_CONNECTION_STRING';

/** True for a valid Azure container name: 3–63 lowercase letters, digits and single hyphens, not at either end. */
export function isValidContainerName(name: string): boolean {
  return CONTAINER_NAME.test(name);
}

/**
 * The blob name of `key` under `prefix` (see the file comment), or undefined when the key cannot be
 * a blob name (empty, a lone surrogate, too long).
 */
export function blobNameOf(prefix: string, key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return undefined;
  let encoded: string;
  try {
    encoded = encodeURIComponent(key);
  } catch {
    return undefined; // a lone surrogate: not Unicode text
  }
  const dots = /\.+$/.exec(encoded);
  if (dots) encoded = `${encoded.slice(0, dots.index)}${'%2E'.repeat(dots[0].length)}`;
  const name = `${prefix}${encoded}`;
  return name.length <= MAX_BLOB_NAME ? name : undefined;
}

/**
 * Opens the store on a container, creating the container when it is missing. Rejects, with a message
 * that names the container and says what to fix, when the connection string is unusable, the account
 * refuses the credentials, or the endpoint cannot be reached (after the retries).
 */
export async function openBlobStore(opts: BlobStoreOptions): Promise<StateStore> {
  const { container } = opts;
  const prefix = opts.prefix ?? '';
  const redact = redactor(opts.connectionString);
  if (!isValidContainerName(container)) {
    throw new TypeError(`The Blob container name ${redact(JSON.stringify(container))} is not valid: use 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (PANDU_BLOB_CONTAINER), e.g. "pandu".`);
  }
  checkPrefix(prefix);
  const retry = retryPolicy(opts.retry);
  let client: ContainerClient;
  try {
    // The SDK's own retry is turned off (maxTries 1): its backoff has no jitter, its first retry is
    // immediate and it skips 502/504. Pandu's retry below replaces it, so tries do not multiply.
    client = new ContainerClient(opts.connectionString, container, { retryOptions: { maxTries: 1 } });
  } catch (err) {
    // No `cause`: the SDK's error (a URL TypeError has an `input` property) may carry the secret.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`The Blob connection string (${CONNECTION_SETTING}) cannot be used for container "${container}": ${redact(messageOf(err))}. Copy it again from the storage account (Security + networking → Access keys → Connection string), or use UseDevelopmentStorage=true for a local Azurite.`);
  }
  const store = new BlobStore(client, container, prefix, retry, redact, opts.onWarning ?? (() => undefined), opts.healthTimeoutMs ?? 3000);
  await store.open();
  return store;
}

function checkPrefix(prefix: string): void {
  const problem =
    typeof prefix !== 'string' ? 'is not a string'
    : prefix.length > MAX_BLOB_NAME / 2 ? `is longer than ${MAX_BLOB_NAME / 2} characters`
    : prefix.startsWith('/') || prefix.includes('\\') ? 'starts with "/" or holds a backslash'
    : prefix.split('/').some((step) => step === '.' || step === '..') ? 'holds a "." or ".." step'
    : undefined;
  if (problem !== undefined) throw new TypeError(`The Blob name prefix ${JSON.stringify(prefix)} ${problem}; use something like "pandu/" or no prefix.`);
}

// ---------------------------------------------------------------------------------------------
// The store

/** A document as fetched: its parsed value, its eTag and the exact text (for a rollback). */
interface FetchedBlob {
  readonly value: unknown;
  readonly etag: string;
  readonly raw: string;
}

/** A change ready to send: its blob name and, unless it is a delete, the JSON text to upload. */
interface PreparedChange {
  readonly key: string;
  readonly name: string;
  readonly body: string | undefined;
  readonly etag: string | null | undefined;
}

/** A change already applied by a multi-document write, and what undoes it. */
interface AppliedChange {
  readonly change: PreparedChange;
  readonly previous: FetchedBlob | undefined;
  /** The eTag the write produced; undefined for a delete. */
  readonly etag: string | undefined;
}

interface RetryPolicy {
  readonly maxTries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly tryTimeoutMs: number;
}

class BlobStore implements StateStore {
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly endpoint: string;

  constructor(
    private readonly client: ContainerClient,
    private readonly container: string,
    private readonly prefix: string,
    private readonly retry: RetryPolicy,
    private readonly redact: (text: string) => string,
    private readonly warn: (message: string) => void,
    private readonly healthTimeoutMs: number,
  ) {
    this.endpoint = endpointOf(client.url, container);
  }

  async open(): Promise<void> {
    try {
      await this.call((abortSignal) => this.client.createIfNotExists({ abortSignal }));
    } catch (err) {
      throw this.failure(err, 'open the container (create it if missing)', undefined, 'Pandu did not start its Blob store.');
    }
  }

  async read(keys: readonly string[]): Promise<ReadonlyMap<string, StoredDocument>> {
    this.assertOpen();
    return this.track(async () => {
      const fetched = await this.fetchAll([...new Set(keys)], 'read');
      const found = new Map<string, StoredDocument>();
      for (const key of keys) {
        const doc = fetched.get(key);
        if (doc) found.set(key, { value: doc.value, etag: doc.etag });
      }
      return found;
    });
  }

  /**
   * One change: a single conditional request, atomic. Several: check every eTag first, then apply in
   * order and undo by compensation if one is refused (see the file comment for what that guarantees).
   */
  async write(changes: readonly DocumentChange[]): Promise<ReadonlyMap<string, string>> {
    this.assertOpen();
    const prepared = this.prepare(changes);
    return this.track(() => (prepared.length === 1 ? this.writeOne(prepared[0]!) : this.writeMany(prepared)));
  }

  async list(prefix: string): Promise<readonly string[]> {
    this.assertOpen();
    return this.track(async () => {
      // Trailing dots are encoded differently at the end of a name, so list by the prefix without
      // them and filter the decoded keys; a prefix that cannot be encoded lists everything.
      let blobPrefix = this.prefix;
      try {
        blobPrefix += encodeURIComponent(prefix.replace(/\.+$/, ''));
      } catch {
        // a lone surrogate: list all and filter
      }
      const keys: string[] = [];
      let continuationToken: string | undefined;
      do {
        const token = continuationToken;
        let page;
        try {
          page = await this.call(async (abortSignal) => (await this.client.listBlobsFlat({ prefix: blobPrefix, abortSignal }).byPage({ continuationToken: token, maxPageSize: 5000 }).next()).value);
        } catch (err) {
          throw this.failure(err, `list the keys starting with ${JSON.stringify(prefix)}`);
        }
        for (const item of page?.segment.blobItems ?? []) {
          const key = this.keyOf(item.name);
          if (key !== undefined && key.startsWith(prefix)) keys.push(key);
        }
        continuationToken = page?.continuationToken || undefined;
      } while (continuationToken !== undefined);
      return keys.sort();
    });
  }

  async health(): Promise<{ readonly ok: boolean; readonly detail: string }> {
    const what = `blob container "${this.container}" at ${this.endpoint}`;
    if (this.closed) return { ok: false, detail: `${what} (closed)` };
    try {
      await this.client.getProperties({ abortSignal: AbortSignal.timeout(this.healthTimeoutMs) });
      return { ok: true, detail: what };
    } catch (err) {
      return { ok: false, detail: `${what}: ${this.redact(reasonOf(err, this.endpoint, this.healthTimeoutMs))}` };
    }
  }

  /** Nothing to release (HTTP connections are pooled and idle out); waits for calls in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
  }

  // --- writing ---------------------------------------------------------------------------------

  /** Checks keys and values and serializes them, before anything is sent. */
  private prepare(changes: readonly DocumentChange[]): PreparedChange[] {
    const seen = new Set<string>();
    return changes.map(({ key, value, etag }) => {
      if (typeof key !== 'string' || key === '') throw new TypeError('A store key must be a non-empty string.');
      if (seen.has(key)) throw new TypeError(`The write changes "${key}" twice; merge the two changes into one.`);
      seen.add(key);
      const name = blobNameOf(this.prefix, key);
      if (name === undefined) {
        throw new TypeError(`The key ${JSON.stringify(key)} cannot be stored in Blob container "${this.container}": a key must be Unicode text (no lone surrogates) and at most ${MAX_BLOB_NAME} characters as a blob name; use a shorter key.`);
      }
      const body = value === undefined ? undefined : JSON.stringify({ schema: SCHEMA, value: copyJsonValue(value, key) });
      return { key, name, body, etag };
    });
  }

  private async writeOne(change: PreparedChange): Promise<ReadonlyMap<string, string>> {
    const etag = await this.apply(change, change.etag);
    return new Map(etag === undefined ? [] : [[change.key, etag]]);
  }

  private async writeMany(changes: readonly PreparedChange[]): Promise<ReadonlyMap<string, string>> {
    const etags = new Map<string, string>();
    if (changes.length === 0) return etags;
    const current = await this.fetchAll(changes.map((c) => c.key), 'check before writing');
    for (const change of changes) {
      const stored = current.get(change.key);
      if (change.etag !== undefined && (change.etag === null ? stored !== undefined : stored?.etag !== change.etag)) throw new StoreConflictError(change.key);
    }
    const applied: AppliedChange[] = [];
    for (const change of changes) {
      let etag: string | undefined;
      try {
        etag = await this.apply(change, change.etag);
      } catch (err) {
        const unrestored = await this.rollback(applied);
        throw this.afterRollback(err, change.key, applied.length, unrestored);
      }
      applied.push({ change, previous: current.get(change.key), etag });
      if (etag !== undefined) etags.set(change.key, etag);
    }
    return etags;
  }

  /**
   * Applies one change on condition `etag` (a string: If-Match; null: must not exist; undefined:
   * none). Resolves with the new eTag (undefined for a delete); a refused condition rejects with
   * StoreConflictError, anything else with an Error saying what to do.
   */
  private async apply(change: PreparedChange, etag: string | null | undefined): Promise<string | undefined> {
    const blob = this.client.getBlockBlobClient(change.name);
    const conditions: BlobRequestConditions = etag === undefined ? {} : etag === null ? { ifNoneMatch: '*' } : { ifMatch: etag };
    try {
      const body = change.body;
      if (body !== undefined) {
        const response = await this.call((abortSignal) => blob.upload(body, Buffer.byteLength(body), { conditions, abortSignal, blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' } }));
        if (response.etag === undefined) throw new Error('the service returned no ETag');
        return response.etag;
      }
      if (etag === undefined) {
        await this.call((abortSignal) => blob.deleteIfExists({ abortSignal }));
      } else if (etag === null) {
        // Deleting what must not exist: nothing to do unless it exists (then it is a conflict).
        if (await this.fetch(change.key, change.name, 'check before deleting')) throw new StoreConflictError(change.key);
      } else {
        await this.call((abortSignal) => blob.delete({ conditions, abortSignal }));
      }
      return undefined;
    } catch (err) {
      if (err instanceof StoreConflictError) throw err;
      const status = statusOf(err);
      if (status === 412 || status === 409 || (status === 404 && etag !== undefined && codeOf(err) === 'BlobNotFound')) throw new StoreConflictError(change.key);
      throw this.failure(err, change.body !== undefined ? `write "${change.key}"` : `delete "${change.key}"`, change.key);
    }
  }

  /**
   * Undoes `applied`, last first, each on condition of the eTag this write produced. Returns what
   * could not be undone (someone changed it meanwhile, or the service failed), as messages.
   */
  private async rollback(applied: readonly AppliedChange[]): Promise<string[]> {
    const unrestored: string[] = [];
    for (const { change, previous, etag } of [...applied].reverse()) {
      const blob = this.client.getBlockBlobClient(change.name);
      try {
        if (previous === undefined && etag === undefined) continue; // deleted what was not there
        if (previous === undefined) {
          await this.call((abortSignal) => blob.delete({ conditions: { ifMatch: etag }, abortSignal }));
        } else {
          const conditions: BlobRequestConditions = etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag };
          await this.call((abortSignal) => blob.upload(previous.raw, Buffer.byteLength(previous.raw), { conditions, abortSignal, blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' } }));
        }
      } catch (err) {
        const status = statusOf(err);
        const why = status === 412 || status === 409 || status === 404 ? 'another writer changed it after this write' : this.redact(reasonOf(err, this.endpoint));
        unrestored.push(`"${change.key}" (${why})`);
      }
    }
    return unrestored;
  }

  /** The error of a multi-document write whose change `key` failed after `appliedCount` others were applied. */
  private afterRollback(err: unknown, key: string, appliedCount: number, unrestored: readonly string[]): Error {
    const failed = err instanceof Error ? err : new Error(String(err));
    if (unrestored.length > 0) {
      const incomplete = `The write was partly applied and could not be fully undone: ${unrestored.join(', ')} keep the value this write gave them; read them again before deciding what to write.`;
      this.warn(`Blob store (container "${this.container}"): a write that failed on "${key}" was rolled back incompletely. ${incomplete}`);
      failed.message = `${failed.message} ${incomplete}`;
    } else if (appliedCount > 0 && !(err instanceof StoreConflictError)) {
      failed.message = `${failed.message} The ${appliedCount} change(s) of this write already applied were undone.`;
    }
    return failed;
  }

  // --- reading ---------------------------------------------------------------------------------

  private async fetchAll(keys: readonly string[], purpose: string): Promise<Map<string, FetchedBlob>> {
    const fetched = await Promise.all(keys.map(async (key) => {
      const name = blobNameOf(this.prefix, key);
      return [key, name === undefined ? undefined : await this.fetch(key, name, purpose)] as const;
    }));
    const found = new Map<string, FetchedBlob>();
    for (const [key, doc] of fetched) if (doc) found.set(key, doc);
    return found;
  }

  /** Downloads one document; undefined when it does not exist. */
  private async fetch(key: string, name: string, purpose: string): Promise<FetchedBlob | undefined> {
    const blob = this.client.getBlockBlobClient(name);
    let downloaded: { raw: string; etag: string } | undefined;
    try {
      downloaded = await this.call(async (abortSignal) => {
        let response;
        try {
          response = await blob.download(0, undefined, { abortSignal });
        } catch (err) {
          if (statusOf(err) === 404 && codeOf(err) === 'BlobNotFound') return undefined;
          throw err;
        }
        if (response.etag === undefined) throw new Error('the service returned no ETag');
        return { raw: await readAll(response.readableStreamBody), etag: response.etag };
      });
    } catch (err) {
      throw this.failure(err, `${purpose} "${key}"`, key);
    }
    if (downloaded === undefined) return undefined;
    return { value: this.parse(downloaded.raw, key, name), etag: downloaded.etag, raw: downloaded.raw };
  }

  private parse(raw: string, key: string, name: string): unknown {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('value' in parsed) || (parsed as { schema?: unknown }).schema !== SCHEMA) {
      const schema = typeof parsed === 'object' && parsed !== null ? (parsed as { schema?: unknown }).schema : undefined;
      const newer = typeof schema === 'number' && schema > SCHEMA ? ` It has schema ${schema}: was it written by a newer Pandu? Then upgrade this one.` : '';
      throw new Error(
        `The blob "${name}" in container "${this.container}" (key "${key}") is not a Pandu document (expected JSON {"schema": ${SCHEMA}, "value": …}).${newer} Pandu has not changed it: restore it from a snapshot or soft-deleted version, or delete it to start that document afresh.`,
      );
    }
    return (parsed as { value: unknown }).value;
  }

  /** The key a blob name stands for; undefined for blobs this store did not name (left alone). */
  private keyOf(name: string): string | undefined {
    if (!name.startsWith(this.prefix)) return undefined;
    let key: string;
    try {
      key = decodeURIComponent(name.slice(this.prefix.length));
    } catch {
      return undefined;
    }
    return blobNameOf(this.prefix, key) === name ? key : undefined;
  }

  // --- plumbing --------------------------------------------------------------------------------

  /** Runs one SDK call with the retry policy: transient failures are retried with jittered backoff. */
  private async call<T>(op: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const { maxTries, baseDelayMs, maxDelayMs, tryTimeoutMs } = this.retry;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(tryTimeoutMs);
      try {
        return await op(signal);
      } catch (err) {
        const timedOut = signal.aborted;
        if (attempt >= maxTries || !(timedOut || isTransient(err))) throw new BlobCallError(timedOut ? new Error(`no answer within ${tryTimeoutMs} ms`) : err, attempt);
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
      }
    }
  }

  /** An Error for a failed call: the container, the key, what failed, why, and what to do. */
  private failure(err: unknown, action: string, key?: string, outcome?: string): Error {
    if (err instanceof StoreConflictError) return err;
    if (err instanceof BlobFailure) return err;
    const tries = err instanceof BlobCallError && err.tries > 1 ? `, after ${err.tries} tries` : '';
    const reason = reasonOf(err, this.endpoint);
    const advice = adviceFor(err, this.container);
    const message = `Blob store (container "${this.container}"${key === undefined ? '' : `, key "${key}"`}): could not ${action}: ${reason}${tries}. ${advice}${outcome === undefined ? '' : ` ${outcome}`}`;
    return new BlobFailure(this.redact(message), err instanceof BlobCallError ? err.original : err);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The Blob store on container "${this.container}" was closed; open it again to use it.`);
  }

  /** Runs `task`, remembering it until it settles so that close() can wait for it. */
  private track<T>(task: () => Promise<T>): Promise<T> {
    const run = task();
    this.pending.add(run);
    const forget = (): void => {
      this.pending.delete(run);
    };
    run.then(forget, forget);
    return run;
  }
}

/** What a failed SDK call became after the retries: the last error and how many tries were made. */
class BlobCallError extends Error {
  constructor(
    readonly original: unknown,
    readonly tries: number,
  ) {
    super(messageOf(original));
    this.name = 'BlobCallError';
  }
}

/** An error of the Blob store whose message is already written for people (and redacted). */
class BlobFailure extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'BlobStoreError';
  }
}

function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined && status !== 0) return status >= 500 && status !== 501 && status !== 505;
  const code = codeOf(err);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

function unwrap(err: unknown): unknown {
  return err instanceof BlobCallError ? err.original : err;
}

function statusOf(err: unknown): number | undefined {
  const inner = unwrap(err);
  const status = isRecord(inner) ? inner.statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(err: unknown): string | undefined {
  const inner = unwrap(err);
  const code = isRecord(inner) ? inner.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  const inner = unwrap(err);
  const text = inner instanceof Error ? inner.message : String(inner);
  return text.split('\n')[0]?.trim() ?? '';
}

/** Why a call failed, in a few words. */
function reasonOf(err: unknown, endpoint: string, timeoutMs?: number): string {
  const inner = unwrap(err);
  const status = statusOf(err);
  const code = codeOf(err);
  if (status !== undefined && status !== 0) return `the service answered ${status}${code === undefined ? '' : ` ${code}`} (${messageOf(err)})`;
  if (code !== undefined && CONNECTION_CODES.has(code)) return `cannot reach ${endpoint} (${code}: ${messageOf(err)})`;
  if (isRecord(inner) && inner.name === 'AbortError') return timeoutMs === undefined ? `no answer from ${endpoint} in time` : `no answer from ${endpoint} within ${timeoutMs} ms`;
  return messageOf(err);
}

/** What to do about a failure. */
function adviceFor(err: unknown, container: string): string {
  const status = statusOf(err);
  const code = codeOf(err);
  if (status === 403 || status === 401) {
    return `Check the account key or SAS in ${CONNECTION_SETTING} (a SAS needs read, add, create, write, delete and list permissions and must not have expired), and the storage account's firewall.`;
  }
  if (status === 404 && code === 'ContainerNotFound') return `The container "${container}" was deleted while Pandu was running; restart Pandu to create it again, or check PANDU_BLOB_CONTAINER.`;
  if (status !== undefined && status >= 500) return 'The storage service is failing; check the Azure status page and try again later.';
  if (code !== undefined && CONNECTION_CODES.has(code)) return `Check the network and firewall, and the BlobEndpoint / AccountName in ${CONNECTION_SETTING}.`;
  return `Check ${CONNECTION_SETTING} and the storage account, then try again.`;
}

/** The blob endpoint of a container URL, without the container and without any SAS query. */
function endpointOf(containerUrl: string, container: string): string {
  try {
    const url = new URL(containerUrl);
    const path = url.pathname.replace(/\/+$/, '');
    const base = path.endsWith(`/${container}`) ? path.slice(0, -container.length - 1) : path;
    return `${url.origin}${base}`;
  } catch {
    return 'the Blob endpoint';
  }
}

/**
 * A function that hides the connection string's secrets in a text: the whole string, its AccountKey
 * and SharedAccessSignature values, and any `sig=` of a SAS.
 */
function redactor(connectionString: string): (text: string) => string {
  const secrets = [connectionString.trim()];
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim().toLowerCase();
    if (at > 0 && (name === 'accountkey' || name === 'sharedaccesssignature')) secrets.push(part.slice(at + 1).trim());
  }
  const hidden = secrets.filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of hidden) out = out.split(secret).join('(secret hidden)');
    return out.replace(/\bsig=[^&;\s"']+/gi, 'sig=(hidden)').replace(/AccountKey=[^;\s"']+/gi, 'AccountKey=(hidden)');
  };
}

function retryPolicy(opts: BlobRetryOptions = {}): RetryPolicy {
  const whole = (value: number | undefined, fallback: number, min: number): number => (value !== undefined && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback);
  return {
    maxTries: whole(opts.maxTries, 3, 1),
    baseDelayMs: whole(opts.baseDelayMs, 100, 0),
    maxDelayMs: whole(opts.maxDelayMs, 1000, 0),
    tryTimeoutMs: whole(opts.tryTimeoutMs, 15_000, 1),
  };
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (stream === undefined) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
