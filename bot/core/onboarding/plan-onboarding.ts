import type { WorkCalendar } from '../calendar/working-days.js';
import { holdersOf, managersOf, type RosterDoc } from '../roster/roster.js';
import { witaDay } from '../schedule/plan-deliveries.js';
import type { OnboardingDoc } from './onboarding-progress.js';

/** The working calendar the onboarding planner needs (WITA, holidays, office hours). */
export type OnboardingCalendar = Pick<WorkCalendar, 'isOfficeTime' | 'isWorkingDay' | 'workingDaysBetween'>;

export interface OnboardingPolicy {
  /** Full working days without progress after which a new employee gets a friendly nudge. */
  readonly nudgeAfterWorkingDays: number;
  /** Completions older than this many days are not announced to managers (e.g. a manager named later). */
  readonly completionNoticeDays: number;
}

export const DEFAULT_ONBOARDING_POLICY: OnboardingPolicy = { nudgeAfterWorkingDays: 3, completionNoticeDays: 14 };

/** A proactive onboarding message due now; `key` is its idempotency key. */
export interface OnboardingDelivery {
  readonly key: string;
  readonly kind: 'onboarding-nudge' | 'onboarding-complete';
  /** Teams user ids to send to (each in their personal chat). */
  readonly to: readonly string[];
  /** The person whose onboarding it is about. */
  readonly userId: string;
  readonly dueAt: string;
}

/**
 * What onboarding messages are due now: a pure function of (onboarding docs by user id, roster,
 * calendar, keys already sent, now). Nothing is planned outside office hours of a working day.
 *
 * - A nudge (`onboarding-nudge:<user>:<isoWeek>`) when a path is not complete and the person made no
 *   progress for `nudgeAfterWorkingDays` full working days; one per stall (none again until they make
 *   progress), and never two in one ISO week.
 * - A notice to each manager of the person's unit (`onboarding-complete:<user>:<manager>`; the
 *   Sekretaris when the unit has no manager in the roster) once the path is complete.
 */
export function planOnboardingDeliveries(
  docs: ReadonlyMap<string, OnboardingDoc>,
  roster: RosterDoc,
  calendar: OnboardingCalendar,
  sent: ReadonlySet<string>,
  now: Date,
  policy: OnboardingPolicy = DEFAULT_ONBOARDING_POLICY,
): OnboardingDelivery[] {
  if (!calendar.isOfficeTime(now)) return [];
  const day = witaDay(now);
  const week = isoWeek(day);
  const out: OnboardingDelivery[] = [];
  const add = (d: OnboardingDelivery): void => {
    if (!sent.has(d.key) && d.to.length > 0) out.push(d);
  };
  for (const [userId, doc] of [...docs].sort(([a], [b]) => a.localeCompare(b))) {
    if (doc.completedAt) {
      if (now.getTime() - new Date(doc.completedAt).getTime() > policy.completionNoticeDays * 86_400_000) continue;
      const unit = roster.people[userId]?.unit ?? doc.unit;
      const managers = managersOf(roster, unit, day).filter((p) => p.id !== userId);
      const to = (managers.length > 0 ? managers : holdersOf(roster, 'sekretaris', day).filter((p) => p.id !== userId)).map((p) => p.id);
      for (const manager of [...new Set(to)]) add({ key: `onboarding-complete:${userId}:${manager}`, kind: 'onboarding-complete', to: [manager], userId, dueAt: doc.completedAt });
      continue;
    }
    if (idleWorkingDays(calendar, doc.updatedAt, now) < policy.nudgeAfterWorkingDays) continue;
    if (doc.nudgedAt && (doc.nudgedAt >= doc.updatedAt || isoWeek(witaDay(new Date(doc.nudgedAt))) === week)) continue;
    add({ key: `onboarding-nudge:${userId}:${week}`, kind: 'onboarding-nudge', to: [userId], userId, dueAt: now.toISOString() });
  }
  return out;
}

/**
 * Full working days with no progress since `lastIso`: the working days after its day, not counting
 * today when today is a working day (the day is not over). Progress on Monday → 3 on Friday morning.
 */
export function idleWorkingDays(calendar: OnboardingCalendar, lastIso: string, now: Date): number {
  const between = calendar.workingDaysBetween(new Date(lastIso), now);
  return between - (calendar.isWorkingDay(witaDay(now)) ? 1 : 0);
}

/** The ISO 8601 week of a WITA date, e.g. "2026-W49". */
export function isoWeek(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date.getTime() + (3 - weekday) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
