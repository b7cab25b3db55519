import assert from 'node:assert/strict';
import type { Catalogue } from '../../bot/core/catalogue/types.js';
import type { Lang } from '../../bot/core/i18n/messages.js';
import { answerView } from '../../bot/core/views/answer-view.js';
import type { CardView } from '../../bot/core/views/card-view.js';
import { choicesView, unknownView } from '../../bot/core/views/choices-view.js';
import { helpView, processListView, welcomeView } from '../../bot/core/views/simple-views.js';
import { stepsView } from '../../bot/core/views/steps-view.js';
import { unitView } from '../../bot/core/views/unit-view.js';
import { startWalkthrough, type Walkthrough } from '../../bot/core/guide/walkthrough.js';
import { diagramView, guideChangedView, guideListView, guideStepView, guideSummaryView } from '../../bot/core/views/guide-views.js';
import { buildOnboardingPath, onboardingUnits } from '../../bot/core/onboarding/onboarding-path.js';
import { startOnboarding, type OnboardingDoc } from '../../bot/core/onboarding/onboarding-progress.js';
import { withSummary, EMPTY_ONBOARDING_TEAM } from '../../bot/core/onboarding/onboarding-team.js';
import { onboardingChecklistView, onboardingCompletedNoticeView, onboardingItemView, onboardingNotStartedView, onboardingNudgeView, onboardingTeamView, onboardingUnitsView } from '../../bot/core/views/onboarding-views.js';
import { renderCard } from '../../bot/render/render-card.js';
import { reviewFinishView, reviewListView, reviewStepView } from '../../bot/core/views/review-views.js';
import { startReview } from '../../bot/core/review/review.js';
import { cardProblems } from '../helpers/card-checks.js';
import { realKnowledge } from '../helpers/knowledge.js';

/** Every card Pandu can send for the real catalogue, in both languages. */
export function allCardViews(catalogue: Catalogue): { name: string; view: CardView }[] {
  const views: { name: string; view: CardView | undefined; }[] = [];
  const m = (kind: 'cfm' | 'process', code: string) => ({ kind, code, title: 'Judul', titleEn: 'Title', score: 0.5 });
  for (const lang of ['id', 'en'] as Lang[]) {
    views.push({ name: `welcome/${lang}`, view: welcomeView(lang) }, { name: `help/${lang}`, view: helpView(lang) }, { name: `process-list/${lang}`, view: processListView(catalogue, lang) });
    views.push({ name: `choices/${lang}`, view: choicesView('bantuan sosial', [m('cfm', '01.1.d'), m('cfm', '04.1.a'), m('process', '01')], lang) });
    views.push({ name: `unknown/${lang}`, view: unknownView('cara membuat KTP', [m('cfm', '01.1.a')], lang) }, { name: `unknown-empty/${lang}`, view: unknownView('x', [], lang) });
    for (const p of catalogue.processes) views.push({ name: `answer/process/${p.code}/${lang}`, view: answerView(catalogue, { kind: 'process', code: p.code }, lang, [m('cfm', '03.1.a')]) });
    for (const s of catalogue.subprocesses) views.push({ name: `answer/subprocess/${s.code}/${lang}`, view: answerView(catalogue, { kind: 'subprocess', code: s.code }, lang) });
    for (const c of catalogue.cfms) {
      views.push({ name: `answer/cfm/${c.code}/${lang}`, view: answerView(catalogue, { kind: 'cfm', code: c.code }, lang, [m('cfm', '01.1.a'), m('process', '02'), m('cfm', '03.1.a')]) });
      views.push({ name: `steps/${c.code}/${lang}`, view: stepsView(catalogue, c.code, lang) });
    }
    for (const u of catalogue.units.filter((x) => x.kind === 'internal')) views.push({ name: `unit/${u.id}/${lang}`, view: unitView(catalogue, u.id, lang) });
    // Every step of every CFM as a walkthrough card (with a step behind it, so Kembali shows), the
    // summary of a walk through all steps, the list, the "changed" card and the diagram card.
    const open: Walkthrough[] = [];
    for (const c of catalogue.cfms) {
      const start = startWalkthrough(c, catalogue.version, new Date('2026-11-30T01:00:00Z'));
      for (const [i, step] of c.steps.entries()) {
        const w = { ...start, current: step.id, path: i === 0 ? [] : [{ step: c.steps[0]!.id }], revision: i + 1 };
        views.push({ name: `guide-step/${c.code}/${step.id}/${lang}`, view: guideStepView(catalogue, w, lang, i === 1 ? 'catatan' : undefined) });
      }
      views.push({ name: `guide-summary/${c.code}/${lang}`, view: guideSummaryView(catalogue, { ...start, path: c.steps.map((x) => ({ step: x.id, ...(x.kind === 'decision' ? { branch: x.branches[0]!.label } : {}) })) }, lang) });
      views.push({ name: `diagram/${c.code}/${lang}`, view: diagramView(catalogue, c.code, `https://pandu.example.go.id/diagrams/${c.code}.png`, lang, true) });
      open.push(start);
    }
    views.push({ name: `guide-list/${lang}`, view: guideListView(catalogue, open, lang) }, { name: `guide-list-empty/${lang}`, view: guideListView(catalogue, [], lang) });
    views.push({ name: `guide-changed/${lang}`, view: guideChangedView('03.1.a', lang) });
    // The review of every step of every CFM, the list of CFMs waiting, and the closing card.
    for (const c of catalogue.cfms) {
      for (const step of c.steps) views.push({ name: `review-step/${c.code}/${step.id}/${lang}`, view: reviewStepView(catalogue, c, step.id, lang, step === c.steps[1] ? 'catatan' : undefined) });
      const review = startReview(c, catalogue, undefined, { id: 'k', name: 'Kabid' }, new Date('2026-11-30T01:00:00Z'));
      views.push({ name: `review-finish/${c.code}/${lang}`, view: reviewFinishView(c, review, lang) });
    }
    views.push({ name: `review-list/${lang}`, view: reviewListView(catalogue.cfms.slice(0, 12), {}, lang) });
    views.push(...onboardingCardViews(catalogue, lang));
  }
  return views.map((v) => {
    if (!v.view) throw new Error(`no view for ${v.name}`);
    return { name: v.name, view: v.view };
  });
}

/**
 * Every onboarding card for every unit: each item of its path fresh, each item done (checks answered
 * right and wrong), the completion card pending and complete, the checklist, the unit picker, the
 * team view, the nudge and the manager's completion notice.
 */
function onboardingCardViews(catalogue: Catalogue, lang: Lang): { name: string; view: CardView }[] {
  const views: { name: string; view: CardView }[] = [];
  const now = new Date('2026-11-30T01:00:00Z');
  views.push({ name: `onboarding-units/${lang}`, view: onboardingUnitsView(catalogue, lang) }, { name: `onboarding-units-current/${lang}`, view: onboardingUnitsView(catalogue, lang, 'upt-anak', 'catatan') });
  views.push({ name: `onboarding-not-started/${lang}`, view: onboardingNotStartedView(lang) });
  let team = EMPTY_ONBOARDING_TEAM;
  for (const unit of onboardingUnits(catalogue)) {
    const path = buildOnboardingPath(catalogue, unit.id);
    const fresh = startOnboarding(unit.id, path, now);
    const at = now.toISOString();
    const wrongFirst = new Set([path.find((i) => i.kind === 'check')?.id]);
    const items = Object.fromEntries(
      path.map((i) => [i.id, i.kind === 'check' ? { status: 'done' as const, at, answer: wrongFirst.has(i.id) ? i.check.choices.find((c) => c !== i.check.answer)! : i.check.answer, correct: !wrongFirst.has(i.id) } : { status: 'done' as const, at }]),
    );
    const complete: OnboardingDoc = { ...fresh, items, completedAt: at };
    const halfway: OnboardingDoc = { ...fresh, items: Object.fromEntries(Object.entries(items).slice(0, 5).map(([id, p], i) => [id, i === 2 ? { status: 'skipped' as const, at } : p])) };
    for (const item of path) {
      views.push({ name: `onboarding-item/${unit.id}/${item.id}/fresh/${lang}`, view: onboardingItemView({ catalogue, path, doc: fresh }, item, lang, item.kind === 'intro' ? ['catatan'] : []) });
      views.push({ name: `onboarding-item/${unit.id}/${item.id}/done/${lang}`, view: onboardingItemView({ catalogue, path, doc: complete }, item, lang) });
    }
    views.push({ name: `onboarding-item/${unit.id}/complete/pending/${lang}`, view: onboardingItemView({ catalogue, path, doc: halfway }, path.at(-1)!, lang) });
    views.push({ name: `onboarding-checklist/${unit.id}/${lang}`, view: onboardingChecklistView({ catalogue, path, doc: halfway }, lang, ['catatan']) });
    views.push({ name: `onboarding-checklist-complete/${unit.id}/${lang}`, view: onboardingChecklistView({ catalogue, path, doc: complete }, lang) });
    views.push({ name: `onboarding-nudge/${unit.id}/${lang}`, view: onboardingNudgeView({ catalogue, path, doc: halfway }, 'Nina', lang) });
    views.push({ name: `onboarding-notice/${unit.id}/${lang}`, view: onboardingCompletedNoticeView({ catalogue, path, doc: complete }, 'Nina', lang) });
    team = withSummary(team, `u-${unit.id}`, path, unit.id === 'upt-anak' ? complete : halfway);
  }
  const members = Object.entries(team.people).map(([userId, summary]) => ({ userId, name: userId, unit: summary.unit, summary }));
  views.push({ name: `onboarding-team/${lang}`, view: onboardingTeamView(catalogue, members, ['*'], lang) }, { name: `onboarding-team-empty/${lang}`, view: onboardingTeamView(catalogue, [], ['bidang-dayasos'], lang) });
  return views;
}

describe('every card Pandu can send', () => {
  it('renders and passes the Teams checks, for every process, sub-process, CFM, step list and unit', async () => {
    const { catalogue } = await realKnowledge();
    const views = allCardViews(catalogue);
    const failures: string[] = [];
    let largest = { name: '', bytes: 0 };
    for (const { name, view } of views) {
      const card = renderCard(view);
      const bytes = Buffer.byteLength(JSON.stringify(card));
      if (bytes > largest.bytes) largest = { name, bytes };
      for (const problem of cardProblems(card as Record<string, unknown>)) failures.push(`${name}: ${problem}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(views.length > 900, `checked ${views.length} card variants`);
    // Reported in the issue notes: how many variants and the largest card.
    process.stdout.write(`      (${views.length} card variants checked; largest ${largest.name} ${largest.bytes} bytes)\n`);
  });

  it('catches a broken card: the checks can fail', () => {
    const problems = cardProblems({ type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlok', text: '${oops}' }, { type: 'Image', url: 'https://x.invalid/a.png' }], actions: [{ type: 'Action.Submit', title: 'x', data: { verb: 'rm.rf' } }] });
    for (const expected of [/unexpanded/, /version 1\.6/, /no fallbackText/, /TextBlok|Unknown/i, /Image without altText/, /verb "rm\.rf"/]) {
      assert.ok(problems.some((p) => expected.test(p)), `expected a problem matching ${expected}: ${problems.join(' | ')}`);
    }
  });

  it('refuses to render a template whose view model lacks a field', () => {
    assert.throws(() => renderCard({ template: 'help', data: { lang: 'id', fallback: 'x' } }), /left "\$\{[a-z]+\}" unexpanded/);
  });
});
