import type { Catalogue, Cfm, Step } from '../catalogue/types.js';
import { shorten } from '../format/shorten.js';
import { cfmFingerprint, stepOf, stepsToEnd, type Walkthrough } from '../guide/walkthrough.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import type { ButtonView, CardView } from './card-view.js';
import { button, processListButton } from './shared-buttons.js';

/** A button that replaces its card in place (Action.Execute) with an Action.Submit fallback. */
interface ExecuteButton extends ButtonView {
  readonly verb: string;
}

const execute = (title: string, data: Record<string, string>): ExecuteButton => ({ title, verb: data['verb']!, data });

/** "Langkah k dari n": k counts the steps walked, n adds the shortest way from here to an end. */
export function progressOf(cfm: Cfm, walkthrough: Walkthrough): { k: number; n: number } {
  const k = walkthrough.path.length + 1;
  return { k, n: k + stepsToEnd(cfm, walkthrough.current) };
}

/**
 * One step of a walkthrough as a card: where the person is, who acts (the swimlane and its role),
 * what to do, documents, output, time limit, basis, notices, and the buttons that move on.
 */
export function guideStepView(catalogue: Catalogue, walkthrough: Walkthrough, lang: Lang, note?: string): CardView | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === walkthrough.cfm);
  const step = cfm ? stepOf(cfm, walkthrough.current) : undefined;
  if (!cfm || !step) return undefined;
  const { k, n } = progressOf(cfm, walkthrough);
  const ids = { cfm: cfm.code, step: step.id, rev: String(walkthrough.revision) };
  // The way forward (Lanjut, Selesai, or one button per branch) sits under the step; Kembali and
  // Berhenti go with the card's own actions, so no set holds more than five buttons.
  const primary: ExecuteButton[] = [];
  if (step.kind === 'task') primary.push(execute(t(lang, 'button.next'), { verb: 'guide.next', ...ids }));
  if (step.kind === 'end') primary.push(execute(t(lang, 'button.finish'), { verb: 'guide.next', ...ids }));
  if (step.kind === 'decision') step.branches.forEach((b, i) => primary.push(execute(shorten(pick(lang, b.label, b.labelEn), 48), { verb: 'guide.branch', ...ids, branch: String(i) })));
  const secondary: ExecuteButton[] = [];
  if (walkthrough.path.length > 0) secondary.push(execute(t(lang, 'button.back'), { verb: 'guide.back', ...ids }));
  secondary.push(execute(t(lang, 'button.stop'), { verb: 'guide.stop', ...ids }));
  const notices = [
    ...(note ? [note] : []),
    ...(walkthrough.mode === 'tour' ? [t(lang, 'guide.tour')] : []),
    ...(cfm.status === 'draft' ? [t(lang, 'answer.draftNotice', { owner: unitName(catalogue, cfm.owner, lang) })] : []),
    ...(cfmFingerprint(cfm) !== walkthrough.cfmFingerprint ? [t(lang, 'guide.changedSinceStart')] : []),
    ...cfm.changes.map((c) => t(lang, 'answer.changeNotice', { note: pick(lang, c.note, c.noteEn) })),
  ];
  const action = pick(lang, step.action, step.actionEn);
  return {
    template: 'guide-step',
    data: {
      lang,
      fallback: `${cfm.code} · ${t(lang, 'guide.progress', { k, n })}: ${action}`,
      code: t(lang, 'answer.code', { code: cfm.code }),
      title: pick(lang, cfm.title, cfm.titleEn),
      progress: t(lang, 'guide.progress', { k, n }),
      bar: `${'▰'.repeat(Math.round((10 * k) / n))}${'▱'.repeat(10 - Math.round((10 * k) / n))}`,
      lane: t(lang, 'guide.lane', { lane: laneOf(catalogue, cfm, step, lang) }),
      action,
      gloss: lang === 'id' ? step.actionEn : '',
      hasGloss: lang === 'id',
      facts: [
        { title: t(lang, 'guide.output'), value: step.output },
        { title: t(lang, 'guide.sla'), value: step.slaDays ? `${t(lang, 'guide.slaDays', { days: step.slaDays })}${step.slaNote ? ` (${step.slaNote})` : ''}` : (step.slaNote ?? t(lang, 'guide.slaNone')) },
        { title: t(lang, 'guide.basis'), value: basisOf(cfm, step, lang) },
        { title: t(lang, 'guide.legal'), value: cfm.legalBasis.slice(0, 3).map((b) => b.ref).join('; ') + (cfm.legalBasis.length > 3 ? '; …' : '') },
      ],
      inputsLabel: t(lang, 'guide.inputs'),
      inputs: step.inputs.length > 0 ? step.inputs.map((i) => ({ text: `• ${i}` })) : [{ text: t(lang, 'guide.inputsNone') }],
      question: step.kind === 'decision' ? t(lang, 'guide.decision', { question: pick(lang, step.question, step.questionEn) }) : step.kind === 'end' ? t(lang, 'guide.end') : '',
      hasQuestion: step.kind !== 'task',
      notices: notices.map((text) => ({ text })),
      hasNotices: notices.length > 0,
      primary,
      execute: secondary,
      submit: [button(t(lang, 'button.diagram'), { verb: 'guide.diagram', cfm: cfm.code, step: step.id }), button(t(lang, 'button.remind'), { verb: 'remind.form', cfm: cfm.code })],
    },
  };
}

/** The card at the end: the path taken, the documents gathered along it, and what to do next. */
export function guideSummaryView(catalogue: Catalogue, walkthrough: Walkthrough, lang: Lang): CardView | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === walkthrough.cfm);
  if (!cfm) return undefined;
  const steps = walkthrough.path.map((p) => ({ entry: p, step: stepOf(cfm, p.step) })).filter((x) => x.step !== undefined);
  const documents = [...new Set(steps.flatMap(({ step }) => [...step!.inputs, step!.output]))];
  const title = pick(lang, cfm.title, cfm.titleEn);
  return {
    template: 'guide-summary',
    data: {
      lang,
      fallback: t(lang, 'guide.summary.body', { title: `${cfm.code} ${title}`, count: steps.length }),
      title: t(lang, 'guide.summary.title', { code: cfm.code }),
      body: t(lang, 'guide.summary.body', { title, count: steps.length }),
      pathLabel: t(lang, 'guide.summary.path'),
      path: steps.map(({ entry, step }, i) => ({ text: `${i + 1}. ${pick(lang, step!.action, step!.actionEn)}${entry.branch ? ` → ${brachLabel(step!, entry.branch, lang)}` : ''}` })),
      documentsLabel: t(lang, 'guide.summary.documents'),
      documents: documents.map((d) => ({ text: `• ${d}` })),
      hasDocuments: documents.length > 0,
      documentsNone: t(lang, 'guide.summary.documentsNone'),
      execute: [execute(t(lang, 'button.restart'), { verb: 'guide.start', cfm: cfm.code })],
      submit: [button(t(lang, 'button.related'), { verb: 'lookup.show', kind: 'cfm', code: cfm.code }), button(t(lang, 'button.myGuides'), { verb: 'guide.list' })],
    },
  };
}

/** The person's open walkthroughs, each with its progress and a button to resume it. */
export function guideListView(catalogue: Catalogue, open: readonly Walkthrough[], lang: Lang): CardView {
  const rows = [...open]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .flatMap((w) => {
      const cfm = catalogue.cfms.find((c) => c.code === w.cfm);
      if (!cfm) return [];
      const { k, n } = progressOf(cfm, w);
      return [{ title: pick(lang, cfm.title, cfm.titleEn), detail: `${t(lang, 'guide.list.row', { code: cfm.code, k, n })} · ${t(lang, 'guide.list.updated', { date: w.updatedAt.slice(0, 10) })}`, data: { verb: 'guide.resume', cfm: cfm.code } }];
    });
  return {
    template: 'guide-list',
    data: {
      lang,
      fallback: rows.length > 0 ? `${t(lang, 'guide.list.title')}: ${rows.length}` : t(lang, 'guide.list.none'),
      title: t(lang, 'guide.list.title'),
      rows,
      hasRows: rows.length > 0,
      none: t(lang, 'guide.list.none'),
      actions: [processListButton(lang)],
    },
  };
}

/** The procedure changed under a walkthrough and its step is gone: say so and offer to restart. */
export function guideChangedView(code: string, lang: Lang): CardView {
  return {
    template: 'choices',
    data: {
      lang,
      fallback: t(lang, 'guide.changed.title', { code }),
      title: t(lang, 'guide.changed.title', { code }),
      body: t(lang, 'guide.changed.body'),
      suggestLabel: '',
      hasSuggestions: false,
      actions: [button(t(lang, 'button.restart'), { verb: 'guide.start', cfm: code }), button(t(lang, 'button.myGuides'), { verb: 'guide.list' })],
    },
  };
}

/** A diagram card: the picture (with the person's step highlighted) and a link to the full image. */
export function diagramView(catalogue: Catalogue, code: string, url: string, lang: Lang, highlighted: boolean): CardView | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === code);
  if (!cfm) return undefined;
  return {
    template: 'diagram',
    data: {
      lang,
      fallback: t(lang, 'diagram.alt', { code, title: pick(lang, cfm.title, cfm.titleEn) }),
      title: t(lang, 'diagram.title', { code }),
      subtitle: pick(lang, cfm.title, cfm.titleEn),
      url,
      alt: t(lang, 'diagram.alt', { code, title: pick(lang, cfm.title, cfm.titleEn) }),
      note: highlighted ? t(lang, 'diagram.here') : '',
      hasNote: highlighted,
      actions: [button(t(lang, 'button.guide'), { verb: 'guide.start', cfm: code })],
    },
  };
}

function brachLabel(step: Step, label: string, lang: Lang): string {
  if (step.kind !== 'decision') return label;
  const branch = step.branches.find((b) => b.label === label);
  return branch ? pick(lang, branch.label, branch.labelEn) : label;
}

function unitName(catalogue: Catalogue, id: string, lang: Lang): string {
  const unit = catalogue.units.find((u) => u.id === id);
  return unit ? pick(lang, unit.name, unit.nameEn) : id;
}

/** The swimlane of a step and its role: first unit or member of the relation map, or outside party. */
function laneOf(catalogue: Catalogue, cfm: Cfm, step: Step, lang: Lang): string {
  const unit = catalogue.units.find((u) => u.id === step.actor);
  const sub = catalogue.subprocesses.find((s) => s.code === cfm.subprocess);
  const process = catalogue.processes.find((p) => p.code === sub?.process);
  const name = unit ? pick(lang, unit.name, unit.nameEn) : step.actor;
  const role =
    process?.units[0] === step.actor
      ? t(lang, 'guide.role.first')
      : process?.units.includes(step.actor)
        ? t(lang, 'guide.role.member')
        : unit?.kind === 'external'
          ? t(lang, 'guide.role.external')
          : t(lang, 'guide.role.internal');
  return `${name} (${role})`;
}

function basisOf(cfm: Cfm, step: Step, lang: Lang): string {
  if (step.basis === 'inferred') return t(lang, 'guide.basis.inferred');
  const titles = step.source.map((id) => cfm.sources.find((s) => s.id === id)?.title ?? id);
  return t(lang, 'guide.basis.sourced', { sources: titles.join('; ') });
}
