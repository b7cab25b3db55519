import type { Catalogue } from '../core/catalogue/types.js';
import { detectLanguage } from '../core/i18n/detect-language.js';
import { t, type Lang } from '../core/i18n/messages.js';
import type { LookupIndex } from '../core/lookup/build-index.js';
import { matchesOf, whoHandles, type Match } from '../core/lookup/who-handles.js';
import { answerView } from '../core/views/answer-view.js';
import type { CardView } from '../core/views/card-view.js';
import { choicesView, unknownView } from '../core/views/choices-view.js';
import { helpView, processListView, welcomeView } from '../core/views/simple-views.js';
import { stepsView } from '../core/views/steps-view.js';
import { unitView } from '../core/views/unit-view.js';
import type { ButtonData } from '../core/views/verbs.js';
import { managedUnits, upsertPerson } from '../core/roster/roster.js';
import type { DueCalendar, RunPolicy } from '../core/runs/run.js';
import { witaDay, type PlanCalendar } from '../core/schedule/plan-deliveries.js';
import { guideByQuery, handleGuideButton, listGuides, resumeGuide } from './handle-guide.js';
import { afterWalkthroughFinished, handleOnboardingButton, myOnboarding, startOnboardingCommand, teamOnboarding } from './handle-onboarding.js';
import { handleRunButton, linkChannel, manageRoles, setOwnUnit, startRunCommand, tasksCommand, whoami } from './handle-runs.js';
import { parseButton } from './parse-button.js';
import { handleReviewButton, listReviews } from './handle-review.js';
import { withReviews } from '../core/review/review.js';
import { parseCommand } from './parse-command.js';
import type { Reply, TurnInput, TurnResult, TurnState, UnansweredDoc } from './turn-types.js';

/** What a turn needs besides its input and state. */
export interface AppContext {
  readonly catalogue: Catalogue;
  readonly index: LookupIndex;
  readonly now: Date;
  /** Keep the text of unanswered questions (an admin setting; off by default). */
  readonly keepUnansweredText: boolean;
  /** Who is speaking, and whether they are an admin (from configuration). */
  readonly user: { readonly id: string; readonly name: string; readonly isAdmin: boolean };
  readonly conversation: { readonly id: string; readonly type: 'personal' | 'channel' | 'groupChat' };
  /** How to reach this person later (the SDK's conversation reference, as plain JSON). */
  readonly reference?: unknown;
  readonly calendar: DueCalendar & PlanCalendar;
  readonly runPolicy: RunPolicy;
  /** A new unique id (for runs and reminders). */
  readonly newId: () => string;
}

const MAX_RECENT_UNANSWERED = 200;

/**
 * One turn of Pandu, without the SDK: from an input and the state read for it, the replies and the
 * new state. Pure apart from the time in `ctx.now`.
 */
export function handleTurn(base: AppContext, input: TurnInput, before: TurnState): TurnResult {
  // CFMs confirmed by a review of their current steps are shown as confirmed.
  const ctx: AppContext = { ...base, catalogue: withReviews(base.catalogue, before.reviews) };
  const state = input.kind === 'search' ? before : remember(ctx, before);
  switch (input.kind) {
    case 'installed': {
      if (state.conversation.welcomedAt) return { replies: [], state, outcome: 'installed.again' };
      const lang = detectLanguage('', input.locale, state.user.lang);
      return { replies: [card(welcomeView(lang))], state: { ...state, conversation: { ...state.conversation, welcomedAt: ctx.now.toISOString() } }, outcome: 'installed.welcome' };
    }
    case 'message':
      return handleMessage(ctx, input.text, input.locale, state);
    case 'button':
    case 'action': {
      const parsed = parseButton(input.data);
      const lang = detectLanguage('', input.locale, state.user.lang);
      if (!parsed.ok) return { replies: [text(t(lang, 'error.badButton'))], state, outcome: `button.refused:${parsed.reason}` };
      return handleButton(ctx, parsed.data, lang, state);
    }
    case 'search':
      return handleSearch(ctx, input.query, input.locale, state);
  }
}

function handleMessage(ctx: AppContext, message: string, locale: string | undefined, state: TurnState): TurnResult {
  const command = parseCommand(message);
  const lang = detectLanguage(message, locale, state.user.lang);
  switch (command.intent) {
    case 'help':
      return { replies: [card(helpView(lang))], state, outcome: 'help' };
    case 'processList':
      return { replies: [card(processListView(ctx.catalogue, lang))], state, outcome: 'process.list' };
    case 'setLanguage':
      return { replies: [text(t(command.lang, 'lang.set'))], state: { ...state, user: { ...state.user, lang: command.lang } }, outcome: `lang.${command.lang}` };
    case 'guide':
      return guideByQuery(ctx, command.query, lang, state);
    case 'reviews':
      return listReviews(ctx, lang, state);
    case 'reload':
      return ctx.user.isAdmin ? { replies: [{ kind: 'reload' }], state, outcome: 'reload' } : { replies: [text(t(lang, 'admin.only'))], state, outcome: 'reload.refused' };
    case 'whoami':
      return whoami(ctx, lang, state);
    case 'setUnit':
      return setOwnUnit(ctx, command.query, lang, state);
    case 'manageRoles':
      return manageRoles(ctx, lang, state);
    case 'linkChannel':
      return linkChannel(ctx, command.query, lang, state);
    case 'startRun':
      return startRunCommand(ctx, command.query, command.title, lang, state);
    case 'runUsage':
      return { replies: [text(t(lang, 'run.usage'))], state, outcome: 'run.usage' };
    case 'myTasks':
      return tasksCommand(ctx, 'mine', lang, state);
    case 'unitTasks':
      return tasksCommand(ctx, 'unit', lang, state);
    case 'myRuns':
      return tasksCommand(ctx, 'started', lang, state);
    case 'unreachable':
      return unreachable(ctx, lang, state);
    case 'resume':
      return resumeGuide(ctx, lang, state);
    case 'myGuides':
      return listGuides(ctx, lang, state);
    case 'onboarding':
    case 'myOnboarding':
    case 'teamOnboarding': {
      // The language the command is written in, unless the person chose one.
      const chosen = state.user.lang ?? (command.english ? 'en' : 'id');
      return command.intent === 'onboarding' ? startOnboardingCommand(ctx, chosen, state) : command.intent === 'myOnboarding' ? myOnboarding(ctx, chosen, state) : teamOnboarding(ctx, chosen, state);
    }
    case 'ask':
      return ask(ctx, command.text, lang, state);
  }
}

function ask(ctx: AppContext, question: string, lang: Lang, state: TurnState): TurnResult {
  const result = whoHandles(ctx.index, question);
  switch (result.status) {
    case 'empty':
      return { replies: [text(t(lang, 'empty.body'))], state, outcome: 'ask.empty' };
    case 'answer': {
      const view = viewOf(ctx.catalogue, result.match, lang, result.others);
      return { replies: view ? [card(view)] : [], state, outcome: `ask.answer:${result.match.kind}` };
    }
    case 'ambiguous':
      return { replies: [card(choicesView(question, result.choices, lang))], state, outcome: 'ask.ambiguous' };
    case 'unknown':
      return {
        replies: [card(unknownView(question, result.suggestions, lang))],
        state: { ...state, unanswered: recordUnanswered(state.unanswered, ctx, question, result.suggestions[0]) },
        outcome: 'ask.unknown',
      };
  }
}

function handleButton(ctx: AppContext, data: ButtonData, lang: Lang, state: TurnState): TurnResult {
  switch (data.verb) {
    case 'help':
      return { replies: [card(helpView(lang))], state, outcome: 'button.help' };
    case 'process.list':
      return { replies: [card(processListView(ctx.catalogue, lang))], state, outcome: 'button.process.list' };
    case 'lang.set':
      return { replies: [text(t(data.lang, 'lang.set'))], state: { ...state, user: { ...state.user, lang: data.lang } }, outcome: `button.lang.${data.lang}` };
    case 'cfm.steps': {
      const view = stepsView(ctx.catalogue, data.code, lang);
      return view ? { replies: [card(view)], state, outcome: 'button.cfm.steps' } : { replies: [text(t(lang, 'error.badButton'))], state, outcome: 'button.stale' };
    }
    case 'lookup.show': {
      const view = viewOf(ctx.catalogue, { kind: data.kind, code: data.code }, lang, []);
      return view ? { replies: [card(view)], state, outcome: `button.show:${data.kind}` } : { replies: [text(t(lang, 'error.badButton'))], state, outcome: 'button.stale' };
    }
    case 'run.done':
    case 'run.snooze':
    case 'run.open':
    case 'roster.set':
    case 'remind.form':
    case 'remind.set':
      return handleRunButton(ctx, data, lang, state);
    case 'onboarding.start':
    case 'onboarding.next':
    case 'onboarding.pick':
    case 'onboarding.unit':
    case 'onboarding.open':
    case 'onboarding.done':
    case 'onboarding.skip':
    case 'onboarding.answer':
    case 'onboarding.tour':
    case 'onboarding.list':
    case 'onboarding.team':
      return handleOnboardingButton(ctx, data, lang, state);
    case 'review.start':
    case 'review.ok':
    case 'review.change':
    case 'review.finish':
      return handleReviewButton(ctx, data, lang, state);
    default:
      // A tour of the onboarding path that just finished marks its item done.
      return afterWalkthroughFinished(ctx, handleGuideButton(ctx, data, lang, state), lang);
  }
}

function handleSearch(ctx: AppContext, query: string, locale: string | undefined, state: TurnState): TurnResult {
  const lang = detectLanguage(query, locale, state.user.lang);
  const matches = query.trim() === '' ? ctx.catalogue.processes.map((p) => ({ kind: 'process' as const, code: p.code })) : matchesOf(whoHandles(ctx.index, query, { limit: 8 }));
  const views = matches.filter((m) => m.kind !== 'unit').map((m) => viewOf(ctx.catalogue, m, lang, [])).filter((v) => v !== undefined);
  return { replies: [], state, searchResults: views.slice(0, 8), outcome: 'search' };
}

function viewOf(catalogue: Catalogue, match: Pick<Match, 'kind' | 'code'>, lang: Lang, others: readonly Match[]): CardView | undefined {
  return match.kind === 'unit' ? unitView(catalogue, match.code, lang) : answerView(catalogue, { kind: match.kind, code: match.code }, lang, others);
}

/**
 * Keeps what Pandu needs to reach the person later: their conversation reference (refreshed when it
 * changes; a new message clears "unreachable"), and their name in the roster so admins can pick them.
 */
function remember(ctx: AppContext, state: TurnState): TurnState {
  let next = state;
  const known = state.roster.people[ctx.user.id];
  let person = known ?? { id: ctx.user.id, name: ctx.user.name, updatedAt: ctx.now.toISOString() };
  if (person.name !== ctx.user.name) person = { ...person, name: ctx.user.name };
  if (ctx.reference !== undefined && ctx.conversation.type === 'personal' && (JSON.stringify(state.ref.reference) !== JSON.stringify(ctx.reference) || state.ref.unreachable || state.ref.name !== ctx.user.name)) {
    next = { ...next, ref: { schema: 1, name: ctx.user.name, reference: ctx.reference, updatedAt: ctx.now.toISOString() } };
  }
  if (ctx.conversation.type === 'personal' && person.reachable?.ok !== true) person = { ...person, reachable: { ok: true, at: ctx.now.toISOString() } };
  if (person !== known) next = { ...next, roster: upsertPerson(state.roster, { ...person, updatedAt: ctx.now.toISOString() }) };
  return next;
}

/** The people of the manager's units (everyone, for the Kepala Dinas and admins) whom Pandu cannot reach, and why. */
function unreachable(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const me = state.roster.people[ctx.user.id];
  const units = me ? managedUnits(me, witaDay(ctx.now)) : [];
  const everyone = ctx.user.isAdmin || units.includes('*');
  const rows = Object.values(state.roster.people)
    .filter((p) => p.id !== ctx.user.id && p.reachable?.ok !== true && (everyone || (p.unit !== undefined && units.includes(p.unit))))
    .map((p) => `• ${t(lang, 'unreachable.row', { name: p.name, reason: p.reachable && !p.reachable.ok ? t(lang, 'unreachable.blocked', { status: p.reachable.status }) : t(lang, 'unreachable.never') })}`);
  return { replies: [text(rows.length > 0 ? `${t(lang, 'unreachable.title')}:\n${rows.join('\n')}` : t(lang, 'unreachable.none'))], state, outcome: 'unreachable' };
}

function recordUnanswered(doc: UnansweredDoc, ctx: AppContext, question: string, nearest: Match | undefined): UnansweredDoc {
  const day = ctx.now.toISOString().slice(0, 10);
  const entry = { at: ctx.now.toISOString(), ...(ctx.keepUnansweredText ? { text: question.slice(0, 300) } : {}), ...(nearest ? { nearest: nearest.code } : {}) };
  return { schema: 1, total: doc.total + 1, byDay: { ...doc.byDay, [day]: (doc.byDay[day] ?? 0) + 1 }, recent: [...doc.recent, entry].slice(-MAX_RECENT_UNANSWERED) };
}

const card = (view: CardView): Reply => ({ kind: 'card', view });
const text = (value: string): Reply => ({ kind: 'text', text: value });
