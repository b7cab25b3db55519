import assert from 'node:assert/strict';
import type { OnboardingDoc } from '../../../bot/core/onboarding/onboarding-progress.js';
import { idleWorkingDays, isoWeek, planOnboardingDeliveries } from '../../../bot/core/onboarding/plan-onboarding.js';
import type { RosterDoc } from '../../../bot/core/roster/roster.js';
import { realCalendar } from '../../helpers/knowledge.js';

/** WITA wall time → the instant. */
const wita = (local: string): Date => new Date(`${local}:00+08:00`);

const roster: RosterDoc = {
  schema: 1,
  channels: {},
  people: {
    nina: { id: 'nina', name: 'Nina', unit: 'bidang-dayasos', role: 'staf', updatedAt: 'x' },
    kabid: { id: 'kabid', name: 'Kabid Dayasos', unit: 'bidang-dayasos', role: 'kepala-unit', updatedAt: 'x' },
    sekdis: { id: 'sekdis', name: 'Sekretaris', unit: 'sekretariat', role: 'sekretaris', updatedAt: 'x' },
    yos: { id: 'yos', name: 'Yos', unit: 'upt-anak', role: 'staf', updatedAt: 'x' },
  },
};

/** Nina's path, last progress at `updatedAt` (WITA). */
const doc = (updatedAt: string, extra: Partial<OnboardingDoc> = {}): OnboardingDoc => ({ schema: 1, unit: 'bidang-dayasos', startedAt: wita('2026-11-30T08:00').toISOString(), updatedAt: wita(updatedAt).toISOString(), items: { intro: { status: 'done', at: wita(updatedAt).toISOString() } }, ...extra });

describe('planning onboarding messages (fixed clock, real working calendar)', () => {
  async function plan(docs: Record<string, OnboardingDoc>, now: string, sent: readonly string[] = []) {
    const calendar = await realCalendar();
    return planOnboardingDeliveries(new Map(Object.entries(docs)), roster, calendar, new Set(sent), wita(now));
  }

  it('nudges once, in office hours, after three full working days without progress', async () => {
    // Last progress on Monday 30 November; Tuesday, Wednesday and Thursday pass without any.
    const docs = { nina: doc('2026-11-30T10:00') };
    assert.deepEqual(await plan(docs, '2026-12-03T09:00'), [], 'Thursday: two full days so far');
    const friday = await plan(docs, '2026-12-04T07:30');
    assert.deepEqual(friday, [{ key: 'onboarding-nudge:nina:2026-W49', kind: 'onboarding-nudge', to: ['nina'], userId: 'nina', dueAt: wita('2026-12-04T07:30').toISOString() }]);
    assert.deepEqual(await plan(docs, '2026-12-04T07:29'), [], 'before office hours');
    assert.deepEqual(await plan(docs, '2026-12-04T16:30'), [], 'after office hours');
    assert.deepEqual(await plan(docs, '2026-12-04T11:00', ['onboarding-nudge:nina:2026-W49']), [], 'already sent this week');
  });

  it('sends nothing on a weekend or a holiday, and counts only working days', async () => {
    assert.deepEqual(await plan({ nina: doc('2026-11-30T10:00') }, '2026-12-05T10:00'), [], 'Saturday');
    // Progress on Monday 21 December: 22 and 23 are working days, 24 (cuti bersama) and 25 (Christmas) are not.
    const docs = { nina: doc('2026-12-21T10:00') };
    assert.deepEqual(await plan(docs, '2026-12-25T10:00'), [], 'Christmas Day');
    assert.deepEqual(await plan(docs, '2026-12-28T09:00'), [], 'Monday 28th: only two full working days (22, 23)');
    assert.equal((await plan(docs, '2026-12-29T09:00')).length, 1, 'Tuesday 29th: 22, 23 and 28');
    const calendar = await realCalendar();
    assert.equal(idleWorkingDays(calendar, wita('2026-12-21T10:00').toISOString(), wita('2026-12-29T09:00')), 3);
  });

  it('nudges once per stall and never twice in a week', async () => {
    // Nudged on Friday 4 December and no progress since: no second nudge, not even the next week.
    assert.deepEqual(await plan({ nina: doc('2026-11-30T10:00', { nudgedAt: wita('2026-12-04T07:30').toISOString() }) }, '2026-12-09T09:00'), []);
    // Nudged on Monday 7 December, progress an hour later, then three idle days: Friday is the same ISO week.
    const again = { nina: doc('2026-12-07T10:00', { nudgedAt: wita('2026-12-07T09:00').toISOString() }) };
    assert.deepEqual(await plan(again, '2026-12-11T09:00'), [], 'Friday 11 December: the same week as the last nudge');
    assert.deepEqual((await plan(again, '2026-12-14T09:00')).map((d) => d.key), ['onboarding-nudge:nina:2026-W51'], 'the next week');
  });

  it('tells the manager once the path is complete, and never nudges after completion', async () => {
    const completedAt = wita('2026-12-02T15:00').toISOString();
    const docs = { nina: doc('2026-12-02T15:00', { completedAt }) };
    assert.deepEqual(await plan(docs, '2026-12-10T09:00'), [{ key: 'onboarding-complete:nina:kabid', kind: 'onboarding-complete', to: ['kabid'], userId: 'nina', dueAt: completedAt }], 'no nudge, only the notice');
    assert.deepEqual(await plan(docs, '2026-12-02T19:00'), [], 'not at night');
    assert.deepEqual(await plan(docs, '2026-12-10T09:00', ['onboarding-complete:nina:kabid']), []);
    assert.deepEqual(await plan(docs, '2026-12-28T09:00'), [], 'an old completion is not announced');
    const noHead = { yos: { ...doc('2026-12-02T15:00', { completedAt }), unit: 'upt-anak' } };
    assert.deepEqual((await plan(noHead, '2026-12-03T09:00')).map((d) => d.key), ['onboarding-complete:yos:sekdis'], 'no head of UPT Anak in the roster: the Sekretaris');
  });

  it('numbers ISO weeks across the turn of the year', () => {
    assert.equal(isoWeek('2026-12-04'), '2026-W49');
    assert.equal(isoWeek('2026-12-31'), '2026-W53');
    assert.equal(isoWeek('2027-01-04'), '2027-W01');
    assert.equal(isoWeek('2021-01-01'), '2020-W53');
  });
});
