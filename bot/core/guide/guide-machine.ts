import type { Cfm } from '../catalogue/types.js';
import { stepOf, type Walkthrough } from './walkthrough.js';

/** What a button asks of a walkthrough. Every event names the step and revision its card showed. */
export type GuideEvent =
  | { readonly type: 'next'; readonly step: string; readonly rev: number }
  | { readonly type: 'branch'; readonly step: string; readonly rev: number; readonly branch: number }
  | { readonly type: 'back'; readonly step: string; readonly rev: number }
  | { readonly type: 'stop'; readonly step: string; readonly rev: number };

/** The result of applying an event: a discriminated union the edge turns into a card. */
export type GuideOutcome =
  /** Moved to another step. */
  | { readonly status: 'moved'; readonly walkthrough: Walkthrough }
  /** "Lanjut" on an end step: the walkthrough is complete. */
  | { readonly status: 'finished'; readonly walkthrough: Walkthrough }
  | { readonly status: 'stopped'; readonly walkthrough: Walkthrough }
  /** The button came from an older card (already answered, double click, resent): nothing applied. */
  | { readonly status: 'stale'; readonly walkthrough: Walkthrough }
  /** The procedure changed and the person's step no longer exists (or the CFM is gone). */
  | { readonly status: 'changed'; readonly walkthrough: Walkthrough }
  /** The event does not fit the current step (e.g. a branch number a decision does not have). */
  | { readonly status: 'invalid'; readonly walkthrough: Walkthrough; readonly reason: string };

/**
 * The walkthrough state machine: (procedure, state, event, now) → outcome. Pure; the same inputs give
 * the same outcome. A stale or invalid event never changes the walkthrough.
 */
export function applyGuideEvent(cfm: Cfm | undefined, walkthrough: Walkthrough, event: GuideEvent, now: Date): GuideOutcome {
  if (!cfm || !stepOf(cfm, walkthrough.current)) return { status: 'changed', walkthrough };
  if (event.step !== walkthrough.current || event.rev !== walkthrough.revision) return { status: 'stale', walkthrough };
  const step = stepOf(cfm, walkthrough.current)!;
  const moved = (current: string, path: Walkthrough['path']): GuideOutcome => ({
    status: 'moved',
    walkthrough: { ...walkthrough, current, path, revision: walkthrough.revision + 1, updatedAt: now.toISOString() },
  });
  switch (event.type) {
    case 'stop':
      return { status: 'stopped', walkthrough: { ...walkthrough, revision: walkthrough.revision + 1, updatedAt: now.toISOString() } };
    case 'back': {
      const previous = walkthrough.path.at(-1);
      if (!previous) return { status: 'invalid', walkthrough, reason: 'already at the first step' };
      if (!stepOf(cfm, previous.step)) return { status: 'changed', walkthrough };
      return moved(previous.step, walkthrough.path.slice(0, -1));
    }
    case 'next':
      if (step.kind === 'end') return { status: 'finished', walkthrough: { ...walkthrough, path: [...walkthrough.path, { step: step.id }], revision: walkthrough.revision + 1, updatedAt: now.toISOString() } };
      if (step.kind === 'decision') return { status: 'invalid', walkthrough, reason: 'a decision needs a branch' };
      return moved(step.next, [...walkthrough.path, { step: step.id }]);
    case 'branch': {
      if (step.kind !== 'decision') return { status: 'invalid', walkthrough, reason: 'the step is not a decision' };
      const branch = step.branches[event.branch];
      if (!branch) return { status: 'invalid', walkthrough, reason: `no branch ${event.branch}` };
      return moved(branch.next, [...walkthrough.path, { step: step.id, branch: branch.label }]);
    }
  }
}
