import assert from 'node:assert/strict';
import { reviewsMarkdown } from '../../bot/catalogue/apply-reviews.js';
import type { ReviewsDoc } from '../../bot/core/review/review.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { buttonPress, message } from '../helpers/activities.js';
import { cardOf, cardText, conversation, realKnowledge } from '../helpers/conversation.js';

async function staffed() {
  const store = createMemoryStore();
  const chat = await conversation({ store, adminIds: ['aad-admin'] });
  for (const user of ['admin', 'ana', 'kabid']) await chat.send(message('halo', { user }));
  await chat.send(buttonPress({ verb: 'roster.set', person: 'aad-kabid', unit: 'bidang-dayasos', role: 'kepala-unit' }, { user: 'admin' }));
  await chat.send(buttonPress({ verb: 'roster.set', person: 'aad-ana', unit: 'bidang-dayasos', role: 'staf' }, { user: 'admin' }));
  return { store, chat };
}

describe('owners confirm their procedures in chat', () => {
  it('lets the head of the owner unit review 03.1.a step by step and confirm it; the confirmation survives a restart and is exported', async () => {
    const { store, chat } = await staffed();
    const [list] = await chat.send(message('tinjau CFM', { user: 'kabid' }));
    assert.match(cardText(cardOf(list)), /03\.1\.a Penerbitan Izin Pengumpulan Sumbangan/);
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    let [card] = await chat.send(buttonPress({ verb: 'review.start', cfm: '03.1.a' }, { user: 'kabid' }));
    assert.match(cardText(cardOf(card)), /Tinjauan 03\.1\.a · langkah 1 dari 13/);
    // "Perlu diubah" without a note asks for one, and records nothing.
    [card] = await chat.send(buttonPress({ verb: 'review.change', cfm: '03.1.a', step: cfm.steps[0]!.id }, { user: 'kabid' }));
    assert.match(cardText(cardOf(card)), /Tulis catatan perbaikannya/);
    for (const step of cfm.steps) [card] = await chat.send(buttonPress({ verb: 'review.ok', cfm: '03.1.a', step: step.id }, { user: 'kabid' }));
    assert.match(cardText(cardOf(card)), /13 langkah benar, 0 perlu diubah/);
    const [done] = await chat.send(buttonPress({ verb: 'review.finish', cfm: '03.1.a', decision: 'confirmed' }, { user: 'kabid' }));
    assert.match(String(done?.text), /03\.1\.a kini berstatus terkonfirmasi oleh kabid/);

    const rebuilt = await conversation({ store, adminIds: ['aad-admin'] });
    const [answer] = await rebuilt.send(message('siapa yang menangani izin PUB?', { user: 'ana' }));
    const text = cardText(cardOf(answer));
    assert.match(text, /Dikonfirmasi oleh kabid/);
    assert.doesNotMatch(text, /Draf —|diagram aslinya hilang/);
    const doc = (await store.read(['reviews/all'])).get('reviews/all')!.value as ReviewsDoc;
    assert.match(reviewsMarkdown(catalogue, doc.reviews), /\| 03\.1\.a .* \| kabid \| dikonfirmasi \|/);
  });

  it('returns a procedure with correction notes, and never confirms one with a step that needs a change', async () => {
    const { store, chat } = await staffed();
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '06.1.b')!;
    for (const [i, step] of cfm.steps.entries()) {
      await chat.send(buttonPress(i === 2 ? { verb: 'review.change', cfm: cfm.code, step: step.id, aspects: 'time,actor', comment: 'jadwal pemeliharaan bulanan' } : { verb: 'review.ok', cfm: cfm.code, step: step.id }, { user: 'kabid' }));
    }
    const [confirm] = await chat.send(buttonPress({ verb: 'review.finish', cfm: cfm.code, decision: 'confirmed' }, { user: 'kabid' }));
    assert.match(String(confirm?.text), /dikembalikan ke pengelola katalog dengan 1 catatan/);
    const doc = (await store.read(['reviews/all'])).get('reviews/all')!.value as ReviewsDoc;
    assert.deepEqual(doc.reviews[cfm.code]!.steps[cfm.steps[2]!.id], { verdict: 'change', aspects: ['time', 'actor'], comment: 'jadwal pemeliharaan bulanan' });
  });

  it('refuses reviews by someone who does not head the owner unit, and the reload command by a non-admin', async () => {
    const { chat } = await staffed();
    assert.match(String((await chat.send(message('tinjau CFM', { user: 'ana' })))[0]?.text), /kepala unit pemiliknya/);
    assert.match(String((await chat.send(buttonPress({ verb: 'review.start', cfm: '03.1.a' }, { user: 'ana' })))[0]?.text), /Hanya kepala unit pemilik/);
    assert.match(String((await chat.send(message('muat ulang katalog', { user: 'ana' })))[0]?.text), /hanya admin Pandu/);
  });
});
