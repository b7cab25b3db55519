// Fault: the bot dies in the middle of a scheduler sweep. A test clock cannot drive a child process,
// so the crash is played in-process, on a lowdb store in a temp folder: the sweep claims its keys,
// sends some deliveries, sends two more whose results never come back (the process "dies" between
// sending and recording), and hangs before sending the rest; the sweep is abandoned and the store
// closed. A new "process" reopens the store after the stale-claim time and sweeps again: every due
// delivery arrives, at most one of them twice, none that had been recorded as sent again; a third
// sweep sends nothing.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { openLowdbStore } from '../../bot/store/lowdb-store.js';
import { buttonPress, message } from '../helpers/activities.js';
import { conversation } from '../helpers/conversation.js';
import { schedulerRig, TestClock } from '../helpers/scheduler-rig.js';

/** WITA wall time → the instant. */
const wita = (local: string): string => new Date(`${local}:00+08:00`).toISOString();
const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('fault: a crash in the middle of a scheduler sweep (lowdb store, in-process)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const stores: StateStore[] = [];
  after(async () => {
    for (const store of stores) await store.close().catch(() => undefined);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function open(dir: string): Promise<StateStore> {
    const store = await openLowdbStore(dir);
    stores.push(store);
    return store;
  }

  it('after a restart every due delivery arrives, duplicates at most one per key, nothing recorded as sent repeats', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pandu-sweep-crash-'));
    const referenceDir = await mkdtemp(path.join(tmpdir(), 'pandu-sweep-reference-'));
    dirs.push(dir, referenceDir);
    const store = await open(dir);
    const clock = new TestClock(Date.parse(wita('2026-11-30T08:00')));

    // A staffed department with two runs and a personal reminder each for eight people, due 08:30.
    const chat = await conversation({ store, clock, adminIds: ['aad-admin'] });
    const people = ['admin', 'ana', 'kabid', 'kadis', 'sekdis', 'budi', 'citra', 'dewi'];
    for (const user of people) await chat.send(message('halo', { user }));
    for (const [user, unit, role] of [['ana', 'bidang-dayasos', 'staf'], ['kabid', 'bidang-dayasos', 'kepala-unit'], ['kadis', 'kadis', 'kadis'], ['sekdis', 'sekretariat', 'sekretaris']] as const) {
      await chat.send(buttonPress({ verb: 'roster.set', person: `aad-${user}`, unit, role }, { user: 'admin' }));
    }
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus Satu', { user: 'kabid' }));
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus Dua', { user: 'kabid' }));
    for (const user of people) await chat.send(buttonPress({ verb: 'remind.set', cfm: '03.1.a', date: '2026-11-30', time: '08:30', note: `pengingat ${user}` }, { user }));
    clock.set(wita('2026-11-30T08:31'));
    // The same state, for a reference sweep that does not crash.
    await copyFile(path.join(dir, 'pandu-store.json'), path.join(referenceDir, 'pandu-store.json'));

    // Process 1: three sends go through, two reach Teams but their results never come back, the rest
    // never leave; then the process is gone (the sweep abandoned, the store closed under it).
    const first = await schedulerRig(store, clock);
    const send = first.notifier.send.bind(first.notifier);
    const lostAfterSending: string[] = [];
    let calls = 0;
    first.notifier.send = async (delivery) => {
      calls++;
      if (calls <= 3) return send(delivery);
      if (calls <= 5) {
        await send(delivery);
        lostAfterSending.push(delivery.key);
        return never();
      }
      return never();
    };
    void first.sweep().catch(() => undefined);
    for (let idle = 0, seen = -1; idle < 20; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (calls === seen) idle++;
      else [idle, seen] = [0, calls];
    }
    assert.equal(lostAfterSending.length, 2, `the crash came too early: only ${calls} sends were attempted`);
    await store.close();

    const afterCrash = await open(dir);
    const recordedSent = new Set(
      [...(await afterCrash.read(await afterCrash.list('sent/')))]
        .filter(([, doc]) => (doc.value as { status?: string }).status === 'sent')
        .map(([key]) => key.slice('sent/'.length)),
    );

    // Process 2, after the stale-claim time (10 minutes).
    clock.set(wita('2026-11-30T08:42'));
    const second = await schedulerRig(afterCrash, clock);
    await second.sweep();
    const third = await second.sweep();
    assert.equal(third.planned, 0, 'a third sweep planned deliveries again');

    // What a sweep without a crash delivers at 08:42, from the same state.
    const reference = await schedulerRig(await open(referenceDir), clock);
    await reference.sweep();
    const expected = new Set(reference.notifier.sent.map((s) => s.key));
    assert.ok(expected.size >= 12, `only ${expected.size} deliveries were due: the test checks too little`);

    const delivered = new Map<string, number>();
    for (const s of [...first.notifier.sent, ...second.notifier.sent]) delivered.set(s.key, (delivered.get(s.key) ?? 0) + 1);
    const missing = [...expected].filter((key) => !delivered.has(key));
    assert.deepEqual(missing, [], 'due deliveries that never arrived');
    assert.deepEqual([...delivered.keys()].filter((key) => !expected.has(key)), [], 'deliveries that were not due');
    const twice = [...delivered].filter(([, n]) => n > 1);
    assert.deepEqual(twice.filter(([, n]) => n > 2), [], 'a delivery arrived more than twice');
    for (const key of lostAfterSending) assert.ok((delivered.get(key) ?? 0) <= 2, key);
    assert.deepEqual(twice.map(([key]) => key).filter((key) => recordedSent.has(key.split('#')[0]!)), [], 'a delivery recorded as sent before the crash was sent again');

    const records = await afterCrash.read(await afterCrash.list('sent/'));
    const unsettled = [...records].filter(([, doc]) => (doc.value as { status?: string }).status !== 'sent').map(([key]) => key);
    assert.deepEqual(unsettled, [], 'claims still "sending" (or failed) after the recovery sweep');
    console.log(`      ${expected.size} deliveries due; before the crash ${first.notifier.sent.length} sent (2 of them unrecorded), ${recordedSent.size} recorded as sent; after it ${second.notifier.sent.length} sent; ${twice.length} duplicate(s)`);
  });
});
