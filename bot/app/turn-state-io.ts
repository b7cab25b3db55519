import type { StateStore, StoredDocument } from '../core/ports/state-store.js';
import { EMPTY_STATE, type TurnState } from './turn-types.js';

/** The store keys of a turn's state. */
export interface StateKeys {
  readonly user: string;
  readonly conversation: string;
  readonly unanswered: string;
  readonly guides: string;
}

export function stateKeys(userId: string, conversationId: string): StateKeys {
  return { user: `user/${userId}`, conversation: `conversation/${conversationId}`, unanswered: 'stats/unanswered', guides: `guides/${userId}` };
}

export interface LoadedState {
  readonly state: TurnState;
  readonly etags: ReadonlyMap<string, string>;
}

/** One read per turn: every document the turn may need. Unknown or old schemas start fresh. */
export async function loadTurnState(store: StateStore, keys: StateKeys): Promise<LoadedState> {
  const docs = await store.read([keys.user, keys.conversation, keys.unanswered, keys.guides]);
  const valueOf = <T extends { schema: number }>(doc: StoredDocument | undefined, fallback: T): T => {
    const value = doc?.value as T | undefined;
    return value && typeof value === 'object' && value.schema === fallback.schema ? value : fallback;
  };
  const etags = new Map<string, string>();
  for (const [key, doc] of docs) etags.set(key, doc.etag);
  return {
    state: {
      user: valueOf(docs.get(keys.user), EMPTY_STATE.user),
      conversation: valueOf(docs.get(keys.conversation), EMPTY_STATE.conversation),
      unanswered: valueOf(docs.get(keys.unanswered), EMPTY_STATE.unanswered),
      guides: valueOf(docs.get(keys.guides), EMPTY_STATE.guides),
    },
    etags,
  };
}

/** One write per turn, of the documents that changed only; nothing when nothing changed. */
export async function saveTurnState(store: StateStore, keys: StateKeys, before: LoadedState, after: TurnState): Promise<number> {
  const changes = (['user', 'conversation', 'unanswered', 'guides'] as const)
    .filter((part) => before.state[part] !== after[part])
    .map((part) => ({ key: keys[part], value: after[part], etag: before.etags.get(keys[part]) ?? null }));
  if (changes.length > 0) await store.write(changes);
  return changes.length;
}
