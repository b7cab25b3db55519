import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import type { Catalogue } from '../../bot/core/catalogue/types.js';
import { buildLookupIndex } from '../../bot/core/lookup/build-index.js';
import { buildOnboardingPath } from '../../bot/core/onboarding/onboarding-path.js';
import type { OnboardingDoc } from '../../bot/core/onboarding/onboarding-progress.js';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { buttonPress, executeAction, message, type Who } from '../helpers/activities.js';
import { cardOf, cardText, conversation, realKnowledge, type Conversation } from '../helpers/conversation.js';
import { schedulerRig, TestClock } from '../helpers/scheduler-rig.js';

type Card = Record<string, unknown>;
type Data = Record<string, unknown>;

/** WITA wall time → the instant. */
const wita = (local: string): string => new Date(`${local}:00+08:00`).toISOString();

/** The card an invoke response carries (Universal Actions replace the card with it). */
function invokeCard(replies: Partial<Activity>[]): Card | undefined {
  const response = replies.find((r) => r.type === 'invokeResponse');
  const body = (response?.value as { body?: { type?: string; value?: unknown } } | undefined)?.body;
  return body?.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Card) : undefined;
}

/** Every button of a card of one type (Action.Execute or Action.Submit, fallbacks left out), with its data. */
function buttons(card: Card | undefined, type: 'Action.Execute' | 'Action.Submit'): { title: string; data: Data }[] {
  const found: { title: string; data: Data }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['type'] === type) found.push({ title: String(o['title']), data: o['data'] as Data });
    for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'selectAction') walk(v);
  };
  walk(card);
  return found;
}

function press(card: Card | undefined, title: RegExp, type: 'Action.Execute' | 'Action.Submit' = 'Action.Execute'): Data {
  const action = buttons(card, type).find((a) => title.test(a.title));
  assert.ok(action, `no button ${title} on the card: ${buttons(card, type).map((a) => a.title).join(', ')}\n${cardText(card)}`);
  return action.data;
}

/** The item a path card is about, read from its buttons (button data carries the item id). */
function itemOf(card: Card | undefined): string | undefined {
  const data = buttons(card, 'Action.Execute').find((b) => ['onboarding.done', 'onboarding.answer', 'onboarding.skip'].includes(String(b.data['verb'])))?.data;
  return data ? String(data['item']) : undefined;
}

/** Walks a tour (a read-only walkthrough) to its summary, taking each branch in turn at decisions seen before. */
async function walkTour(chat: Conversation, first: Card | undefined, who: Who): Promise<Card | undefined> {
  let card = first;
  const visits = new Map<string, number>();
  for (let i = 0; i < 80 && !/Selesai: /.test(cardText(card)); i++) {
    const forward = buttons(card, 'Action.Execute').filter((a) => a.title !== 'Kembali' && a.title !== 'Berhenti');
    assert.ok(forward.length > 0, 'a way forward');
    const step = String(forward[0]!.data['step']);
    const seen = visits.get(step) ?? 0;
    visits.set(step, seen + 1);
    card = invokeCard(await chat.send(executeAction(forward[seen % forward.length]!.data, who)));
  }
  return card;
}

async function readDoc(store: StateStore, user: string): Promise<OnboardingDoc> {
  return (await store.read([`onboarding/aad-${user}`])).get(`onboarding/aad-${user}`)!.value as OnboardingDoc;
}

/** The real catalogue with CFM 06.1.c removed and a new CFM 03.1.b (a copy of 03.1.a) added. */
function changedCatalogue(catalogue: Catalogue): Catalogue {
  const pub = catalogue.cfms.find((c) => c.code === '03.1.a')!;
  return { ...catalogue, version: 'changed', cfms: [...catalogue.cfms.filter((c) => c.code !== '06.1.c'), { ...pub, code: '03.1.b', title: 'Penerbitan Izin Undian (contoh)', titleEn: 'Prize draw permit (example)' }] };
}

async function staffed(store: StateStore, clock: TestClock): Promise<Conversation> {
  const chat = await conversation({ store, clock, adminIds: ['aad-admin'] });
  for (const user of ['admin', 'nina', 'kabid', 'kadis']) await chat.send(message('halo', { user }));
  await chat.send(buttonPress({ verb: 'roster.set', person: 'aad-kabid', unit: 'bidang-dayasos', role: 'kepala-unit' }, { user: 'admin' }));
  await chat.send(buttonPress({ verb: 'roster.set', person: 'aad-kadis', unit: 'kadis', role: 'kadis' }, { user: 'admin' }));
  return chat;
}

describe('onboarding, through the real bot', () => {
  it('walks a new employee through the whole path: unit, every item, a tour, checks right and wrong, a skip and its return, a restart, a catalogue change, completion; the manager sees it and is told', async () => {
    const { catalogue } = await realKnowledge();
    const store = createMemoryStore();
    const clock = new TestClock(Date.parse(wita('2026-11-30T08:00')));
    let chat = await staffed(store, clock);
    const nina: Who = { user: 'nina' };
    const act = async (data: Data): Promise<Card | undefined> => invokeCard(await chat.send(executeAction(data, nina)));

    // Start: no unit in the roster yet, so Pandu asks for it; the unit buttons are the internal units.
    const picker = cardOf((await chat.send(message('orientasi', nina)))[0]);
    assert.match(cardText(picker), /Pilih unit kerja Anda/);
    assert.deepEqual(buttons(picker, 'Action.Execute').map((b) => b.title), ['Kadis', 'Sekretariat', 'Bidang Linjamsos', 'Bidang Rehsos', 'Bidang Dayasos', 'Bidang Fakir Miskin', 'Bidang Bencana dan WNM-KTK', 'UPT Kesos Lansia', 'UPT Kesos Tuna Netra dan Karya Wanita', 'UPT Kesos Anak']);
    let card = await act(press(picker, /^Bidang Dayasos$/));
    const path = buildOnboardingPath(catalogue, 'bidang-dayasos');
    assert.match(cardText(card), new RegExp(`Orientasi · bagian 1 dari ${path.length}`));
    assert.match(cardText(card), /Dinas Sosial NTT secara singkat[\s\S]*208 orang[\s\S]*NTT Bangkit[\s\S]*Berkurangnya Kemiskinan/);
    assert.match(cardText(card), /Jalur orientasi untuk Bidang Pemberdayaan Sosial sudah siap: 18 bagian/);
    const roster = (await store.read(['roster'])).get('roster')!.value as { people: Record<string, { unit?: string }> };
    assert.equal(roster.people['aad-nina']!.unit, 'bidang-dayasos', 'the unit picked is the roster unit too');

    // The intro, then skip the process map (it comes back later), then the unit.
    card = await act(press(card, /^Lanjut$/));
    assert.equal(itemOf(card), 'process-map');
    card = await act(press(card, /^Lewati$/));
    assert.match(cardText(card), /Bagian "Peta proses" dilewati/);
    assert.equal(itemOf(card), 'unit:bidang-dayasos');
    assert.match(cardText(card), /03 Pemberdayaan Sosial — unit pertama[\s\S]*Bersama: Bidang Linjamsos, Bidang Rehsos[\s\S]*Pihak luar: Perangkat Daerah/);
    card = await act(press(card, /^Lanjut$/));

    // The first tour: walked as a read-only walkthrough to its summary, which marks the item done.
    assert.equal(itemOf(card), 'tour:03.1.a');
    assert.match(cardText(card), /Langkah tempat unit Anda bertindak[\s\S]*Langkah 4: Verifikasi kelengkapan berkas/);
    const tourStart = await act(press(card, /^Mulai tur$/));
    assert.match(cardText(tourStart), /Mode tur: hanya membaca/);
    const summary = await walkTour(chat, tourStart, nina);
    assert.match(cardText(summary), /Selesai: 03\.1\.a[\s\S]*Tur 03\.1\.a selesai dan tercatat pada orientasi Anda/);
    assert.equal((await readDoc(store, 'nina')).items['tour:03.1.a']?.status, 'done');
    card = cardOf((await chat.send(buttonPress(press(summary, /^Lanjutkan orientasi$/, 'Action.Submit'), nina)))[0]);
    assert.equal(itemOf(card), 'tour:03.2.b');
    card = await act(press(card, /^Lanjut$/));

    // "orientasi saya" mid-way: done, skipped, next.
    const checklist = cardText(cardOf((await chat.send(message('orientasi saya', nina)))[0]));
    assert.match(checklist, new RegExp(`Bidang Pemberdayaan Sosial · 4 dari ${path.length} bagian selesai · 1 dilewati`));
    assert.match(checklist, /✅\nDinas Sosial NTT secara singkat\nselesai/);
    assert.match(checklist, /⏭️\nPeta proses\ndilewati/);
    assert.match(checklist, /➡️\nTur 04\.1\.a: Penanganan Bencana Alam dan Sosial\nberikutnya/);

    // The bot restarts over the same store: "orientasi" resumes where Nina left off.
    chat = await conversation({ store, clock, adminIds: ['aad-admin'] });
    card = cardOf((await chat.send(message('orientasi', nina)))[0]);
    assert.match(cardText(card), /Selamat datang kembali! Anda melanjutkan dari bagian 6 dari 18/);
    assert.equal(itemOf(card), 'tour:04.1.a');
    card = await act(press(card, /^Lanjut$/));

    // The catalogue changes mid-way: 06.1.c (not yet seen) leaves the path, 03.1.b joins it.
    const changed = changedCatalogue(catalogue);
    chat = await conversation({ store, clock, adminIds: ['aad-admin'], knowledge: () => ({ catalogue: changed, index: buildLookupIndex(changed) }) });
    const newPath = buildOnboardingPath(changed, 'bidang-dayasos');
    const doneBefore = Object.values((await readDoc(store, 'nina')).items).filter((p) => p.status === 'done').length;
    card = cardOf((await chat.send(message('orientasi', nina)))[0]);
    assert.match(cardText(card), /Jalur orientasi Anda diperbarui mengikuti perubahan katalog: [1-9]\d* bagian baru, [1-9]\d* bagian tidak berlaku lagi/);
    const afterChange = await readDoc(store, 'nina');
    assert.equal(afterChange.items['tour:06.1.c'], undefined);
    assert.equal(Object.values(afterChange.items).filter((p) => p.status === 'done').length, doneBefore, 'progress on the rest is kept');
    assert.deepEqual(afterChange.path, newPath.map((i) => i.id));

    // The rest of the path: tours with "Lanjut", the first check wrong (answered twice), the others right.
    let checks = 0;
    for (let i = 0; i < 40 && itemOf(card) !== 'process-map'; i++) {
      const item = newPath.find((x) => x.id === itemOf(card));
      assert.ok(item, `an item of the path: ${cardText(card)}`);
      if (item.kind !== 'check') {
        card = await act(press(card, /^Lanjut$/));
        continue;
      }
      const choices = buttons(card, 'Action.Execute').filter((b) => b.data['verb'] === 'onboarding.answer');
      assert.ok(choices.length >= 3 && choices.length <= 4);
      const first = checks++ === 0;
      const chosen = choices.find((b) => (b.data['choice'] === item.check.answer) !== first)!;
      const feedback = await act(chosen.data);
      const text = cardText(feedback);
      if (first) {
        assert.match(text, /Belum tepat\.[\s\S]*Jawaban Anda: [A-D]\.[\s\S]*Jawaban yang benar: [A-D]\./);
        assert.match(text, item.check.type === 'who' ? /adalah pemilik prosedur ini\. Menurut Peta Relasi/ : /langkah berikutnya adalah/);
        const again = cardText(await act(choices.find((b) => b.data['choice'] === item.check.answer)!.data));
        assert.match(again, /Belum tepat[\s\S]*Anda sudah menjawab pertanyaan ini; jawaban pertama Anda yang dihitung/, 'the first answer counts');
      } else {
        assert.match(text, /Benar!/);
      }
      card = await act(press(feedback, /^Lanjut$/));
    }
    assert.equal(checks, newPath.filter((i) => i.kind === 'check').length);

    // The skipped item comes back last; once it is done, the path is complete.
    assert.equal(itemOf(card), 'process-map');
    card = await act(press(card, /^Lanjut$/));
    assert.match(cardText(card), /Selamat, orientasi Anda selesai![\s\S]*Anda telah menyelesaikan \d+ bagian orientasi untuk Bidang Pemberdayaan Sosial\. Pertanyaan singkat: \d dari \d dijawab benar/);
    const final = await readDoc(store, 'nina');
    assert.ok(final.completedAt, 'completed');
    const correct = Object.values(final.items).filter((p) => p.correct === true).length;
    assert.equal(correct, checks - 1);
    assert.match(cardText(cardOf((await chat.send(message('orientasi', nina)))[0])), /Orientasi Anda sudah selesai/);

    // The manager's view: started date, items done of total, last activity, score.
    const team = cardText(cardOf((await chat.send(message('progres orientasi tim', { user: 'kabid' })))[0]));
    assert.match(team, /Progres orientasi tim[\s\S]*Pegawai baru di Bidang Dayasos/);
    assert.match(team, new RegExp(`nina\\nBidang Dayasos · mulai Sen, 30 Nov 2026 08\\.00\\n${newPath.length} dari ${newPath.length} bagian · aktif terakhir Sen, 30 Nov 2026 08\\.00\\nPertanyaan singkat: ${checks - 1} dari ${checks} benar\\n✅ Selesai Sen, 30 Nov 2026 08\\.00`));
    assert.match(cardText(cardOf((await chat.send(message('team orientation progress', { user: 'kadis' })))[0])), /Team orientation progress[\s\S]*New employees in all units[\s\S]*nina/);
    assert.match(String((await chat.send(message('progres orientasi tim', nina)))[0]?.text), /Tampilan ini untuk pimpinan unit/);

    // The scheduler tells the manager, once, in office hours.
    clock.set(wita('2026-11-30T09:00'));
    const rig = await schedulerRig(store, clock);
    await rig.sweep();
    const notices = rig.notifier.sent.filter((s) => s.key.startsWith('onboarding-'));
    assert.deepEqual(notices.map((s) => `${s.key.split('#')[0]}→${s.conversationId}`), ['onboarding-complete:aad-nina:aad-kabid→conv-kabid']);
    assert.match(notices[0]!.text, /Orientasi selesai: nina/);
    await rig.sweep();
    assert.equal(rig.notifier.sent.filter((s) => s.key.startsWith('onboarding-')).length, 1, 'not twice');
  });

  it('takes the unit from the roster, lets the person change it, and refuses tampered onboarding buttons', async () => {
    const store = createMemoryStore();
    const clock = new TestClock(Date.parse(wita('2026-11-30T08:00')));
    const chat = await staffed(store, clock);
    const kabid: Who = { user: 'kabid', locale: 'en-US' };
    const intro = cardOf((await chat.send(message('orientation', kabid)))[0]);
    assert.match(cardText(intro), /Orientation · part 1 of 18[\s\S]*This path is built for your unit, Social Empowerment Division/);
    const picker = invokeCard(await chat.send(executeAction(press(intro, /^Change unit$/), kabid)));
    assert.match(cardText(picker), /Your unit now: Social Empowerment Division/);
    const anak = invokeCard(await chat.send(executeAction(press(picker, /^UPT Kesos Anak$/), kabid)));
    const path = buildOnboardingPath((await realKnowledge()).catalogue, 'upt-anak');
    assert.match(cardText(anak), new RegExp(`Your orientation path for Child Welfare Technical Unit \\(Kupang\\) is ready: ${path.length} parts`));
    assert.equal((await readDoc(store, 'kabid')).unit, 'upt-anak');
    for (const data of [{ verb: 'onboarding.answer', item: 'check:who:03.1.a', choice: 'x y' }, { verb: 'onboarding.done', item: 'tour:../../etc' }, { verb: 'onboarding.unit', unit: 'Bidang Dayasos' }]) {
      assert.match(JSON.stringify(await chat.send(executeAction(data, kabid))), /this button cannot be processed/);
    }
    const stale = invokeCard(await chat.send(executeAction({ verb: 'onboarding.done', item: 'tour:06.1.c' }, kabid)));
    assert.match(cardText(stale), /That part is no longer in your orientation path/);
  });

  it('nudges a new employee who made no progress for three working days, once, in office hours', async () => {
    const store = createMemoryStore();
    const clock = new TestClock(Date.parse(wita('2026-11-30T08:00')));
    const chat = await staffed(store, clock);
    const first = cardOf((await chat.send(message('orientasi', { user: 'nina' })))[0]);
    await chat.send(executeAction(press(first, /^Bidang Dayasos$/), { user: 'nina' }));
    const rig = await schedulerRig(store, clock);
    for (const at of ['2026-12-01T09:00', '2026-12-03T15:00', '2026-12-04T06:00']) {
      clock.set(wita(at));
      await rig.sweep();
    }
    assert.equal(rig.notifier.to('conv-nina').length, 0, 'not before three full working days, nor before office hours');
    clock.set(wita('2026-12-04T07:30'));
    await rig.sweep();
    const nudges = rig.notifier.to('conv-nina');
    assert.equal(nudges.length, 1);
    assert.match(nudges[0]!.key, /^onboarding-nudge:aad-nina:2026-W49#/);
    assert.match(nudges[0]!.text, /Orientasi Anda menunggu[\s\S]*0 dari 18 bagian orientasi\. Bagian berikutnya: Dinas Sosial NTT secara singkat/);
    assert.ok((await readDoc(store, 'nina')).nudgedAt, 'the nudge is recorded');
    clock.set(wita('2026-12-07T09:00'));
    await rig.sweep();
    assert.equal(rig.notifier.to('conv-nina').length, 1, 'one nudge per stall');
  });
});
