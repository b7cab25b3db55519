import { startWalkthrough, stepOf, type Walkthrough } from '../core/guide/walkthrough.js';
import { formatWita } from '../core/format/wita-time.js';
import { pick, t, type Lang } from '../core/i18n/messages.js';
import { buildOnboardingPath, onboardingUnits, type OnboardingItem } from '../core/onboarding/onboarding-path.js';
import { completeIfDone, markItem, nextItem, reconcileProgress, startOnboarding, type OnboardingDoc } from '../core/onboarding/onboarding-progress.js';
import { teamOf, withSummary } from '../core/onboarding/onboarding-team.js';
import { managedUnits, upsertPerson } from '../core/roster/roster.js';
import { witaDay } from '../core/schedule/plan-deliveries.js';
import type { CardView } from '../core/views/card-view.js';
import { guideStepView } from '../core/views/guide-views.js';
import { itemTitle, onboardingChecklistView, onboardingItemView, onboardingNotStartedView, onboardingTeamView, onboardingUnitsView, type PathContext } from '../core/views/onboarding-views.js';
import { button } from '../core/views/shared-buttons.js';
import type { ButtonData } from '../core/views/verbs.js';
import type { AppContext } from './handle-turn.js';
import type { Reply, TurnResult, TurnState } from './turn-types.js';

type OnboardingButton = Extract<ButtonData, { verb: `onboarding.${string}` }>;

/**
 * The person's path as it stands: built from the current catalogue for their unit, their progress
 * matched to it by id. `notes` says what changed since they last saw it (a catalogue change).
 */
interface Loaded {
  readonly pc: PathContext;
  readonly state: TurnState;
  readonly notes: string[];
}

/** "orientasi", or the welcome card's button: resume where the person left off, or start. */
export function startOnboardingCommand(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const loaded = load(ctx, lang, state);
  if (loaded === 'unknown-unit') return unitGone(ctx, lang, state);
  if (loaded) {
    const { pc } = loaded;
    if (pc.doc.completedAt) {
      const note = t(lang, 'onboarding.alreadyComplete', { date: formatWita(pc.doc.completedAt, lang) });
      return show(loaded, pc.path.find((i) => i.kind === 'complete') ?? nextItem(pc.path, pc.doc), lang, 'onboarding.completed', [note]);
    }
    const item = nextItem(pc.path, pc.doc);
    const fresh = Object.keys(pc.doc.items).length === 0;
    const k = pc.path.indexOf(item) + 1;
    return show(loaded, item, lang, 'onboarding.resumed', fresh ? [] : [t(lang, 'onboarding.welcomeBack', { k, n: pc.path.length })]);
  }
  const own = state.roster.people[ctx.user.id]?.unit;
  const unit = onboardingUnits(ctx.catalogue).find((u) => u.id === own);
  if (!unit) return { replies: [card(onboardingUnitsView(ctx.catalogue, lang))], state, outcome: 'onboarding.pick-unit' };
  const started = begin(ctx, state, unit.id);
  return show(started, started.pc.path[0]!, lang, 'onboarding.started', [t(lang, 'onboarding.unitFromRoster', { unit: pick(lang, unit.name, unit.nameEn) })]);
}

/** "Lanjut" after a check, "Lanjutkan orientasi" after a tour or on the checklist: the next item, no greeting. */
function nextOnboardingItem(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const loaded = load(ctx, lang, state);
  if (!loaded || loaded === 'unknown-unit') return startOnboardingCommand(ctx, lang, state);
  return show(loaded, nextItem(loaded.pc.path, loaded.pc.doc), lang, 'onboarding.next');
}

/** "orientasi saya": the checklist of the person's path. */
export function myOnboarding(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const loaded = load(ctx, lang, state);
  if (loaded === 'unknown-unit') return unitGone(ctx, lang, state);
  if (!loaded) return { replies: [card(onboardingNotStartedView(lang))], state, outcome: 'onboarding.list-none' };
  return { replies: [card(onboardingChecklistView(loaded.pc, lang, loaded.notes))], state: loaded.state, outcome: 'onboarding.list' };
}

/** "progres orientasi tim": for managers, each new employee of their units and their figures. */
export function teamOnboarding(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const day = witaDay(ctx.now);
  const members = teamOf(state.onboardingTeam, state.roster, ctx.user.id, day, ctx.user.isAdmin);
  if (!members) return { replies: [text(t(lang, 'onboarding.team.notManager'))], state, outcome: 'onboarding.team-refused' };
  const me = state.roster.people[ctx.user.id];
  const units = ctx.user.isAdmin ? ['*'] : me ? managedUnits(me, day) : [];
  return { replies: [card(onboardingTeamView(ctx.catalogue, members, units, lang))], state, outcome: 'onboarding.team' };
}

/** The path's buttons: pick a unit, open, done, skip, answer, start a tour, the checklist, the team view. */
export function handleOnboardingButton(ctx: AppContext, data: OnboardingButton, lang: Lang, state: TurnState): TurnResult {
  switch (data.verb) {
    case 'onboarding.start':
      return startOnboardingCommand(ctx, lang, state);
    case 'onboarding.next':
      return nextOnboardingItem(ctx, lang, state);
    case 'onboarding.list':
      return myOnboarding(ctx, lang, state);
    case 'onboarding.team':
      return teamOnboarding(ctx, lang, state);
    case 'onboarding.pick':
      return { replies: [card(onboardingUnitsView(ctx.catalogue, lang, state.onboarding?.unit ?? state.roster.people[ctx.user.id]?.unit))], state, outcome: 'onboarding.pick-unit' };
    case 'onboarding.unit':
      return pickUnit(ctx, data.unit, lang, state);
    case 'onboarding.tour':
      return startTour(ctx, data.cfm, lang, state);
    case 'onboarding.open':
    case 'onboarding.done':
    case 'onboarding.skip':
    case 'onboarding.answer': {
      const loaded = load(ctx, lang, state);
      if (loaded === 'unknown-unit') return unitGone(ctx, lang, state);
      if (!loaded) return startOnboardingCommand(ctx, lang, state);
      const item = loaded.pc.path.find((i) => i.id === data.item);
      if (!item) return show(loaded, nextItem(loaded.pc.path, loaded.pc.doc), lang, 'onboarding.stale', [t(lang, 'onboarding.stale')]);
      if (data.verb === 'onboarding.open') return show(loaded, item, lang, 'onboarding.open');
      if (data.verb === 'onboarding.skip') return skip(ctx, loaded, item, lang);
      if (data.verb === 'onboarding.answer') return answer(ctx, loaded, item, data.choice, lang);
      return done(ctx, loaded, item, lang);
    }
  }
}

/**
 * After a walkthrough finished: when it was a tour of the person's path, the tour item is done, and
 * the summary card gets a button back to the orientation. Any other walkthrough is left as it is.
 */
export function afterWalkthroughFinished(ctx: AppContext, result: TurnResult, lang: Lang): TurnResult {
  const finished = result.state.guides.finished[0];
  if (result.outcome !== 'guide.finished' || finished?.mode !== 'tour' || !result.state.onboarding) return result;
  const loaded = load(ctx, lang, result.state);
  if (!loaded || loaded === 'unknown-unit') return result;
  const id = `tour:${finished.cfm}`;
  const inPath = loaded.pc.path.some((i) => i.id === id);
  const doc = inPath ? completeIfDone(loaded.pc.path, markItem(loaded.pc.doc, id, { status: 'done' }, ctx.now), ctx.now) : loaded.pc.doc;
  const state = save(ctx, loaded.state, { ...loaded.pc, doc });
  const back = button(t(lang, 'onboarding.button.continue'), { verb: 'onboarding.next' });
  const replies = result.replies.map((r, i): Reply => {
    if (i !== 0 || r.kind !== 'card' || r.view.template !== 'guide-summary') return r;
    const submit = Array.isArray(r.view.data['submit']) ? (r.view.data['submit'] as unknown[]) : [];
    const notes = inPath ? t(lang, 'onboarding.tourDone', { code: finished.cfm }) : '';
    return { kind: 'card', view: { ...r.view, data: { ...r.view.data, body: [r.view.data['body'], notes].filter(Boolean).join(' '), submit: [...submit, back] } } };
  });
  return { ...result, replies, state, outcome: inPath ? 'onboarding.tour-done' : result.outcome };
}

function pickUnit(ctx: AppContext, unitId: string, lang: Lang, state: TurnState): TurnResult {
  const unit = onboardingUnits(ctx.catalogue).find((u) => u.id === unitId);
  if (!unit) return { replies: [card(onboardingUnitsView(ctx.catalogue, lang, state.onboarding?.unit))], state, outcome: 'onboarding.bad-unit' };
  const me = state.roster.people[ctx.user.id] ?? { id: ctx.user.id, name: ctx.user.name, updatedAt: ctx.now.toISOString() };
  const withRoster = me.unit === unit.id ? state : { ...state, roster: upsertPerson(state.roster, { ...me, unit: unit.id, updatedAt: ctx.now.toISOString() }) };
  const loaded = withRoster.onboarding ? moveTo(ctx, withRoster, withRoster.onboarding, unit.id) : begin(ctx, withRoster, unit.id);
  const note = t(lang, 'onboarding.unitSet', { unit: pick(lang, unit.name, unit.nameEn), count: loaded.pc.path.length });
  return show(loaded, nextItem(loaded.pc.path, loaded.pc.doc), lang, 'onboarding.unit-set', [note]);
}

function startTour(ctx: AppContext, code: string, lang: Lang, state: TurnState): TurnResult {
  const cfm = ctx.catalogue.cfms.find((c) => c.code === code);
  if (!cfm) return { replies: [text(t(lang, 'error.badButton'))], state, outcome: 'onboarding.tour-unknown' };
  const open = state.guides.open.find((w) => w.cfm === code);
  const walkthrough: Walkthrough = open && stepOf(cfm, open.current) ? open : startWalkthrough(cfm, ctx.catalogue.version, ctx.now, 'tour');
  const view = guideStepView(ctx.catalogue, walkthrough, lang);
  if (!view) return { replies: [text(t(lang, 'error.badButton'))], state, outcome: 'onboarding.tour-unknown' };
  const guides = walkthrough === open ? state.guides : { ...state.guides, open: [walkthrough, ...state.guides.open.filter((w) => w.cfm !== code)] };
  return { replies: [card(view)], state: { ...state, guides }, outcome: walkthrough === open ? 'onboarding.tour-resumed' : 'onboarding.tour-started' };
}

function done(ctx: AppContext, loaded: Loaded, item: OnboardingItem, lang: Lang): TurnResult {
  // A check question is done by answering it; "done" on it (an old or tampered card) shows it again.
  if (item.kind === 'check') return show(loaded, item, lang, 'onboarding.check-needs-answer');
  const { pc } = loaded;
  const doc = completeIfDone(pc.path, item.kind === 'complete' ? pc.doc : markItem(pc.doc, item.id, { status: 'done' }, ctx.now), ctx.now);
  return advance(ctx, loaded, doc, lang, 'onboarding.done', []);
}

function skip(ctx: AppContext, loaded: Loaded, item: OnboardingItem, lang: Lang): TurnResult {
  const { pc } = loaded;
  if (item.kind === 'complete' || pc.doc.items[item.id]?.status === 'done') return advance(ctx, loaded, pc.doc, lang, 'onboarding.skip-ignored', []);
  const doc = markItem(pc.doc, item.id, { status: 'skipped' }, ctx.now);
  return advance(ctx, loaded, doc, lang, 'onboarding.skipped', [t(lang, 'onboarding.skipped', { title: itemTitle(ctx.catalogue, item, lang) })]);
}

/** An answer to a check question: the first one counts; the card shows the feedback and the explanation. */
function answer(ctx: AppContext, loaded: Loaded, item: OnboardingItem, choice: string, lang: Lang): TurnResult {
  if (item.kind !== 'check') return show(loaded, item, lang, 'onboarding.answer-invalid');
  const { pc } = loaded;
  if (pc.doc.items[item.id]?.answer !== undefined) return show(loaded, item, lang, 'onboarding.answer-again', [t(lang, 'onboarding.check.already')]);
  if (!item.check.choices.includes(choice)) return show(loaded, item, lang, 'onboarding.answer-invalid');
  const correct = choice === item.check.answer;
  const doc = completeIfDone(pc.path, markItem(pc.doc, item.id, { status: 'done', answer: choice, correct }, ctx.now), ctx.now);
  const next: Loaded = { ...loaded, pc: { ...pc, doc }, state: save(ctx, loaded.state, { ...pc, doc }) };
  return show(next, item, lang, correct ? 'onboarding.answer-right' : 'onboarding.answer-wrong');
}

/** Saves the new progress and shows the next item (the completion card once the path is complete). */
function advance(ctx: AppContext, loaded: Loaded, doc: OnboardingDoc, lang: Lang, outcome: string, notes: string[]): TurnResult {
  const pc = { ...loaded.pc, doc };
  const next: Loaded = { ...loaded, pc, state: save(ctx, loaded.state, pc) };
  const completedNow = doc.completedAt !== undefined && loaded.pc.doc.completedAt === undefined;
  return show(next, nextItem(pc.path, doc), lang, completedNow ? 'onboarding.completed-now' : outcome, notes);
}

function show(loaded: Loaded, item: OnboardingItem, lang: Lang, outcome: string, notes: readonly string[] = []): TurnResult {
  const view = onboardingItemView(loaded.pc, item, lang, [...loaded.notes, ...notes]);
  return { replies: [card(view)], state: loaded.state, outcome };
}

/**
 * The person's doc matched to the path of the current catalogue: undefined when they have not started,
 * 'unknown-unit' when their unit left the catalogue. The reconciled doc is in the returned state.
 */
function load(ctx: AppContext, lang: Lang, state: TurnState): Loaded | 'unknown-unit' | undefined {
  const saved = state.onboarding;
  if (!saved) return undefined;
  if (!onboardingUnits(ctx.catalogue).some((u) => u.id === saved.unit)) return 'unknown-unit';
  const path = buildOnboardingPath(ctx.catalogue, saved.unit);
  const { doc, added, removed } = reconcileProgress(saved, path);
  const pc = { catalogue: ctx.catalogue, path, doc };
  const notes = added.length > 0 || removed.length > 0 ? [t(lang, 'onboarding.changed', { added: added.length, removed: removed.length })] : [];
  return { pc, state: doc === saved ? state : save(ctx, state, pc), notes };
}

/** The person's unit left the catalogue: ask for their unit again (their progress stays until they pick). */
function unitGone(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  return { replies: [card(onboardingUnitsView(ctx.catalogue, lang, undefined, t(lang, 'onboarding.unitUnknown')))], state, outcome: 'onboarding.unit-unknown' };
}

function begin(ctx: AppContext, state: TurnState, unit: string): Loaded {
  const path = buildOnboardingPath(ctx.catalogue, unit);
  const pc = { catalogue: ctx.catalogue, path, doc: startOnboarding(unit, path, ctx.now) };
  return { pc, state: save(ctx, state, pc), notes: [] };
}

/** Another unit for a path under way: the path is rebuilt for it; progress on the items both share is kept. */
function moveTo(ctx: AppContext, state: TurnState, prior: OnboardingDoc, unit: string): Loaded {
  const path = buildOnboardingPath(ctx.catalogue, unit);
  const moved: OnboardingDoc = prior.unit === unit ? prior : { ...prior, unit, updatedAt: ctx.now.toISOString() };
  const pc = { catalogue: ctx.catalogue, path, doc: reconcileProgress(moved, path).doc };
  return { pc, state: save(ctx, state, pc), notes: [] };
}

/** The new state with the person's doc and their figures in the team summary (unchanged figures: no write). */
function save(ctx: AppContext, state: TurnState, pc: PathContext): TurnState {
  return { ...state, onboarding: pc.doc, onboardingTeam: withSummary(state.onboardingTeam, ctx.user.id, pc.path, pc.doc) };
}

const card = (view: CardView): Reply => ({ kind: 'card', view });
const text = (value: string): Reply => ({ kind: 'text', text: value });
