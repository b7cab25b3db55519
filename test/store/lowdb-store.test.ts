import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { LOCK_FILE, openLowdbStore, type LowdbStoreOptions } from '../../bot/store/lowdb-store.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { storeContract } from './store-contract.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STORE_MODULE = pathToFileURL(path.join(ROOT, 'bot/store/lowdb-store.ts')).href;
const FILE = 'pandu-store.json';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pandu-store-test-'));
  tempDirs.push(dir);
  return dir;
}

after(async () => {
  await Promise.all(tempDirs.map((dir) => fsp.rm(dir, { recursive: true, force: true })));
});

storeContract('lowdb', async () => {
  const dir = await tempDir();
  const store = await openLowdbStore(dir);
  return { store, cleanup: () => store.close() };
});

storeContract('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

/** Runs `node -e ""` to its end and returns its pid: a pid that certainly belongs to no live process. */
function pidOfExitedProcess(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('error', reject);
    child.on('exit', () => (child.pid === undefined ? reject(new Error('no pid')) : resolve(child.pid)));
  });
}

function lockOf(pid: number): string {
  return JSON.stringify({ pid, hostname: os.hostname(), token: 'someone-else' });
}

describe('lowdb store', () => {
  const opened: StateStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  async function open(dir: string, opts: LowdbStoreOptions = {}): Promise<StateStore> {
    const store = await openLowdbStore(dir, opts);
    opened.push(store);
    return store;
  }

  it('creates the folder and writes the documented file format, holding the lock while open', async () => {
    const dir = path.join(await tempDir(), 'nested', 'data');
    const store = await open(dir);
    const lock = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; hostname: string };
    assert.equal(lock.pid, process.pid);
    assert.equal(lock.hostname, os.hostname());
    const etags = await store.write([{ key: 'user/1', value: { lang: 'en' } }]);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, FILE), 'utf8')), {
      schema: 1,
      documents: { 'user/1': { value: { lang: 'en' }, etag: etags.get('user/1') } },
    });
    assert.deepEqual(await store.health(), { ok: true, detail: `lowdb ${path.join(dir, FILE)}` });
    await store.close();
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false, 'close() removes the lock');
    await assert.rejects(store.read(['user/1']), /was closed/);
  });

  it('keeps the data, eTags included, across close and reopen', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const etags = await first.write([
      { key: 'a', value: [1, 2, 3] },
      { key: 'b', value: { s: 'teks' } },
    ]);
    await first.close();
    const second = await open(dir);
    assert.deepEqual(await second.read(['a', 'b']), new Map([
      ['a', { value: [1, 2, 3], etag: etags.get('a') }],
      ['b', { value: { s: 'teks' }, etag: etags.get('b') }],
    ]));
    await second.write([{ key: 'a', value: 'next', etag: etags.get('a') }]);
    await assert.rejects(second.write([{ key: 'a', value: 'stale', etag: etags.get('a') }]), { name: 'StoreConflictError' });
  });

  it('keeps the previous good file as pandu-store.json.bak', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.write([{ key: 'v', value: 1 }]);
    assert.equal(existsSync(path.join(dir, `${FILE}.bak`)), false);
    await store.write([{ key: 'v', value: 2 }]);
    await store.write([{ key: 'v', value: 3 }]);
    const backup = JSON.parse(readFileSync(path.join(dir, `${FILE}.bak`), 'utf8')) as { documents: { v: { value: number } } };
    assert.equal(backup.documents.v.value, 2);
    assert.deepEqual((await fsp.readdir(dir)).sort(), [FILE, `${FILE}.bak`, LOCK_FILE]);
  });

  it('waits for pending writes on close', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const writes = Array.from({ length: 5 }, (_, i) => store.write([{ key: `w/${i}`, value: i }]));
    await store.close();
    await Promise.all(writes);
    const again = await open(dir);
    assert.deepEqual(await again.list('w/'), ['w/0', 'w/1', 'w/2', 'w/3', 'w/4']);
  });

  it('refuses a second open of a folder that is open in this process', async () => {
    const dir = await tempDir();
    await open(dir);
    await assert.rejects(openLowdbStore(dir), /already open in this process/);
  });

  it('refuses a folder locked by another live process, leaving its lock alone', async () => {
    const dir = await tempDir();
    const other = process.ppid;
    await fsp.writeFile(path.join(dir, LOCK_FILE), lockOf(other));
    await assert.rejects(openLowdbStore(dir), {
      message: `The data folder ${dir} is in use by another Pandu process (pid ${other}). Stop it first, or give this instance its own PANDU_DATA_DIR; for several instances use the Blob store.`,
    });
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8'), lockOf(other));
  });

  it('refuses a folder locked from another host, saying how to clear it', async () => {
    const dir = await tempDir();
    await fsp.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: 'elsewhere.example', token: 't' }));
    await assert.rejects(openLowdbStore(dir), /locked by Pandu process 1 on host elsewhere\.example.*delete .*pandu-store\.lock/);
  });

  it('takes over the stale lock of a process that has exited, and says so', async () => {
    const dir = await tempDir();
    const seed = await open(dir);
    await seed.write([{ key: 'kept', value: true }]);
    await seed.close();
    const dead = await pidOfExitedProcess();
    await fsp.writeFile(path.join(dir, LOCK_FILE), lockOf(dead));
    const warnings: string[] = [];
    const store = await open(dir, { onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`its process ${dead} is no longer running`));
    assert.equal((await store.read(['kept'])).get('kept')?.value, true);
    const lock = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    assert.equal(lock.pid, process.pid);
  });

  it('removes the lock when the process exits without closing the store', async () => {
    const dir = await tempDir();
    const code = `import { openLowdbStore } from ${JSON.stringify(STORE_MODULE)};
      const store = await openLowdbStore(process.env.PANDU_EXIT_DIR);
      await store.write([{ key: 'k', value: 1 }]);
      process.exit(0);`;
    const status = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, env: { ...process.env, PANDU_EXIT_DIR: dir }, stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    assert.equal(status, 0);
    assert.deepEqual(await fsp.readdir(dir), [FILE]);
  });

  it('takes over an unreadable lock', async () => {
    const dir = await tempDir();
    await fsp.writeFile(path.join(dir, LOCK_FILE), '{"pid": 12');
    const warnings: string[] = [];
    await open(dir, { onWarning: (m) => warnings.push(m) });
    assert.match(warnings.join('\n'), /unreadable/);
  });

  async function assertRefusedAndUntouched(content: string, problem: RegExp): Promise<void> {
    const dir = await tempDir();
    const file = path.join(dir, FILE);
    await fsp.writeFile(file, content);
    const err = await openLowdbStore(dir).then(
      () => assert.fail('open should have been refused'),
      (e: unknown) => e as Error,
    );
    assert.ok(err.message.includes(file), `the message names the file: ${err.message}`);
    assert.match(err.message, problem);
    assert.match(err.message, /restore it from pandu-store\.json\.bak, or move it away to start with an empty store/);
    assert.equal(readFileSync(file, 'utf8'), content, 'the bad file is left untouched');
    assert.deepEqual(await fsp.readdir(dir), [FILE], 'no lock or temp file is left behind');
  }

  it('refuses a truncated file, naming it and how to recover, and leaves it untouched', async () => {
    const good = JSON.stringify({ schema: 1, documents: { a: { value: { long: 'x'.repeat(100) }, etag: '1-a' } } }, null, 2);
    await assertRefusedAndUntouched(good.slice(0, Math.floor(good.length / 2)), /is not valid JSON \(truncated\?\)/);
    await assertRefusedAndUntouched('', /is not valid JSON \(truncated\?\)/);
  });

  it('refuses a file with another schema or shape', async () => {
    await assertRefusedAndUntouched(JSON.stringify({ schema: 7, documents: {} }), /has schema 7, expected 1/);
    await assertRefusedAndUntouched(JSON.stringify({ documents: {} }), /has no "schema"/);
    await assertRefusedAndUntouched(JSON.stringify({ schema: 1, documents: { a: { value: 1 } } }), /broken document "a"/);
    await assertRefusedAndUntouched('[]', /does not hold a JSON object/);
  });

  it('on a failed save rejects the write, keeps the old data and reports unhealthy until a save succeeds', async () => {
    const dir = await tempDir();
    let failRename = false;
    const store = await open(dir, {
      fs: {
        rename: async (from, to) => {
          if (failRename) throw Object.assign(new Error('EIO: i/o error, rename (simulated)'), { code: 'EIO' });
          await fsp.rename(from, to);
        },
      },
    });
    const etags = await store.write([{ key: 'a', value: 'old' }]);
    const onDisk = readFileSync(path.join(dir, FILE), 'utf8');

    failRename = true;
    await assert.rejects(
      store.write([
        { key: 'a', value: 'new', etag: etags.get('a') },
        { key: 'b', value: 'new' },
      ]),
      /Could not save .*pandu-store\.json: EIO: i\/o error, rename \(simulated\)/,
    );
    assert.deepEqual(await store.read(['a', 'b']), new Map([['a', { value: 'old', etag: etags.get('a') }]]));
    assert.deepEqual(await store.list(''), ['a']);
    assert.equal(readFileSync(path.join(dir, FILE), 'utf8'), onDisk);
    assert.deepEqual((await fsp.readdir(dir)).sort(), [FILE, LOCK_FILE], 'temp files are cleaned up');
    const health = await store.health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /last write failed: EIO/);

    failRename = false;
    await store.write([{ key: 'a', value: 'new', etag: etags.get('a') }]);
    assert.equal((await store.health()).ok, true);
    assert.equal((await store.read(['a'])).get('a')?.value, 'new');
  });

  describe('crash safety', function () {
    this.timeout(60_000);

    /** A child that opens the store and writes in a tight loop, printing each acknowledged write. */
    const CHILD = `
      import { openLowdbStore } from ${JSON.stringify(STORE_MODULE)};
      const store = await openLowdbStore(process.env.PANDU_CRASH_DIR);
      const last = (await store.read(['last'])).get('last');
      let i = last ? last.value + 1 : 0;
      process.stdout.write('ready\\n');
      for (;;) {
        await store.write([{ key: 'k/' + i, value: { i, pad: 'x'.repeat(300) } }, { key: 'last', value: i }]);
        process.stdout.write('ack ' + i + '\\n');
        i++;
      }`;

    interface CrashRun {
      readonly pid: number;
      readonly acked: number[];
    }

    /**
     * Starts the child, kills it with SIGKILL 50–300 ms after its first acknowledged write (so the kill
     * always lands while it is writing, however slow the machine), returns what it acknowledged.
     */
    function runAndKill(dir: string): Promise<CrashRun> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: ROOT, env: { ...process.env, PANDU_CRASH_DIR: dir } });
        let stdout = '';
        let stderr = '';
        let timer: NodeJS.Timeout | undefined;
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (timer === undefined && /^ack \d+$/m.test(stdout)) timer = setTimeout(() => child.kill('SIGKILL'), 50 + Math.random() * 250);
        });
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (signal !== 'SIGKILL' || child.pid === undefined) return reject(new Error(`the child ended by itself (${code}): ${stderr}`));
          const acked = [...stdout.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
          resolve({ pid: child.pid, acked });
        });
      });
    }

    it('keeps every acknowledged write through 10 SIGKILLs in a row', async () => {
      const dir = await tempDir();
      const file = path.join(dir, FILE);
      let checked = 0;
      for (let round = 0; round < 10; round++) {
        const { pid, acked } = await runAndKill(dir);
        assert.ok(acked.length > 0, `round ${round}: the child acknowledged no write before the kill`);
        JSON.parse(readFileSync(file, 'utf8')); // parses: never a broken file

        const warnings: string[] = [];
        const store = await openLowdbStore(dir, { onWarning: (m) => warnings.push(m) });
        try {
          assert.match(warnings.join('\n'), new RegExp(`process ${pid} is no longer running`), `round ${round}: stale lock taken over`);
          const last = (await store.read(['last'])).get('last')?.value;
          assert.equal(typeof last, 'number');
          const maxAcked = Math.max(...acked);
          assert.ok((last as number) >= maxAcked, `round ${round}: last=${String(last)} but write ${maxAcked} was acknowledged`);
          assert.ok((last as number) <= maxAcked + 1, `round ${round}: at most the one write in flight may have landed unacknowledged`);
          const keys = Array.from({ length: (last as number) + 1 }, (_, i) => `k/${i}`);
          const found = await store.read(keys);
          for (const key of keys) assert.equal((found.get(key)?.value as { i: number } | undefined)?.i, Number(key.slice(2)), `round ${round}: ${key} is missing`);
          checked += acked.length;
        } finally {
          await store.close();
        }
        assert.deepEqual((await fsp.readdir(dir)).filter((n) => n.endsWith('.tmp')), [], 'leftover temp files are removed at open');
      }
      console.log(`      crash test: 10 kills, ${checked} acknowledged writes checked`);
    });
  });
});

describe('lowdb store lock after a container restart', () => {
  it('takes over a lock that carries this process\'s pid but was left by an earlier run (same pid after a restart)', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir, hostname } = await import('node:os');
    const pathMod = await import('node:path');
    const { openLowdbStore } = await import('../../bot/store/lowdb-store.js');
    const dir = await mkdtemp(pathMod.join(tmpdir(), 'pandu-lock-'));
    try {
      await writeFile(pathMod.join(dir, 'pandu-store.lock'), `${JSON.stringify({ pid: process.pid, hostname: hostname(), token: 'left-by-a-crashed-run' })}\n`);
      const warnings: string[] = [];
      const store = await openLowdbStore(dir, { onWarning: (m) => warnings.push(m) });
      assert.ok(warnings.some((w) => /earlier process with the same pid/.test(w)), warnings.join(' | '));
      await assert.rejects(openLowdbStore(dir), /already open in this process/);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
