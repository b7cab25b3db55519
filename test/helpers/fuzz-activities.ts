/**
 * Generated activities for the fuzz suite (test/fuzz/): random and mutated real Teams activities,
 * all from a seeded PRNG so that a failure reproduces from its seed and case number.
 *
 * Nothing generated here points anywhere but the given serviceUrl (the in-process fake connector)
 * or at no host at all: the fuzz never makes the bot talk to the network.
 */
import { randomInt } from 'node:crypto';
import dns from 'node:dns';
import { deflateSync, gzipSync, brotliCompressSync } from 'node:zlib';
import { words } from '../../bot/core/lookup/tokens.js';
import { VERBS } from '../../bot/core/views/verbs.js';

// ---------------------------------------------------------------------------------------------
// The PRNG

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]!, chance: (p) => next() < p };
}

/** The seed in the environment variable `name` (to reproduce a failure), else a fresh random one. */
export function seedFromEnv(name: string): number {
  const value = process.env[name];
  if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim()) >>> 0;
  return randomInt(0, 2 ** 31);
}

// ---------------------------------------------------------------------------------------------
// Cases

/** One request to POST to /api/messages. */
export interface FuzzCase {
  /** What kind of input this is, for the report (and for known-bug classes). */
  readonly category: string;
  /** JSON to send (ignored when rawBody is set). */
  readonly body?: unknown;
  /** Sent as is. */
  readonly rawBody?: string | Uint8Array;
  /** Content-Encoding header; with `body`, gzip/deflate/br compress it. */
  readonly encoding?: string;
  /** Content-Type; default application/json; null sends none. */
  readonly contentType?: string | null;
}

export interface FuzzContext {
  /** The fake connector's URL, with or without a trailing slash. */
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId: string;
}

/** Real things people type, the commands included (the run command rarely: runs pile up). */
const TEXTS = [
  'siapa yang menangani izin PUB?',
  'pandu 03.1.a',
  'lanjutkan',
  'tugas saya',
  'pelaksanaan saya',
  'halo',
  'bantuan',
  'daftar proses',
  'english',
  'bahasa indonesia',
  'siapa saya',
  'unit saya Sekretariat',
  'kelola peran',
  'hubungkan kanal ini ke Sekretariat',
  'mulai pelaksanaan',
  'mulai pelaksanaan 99.9 untuk X',
  'belum terjangkau',
  'walkthrough saya',
  'rehabilitasi sosial lansia terlantar',
  'who handles PUB permits?',
  'sapa yg urus ijin pub',
  'bantuan sosial korban bencana',
  'tugas unit saya',
  'pandu',
  '?',
];

const ODD = ['\u202E', '\u202D', '\u200F', '\u200B', '\u200C', '\u200D', '\uFEFF', '\u0000', '\uD800', '\uDFFF', '\uD83D', '\u0301\u0301\u0301', '\u{1F600}', '\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}', 'ﷺ', '𒐫', '\u0010', '\u001B[31m', '\r\n', '\t', '\\', '"', '<at>Pandu</at>', '<script>alert(1)</script>', '{{title}}', '${verb}', '%s%n', '\u2028', '\u2029', 'İ', 'ß', 'ǅ'];

const INVOKE_NAMES = ['adaptiveCard/actionX', 'adaptiveCard/Action', 'composeExtension/unknown', 'task/fetch', 'task/submit', 'signin/verifyState', 'signin/tokenExchange', 'fileConsent/invoke', 'actionableMessage/executeAction', 'composeExtension/queryLink', 'composeExtension/fetchTask', 'composeExtension/selectItem', 'config/fetch', 'tab/fetch', 'message/submitAction', 'handoff/action', 'healthCheck', 'pandu/noSuch', '', ' ', '../../admin', 'a'.repeat(300)];

const OTHER_TYPES = ['conversationUpdate', 'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'event', 'typing', 'endOfConversation', 'contactRelationUpdate', 'deleteUserData', 'suggestion', 'trace', 'handoff', 'command', 'commandResult'];

const WRONG_TYPES: unknown[] = [123, null, true, [], {}, '', ' ', 'MESSAGE', 'Message', 'message ', 'invoke ', 'fooBar', 'x'.repeat(1000), ['message'], { type: 'message' }];

const CFMS = ['03.1.a', '06.1.a', '01.1.a', '12.1.a', '99.9.z', '03.1', '03'];
const STEPS = ['ajukan-permohonan', 'verifikasi', 'disposisi', 'cek-wilayah', 'pengawasan', 'tidak-ada'];

/** A weighted table of generators. */
const GENERATORS: readonly { readonly weight: number; readonly category: string; readonly make: (rng: Rng, ctx: FuzzContext) => Omit<FuzzCase, 'category'> }[] = [
  { weight: 6, category: 'real-message', make: (rng, ctx) => ({ body: message(rng, ctx, rng.pick(TEXTS)) }) },
  { weight: 6, category: 'mutated-real', make: (rng, ctx) => ({ body: mutate(rng, ctx, realActivity(rng, ctx)) }) },
  { weight: 8, category: 'wrong-type', make: (rng, ctx) => ({ body: { ...message(rng, ctx, rng.pick(TEXTS)), type: rng.pick(WRONG_TYPES) } }) },
  { weight: 4, category: 'other-activity', make: (rng, ctx) => ({ body: otherActivity(rng, ctx) }) },
  { weight: 3, category: 'huge-string', make: (rng, ctx) => ({ body: huge(rng, ctx) }) },
  { weight: 4, category: 'deep-json', make: (rng, ctx) => deep(rng, ctx) },
  { weight: 6, category: 'odd-unicode', make: (rng, ctx) => ({ body: message(rng, ctx, oddText(rng)) }) },
  { weight: 8, category: 'missing-ids', make: (rng, ctx) => ({ body: missingIds(rng, ctx, realActivity(rng, ctx)) }) },
  { weight: 11, category: 'forged-button', make: (rng, ctx) => ({ body: { ...message(rng, ctx, rng.chance(0.8) ? undefined : rng.pick(['', ' ', 'x'])), value: forgedData(rng) } }) },
  { weight: 11, category: 'forged-invoke', make: (rng, ctx) => ({ body: invoke(rng, ctx, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: rng.chance(0.9) ? rng.pick(VERBS) : garbage(rng), data: forgedData(rng) }, trigger: 'manual' }) }) },
  { weight: 4, category: 'stale-verb', make: (rng, ctx) => ({ body: staleVerb(rng, ctx) }) },
  { weight: 5, category: 'unknown-invoke', make: (rng, ctx) => ({ body: invoke(rng, ctx, rng.chance(0.8) ? rng.pick(INVOKE_NAMES) : garbage(rng), rng.chance(0.5) ? forgedData(rng) : garbage(rng)) }) },
  { weight: 6, category: 'wrong-shape-execute', make: (rng, ctx) => ({ body: invoke(rng, ctx, 'adaptiveCard/action', wrongShape(rng)) }) },
  { weight: 3, category: 'search-invoke', make: (rng, ctx) => ({ body: invoke(rng, ctx, 'composeExtension/query', searchValue(rng)) }) },
  { weight: 5, category: 'compressed', make: (rng, ctx) => compressed(rng, ctx) },
  { weight: 5, category: 'raw-garbage', make: (rng, ctx) => rawGarbage(rng, ctx) },
  { weight: 3, category: 'prototype-keys', make: (rng, ctx) => ({ rawBody: protoKeys(rng, ctx) }) },
];
const TOTAL_WEIGHT = GENERATORS.reduce((sum, g) => sum + g.weight, 0);

/** The next case from `rng` (call it in order: case n depends on the n-1 before it). */
export function fuzzCase(rng: Rng, ctx: FuzzContext): FuzzCase {
  let roll = rng.int(TOTAL_WEIGHT);
  for (const generator of GENERATORS) {
    roll -= generator.weight;
    if (roll < 0) return { category: generator.category, ...generator.make(rng, ctx) };
  }
  throw new Error('unreachable');
}

/** Every category fuzzCase produces. */
export const FUZZ_CATEGORIES: readonly string[] = GENERATORS.map((g) => g.category);

// ---------------------------------------------------------------------------------------------
// Known product bugs (see test/fuzz/activities.fuzz.test.ts): inputs of these classes are left out of
// the main run (so that it guards everything else) and sent by skipped tests that show the bug.

export type KnownBug = 'deep-identity' | 'long-word' | 'non-string-field' | 'invoke-value-shape' | 'no-service-url';

export const KNOWN_BUGS: Readonly<Record<KnownBug, string>> = {
  'deep-identity': 'from/recipient/conversation nested ~10,000+ levels: RangeError in referenceOf(); an invoke gets 500',
  'long-word': 'a message (or search) with one "word" of 1,000+ letters: typo correction (fuse.js) is quadratic and blocks the event loop (50 K letters ≈ 2 s, 200 K ≈ 20 s)',
  'non-string-field': 'locale, serviceUrl or an invoke name that is not a string, or an invoke whose user id is not a string: HTTP 500 (some with the internal error message as body)',
  'invoke-value-shape': 'adaptiveCard/action without an action object, composeExtension/query without an object value or with non-array/null parameters, fileConsent/invoke without a value: HTTP 500',
  'no-service-url': 'no (or an empty) serviceUrl: the SDK sends the reply to https://api.botframework.com (a DNS lookup and ~11 s of retries) instead of refusing the activity',
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The known product bug a case triggers, if any (undefined: the bot must handle it cleanly). */
export function knownBugOf(c: FuzzCase): KnownBug | undefined {
  if (c.category === 'deep-identity') return 'deep-identity';
  const body = c.body;
  // Raw and compressed bodies are built from plain real activities.
  if (!isObject(body) || Array.isArray(body)) return undefined;
  const from = isObject(body['from']) ? body['from'] : {};
  const userId = from['aadObjectId'] ?? from['id'];
  const value = body['value'];
  if (body['locale'] != null && typeof body['locale'] !== 'string') return 'non-string-field';
  if (body['serviceUrl'] != null && typeof body['serviceUrl'] !== 'string') return 'non-string-field';
  if (body['type'] === 'invoke') {
    if (body['name'] != null && typeof body['name'] !== 'string' && !Array.isArray(body['name'])) return 'non-string-field';
    if (userId != null && typeof userId !== 'string') return 'non-string-field';
    if (body['name'] === 'adaptiveCard/action' && value && (value as { action?: unknown }).action == null) return 'invoke-value-shape';
    if (body['name'] === 'composeExtension/query') {
      const parameters = isObject(value) ? value['parameters'] : undefined;
      if (value == null || (parameters != null && !Array.isArray(parameters)) || (Array.isArray(parameters) && parameters.some((p) => p == null))) return 'invoke-value-shape';
    }
    if (body['name'] === 'fileConsent/invoke' && value == null) return 'invoke-value-shape';
  }
  const texts = [body['text'], ...(body['name'] === 'composeExtension/query' && isObject(value) && Array.isArray(value['parameters']) ? value['parameters'].map((p) => (isObject(p) ? p['value'] : undefined)) : [])];
  if (texts.some((text) => typeof text === 'string' && words(text).some((w) => w.length >= 1000))) return 'long-word';
  if (!body['serviceUrl']) return 'no-service-url';
  return undefined;
}

/**
 * Keeps the test process off the network: every DNS lookup of a host other than 127.0.0.1, ::1 or
 * localhost fails at once (ENOTFOUND) and is recorded. Node's http/https (and so the Bot Framework
 * SDK's clients) resolve through dns.lookup. Call restore() when done.
 */
export function guardDns(): { readonly lookups: string[]; restore(): void } {
  const original = dns.lookup;
  const lookups: string[] = [];
  const guarded = (hostname: string, options: unknown, callback?: unknown): void => {
    const cb = (typeof options === 'function' ? options : callback) as (error: NodeJS.ErrnoException | null, address?: string, family?: number) => void;
    const opts = typeof options === 'function' ? {} : options;
    if (['127.0.0.1', '::1', 'localhost'].includes(hostname)) {
      (original as (h: string, o: unknown, c: unknown) => void)(hostname, opts, cb);
      return;
    }
    lookups.push(hostname);
    const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname} (the tests stay offline)`);
    error.code = 'ENOTFOUND';
    process.nextTick(() => cb(error));
  };
  (dns as { lookup: unknown }).lookup = guarded;
  return {
    lookups,
    restore: () => {
      (dns as { lookup: unknown }).lookup = original;
    },
  };
}


/**
 * A real activity whose from/recipient/conversation nests `depth` objects deep (PRODUCT BUG: from
 * about 10,000 levels the conversation reference overflows the stack in JSON.stringify).
 */
export function deepIdentityCase(rng: Rng, ctx: FuzzContext, depth: number): FuzzCase {
  const base = rng.chance(0.5) ? message(rng, ctx, rng.pick(TEXTS)) : invoke(rng, ctx, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'guide.start', data: { cfm: '03.1.a' } } });
  const field = rng.pick(['from', 'recipient', 'conversation'] as const);
  const json = JSON.stringify(base);
  const nest = `{"properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},`;
  return { category: 'deep-identity', rawBody: json.replace(`"${field}":{`, `"${field}":${nest}`) };
}

// ---------------------------------------------------------------------------------------------
// Builders

let activitySeq = 0;

const USERS = Array.from({ length: 24 }, (_, i) => ({ id: `29:1fuzz-user-${i}`, name: `Fuzz ${i}`, aadObjectId: `5d2a1b3c-0000-4000-8000-${String(i).padStart(12, '0')}` }));

function message(rng: Rng, ctx: FuzzContext, text: string | undefined): Record<string, unknown> {
  activitySeq += 1;
  const user = rng.pick(USERS);
  const conversationType = rng.pick(['personal', 'personal', 'personal', 'channel', 'groupChat']);
  const activity: Record<string, unknown> = {
    type: 'message',
    id: `f${activitySeq}-${rng.int(1e9)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: ctx.serviceUrl.endsWith('/') ? ctx.serviceUrl : `${ctx.serviceUrl}/`,
    from: user,
    conversation: { id: `a:1fuzz-conv-${rng.int(120)}`, conversationType, tenantId: ctx.tenantId, ...(conversationType === 'personal' ? {} : { isGroup: true }) },
    recipient: { id: ctx.botId, name: 'Pandu' },
    textFormat: 'plain',
    locale: rng.pick(['id-ID', 'id-ID', 'en-US', 'en-GB', '', 'xx', 'id']),
    entities: [{ type: 'clientInfo', locale: 'id-ID', country: 'ID', platform: 'Web', timezone: 'Asia/Makassar' }],
    channelData: { tenant: { id: ctx.tenantId } },
  };
  if (text !== undefined) activity['text'] = text;
  return activity;
}

function invoke(rng: Rng, ctx: FuzzContext, name: unknown, value: unknown): Record<string, unknown> {
  const activity = message(rng, ctx, undefined);
  return { ...activity, type: 'invoke', name, value };
}

function realActivity(rng: Rng, ctx: FuzzContext): Record<string, unknown> {
  switch (rng.int(4)) {
    case 0:
      return message(rng, ctx, rng.pick(TEXTS));
    case 1:
      return { ...message(rng, ctx, undefined), value: { verb: 'lookup.show', kind: 'cfm', code: rng.pick(CFMS) } };
    case 2:
      return invoke(rng, ctx, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'guide.start', data: { verb: 'guide.start', cfm: '03.1.a' } }, trigger: 'manual' });
    default:
      return invoke(rng, ctx, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'guide.next', data: { verb: 'guide.next', cfm: '03.1.a', step: rng.pick(STEPS), rev: String(rng.int(6)) } }, trigger: 'manual' });
  }
}

/** Any JSON value, mostly small; sometimes a long string, an array or an object. */
function garbage(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 10 : 14)) {
    case 0:
      return '';
    case 1:
      return rng.int(2) ? -1 : 1e21;
    case 2:
      return rng.next() * 1000;
    case 3:
      return null;
    case 4:
      return rng.chance(0.5);
    case 5:
      return rng.pick(['NaN', 'Infinity', '-0', '1e9', '0x10', '00', ' 1', '1 ', '٣']);
    case 6:
      return rng.pick(['__proto__', 'constructor', 'prototype', '../../etc/passwd', 'C:\\Windows', '%00', '{"$ne":1}', '03.1.a ', '03.1.A', '03..1']);
    case 7:
      return oddText(rng).slice(0, 60);
    case 8:
      return 'x'.repeat(rng.pick([41, 101, 201, 4096, 40_000]));
    case 9:
      return randomWord(rng);
    case 10:
      return Array.from({ length: rng.int(4) }, () => garbage(rng, depth + 1));
    case 11:
      return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [randomWord(rng), garbage(rng, depth + 1)]));
    case 12:
      return rng.int(1_000_000);
    default:
      return rng.pick(CFMS);
  }
}

function randomWord(rng: Rng): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789.-_';
  return Array.from({ length: 1 + rng.int(12) }, () => letters[rng.int(letters.length)]).join('');
}

function oddText(rng: Rng): string {
  const parts: string[] = [];
  const n = 1 + rng.int(12);
  for (let i = 0; i < n; i++) parts.push(rng.chance(0.5) ? rng.pick(ODD) : rng.pick(TEXTS).slice(0, 1 + rng.int(30)));
  return parts.join(rng.pick(['', ' ', '\u200B', '\u00A0']));
}

/** Button data: a verb from the table (sometimes not), ids that are garbage or plausible, numbers as strings and back. */
function forgedData(rng: Rng): Record<string, unknown> {
  const verb = rng.chance(0.9) ? rng.pick(VERBS) : garbage(rng);
  const plausible = (values: readonly unknown[]): unknown => (rng.chance(0.5) ? rng.pick(values) : garbage(rng));
  const data: Record<string, unknown> = { verb };
  const fields: Record<string, () => unknown> = {
    // A real CFM for a diagram renders a PNG (slow): keep that rare.
    cfm: () => (verb === 'guide.diagram' && rng.chance(0.9) ? garbage(rng) : plausible(CFMS)),
    step: () => plausible(STEPS),
    rev: () => plausible(['0', '1', 2, '999999', '1.5', -1, '01']),
    branch: () => plausible(['0', '1', 1, '7']),
    code: () => plausible(CFMS),
    kind: () => plausible(['process', 'subprocess', 'cfm', 'unit', 'Unit']),
    lang: () => plausible(['id', 'en', 'EN', 'fr']),
    run: () => plausible(['abc123', 'r1']),
    person: () => plausible(['5d2a1b3c-0000-4000-8000-000000000001', '29:1fuzz-user-1']),
    unit: () => plausible(['kadis', 'sekretariat', 'bidang-dayasos', '__proto__']),
    role: () => plausible(['staf', 'kadis', 'kepala-unit', 'admin']),
    actingFrom: () => plausible(['2026-12-01', '2026-13-45', '']),
    actingTo: () => plausible(['2026-12-31', '1999-01-01']),
    date: () => plausible(['2031-06-02', '2020-01-01', '9999-99-99', '2031-02-30']),
    time: () => plausible(['09:00', '25:61', '9:00', '00:00']),
    note: () => plausible(['cek berkas', 'x'.repeat(201), '']),
  };
  for (const [name, make] of Object.entries(fields)) if (rng.chance(0.45)) data[name] = make();
  return data;
}

function staleVerb(rng: Rng, ctx: FuzzContext): Record<string, unknown> {
  const verb = rng.pick(['guide.next', 'guide.back', 'guide.branch', 'guide.stop', 'run.done', 'run.snooze', 'run.open']);
  const data = verb.startsWith('run.') ? { verb, run: randomWord(rng), step: rng.pick(STEPS), rev: String(rng.int(5)) } : { verb, cfm: rng.pick(['03.1.a', '06.1.a']), step: rng.pick(STEPS), rev: String(rng.int(50)), ...(verb === 'guide.branch' ? { branch: String(rng.int(3)) } : {}) };
  return rng.chance(0.5) ? invoke(rng, ctx, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }) : { ...message(rng, ctx, undefined), value: data };
}

function wrongShape(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => undefined,
    () => null,
    () => 'Action.Execute',
    () => 42,
    () => [],
    () => ({}),
    () => ({ action: null }),
    () => ({ action: 'guide.next' }),
    () => ({ action: [] }),
    () => ({ action: { verb: 123 } }),
    () => ({ action: { type: 'Action.Execute', verb: 'guide.next', data: 'cfm=03.1.a' } }),
    () => ({ action: { type: 'Action.Execute', verb: 'guide.next', data: [1, 2, 3] } }),
    () => ({ action: { type: 'Action.Submit', verb: 'help', data: { verb: 'help' } } }),
    () => ({ action: { verb: null, data: { verb: 'help' } } }),
    () => ({ action: { verb: 'help', data: null } }),
    () => ({ action: { type: 'Action.Execute', verb: ['guide.start'], data: { cfm: ['03.1.a'] } } }),
    () => ({ action: { type: 'Action.Execute', verb: 'guide.start', data: { cfm: { toString: '03.1.a' } } } }),
    () => ({ trigger: 'automatic' }),
    () => ({ action: { type: 'Action.Execute', verb: 'remind.set', data: { date: 20310602, time: 900, note: ['a'] } } }),
  ])();
}

function searchValue(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => ({ commandId: 'searchQuery', parameters: [{ name: 'searchQuery', value: rng.pick(TEXTS) }], queryOptions: { skip: 0, count: 25 } }),
    () => ({ commandId: 'searchQuery', parameters: [{ name: 'initialRun', value: 'true' }] }),
    () => ({ parameters: [{ name: 'searchQuery', value: garbage(rng) }] }),
    () => ({ parameters: [{ name: garbage(rng), value: oddText(rng) }] }),
    () => ({ parameters: [] }),
    () => ({ parameters: [null] }),
    () => ({}),
    () => ({ parameters: 'query=pub' }),
    () => null,
    () => 'searchQuery',
  ])();
}

function otherActivity(rng: Rng, ctx: FuzzContext): Record<string, unknown> {
  const base = message(rng, ctx, undefined);
  const type = rng.pick(OTHER_TYPES);
  const extra: Record<string, unknown> = {};
  if (type === 'conversationUpdate') extra['membersAdded'] = rng.pick<unknown>([[{ id: ctx.botId }], [{ id: '29:someone' }], [], null, 'x', [null], [{ id: 123 }]]);
  if (type === 'conversationUpdate' && rng.chance(0.3)) extra['membersRemoved'] = rng.pick<unknown>([[{ id: ctx.botId }], 'x', [null]]);
  if (type === 'installationUpdate') extra['action'] = rng.pick<unknown>(['add', 'remove', 'add-upgrade', 'x', null, 1]);
  if (type === 'messageReaction') extra['reactionsAdded'] = rng.pick<unknown>([[{ type: 'like' }], 'x', [null]]);
  if (type === 'event') extra['name'] = rng.pick<unknown>(['application/vnd.microsoft.meetingStart', 'x', null]);
  if (rng.chance(0.3)) extra['value'] = garbage(rng);
  return { ...base, type, ...extra };
}

function huge(rng: Rng, ctx: FuzzContext): Record<string, unknown> {
  // Sizes up to ~200 KB fit the 256 KB body limit; ~5% go over it (a 413).
  const size = rng.chance(0.05) ? 260_000 + rng.int(200_000) : rng.chance(0.15) ? 100_000 + rng.int(100_000) : 1_000 + rng.int(20_000);
  const unit = rng.pick(['a', 'izin PUB ', 'ü', '\u200B', 'ک', 'x y ']);
  const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const activity = message(rng, ctx, 'halo');
  // Lookups of long texts are slow: the long string is the message text only in a quarter of the cases.
  switch (rng.int(8)) {
    case 0:
    case 1:
      return { ...activity, text };
    case 2:
      return { ...activity, name: text };
    case 3:
      return { ...activity, channelData: { tenant: { id: ctx.tenantId }, padding: text } };
    case 4:
      return { ...activity, text: undefined, value: { verb: 'remind.set', date: '2031-06-02', time: '09:00', note: text } };
    case 5:
      // A long display name (the roster keeps names, and every turn copies the roster: a 200 KB name
      // would only make every later turn slower, which is not what this run looks for).
      return { ...activity, from: { ...(activity['from'] as object), name: text.slice(0, 1_000 + rng.int(3_000)) } };
    case 6:
      return { ...activity, locale: text };
    default:
      return { ...activity, entities: [{ type: 'mention', text, mentioned: { id: ctx.botId } }] };
  }
}

/**
 * Nesting of 1,000 to 3,000 levels somewhere in the activity (not in from/recipient/conversation:
 * see deepIdentityCase), written as text: building and stringifying such objects is slow.
 */
function deep(rng: Rng, ctx: FuzzContext): Omit<FuzzCase, 'category'> {
  const depth = 1_000 + rng.int(2_001);
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (rng.chance(0.5)) {
      open += '[';
      close = `]${close}`;
    } else {
      open += '{"a":';
      close = `}${close}`;
    }
  }
  const nested = `${open}${rng.chance(0.5) ? '"bottom"' : '{"verb":"help"}'}${close}`;
  const PLACEHOLDER = '"__deep__"';
  const activity = rng.chance(0.5) ? message(rng, ctx, rng.chance(0.5) ? undefined : 'halo') : invoke(rng, ctx, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'help', data: { verb: 'help', deep: '__deep__' } } });
  switch (rng.int(5)) {
    case 0:
      // (An invoke's value must hold an action object: see the 'invoke-value-shape' known bug.)
      if (activity['type'] === 'invoke') activity['value'] = { action: { type: 'Action.Execute', verb: 'help', data: '__deep__' } };
      else activity['value'] = '__deep__';
      break;
    case 1:
      activity['channelData'] = { tenant: { id: ctx.tenantId }, deep: '__deep__' };
      break;
    case 2:
      activity['entities'] = ['__deep__'];
      break;
    case 3:
      activity['attachments'] = [{ contentType: 'application/json', content: '__deep__' }];
      break;
    default:
      break;
  }
  return { rawBody: JSON.stringify(activity).split(PLACEHOLDER).join(nested) };
}

function missingIds(rng: Rng, ctx: FuzzContext, activity: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...activity };
  const replacement = (): unknown => rng.pick<unknown>([undefined, null, '', 0, [], {}, 'x', { id: null }, { id: 123 }, { id: '' }]);
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const field = rng.pick(['from', 'conversation', 'recipient', 'serviceUrl', 'id', 'channelId', 'from.id', 'from.aadObjectId', 'conversation.id', 'conversation.conversationType', 'recipient.id', 'locale', 'timestamp']);
    if (field === 'serviceUrl') {
      // Never a real host: missing, empty, or not a URL at all.
      copy['serviceUrl'] = rng.pick<unknown>([undefined, null, '', 'not a url', 'ftp:/x', 123, [], 'http://', '/relative/']);
      continue;
    }
    const [top, sub] = field.split('.') as [string, string | undefined];
    if (sub === undefined) copy[top] = replacement();
    else copy[top] = { ...(typeof copy[top] === 'object' && copy[top] !== null ? (copy[top] as object) : {}), [sub]: replacement() };
  }
  if (rng.chance(0.2)) copy['channelId'] = rng.pick(['emulator', 'webchat', 'directline', 'slack', '']);
  return copy;
}

/** A small mutation of a real activity: odd text, a field of the wrong type, an extra field. */
function mutate(rng: Rng, ctx: FuzzContext, activity: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...activity };
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    switch (rng.int(9)) {
      case 0:
        copy['text'] = `${rng.pick(ODD)}${String(copy['text'] ?? rng.pick(TEXTS))}${rng.pick(ODD)}`;
        break;
      case 1:
        copy['text'] = garbage(rng);
        break;
      case 2:
        copy['value'] = garbage(rng);
        break;
      case 3:
        copy['entities'] = rng.pick<unknown>([null, 'x', [{ type: 'mention', text: '<at>Pandu</at>', mentioned: { id: ctx.botId } }], [{ type: 'mention' }], [null]]);
        break;
      case 4:
        copy['locale'] = garbage(rng);
        break;
      case 5:
        copy['channelData'] = rng.pick<unknown>([null, 'x', {}, { tenant: null }, { tenant: { id: 123 } }, { team: { id: 'x' }, channel: { id: 'y' } }, { tenant: { id: ctx.tenantId }, eventType: 'teamRenamed' }]);
        break;
      case 6:
        copy['attachments'] = rng.pick<unknown>([null, 'x', [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }], [{ contentType: 'text/html', content: '<b>x</b>' }], [null]]);
        break;
      case 7:
        copy['replyToId'] = garbage(rng);
        break;
      default:
        copy['textFormat'] = garbage(rng);
        break;
    }
  }
  return copy;
}

function compressed(rng: Rng, ctx: FuzzContext): Omit<FuzzCase, 'category'> {
  const activity = realActivity(rng, ctx);
  const json = Buffer.from(JSON.stringify(activity), 'utf8');
  switch (rng.int(8)) {
    case 0:
      return { body: activity, encoding: 'gzip' };
    case 1:
      return { body: activity, encoding: 'deflate' };
    case 2:
      return { body: activity, encoding: 'br' };
    case 3: {
      const bytes = gzipSync(json);
      const at = 10 + rng.int(Math.max(1, bytes.length - 12));
      bytes[at] = (bytes[at] ?? 0) ^ 0xff; // corrupted
      return { rawBody: bytes, encoding: 'gzip' };
    }
    case 4:
      return { rawBody: json, encoding: rng.pick(['gzip', 'deflate', 'br']) }; // declared, not compressed
    case 5:
      return { rawBody: gzipSync(gzipSync(json)), encoding: 'gzip' }; // compressed twice
    case 6:
      // A small bomb: 2-8 MB of one byte, a few KB on the wire.
      return { rawBody: bomb(rng.pick([2, 4, 8]), rng.pick([0x20, 0x7b, 0x5b])), encoding: rng.pick(['gzip', 'GZIP', ' gzip']) };
    default:
      return { rawBody: rng.chance(0.5) ? deflateSync(json) : brotliCompressSync(json), encoding: rng.pick(['compress', 'gzip, deflate', 'zstd', 'identity', 'x-gzip']) };
  }
}

const bombs = new Map<string, Buffer>();

/** `mb` megabytes of one byte, gzipped (a few KB); made once per kind, it takes a while. */
function bomb(mb: number, byte: number): Buffer {
  const key = `${mb}:${byte}`;
  let bytes = bombs.get(key);
  if (!bytes) {
    bytes = gzipSync(Buffer.alloc(mb * 1024 * 1024, byte), { level: 1 });
    bombs.set(key, bytes);
  }
  return bytes;
}

function rawGarbage(rng: Rng, ctx: FuzzContext): Omit<FuzzCase, 'category'> {
  const valid = JSON.stringify(message(rng, ctx, rng.pick(TEXTS)));
  return rng.pick<() => Omit<FuzzCase, 'category'>>([
    () => ({ rawBody: '' }),
    () => ({ rawBody: 'null' }),
    () => ({ rawBody: '[]' }),
    () => ({ rawBody: '"message"' }),
    () => ({ rawBody: '123' }),
    () => ({ rawBody: '{' }),
    () => ({ rawBody: valid.slice(0, rng.int(valid.length)) }),
    () => ({ rawBody: `\uFEFF${valid}` }),
    () => ({ rawBody: `${valid}${valid}` }),
    () => ({ rawBody: `${valid}\u0000` }),
    () => ({ rawBody: Buffer.from(Array.from({ length: 1 + rng.int(2000) }, () => rng.int(256))) }),
    () => ({ rawBody: Buffer.concat([Buffer.from(valid.slice(0, -20)), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(valid.slice(-20))]) }),
    () => ({ rawBody: valid, contentType: 'text/plain' }),
    () => ({ rawBody: valid, contentType: null }),
    () => ({ rawBody: valid, contentType: 'application/json; charset=latin1' }),
    () => ({ rawBody: valid, contentType: 'application/json-patch+json' }),
    () => ({ rawBody: valid, contentType: 'multipart/form-data; boundary=x' }),
    () => ({ rawBody: valid.replace(/"type":"message"/, '"type":"message","type":"invoke"') }),
    () => ({ rawBody: valid.replace(/:/g, ' : ').replace(/,/g, ' ,\n ') }),
  ])();
}

/** JSON with "__proto__", "constructor" and "prototype" keys where ids and button data go. */
function protoKeys(rng: Rng, ctx: FuzzContext): string {
  const activity = rng.chance(0.5) ? { ...message(rng, ctx, undefined), value: { verb: 'roster.set', person: '5d2a1b3c-0000-4000-8000-000000000001', unit: 'kadis', role: 'kadis' } } : message(rng, ctx, 'halo');
  const json = JSON.stringify(activity);
  const poison = rng.pick(['"__proto__":{"isAdmin":true,"polluted":"yes"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"prototype":{"polluted":"yes"}']);
  const where = rng.pick(['"from":{', '"conversation":{', '"channelData":{', '"value":{', '{']);
  return json.includes(where) ? json.replace(where, `${where}${poison},`) : json.replace('{', `{${poison},`);
}
