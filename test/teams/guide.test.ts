import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import type { Cfm } from '../../bot/core/catalogue/types.js';
import { buildLookupIndex } from '../../bot/core/lookup/build-index.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { buttonPress, executeAction, message } from '../helpers/activities.js';
import { cardOf, cardText, conversation, realKnowledge } from '../helpers/conversation.js';
import { executes } from '../helpers/card-actions.js';

type Card = Record<string, unknown>;

/** The card an invoke response carries (Universal Actions replace the card with it). */
function invokeCard(replies: Partial<Activity>[]): Card | undefined {
  const response = replies.find((r) => r.type === 'invokeResponse');
  const body = (response?.value as { body?: { type?: string; value?: unknown } } | undefined)?.body;
  return body?.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Card) : undefined;
}


const press = (card: Card | undefined, title: RegExp) => {
  const action = executes(card).find((a) => title.test(a.title));
  assert.ok(action, `no button ${title} on the card: ${executes(card).map((a) => a.title).join(', ')}`);
  return action.data;
};

describe('walkthroughs, through the real bot', () => {
  it('starts from "pandu 03.1.a", moves on with Lanjut, back with Kembali, and stops', async () => {
    const chat = await conversation();
    const [start] = await chat.send(message('pandu 03.1.a'));
    const first = cardOf(start);
    assert.match(cardText(first), /Langkah 1 dari \d+/);
    assert.match(cardText(first), /Lajur: Dinas Sosial Kabupaten\/Kota/);
    const second = invokeCard(await chat.send(executeAction(press(first, /^Lanjut$/))));
    assert.match(cardText(second), /Langkah 2 dari/);
    const back = invokeCard(await chat.send(executeAction(press(second, /^Kembali$/))));
    assert.match(cardText(back), /Langkah 1 dari/);
    const [stopped] = await chat.send(executeAction(press(back, /^Berhenti$/)));
    assert.match(JSON.stringify(stopped?.value), /dihentikan/);
  });

  it('starts from a question ("pandu izin PUB") and from the answer card button', async () => {
    const chat = await conversation();
    assert.match(cardText(cardOf((await chat.send(message('pandu izin PUB')))[0])), /DINSOS 03\.1\.a[\s\S]*Langkah 1 dari/);
    const [answer] = await chat.send(message('siapa yang menangani adopsi anak?', { user: 'u2' }));
    const guideButton = (cardOf(answer)!['actions'] as { title: string; data: Record<string, unknown> }[]).find((a) => /Pandu langkah/.test(a.title));
    assert.ok(guideButton);
    const [step] = await chat.send(buttonPress(guideButton.data, { user: 'u2' }));
    assert.match(cardText(cardOf(step)), /DINSOS 01\.2\.a[\s\S]*Langkah 1 dari/);
  });

  it('takes a branch at a decision and follows it', async () => {
    const chat = await conversation();
    let card = cardOf((await chat.send(message('pandu 03.1.a')))[0]);
    while (!/Apakah berkas lengkap/.test(cardText(card))) card = invokeCard(await chat.send(executeAction(press(card, /^Lanjut$/))));
    const returned = invokeCard(await chat.send(executeAction(press(card, /^Belum lengkap/))));
    assert.match(cardText(returned), /Kembalikan berkas kepada pemohon/);
    assert.ok(executes(returned).some((a) => a.title === 'Selesai'), 'an end step offers Selesai');
  });

  it('answers a double click once and shows the current step for the second', async () => {
    const store = createMemoryStore();
    const chat = await conversation({ store });
    const first = cardOf((await chat.send(message('pandu 03.1.a')))[0]);
    const next = press(first, /^Lanjut$/);
    const a = invokeCard(await chat.send(executeAction(next)));
    const b = invokeCard(await chat.send(executeAction(next)));
    assert.match(cardText(a), /Langkah 2 dari/);
    assert.match(cardText(b), /Langkah 2 dari/);
    assert.match(cardText(b), /kartu lama/);
    const guides = (await store.read(['guides/aad-user-a'])).get('guides/aad-user-a')?.value as { open: { path: unknown[] }[] };
    assert.equal(guides.open[0]!.path.length, 1, 'applied once');
  });

  it("starts the clicker's own walkthrough when they press a button on someone else's card", async () => {
    const store = createMemoryStore();
    const chat = await conversation({ store });
    const groupA = { user: 'ana', conversation: 'group-1', conversationType: 'groupChat' as const };
    const card = cardOf((await chat.send(message('pandu 03.1.a', groupA)))[0]);
    await chat.send(executeAction(press(card, /^Lanjut$/), groupA));
    const byBudi = invokeCard(await chat.send(executeAction(press(card, /^Lanjut$/), { ...groupA, user: 'budi' })));
    assert.match(cardText(byBudi), /Langkah 1 dari/);
    assert.match(cardText(byBudi), /walkthrough orang lain/);
    const docs = await store.read(['guides/aad-ana', 'guides/aad-budi']);
    assert.equal((docs.get('guides/aad-ana')?.value as { open: { path: unknown[] }[] }).open[0]!.path.length, 1, "Ana's walkthrough did not move");
    assert.equal((docs.get('guides/aad-budi')?.value as { open: { path: unknown[] }[] }).open[0]!.path.length, 0);
  });

  it('resumes with "lanjutkan" after the bot is rebuilt over the same store, and lists open walkthroughs', async () => {
    const store = createMemoryStore();
    const first = await conversation({ store });
    const card = cardOf((await first.send(message('pandu 03.1.a')))[0]);
    await first.send(executeAction(press(card, /^Lanjut$/)));
    await first.send(message('pandu adopsi anak'));
    const rebuilt = await conversation({ store });
    const [resumed] = await rebuilt.send(message('lanjutkan'));
    assert.match(cardText(cardOf(resumed)), /DINSOS 01\.2\.a[\s\S]*Langkah 1 dari/, 'the most recent one');
    const [list] = await rebuilt.send(message('walkthrough saya'));
    const text = cardText(cardOf(list));
    assert.match(text, /03\.1\.a · langkah 2 dari/);
    assert.match(text, /01\.2\.a · langkah 1 dari/);
  });

  it('tells the person when the procedure changed and their step is gone, and offers to restart', async () => {
    const store = createMemoryStore();
    const real = await realKnowledge();
    const chat = await conversation({ store });
    const card = cardOf((await chat.send(message('pandu 03.1.a')))[0]);
    const second = invokeCard(await chat.send(executeAction(press(card, /^Lanjut$/))));
    const cfm = real.catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const changed: Cfm = { ...cfm, steps: cfm.steps.map((s, i) => (i === 0 ? { ...s, kind: 'task', next: 'verifikasi' } as typeof s : s)).filter((s) => s.id !== 'ajukan-permohonan') };
    const catalogue = { ...real.catalogue, version: 'changed', cfms: real.catalogue.cfms.map((c) => (c.code === '03.1.a' ? changed : c)) };
    const after = await conversation({ store, knowledge: () => ({ catalogue, index: buildLookupIndex(catalogue) }) });
    const reply = invokeCard(await after.send(executeAction(press(second, /^Lanjut$/))));
    assert.match(cardText(reply), /telah berubah/);
    assert.ok(executes(reply).length === 0 && /Mulai lagi/.test(cardText(reply)));
  });

  it('refuses tampered walkthrough data and writes nothing', async () => {
    const store = createMemoryStore();
    const chat = await conversation({ store });
    await chat.send(message('halo'));
    const write = sinon.spy(store, 'write');
    for (const data of [{ verb: 'guide.next', cfm: '03.1.a', step: 'x', rev: 'NaN' }, { verb: 'guide.branch', cfm: '03.1.a', step: 'verifikasi', rev: '1' }, { verb: 'guide.jump', cfm: '03.1.a' }]) {
      const replies = await chat.send(executeAction(data));
      assert.match(JSON.stringify(replies), /tombol ini tidak dapat diproses/);
    }
    assert.equal(write.callCount, 0);
  });

  it('walks every CFM of the catalogue end to end through the bot and ends with a summary', async () => {
    const { catalogue } = await realKnowledge();
    const chat = await conversation();
    for (const cfm of catalogue.cfms) {
      let card = cardOf((await chat.send(message(`pandu ${cfm.code}`, { user: 'walker' })))[0]);
      const visits = new Map<string, number>();
      for (let i = 0; i < 80; i++) {
        const forward = executes(card).filter((a) => a.title !== 'Kembali' && a.title !== 'Berhenti');
        assert.ok(forward.length > 0, `${cfm.code}: a way forward`);
        // At a decision seen before, take the next branch, so every loop is left eventually.
        const step = String(forward[0]!.data['step']);
        const seen = visits.get(step) ?? 0;
        visits.set(step, seen + 1);
        const replies = await chat.send(executeAction(forward[seen % forward.length]!.data, { user: 'walker' }));
        card = invokeCard(replies);
        if (/Selesai: /.test(cardText(card))) break;
      }
      const text = cardText(card);
      assert.match(text, new RegExp(`Selesai: ${cfm.code.replace(/\./g, '\\.')}`), `${cfm.code} reached its summary`);
      assert.match(text, /Jalur yang Anda tempuh/);
    }
  });
});
