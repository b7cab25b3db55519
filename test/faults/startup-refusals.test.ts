// Faults at startup, with the real bot as a child process (`node --import tsx bot/main.ts`):
// - a store file cut in half, garbage, or emptied (a crash of something else, a bad copy, a full
//   disk): the bot exits non-zero with a message naming the file and what to do ("restore it from
//   pandu-store.json.bak"), and leaves the file and its backup exactly as they were: never a silent
//   start on an empty store;
// - a catalogue edit that breaks validation: restarted on the broken copy, the bot refuses to start
//   with the checker's report.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runBotUntilExit, startBotProcess } from '../helpers/bot-process.js';
import { openLowdbStore } from '../../bot/store/lowdb-store.js';

const STORE_FILE = 'pandu-store.json';

/** A data folder holding a valid store file (two saves, so that pandu-store.json.bak exists too). */
async function dataDirWithStore(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pandu-startup-test-'));
  const store = await openLowdbStore(dir);
  await store.write([{ key: 'guides/u1', value: { schema: 1, open: [{ cfm: '03.1.a', current: 'verifikasi', revision: 3 }], finished: [] } }]);
  await store.write([{ key: 'runs/open', value: { schema: 1, runs: [{ id: 'r1', title: 'Kasus Yayasan Kasih', cfm: '06.1.a' }] } }, { key: 'user/u1', value: { schema: 1, lang: 'id' } }]);
  await store.close();
  return dir;
}

describe('fault: refused starts (child process)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const damaged: { name: string; damage: (valid: Buffer) => Buffer }[] = [
    { name: 'cut in half (a truncated write)', damage: (valid) => valid.subarray(0, Math.floor(valid.length / 2)) },
    { name: 'garbage bytes', damage: () => Buffer.from([0x00, 0xff, 0x13, 0x37, ...Buffer.from('\u0000garbage\u00ff{{{not json', 'utf8'), 0xc3, 0x28]) },
    { name: 'an empty file (0 bytes)', damage: () => Buffer.alloc(0) },
  ];

  /** Starts the bot on a damaged copy of a valid store, for each kind of damage, side by side. */
  const damagedStarts = async () =>
    Promise.all(
      damaged.map(async ({ name, damage }) => {
        const dir = await dataDirWithStore();
        dirs.push(dir);
        const file = path.join(dir, STORE_FILE);
        const backupBefore = await readFile(`${file}.bak`);
        const bytes = damage(await readFile(file));
        await writeFile(file, bytes);
        const run = await runBotUntilExit({ dataDir: dir }, 30_000);
        return { name, dir, file, bytes, backupBefore, run };
      }),
    );

  /** Starts the bot on a good copy of the catalogue, stops it, breaks the copy, starts it again. */
  const catalogueRestart = async () => {
    const catalogueDir = await mkdtemp(path.join(tmpdir(), 'pandu-catalogue-test-'));
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pandu-startup-test-'));
    dirs.push(catalogueDir, dataDir);
    await cp(path.join(REPO_ROOT, 'data/catalogue'), catalogueDir, { recursive: true });
    const env = { PANDU_CATALOGUE_DIR: catalogueDir };

    // The copy as it is starts (so that the refusal below is the edit's doing), and stops cleanly.
    const good = await startBotProcess({ dataDir, env });
    const stopped = await good.stop();

    // The edit: a step goes to a step that does not exist (a typo).
    const cfmFile = path.join(catalogueDir, 'cfm', '03.1.a.yaml');
    const lines = (await readFile(cfmFile, 'utf8')).split('\n');
    const at = lines.findIndex((line) => /^\s+next: disposisi\s*$/.test(line));
    if (at >= 0) lines[at] = lines[at]!.replace('disposisi', 'disposisii');
    await writeFile(cfmFile, lines.join('\n'));
    const run = await runBotUntilExit({ dataDir, env }, 30_000);
    return { catalogueDir, dataDir, at, stopped, goodStderr: good.stderr(), run };
  };

  // Both scenarios start at once (each start of the bot takes seconds); the tests await their own.
  let storeResults: ReturnType<typeof damagedStarts>;
  let catalogueResult: ReturnType<typeof catalogueRestart>;
  before(() => {
    storeResults = damagedStarts();
    catalogueResult = catalogueRestart();
    // (Awaited by the tests below; this only keeps an early failure from being "unhandled".)
    storeResults.catch(() => undefined);
    catalogueResult.catch(() => undefined);
  });

  it('a damaged store file: exits non-zero naming the file and the backup, changes neither, never starts empty', async () => {
    for (const { name, dir, file, bytes, backupBefore, run } of await storeResults) {
      const why = `${name}: exit ${run.code}/${run.signal}\nstderr:\n${run.stderr.slice(-1500)}`;
      assert.equal(run.timedOut, false, `${why}\n(the bot kept running)`);
      assert.equal(run.wasHealthy, false, `${why}\n(the bot answered /healthz: it started on an empty store)`);
      assert.notEqual(run.code, 0, why);
      assert.equal(run.signal, null, why);
      assert.ok(run.stderr.includes(file), `${why}\n(the message does not name ${file})`);
      assert.match(run.stderr, /restore it from pandu-store\.json\.bak/, why);
      assert.doesNotMatch(run.stderr, /^\s+at /m, `${why}\n(a stack trace instead of a message)`);
      assert.deepEqual(await readFile(file), bytes, `${name}: the damaged file was changed`);
      assert.deepEqual(await readFile(`${file}.bak`), backupBefore, `${name}: the backup was changed`);
      const names = await readdir(dir);
      assert.ok(!names.includes('pandu-store.lock'), `${name}: the lock was left behind: ${names.join(', ')}`);
      assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), [], `${name}: temp files were left behind`);
    }
  });

  it('a catalogue edit that breaks validation: a restart on the broken copy is refused with the report', async () => {
    const { catalogueDir, dataDir, at, stopped, goodStderr, run } = await catalogueResult;
    assert.equal(stopped.code, 0, `the bot on the unedited copy did not start and stop cleanly:\n${goodStderr.slice(-1000)}`);
    assert.ok(at >= 0, 'the fixture edit did not find "next: disposisi" in cfm/03.1.a.yaml');
    const why = `exit ${run.code}/${run.signal}\nstderr:\n${run.stderr.slice(-2000)}`;
    assert.equal(run.timedOut, false, `${why}\n(the bot kept running)`);
    assert.equal(run.wasHealthy, false, `${why}\n(the bot started on a broken catalogue)`);
    assert.equal(run.code, 1, why);
    assert.match(run.stderr, /refuses to start on an invalid catalogue/, why);
    assert.ok(run.stderr.includes(catalogueDir), `${why}\n(the report does not name the folder)`);
    assert.ok(run.stderr.includes(`03.1.a.yaml:${at + 1}`), `${why}\n(the report does not point at cfm/03.1.a.yaml line ${at + 1})`);
    assert.match(run.stderr, /disposisii/, why);
    assert.match(run.stderr, /Did you mean "disposisi"\?/, why);
    assert.match(run.stderr, /npm run catalogue:check/, why);
    assert.doesNotMatch(run.stderr, /^\s+at /m, `${why}\n(a stack trace instead of the report)`);
    // The refused start did not take the store: the good run's lock is gone, and no new one is there.
    assert.ok(!(await readdir(dataDir)).includes('pandu-store.lock'), 'the refused start left a lock');
  });
});
