import { isOnboardingDoc } from '../core/onboarding/onboarding-progress.js';
import type { DocumentChange, StateStore, StoredDocument } from '../core/ports/state-store.js';
import { EMPTY_STATE, type TurnState } from './turn-types.js';

/** The store keys of a turn's state. */
export interface StateKeys {
  readonly user: string;
  readonly conversation: string;
  readonly unanswered: string;
  readonly guides: string;
  readonly roster: string;
  readonly runs: string;
  readonly ref: string;
  readonly reminders?: string;
  readonly onboarding: string;
  readonly onboardingTeam: string;
  readonly reviews: string;
}

export function stateKeys(userId: string, conversationId: string, reminderBucket?: string): StateKeys {
  return {
    user: `user/${userId}`,
    conversation: `conversation/${conversationId}`,
    // Per person, so that questions asked at the same time by different people never collide.
    unanswered: `stats/unanswered/${userId}`,
    guides: `guides/${userId}`,
    roster: 'roster',
    runs: 'runs/open',
    ref: `refs/${userId}`,
    onboarding: `onboarding/${userId}`,
    onboardingTeam: 'stats/onboarding',
    reviews: 'reviews/all',
    ...(reminderBucket ? { reminders: reminderBucket } : {}),
  };
}

const PARTS = ['user', 'conversation', 'unanswered', 'guides', 'roster', 'runs', 'ref', 'reminders', 'onboarding', 'onboardingTeam', 'reviews'] as const;

export interface LoadedState {
  readonly state: TurnState;
  readonly etags: ReadonlyMap<string, string>;
}

/** One read per turn: every document the turn may need. Unknown or old schemas start fresh. */
export async function loadTurnState(store: StateStore, keys: StateKeys): Promise<LoadedState> {
  const docs = await store.read(PARTS.flatMap((p) => (keys[p] ? [keys[p]] : [])));
  const valueOf = <T extends { schema: number }>(doc: StoredDocument | undefined, fallback: T): T => {
    const value = doc?.value as T | undefined;
    return value && typeof value === 'object' && value.schema === fallback.schema ? value : fallback;
  };
  const onboarding = docs.get(keys.onboarding)?.value;
  const etags = new Map<string, string>();
  for (const [key, doc] of docs) etags.set(key, doc.etag);
  return {
    state: {
      user: valueOf(docs.get(keys.user), EMPTY_STATE.user),
      conversation: valueOf(docs.get(keys.conversation), EMPTY_STATE.conversation),
      unanswered: valueOf(docs.get(keys.unanswered), EMPTY_STATE.unanswered),
      guides: valueOf(docs.get(keys.guides), EMPTY_STATE.guides),
      roster: valueOf(docs.get(keys.roster), EMPTY_STATE.roster),
      runs: valueOf(docs.get(keys.runs), EMPTY_STATE.runs),
      ref: valueOf(docs.get(keys.ref), EMPTY_STATE.ref),
      ...(keys.reminders ? { reminders: valueOf(docs.get(keys.reminders), { schema: 1 as const, items: [] }) } : {}),
      ...(isOnboardingDoc(onboarding) ? { onboarding } : {}),
      onboardingTeam: valueOf(docs.get(keys.onboardingTeam), EMPTY_STATE.onboardingTeam),
      reviews: valueOf(docs.get(keys.reviews), EMPTY_STATE.reviews),
    },
    etags,
  };
}

/** One write per turn, of the documents that changed only; nothing when nothing changed. */
export async function saveTurnState(store: StateStore, keys: StateKeys, before: LoadedState, after: TurnState, extra: readonly DocumentChange[] = []): Promise<number> {
  const changes = PARTS.filter((part) => keys[part] !== undefined && before.state[part] !== after[part]).map((part) => ({
    key: keys[part]!,
    value: after[part],
    etag: before.etags.get(keys[part]!) ?? null,
  }));
  const all = [...changes, ...extra];
  if (all.length > 0) await store.write(all);
  return all.length;
}
