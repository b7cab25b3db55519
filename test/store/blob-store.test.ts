/**
 * The Blob store, for real, against Azurite started by this file (in memory, on a free port): the
 * shared store contract plus what is particular to Blob Storage (several instances, rollback of
 * multi-document writes, retries, secrets in messages). Azurite is stopped in the `after` hook, and
 * by the helper's exit handler should the run die first.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { ContainerClient } from '@azure/storage-blob';
import { StoreConflictError, type StateStore } from '../../bot/core/ports/state-store.js';
import { blobNameOf, openBlobStore, type BlobStoreOptions } from '../../bot/store/blob-store.js';
import { openLowdbStore } from '../../bot/store/lowdb-store.js';
import { openConfiguredStore, storeSettingsOf } from '../../bot/store/open-store.js';
import { DEV_ACCOUNT_KEY, devConnectionString, startAzurite, type RunningAzurite } from '../helpers/azurite.js';
import { storeContract } from './store-contract.js';

describe('blob store (against Azurite)', function () {
  this.timeout(60_000);

  let azurite: RunningAzurite | undefined;
  let containerCount = 0;
  const runId = Date.now().toString(36);
  const opened: StateStore[] = [];
  const tempDirs: string[] = [];

  before(async function () {
    this.timeout(120_000);
    azurite = await startAzurite({ startTimeoutMs: 60_000 });
  });

  after(async () => {
    await Promise.allSettled(opened.splice(0).map((s) => s.close()));
    await azurite?.stop();
    await Promise.all(tempDirs.map((dir) => fsp.rm(dir, { recursive: true, force: true })));
  });

  function connectionString(): string {
    if (azurite === undefined) throw new Error('Azurite is not running (see the before hook)');
    return azurite.connectionString;
  }

  function freshContainer(): string {
    return `t${runId}-${++containerCount}`;
  }

  function containerClient(container: string): ContainerClient {
    return new ContainerClient(connectionString(), container);
  }

  async function open(opts: Partial<BlobStoreOptions> & { container: string }): Promise<StateStore> {
    const store = await openBlobStore({ connectionString: connectionString(), ...opts });
    opened.push(store);
    return store;
  }

  async function blobText(container: string, name: string): Promise<string> {
    return (await containerClient(container).getBlockBlobClient(name).downloadToBuffer()).toString('utf8');
  }

  storeContract('blob', async () => {
    const container = freshContainer();
    const store = await openBlobStore({ connectionString: connectionString(), container });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await containerClient(container).deleteIfExists();
      },
    };
  });

  describe('blob specifics', () => {
    const proxies: Proxy[] = [];
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((s) => s.close()));
      await Promise.all(proxies.splice(0).map((p) => p.close()));
    });

    async function proxy(plan: (req: http.IncomingMessage) => Promise<Action>): Promise<Proxy> {
      const started = await startProxy(azurite!.port, plan);
      proxies.push(started);
      return started;
    }

    it('keeps one blob per document, {"schema":1,"value":…}, its ETag as the eTag, keys encoded', async () => {
      const container = freshContainer();
      const store = await open({ container });
      const keys = ['user/29:1abc', '..', 'a.', 'x y?#%', 'naïve/ünïcödé', 'dot.in.middle'];
      const etags = await store.write(keys.map((key, i) => ({ key, value: { i } })));
      const names: string[] = [];
      for await (const item of containerClient(container).listBlobsFlat()) names.push(item.name);
      assert.deepEqual(names.sort(), keys.map((k) => blobNameOf('', k)!).sort());
      assert.equal(blobNameOf('', 'user/29:1abc'), 'user%2F29%3A1abc');
      assert.equal(blobNameOf('', '..'), '%2E%2E');
      assert.equal(blobNameOf('', 'a.'), 'a%2E');
      assert.equal(blobNameOf('', 'dot.in.middle'), 'dot.in.middle');
      assert.deepEqual(JSON.parse(await blobText(container, 'user%2F29%3A1abc')), { schema: 1, value: { i: 0 } });
      const props = await containerClient(container).getBlockBlobClient('user%2F29%3A1abc').getProperties();
      assert.equal(props.etag, etags.get('user/29:1abc'));
      assert.equal(props.contentType, 'application/json; charset=utf-8');
      assert.deepEqual(await store.list(''), [...keys].sort());
      const found = await store.read(keys);
      keys.forEach((key, i) => assert.deepEqual(found.get(key), { value: { i }, etag: etags.get(key) }));
    });

    it('keeps to its prefix and ignores blobs it did not name', async () => {
      const container = freshContainer();
      const tenantA = await open({ container, prefix: 'tenant-a/' });
      const tenantB = await open({ container, prefix: 'tenant-b/' });
      await tenantA.write([{ key: 'user/1', value: 'a' }]);
      await tenantB.write([{ key: 'user/1', value: 'b' }]);
      await containerClient(container).getBlockBlobClient('tenant-a/not/ours').upload('x', 1);
      await containerClient(container).getBlockBlobClient('tenant-a/%ZZ').upload('x', 1);
      assert.deepEqual(await tenantA.list(''), ['user/1']);
      assert.equal((await tenantA.read(['user/1'])).get('user/1')?.value, 'a');
      assert.equal((await tenantB.read(['user/1'])).get('user/1')?.value, 'b');
      const bare = await open({ container });
      assert.deepEqual(await bare.list(''), [], 'names with "/" are not keys of the store without prefix');
      await assert.rejects(openBlobStore({ connectionString: connectionString(), container, prefix: '../x' }), /prefix "\.\.\/x" holds a "\." or "\.\." step/);
    });

    it('lets two instances on one container see each other\'s writes and refuse each other\'s stale eTags', async () => {
      const container = freshContainer();
      const one = await open({ container });
      const two = await open({ container });
      const first = (await one.write([{ key: 'shared', value: { n: 1 }, etag: null }])).get('shared')!;
      assert.deepEqual((await two.read(['shared'])).get('shared'), { value: { n: 1 }, etag: first });
      await assert.rejects(two.write([{ key: 'shared', value: 'dup', etag: null }]), (err: unknown) => err instanceof StoreConflictError && err.key === 'shared');
      const second = (await two.write([{ key: 'shared', value: { n: 2 }, etag: first }])).get('shared')!;
      await assert.rejects(one.write([{ key: 'shared', value: { n: 'stale' }, etag: first }]), (err: unknown) => err instanceof StoreConflictError && err.key === 'shared');
      assert.deepEqual((await one.read(['shared'])).get('shared'), { value: { n: 2 }, etag: second });
      await one.write([{ key: 'other', value: 1 }]);
      assert.deepEqual(await two.list(''), ['other', 'shared']);
      await two.write([{ key: 'shared', value: undefined, etag: second }]);
      assert.equal((await one.read(['shared'])).has('shared'), false);
    });

    it('round-trips a lowdb-shaped value (nested, unicode, ~200 KB) exactly as lowdb does', async () => {
      const value = {
        schema: 3,
        user: { id: '29:1aBc-Đ', lang: 'id', tz: 'Asia/Makassar' },
        text: 'Halo, apa kabar? — ÄÖÜ ß 日本語 עברית 🙂👍🏽 \u0000 \u2028 "quotes" \\ back',
        walkthroughs: Array.from({ length: 800 }, (_, i) => ({ code: `SOP-${i}`, step: i % 7, done: i % 3 === 0, notes: ['ā', 'ē', '🌺'.repeat(i % 5)], nested: { deeper: { deepest: [null, true, -0.5, 1e21, i] } } })),
        pad: 'x'.repeat(80_000),
      };
      const size = Buffer.byteLength(JSON.stringify(value));
      assert.ok(size > 180_000 && size < 260_000, `about 200 KB: ${size}`);
      const container = freshContainer();
      const store = await open({ container });
      const etag = (await store.write([{ key: 'user/big', value }])).get('user/big');
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pandu-blob-lowdb-'));
      tempDirs.push(dir);
      const lowdb = await openLowdbStore(dir);
      try {
        await lowdb.write([{ key: 'user/big', value }]);
        const fromLowdb = (await lowdb.read(['user/big'])).get('user/big')?.value;
        const fromBlob = (await store.read(['user/big'])).get('user/big');
        assert.deepEqual(fromBlob, { value: fromLowdb, etag });
        assert.deepEqual(fromBlob?.value, value);
        // and what lowdb keeps in its file moves into the Blob store unchanged
        const file = JSON.parse(await fsp.readFile(path.join(dir, 'pandu-store.json'), 'utf8')) as { documents: Record<string, { value: unknown }> };
        await store.write([{ key: 'migrated', value: file.documents['user/big']?.value }]);
        assert.deepEqual((await store.read(['migrated'])).get('migrated')?.value, value);
      } finally {
        await lowdb.close();
      }
    });

    it('refuses a blob that is not a Pandu document, naming it and leaving it alone', async () => {
      const container = freshContainer();
      const store = await open({ container });
      await containerClient(container).getBlockBlobClient('broken').upload('{"schema": 1, "val', 18);
      await containerClient(container).getBlockBlobClient('newer').upload('{"schema": 2, "value": 1}', 25);
      await assert.rejects(store.read(['broken']), {
        message: `The blob "broken" in container "${container}" (key "broken") is not a Pandu document (expected JSON {"schema": 1, "value": …}). Pandu has not changed it: restore it from a snapshot or soft-deleted version, or delete it to start that document afresh.`,
      });
      await assert.rejects(store.read(['newer']), /has schema 2: was it written by a newer Pandu\? Then upgrade this one/);
      assert.equal(await blobText(container, 'broken'), '{"schema": 1, "val');
    });

    it('refuses bad settings at open with what to do', async () => {
      await assert.rejects(openBlobStore({ connectionString: connectionString(), container: 'Pandu' }), /The Blob container name "Pandu" is not valid: use 3 to 63 lowercase letters/);
      await assert.rejects(openBlobStore({ connectionString: 'not a connection string', container: 'pandu' }), /The Blob connection string \(PANDU_BLOB_CONNECTION_STRING\) cannot be used for container "pandu"/);
      await assert.rejects(
        openConfiguredStore({ store: 'blob', dataDir: '/nonexistent' }),
        /The store is "blob" but no Blob settings were given; set PANDU_BLOB_CONNECTION_STRING/,
      );
    });

    it('opens the configured backend: blob or lowdb', async () => {
      const container = freshContainer();
      const warnings: string[] = [];
      const settings = storeSettingsOf({ dataDir: '/unused', store: { kind: 'blob', connectionString: connectionString(), container } });
      const blob = await openConfiguredStore(settings, (m) => warnings.push(m));
      opened.push(blob);
      await blob.write([{ key: 'k', value: 1 }]);
      assert.equal(await blobText(container, 'k'), '{"schema":1,"value":1}');
      assert.match((await blob.health()).detail, new RegExp(`^blob container "${container}" at http://127\\.0\\.0\\.1:\\d+/devstoreaccount1$`));

      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pandu-open-store-'));
      tempDirs.push(dir);
      const lowdb = await openConfiguredStore(storeSettingsOf({ dataDir: dir, store: { kind: 'lowdb' } }));
      try {
        assert.match((await lowdb.health()).detail, /^lowdb /);
      } finally {
        await lowdb.close();
      }
      assert.deepEqual(warnings, []);
    });

    it('rejects calls after close()', async () => {
      const store = await open({ container: freshContainer() });
      const pending = store.write([{ key: 'w', value: 1 }]);
      await store.close();
      await pending;
      await assert.rejects(store.read(['w']), /was closed; open it again/);
      assert.equal((await store.health()).ok, false);
    });

      it('refuses a wrong account key at open, naming the container, without the key', async () => {
        const wrongKey = Buffer.from('pandu-wrong-key-'.repeat(4)).toString('base64');
        const err = await openBlobStore({ connectionString: devConnectionString(azurite!.blobEndpoint, wrongKey), container: 'pandu' }).then(
          () => assert.fail('open should fail'),
          (e: unknown) => e as Error,
        );
        assert.match(err.message, /^Blob store \(container "pandu"\): could not open the container \(create it if missing\): the service answered 403 AuthorizationFailure .*Check the account key or SAS in PANDU_BLOB_CONNECTION_STRING.*Pandu did not start its Blob store\.$/);
        assertNoSecret(err, wrongKey);
      });

    describe('multi-document writes', () => {
      it('apply nothing when a check fails before writing', async () => {
        const container = freshContainer();
        const store = await open({ container });
        const etags = await store.write([{ key: 'a', value: 'a1' }, { key: 'b', value: 'b1' }]);
        await store.write([{ key: 'b', value: 'b2' }]);
        await assert.rejects(store.write([{ key: 'a', value: 'a2', etag: etags.get('a') }, { key: 'b', value: 'b3', etag: etags.get('b') }]), (err: unknown) => err instanceof StoreConflictError && err.key === 'b');
        assert.deepEqual((await store.read(['a'])).get('a'), { value: 'a1', etag: etags.get('a') }, 'not even touched: same eTag');
      });

      it('roll back what they applied when a later change is refused (another writer got in between)', async () => {
        const container = freshContainer();
        const store = await open({ container });
        const other = await open({ container });
        const start = await store.write([{ key: 'a', value: 'a1' }, { key: 'b', value: 'b1' }, { key: 'd', value: { keep: 'me', list: [1, 2] } }]);
        let interfered = false;
        const via = await proxy(async (req) => {
          // Just before this write's first change goes out, another writer changes its last document.
          if (req.method === 'PUT' && blobOf(req, container) === 'a' && !interfered) {
            interfered = true;
            await other.write([{ key: 'b', value: 'theirs' }]);
          }
          return 'forward';
        });
        const viaProxy = await open({ container, connectionString: via.connectionString });
        await assert.rejects(
          viaProxy.write([
            { key: 'a', value: 'a2', etag: start.get('a') },
            { key: 'c', value: 'created', etag: null },
            { key: 'd', value: undefined, etag: start.get('d') },
            { key: 'b', value: 'b2', etag: start.get('b') },
          ]),
          (err: unknown) => err instanceof StoreConflictError && err.key === 'b' && !/partly applied/.test(err.message),
        );
        assert.equal(interfered, true);
        const after = await store.read(['a', 'b', 'c', 'd']);
        assert.equal(after.get('a')?.value, 'a1', 'the update of "a" is undone');
        assert.notEqual(after.get('a')?.etag, start.get('a'), 'a rolled-back document has a new eTag (old readers get a conflict)');
        assert.equal(after.has('c'), false, 'the created "c" is deleted again');
        assert.deepEqual(after.get('d')?.value, { keep: 'me', list: [1, 2] }, 'the deleted "d" is restored');
        assert.equal(after.get('b')?.value, 'theirs', 'the other writer keeps its change');
        assert.deepEqual(await store.list(''), ['a', 'b', 'd']);
      });

      it('leave alone, and report, a document someone changed on top of the partial write', async () => {
        const container = freshContainer();
        const store = await open({ container });
        const other = await open({ container });
        const start = await store.write([{ key: 'a', value: 'a1' }, { key: 'b', value: 'b1' }]);
        let interfered = false;
        const via = await proxy(async (req) => {
          // "a" is applied; before "b" goes out, another writer builds on the new "a" and changes "b".
          if (req.method === 'PUT' && blobOf(req, container) === 'b' && !interfered) {
            interfered = true;
            const seen = (await other.read(['a'])).get('a')!;
            await other.write([{ key: 'a', value: `${String(seen.value)}+theirs`, etag: seen.etag }, { key: 'b', value: 'theirs' }]);
          }
          return 'forward';
        });
        const warnings: string[] = [];
        const viaProxy = await open({ container, connectionString: via.connectionString, onWarning: (m) => warnings.push(m) });
        await assert.rejects(
          viaProxy.write([{ key: 'a', value: 'a2', etag: start.get('a') }, { key: 'b', value: 'b2', etag: start.get('b') }]),
          (err: unknown) => err instanceof StoreConflictError && err.key === 'b' && /could not be fully undone: "a" \(another writer changed it after this write\)/.test(err.message),
        );
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, new RegExp(`container "${container}".*rolled back incompletely`));
        assert.equal((await store.read(['a'])).get('a')?.value, 'a2+theirs', 'the other writer\'s change on top is kept');
      });
    });

    describe('transient failures', () => {
      const fast = { baseDelayMs: 5, maxDelayMs: 20 };

      it('retries 500/502/503/504 and connection resets, then succeeds', async () => {
        const container = freshContainer();
        const failures: Action[] = [503, 'reset', 502, 500, 504];
        const via = await proxy(async (req) => (req.method === 'PUT' && blobOf(req, container) !== undefined ? failures.shift() ?? 'forward' : 'forward'));
        const store = await open({ container, connectionString: via.connectionString, retry: { ...fast, maxTries: 6 } });
        const etag = (await store.write([{ key: 'k', value: 'landed' }])).get('k');
        assert.equal(via.count('PUT', container), 6, '5 failures, then the try that landed');
        assert.deepEqual((await store.read(['k'])).get('k'), { value: 'landed', etag });
      });

      it('gives up after maxTries (3 by default) with a message naming the container, key and what to do', async () => {
        const container = freshContainer();
        const via = await proxy(async (req) => (req.method === 'PUT' && blobOf(req, container) !== undefined ? 503 : 'forward'));
        const store = await open({ container, connectionString: via.connectionString, retry: fast });
        await assert.rejects(store.write([{ key: 'user/1', value: 1 }]), {
          name: 'BlobStoreError',
          message: new RegExp(`^Blob store \\(container "${container}", key "user/1"\\): could not write "user/1": the service answered 503 ServerBusy \\(Simulated failure\\.\\), after 3 tries\\. The storage service is failing; check the Azure status page and try again later\\.$`),
        });
        assert.equal(via.count('PUT', container), 3);
      });

      it('never retries a 412 or 409, nor takes a 412 after a lost answer for success', async () => {
        const container = freshContainer();
        let loseAnswer = false;
        const via = await proxy(async (req) => {
          if (loseAnswer && req.method === 'PUT' && blobOf(req, container) === 'k') {
            loseAnswer = false;
            return 'forward-then-reset';
          }
          return 'forward';
        });
        const store = await open({ container, connectionString: via.connectionString, retry: fast });
        const etag = (await store.write([{ key: 'k', value: 1 }])).get('k')!;
        await store.write([{ key: 'k', value: 2 }]);
        const before = via.count('PUT', container);
        await assert.rejects(store.write([{ key: 'k', value: 3, etag }]), StoreConflictError);
        await assert.rejects(store.write([{ key: 'k', value: 3, etag: null }]), StoreConflictError);
        assert.equal(via.count('PUT', container) - before, 2, 'one try each');

        // The first try lands but its answer is lost; the retry meets the eTag it changed itself.
        const current = (await store.read(['k'])).get('k')!;
        loseAnswer = true;
        const beforeLost = via.count('PUT', container);
        await assert.rejects(store.write([{ key: 'k', value: 'mine', etag: current.etag }]), StoreConflictError);
        assert.equal(via.count('PUT', container) - beforeLost, 2, 'the lost answer was retried once, and the retry refused');
        assert.equal((await store.read(['k'])).get('k')?.value, 'mine', 'it did land: a conflict is reported, never a guessed success');
      });
    });

    describe('with Azurite stopped (last)', () => {
      it('reports healthy, then unhealthy once Azurite is stopped, with errors free of the connection string', async () => {
        const container = freshContainer();
        const store = await open({ container, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
        await store.write([{ key: 'k', value: 1 }]);
        assert.deepEqual(await store.health(), { ok: true, detail: `blob container "${container}" at ${azurite!.blobEndpoint}` });

        await azurite!.stop();
        const started = Date.now();
        const health = await store.health();
        assert.equal(health.ok, false);
        assert.match(health.detail, new RegExp(`^blob container "${container}" at http://127\\.0\\.0\\.1:\\d+/devstoreaccount1: cannot reach .*ECONNREFUSED`));
        assert.ok(Date.now() - started < 5000, 'health answers quickly');

        const failures = await Promise.all([
          store.read(['k']).then(() => assert.fail('read should fail'), (e: unknown) => e as Error),
          store.write([{ key: 'k', value: 2 }]).then(() => assert.fail('write should fail'), (e: unknown) => e as Error),
          store.write([{ key: 'k', value: 2 }, { key: 'j', value: 3 }]).then(() => assert.fail('write should fail'), (e: unknown) => e as Error),
          store.list('').then(() => assert.fail('list should fail'), (e: unknown) => e as Error),
          openBlobStore({ connectionString: connectionString(), container: 'pandu', retry: { maxTries: 2, baseDelayMs: 5 } }).then(() => assert.fail('open should fail'), (e: unknown) => e as Error),
        ]);
        assert.match(failures[0]!.message, new RegExp(`^Blob store \\(container "${container}", key "k"\\): could not read "k": cannot reach http://127\\.0\\.0\\.1:\\d+/devstoreaccount1 \\(ECONNREFUSED: .*\\), after 3 tries\\. Check the network and firewall, and the BlobEndpoint / AccountName in PANDU_BLOB_CONNECTION_STRING\\.$`));
        assert.match(failures[1]!.message, /could not write "k": cannot reach/);
        assert.match(failures[2]!.message, /could not check before writing "(k|j)": cannot reach/);
        assert.match(failures[3]!.message, /could not list the keys starting with "": cannot reach/);
        assert.match(failures[4]!.message, /^Blob store \(container "pandu"\): could not open the container .*after 2 tries.*Pandu did not start its Blob store\.$/);
        for (const err of failures) assertNoSecret(err, DEV_ACCOUNT_KEY);
        assertNoSecret(new Error(health.detail), DEV_ACCOUNT_KEY);
      });
    });

    function assertNoSecret(err: Error, key: string): void {
      for (const text of [err.message, String(err.stack), util.inspect(err, { depth: 8 })]) {
        assert.ok(!text.includes(connectionString()), `the connection string leaked: ${err.message}`);
        assert.ok(!text.includes(key), `the account key leaked: ${err.message}`);
        assert.ok(!text.includes(key.slice(0, 16)), `part of the account key leaked: ${err.message}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A proxy in front of Azurite that can fail requests on purpose

/** What the proxy does with a request: pass it on, answer with that status, drop the connection, or pass it on and drop the answer. */
type Action = 'forward' | 'reset' | 'forward-then-reset' | number;

interface Proxy {
  readonly connectionString: string;
  close(): Promise<void>;
  /** Requests seen with `method` on blobs of `container`. */
  count(method: string, container: string): number;
}

/** The blob name a request is about, if it is about a blob of `container` (not the container itself). */
function blobOf(req: http.IncomingMessage, container: string): string | undefined {
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  const prefix = `/devstoreaccount1/${container}/`;
  return pathname.startsWith(prefix) && pathname.length > prefix.length ? decodeURIComponent(pathname.slice(prefix.length)) : undefined;
}

async function startProxy(targetPort: number, plan: (req: http.IncomingMessage) => Promise<Action>): Promise<Proxy> {
  const seen: { method: string; req: http.IncomingMessage }[] = [];
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, loseAnswer: boolean): void => {
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (loseAnswer) {
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', req });
    req.pause();
    plan(req).then(
      (action) => {
        if (action === 'forward' || action === 'forward-then-reset') return forward(req, res, action === 'forward-then-reset');
        if (action === 'reset') return req.socket.destroy();
        req.resume();
        const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Simulated failure.</Message></Error>`;
        res.writeHead(action, { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      },
      () => req.socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('proxy: no port');
  return {
    connectionString: devConnectionString(`http://127.0.0.1:${address.port}/devstoreaccount1`),
    count: (method, container) => seen.filter((s) => s.method === method && blobOf(s.req, container) !== undefined).length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
