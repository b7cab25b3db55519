/**
 * The behaviour every store backend must show, as a reusable mocha block: each backend's test file
 * calls `storeContract(name, open)`. `open` gives a fresh, empty store and a cleanup for it.
 */
import assert from 'node:assert/strict';
import { StoreConflictError, type StateStore } from '../../bot/core/ports/state-store.js';

/** A fresh empty store and what removes it again (close, delete temp folders, …). */
export interface OpenedStore {
  readonly store: StateStore;
  readonly cleanup: () => Promise<void>;
}

/** Registers the contract tests for one backend. */
export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${name}`, () => {
    let store: StateStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    const conflictOn = (key: string) => (err: unknown) => {
      assert.ok(err instanceof StoreConflictError, `expected a StoreConflictError, got ${String(err)}`);
      assert.equal(err.key, key);
      return true;
    };

    async function readOne(key: string) {
      return (await store.read([key])).get(key);
    }

    async function writeOne(key: string, value: unknown, etag?: string | null): Promise<string> {
      const etags = await store.write([{ key, value, ...(etag === undefined ? {} : { etag }) }]);
      const newEtag = etags.get(key);
      assert.ok(newEtag, `write of ${key} returned no eTag`);
      return newEtag;
    }

    it('reads a missing document as absent', async () => {
      const found = await store.read(['nope', 'user/none']);
      assert.equal(found.size, 0);
      assert.equal(found.has('nope'), false);
    });

    it('reads back what was written, with the eTag the write returned', async () => {
      const etag = await writeOne('user/1', { lang: 'id', tags: ['a', 'b'], n: 1.5, ok: true, nil: null });
      const doc = await readOne('user/1');
      assert.deepEqual(doc, { value: { lang: 'id', tags: ['a', 'b'], n: 1.5, ok: true, nil: null }, etag });
      assert.equal(typeof etag, 'string');
    });

    it('reads several keys at once, leaving out the missing ones', async () => {
      await store.write([
        { key: 'a', value: 1 },
        { key: 'b', value: 'two' },
      ]);
      const found = await store.read(['a', 'missing', 'b']);
      assert.deepEqual([...found.keys()].sort(), ['a', 'b']);
      assert.equal(found.get('b')?.value, 'two');
    });

    it('gives a new eTag on every write of a document', async () => {
      const seen = new Set<string>();
      seen.add(await writeOne('k', 1));
      seen.add(await writeOne('k', 1));
      seen.add(await writeOne('k', 2, [...seen][1]));
      assert.equal(seen.size, 3);
      assert.equal((await readOne('k'))?.etag, [...seen][2]);
    });

    it('accepts a write with the current eTag', async () => {
      const etag = await writeOne('k', 'v1');
      await writeOne('k', 'v2', etag);
      assert.equal((await readOne('k'))?.value, 'v2');
    });

    it('refuses a stale eTag and applies nothing of that write', async () => {
      const first = await writeOne('doc/a', 'a1');
      const bEtag = await writeOne('doc/b', 'b1');
      await writeOne('doc/a', 'a2', first);
      await assert.rejects(
        store.write([
          { key: 'doc/b', value: 'b2', etag: bEtag },
          { key: 'doc/new', value: 'created' },
          { key: 'doc/a', value: 'a3', etag: first },
        ]),
        conflictOn('doc/a'),
      );
      const found = await store.read(['doc/a', 'doc/b', 'doc/new']);
      assert.equal(found.get('doc/a')?.value, 'a2');
      assert.deepEqual(found.get('doc/b'), { value: 'b1', etag: bEtag });
      assert.equal(found.has('doc/new'), false);
    });

    it('treats eTag null as "must not exist yet"', async () => {
      await writeOne('once', 1, null);
      await assert.rejects(store.write([{ key: 'once', value: 2, etag: null }]), conflictOn('once'));
      assert.equal((await readOne('once'))?.value, 1);
    });

    it('refuses an eTag for a document that does not exist', async () => {
      await assert.rejects(store.write([{ key: 'ghost', value: 1, etag: 'some-etag' }]), conflictOn('ghost'));
      assert.equal(await readOne('ghost'), undefined);
    });

    it('overwrites without a check when the eTag is omitted', async () => {
      await writeOne('free', 1);
      await writeOne('free', 2);
      assert.equal((await readOne('free'))?.value, 2);
    });

    it('deletes a document when the value is undefined', async () => {
      const etag = await writeOne('gone/1', { x: 1 });
      await writeOne('gone/2', { x: 2 });
      const etags = await store.write([{ key: 'gone/1', value: undefined, etag }]);
      assert.equal(etags.has('gone/1'), false);
      assert.equal(await readOne('gone/1'), undefined);
      assert.deepEqual(await store.list('gone/'), ['gone/2']);
      await assert.rejects(store.write([{ key: 'gone/1', value: 'back', etag }]), conflictOn('gone/1'));
      await store.write([{ key: 'never-was', value: undefined }]);
      assert.equal(await readOne('never-was'), undefined);
    });

    it('lists keys by prefix, sorted', async () => {
      await store.write(['user/c', 'user/a', 'run/1', 'user/b', 'users', 'user/a/x'].map((key) => ({ key, value: key })));
      assert.deepEqual(await store.list('user/'), ['user/a', 'user/a/x', 'user/b', 'user/c']);
      assert.deepEqual(await store.list(''), ['run/1', 'user/a', 'user/a/x', 'user/b', 'user/c', 'users']);
      assert.deepEqual(await store.list('nothing/'), []);
    });

    it('returns copies, so callers cannot change stored values by accident', async () => {
      const written = { list: [1, 2], nested: { deep: 'yes' } };
      await writeOne('copy', written);
      written.list.push(3);
      written.nested.deep = 'changed after write';
      const read1 = await readOne('copy');
      assert.deepEqual(read1?.value, { list: [1, 2], nested: { deep: 'yes' } });
      (read1?.value as { list: number[] }).list.push(99);
      assert.deepEqual((await readOne('copy'))?.value, { list: [1, 2], nested: { deep: 'yes' } });
    });

    it('stores values as JSON would: drops undefined properties, refuses what JSON cannot hold', async () => {
      await writeOne('json', { kept: 1, dropped: undefined });
      assert.deepEqual((await readOne('json'))?.value, { kept: 1 });
      await assert.rejects(store.write([{ key: 'ok', value: 1 }, { key: 'date', value: { at: new Date(0) } }]), /"date" holds an instance of Date at \$\.at/);
      await assert.rejects(store.write([{ key: 'nan', value: [Number.NaN] }]), TypeError);
      assert.deepEqual(await store.list(''), ['json']);
    });

    it('keeps odd keys such as "__proto__" as ordinary keys', async () => {
      await writeOne('__proto__', { a: 1 });
      await writeOne('x', { __proto__: null, b: 2 });
      assert.deepEqual((await readOne('__proto__'))?.value, { a: 1 });
      assert.deepEqual(await store.list(''), ['__proto__', 'x']);
    });

    it('refuses a write that names the same key twice', async () => {
      await assert.rejects(store.write([{ key: 'dup', value: 1 }, { key: 'dup', value: 2 }]), /twice/);
      assert.equal(await readOne('dup'), undefined);
    });

    it('lands all of 50 concurrent writes to different keys', async () => {
      const keys = Array.from({ length: 50 }, (_, i) => `many/${String(i).padStart(2, '0')}`);
      const results = await Promise.all(keys.map((key, i) => store.write([{ key, value: { i }, etag: null }])));
      assert.equal(new Set(results.map((r, i) => r.get(keys[i]!))).size, 50);
      assert.deepEqual(await store.list('many/'), keys);
      const found = await store.read(keys);
      keys.forEach((key, i) => assert.deepEqual(found.get(key)?.value, { i }));
    });

    it('lets exactly one of several concurrent writers with the same read eTag win', async () => {
      const etag = await writeOne('race', 'start');
      const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => store.write([{ key: 'race', value: `writer ${n}`, etag }])));
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [{ n: i + 1, etag: o.value.get('race') }] : []));
      assert.equal(won.length, 1, 'exactly one writer wins');
      for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof StoreConflictError);
      assert.deepEqual(await readOne('race'), { value: `writer ${won[0]!.n}`, etag: won[0]!.etag });
    });

    it('reports healthy', async () => {
      const health = await store.health();
      assert.equal(health.ok, true);
      assert.equal(typeof health.detail, 'string');
    });
  });
}
