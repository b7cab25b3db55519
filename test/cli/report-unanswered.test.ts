import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UnansweredDoc } from '../../bot/app/turn-types.js';
import { openLowdbStore } from '../../bot/store/lowdb-store.js';
import { runCli } from '../helpers/run-cli.js';

const REPORT = 'bot/cli/report-unanswered.ts';
const BENCH = 'bot/cli/bench-lookup.ts';
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pandu-report-test-'));
  tempDirs.push(dir);
  return dir;
}

after(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A UTC day `n` days before today, as the bot writes it (YYYY-MM-DD). */
const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function unansweredDoc(withTexts: boolean): UnansweredDoc {
  const text = (t: string) => (withTexts ? { text: t } : {});
  return {
    schema: 1,
    total: 9,
    byDay: { [daysAgo(2)]: 4, [daysAgo(6)]: 3, [daysAgo(90)]: 2 },
    recent: [
      { at: `${daysAgo(6)}T08:15:00.000Z`, nearest: '03.1.a', ...text('izin undian berhadiah di mana?') },
      { at: `${daysAgo(6)}T09:00:00.000Z`, nearest: '07.1.a', ...text('gaji ke-13 kapan cair') },
      { at: `${daysAgo(2)}T10:30:00.000Z`, nearest: '03.1.a', ...text('sumbangan lewat aplikasi online boleh?') },
      { at: `${daysAgo(2)}T11:00:00.000Z` },
    ],
  };
}

/** A data folder holding a lowdb store with `doc` under stats/unanswered (closed again, so unlocked). */
async function storeWith(doc: UnansweredDoc | undefined): Promise<string> {
  const dir = await tempDir();
  const store = await openLowdbStore(dir);
  await store.write(doc ? [{ key: 'stats/unanswered', value: doc }] : [{ key: 'user/someone', value: { schema: 1 } }]);
  await store.close();
  return dir;
}

describe('npm run report:unanswered', () => {
  it('says that nothing is recorded yet, for a data folder without a store or without the document', async () => {
    const empty = await tempDir();
    const none = await runCli(REPORT, [], { env: { PANDU_DATA_DIR: empty } });
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /No unanswered questions recorded yet/);

    const other = await storeWith(undefined);
    const blank = await runCli(REPORT, ['--data', other]);
    assert.equal(blank.status, 0, blank.stderr);
    assert.match(blank.stdout, /^No unanswered questions recorded yet\.\n$/);
  });

  it('reports the total, the last 30 days and the nearest codes, and explains how to keep texts', async () => {
    const dir = await storeWith(unansweredDoc(false));
    const { status, stdout, stderr } = await runCli(REPORT, ['--data', dir]);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /Total: 9 since records began/);
    assert.match(stdout, /last 30 days .*: 7 in all/);
    assert.match(stdout, new RegExp(`${daysAgo(2)} +4 `));
    assert.match(stdout, new RegExp(`${daysAgo(6)} +3 `));
    assert.doesNotMatch(stdout, new RegExp(daysAgo(90)));
    assert.match(stdout, /^ +2 +03\.1\.a +Penerbitan Izin Pengumpulan Sumbangan/m);
    assert.match(stdout, /^ +1 +07\.1\.a +\S/m);
    assert.ok(stdout.indexOf('03.1.a') < stdout.indexOf('07.1.a'), 'the most frequent code comes first');
    assert.match(stdout, /1 +— +no topic came near/);
    assert.match(stdout, /not kept by default/);
    assert.match(stdout, /PANDU_KEEP_UNANSWERED_TEXT=true/);
    assert.doesNotMatch(stdout, /Recent texts/);
  });

  it('lists the kept texts, newest first, in text and in JSON', async () => {
    const dir = await storeWith(unansweredDoc(true));
    const text = await runCli(REPORT, ['--data', dir]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Recent texts \(newest first, 3 of 3 kept; 1 recorded without text\)/);
    assert.ok(text.stdout.indexOf('sumbangan lewat aplikasi') < text.stdout.indexOf('izin undian berhadiah'));
    assert.match(text.stdout, /\[07\.1\.a\] gaji ke-13 kapan cair/);
    assert.doesNotMatch(text.stdout, /not kept by default/);

    const json = await runCli(REPORT, ['--data', dir, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.total, 9);
    assert.equal(report.lastDaysTotal, 7);
    assert.deepEqual(report.nearest.map((n: { code: string; count: number }) => [n.code, n.count]), [['03.1.a', 2], ['07.1.a', 1]]);
    assert.equal(report.textsKept, true);
    assert.deepEqual(report.texts.map((t: { text: string }) => t.text), ['sumbangan lewat aplikasi online boleh?', 'gaji ke-13 kapan cair', 'izin undian berhadiah di mana?']);
  });

  it('says clearly when the store is locked by a running bot, and how to report on a copy', async () => {
    const dir = await storeWith(unansweredDoc(false));
    const held = await openLowdbStore(dir); // this (live) process plays the running bot
    try {
      const { status, stdout, stderr } = await runCli(REPORT, ['--data', dir]);
      assert.equal(status, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /is locked: the bot \(or another Pandu process\) is using it/);
      assert.match(stderr, /stop the bot/);
      assert.match(stderr, /--data /);
    } finally {
      await held.close();
    }
  });
});

/** 20 labelled questions of every style, written for this test (not taken from the tuning or holdout sets). */
const SMALL_SET = `
- {q: "Siapa yang mengurus izin pengangkatan anak?", style: formal, expect: ["01.2.a", "01.2"]}
- {q: "Prosedur izin pengumpulan sumbangan antar kabupaten", style: formal, expect: ["03.1.a", "03.1"]}
- {q: "Siapa yang mengelola taman makam pahlawan?", style: formal, expect: ["06", "06.1", "06.1.a", "06.1.b", "06.1.c"]}
- {q: "Pemulangan pekerja migran korban kekerasan ditangani siapa?", style: formal, expect: ["05.1.a", "05.1", "05"]}
- {q: "pak, kalau mau lapor bencana banjir ke mana ya?", style: informal, expect: ["04.1.a", "04.1"]}
- {q: "bu, urusan cuti pegawai ke siapa?", style: informal, expect: ["07.1.a", "07.1"]}
- {q: "mau adopsi anak gimana caranya kk", style: informal, expect: ["01.2.a", "01.2"]}
- {q: "sapa yang urus data orang miskin?", style: kupang, expect: ["01.1.a", "01.1"]}
- {q: "beta mau minta izin kumpul uang sumbangan, pi mana?", style: kupang, expect: ["03.1.a", "03.1"]}
- {q: "sy mau tanya PUB lintas kab dmn?", style: abbrev, expect: ["03.1.a", "03.1"]}
- {q: "gmn caranya ajukan adopsi anak", style: abbrev, expect: ["01.2.a", "01.2"]}
- {q: "izin pengumpulan sumbnagan", style: typo, expect: ["03.1.a", "03.1"]}
- {q: "pengangaktan anak", style: typo, expect: ["01.2.a", "01.2"]}
- {q: "Who handles child adoption?", style: english, expect: ["01.2.a", "01.2"]}
- {q: "Who issues cross-regency fundraising permits?", style: english, expect: ["03.1.a", "03.1"]}
- {q: "Bidang Rehabilitasi Sosial itu tugasnya apa?", style: unit, expect: ["bidang-rehsos"]}
- {q: "UPT lansia mengurus apa?", style: unit, expect: ["upt-lansia"]}
- {q: "Jadwal kereta api ke Surabaya hari ini?", style: out-of-scope, expect: []}
- {q: "Resep kue lapis legit", style: out-of-scope, expect: []}
- {q: "Siapa juara piala dunia 2010?", style: out-of-scope, expect: []}
`;

describe('npm run bench:lookup', () => {
  it('measures Pandu and the plain Fuse baseline on a given set and prints both as JSON', async () => {
    const dir = await tempDir();
    const set = path.join(dir, 'small.yaml');
    await writeFile(set, SMALL_SET);
    const { status, stdout, stderr } = await runCli(BENCH, ['--set', set, '--rounds', '1', '--json']);
    assert.equal(status, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result.set.questions, 20);
    assert.equal(result.set.outOfScope, 3);
    assert.ok(result.machine.cpu && result.machine.cores > 0 && result.machine.node === process.version);
    for (const system of [result.systems.pandu, result.systems.baseline]) {
      for (const key of ['top1', 'top3', 'top1Rate', 'top3Rate', 'refusalRate', 'confidentRight']) assert.equal(typeof system.accuracy[key], 'number', key);
      assert.equal(system.accuracy.inScope, 17);
      assert.ok(system.byStyle.some((s: { style: string }) => s.style === 'kupang'));
      for (const key of ['p50', 'p99', 'max']) assert.ok(system.latencyUs[key] > 0, key);
      assert.equal(system.latencyUs.samples, 20);
      assert.ok(system.indexBuildUs.warmMedianUs > 0);
    }
    assert.equal(typeof result.ratio.latencyP50, 'number');
  });
});
