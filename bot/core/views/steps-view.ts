import type { Catalogue } from '../catalogue/types.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import type { CardView } from './card-view.js';
import { button, processListButton } from './shared-buttons.js';

/** A CFM's steps at a glance: each step's lane, action, documents, time limit and where it leads. */
export function stepsView(catalogue: Catalogue, code: string, lang: Lang): CardView | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === code);
  if (!cfm) return undefined;
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const number = new Map(cfm.steps.map((s, i) => [s.id, i + 1]));
  const steps = cfm.steps.map((step, i) => {
    const lane = units.get(step.actor);
    const flow =
      step.kind === 'task'
        ? t(lang, 'steps.next', { n: number.get(step.next) ?? '?' })
        : step.kind === 'decision'
          ? [t(lang, 'steps.decision', { question: pick(lang, step.question, step.questionEn) }), ...step.branches.map((b) => `• ${t(lang, 'steps.branch', { label: pick(lang, b.label, b.labelEn), n: number.get(b.next) ?? '?' })}`)].join('\n')
          : t(lang, 'steps.end');
    const details = [
      ...(step.inputs.length > 0 ? [t(lang, 'steps.inputs', { inputs: step.inputs.join('; ') })] : []),
      ...(step.slaDays ? [t(lang, 'steps.sla', { days: step.slaDays })] : []),
      flow,
    ];
    return {
      head: `${i + 1}. ${lane ? lane.short : step.actor}${step.basis === 'inferred' ? ` · ${t(lang, 'steps.inferred')}` : ''}`,
      action: pick(lang, step.action, step.actionEn),
      details: details.join('\n'),
    };
  });
  return {
    template: 'steps',
    data: {
      lang,
      fallback: `${t(lang, 'steps.title', { code: cfm.code })}: ${cfm.steps.length}`,
      title: t(lang, 'steps.title', { code: cfm.code }),
      subtitle: pick(lang, cfm.title, cfm.titleEn),
      notice: cfm.status === 'draft' ? t(lang, 'answer.status.draft') : '',
      hasNotice: cfm.status === 'draft',
      steps,
      actions: [button(t(lang, 'answer.code', { code: cfm.code }), { verb: 'lookup.show', kind: 'cfm', code: cfm.code }), processListButton(lang)],
    },
  };
}
