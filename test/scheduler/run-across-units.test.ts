import assert from 'node:assert/strict';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { buttonPress, executeAction, message } from '../helpers/activities.js';
import { cardOf, cardText, conversation } from '../helpers/conversation.js';
import { schedulerRig, TestClock } from '../helpers/scheduler-rig.js';
import { executes } from '../helpers/card-actions.js';

type Card = Record<string, unknown>;


async function setUp() {
  const store = createMemoryStore();
  const clock = new TestClock(Date.parse('2026-11-30T00:00:00Z')); // Monday 08:00 WITA
  const chat = await conversation({ store, clock, adminIds: ['aad-admin'] });
  const rig = await schedulerRig(store, clock);
  // Everyone opens Pandu once (so Pandu can reach them), then the admin sets their units and roles.
  for (const user of ['admin', 'ana', 'kabid', 'kadis', 'sekdis']) await chat.send(message('halo', { user }));
  const roles: [string, string, string][] = [['ana', 'bidang-dayasos', 'staf'], ['kabid', 'bidang-dayasos', 'kepala-unit'], ['kadis', 'kadis', 'kadis'], ['sekdis', 'sekretariat', 'sekretaris']];
  for (const [user, unit, role] of roles) {
    const [reply] = await chat.send(buttonPress({ verb: 'roster.set', person: `aad-${user}`, unit, role }, { user: 'admin' }));
    assert.match(String(reply?.text), /Tersimpan/);
  }
  return { store, clock, chat, rig };
}

describe('a case run across units, with every notification', () => {
  it('moves a PUB permit from the applicant to the Kepala Dinas and the Bidang, notifying each unit at its hand-off, to the end', async () => {
    const { clock, chat, rig } = await setUp();
    const [started] = await chat.send(message('mulai pelaksanaan 03.1.a untuk Yayasan Kasih Flobamora', { user: 'ana' }));
    assert.match(String(started?.text), /Pelaksanaan "Yayasan Kasih Flobamora" \(03\.1\.a\) dimulai/);

    /** One hand-off: sweep, check who got the card, and press a button on it as `by`. */
    const handOff = async (expect: { to: string[]; step: RegExp; kind: RegExp }, by: string, button: RegExp) => {
      const before = rig.notifier.sent.length;
      await rig.sweep();
      // Hand-off cards only (the managers' daily digest also goes out on the first sweep of the day).
      const fresh = rig.notifier.sent.slice(before).filter((s) => s.key.startsWith('run:'));
      assert.deepEqual([...new Set(fresh.map((s) => s.conversationId))].sort(), expect.to.map((u) => `conv-${u}`).sort(), `recipients for ${expect.step}`);
      for (const s of fresh) {
        assert.match(s.text, expect.step);
        assert.match(s.text, expect.kind);
        assert.match(s.text, /Yayasan Kasih Flobamora/);
      }
      const card = JSON.parse(fresh[0]!.text) as Card;
      const action = executes(card).find((a) => button.test(a.title));
      assert.ok(action, `button ${button} on the card for ${expect.step}`);
      return chat.send(executeAction(action.data, { user: by }));
    };

    // 1. Dinsos kab/kota (outside party): the case's owner, Ana, is told it waits on them, and marks it done.
    await handOff({ to: ['ana'], step: /Terbitkan surat rekomendasi/, kind: /menunggu pihak luar/ }, 'ana', /^Selesai$/);
    // 2. The applicant (outside party) submits: again Ana follows it.
    await handOff({ to: ['ana'], step: /Ajukan permohonan izin PUB/, kind: /menunggu pihak luar/ }, 'ana', /^Selesai$/);
    // 3. Kepala Dinas: disposition.
    await handOff({ to: ['kadis'], step: /disposisikan kepada Bidang Pemberdayaan Sosial/, kind: /kini menunggu Kepala Dinas/ }, 'kadis', /^Selesai$/);
    // 4. Bidang Pemberdayaan Sosial (staff and head): verification, a decision.
    await handOff({ to: ['ana', 'kabid'], step: /Verifikasi kelengkapan berkas/, kind: /kini menunggu Bidang Pemberdayaan Sosial/ }, 'ana', /^Lengkap dan layak$/);
    await handOff({ to: ['ana', 'kabid'], step: /Pastikan wilayah pengumpulan/, kind: /Bidang Pemberdayaan Sosial/ }, 'kabid', /^Gubernur/);
    await handOff({ to: ['ana', 'kabid'], step: /Susun konsep keputusan izin PUB/, kind: /Bidang Pemberdayaan Sosial/ }, 'ana', /^Selesai$/);
    // 5. Back to the Kepala Dinas to sign.
    await handOff({ to: ['kadis'], step: /Tanda tangani keputusan izin PUB/, kind: /Kepala Dinas/ }, 'kadis', /^Selesai$/);
    // 6. The organiser collects (outside), no extension, reports (outside), the Bidang supervises: the end.
    await handOff({ to: ['ana'], step: /Laksanakan pengumpulan/, kind: /pihak luar/ }, 'ana', /^Tidak$/);
    await handOff({ to: ['ana'], step: /Laporkan hasil dan penggunaan/, kind: /pihak luar/ }, 'ana', /^Selesai$/);
    const last = await handOff({ to: ['ana', 'kabid'], step: /Periksa laporan, awasi pelaksanaan/, kind: /Bidang Pemberdayaan Sosial/ }, 'kabid', /^Selesai$/);
    assert.match(JSON.stringify(last), /selesai\. Terima kasih/);
    const [tasks] = await chat.send(message('pelaksanaan saya', { user: 'ana' }));
    assert.match(cardText(cardOf(tasks)), /Tidak ada pekerjaan terbuka/);
    void clock;
  });

  it('refuses a role change by a non-admin, and says so', async () => {
    const { chat } = await setUp();
    const [reply] = await chat.send(buttonPress({ verb: 'roster.set', person: 'aad-ana', unit: 'kadis', role: 'kadis' }, { user: 'ana' }));
    assert.match(String(reply?.text), /hanya admin Pandu/);
    const [me] = await chat.send(message('siapa saya', { user: 'ana' }));
    assert.match(String(me?.text), /Unit: Bidang Pemberdayaan Sosial\. Peran: Staf/);
    assert.ok(chat.logs.some((l) => l.includes('admin-only action refused')), 'the attempt is logged');
  });

  it('lets anyone set their own unit, and shows it in "siapa saya"', async () => {
    const { chat } = await setUp();
    await chat.send(message('halo', { user: 'baru' }));
    assert.match(String((await chat.send(message('unit saya UPT Lansia', { user: 'baru' })))[0]?.text), /UPT Kesejahteraan Sosial Lanjut Usia/);
    assert.match(String((await chat.send(message('siapa saya', { user: 'baru' })))[0]?.text), /Unit: UPT Kesejahteraan Sosial Lanjut Usia/);
  });

  it('lists "tugas saya" and "tugas unit saya" with what is overdue first', async () => {
    const { clock, chat } = await setUp();
    await chat.send(message('mulai pelaksanaan 03.1.a untuk Kasus Lama', { user: 'ana' }));
    clock.set('2026-12-01T00:00:00Z');
    await chat.send(message('mulai pelaksanaan 06.1.a untuk Kasus Baru', { user: 'kabid' }));
    clock.set('2026-12-10T01:00:00Z');
    const [unitTasks] = await chat.send(message('tugas unit saya', { user: 'kabid' }));
    const text = cardText(cardOf(unitTasks));
    assert.match(text, /Tugas unit saya/);
    assert.match(text, /Kasus Baru[\s\S]*TERLAMBAT/);
    const [mine] = await chat.send(message('pelaksanaan saya', { user: 'ana' }));
    assert.match(cardText(cardOf(mine)), /Kasus Lama/);
  });
});
