/**
 * Runs the real Pandu (startBot: catalogue, adapter, restify server) on a loopback port for HTTP
 * tests, with a memory store and a logger that captures its lines; plus helpers to post activities.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { loadConfig, type Config } from '../../bot/config/load-config.js';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { createLogger } from '../../bot/log/logger.js';
import { startBot, type RunningBot } from '../../bot/start-bot.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { parseJsonText } from '../../bot/core/format/json-text.js';

export interface TestBot {
  /** Base URL, e.g. http://127.0.0.1:40123 (POST `${url}/api/messages`). */
  readonly url: string;
  /** Every log line written so far (JSON, one object a line). */
  readonly logs: string[];
  readonly store: StateStore;
  readonly config: Config;
  readonly bot: RunningBot;
  close(): Promise<void>;
}

/**
 * Starts Pandu with `loadConfig({PORT: '0', PANDU_DATA_DIR: <fresh temp dir>, ...envOverrides})`
 * (only these variables, never the real environment; PORT 0 = a free port, see loadTestConfig).
 * Throws with the config errors if any.
 */
export async function startTestBot(envOverrides: Readonly<Record<string, string>> = {}): Promise<TestBot> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pandu-http-test-'));
  const loaded = loadTestConfig({ PORT: '0', PANDU_DATA_DIR: dataDir, ...envOverrides });
  if (!loaded.ok) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`test bot: invalid configuration:\n${loaded.errors.join('\n')}`);
  }
  const logs: string[] = [];
  const log = createLogger(loaded.config.logLevel, (line) => logs.push(line));
  const store = createMemoryStore();
  let bot: RunningBot;
  try {
    bot = await startBot(loaded.config, log, { store });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    url: bot.url,
    logs,
    store,
    config: loaded.config,
    bot,
    close: async () => {
      if (closed) return;
      closed = true;
      bot.server.server.closeAllConnections?.();
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * loadConfig, except that PORT=0 (a free port, for tests) is honoured: loadConfig deliberately
 * refuses 0 (ports are 1..65535 for operators), so when PORT is '0' and that is its only complaint,
 * the configuration is checked with a placeholder port and its port set to 0 afterwards.
 */
function loadTestConfig(env: Readonly<Record<string, string>>): ReturnType<typeof loadConfig> {
  const loaded = loadConfig(env);
  if (loaded.ok || env['PORT']?.trim() !== '0' || !loaded.errors.every((e) => e.startsWith('PORT:'))) return loaded;
  const placeholder = loadConfig({ ...env, PORT: '3978' });
  return placeholder.ok ? { ...placeholder, config: Object.freeze({ ...placeholder.config, port: 0 }) } : placeholder;
}

export interface PostOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is instead of `JSON.stringify(body)` (no compression is applied to it). */
  readonly rawBody?: string | Uint8Array;
  /** Default application/json. */
  readonly contentType?: string;
  /** Content-Encoding; gzip, deflate and br compress the JSON body (unless rawBody is given). */
  readonly encoding?: string;
  /** Default /api/messages. */
  readonly path?: string;
}

export interface PostResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** POSTs an activity (or anything else) to the bot with global fetch. */
export async function postActivity(url: string, body: unknown, opts: PostOptions = {}): Promise<PostResult> {
  let payload: string | Uint8Array;
  if (opts.rawBody !== undefined) {
    payload = opts.rawBody;
  } else {
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    payload = opts.encoding === 'gzip' ? gzipSync(json) : opts.encoding === 'deflate' ? deflateSync(json) : opts.encoding === 'br' ? brotliCompressSync(json) : json;
  }
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json', ...(opts.encoding ? { 'content-encoding': opts.encoding } : {}), ...opts.headers };
  const response = await fetch(`${url}${opts.path ?? '/api/messages'}`, { method: 'POST', headers, body: payload });
  const text = await response.text();
  const json = parseJsonText(text);
  return { status: response.status, headers: response.headers, text, json };
}

/** Gets a path of the bot (e.g. /healthz). */
export async function getPath(url: string, pathname: string): Promise<PostResult> {
  const response = await fetch(`${url}${pathname}`);
  const text = await response.text();
  const json = parseJsonText(text);
  return { status: response.status, headers: response.headers, text, json };
}

export const TEST_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT_ID = '28:6f1b0c2e-3b7a-4c1d-9e2f-0a1b2c3d4e5f';

let sequence = 0;

/** A fresh personal-chat conversation id in the Teams form (`a:…`). */
export function newConversationId(): string {
  return `a:1pandu-test-${randomUUID()}`;
}

/** A fresh activity id (Teams message ids are millisecond timestamps). */
export function newActivityId(): string {
  sequence += 1;
  return String(1_700_000_000_000 + sequence * 1000 + Math.floor(Math.random() * 1000));
}

/** A Teams message activity as the Bot Connector posts it in a personal chat. */
export interface TestActivity {
  type: string;
  id: string;
  timestamp: string;
  localTimestamp: string;
  channelId: string;
  serviceUrl: string;
  from: { id: string; name: string; aadObjectId: string };
  conversation: { id: string; conversationType: string; tenantId: string };
  recipient: { id: string; name: string };
  textFormat: string;
  locale: string;
  text?: string;
  value?: unknown;
  name?: string;
  entities: unknown[];
  channelData: { tenant: { id: string } } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A realistic Teams message: channelId msteams, a fresh id and conversation id (unless overridden),
 * a user with an aadObjectId, the bot as recipient, locale id-ID. `overrides` replaces top-level
 * fields (e.g. `{conversation: {...}}`, `{value: {...}, text: undefined}`).
 */
export function messageActivity(text: string, serviceUrl: string, overrides: Partial<TestActivity> = {}): TestActivity {
  const tenantId = overrides.conversation?.tenantId ?? TEST_TENANT;
  const now = new Date();
  const activity: TestActivity = {
    type: 'message',
    id: newActivityId(),
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString().replace('Z', '+08:00'),
    channelId: 'msteams',
    serviceUrl: serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`,
    from: { id: '29:1pandu-test-user-Xq3', name: 'Maria Lobo', aadObjectId: '0b7e1a52-2c3d-4e5f-8a9b-1c2d3e4f5a6b' },
    conversation: { id: newConversationId(), conversationType: 'personal', tenantId },
    recipient: { id: BOT_ID, name: 'Pandu' },
    textFormat: 'plain',
    locale: 'id-ID',
    text,
    entities: [{ type: 'clientInfo', locale: 'id-ID', country: 'ID', platform: 'Web', timezone: 'Asia/Makassar' }],
    channelData: { tenant: { id: tenantId } },
    ...overrides,
  };
  if (overrides.conversation && !overrides.channelData) activity.channelData = { tenant: { id: overrides.conversation.tenantId } };
  for (const key of Object.keys(activity)) if (activity[key] === undefined) delete activity[key];
  return activity;
}
