import type { Catalogue, Cfm, Step } from '../catalogue/types.js';
import { stepOf } from '../guide/walkthrough.js';

/** A working calendar: due dates in working days (WITA), office hours. */
export interface DueCalendar {
  addWorkingDays(from: Date, days: number): Date;
  nextOfficeTime(at: Date): Date;
}

/** One step of a run: who is responsible, when it started and is due, and what happened. */
export interface RunStep {
  readonly step: string;
  /** The step's lane: a unit or an outside party. */
  readonly unit: string;
  /** True when an outside party acts: the run's owner is reminded ("waiting on"). */
  readonly external: boolean;
  readonly startedAt: string;
  readonly dueAt: string;
  readonly slaDays: number;
  readonly doneAt?: string;
  readonly doneBy?: string;
  readonly branch?: string;
  readonly snoozedUntil?: string;
}

/** A real case moving along a CFM (a permit for a foundation, an adoption file, a disaster response). */
export interface Run {
  readonly id: string;
  readonly cfm: string;
  readonly cfmFingerprint: string;
  readonly catalogueVersion: string;
  readonly title: string;
  readonly startedBy: string;
  readonly startedAt: string;
  readonly status: 'active' | 'done' | 'cancelled';
  /** The steps so far; the last one is the current step while the run is active. */
  readonly steps: readonly RunStep[];
  readonly revision: number;
}

/** Open runs (key `runs/open`); finished runs move to `runs/done/<id>`. */
export interface RunsDoc {
  readonly schema: 1;
  readonly runs: readonly Run[];
}

export const EMPTY_RUNS: RunsDoc = { schema: 1, runs: [] };

export interface RunPolicy {
  /** Working days for a step whose CFM sets no limit. */
  readonly defaultSlaDays: number;
}

export function currentStep(run: Run): RunStep | undefined {
  return run.status === 'active' ? run.steps.at(-1) : undefined;
}

function enter(catalogue: Catalogue, cfm: Cfm, step: Step, now: Date, calendar: DueCalendar, policy: RunPolicy): RunStep {
  const unit = catalogue.units.find((u) => u.id === step.actor);
  const slaDays = step.slaDays ?? policy.defaultSlaDays;
  void cfm;
  return { step: step.id, unit: step.actor, external: unit?.kind !== 'internal', startedAt: now.toISOString(), dueAt: calendar.addWorkingDays(now, slaDays).toISOString(), slaDays };
}

export function startRun(args: { catalogue: Catalogue; cfm: Cfm; fingerprint: string; id: string; title: string; startedBy: string; now: Date; calendar: DueCalendar; policy: RunPolicy }): Run {
  const first = args.cfm.steps[0]!;
  return {
    id: args.id,
    cfm: args.cfm.code,
    cfmFingerprint: args.fingerprint,
    catalogueVersion: args.catalogue.version,
    title: args.title,
    startedBy: args.startedBy,
    startedAt: args.now.toISOString(),
    status: 'active',
    steps: [enter(args.catalogue, args.cfm, first, args.now, args.calendar, args.policy)],
    revision: 1,
  };
}

export type RunOutcome =
  | { readonly status: 'advanced'; readonly run: Run; readonly next: RunStep }
  | { readonly status: 'completed'; readonly run: Run }
  | { readonly status: 'snoozed'; readonly run: Run }
  | { readonly status: 'stale'; readonly run: Run }
  | { readonly status: 'invalid'; readonly run: Run; readonly reason: string };

/**
 * Marks the current step done (with a branch at a decision) and moves the run to the next step, due
 * in the next step's working days; or snoozes the current step by one working day.
 */
export function applyRunEvent(
  args: { catalogue: Catalogue; cfm: Cfm | undefined; now: Date; calendar: DueCalendar; policy: RunPolicy },
  run: Run,
  event: { type: 'done'; step: string; rev: number; by: string; branch?: number } | { type: 'snooze'; step: string; rev: number; by: string },
): RunOutcome {
  const current = currentStep(run);
  if (!current || current.step !== event.step || run.revision !== event.rev) return { status: 'stale', run };
  const step = args.cfm ? stepOf(args.cfm, current.step) : undefined;
  if (!args.cfm || !step) return { status: 'invalid', run, reason: 'the step is no longer in the catalogue' };
  const at = args.now.toISOString();
  if (event.type === 'snooze') {
    const until = args.calendar.addWorkingDays(args.now, 1).toISOString();
    const steps = [...run.steps.slice(0, -1), { ...current, snoozedUntil: until }];
    return { status: 'snoozed', run: { ...run, steps, revision: run.revision + 1 } };
  }
  let nextId: string | undefined;
  let branch: string | undefined;
  if (step.kind === 'decision') {
    const chosen = event.branch === undefined ? undefined : step.branches[event.branch];
    if (!chosen) return { status: 'invalid', run, reason: 'a decision needs a branch' };
    nextId = chosen.next;
    branch = chosen.label;
  } else if (step.kind === 'task') nextId = step.next;
  const done: RunStep = { ...current, doneAt: at, doneBy: event.by, ...(branch ? { branch } : {}) };
  if (!nextId) return { status: 'completed', run: { ...run, status: 'done', steps: [...run.steps.slice(0, -1), done], revision: run.revision + 1 } };
  const next = enter(args.catalogue, args.cfm, stepOf(args.cfm, nextId)!, args.now, args.calendar, args.policy);
  return { status: 'advanced', run: { ...run, steps: [...run.steps.slice(0, -1), done, next], revision: run.revision + 1 }, next };
}
