import assert from 'node:assert/strict';
import { planKeeperDigest } from '../../../bot/core/review/plan-reviews.js';
import type { ReviewDoc, ReviewsDoc } from '../../../bot/core/review/review.js';
import { realCalendar, realKnowledge } from '../../helpers/knowledge.js';

const wita = (local: string): Date => new Date(`${local}:00+08:00`);

describe("the catalogue keeper's weekly digest", () => {
  const review = (cfm: string, status: 'confirmed' | 'returned', at: string): ReviewDoc => ({
    schema: 1, cfm, fingerprint: 'f', catalogueVersion: 'v', reviewer: 'k', reviewerName: 'Kabid', startedAt: at, updatedAt: at,
    steps: status === 'returned' ? { a: { verdict: 'change', aspects: ['time'], comment: 'x' }, b: { verdict: 'ok' } } : { a: { verdict: 'ok' } },
    outcome: { status, at },
  });
  const reviews: ReviewsDoc = { schema: 1, reviews: { '03.1.a': review('03.1.a', 'confirmed', wita('2026-11-27T10:00').toISOString()), '06.1.b': review('06.1.b', 'returned', wita('2026-11-26T10:00').toISOString()) } };
  const unanswered = [
    { at: wita('2026-11-27T09:00').toISOString(), nearest: '03.1.a' },
    { at: wita('2026-11-26T09:00').toISOString(), nearest: '03.2' },
    { at: wita('2026-11-25T09:00').toISOString() },
    { at: wita('2026-10-01T09:00').toISOString(), nearest: '01.1.a' },
  ];

  it('goes to every keeper on the first working day of the week: reviews done, corrections, unanswered by process', async () => {
    const { catalogue } = await realKnowledge();
    const calendar = await realCalendar();
    const [digest, second] = planKeeperDigest(catalogue, reviews, unanswered, ['admin-1', 'admin-2'], calendar, new Set(), wita('2026-11-30T08:00'));
    assert.ok(digest && second);
    assert.deepEqual(digest.confirmed, ['03.1.a']);
    assert.deepEqual(digest.returned, [{ cfm: '06.1.b', notes: 1 }]);
    assert.equal(digest.unansweredTotal, 3, 'the last 7 days only');
    assert.deepEqual(digest.unanswered, [{ process: '03', count: 2 }, { process: '—', count: 1 }]);
    assert.equal(digest.key, 'keeper-digest:admin-1:2026-W49');
  });

  it('is planned on no other day, not twice, and not without keepers', async () => {
    const { catalogue } = await realKnowledge();
    const calendar = await realCalendar();
    assert.deepEqual(planKeeperDigest(catalogue, reviews, unanswered, ['admin-1'], calendar, new Set(), wita('2026-12-01T08:00')), [], 'Tuesday');
    assert.deepEqual(planKeeperDigest(catalogue, reviews, unanswered, ['admin-1'], calendar, new Set(['keeper-digest:admin-1:2026-W49']), wita('2026-11-30T09:00')), [], 'already sent');
    assert.deepEqual(planKeeperDigest(catalogue, reviews, unanswered, [], calendar, new Set(), wita('2026-11-30T08:00')), []);
  });
});
