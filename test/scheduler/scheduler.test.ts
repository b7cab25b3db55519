import assert from 'node:assert/strict';
import { bucketOf } from '../../bot/core/schedule/due-index.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { buttonPress, message } from '../helpers/activities.js';
import { conversation, realKnowledge } from '../helpers/conversation.js';
import { realCalendar } from '../helpers/knowledge.js';
import { schedulerRig, TestClock } from '../helpers/scheduler-rig.js';
import { startRun } from '../../bot/core/runs/run.js';
import { cfmFingerprint } from '../../bot/core/guide/walkthrough.js';

/** WITA wall time → the instant. */
const wita = (local: string): string => new Date(`${local}:00+08:00`).toISOString();

async function staffed(startAt: string) {
  const store = createMemoryStore();
  const clock = new TestClock(Date.parse(wita(startAt)));
  const chat = await conversation({ store, clock, adminIds: ['aad-admin'] });
  for (const user of ['admin', 'ana', 'kabid', 'kadis', 'sekdis']) await chat.send(message('halo', { user }));
  for (const [user, unit, role] of [['ana', 'bidang-dayasos', 'staf'], ['kabid', 'bidang-dayasos', 'kepala-unit'], ['kadis', 'kadis', 'kadis'], ['sekdis', 'sekretariat', 'sekretaris']] as const) {
    await chat.send(buttonPress({ verb: 'roster.set', person: `aad-${user}`, unit, role }, { user: 'admin' }));
  }
  return { store, clock, chat };
}

/** What was sent to whom, leaving out review invitations (tested on their own below). */
const kinds = (sent: { key: string; conversationId: string }[]) =>
  sent.filter((s) => !s.key.startsWith('review-invite:')).map((s) => `${s.key.startsWith('digest:') ? 'digest' : s.key.split('#')[0]!.split(':').at(-1)}→${s.conversationId.replace('conv-', '')}`).sort();

describe('the scheduler', () => {
  it('hands off, reminds on the due day, escalates to the unit head, then to the Sekretaris and Kepala Dinas, with digests each morning', async () => {
    const { store, clock, chat } = await staffed('2026-11-30T08:00');
    const rig = await schedulerRig(store, clock);
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Pelatihan Karang Taruna', { user: 'kabid' }));
    await rig.sweep();
    assert.deepEqual(kinds(rig.notifier.sent), ['digest→kabid', 'digest→kadis', 'handoff→ana', 'handoff→kabid']);
    // Due in 5 working days: Monday 7 December 16:00 WITA.
    const first = rig.notifier.sent.length;
    clock.set(wita('2026-12-07T07:30'));
    await rig.sweep();
    assert.deepEqual(kinds(rig.notifier.sent.slice(first)), ['digest→kabid', 'digest→kadis', 'reminder→ana', 'reminder→kabid']);
    const second = rig.notifier.sent.length;
    clock.set(wita('2026-12-08T07:30'));
    await rig.sweep();
    assert.deepEqual(kinds(rig.notifier.sent.slice(second)), ['digest→kabid', 'digest→kadis', 'escalation→kabid']);
    assert.match(rig.notifier.sent.find((s) => s.key.includes(':escalation#'))!.text, /TERLAMBAT/);
    const third = rig.notifier.sent.length;
    clock.set(wita('2026-12-10T07:30'));
    await rig.sweep();
    assert.deepEqual(kinds(rig.notifier.sent.slice(third)), ['digest→kabid', 'digest→kadis', 'escalation-2→kadis', 'escalation-2→sekdis']);
  });

  it('sends nothing at night, on a weekend or a holiday, and catches up in the next office hours, once', async () => {
    const { store, clock, chat } = await staffed('2026-12-04T15:30');
    const rig = await schedulerRig(store, clock);
    clock.set(wita('2026-12-04T15:55'));
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus Sore', { user: 'kabid' }));
    clock.set(wita('2026-12-04T22:00'));
    assert.equal((await rig.sweep()).planned, 0, 'Friday night');
    clock.set(wita('2026-12-05T10:00'));
    assert.equal((await rig.sweep()).planned, 0, 'Saturday');
    clock.set(wita('2026-12-25T10:00'));
    assert.equal((await rig.sweep()).planned, 0, 'Christmas');
    clock.set(wita('2026-12-07T07:30'));
    await rig.sweep();
    assert.ok(kinds(rig.notifier.sent).includes('handoff→ana'), 'caught up on Monday morning');
    const count = rig.notifier.sent.length;
    await rig.sweep();
    assert.equal(rig.notifier.sent.length, count, 'not twice');
  });

  it('after a restart over the same store, catches up what fell due and repeats nothing', async () => {
    const { store, clock, chat } = await staffed('2026-11-30T08:00');
    const before = await schedulerRig(store, clock);
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus Restart', { user: 'kabid' }));
    await before.sweep();
    const sentBefore = before.notifier.sent.length;
    // The bot is down from Monday to Wednesday 10:00; a new process starts with a new queue.
    clock.set(wita('2026-12-07T10:00'));
    const after = await schedulerRig(store, clock);
    await after.sweep();
    assert.deepEqual(kinds(after.notifier.sent), ['digest→kabid', 'digest→kadis', 'reminder→ana', 'reminder→kabid']);
    await after.sweep();
    assert.equal(after.notifier.sent.length, 4);
    assert.ok(sentBefore > 0);
  });

  it('repeats at most one message after a crash between sending and recording it (at least once, keyed)', async () => {
    const { store, clock, chat } = await staffed('2026-11-30T08:00');
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus Crash', { user: 'kabid' }));
    const runs = (await store.read(['runs/open'])).get('runs/open')!.value as { runs: { id: string; steps: { step: string; startedAt: string }[] }[] };
    const run = runs.runs[0]!;
    const key = `run:${run.id}:${run.steps[0]!.step}:${run.steps[0]!.startedAt}:handoff`;
    // A process claimed the key and crashed before recording the send.
    await store.write([{ key: `sent/${key}`, value: { schema: 1, status: 'sending', at: new Date(clock.now().getTime() - 60_000).toISOString() } }]);
    const rig = await schedulerRig(store, clock);
    await rig.sweep();
    assert.equal(rig.notifier.sent.filter((s) => s.key.startsWith(key)).length, 0, 'a fresh claim is respected');
    clock.set(wita('2026-11-30T08:20'));
    await rig.sweep();
    assert.equal(rig.notifier.sent.filter((s) => s.key.startsWith(key)).length, 2, 'a stale claim is sent again, once, to both assignees');
    await rig.sweep();
    assert.equal(rig.notifier.sent.filter((s) => s.key.startsWith(key)).length, 2);
  });

  it('honours 429 Retry-After, backs off without it, and marks a person unreachable on 403', async () => {
    const { store, clock, chat } = await staffed('2026-11-30T08:00');
    const rig = await schedulerRig(store, clock);
    rig.notifier.respond = (conversationId, attempt) => {
      if (conversationId === 'conv-ana' && attempt === 1) return { ok: false, status: 429, retryAfterMs: 3000, error: 'Too Many Requests' };
      if (conversationId === 'conv-kabid' && attempt === 1) return { ok: false, status: 429, error: 'Too Many Requests' };
      if (conversationId === 'conv-kadis') return { ok: false, status: 403, error: 'Forbidden' };
      return { ok: true };
    };
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus 429', { user: 'kabid' }));
    const report = await rig.sweep();
    assert.ok(rig.notifier.to('conv-ana').length >= 1 && rig.notifier.to('conv-kabid').length >= 1, 'sent after the retry');
    assert.ok(clock.waits.some((w) => w >= 3000), `waited for Retry-After: ${clock.waits.join(', ')}`);
    assert.ok(clock.waits.some((w) => w > 0 && w < 3000), `backed off without Retry-After: ${clock.waits.join(', ')}`);
    assert.ok(report.failed >= 1, 'the digest to the Kepala Dinas failed');
    const roster = (await store.read(['roster'])).get('roster')!.value as { people: Record<string, { reachable?: { ok: boolean; status?: number } }> };
    assert.deepEqual(roster.people['aad-kadis']!.reachable, { ...roster.people['aad-kadis']!.reachable, ok: false, status: 403 });
    const [view] = await chat.send(message('belum terjangkau', { user: 'admin' }));
    assert.match(String(view?.text), /kadis: aplikasi dihapus atau diblokir \(kode 403\)/);
  });

  it('finds due reminders through the hour index: 10,000 stored, only the due ones are touched', async () => {
    const store = createMemoryStore();
    const clock = new TestClock(Date.parse(wita('2026-11-30T09:00')));
    const now = clock.now();
    // 10,000 personal reminders spread over the next 1,000 hours, plus 3 due now.
    const buckets = new Map<string, { key: string; userId: string; at: string; note: string }[]>();
    for (let i = 0; i < 10_000; i++) {
      const at = new Date(now.getTime() + (2 + (i % 1000)) * 3_600_000);
      const list = buckets.get(bucketOf(at)) ?? [];
      list.push({ key: `personal:u${i}:${i}`, userId: `u${i}`, at: at.toISOString(), note: 'nanti' });
      buckets.set(bucketOf(at), list);
    }
    const due = [0, 1, 2].map((i) => ({ key: `personal:due${i}`, userId: 'aad-ana', at: new Date(now.getTime() - i * 60_000).toISOString(), note: `sekarang ${i}` }));
    buckets.set(bucketOf(now), due);
    await store.write([...buckets].map(([key, items]) => ({ key, value: { schema: 1, items } })));
    await store.write([{ key: 'schedule/cursor', value: { schema: 1, at: new Date(now.getTime() - 3_600_000).toISOString() } }]);
    const rig = await schedulerRig(store, clock);
    const report = await rig.sweep();
    assert.equal(report.remindersConsidered, 3);
    assert.ok(report.bucketsRead <= 2, `read ${report.bucketsRead} buckets`);
    assert.equal(report.planned, 3);
  });

  it('counts due dates in working days over Idul Fitri 2026 and its cuti bersama', async () => {
    const { catalogue } = await realKnowledge();
    const calendar = await realCalendar();
    const cfm = catalogue.cfms.find((c) => c.code === '03.2.b')!;
    const run = startRun({ catalogue, cfm, fingerprint: cfmFingerprint(cfm), id: 'r1', title: 'Lebaran', startedBy: 'u', now: new Date(wita('2026-03-17T09:00')), calendar, policy: { defaultSlaDays: 3 } });
    // Tue 17 March + 3 working days: 18–24 March are holidays and cuti bersama → Friday 27 March 16:00 WITA.
    assert.equal(run.steps[0]!.dueAt, wita('2026-03-27T16:00'));
  });
});

describe('"Ingatkan saya"', () => {
  it('sets a personal reminder from a walkthrough card and delivers it at that time, in office hours', async () => {
    const store = createMemoryStore();
    const clock = new TestClock(Date.parse(wita('2026-11-30T09:00')));
    const chat = await conversation({ store, clock });
    await chat.send(message('halo', { user: 'ana' }));
    const [form] = await chat.send(buttonPress({ verb: 'remind.form', cfm: '03.1.a' }, { user: 'ana' }));
    assert.match(JSON.stringify(form?.attachments?.[0]?.content), /Input\.Date/);
    // Asked for 20:00: the reminder goes out at the next office hours, Tuesday 07:30.
    const [set] = await chat.send(buttonPress({ verb: 'remind.set', cfm: '03.1.a', date: '2026-11-30', time: '20:00', note: 'cek berkas PUB' }, { user: 'ana' }));
    assert.match(String(set?.text), /Sel, 1 Des 2026 07\.30 WITA/);
    const rig = await schedulerRig(store, clock);
    await rig.sweep();
    assert.equal(rig.notifier.to('conv-ana').length, 0, 'not yet');
    clock.set(wita('2026-12-01T07:31'));
    await rig.sweep();
    const sent = rig.notifier.to('conv-ana');
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /cek berkas PUB/);
    const [bad] = await chat.send(buttonPress({ verb: 'remind.set', date: '2020-01-01', time: '09:00' }, { user: 'ana' }));
    assert.match(String(bad?.text), /sudah lewat/);
  });
});

describe('review invitations', () => {
  it('invites the head of each owner unit once per version of a draft CFM, in office hours', async () => {
    const { store, clock } = await staffed('2026-11-30T08:00');
    const rig = await schedulerRig(store, clock);
    await rig.sweep();
    const invites = rig.notifier.sent.filter((s) => s.key.startsWith('review-invite:'));
    const { catalogue } = await realKnowledge();
    const owned = (unit: string) => catalogue.cfms.filter((c) => c.owner === unit).length;
    assert.equal(invites.filter((s) => s.conversationId === 'conv-kabid').length, owned('bidang-dayasos'), 'one per draft CFM of Bidang Dayasos');
    assert.equal(invites.filter((s) => s.conversationId === 'conv-kadis').length, owned('kadis'));
    assert.equal(invites.filter((s) => s.conversationId === 'conv-sekdis').length, owned('sekretariat'));
    assert.equal(invites.filter((s) => s.conversationId === 'conv-ana').length, 0, 'staff are not invited');
    const count = rig.notifier.sent.length;
    clock.set(wita('2026-12-01T08:00'));
    await rig.sweep();
    assert.equal(rig.notifier.sent.filter((s) => s.key.startsWith('review-invite:')).length, invites.length, 'not invited twice');
    assert.ok(rig.notifier.sent.length >= count);
  });
});
