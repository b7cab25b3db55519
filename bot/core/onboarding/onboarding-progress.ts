import type { OnboardingItem } from './onboarding-path.js';

/** What a person did with one item of their path. */
export interface ItemProgress {
  readonly status: 'done' | 'skipped';
  readonly at: string;
  /** For a check question: the choice they picked (their first answer counts) and whether it was right. */
  readonly answer?: string;
  readonly correct?: boolean;
}

/**
 * A person's onboarding progress (key `onboarding/<userId>`): plain, versioned JSON. Progress is kept
 * by item id, so when the catalogue changes, items that stay keep their progress (see reconcileProgress).
 */
export interface OnboardingDoc {
  readonly schema: 1;
  /** The unit the path is built for. */
  readonly unit: string;
  readonly startedAt: string;
  /** The last progress (an item done, skipped or answered, or the unit changed); the nudge counts from here. */
  readonly updatedAt: string;
  readonly items: Readonly<Record<string, ItemProgress>>;
  /** Set once, when every item of the path was done. */
  readonly completedAt?: string;
  /** When the scheduler last nudged the person (it writes this field only). */
  readonly nudgedAt?: string;
  /** The item ids of the path the person last saw, to tell them what changed with the catalogue. */
  readonly path?: readonly string[];
}

/** A person's progress in figures: for the checklist, the manager view and the notices. */
export interface OnboardingFigures {
  readonly done: number;
  readonly skipped: number;
  readonly total: number;
  readonly answered: number;
  readonly correct: number;
}

export function startOnboarding(unit: string, path: readonly OnboardingItem[], now: Date): OnboardingDoc {
  return { schema: 1, unit, startedAt: now.toISOString(), updatedAt: now.toISOString(), items: {}, path: path.map((i) => i.id) };
}

/** Whether a stored value is an onboarding doc of this schema (anything else starts fresh). */
export function isOnboardingDoc(value: unknown): value is OnboardingDoc {
  const v = value as Partial<OnboardingDoc> | null;
  return typeof v === 'object' && v !== null && v.schema === 1 && typeof v.unit === 'string' && typeof v.startedAt === 'string' && typeof v.updatedAt === 'string' && typeof v.items === 'object' && v.items !== null;
}

/**
 * Matches saved progress to the current path, by id: items that left the path drop out, new items
 * appear as not started, progress on the rest is kept. Returns the same doc when nothing changed.
 */
export function reconcileProgress(doc: OnboardingDoc, path: readonly OnboardingItem[]): { readonly doc: OnboardingDoc; readonly added: readonly string[]; readonly removed: readonly string[] } {
  const ids = path.map((i) => i.id);
  const wanted = new Set(ids);
  const before = doc.path ?? Object.keys(doc.items);
  const added = ids.filter((id) => !before.includes(id));
  const removed = [...new Set([...before, ...Object.keys(doc.items)])].filter((id) => !wanted.has(id));
  if (added.length === 0 && removed.length === 0 && doc.path?.length === ids.length) return { doc, added, removed };
  const items = Object.fromEntries(Object.entries(doc.items).filter(([id]) => wanted.has(id)));
  return { doc: { ...doc, items, path: ids }, added: doc.path ? added : [], removed };
}

/** Records what a person did with an item. A done item stays done (a later "skip" does not undo it). */
export function markItem(doc: OnboardingDoc, id: string, progress: Omit<ItemProgress, 'at'>, now: Date): OnboardingDoc {
  const current = doc.items[id];
  if (current?.status === 'done') return doc;
  return { ...doc, items: { ...doc.items, [id]: { ...progress, at: now.toISOString() } }, updatedAt: now.toISOString() };
}

/** True when every item but the completion card itself is done (skipped ones must come back first). */
export function isPathDone(path: readonly OnboardingItem[], doc: OnboardingDoc): boolean {
  return path.every((i) => i.kind === 'complete' || doc.items[i.id]?.status === 'done');
}

/**
 * Marks the path complete when it is done: the completion item is done and `completedAt` is set, once.
 * The manager is told by the scheduler, which looks for `completedAt`.
 */
export function completeIfDone(path: readonly OnboardingItem[], doc: OnboardingDoc, now: Date): OnboardingDoc {
  if (!isPathDone(path, doc)) return doc;
  const marked = markItem(doc, 'complete', { status: 'done' }, now);
  return marked.completedAt ? marked : { ...marked, completedAt: now.toISOString() };
}

/**
 * The item to show next: the first not yet touched, else the first skipped one (they come back), else
 * the completion item.
 */
export function nextItem(path: readonly OnboardingItem[], doc: OnboardingDoc): OnboardingItem {
  const open = path.filter((i) => i.kind !== 'complete');
  return open.find((i) => !doc.items[i.id]) ?? open.find((i) => doc.items[i.id]?.status === 'skipped') ?? path.find((i) => i.kind === 'complete') ?? path[path.length - 1]!;
}

export function figuresOf(path: readonly OnboardingItem[], doc: OnboardingDoc): OnboardingFigures {
  const progress = path.map((i) => ({ item: i, p: doc.items[i.id] }));
  const checks = progress.filter(({ item, p }) => item.kind === 'check' && p?.answer !== undefined);
  return {
    done: progress.filter(({ p }) => p?.status === 'done').length,
    skipped: progress.filter(({ p }) => p?.status === 'skipped').length,
    total: path.length,
    answered: checks.length,
    correct: checks.filter(({ p }) => p?.correct === true).length,
  };
}
