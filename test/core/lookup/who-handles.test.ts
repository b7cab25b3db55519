import assert from 'node:assert/strict';
import { matchesOf, whoHandles } from '../../../bot/core/lookup/who-handles.js';
import { realKnowledge } from '../../helpers/knowledge.js';

describe('whoHandles', () => {
  // How staff really ask, and what must come first.
  const answers: [string, string | string[]][] = [
    ['siapa yang menangani adopsi anak?', '01.2.a'],
    ['izin PUB ke mana?', '03.1.a'],
    ['beta mau tanya sapa yang urus anak angkat', '01.2.a'],
    ['who handles disaster victims', ['04', '04.1', '04.1.a']],
    ['siapa yg menangani adposi anak?', '01.2.a'],
    ['pengumplan sumbangan lintas kabupaten', ['03.1.a', '03.1']],
    ['DTKS', '01.1.a'],
    ['verval dtks siks-ng offline', '08.1.a'],
    ['usulan PBI-JK', '01.1.e'],
    ['pemulangan PMI korban TPPO dari Tenau', '05.1.a'],
    ['pemeliharaan taman makam pahlawan', '06.1.b'],
    ['renja dan RKA di SIPD', '10.1.a'],
    ['pensiun pegawai', '07.1.a'],
    ['lansia telantar masuk panti', '02.1.a.3'],
    ['03.1.a', '03.1.a'],
    ['proses 04', '04'],
  ];
  for (const [question, code] of answers) {
    const accepted = Array.isArray(code) ? code : [code];
    it(`answers "${question}" with ${accepted.join(' or ')} first`, async () => {
      const { index } = await realKnowledge();
      const result = whoHandles(index, question);
      assert.ok(accepted.includes(matchesOf(result)[0]?.code ?? ''), JSON.stringify(result));
    });
  }

  it('answers a question about a unit with the unit', async () => {
    const { index } = await realKnowledge();
    const result = whoHandles(index, 'Bidang Rehabilitasi Sosial mengurus apa?');
    assert.equal(result.status, 'answer');
    assert.equal(result.status === 'answer' && result.match.code, 'bidang-rehsos');
  });

  it('does not answer "which unit handles X" with a unit', async () => {
    const { index } = await realKnowledge();
    const result = whoHandles(index, 'unit mana yang menangani rehabilitasi sosial lansia telantar?');
    assert.notEqual(matchesOf(result)[0]?.kind, 'unit');
  });

  for (const question of ['cara membuat KTP', 'jadwal vaksin', 'cuaca besok', 'link zoom rapat jam 10', 'harga beras di pasar']) {
    it(`gives no confident answer to the out-of-scope "${question}"`, async () => {
      const { index } = await realKnowledge();
      assert.notEqual(whoHandles(index, question).status, 'answer');
    });
  }

  it('returns "empty" for a message with no topic words', async () => {
    const { index } = await realKnowledge();
    assert.equal(whoHandles(index, 'halo pak, siapa ya?').status, 'empty');
  });
});
