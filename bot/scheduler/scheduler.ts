import type { Catalogue } from '../core/catalogue/types.js';
import type { WorkCalendar } from '../core/calendar/working-days.js';
import { t, type Lang } from '../core/i18n/messages.js';
import type { Clock } from '../core/ports/clock.js';
import { StoreConflictError, type DocumentChange, type StateStore, type StoredDocument } from '../core/ports/state-store.js';
import { EMPTY_ROSTER, upsertPerson, type RosterDoc } from '../core/roster/roster.js';
import { EMPTY_RUNS, type Run, type RunsDoc } from '../core/runs/run.js';
import { bucketsBetween } from '../core/schedule/due-index.js';
import { planDeliveries, witaDay, type PersonalReminder, type PlannedDelivery } from '../core/schedule/plan-deliveries.js';
import { buildOnboardingPath } from '../core/onboarding/onboarding-path.js';
import { isOnboardingDoc, reconcileProgress, type OnboardingDoc } from '../core/onboarding/onboarding-progress.js';
import { EMPTY_REVIEWS, type ReviewsDoc } from '../core/review/review.js';
import { planKeeperDigest, planReviewInvites, type KeeperDigest } from '../core/review/plan-reviews.js';
import { DEFAULT_ONBOARDING_POLICY, planOnboardingDeliveries, type OnboardingDelivery, type OnboardingPolicy } from '../core/onboarding/plan-onboarding.js';
import { onboardingCompletedNoticeView, onboardingNudgeView } from '../core/views/onboarding-views.js';
import { taskListView, taskView } from '../core/views/run-views.js';
import type { CardView } from '../core/views/card-view.js';
import type { Logger } from '../log/logger.js';
import type { DeliveryOutcome, DeliveryQueue } from '../outbound/delivery-queue.js';

/** A delivery's record under `sent/<key>`: claimed before sending, settled after. */
interface SentDoc {
  readonly schema: 1;
  readonly status: 'sending' | 'sent' | 'failed';
  readonly at: string;
  readonly results?: Readonly<Record<string, string>>;
}

/** How the scheduler reaches a person or a channel: registers the reference, returns the conversation id. */
export interface Reach {
  register(reference: unknown): string | undefined;
}

export interface SchedulerDeps {
  readonly store: StateStore;
  readonly catalogue: () => Catalogue;
  readonly calendar: WorkCalendar;
  readonly queue: DeliveryQueue;
  readonly reach: Reach;
  readonly clock: Clock;
  readonly log: Logger;
  /** Renders a card view to the activity the notifier sends. */
  readonly toActivity: (view: CardView) => unknown;
  /** A "sending" claim older than this is taken as a crash between send and record: sent again. */
  readonly staleClaimMs?: number;
  /** When new employees are nudged about their onboarding path (default: after 3 idle working days). */
  readonly onboardingPolicy?: OnboardingPolicy;
  /** The catalogue's keepers (Pandu's admins), who get the weekly catalogue digest. */
  readonly keepers?: readonly string[];
}

/** A delivery of either planner, with how to draw its card in a recipient's language. */
interface Outgoing {
  readonly key: string;
  readonly to: readonly string[];
  readonly channelOf?: string;
  readonly view: (lang: Lang) => CardView | undefined;
  /** An onboarding nudge: the person's doc gets `nudgedAt` once it is sent. */
  readonly nudged?: string;
}

export interface SweepReport {
  readonly planned: number;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
  /** How many personal-reminder buckets were read (the due index at work). */
  readonly bucketsRead: number;
  readonly remindersConsidered: number;
}

const STALE_CLAIM_MS = 10 * 60_000;

/**
 * One pass of the scheduler: plans what is due now (pure functions of runs, roster, onboarding docs,
 * calendar, what was sent, and now: planDeliveries and planOnboardingDeliveries), claims each delivery's idempotency key, sends through the outbound queue, and
 * records the result. Delivery guarantee: at least once, keyed — a key is claimed ("sending") before
 * the send and settled ("sent") after, so two instances never both send it, and a crash between the
 * send and the record repeats that one message at most once.
 */
export async function sweep(deps: SchedulerDeps): Promise<SweepReport> {
  const now = deps.clock.now();
  const catalogue = deps.catalogue();
  // Onboarding docs are found by listing their prefix, then read with everything else in one read.
  const onboardingKeys = await deps.store.list('onboarding/');
  const unansweredKeys = deps.keepers && deps.keepers.length > 0 ? await deps.store.list('stats/unanswered/') : [];
  const head = await deps.store.read(['runs/open', 'roster', 'schedule/cursor', 'reviews/all', ...onboardingKeys, ...unansweredKeys]);
  const reviews = (head.get('reviews/all')?.value as ReviewsDoc | undefined) ?? EMPTY_REVIEWS;
  const unanswered = unansweredKeys.flatMap((k) => ((head.get(k)?.value as { recent?: { at: string; nearest?: string }[] } | undefined)?.recent ?? []));
  const onboarding = new Map<string, OnboardingDoc>();
  for (const key of onboardingKeys) {
    const value = head.get(key)?.value;
    if (isOnboardingDoc(value)) onboarding.set(key.slice('onboarding/'.length), value);
  }
  const runs = (head.get('runs/open')?.value as RunsDoc | undefined) ?? EMPTY_RUNS;
  let roster = (head.get('roster')?.value as RosterDoc | undefined) ?? EMPTY_ROSTER;
  const cursorDoc = head.get('schedule/cursor');
  const cursor = (cursorDoc?.value as { at?: string } | undefined)?.at;
  const buckets = bucketsBetween(cursor ? new Date(cursor) : undefined, now);
  const bucketDocs = await deps.store.read(buckets);
  const personal = [...bucketDocs.values()].flatMap((d) => ((d.value as { items?: PersonalReminder[] }).items ?? []).filter((r) => new Date(r.at) <= now));
  const input = { runs: runs.runs, roster, calendar: deps.calendar, now, personal };
  const policy = deps.onboardingPolicy ?? DEFAULT_ONBOARDING_POLICY;
  const plan = (sent: ReadonlySet<string>): Outgoing[] => [
    ...planDeliveries({ ...input, sent }).map((item) => ({ key: item.key, to: item.to, ...(item.channelOf ? { channelOf: item.channelOf } : {}), view: (lang: Lang) => viewFor(catalogue, runs.runs, item, lang, now) })),
    ...planOnboardingDeliveries(onboarding, roster, deps.calendar, sent, now, policy).map((item) => ({
      key: item.key,
      to: item.to,
      view: (lang: Lang) => onboardingViewFor(catalogue, onboarding, roster, item, lang),
      ...(item.kind === 'onboarding-nudge' ? { nudged: item.userId } : {}),
    })),
  ];
  const planAll = (sent: ReadonlySet<string>): Outgoing[] => [
    ...plan(sent),
    ...planReviewInvites(catalogue, reviews, roster, deps.calendar, sent, now).map((item) => ({ key: item.key, to: item.to, view: (lang: Lang) => reviewInviteView(item.cfm, lang) })),
    ...planKeeperDigest(catalogue, reviews, unanswered, deps.keepers ?? [], deps.calendar, sent, now).map((item) => ({ key: item.key, to: item.to, view: (lang: Lang) => keeperDigestView(item, lang) })),
  ];
  const candidates = planAll(new Set());
  const claims = await deps.store.read(candidates.map((c) => `sent/${c.key}`));
  const staleMs = deps.staleClaimMs ?? STALE_CLAIM_MS;
  const done = new Set(
    candidates
      .filter((c) => {
        const doc = claims.get(`sent/${c.key}`)?.value as SentDoc | undefined;
        return doc !== undefined && (doc.status !== 'sending' || now.getTime() - new Date(doc.at).getTime() < staleMs);
      })
      .map((c) => c.key),
  );
  const planned = planAll(done);
  const recipients = [...new Set(planned.flatMap((p) => p.to))];
  const people = await deps.store.read(recipients.flatMap((id) => [`refs/${id}`, `user/${id}`]));
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  const unreachable = new Map<string, number>();
  const nudged: string[] = [];
  await Promise.all(
    planned.map(async (item) => {
      const claim = claims.get(`sent/${item.key}`);
      if (!(await claimKey(deps.store, item.key, claim, now))) {
        skipped++;
        return;
      }
      const results: Record<string, string> = {};
      const sends = targetsOf(item, roster, people).map(async (target) => {
        const view = item.view(target.lang);
        if (!view) return (results[target.label] = 'nothing-to-send');
        const conversationId = target.reference ? deps.reach.register(target.reference) : undefined;
        if (!conversationId) return (results[target.label] = 'no-reference');
        const outcome: DeliveryOutcome = await deps.queue.enqueue({ key: `${item.key}#${target.label}`, conversationId, activity: deps.toActivity(view) });
        if (outcome.status === 'failed' && (outcome.lastStatus === 403 || outcome.lastStatus === 404) && target.userId) unreachable.set(target.userId, outcome.lastStatus);
        return (results[target.label] = outcome.status === 'failed' ? `failed:${outcome.lastStatus}` : outcome.status);
      });
      await Promise.all(sends);
      const ok = Object.values(results).some((r) => r === 'sent' || r === 'duplicate');
      if (ok) sent++;
      else failed++;
      if (ok && item.nudged) nudged.push(item.nudged);
      await deps.store.write([{ key: `sent/${item.key}`, value: { schema: 1, status: ok ? 'sent' : 'failed', at: now.toISOString(), results } satisfies SentDoc }]);
    }),
  );
  if (unreachable.size > 0) roster = await markUnreachable(deps.store, unreachable, now);
  if (nudged.length > 0) await recordNudges(deps.store, nudged, now).catch((error: unknown) => deps.log.warn('onboarding nudges not recorded', { error }));
  await deps.store.write([{ key: 'schedule/cursor', value: { schema: 1, at: now.toISOString() } }]).catch((error: unknown) => deps.log.warn('scheduler cursor not saved', { error }));
  const report = { planned: planned.length, sent, failed, skipped, bucketsRead: buckets.length, remindersConsidered: personal.length };
  if (planned.length > 0) deps.log.info('scheduler sweep', { ...report, rosterPeople: Object.keys(roster.people).length });
  return report;
}

/** Claims a key ("sending") with optimistic concurrency; false if another instance has it. */
async function claimKey(store: StateStore, key: string, existing: StoredDocument | undefined, now: Date): Promise<boolean> {
  try {
    await store.write([{ key: `sent/${key}`, value: { schema: 1, status: 'sending', at: now.toISOString() } satisfies SentDoc, etag: existing?.etag ?? null }]);
    return true;
  } catch (error) {
    if (error instanceof StoreConflictError) return false;
    throw error;
  }
}

interface Target {
  readonly label: string;
  readonly userId?: string;
  readonly reference?: unknown;
  readonly lang: Lang;
}

function targetsOf(item: Outgoing, roster: RosterDoc, people: ReadonlyMap<string, StoredDocument>): Target[] {
  const targets: Target[] = item.to.map((id) => {
    const ref = people.get(`refs/${id}`)?.value as { reference?: unknown; unreachable?: unknown } | undefined;
    const lang = (people.get(`user/${id}`)?.value as { lang?: Lang } | undefined)?.lang ?? 'id';
    return { label: id, userId: id, ...(ref?.reference && !ref.unreachable ? { reference: ref.reference } : {}), lang };
  });
  const channel = item.channelOf ? roster.channels[item.channelOf] : undefined;
  if (channel) targets.push({ label: `channel:${item.channelOf}`, reference: { conversation: { id: channel.conversationId, conversationType: 'channel' }, channelOnly: true }, lang: 'id' });
  return targets;
}

function viewFor(catalogue: Catalogue, runs: readonly Run[], item: PlannedDelivery, lang: Lang, now: Date): CardView | undefined {
  switch (item.kind) {
    case 'digest': {
      const ids = new Set(item.digest?.items.map((i) => i.runId));
      const list = runs.filter((r) => ids.has(r.id));
      const overdue = item.digest?.items.filter((i) => i.overdue).length ?? 0;
      return taskListView(catalogue, list, lang, now, t(lang, 'digest.title', { date: witaDay(now) }), t(lang, 'digest.body', { open: list.length, overdue }));
    }
    case 'personal': {
      const run = item.reminder?.ref?.runId ? runs.find((r) => r.id === item.reminder!.ref!.runId) : undefined;
      if (run) return taskView(catalogue, run, lang, now, undefined, `${t(lang, 'remind.title')}: ${item.reminder?.note || run.title}`);
      return { template: 'choices', data: { lang, fallback: t(lang, 'remind.title'), title: t(lang, 'remind.title'), body: item.reminder?.note || (item.reminder?.ref?.cfm ?? ''), suggestLabel: '', hasSuggestions: false, actions: item.reminder?.ref?.cfm ? [{ title: t(lang, 'button.guide'), data: { verb: 'guide.start', cfm: item.reminder.ref.cfm } }] : [{ title: t(lang, 'button.help'), data: { verb: 'help' } }] } };
    }
    default: {
      const run = runs.find((r) => r.id === item.runId);
      return run ? taskView(catalogue, run, lang, now, item.kind) : undefined;
    }
  }
}

/** An onboarding nudge or completion notice, drawn from the person's doc against the current catalogue. */
function onboardingViewFor(catalogue: Catalogue, docs: ReadonlyMap<string, OnboardingDoc>, roster: RosterDoc, item: OnboardingDelivery, lang: Lang): CardView | undefined {
  const saved = docs.get(item.userId);
  if (!saved) return undefined;
  const path = buildOnboardingPath(catalogue, saved.unit);
  const pc = { catalogue, path, doc: reconcileProgress(saved, path).doc };
  const name = roster.people[item.userId]?.name ?? item.userId;
  return item.kind === 'onboarding-nudge' ? onboardingNudgeView(pc, name, lang) : onboardingCompletedNoticeView(pc, name, lang);
}

/** Records when people were nudged (`nudgedAt` in their onboarding doc), retrying on a concurrent change. */
async function recordNudges(store: StateStore, userIds: readonly string[], now: Date): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const docs = await store.read(userIds.map((id) => `onboarding/${id}`));
    const changes: DocumentChange[] = [];
    for (const [key, doc] of docs) if (isOnboardingDoc(doc.value)) changes.push({ key, value: { ...doc.value, nudgedAt: now.toISOString() } satisfies OnboardingDoc, etag: doc.etag });
    try {
      if (changes.length > 0) await store.write(changes);
      return;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
    }
  }
}

/** Marks people Teams refused (403/404) as unreachable, for the manager view. */
async function markUnreachable(store: StateStore, statuses: ReadonlyMap<string, number>, now: Date): Promise<RosterDoc> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const docs = await store.read(['roster', ...[...statuses.keys()].map((id) => `refs/${id}`)]);
    let roster = (docs.get('roster')?.value as RosterDoc | undefined) ?? EMPTY_ROSTER;
    const changes: DocumentChange[] = [];
    for (const [id, status] of statuses) {
      const person = roster.people[id];
      if (person) roster = upsertPerson(roster, { ...person, reachable: { ok: false, status, at: now.toISOString() } });
      const ref = docs.get(`refs/${id}`);
      if (ref) changes.push({ key: `refs/${id}`, value: { ...(ref.value as object), unreachable: { status, at: now.toISOString() } }, etag: ref.etag });
    }
    changes.push({ key: 'roster', value: roster, etag: docs.get('roster')?.etag ?? null });
    try {
      await store.write(changes);
      return roster;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
    }
  }
  return EMPTY_ROSTER;
}

/** Runs `sweep` now and then every `intervalMs`, one pass at a time; catches up after downtime at start. */
export function startScheduler(deps: SchedulerDeps, intervalMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = (): void => {
    running = running.then(() => (stopped ? undefined : sweep(deps).catch((error: unknown) => deps.log.error('scheduler sweep failed', { error }))));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** The invitation to review a draft CFM of one's unit. */
function reviewInviteView(code: string, lang: Lang): CardView {
  return {
    template: 'choices',
    data: { lang, fallback: t(lang, 'review.invite', { code }), title: t(lang, 'review.list.title'), body: t(lang, 'review.invite', { code }), suggestLabel: '', hasSuggestions: false, actions: [{ title: t(lang, 'button.open'), data: { verb: 'review.start', cfm: code } }] },
  };
}

/** The keeper's weekly digest as a card: reviews done, corrections asked, unanswered questions by process. */
function keeperDigestView(digest: KeeperDigest, lang: Lang): CardView {
  const lines = [
    t(lang, 'keeper.confirmed', { list: digest.confirmed.join(', ') || '—' }),
    t(lang, 'keeper.returned', { list: digest.returned.map((r) => `${r.cfm} (${r.notes})`).join(', ') || '—' }),
    t(lang, 'keeper.unanswered', { count: digest.unansweredTotal, detail: digest.unanswered.length > 0 ? ` — ${digest.unanswered.map((u) => t(lang, 'keeper.byProcess', { process: u.process, count: u.count })).join('; ')}` : '' }),
  ];
  return { template: 'choices', data: { lang, fallback: t(lang, 'keeper.title'), title: t(lang, 'keeper.title'), body: lines.join('\n\n'), suggestLabel: '', hasSuggestions: false, actions: [{ title: t(lang, 'button.help'), data: { verb: 'help' } }] } };
}
