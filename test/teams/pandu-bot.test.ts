import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { BOT, buttonPress, installed, membersAdded, mentionMessage, message, searchInvoke } from '../helpers/activities.js';
import { cardOf, cardText, conversation, realKnowledge } from '../helpers/conversation.js';

describe('PanduBot, in a conversation', () => {
  it('answers "who handles" in a personal chat with the relation map', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(message('siapa yang menangani adopsi anak?'));
    const text = cardText(cardOf(reply));
    assert.match(text, /DINSOS 01\.2\.a/);
    assert.match(text, /Yang menangani/);
    assert.match(text, /Bidang Perlindungan dan Jaminan Sosial/);
    assert.match(text, /Kementerian\/Lembaga Pusat/);
    assert.match(text, /Draf/);
    assert.ok(reply?.summary && reply.summary.length > 10, 'a plain-text summary for screen readers');
  });

  it('strips the @mention in a channel before reading the question', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(mentionMessage('izin PUB ke mana?', { user: 'user-c', conversation: '19:channel@thread.tacv2' }));
    assert.match(cardText(cardOf(reply)), /DINSOS 03\.1\.a/);
  });

  it('answers in English when the Teams locale is English and the message does not say otherwise', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(message('korban bencana', { locale: 'en-US', user: 'user-en' }));
    const text = cardText(cardOf(reply));
    assert.match(text, /Handled by/);
    assert.doesNotMatch(text, /Yang menangani/);
  });

  it('answers in Indonesian a question written in Indonesian, even when the Teams locale is English', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(message('siapa yang menangani korban bencana?', { locale: 'en-US', user: 'user-en2' }));
    assert.match(cardText(cardOf(reply)), /Yang menangani/);
  });

  it('answers in English when the question is English, and switches language on request', async () => {
    const chat = await conversation();
    const [english] = await chat.send(message('who handles child adoption?', { user: 'user-x' }));
    assert.match(cardText(cardOf(english)), /Handled by/);
    const [switched] = await chat.send(message('english', { user: 'user-y' }));
    assert.match(String(switched?.text), /answer in English/);
    const [next] = await chat.send(message('siapa yang urus izin PUB', { user: 'user-y' }));
    assert.match(cardText(cardOf(next)), /Handled by/);
  });

  it('welcomes once when installed, and not again on a second install event or a member joining', async () => {
    const chat = await conversation();
    const first = await chat.send(installed({ conversation: 'conv-install' }));
    assert.match(cardText(cardOf(first[0])), /Selamat datang di Pandu/);
    assert.equal((await chat.send(installed({ conversation: 'conv-install' }))).length, 0);
    assert.equal((await chat.send(membersAdded(['29:new-colleague'], { conversation: 'conv-install' }))).length, 0);
  });

  it('welcomes a team once when the bot itself is added, not when a colleague joins', async () => {
    const chat = await conversation();
    assert.equal((await chat.send(membersAdded(['29:someone'], { conversation: 'team-1' }))).length, 0);
    assert.equal((await chat.send(membersAdded([BOT.id], { conversation: 'team-1' }))).length, 1);
    assert.equal((await chat.send(installed({ conversation: 'team-1' }))).length, 0);
  });

  it('answers a duplicate delivery of the same activity id once', async () => {
    const chat = await conversation();
    const activity = message('izin PUB ke mana?', { id: 'same-id', conversation: 'conv-dup' });
    assert.equal((await chat.send(activity)).length, 1);
    assert.equal((await chat.send({ ...activity })).length, 0);
  });

  it('asks "Maksud Anda…?" when several answers are close, with buttons', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(message('bantuan sosial'));
    const card = cardOf(reply);
    assert.ok(card);
    const actions = card['actions'] as { data: { verb: string } }[];
    assert.ok(actions.length >= 2);
  });

  it('says plainly it does not know an out-of-scope question, and counts it without its text', async () => {
    const store = createMemoryStore();
    const chat = await conversation({ store });
    const [reply] = await chat.send(message('cara membuat KTP'));
    assert.match(cardText(cardOf(reply)), /belum tahu jawabannya/);
    const stats = (await store.read(['stats/unanswered/aad-user-a'])).get('stats/unanswered/aad-user-a')?.value as { total: number; recent: { text?: string }[] };
    assert.equal(stats.total, 1);
    assert.equal(stats.recent[0]?.text, undefined, 'the text is not kept unless the admin turns it on');
  });

  it('keeps the text of unanswered questions only when the admin allows it', async () => {
    const store = createMemoryStore();
    const chat = await conversation({ store, keepUnansweredText: true });
    await chat.send(message('jadwal vaksin besok'));
    const stats = (await store.read(['stats/unanswered/aad-user-a'])).get('stats/unanswered/aad-user-a')?.value as { recent: { text?: string }[] };
    assert.equal(stats.recent[0]?.text, 'jadwal vaksin besok');
  });

  it('lists what a unit takes part in', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(message('Bidang Rehabilitasi Sosial mengurus apa?'));
    const text = cardText(cardOf(reply));
    assert.match(text, /Bidang Rehabilitasi Sosial/);
    assert.match(text, /02 Rehabilitasi Sosial/);
    assert.match(text, /05 Penanganan Warga Negara Migran/);
  });

  it('shows the process map on "daftar proses", and a process from its row', async () => {
    const chat = await conversation();
    const [list] = await chat.send(message('daftar proses'));
    const text = cardText(cardOf(list));
    assert.match(text, /Proses utama/);
    assert.match(text, /Proses pendukung/);
    const [proc] = await chat.send(buttonPress({ verb: 'lookup.show', kind: 'process', code: '04' }));
    assert.match(cardText(cardOf(proc)), /Sukarelawan/);
  });

  it('shows the diagram of a CFM from the answer card ("Lihat diagram") as an image, with no public URL', async () => {
    const chat = await conversation();
    const [answer] = await chat.send(message('izin PUB ke mana?'));
    const diagram = (cardOf(answer)!['actions'] as { title: string; data: Record<string, unknown> }[]).find((a) => a.title === 'Lihat diagram');
    assert.ok(diagram);
    const [reply] = await chat.send(buttonPress(diagram.data));
    const image = reply?.attachments?.[0];
    assert.equal(image?.contentType, 'image/png');
    assert.match(String(image?.contentUrl), /^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('shows the steps of a CFM from the answer card button', async () => {
    const chat = await conversation();
    const [reply] = await chat.send(buttonPress({ verb: 'cfm.steps', code: '03.1.a' }));
    const text = cardText(cardOf(reply));
    assert.match(text, /Langkah-langkah 03\.1\.a/);
    assert.match(text, /Verifikasi kelengkapan berkas/);
  });

  it('refuses tampered button data politely and writes nothing', async () => {
    const store = createMemoryStore();
    const chat = await conversation({ store });
    await chat.send(message('halo'));
    const write = sinon.spy(store, 'write');
    for (const value of [{ verb: 'drop.tables' }, { verb: 'lookup.show', kind: 'cfm', code: '../../etc/passwd' }, 'just a string', { verb: 'lookup.show', kind: 'cfm', code: '99.9.z' }]) {
      const [reply] = await chat.send(buttonPress(value));
      assert.match(String(reply?.text), /tombol ini tidak dapat diproses/);
    }
    assert.equal(write.callCount, 0);
  });

  it('on a failed turn replies with a reference id, logs it, and writes no state', async () => {
    const store = createMemoryStore();
    const write = sinon.spy(store, 'write');
    const chat = await conversation({
      store,
      knowledge: () => {
        throw new Error('catalogue exploded');
      },
    });
    const [reply] = await chat.send(message('siapa yang menangani adopsi anak?'));
    const ref = /kode rujukan ([0-9a-f]{8})/.exec(String(reply?.text))?.[1];
    assert.ok(ref, `a reference id in: ${reply?.text}`);
    assert.doesNotMatch(String(reply?.text), /exploded|Error:|\n\s+at /, 'no stack trace or internals');
    assert.ok(chat.logs.some((l) => l.includes(ref) && l.includes('catalogue exploded')));
    assert.equal(write.callCount, 0);
  });

  it('keeps message text out of the logs at the default level', async () => {
    const chat = await conversation();
    await chat.send(message('rahasia-penanda-unik siapa yang menangani adopsi'));
    assert.ok(chat.logs.length > 0);
    assert.ok(chat.logs.every((l) => !l.includes('rahasia-penanda-unik')));
  });

  it('remembers the language across a rebuilt bot over the same store', async () => {
    const store = createMemoryStore();
    await (await conversation({ store })).send(message('english', { user: 'user-z' }));
    const [reply] = await (await conversation({ store })).send(message('siapa yang urus adopsi', { user: 'user-z' }));
    assert.match(cardText(cardOf(reply)), /Handled by/);
  });

  it('finds processes from the compose box and returns cards to insert', async () => {
    const chat = await conversation();
    const [response] = await chat.send(searchInvoke('adopsi anak'));
    const body = (response?.value as { body: { composeExtension: { type: string; attachments: { contentType: string; preview: unknown }[] } } }).body;
    assert.equal(body.composeExtension.type, 'result');
    assert.ok(body.composeExtension.attachments.length >= 1);
    assert.equal(body.composeExtension.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.ok(body.composeExtension.attachments[0]!.preview);
  });

  it('uses the same catalogue the tests load', async () => {
    const { catalogue } = await realKnowledge();
    assert.equal(catalogue.cfms.length, 29);
  });
});
