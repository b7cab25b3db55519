/**
 * The simulated staff of `npm run bench` and the activity JSON the Bot Connector would post for
 * them: Teams personal-chat messages and Universal Action (Action.Execute) invokes, shaped like the
 * ones in test/helpers/http-bot.ts. User n has the same ids in the pre-populated store and in the
 * load, so a pre-populated user is a returning user to the bot.
 */

export const BENCH_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BENCH_BOT = { id: '28:6f1b0c2e-3b7a-4c1d-9e2f-0a1b2c3d4e5f', name: 'Pandu' } as const;

const FIRST = ['Maria', 'Yohanes', 'Agustina', 'Fransiskus', 'Theresia', 'Petrus', 'Yuliana', 'Markus', 'Elisabeth', 'Paulus', 'Veronika', 'Yosef', 'Katarina', 'Stefanus', 'Margaretha', 'Andreas'];
const LAST = ['Lobo', 'Ndun', 'Bria', 'Manafe', 'Tefa', 'Fanggidae', 'Lake', 'Pello', 'Bessie', 'Riwu', 'Kana', 'Nalle', 'Dethan', 'Tallo', 'Seran', 'Djami'];

export interface BenchUser {
  readonly index: number;
  /** The Entra object id: Pandu's user id. */
  readonly aadObjectId: string;
  /** The Teams user id (29:…). */
  readonly fromId: string;
  readonly name: string;
  /** The personal chat with the bot (a:…). */
  readonly conversationId: string;
}

/** Simulated user number `index` (deterministic). */
export function benchUser(index: number): BenchUser {
  const n = String(index).padStart(12, '0');
  return {
    index,
    aadObjectId: `b0000000-0000-4000-8000-${n}`,
    fromId: `29:1bench-user-${n}`,
    name: `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`,
    conversationId: `a:1bench-conversation-${n}`,
  };
}

/** The `from` of the user's activities, key order as Teams sends it. */
export function fromOf(user: BenchUser): { id: string; name: string; aadObjectId: string } {
  return { id: user.fromId, name: user.name, aadObjectId: user.aadObjectId };
}

export function conversationOf(user: BenchUser): { conversationType: string; tenantId: string; id: string } {
  return { conversationType: 'personal', tenantId: BENCH_TENANT, id: user.conversationId };
}

/**
 * The conversation reference Pandu keeps for a user (TurnContext.getConversationReference of their
 * activity, without the activity id), so that a pre-populated user is not "changed" on the first turn.
 */
export function referenceOf(user: BenchUser, serviceUrl: string): Record<string, unknown> {
  return { user: fromOf(user), bot: { ...BENCH_BOT }, conversation: conversationOf(user), channelId: 'msteams', locale: 'id-ID', serviceUrl: withSlash(serviceUrl) };
}

let sequence = 0;

/** A fresh activity id (Teams message ids are millisecond timestamps; unique within the run). */
export function newActivityId(): string {
  sequence += 1;
  return String(1_700_000_000_000 + sequence);
}

function common(user: BenchUser, serviceUrl: string, id: string): Record<string, unknown> {
  const now = new Date();
  return {
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString().replace('Z', '+08:00'),
    channelId: 'msteams',
    serviceUrl: withSlash(serviceUrl),
    from: fromOf(user),
    conversation: conversationOf(user),
    recipient: { ...BENCH_BOT },
    locale: 'id-ID',
  };
}

/** A personal-chat message, as the Bot Connector posts it. */
export function messageActivity(user: BenchUser, serviceUrl: string, text: string, id = newActivityId()): Record<string, unknown> {
  return {
    type: 'message',
    ...common(user, serviceUrl, id),
    textFormat: 'plain',
    text,
    attachments: [],
    entities: [{ type: 'clientInfo', locale: 'id-ID', country: 'ID', platform: 'Web', timezone: 'Asia/Makassar' }],
    channelData: { tenant: { id: BENCH_TENANT } },
  };
}

/** A press of an Action.Execute button: an adaptiveCard/action invoke carrying the button's verb and data. */
export function executeActivity(user: BenchUser, serviceUrl: string, verb: string, data: Record<string, unknown>, id = newActivityId()): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...common(user, serviceUrl, `f:${id}`),
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    entities: [{ type: 'clientInfo', locale: 'id-ID', country: 'ID', platform: 'Web', timezone: 'Asia/Makassar' }],
    channelData: { tenant: { id: BENCH_TENANT }, source: { name: 'message' } },
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
