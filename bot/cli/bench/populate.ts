/**
 * Pre-populates a data folder's lowdb store with the state `users` returning staff leave behind, for
 * the store-scale case of `npm run bench`. Each user's documents are made by Pandu's own turn logic
 * (handleTurn), as the bot would have made them: the app installed (welcome), "unit saya <unit>"
 * (a roster entry with a unit), "pandu <cfm>" (an open walkthrough), plus the conversation reference
 * kept for proactive messages. The roster, shared by everyone, holds every user. A fixed number of
 * open runs ("mulai pelaksanaan <cfm> untuk …", started by the first users) is the same for every
 * store size, so that only the number of users differs between the cases.
 *
 * Only the parts a turn changed are stored (as saveTurnState does), written through openLowdbStore,
 * so the file is exactly what Pandu writes and reads.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { handleTurn, type AppContext } from '../../app/handle-turn.js';
import { EMPTY_STATE, type TurnState } from '../../app/turn-types.js';
import type { Catalogue } from '../../core/catalogue/types.js';
import type { WorkCalendar } from '../../core/calendar/working-days.js';
import type { LookupIndex } from '../../core/lookup/build-index.js';
import type { Person, RosterDoc } from '../../core/roster/roster.js';
import type { Run } from '../../core/runs/run.js';
import type { DocumentChange } from '../../core/ports/state-store.js';
import { DEFAULT_STORE_FILE, openLowdbStore } from '../../store/lowdb-store.js';
import { benchUser, referenceOf } from './activities.js';

export interface PopulateOptions {
  readonly dir: string;
  readonly users: number;
  /** The stand-in connector's URL (the users' conversation references point at it). */
  readonly serviceUrl: string;
  readonly catalogue: Catalogue;
  readonly index: LookupIndex;
  readonly calendar: WorkCalendar;
  readonly defaultSlaDays: number;
  /** Open runs in runs/open (default 30). */
  readonly openRuns?: number;
}

export interface PopulateReport {
  readonly users: number;
  readonly documents: number;
  readonly fileBytes: number;
  readonly ms: number;
}

const PARTS = ['user', 'conversation', 'guides', 'ref'] as const;
const KEY_OF: Record<(typeof PARTS)[number], (userId: string, conversationId: string) => string> = {
  user: (id) => `user/${id}`,
  conversation: (_id, conversationId) => `conversation/${conversationId}`,
  guides: (id) => `guides/${id}`,
  ref: (id) => `refs/${id}`,
};

export async function populateStore(opts: PopulateOptions): Promise<PopulateReport> {
  const t0 = process.hrtime.bigint();
  const { catalogue } = opts;
  const units = catalogue.units.filter((u) => u.kind === 'internal' && u.type !== 'peran');
  const cfms = catalogue.cfms;
  const now = new Date();
  const changes: DocumentChange[] = [];
  const people: Record<string, Person> = {};
  let runs: readonly Run[] = [];
  const openRuns = opts.openRuns ?? 30;
  let ids = 0;

  for (let i = 0; i < opts.users; i++) {
    const user = benchUser(i);
    const ctx: AppContext = {
      catalogue,
      index: opts.index,
      now,
      keepUnansweredText: false,
      user: { id: user.aadObjectId, name: user.name, isAdmin: false },
      conversation: { id: user.conversationId, type: 'personal' },
      reference: referenceOf(user, opts.serviceUrl),
      calendar: opts.calendar,
      runPolicy: { defaultSlaDays: opts.defaultSlaDays },
      newId: () => `bench${String(++ids).padStart(7, '0')}`,
    };
    let state: TurnState = EMPTY_STATE;
    const turn = (input: Parameters<typeof handleTurn>[1]): void => {
      state = handleTurn(ctx, input, state).state;
    };
    turn({ kind: 'installed', locale: 'id-ID' });
    turn({ kind: 'message', text: `unit saya ${units[i % units.length]!.id}`, locale: 'id-ID' });
    turn({ kind: 'message', text: `pandu ${cfms[i % cfms.length]!.code}`, locale: 'id-ID' });
    if (i < openRuns) {
      state = { ...state, runs: { schema: 1, runs } };
      turn({ kind: 'message', text: `mulai pelaksanaan ${cfms[(i * 7) % cfms.length]!.code} untuk Kasus uji ${i + 1}`, locale: 'id-ID' });
      runs = state.runs.runs;
    }
    for (const part of PARTS) {
      if (state[part] !== EMPTY_STATE[part]) changes.push({ key: KEY_OF[part](user.aadObjectId, user.conversationId), value: state[part] });
    }
    const person = state.roster.people[user.aadObjectId];
    if (person) people[user.aadObjectId] = person;
  }
  const roster: RosterDoc = { schema: 1, people, channels: {} };
  changes.push({ key: 'roster', value: roster }, { key: 'runs/open', value: { schema: 1, runs } });

  const store = await openLowdbStore(opts.dir);
  try {
    await store.write(changes);
  } finally {
    await store.close();
  }
  const { size } = await stat(path.join(opts.dir, DEFAULT_STORE_FILE));
  return { users: opts.users, documents: changes.length, fileBytes: size, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}
