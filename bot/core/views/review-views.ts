import type { Catalogue, Cfm } from '../catalogue/types.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import { REVIEW_ASPECTS, type ReviewDoc } from '../review/review.js';
import type { CardView } from './card-view.js';
import { button } from './shared-buttons.js';

/** The draft CFMs of the reviewer's unit that wait for review, each with how far the review got. */
export function reviewListView(cfms: readonly Cfm[], reviews: Readonly<Record<string, ReviewDoc>>, lang: Lang): CardView {
  const rows = cfms.map((c) => {
    const done = Object.keys(reviews[c.code]?.steps ?? {}).length;
    const status = done === 0 ? t(lang, 'review.status.new') : t(lang, 'review.status.progress', { done, count: c.steps.length });
    return { title: `${c.code} ${pick(lang, c.title, c.titleEn)}`, detail: t(lang, 'review.list.row', { count: c.steps.length, status }), data: { verb: 'review.start', cfm: c.code } };
  });
  return { template: 'task-list', data: { lang, fallback: `${t(lang, 'review.list.title')}: ${rows.length}`, title: t(lang, 'review.list.title'), body: '', hasBody: false, rows, hasRows: rows.length > 0, none: t(lang, 'review.list.none') } };
}

/** One step under review: its content as the catalogue has it, "Benar" / "Perlu diubah" with what and why. */
export function reviewStepView(catalogue: Catalogue, cfm: Cfm, stepId: string, lang: Lang, note?: string): CardView | undefined {
  const index = cfm.steps.findIndex((s) => s.id === stepId);
  const step = cfm.steps[index];
  if (!step) return undefined;
  const lane = catalogue.units.find((u) => u.id === step.actor);
  const flow = step.kind === 'task' ? `→ ${cfm.steps.findIndex((s) => s.id === step.next) + 1}` : step.kind === 'decision' ? `${pick(lang, step.question, step.questionEn)} ${step.branches.map((b) => `${pick(lang, b.label, b.labelEn)} → ${cfm.steps.findIndex((s) => s.id === b.next) + 1}`).join('; ')}` : t(lang, 'steps.end');
  return {
    template: 'review-step',
    data: {
      lang,
      fallback: t(lang, 'review.step.title', { code: cfm.code, k: index + 1, n: cfm.steps.length }),
      title: t(lang, 'review.step.title', { code: cfm.code, k: index + 1, n: cfm.steps.length }),
      note: note ?? '',
      hasNote: note !== undefined,
      action: pick(lang, step.action, step.actionEn),
      facts: [
        { title: t(lang, 'review.aspect.actor'), value: lane ? pick(lang, lane.name, lane.nameEn) : step.actor },
        { title: t(lang, 'guide.inputs'), value: step.inputs.join('; ') || t(lang, 'guide.inputsNone') },
        { title: t(lang, 'guide.output'), value: step.output },
        { title: t(lang, 'guide.sla'), value: step.slaDays ? t(lang, 'guide.slaDays', { days: step.slaDays }) : (step.slaNote ?? t(lang, 'guide.slaNone')) },
        { title: t(lang, 'review.aspect.order'), value: flow },
        { title: t(lang, 'guide.basis'), value: step.basis === 'sourced' ? t(lang, 'guide.basis.sourced', { sources: step.source.join(', ') }) : t(lang, 'guide.basis.inferred') },
      ],
      question: t(lang, 'review.step.question'),
      aspectsLabel: t(lang, 'review.aspects'),
      aspects: REVIEW_ASPECTS.map((a) => ({ title: t(lang, `review.aspect.${a}`), value: a })),
      commentLabel: t(lang, 'review.comment'),
      actions: [button(t(lang, 'button.correct'), { verb: 'review.ok', cfm: cfm.code, step: step.id }), button(t(lang, 'button.needsChange'), { verb: 'review.change', cfm: cfm.code, step: step.id })],
    },
  };
}

/** Every step judged: confirm, or return for correction (confirm only when nothing needs a change). */
export function reviewFinishView(cfm: Cfm, review: ReviewDoc, lang: Lang): CardView {
  const change = Object.values(review.steps).filter((v) => v.verdict === 'change').length;
  const ok = Object.values(review.steps).length - change;
  const actions = [
    ...(change === 0 ? [button(t(lang, 'button.confirm'), { verb: 'review.finish', cfm: cfm.code, decision: 'confirmed' })] : []),
    button(t(lang, 'button.return'), { verb: 'review.finish', cfm: cfm.code, decision: 'returned' }),
  ];
  return {
    template: 'choices',
    data: {
      lang,
      fallback: t(lang, 'review.finish.title', { code: cfm.code }),
      title: t(lang, 'review.finish.title', { code: cfm.code }),
      body: change === 0 ? t(lang, 'review.finish.body', { ok, change }) : `${t(lang, 'review.finish.body', { ok, change })} ${t(lang, 'review.finish.onlyReturn')}`,
      suggestLabel: '',
      hasSuggestions: false,
      actions,
    },
  };
}
