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
import { guideByQuery, handleGuideButton, listGuides, resumeGuide } from './handle-guide.js';
import { parseButton } from './parse-button.js';
import { parseCommand } from './parse-command.js';
import type { Reply, TurnInput, TurnResult, TurnState, UnansweredDoc } from './turn-types.js';

/** What a turn needs besides its input and state. */
export interface AppContext {
  readonly catalogue: Catalogue;
  readonly index: LookupIndex;
  readonly now: Date;
  /** Keep the text of unanswered questions (an admin setting; off by default). */
  readonly keepUnansweredText: boolean;
}

const MAX_RECENT_UNANSWERED = 200;

/**
 * One turn of Pandu, without the SDK: from an input and the state read for it, the replies and the
 * new state. Pure apart from the time in `ctx.now`.
 */
export function handleTurn(ctx: AppContext, input: TurnInput, state: TurnState): TurnResult {
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
    case 'resume':
      return resumeGuide(ctx, lang, state);
    case 'myGuides':
      return listGuides(ctx, lang, state);
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
    default:
      return handleGuideButton(ctx, data, lang, state);
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

function recordUnanswered(doc: UnansweredDoc, ctx: AppContext, question: string, nearest: Match | undefined): UnansweredDoc {
  const day = ctx.now.toISOString().slice(0, 10);
  const entry = { at: ctx.now.toISOString(), ...(ctx.keepUnansweredText ? { text: question.slice(0, 300) } : {}), ...(nearest ? { nearest: nearest.code } : {}) };
  return { schema: 1, total: doc.total + 1, byDay: { ...doc.byDay, [day]: (doc.byDay[day] ?? 0) + 1 }, recent: [...doc.recent, entry].slice(-MAX_RECENT_UNANSWERED) };
}

const card = (view: CardView): Reply => ({ kind: 'card', view });
const text = (value: string): Reply => ({ kind: 'text', text: value });
