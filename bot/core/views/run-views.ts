import type { Catalogue } from '../catalogue/types.js';
import { shorten } from '../format/shorten.js';
import { formatWita } from '../format/wita-time.js';
import { stepOf } from '../guide/walkthrough.js';
import { pick, t, type Lang, type MessageKey } from '../i18n/messages.js';
import { ROLES, type RosterDoc } from '../roster/roster.js';
import { currentStep, type Run } from '../runs/run.js';
import type { DeliveryKind } from '../schedule/plan-deliveries.js';
import type { CardView } from './card-view.js';
import { button } from './shared-buttons.js';

const NOTICE: Partial<Record<DeliveryKind, MessageKey>> = { handoff: 'run.task.handoff', waiting: 'run.task.waiting', reminder: 'run.task.reminder', escalation: 'run.task.escalation', 'escalation-2': 'run.task.escalation2' };

/** A run's current step as a task card: the case, the step, what is needed, the due date, and buttons. */
export function taskView(catalogue: Catalogue, run: Run, lang: Lang, now: Date, kind?: DeliveryKind, note?: string): CardView | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === run.cfm);
  const current = currentStep(run);
  const step = cfm && current ? stepOf(cfm, current.step) : undefined;
  if (!cfm || !current || !step) return undefined;
  const unit = catalogue.units.find((u) => u.id === current.unit);
  const unitName = unit ? pick(lang, unit.name, unit.nameEn) : current.unit;
  const overdue = new Date(current.dueAt) < now;
  const ids = { run: run.id, step: step.id, rev: String(run.revision) };
  const primary =
    step.kind === 'decision'
      ? step.branches.map((b, i) => ({ title: shorten(pick(lang, b.label, b.labelEn), 48), verb: 'run.done', data: { verb: 'run.done', ...ids, branch: String(i) } }))
      : [{ title: t(lang, 'button.done'), verb: 'run.done', data: { verb: 'run.done', ...ids } }];
  const notices = [...(note ? [note] : []), ...(kind && NOTICE[kind] ? [t(lang, NOTICE[kind]!, { unit: unitName, days: 2 })] : [])];
  return {
    template: 'task',
    data: {
      lang,
      fallback: `${t(lang, 'run.task.title', { title: run.title })}: ${pick(lang, step.action, step.actionEn)} (${formatWita(current.dueAt, lang)})`,
      title: t(lang, 'run.task.title', { title: run.title }),
      notices: notices.map((text) => ({ text })),
      hasNotices: notices.length > 0,
      overdue: overdue ? t(lang, 'run.overdue') : '',
      isOverdue: overdue,
      facts: [
        { title: t(lang, 'run.case'), value: run.title },
        { title: t(lang, 'run.procedure'), value: `${cfm.code} ${pick(lang, cfm.title, cfm.titleEn)}` },
        { title: t(lang, 'run.step'), value: pick(lang, step.action, step.actionEn) },
        { title: t(lang, 'run.unit'), value: unitName },
        { title: t(lang, 'run.due'), value: formatWita(current.dueAt, lang) },
        ...(step.inputs.length > 0 ? [{ title: t(lang, 'run.needed'), value: step.inputs.join('; ') }] : []),
      ],
      primary,
      execute: [{ title: t(lang, 'button.snooze'), verb: 'run.snooze', data: { verb: 'run.snooze', ...ids } }],
      submit: [button(t(lang, 'button.remind'), { verb: 'remind.form', run: run.id }), button(t(lang, 'button.open'), { verb: 'run.open', run: run.id })],
    },
  };
}

/** A list of open steps (overdue first): "tugas saya", "tugas unit saya", "pelaksanaan saya", digests. */
export function taskListView(catalogue: Catalogue, runs: readonly Run[], lang: Lang, now: Date, title: string, body = ''): CardView {
  const rows = runs
    .flatMap((run) => {
      const current = currentStep(run);
      const cfm = catalogue.cfms.find((c) => c.code === run.cfm);
      const step = cfm && current ? stepOf(cfm, current.step) : undefined;
      if (!current || !step) return [];
      const unit = catalogue.units.find((u) => u.id === current.unit);
      const overdue = new Date(current.dueAt) < now;
      return [{ sort: `${overdue ? 0 : 1}${current.dueAt}`, title: run.title, detail: `${t(lang, 'tasks.row', { code: run.cfm, step: pick(lang, step.action, step.actionEn) })}\n${t(lang, 'tasks.rowDue', { unit: unit ? unit.short : current.unit, due: formatWita(current.dueAt, lang), overdue: overdue ? ` · ${t(lang, 'run.overdue')}` : '' })}`, data: { verb: 'run.open', run: run.id } }];
    })
    .sort((a, b) => a.sort.localeCompare(b.sort))
    .map(({ sort: _sort, ...row }) => row);
  return {
    template: 'task-list',
    data: { lang, fallback: `${title}: ${rows.length}`, title, body, hasBody: body !== '', rows, hasRows: rows.length > 0, none: t(lang, 'tasks.none') },
  };
}

/** The admin's form to set a person's unit and role, or an acting role for a period. */
export function rosterFormView(catalogue: Catalogue, roster: RosterDoc, lang: Lang): CardView {
  const people = Object.values(roster.people).sort((a, b) => a.name.localeCompare(b.name));
  return {
    template: 'roster-form',
    data: {
      lang,
      fallback: t(lang, 'roster.form.title'),
      title: t(lang, 'roster.form.title'),
      hasPeople: people.length > 0,
      none: t(lang, 'roster.form.none'),
      personLabel: t(lang, 'roster.form.person'),
      people: people.map((p) => ({ title: p.name, value: p.id })),
      unitLabel: t(lang, 'roster.form.unit'),
      units: catalogue.units.filter((u) => u.kind === 'internal' && u.type !== 'peran').map((u) => ({ title: pick(lang, u.name, u.nameEn), value: u.id })),
      roleLabel: t(lang, 'roster.form.role'),
      roles: ROLES.map((r) => ({ title: t(lang, `role.${r}`), value: r })),
      fromLabel: t(lang, 'roster.form.actingFrom'),
      toLabel: t(lang, 'roster.form.actingTo'),
      save: t(lang, 'roster.form.save'),
      saveData: { verb: 'roster.set' },
    },
  };
}

/** "Ingatkan saya": a date and a time (WITA) and a note. */
export function remindFormView(lang: Lang, ref: { cfm?: string; run?: string }, today: string): CardView {
  return {
    template: 'remind-form',
    data: {
      lang,
      fallback: t(lang, 'remind.form.title'),
      title: t(lang, 'remind.form.title'),
      dateLabel: t(lang, 'remind.form.date'),
      today,
      timeLabel: t(lang, 'remind.form.time'),
      noteLabel: t(lang, 'remind.form.note'),
      save: t(lang, 'remind.form.save'),
      saveData: { verb: 'remind.set', ...ref },
    },
  };
}
