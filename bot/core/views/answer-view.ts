import type { Catalogue, Cfm, Process, Unit } from '../catalogue/types.js';
import { shorten } from '../format/shorten.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import type { Match } from '../lookup/who-handles.js';
import type { ButtonView, CardView } from './card-view.js';
import { button, processListButton } from './shared-buttons.js';

/** What an answer card is about: a process, a sub-process or a CFM. */
export type AnswerSubject = { readonly kind: 'process' | 'subprocess' | 'cfm'; readonly code: string };

/**
 * The answer to "who handles X?": what X is (code, title, process and sub-process), who handles it
 * (the relation map's internal units in the decree's order, with their role), the outside parties,
 * the RPJMD target, the CFM's status and notices, and buttons for the steps and the other candidates.
 */
export function answerView(catalogue: Catalogue, subject: AnswerSubject, lang: Lang, others: readonly Match[] = []): CardView | undefined {
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const cfm = subject.kind === 'cfm' ? catalogue.cfms.find((c) => c.code === subject.code) : undefined;
  const subCode = subject.kind === 'subprocess' ? subject.code : cfm?.subprocess;
  const sub = subCode ? catalogue.subprocesses.find((s) => s.code === subCode) : undefined;
  const processCode = subject.kind === 'process' ? subject.code : sub?.process;
  const process = catalogue.processes.find((p) => p.code === processCode);
  if (!process || (subject.kind === 'cfm' && !cfm) || (subject.kind !== 'process' && !sub)) return undefined;

  const title = cfm ? pick(lang, cfm.title, cfm.titleEn) : sub && subject.kind === 'subprocess' ? pick(lang, sub.title, sub.titleEn) : pick(lang, process.title, process.titleEn);
  const gloss = lang === 'id' ? (cfm?.titleEn ?? (subject.kind === 'subprocess' ? sub?.titleEn : process.titleEn)) : undefined;
  const unitName = (id: string): string => nameOf(units.get(id), lang) ?? id;
  const handledBy = process.units.map((id, i) => ({
    name: unitName(id),
    role: cfm?.owner === id ? t(lang, 'answer.role.owner') : i === 0 ? t(lang, 'answer.role.first') : t(lang, 'answer.role.member'),
  }));
  if (cfm && !process.units.includes(cfm.owner)) handledBy.unshift({ name: unitName(cfm.owner), role: t(lang, 'answer.role.owner') });

  const facts = [
    ...(subject.kind !== 'process' ? [{ title: t(lang, 'answer.process'), value: `${process.code} ${pick(lang, process.title, process.titleEn)} (${t(lang, `answer.kind.${process.kind}`)})` }] : []),
    ...(subject.kind === 'cfm' && sub ? [{ title: t(lang, 'answer.subprocess'), value: `${sub.code} ${pick(lang, sub.title, sub.titleEn)}` }] : []),
    { title: t(lang, 'answer.target'), value: targetText(catalogue, process, lang) },
    ...(cfm ? [{ title: t(lang, 'answer.status'), value: cfm.status === 'draft' ? t(lang, 'answer.status.draft') : t(lang, 'answer.status.confirmed', { by: cfm.confirmation?.by ?? '', at: (cfm.confirmation?.at ?? '').slice(0, 10) }) }] : []),
  ];
  const notices = cfm ? noticesOf(cfm, lang, unitName(cfm.owner)) : [];
  const cfmsInside = subject.kind === 'cfm' ? [] : catalogue.cfms.filter((c) => (subject.kind === 'process' ? catalogue.subprocesses.some((s) => s.process === process.code && s.code === c.subprocess) : c.subprocess === subject.code));
  const actions: ButtonView[] = [];
  if (cfm) actions.push(button(t(lang, 'button.guide'), { verb: 'guide.start', cfm: cfm.code }), button(t(lang, 'button.steps'), { verb: 'cfm.steps', code: cfm.code }), button(t(lang, 'button.diagram'), { verb: 'guide.diagram', cfm: cfm.code }));
  for (const other of others.filter((o) => o.kind !== 'unit').slice(0, cfm ? 1 : 3)) {
    actions.push(button(shorten(`${other.code} ${pick(lang, other.title, other.titleEn)}`, 40), { verb: 'lookup.show', kind: other.kind, code: other.code }));
  }
  if (actions.length < 5) actions.push(processListButton(lang));
  const unitsText = handledBy.map((u) => u.name).join(', ');
  return {
    template: 'answer',
    data: {
      lang,
      fallback: t(lang, 'answer.summary', { title: `${subject.code} ${title}`, units: unitsText }),
      code: t(lang, 'answer.code', { code: subject.code }),
      title,
      gloss: gloss ?? '',
      hasGloss: Boolean(gloss),
      facts,
      handledByLabel: t(lang, 'answer.handledBy'),
      handledBy,
      partiesLabel: t(lang, 'answer.parties'),
      parties: process.parties.map((id) => ({ name: `• ${unitName(id)}` })),
      hasParties: process.parties.length > 0,
      partiesNone: t(lang, 'answer.partiesNone'),
      notices,
      hasNotices: notices.length > 0,
      cfmsLabel: t(lang, 'answer.cfms'),
      cfms: cfmsInside.map((c) => ({ text: `${c.code} ${pick(lang, c.title, c.titleEn)}`, data: { verb: 'lookup.show', kind: 'cfm', code: c.code } })),
      hasCfms: cfmsInside.length > 0,
      source: t(lang, 'answer.source'),
      actions,
    },
  };
}

function nameOf(unit: Unit | undefined, lang: Lang): string | undefined {
  return unit ? pick(lang, unit.name, unit.nameEn) : undefined;
}

function targetText(catalogue: Catalogue, process: Process, lang: Lang): string {
  if (process.targets.length === 0) return t(lang, 'answer.targetNone');
  return process.targets
    .map((id) => catalogue.targets.find((x) => x.id === id))
    .filter((x) => x !== undefined)
    .map((x) => (/^\d/.test(x.id) ? `${x.id} ${pick(lang, x.title, x.titleEn)}` : pick(lang, x.title, x.titleEn)))
    .join('; ');
}

function noticesOf(cfm: Cfm, lang: Lang, ownerName: string): { text: string }[] {
  const notices: { text: string }[] = [];
  if (cfm.status === 'draft') notices.push({ text: t(lang, 'answer.draftNotice', { owner: ownerName }) });
  for (const change of cfm.changes) notices.push({ text: t(lang, 'answer.changeNotice', { note: pick(lang, change.note, change.noteEn) }) });
  return notices;
}
