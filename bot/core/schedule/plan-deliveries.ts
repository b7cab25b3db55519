import { holdersOf, managedUnits, managersOf, membersOf, type Person, type RosterDoc } from '../roster/roster.js';
import { currentStep, type Run } from '../runs/run.js';

/** The working calendar the planner needs (WITA, holidays, office hours). */
export interface PlanCalendar {
  addWorkingDays(from: Date, days: number): Date;
  nextOfficeTime(at: Date): Date;
  isOfficeTime(at: Date): boolean;
  isWorkingDay(day: string): boolean;
}

export interface SchedulePolicy {
  /** Hours before a step's due time at which its assignees are reminded (8.5 = office start of the due day). */
  readonly remindHoursBefore: number;
  /** Working days after the due time at which the Sekretaris and the Kepala Dinas are told (the second rung). */
  readonly secondEscalationDays: number;
}

export const DEFAULT_SCHEDULE_POLICY: SchedulePolicy = { remindHoursBefore: 8.5, secondEscalationDays: 2 };

/** A personal reminder set with "Ingatkan saya" (stored in hour buckets, see due-index.ts). */
export interface PersonalReminder {
  readonly key: string;
  readonly userId: string;
  readonly at: string;
  readonly note: string;
  readonly ref?: { readonly cfm?: string; readonly runId?: string };
}

export type DeliveryKind = 'handoff' | 'waiting' | 'reminder' | 'escalation' | 'escalation-2' | 'digest' | 'personal';

/** One message the scheduler should send now. `key` is its idempotency key. */
export interface PlannedDelivery {
  readonly key: string;
  readonly kind: DeliveryKind;
  /** Teams user ids to send to (each in their personal chat). */
  readonly to: readonly string[];
  /** A linked unit channel to post to as well, if any. */
  readonly channelOf?: string;
  readonly runId?: string;
  readonly step?: string;
  /** When it fell due (before any shift to office hours). */
  readonly dueAt: string;
  readonly reminder?: PersonalReminder;
  /** For digests: the runs and steps the manager's units hold. */
  readonly digest?: { readonly unitIds: readonly string[]; readonly items: readonly { readonly runId: string; readonly step: string; readonly overdue: boolean }[] };
}

export interface PlanInput {
  readonly runs: readonly Run[];
  readonly roster: RosterDoc;
  readonly calendar: PlanCalendar;
  /** Keys already sent (or being sent): never planned again. */
  readonly sent: ReadonlySet<string>;
  readonly now: Date;
  readonly personal: readonly PersonalReminder[];
  readonly policy?: SchedulePolicy;
}

/**
 * What is due now: a pure function of (runs, roster, calendar, what was already sent, now). Nothing is
 * planned outside office hours or on a day off; after downtime, everything that fell due meanwhile
 * is planned once (its key is then in `sent`).
 */
export function planDeliveries(input: PlanInput): PlannedDelivery[] {
  const { now, calendar } = input;
  if (!calendar.isOfficeTime(now)) return [];
  const policy = input.policy ?? DEFAULT_SCHEDULE_POLICY;
  const day = witaDay(now);
  const out: PlannedDelivery[] = [];
  const add = (d: PlannedDelivery): void => {
    if (!input.sent.has(d.key) && new Date(d.dueAt) <= now && d.to.length + (d.channelOf ? 1 : 0) > 0) out.push(d);
  };
  for (const run of input.runs) {
    const step = currentStep(run);
    if (!step) continue;
    const base = `run:${run.id}:${step.step}:${step.startedAt}`;
    const holdUntil = step.snoozedUntil && new Date(step.snoozedUntil) > now ? step.snoozedUntil : undefined;
    const assignees = step.external ? [run.startedBy] : ids(membersOf(input.roster, step.unit, day));
    const channel = !step.external && input.roster.channels[step.unit] ? step.unit : undefined;
    add({ key: `${base}:handoff`, kind: step.external ? 'waiting' : 'handoff', to: assignees, ...(channel ? { channelOf: channel } : {}), runId: run.id, step: step.step, dueAt: step.startedAt });
    if (holdUntil) continue;
    const remindAt = new Date(new Date(step.dueAt).getTime() - policy.remindHoursBefore * 3_600_000);
    if (remindAt > new Date(step.startedAt)) add({ key: `${base}:reminder`, kind: 'reminder', to: assignees, runId: run.id, step: step.step, dueAt: remindAt.toISOString() });
    const escalateTo = step.external ? [run.startedBy, ...ids(managersOf(input.roster, ownerUnit(input.roster, run.startedBy), day))] : ids(managersOf(input.roster, step.unit, day));
    const fallback = ids(holdersOf(input.roster, 'sekretaris', day));
    add({ key: `${base}:escalation`, kind: 'escalation', to: unique(escalateTo.length > 0 ? escalateTo : fallback), runId: run.id, step: step.step, dueAt: step.dueAt });
    const second = calendar.addWorkingDays(new Date(step.dueAt), policy.secondEscalationDays);
    add({ key: `${base}:escalation-2`, kind: 'escalation-2', to: unique([...fallback, ...ids(holdersOf(input.roster, 'kadis', day))]), runId: run.id, step: step.step, dueAt: second.toISOString() });
  }
  if (calendar.isWorkingDay(day)) {
    for (const manager of Object.values(input.roster.people)) {
      const units = managedUnits(manager, day);
      if (units.length === 0) continue;
      const items = input.runs.flatMap((run) => {
        const step = currentStep(run);
        return step && (units.includes('*') || units.includes(step.unit) || (step.external && units.includes(ownerUnit(input.roster, run.startedBy)))) ? [{ runId: run.id, step: step.step, overdue: new Date(step.dueAt) < now }] : [];
      });
      if (items.length === 0) continue;
      add({ key: `digest:${manager.id}:${day}`, kind: 'digest', to: [manager.id], dueAt: now.toISOString(), digest: { unitIds: units, items } });
    }
  }
  for (const reminder of input.personal) add({ key: reminder.key, kind: 'personal', to: [reminder.userId], dueAt: reminder.at, reminder });
  return out;
}

/** The date in WITA (UTC+8), YYYY-MM-DD. */
export function witaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function ownerUnit(roster: RosterDoc, userId: string): string {
  return roster.people[userId]?.unit ?? '';
}

function ids(people: readonly Person[]): string[] {
  return people.map((p) => p.id);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
