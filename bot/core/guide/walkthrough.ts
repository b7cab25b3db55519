import { createHash } from 'node:crypto';
import type { Cfm, Step } from '../catalogue/types.js';

/**
 * A person's progress through one CFM: plain, versioned JSON kept in the store. The fingerprint of
 * the CFM it was made against tells whether the procedure changed since it started.
 */
export interface Walkthrough {
  readonly cfm: string;
  /** Fingerprint of the CFM's steps when the walkthrough started. */
  readonly cfmFingerprint: string;
  readonly catalogueVersion: string;
  /** The step the person is at. */
  readonly current: string;
  /** The steps already passed, in order, with the branch chosen at each decision. */
  readonly path: readonly PathEntry[];
  /** Grows by one on every move; a button carrying an older revision is stale. */
  readonly revision: number;
  readonly mode: 'guide' | 'tour';
  readonly startedAt: string;
  readonly updatedAt: string;
}

export interface PathEntry {
  readonly step: string;
  /** The label of the branch taken, when the step was a decision. */
  readonly branch?: string;
}

/** All of a person's walkthroughs (key `guides/<userId>`): open ones, and a few finished ones. */
export interface GuideDoc {
  readonly schema: 1;
  readonly open: readonly Walkthrough[];
  readonly finished: readonly (Walkthrough & { readonly finishedAt: string; readonly outcome: 'finished' | 'stopped' })[];
}

export const EMPTY_GUIDES: GuideDoc = { schema: 1, open: [], finished: [] };
export const MAX_FINISHED = 20;

/** A short hash of what a person walks: the steps and their flow, not comments or sources. */
export function cfmFingerprint(cfm: Cfm): string {
  const flow = cfm.steps.map((s) => [s.id, s.actor, s.action, s.kind, s.kind === 'task' ? s.next : s.kind === 'decision' ? s.branches.map((b) => [b.label, b.next]) : null]);
  return createHash('sha256').update(JSON.stringify(flow)).digest('hex').slice(0, 12);
}

export function startWalkthrough(cfm: Cfm, catalogueVersion: string, now: Date, mode: Walkthrough['mode'] = 'guide'): Walkthrough {
  return {
    cfm: cfm.code,
    cfmFingerprint: cfmFingerprint(cfm),
    catalogueVersion,
    current: cfm.steps[0]!.id,
    path: [],
    revision: 1,
    mode,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function stepOf(cfm: Cfm, id: string): Step | undefined {
  return cfm.steps.find((s) => s.id === id);
}

/** Steps from `from` to the nearest end (0 when `from` is an end), by breadth-first search. */
export function stepsToEnd(cfm: Cfm, from: string): number {
  const byId = new Map(cfm.steps.map((s) => [s.id, s]));
  const seen = new Set([from]);
  let frontier = [from];
  for (let distance = 0; frontier.length > 0; distance++) {
    const next: string[] = [];
    for (const id of frontier) {
      const step = byId.get(id);
      if (!step) continue;
      if (step.kind === 'end') return distance;
      for (const target of step.kind === 'task' ? [step.next] : step.branches.map((b) => b.next)) {
        if (!seen.has(target)) {
          seen.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return 0;
}
