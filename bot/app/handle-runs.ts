import { parseWita, formatWita } from '../core/format/wita-time.js';
import { cfmFingerprint } from '../core/guide/walkthrough.js';
import { pick, t, type Lang } from '../core/i18n/messages.js';
import { matchesOf, whoHandles } from '../core/lookup/who-handles.js';
import { managedUnits, rolesOn, ROLES, upsertPerson, type Role } from '../core/roster/roster.js';
import { applyRunEvent, currentStep, startRun, type Run } from '../core/runs/run.js';
import { bucketOf, } from '../core/schedule/due-index.js';
import { witaDay } from '../core/schedule/plan-deliveries.js';
import type { CardView } from '../core/views/card-view.js';
import { remindFormView, rosterFormView, taskListView, taskView } from '../core/views/run-views.js';
import type { ButtonData } from '../core/views/verbs.js';
import type { AppContext } from './handle-turn.js';
import type { Reply, TurnResult, TurnState } from './turn-types.js';

type RunButton = Extract<ButtonData, { verb: `run.${string}` | 'roster.set' | `remind.${string}` }>;

/** "mulai pelaksanaan 03.1.a untuk Yayasan Kasih Flobamora": a run of a CFM for a real case. */
export function startRunCommand(ctx: AppContext, query: string, title: string, lang: Lang, state: TurnState): TurnResult {
  const result = whoHandles(ctx.index, query);
  const match = matchesOf(result).find((m) => m.kind === 'cfm');
  const cfm = match && (result.status === 'answer' || /^\d{2}\.\d/.test(query)) ? ctx.catalogue.cfms.find((c) => c.code === match.code) : undefined;
  if (!cfm) return { replies: [text(t(lang, 'run.notCfm', { query }))], state, outcome: 'run.not-cfm' };
  const run = startRun({ catalogue: ctx.catalogue, cfm, fingerprint: cfmFingerprint(cfm), id: ctx.newId(), title: title.slice(0, 120), startedBy: ctx.user.id, now: ctx.now, calendar: ctx.calendar, policy: ctx.runPolicy });
  const first = currentStep(run)!;
  const unit = ctx.catalogue.units.find((u) => u.id === first.unit);
  const replies: Reply[] = [text(t(lang, 'run.started', { title: run.title, code: cfm.code, unit: unit ? pick(lang, unit.name, unit.nameEn) : first.unit, due: formatWita(first.dueAt, lang) }))];
  const view = taskView(ctx.catalogue, run, lang, ctx.now);
  if (view) replies.push(card(view));
  return { replies, state: { ...state, runs: { schema: 1, runs: [...state.runs.runs, run] } }, outcome: 'run.started' };
}

export function tasksCommand(ctx: AppContext, which: 'mine' | 'unit' | 'started', lang: Lang, state: TurnState): TurnResult {
  const me = state.roster.people[ctx.user.id];
  const day = witaDay(ctx.now);
  const myUnits = new Set([...(me?.unit ? [me.unit] : []), ...(me ? rolesOn(me, day).map((r) => r.unit) : [])]);
  const open = state.runs.runs.filter((r) => r.status === 'active');
  if (which === 'started') return list(ctx, open.filter((r) => r.startedBy === ctx.user.id), t(lang, 'tasks.runsTitle'), lang, state, 'tasks.started');
  if (myUnits.size === 0 && which === 'unit') return { replies: [text(t(lang, 'tasks.noUnit'))], state, outcome: 'tasks.no-unit' };
  const managesAll = me ? managedUnits(me, day).includes('*') : false;
  const mine = open.filter((r) => {
    const step = currentStep(r)!;
    return step.external ? r.startedBy === ctx.user.id : myUnits.has(step.unit) || managesAll;
  });
  const title = which === 'unit' ? t(lang, 'tasks.unitTitle', { unit: [...myUnits].map((u) => ctx.catalogue.units.find((x) => x.id === u)?.short ?? u).join(', ') }) : t(lang, 'tasks.title');
  if (which === 'mine' && myUnits.size === 0) {
    const waiting = open.filter((r) => currentStep(r)!.external && r.startedBy === ctx.user.id);
    return { replies: [card(taskListView(ctx.catalogue, waiting, lang, ctx.now, title)), text(t(lang, 'tasks.noUnit'))], state, outcome: 'tasks.mine' };
  }
  return list(ctx, mine, title, lang, state, `tasks.${which}`);
}

/** Run buttons (Selesai, a branch, Tunda, Buka), roster changes by admins, and personal reminders. */
export function handleRunButton(ctx: AppContext, data: RunButton, lang: Lang, state: TurnState): TurnResult {
  switch (data.verb) {
    case 'run.open': {
      const run = state.runs.runs.find((r) => r.id === data.run);
      const view = run ? taskView(ctx.catalogue, run, lang, ctx.now) : undefined;
      return view ? { replies: [card(view)], state, outcome: 'run.open' } : { replies: [text(t(lang, 'run.notFound'))], state, outcome: 'run.not-found' };
    }
    case 'run.done':
    case 'run.snooze':
      return runEvent(ctx, data, lang, state);
    case 'roster.set':
      return setRole(ctx, data, lang, state);
    case 'remind.form':
      return { replies: [card(remindFormView(lang, { ...(data.cfm ? { cfm: data.cfm } : {}), ...(data.run ? { run: data.run } : {}) }, witaDay(ctx.now)))], state, outcome: 'remind.form' };
    case 'remind.set': {
      const at = parseWita(data.date, data.time);
      if (!at || at <= ctx.now || !state.reminders) return { replies: [text(t(lang, 'remind.bad'))], state, outcome: 'remind.bad' };
      const when = ctx.calendar.nextOfficeTime(at);
      const item = { key: `personal:${ctx.user.id}:${at.toISOString()}:${ctx.newId()}`, userId: ctx.user.id, at: when.toISOString(), note: data.note ?? '', ref: { ...(data.cfm ? { cfm: data.cfm } : {}), ...(data.run ? { runId: data.run } : {}) } };
      return { replies: [text(t(lang, 'remind.set', { when: formatWita(when, lang) }))], state: { ...state, reminders: { schema: 1, items: [...state.reminders.items, item] } }, outcome: 'remind.set' };
    }
  }
}

/** The hour bucket a "remind.set" button writes to, so the edge can read it with the turn's state. */
export function reminderBucketFor(value: unknown, calendar: AppContext['calendar']): string | undefined {
  const v = value as { verb?: unknown; date?: unknown; time?: unknown } | null;
  if (!v || v.verb !== 'remind.set' || typeof v.date !== 'string' || typeof v.time !== 'string') return undefined;
  const at = parseWita(v.date, v.time);
  return at ? bucketOf(calendar.nextOfficeTime(at)) : undefined;
}

function runEvent(ctx: AppContext, data: Extract<RunButton, { verb: 'run.done' | 'run.snooze' }>, lang: Lang, state: TurnState): TurnResult {
  const run = state.runs.runs.find((r) => r.id === data.run);
  if (!run) return { replies: [text(t(lang, 'run.notFound'))], state, outcome: 'run.not-found' };
  const current = currentStep(run);
  if (current && !mayAct(ctx, run, current.unit, current.external, state)) {
    const unit = ctx.catalogue.units.find((u) => u.id === current.unit);
    return { replies: [text(t(lang, 'run.notYours', { unit: unit ? pick(lang, unit.name, unit.nameEn) : current.unit }))], state, outcome: 'run.not-yours' };
  }
  const cfm = ctx.catalogue.cfms.find((c) => c.code === run.cfm);
  const event = data.verb === 'run.snooze' ? { type: 'snooze' as const, step: data.step, rev: Number(data.rev), by: ctx.user.id } : { type: 'done' as const, step: data.step, rev: Number(data.rev), by: ctx.user.id, ...(data.branch !== undefined ? { branch: Number(data.branch) } : {}) };
  const outcome = applyRunEvent({ catalogue: ctx.catalogue, cfm, now: ctx.now, calendar: ctx.calendar, policy: ctx.runPolicy }, run, event);
  const replace = (next: Run): TurnState => ({ ...state, runs: { schema: 1, runs: state.runs.runs.map((r) => (r.id === next.id ? next : r)) } });
  switch (outcome.status) {
    case 'stale': {
      const view = taskView(ctx.catalogue, run, lang, ctx.now, undefined, t(lang, 'run.stale'));
      return { replies: view ? [card(view)] : [text(t(lang, 'run.completed', { title: run.title, code: run.cfm }))], state, outcome: 'run.stale' };
    }
    case 'invalid':
      return { replies: [text(t(lang, 'error.badButton'))], state, outcome: `run.invalid:${outcome.reason}` };
    case 'snoozed':
      return { replies: [text(t(lang, 'run.snoozed', { until: formatWita(currentStep(outcome.run)!.snoozedUntil!, lang) }))], state: replace(outcome.run), outcome: 'run.snoozed' };
    case 'completed':
      return { replies: [text(t(lang, 'run.completed', { title: run.title, code: run.cfm }))], state: { ...state, runs: { schema: 1, runs: state.runs.runs.filter((r) => r.id !== run.id) } }, outcome: 'run.completed', archive: outcome.run };
    case 'advanced': {
      const unit = ctx.catalogue.units.find((u) => u.id === outcome.next.unit);
      const doneStep = cfm?.steps.find((s) => s.id === data.step);
      return {
        replies: [text(t(lang, 'run.advanced', { step: doneStep ? pick(lang, doneStep.action, doneStep.actionEn) : data.step, title: run.title, unit: unit ? pick(lang, unit.name, unit.nameEn) : outcome.next.unit, due: formatWita(outcome.next.dueAt, lang) }))],
        state: replace(outcome.run),
        outcome: 'run.advanced',
      };
    }
  }
}

/** Members of the responsible unit, its managers, admins, and (for outside parties) the run's owner. */
function mayAct(ctx: AppContext, run: Run, unit: string, external: boolean, state: TurnState): boolean {
  if (ctx.user.isAdmin || run.startedBy === ctx.user.id) return true;
  const me = state.roster.people[ctx.user.id];
  if (!me || external) return false;
  const day = witaDay(ctx.now);
  return me.unit === unit || rolesOn(me, day).some((r) => r.unit === unit) || managedUnits(me, day).includes('*');
}

function setRole(ctx: AppContext, data: Extract<RunButton, { verb: 'roster.set' }>, lang: Lang, state: TurnState): TurnResult {
  if (!ctx.user.isAdmin) return { replies: [text(t(lang, 'admin.only'))], state, outcome: 'roster.refused' };
  const person = state.roster.people[data.person];
  const unit = ctx.catalogue.units.find((u) => u.id === data.unit && u.kind === 'internal');
  if (!person || !unit || !(ROLES as readonly string[]).includes(data.role)) return { replies: [text(t(lang, 'roster.bad', { reason: !person ? 'person' : !unit ? 'unit' : 'role' }))], state, outcome: 'roster.bad' };
  const role = data.role as Role;
  const unitName = pick(lang, unit.name, unit.nameEn);
  if (data.actingFrom || data.actingTo) {
    if (!data.actingFrom || !data.actingTo || data.actingTo < data.actingFrom) return { replies: [text(t(lang, 'roster.bad', { reason: 'acting period' }))], state, outcome: 'roster.bad' };
    const updated = { ...person, acting: [...(person.acting ?? []), { role, unit: unit.id, from: data.actingFrom, to: data.actingTo }], updatedAt: ctx.now.toISOString() };
    return { replies: [text(t(lang, 'roster.savedActing', { name: person.name, role: t(lang, `role.${role}`), unit: unitName, from: data.actingFrom, to: data.actingTo }))], state: { ...state, roster: upsertPerson(state.roster, updated) }, outcome: 'roster.acting' };
  }
  const updated = { ...person, unit: unit.id, role, updatedAt: ctx.now.toISOString() };
  return { replies: [text(t(lang, 'roster.saved', { name: person.name, role: t(lang, `role.${role}`), unit: unitName }))], state: { ...state, roster: upsertPerson(state.roster, updated) }, outcome: 'roster.set' };
}

export function manageRoles(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  if (!ctx.user.isAdmin) return { replies: [text(t(lang, 'admin.only'))], state, outcome: 'roster.refused' };
  return { replies: [card(rosterFormView(ctx.catalogue, state.roster, lang))], state, outcome: 'roster.form' };
}

export function whoami(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const me = state.roster.people[ctx.user.id];
  const unit = me?.unit ? ctx.catalogue.units.find((u) => u.id === me.unit) : undefined;
  const acting = me ? rolesOn(me, witaDay(ctx.now)).filter((r) => r.role !== me.role || r.unit !== me.unit) : [];
  return {
    replies: [
      text(
        t(lang, 'whoami', {
          name: me?.name ?? ctx.user.name,
          unit: unit ? pick(lang, unit.name, unit.nameEn) : t(lang, 'whoami.none'),
          role: me?.role ? t(lang, `role.${me.role}`) : t(lang, 'whoami.none'),
          acting: acting.length > 0 ? t(lang, 'whoami.acting', { roles: acting.map((a) => `${t(lang, `role.${a.role}`)} ${a.unit}`).join(', ') }) : '',
        }),
      ),
    ],
    state,
    outcome: 'whoami',
  };
}

/** Anyone may set their own unit (used by onboarding and "tugas unit saya"); roles stay with admins. */
export function setOwnUnit(ctx: AppContext, query: string, lang: Lang, state: TurnState): TurnResult {
  const unit = findUnit(ctx, query);
  if (!unit) return { replies: [text(t(lang, 'unit.setUnknown', { query }))], state, outcome: 'unit.unknown' };
  const me = state.roster.people[ctx.user.id] ?? { id: ctx.user.id, name: ctx.user.name, updatedAt: ctx.now.toISOString() };
  return { replies: [text(t(lang, 'unit.set', { unit: pick(lang, unit.name, unit.nameEn) }))], state: { ...state, roster: upsertPerson(state.roster, { ...me, unit: unit.id, updatedAt: ctx.now.toISOString() }) }, outcome: 'unit.set' };
}

export function linkChannel(ctx: AppContext, query: string, lang: Lang, state: TurnState): TurnResult {
  if (!ctx.user.isAdmin) return { replies: [text(t(lang, 'admin.only'))], state, outcome: 'channel.refused' };
  if (ctx.conversation.type !== 'channel') return { replies: [text(t(lang, 'channel.notChannel'))], state, outcome: 'channel.not-channel' };
  const unit = findUnit(ctx, query);
  if (!unit) return { replies: [text(t(lang, 'unit.setUnknown', { query }))], state, outcome: 'unit.unknown' };
  const channels = { ...state.roster.channels, [unit.id]: { conversationId: ctx.conversation.id, linkedBy: ctx.user.id, at: ctx.now.toISOString() } };
  return { replies: [text(t(lang, 'channel.linked', { unit: pick(lang, unit.name, unit.nameEn) }))], state: { ...state, roster: { ...state.roster, channels } }, outcome: 'channel.linked' };
}

function findUnit(ctx: AppContext, query: string) {
  const q = query.toLowerCase();
  const internal = ctx.catalogue.units.filter((u) => u.kind === 'internal' && u.type !== 'peran');
  const exact = internal.find((u) => [u.id, u.name, u.short, ...u.aliases].some((n) => n.toLowerCase() === q));
  if (exact) return exact;
  const hit = matchesOf(whoHandles(ctx.index, `${query} itu mengurus apa`)).find((m) => m.kind === 'unit');
  return hit ? internal.find((u) => u.id === hit.code) : undefined;
}

function list(ctx: AppContext, runs: readonly Run[], title: string, lang: Lang, state: TurnState, outcome: string): TurnResult {
  return { replies: [card(taskListView(ctx.catalogue, runs, lang, ctx.now, title))], state, outcome };
}

const card = (view: CardView): Reply => ({ kind: 'card', view });
const text = (value: string): Reply => ({ kind: 'text', text: value });
