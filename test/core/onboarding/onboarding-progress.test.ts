import assert from 'node:assert/strict';
import type { Catalogue } from '../../../bot/core/catalogue/types.js';
import { buildOnboardingPath } from '../../../bot/core/onboarding/onboarding-path.js';
import { completeIfDone, figuresOf, isOnboardingDoc, markItem, nextItem, reconcileProgress, startOnboarding } from '../../../bot/core/onboarding/onboarding-progress.js';
import { EMPTY_ONBOARDING_TEAM, teamOf, withSummary } from '../../../bot/core/onboarding/onboarding-team.js';
import type { RosterDoc } from '../../../bot/core/roster/roster.js';
import { realKnowledge } from '../../helpers/knowledge.js';

const T0 = new Date('2026-11-30T01:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** The real catalogue with CFM 06.1.c removed and a new CFM 03.1.b (a copy of 03.1.a) added. */
function changedCatalogue(catalogue: Catalogue): Catalogue {
  const pub = catalogue.cfms.find((c) => c.code === '03.1.a')!;
  const added = { ...pub, code: '03.1.b', title: 'Penerbitan Izin Undian Gratis Berhadiah (contoh)', titleEn: 'Free prize draw permit (example)' };
  return { ...catalogue, version: 'changed', cfms: [...catalogue.cfms.filter((c) => c.code !== '06.1.c'), added] };
}

describe('onboarding progress', () => {
  it('keeps progress by item id when the catalogue changes: a new item appears, a removed one drops out', async () => {
    const { catalogue } = await realKnowledge();
    const before = buildOnboardingPath(catalogue, 'bidang-dayasos');
    assert.ok(before.some((i) => i.id === 'tour:06.1.c'));
    let doc = startOnboarding('bidang-dayasos', before, T0);
    for (const [n, id] of ['intro', 'process-map', 'tour:03.1.a', 'tour:06.1.c'].entries()) doc = markItem(doc, id, { status: 'done' }, later(n));
    doc = markItem(doc, 'unit:bidang-dayasos', { status: 'skipped' }, later(5));

    const after = buildOnboardingPath(changedCatalogue(catalogue), 'bidang-dayasos');
    const { doc: reconciled, added, removed } = reconcileProgress(doc, after);
    assert.ok(added.includes('tour:03.1.b'), `added: ${added.join(', ')}`);
    assert.ok(removed.includes('tour:06.1.c'), `removed: ${removed.join(', ')}`);
    assert.equal(reconciled.items['tour:06.1.c'], undefined, 'the removed item drops out');
    assert.equal(reconciled.items['intro']?.status, 'done');
    assert.equal(reconciled.items['tour:03.1.a']?.status, 'done');
    assert.equal(reconciled.items['unit:bidang-dayasos']?.status, 'skipped');
    assert.equal(reconciled.items['tour:03.1.b'], undefined, 'the new item is not started');
    assert.deepEqual(reconciled.path, after.map((i) => i.id));
    assert.equal(reconcileProgress(reconciled, after).doc, reconciled, 'nothing changes a second time');
    assert.equal(reconcileProgress(doc, before).doc, doc, 'the same path leaves the doc as it is');
  });

  it('shows the untouched items first, then the skipped ones, then the completion card; done stays done', async () => {
    const { catalogue } = await realKnowledge();
    const path = buildOnboardingPath(catalogue, 'upt-anak');
    let doc = startOnboarding('upt-anak', path, T0);
    assert.equal(nextItem(path, doc).id, 'intro');
    doc = markItem(doc, 'intro', { status: 'done' }, later(1));
    doc = markItem(doc, 'process-map', { status: 'skipped' }, later(2));
    assert.equal(nextItem(path, doc).id, 'unit:upt-anak');
    for (const item of path.slice(2, -1)) {
      doc = item.kind === 'check' ? markItem(doc, item.id, { status: 'done', answer: item.check.answer, correct: true }, later(3)) : markItem(doc, item.id, { status: 'done' }, later(3));
    }
    assert.equal(nextItem(path, doc).id, 'process-map', 'the skipped item comes back');
    assert.equal(completeIfDone(path, doc, later(4)).completedAt, undefined, 'not complete while an item is skipped');
    assert.equal(markItem(doc, 'intro', { status: 'skipped' }, later(5)).items['intro']?.status, 'done', 'a later skip does not undo done');
    doc = completeIfDone(path, markItem(doc, 'process-map', { status: 'done' }, later(6)), later(6));
    assert.equal(doc.completedAt, later(6).toISOString());
    assert.equal(doc.items['complete']?.status, 'done');
    assert.equal(nextItem(path, doc).id, 'complete');
    assert.equal(completeIfDone(path, doc, later(9)).completedAt, later(6).toISOString(), 'completed once');
    const figures = figuresOf(path, doc);
    assert.deepEqual(figures, { done: path.length, skipped: 0, total: path.length, answered: path.filter((i) => i.kind === 'check').length, correct: path.filter((i) => i.kind === 'check').length });
  });

  it('accepts only docs of its own schema', () => {
    assert.equal(isOnboardingDoc({ schema: 1, unit: 'upt-anak', startedAt: 'x', updatedAt: 'x', items: {} }), true);
    for (const bad of [null, 'x', { schema: 2, unit: 'upt-anak', startedAt: 'x', updatedAt: 'x', items: {} }, { schema: 1, unit: 'upt-anak' }]) assert.equal(isOnboardingDoc(bad), false);
  });

  it("gives managers their units' new employees with their figures, and the Kepala Dinas everyone", async () => {
    const { catalogue } = await realKnowledge();
    const roster: RosterDoc = {
      schema: 1,
      channels: {},
      people: {
        nina: { id: 'nina', name: 'Nina', unit: 'bidang-dayasos', role: 'staf', updatedAt: 'x' },
        yos: { id: 'yos', name: 'Yos', unit: 'upt-anak', role: 'staf', updatedAt: 'x' },
        kabid: { id: 'kabid', name: 'Kabid', unit: 'bidang-dayasos', role: 'kepala-unit', updatedAt: 'x' },
        kadis: { id: 'kadis', name: 'Kadis', unit: 'kadis', role: 'kadis', updatedAt: 'x' },
      },
    };
    let team = EMPTY_ONBOARDING_TEAM;
    for (const [user, unit] of [['nina', 'bidang-dayasos'], ['yos', 'upt-anak']] as const) {
      const path = buildOnboardingPath(catalogue, unit);
      const doc = markItem(startOnboarding(unit, path, T0), 'intro', { status: 'done' }, later(10));
      team = withSummary(team, user, path, doc);
      assert.equal(withSummary(team, user, path, doc), team, 'unchanged figures: the same doc, no write');
    }
    assert.deepEqual(teamOf(team, roster, 'kabid', '2026-11-30', false)?.map((m) => [m.name, m.summary.done, m.summary.total]), [['Nina', 1, 18]]);
    assert.deepEqual(teamOf(team, roster, 'kadis', '2026-11-30', false)?.map((m) => m.name), ['Nina', 'Yos']);
    assert.equal(teamOf(team, roster, 'nina', '2026-11-30', false), undefined, 'staff are not managers');
  });
});
