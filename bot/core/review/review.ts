import type { Catalogue, Cfm } from '../catalogue/types.js';
import { cfmFingerprint } from '../guide/walkthrough.js';

/** What a reviewer says about one step. */
export type StepVerdict = { readonly verdict: 'ok' } | { readonly verdict: 'change'; readonly aspects: readonly ReviewAspect[]; readonly comment: string };

export const REVIEW_ASPECTS = ['actor', 'action', 'documents', 'time', 'order'] as const;
export type ReviewAspect = (typeof REVIEW_ASPECTS)[number];

/**
 * A review of one CFM by the head of its owner unit (key `reviews/<code>`): made against one version of
 * the CFM (its fingerprint); the verdict of each step; the outcome. A later change of the CFM's data
 * makes the review out of date: the CFM counts as draft again and is offered for review again.
 */
export interface ReviewDoc {
  readonly schema: 1;
  readonly cfm: string;
  readonly fingerprint: string;
  readonly catalogueVersion: string;
  readonly reviewer: string;
  readonly reviewerName: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly steps: Readonly<Record<string, StepVerdict>>;
  readonly outcome?: { readonly status: 'confirmed' | 'returned'; readonly at: string; readonly comment?: string };
  /** Earlier reviews of older versions, kept for the record. */
  readonly history?: readonly Omit<ReviewDoc, 'history'>[];
}

/** The status Pandu shows for a CFM: confirmed in the data, or by a review of this very version. */
export type EffectiveStatus = { readonly status: 'draft' } | { readonly status: 'confirmed'; readonly by: string; readonly at: string; readonly source: 'data' | 'review' };

export function effectiveStatus(cfm: Cfm, review: ReviewDoc | undefined): EffectiveStatus {
  const fingerprint = cfmFingerprint(cfm);
  // Confirmed in the data files, for these very steps (a later edit of the steps makes it a draft again).
  if (cfm.status === 'confirmed' && cfm.confirmation && (cfm.confirmation.fingerprint === undefined || cfm.confirmation.fingerprint === fingerprint)) {
    return { status: 'confirmed', by: cfm.confirmation.by, at: cfm.confirmation.at, source: 'data' };
  }
  if (review?.outcome?.status === 'confirmed' && review.fingerprint === fingerprint) return { status: 'confirmed', by: review.reviewerName, at: review.outcome.at, source: 'review' };
  return { status: 'draft' };
}

/** Starts (or restarts, for a new version of the CFM) a review; an up-to-date one is kept. */
export function startReview(cfm: Cfm, catalogue: Catalogue, existing: ReviewDoc | undefined, reviewer: { id: string; name: string }, now: Date): ReviewDoc {
  const fingerprint = cfmFingerprint(cfm);
  if (existing && existing.fingerprint === fingerprint && !existing.outcome) return existing;
  const history: Omit<ReviewDoc, 'history'>[] = [];
  if (existing) {
    const { history: older, ...previous } = existing;
    history.push(...(older ?? []), previous);
  }
  return {
    schema: 1,
    cfm: cfm.code,
    fingerprint,
    catalogueVersion: catalogue.version,
    reviewer: reviewer.id,
    reviewerName: reviewer.name,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    steps: {},
    ...(history.length > 0 ? { history } : {}),
  };
}

export function judgeStep(review: ReviewDoc, stepId: string, verdict: StepVerdict, now: Date): ReviewDoc {
  return { ...review, steps: { ...review.steps, [stepId]: verdict }, updatedAt: now.toISOString() };
}

/** The first step not yet judged, in the CFM's order; undefined when every step has a verdict. */
export function nextUnjudged(cfm: Cfm, review: ReviewDoc): string | undefined {
  return cfm.steps.find((s) => review.steps[s.id] === undefined)?.id;
}

export type FinishOutcome = { readonly status: 'finished'; readonly review: ReviewDoc } | { readonly status: 'incomplete'; readonly missing: string };

/** "Konfirmasi" (only when no step needs a change) or "Kembalikan untuk diperbaiki". */
export function finishReview(cfm: Cfm, review: ReviewDoc, decision: 'confirmed' | 'returned', now: Date, comment?: string): FinishOutcome {
  const missing = nextUnjudged(cfm, review);
  if (missing) return { status: 'incomplete', missing };
  const needsChange = Object.values(review.steps).some((v) => v.verdict === 'change');
  const status = decision === 'confirmed' && needsChange ? 'returned' : decision;
  return { status: 'finished', review: { ...review, outcome: { status, at: now.toISOString(), ...(comment ? { comment } : {}) }, updatedAt: now.toISOString() } };
}

/** Draft CFMs of a unit that wait for a review of their current version. */
export function waitingForReview(catalogue: Catalogue, unit: string, reviews: ReadonlyMap<string, ReviewDoc>): Cfm[] {
  return catalogue.cfms.filter((c) => c.owner === unit && effectiveStatus(c, reviews.get(c.code)).status === 'draft' && !(reviews.get(c.code)?.outcome?.status === 'returned' && reviews.get(c.code)?.fingerprint === cfmFingerprint(c)));
}

/** All reviews, one document (key `reviews/all`): small (one entry per CFM), read with every turn. */
export interface ReviewsDoc {
  readonly schema: 1;
  readonly reviews: Readonly<Record<string, ReviewDoc>>;
}

export const EMPTY_REVIEWS: ReviewsDoc = { schema: 1, reviews: {} };

/**
 * The catalogue as Pandu shows it: a CFM confirmed by a review of its current version is shown as
 * confirmed (the data files are updated later by `npm run catalogue:apply-reviews`).
 */
export function withReviews(catalogue: Catalogue, doc: ReviewsDoc): Catalogue {
  let changed = false;
  const cfms = catalogue.cfms.map((cfm) => {
    const status = effectiveStatus(cfm, doc.reviews[cfm.code]);
    if (status.status === 'draft' && cfm.status === 'confirmed') {
      changed = true;
      const { confirmation: _stale, ...rest } = cfm;
      return { ...rest, status: 'draft' as const };
    }
    if (status.status !== 'confirmed' || status.source === 'data') return cfm;
    changed = true;
    return { ...cfm, status: 'confirmed' as const, confirmation: { by: status.by, at: status.at, catalogueVersion: doc.reviews[cfm.code]!.catalogueVersion, fingerprint: doc.reviews[cfm.code]!.fingerprint } };
  });
  return changed ? { ...catalogue, cfms } : catalogue;
}
