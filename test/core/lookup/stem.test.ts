import assert from 'node:assert/strict';
import { stem } from '../../../bot/core/lookup/stem.js';
import { topicTokens, words } from '../../../bot/core/lookup/tokens.js';

describe('stem', () => {
  const same: [string, string][] = [
    ['pengangkatan', 'angkat'],
    ['diangkat', 'angkat'],
    ['penanganan', 'tangani'],
    ['pemberdayaan', 'berdaya'],
    ['pengumpulan', 'mengumpulkan'],
    ['laporan', 'melaporkan'],
    ['keluarganya', 'keluarga'],
    ['rehabilitasi', 'rehabilitasinya'],
    ['workers', 'worker'],
    ['maintained', 'maintaining'],
  ];
  for (const [a, b] of same) it(`brings "${a}" and "${b}" together`, () => assert.equal(stem(a), stem(b)));
  it('leaves short words and codes alone', () => {
    assert.equal(stem('pkh'), 'pkh');
    assert.equal(stem('03.1.a'), '03.1.a');
  });
});

describe('topicTokens', () => {
  it('drops question words, fillers and Kupang Malay', () => {
    assert.deepEqual(topicTokens('beta mau tanya sapa yang urus anak angkat').map((t) => t.word), ['anak', 'angkat']);
    assert.deepEqual(topicTokens('bosong tau ko sonde, izin PUB pi mana?').map((t) => t.word), ['tau', 'izin', 'pub']);
  });
  it('drops place names, which do not change who handles a matter', () => {
    assert.deepEqual(topicTokens('banjir di malaka dan rote').map((t) => t.word), ['banjir']);
  });
  it('folds reduplication and keeps hyphenated names whole', () => {
    assert.deepEqual(words('aset-aset e-warong SIKS-NG anak2'), ['aset', 'ewarong', 'siksng', 'anak']);
  });
});
