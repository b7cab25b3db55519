import { managedUnits, type RosterDoc } from '../roster/roster.js';
import type { OnboardingItem } from './onboarding-path.js';
import { figuresOf, type OnboardingDoc, type OnboardingFigures } from './onboarding-progress.js';

/** One person's onboarding in figures, as of their last onboarding turn. */
export interface OnboardingSummary extends OnboardingFigures {
  readonly unit: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
}

/**
 * Everyone's onboarding in figures (key `stats/onboarding`), kept up to date by each person's own
 * turns, so a manager's "progres orientasi tim" is one document read in the turn's single read.
 */
export interface OnboardingTeamDoc {
  readonly schema: 1;
  readonly people: Readonly<Record<string, OnboardingSummary>>;
}

export const EMPTY_ONBOARDING_TEAM: OnboardingTeamDoc = { schema: 1, people: {} };

/** The team doc with the person's current figures; the same doc when they did not change (no write). */
export function withSummary(team: OnboardingTeamDoc, userId: string, path: readonly OnboardingItem[], doc: OnboardingDoc): OnboardingTeamDoc {
  const summary: OnboardingSummary = { unit: doc.unit, startedAt: doc.startedAt, updatedAt: doc.updatedAt, ...figuresOf(path, doc), ...(doc.completedAt ? { completedAt: doc.completedAt } : {}) };
  if (JSON.stringify(team.people[userId]) === JSON.stringify(summary)) return team;
  return { schema: 1, people: { ...team.people, [userId]: summary } };
}

/** A row of the manager's view. */
export interface TeamMember {
  readonly userId: string;
  readonly name: string;
  readonly unit: string;
  readonly summary: OnboardingSummary;
}

/**
 * The people who started onboarding in the units a manager manages on `day` (everyone for the Kepala
 * Dinas and for admins), most recently active first. A person's unit is the roster's, else the one
 * they onboard into. The manager themself is left out.
 */
export function teamOf(team: OnboardingTeamDoc, roster: RosterDoc, managerId: string, day: string, isAdmin: boolean): TeamMember[] | undefined {
  const me = roster.people[managerId];
  const units = me ? managedUnits(me, day) : [];
  if (units.length === 0 && !isAdmin) return undefined;
  const everyone = isAdmin || units.includes('*');
  return Object.entries(team.people)
    .map(([userId, summary]) => ({ userId, name: roster.people[userId]?.name ?? userId, unit: roster.people[userId]?.unit ?? summary.unit, summary }))
    .filter((m) => m.userId !== managerId && (everyone || units.includes(m.unit)))
    .sort((a, b) => b.summary.updatedAt.localeCompare(a.summary.updatedAt) || a.name.localeCompare(b.name));
}
