import type { Catalogue } from '../catalogue/types.js';
import { cfmFingerprint } from '../guide/walkthrough.js';
import { managersOf, type RosterDoc } from '../roster/roster.js';
import { witaDay, type PlanCalendar } from '../schedule/plan-deliveries.js';
import { effectiveStatus, type ReviewsDoc } from './review.js';

export interface ReviewInvite {
  readonly key: string;
  readonly to: readonly string[];
  readonly cfm: string;
}

/**
 * The heads of owner units invited, once per version of a CFM's steps, to review each draft CFM of
 * their unit: a pure function of (catalogue, reviews, roster, calendar, sent, now). Office hours only.
 */
export function planReviewInvites(catalogue: Catalogue, reviews: ReviewsDoc, roster: RosterDoc, calendar: PlanCalendar, sent: ReadonlySet<string>, now: Date): ReviewInvite[] {
  if (!calendar.isOfficeTime(now)) return [];
  const day = witaDay(now);
  const out: ReviewInvite[] = [];
  for (const cfm of catalogue.cfms) {
    const review = reviews.reviews[cfm.code];
    const fingerprint = cfmFingerprint(cfm);
    if (effectiveStatus(cfm, review).status !== 'draft') continue;
    if (review && review.fingerprint === fingerprint) continue; // already under review, or returned for this version
    for (const manager of managersOf(roster, cfm.owner, day)) {
      const key = `review-invite:${cfm.code}:${fingerprint}:${manager.id}`;
      if (!sent.has(key)) out.push({ key, to: [manager.id], cfm: cfm.code });
    }
  }
  return out;
}

export interface KeeperDigest {
  readonly key: string;
  readonly to: readonly string[];
  readonly confirmed: readonly string[];
  readonly returned: readonly { readonly cfm: string; readonly notes: number }[];
  /** Unanswered questions of the last 7 days, by the process of their nearest catalogue code. */
  readonly unanswered: readonly { readonly process: string; readonly count: number }[];
  readonly unansweredTotal: number;
}

/**
 * The catalogue keeper's weekly digest, on the first working day of the ISO week in office hours:
 * reviews done, corrections asked, and what staff asked that Pandu could not answer, grouped by
 * likely process. Nothing to report → nothing planned.
 */
export function planKeeperDigest(
  catalogue: Catalogue,
  reviews: ReviewsDoc,
  unanswered: readonly { readonly at: string; readonly nearest?: string }[],
  keepers: readonly string[],
  calendar: PlanCalendar,
  sent: ReadonlySet<string>,
  now: Date,
): KeeperDigest[] {
  if (keepers.length === 0 || !calendar.isOfficeTime(now) || !firstWorkingDayOfWeek(now, calendar)) return [];
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const recent = Object.values(reviews.reviews).filter((r) => r.outcome && r.outcome.at >= since);
  const confirmed = recent.filter((r) => r.outcome!.status === 'confirmed').map((r) => r.cfm);
  const returned = recent.filter((r) => r.outcome!.status === 'returned').map((r) => ({ cfm: r.cfm, notes: Object.values(r.steps).filter((v) => v.verdict === 'change').length }));
  const week = unanswered.filter((u) => u.at >= since);
  const byProcess = new Map<string, number>();
  for (const u of week) {
    const process = processOf(catalogue, u.nearest) ?? '—';
    byProcess.set(process, (byProcess.get(process) ?? 0) + 1);
  }
  if (confirmed.length + returned.length + week.length === 0) return [];
  const isoWeek = isoWeekOf(now);
  return keepers
    .map((id) => ({ key: `keeper-digest:${id}:${isoWeek}`, to: [id], confirmed, returned, unanswered: [...byProcess].map(([process, count]) => ({ process, count })).sort((a, b) => b.count - a.count), unansweredTotal: week.length }))
    .filter((d) => !sent.has(d.key));
}

function processOf(catalogue: Catalogue, code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (catalogue.processes.some((p) => p.code === code)) return code;
  const sub = catalogue.subprocesses.find((s) => s.code === code) ?? catalogue.subprocesses.find((s) => s.code === catalogue.cfms.find((c) => c.code === code)?.subprocess);
  return sub?.process;
}

function firstWorkingDayOfWeek(now: Date, calendar: PlanCalendar): boolean {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const weekday = (local.getUTCDay() + 6) % 7; // Monday 0
  for (let d = 0; d < weekday; d++) {
    const day = new Date(local.getTime() - (weekday - d) * 86_400_000).toISOString().slice(0, 10);
    if (calendar.isWorkingDay(day)) return false;
  }
  return calendar.isWorkingDay(local.toISOString().slice(0, 10));
}

function isoWeekOf(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 0));
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
