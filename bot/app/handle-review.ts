import { t, type Lang } from '../core/i18n/messages.js';
import { managersOf } from '../core/roster/roster.js';
import { finishReview, judgeStep, nextUnjudged, REVIEW_ASPECTS, startReview, waitingForReview, type ReviewAspect, type ReviewsDoc } from '../core/review/review.js';
import { witaDay } from '../core/schedule/plan-deliveries.js';
import type { CardView } from '../core/views/card-view.js';
import { reviewFinishView, reviewListView, reviewStepView } from '../core/views/review-views.js';
import type { ButtonData } from '../core/views/verbs.js';
import type { AppContext } from './handle-turn.js';
import type { Reply, TurnResult, TurnState } from './turn-types.js';

type ReviewButton = Extract<ButtonData, { verb: `review.${string}` }>;

/** The CFMs the person may review: those owned by units they head (today, own or acting). */
function reviewableUnits(ctx: AppContext, state: TurnState): string[] {
  const day = witaDay(ctx.now);
  return [...new Set(ctx.catalogue.cfms.map((c) => c.owner))].filter((unit) => managersOf(state.roster, unit, day).some((p) => p.id === ctx.user.id));
}

/** "tinjau CFM": the drafts of the person's units that wait for their review. */
export function listReviews(ctx: AppContext, lang: Lang, state: TurnState): TurnResult {
  const units = reviewableUnits(ctx, state);
  if (units.length === 0) return { replies: [text(t(lang, 'review.list.notHead'))], state, outcome: 'review.not-head' };
  const reviews = new Map(Object.entries(state.reviews.reviews));
  const cfms = units.flatMap((u) => waitingForReview(ctx.catalogue, u, reviews));
  return { replies: [card(reviewListView(cfms, state.reviews.reviews, lang))], state, outcome: 'review.list' };
}

export function handleReviewButton(ctx: AppContext, data: ReviewButton, lang: Lang, state: TurnState): TurnResult {
  const cfm = ctx.catalogue.cfms.find((c) => c.code === data.cfm);
  if (!cfm) return { replies: [text(t(lang, 'error.badButton'))], state, outcome: 'review.unknown-cfm' };
  if (!reviewableUnits(ctx, state).includes(cfm.owner)) return { replies: [text(t(lang, 'review.notOwner'))], state, outcome: 'review.refused' };
  const existing = state.reviews.reviews[cfm.code];
  let review = startReview(cfm, ctx.catalogue, existing, { id: ctx.user.id, name: ctx.user.name }, ctx.now);
  switch (data.verb) {
    case 'review.start':
      break;
    case 'review.ok':
      if (data.step) review = judgeStep(review, data.step, { verdict: 'ok' }, ctx.now);
      break;
    case 'review.change': {
      const comment = (data.comment ?? '').trim();
      const aspects = (data.aspects ?? '').split(',').filter((a): a is ReviewAspect => (REVIEW_ASPECTS as readonly string[]).includes(a));
      if (comment === '') {
        const view = reviewStepView(ctx.catalogue, cfm, data.step, lang, t(lang, 'review.needComment'));
        return { replies: view ? [card(view)] : [], state, outcome: 'review.need-comment' };
      }
      review = judgeStep(review, data.step, { verdict: 'change', aspects, comment: comment.slice(0, 500) }, ctx.now);
      break;
    }
    case 'review.finish': {
      const finished = finishReview(cfm, review, data.decision, ctx.now);
      if (finished.status === 'incomplete') break;
      const next = withReview(state, finished.review);
      const outcome = finished.review.outcome!.status;
      const change = Object.values(finished.review.steps).filter((v) => v.verdict === 'change').length;
      return { replies: [text(outcome === 'confirmed' ? t(lang, 'review.confirmed', { code: cfm.code, name: ctx.user.name }) : t(lang, 'review.returned', { code: cfm.code, count: change }))], state: next, outcome: `review.${outcome}` };
    }
  }
  const next = withReview(state, review);
  const pending = nextUnjudged(cfm, review);
  const view = pending ? reviewStepView(ctx.catalogue, cfm, pending, lang) : reviewFinishView(cfm, review, lang);
  return { replies: view ? [card(view)] : [], state: next, outcome: `review.${data.verb.slice(7)}` };
}

function withReview(state: TurnState, review: ReviewsDoc['reviews'][string]): TurnState {
  return { ...state, reviews: { schema: 1, reviews: { ...state.reviews.reviews, [review.cfm]: review } } };
}

const card = (view: CardView): Reply => ({ kind: 'card', view });
const text = (value: string): Reply => ({ kind: 'text', text: value });
