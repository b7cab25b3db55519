import type { Catalogue, Cfm } from '../core/catalogue/types.js';
import { shorten } from '../core/format/shorten.js';
import { applyGuideEvent, type GuideEvent, type GuideOutcome } from '../core/guide/guide-machine.js';
import { MAX_FINISHED, startWalkthrough, stepOf, type GuideDoc, type Walkthrough } from '../core/guide/walkthrough.js';
import { t, type Lang } from '../core/i18n/messages.js';
import { matchesOf, whoHandles } from '../core/lookup/who-handles.js';
import type { CardView } from '../core/views/card-view.js';
import { choicesView, unknownView } from '../core/views/choices-view.js';
import { guideChangedView, guideListView, guideStepView, guideSummaryView } from '../core/views/guide-views.js';
import { button } from '../core/views/shared-buttons.js';
import type { ButtonData } from '../core/views/verbs.js';
import type { AppContext } from './handle-turn.js';
import type { Reply, TurnResult, TurnState } from './turn-types.js';

type GuideButton = Extract<ButtonData, { verb: `guide.${string}` }>;

/** Starts (or resumes) the walkthrough of a CFM. A walkthrough whose step still exists is resumed. */
export function startGuide(ctx: AppContext, code: string, lang: Lang, state: TurnState, note?: string): TurnResult {
  const cfm = ctx.catalogue.cfms.find((c) => c.code === code);
  if (!cfm) return { replies: [text(t(lang, 'error.badButton'))], state, outcome: 'guide.unknown-cfm' };
  const open = state.guides.open.find((w) => w.cfm === code);
  if (open && stepOf(cfm, open.current)) return showStep(ctx, open, lang, state, 'guide.resumed', note);
  const walkthrough = startWalkthrough(cfm, ctx.catalogue.version, ctx.now);
  return showStep(ctx, walkthrough, lang, withOpen(state, walkthrough), 'guide.started', note);
}

/** "pandu <matter>": looks the matter up and starts its CFM, or offers the CFMs to choose from. */
export function guideByQuery(ctx: AppContext, query: string, lang: Lang, state: TurnState): TurnResult {
  const result = whoHandles(ctx.index, query);
  if (result.status === 'answer' && result.match.kind === 'cfm') return startGuide(ctx, result.match.code, lang, state);
  const cfms = candidateCfms(ctx.catalogue, matchesOf(result).map((m) => m.code));
  if (cfms.length === 1) return startGuide(ctx, cfms[0]!.code, lang, state);
  if (cfms.length === 0) return { replies: [card(unknownView(query, [], lang))], state, outcome: 'guide.not-found' };
  const view = choicesView(query, [], lang);
  const actions = cfms.slice(0, 5).map((c) => button(shorten(`${c.code} ${lang === 'en' ? c.titleEn : c.title}`, 48), { verb: 'guide.start', cfm: c.code }));
  return { replies: [card({ ...view, data: { ...view.data, body: t(lang, 'guide.notCfm'), actions } })], state, outcome: 'guide.choose' };
}

/** "lanjutkan": the most recently used open walkthrough, where the person left it. */
export function resumeGuide(ctx: AppContext, lang: Lang, state: TurnState, code?: string): TurnResult {
  const open = [...state.guides.open].filter((w) => code === undefined || w.cfm === code).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  if (!open) return { replies: [text(t(lang, 'guide.resumeNone'))], state, outcome: 'guide.resume-none' };
  const cfm = ctx.catalogue.cfms.find((c) => c.code === open.cfm);
  if (!cfm || !stepOf(cfm, open.current)) return { replies: [card(guideChangedView(open.cfm, lang))], state, outcome: 'guide.changed' };
  return showStep(ctx, open, lang, state, 'guide.resumed');
}

export function listGuides(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  return { replies: [card(guideListView(ctx.catalogue, state.guides.open, lang))], state, outcome: 'guide.list' };
}

/**
 * A walkthrough button. The clicker's own walkthrough is moved; a button from someone else's card
 * (group chat) starts the clicker's own; an old card's button is answered with the current step.
 */
export function handleGuideButton(ctx: AppContext, data: GuideButton, lang: Lang, state: TurnState): TurnResult {
  switch (data.verb) {
    case 'guide.start':
      return startGuide(ctx, data.cfm, lang, state);
    case 'guide.resume':
      return resumeGuide(ctx, lang, state, data.cfm);
    case 'guide.list':
      return listGuides(ctx, lang, state);
    case 'guide.diagram':
      return { replies: [{ kind: 'diagram', cfm: data.cfm, ...(data.step ? { step: data.step } : {}) }], state, outcome: 'guide.diagram' };
    case 'guide.next':
    case 'guide.back':
    case 'guide.stop':
    case 'guide.branch': {
      const open = state.guides.open.find((w) => w.cfm === data.cfm);
      if (!open) return startGuide(ctx, data.cfm, lang, state, t(lang, 'guide.othersGuide'));
      const cfm = ctx.catalogue.cfms.find((c) => c.code === data.cfm);
      const event: GuideEvent =
        data.verb === 'guide.branch'
          ? { type: 'branch', step: data.step, rev: Number(data.rev), branch: Number(data.branch) }
          : { type: data.verb === 'guide.next' ? 'next' : data.verb === 'guide.back' ? 'back' : 'stop', step: data.step, rev: Number(data.rev) };
      return afterEvent(ctx, cfm, applyGuideEvent(cfm, open, event, ctx.now), lang, state);
    }
  }
}

function afterEvent(ctx: AppContext, cfm: Cfm | undefined, outcome: GuideOutcome, lang: Lang, state: TurnState): TurnResult {
  switch (outcome.status) {
    case 'moved':
      return showStep(ctx, outcome.walkthrough, lang, withOpen(state, outcome.walkthrough), 'guide.moved');
    case 'stale':
      return showStep(ctx, outcome.walkthrough, lang, state, 'guide.stale', t(lang, 'guide.stale'));
    case 'invalid':
      return showStep(ctx, outcome.walkthrough, lang, state, 'guide.invalid', t(lang, 'guide.invalid'));
    case 'changed':
      return { replies: [card(guideChangedView(outcome.walkthrough.cfm, lang))], state, outcome: 'guide.changed' };
    case 'stopped':
      return { replies: [text(t(lang, 'guide.stopped', { code: outcome.walkthrough.cfm }))], state: withClosed(state, outcome.walkthrough, 'stopped', ctx.now), outcome: 'guide.stopped' };
    case 'finished': {
      const view = cfm ? guideSummaryView(ctx.catalogue, outcome.walkthrough, lang) : undefined;
      return { replies: view ? [card(view)] : [], state: withClosed(state, outcome.walkthrough, 'finished', ctx.now), outcome: 'guide.finished' };
    }
  }
}

function showStep(ctx: AppContext, walkthrough: Walkthrough, lang: Lang, state: TurnState, outcome: string, note?: string): TurnResult {
  const view = guideStepView(ctx.catalogue, walkthrough, lang, note);
  if (!view) return { replies: [card(guideChangedView(walkthrough.cfm, lang))], state, outcome: 'guide.changed' };
  return { replies: [card(view)], state, outcome };
}

/** The CFMs behind a list of codes: a CFM itself, or every CFM of a sub-process or process. */
function candidateCfms(catalogue: Catalogue, codes: readonly string[]): Cfm[] {
  const found: Cfm[] = [];
  for (const code of codes) {
    for (const cfm of catalogue.cfms) {
      const sub = catalogue.subprocesses.find((s) => s.code === cfm.subprocess);
      if ((cfm.code === code || cfm.subprocess === code || sub?.process === code) && !found.includes(cfm)) found.push(cfm);
    }
    if (found.length > 0) break;
  }
  return found;
}

function withOpen(state: TurnState, walkthrough: Walkthrough): TurnState {
  const open = [walkthrough, ...state.guides.open.filter((w) => w.cfm !== walkthrough.cfm)];
  return { ...state, guides: { ...state.guides, open } };
}

function withClosed(state: TurnState, walkthrough: Walkthrough, outcome: 'finished' | 'stopped', now: Date): TurnState {
  const guides: GuideDoc = {
    schema: 1,
    open: state.guides.open.filter((w) => w.cfm !== walkthrough.cfm),
    finished: [{ ...walkthrough, finishedAt: now.toISOString(), outcome }, ...state.guides.finished].slice(0, MAX_FINISHED),
  };
  return { ...state, guides };
}

const card = (view: CardView): Reply => ({ kind: 'card', view });
const text = (value: string): Reply => ({ kind: 'text', text: value });
