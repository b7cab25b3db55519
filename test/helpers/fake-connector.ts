/**
 * An in-process fake Bot Connector for HTTP tests: the bot's replies are POSTed here (to
 * `/v3/conversations/{encoded conversation id}/activities[/{replyToId}]`), recorded, and answered
 * `{"id":"reply-N"}` with 200, as the real connector does. A per-request hook can make it fail
 * (429 with Retry-After, 500, 503…), answer late, or never answer, for fault tests.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake connector received. */
export interface RecordedRequest {
  /** 1-based order of arrival. */
  readonly n: number;
  readonly method: string;
  /** The path as sent (still URL-encoded), with any query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when the body was empty or not JSON (see `rawBody`). */
  readonly body: unknown;
  readonly rawBody: string;
  /** The decoded conversation id, when the path is a conversation path. */
  readonly conversationId?: string;
  /** The decoded activity id (the replyToId) at the end of the path, if any. */
  readonly replyToId?: string;
}

/** What the hook wants done with one request instead of the normal 200 reply. */
export interface FaultResponse {
  /** HTTP status to answer with (default 200). */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body to send: an object is sent as JSON. Default: `{id}` for 2xx, `{error:{...}}` otherwise. */
  readonly body?: unknown;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Never answer (the socket is destroyed on `close()`). */
  readonly hang?: boolean;
}

/** Decides how to answer a request; undefined means the normal `200 {id: "reply-N"}`. */
export type ConnectorHook = (request: RecordedRequest) => FaultResponse | undefined | Promise<FaultResponse | undefined>;

export interface FakeConnector {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 (use `${url}/` as serviceUrl). */
  readonly url: string;
  /** Every request received so far, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** The current hook; replace it at any time. */
  hook: ConnectorHook | undefined;
  /** The first request (received already or later) matching `predicate`; rejects after `timeoutMs` listing what was received. */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Requests whose conversation id is `conversationId`. */
  forConversation(conversationId: string): RecordedRequest[];
  /** A one-line-per-request summary, for assertion messages. */
  describe(): string;
  close(): Promise<void>;
}

export interface FakeConnectorOptions {
  readonly hook?: ConnectorHook;
}

const CONVERSATION_PATH = /^\/v3\/conversations\/([^/?]+)(?:\/activities(?:\/([^/?]+))?)?/;

/** Starts a fake connector on 127.0.0.1 and a free port. */
export async function startFakeConnector(opts: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const requests: RecordedRequest[] = [];
  const waiters = new Set<{ predicate: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }>();
  let replies = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const path = req.url ?? '';
    const match = CONVERSATION_PATH.exec(path);
    const recorded: RecordedRequest = {
      n: requests.length + 1,
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      rawBody,
      ...(match?.[1] ? { conversationId: safeDecode(match[1]) } : {}),
      ...(match?.[2] ? { replyToId: safeDecode(match[2]) } : {}),
    };
    requests.push(recorded);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(recorded)) {
        waiters.delete(waiter);
        waiter.resolve(recorded);
      }
    }

    const fault = (await connector.hook?.(recorded)) ?? {};
    if (fault.hang) return;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (res.destroyed) return;
    const status = fault.status ?? 200;
    const payload = fault.body !== undefined ? fault.body : status < 300 ? { id: `reply-${++replies}` } : { error: { code: 'FakeConnectorFault', message: `fake connector answered ${status}` } };
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...fault.headers });
    res.end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'FakeConnectorError', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const describe = (): string =>
    requests.length === 0
      ? '(no requests)'
      : requests.map((r) => `#${r.n} ${r.method} ${r.path} ${summarise(r.body)}`).join('\n');

  const connector: FakeConnector = {
    url: `http://127.0.0.1:${port}`,
    requests,
    hook: opts.hook,
    waitFor(predicate, timeoutMs = 5000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (r: RecordedRequest) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`fake connector: no matching request within ${timeoutMs} ms; received:\n${describe()}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    forConversation: (conversationId) => requests.filter((r) => r.conversationId === conversationId),
    describe,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return connector;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function summarise(body: unknown): string {
  if (body === undefined) return '(no JSON body)';
  if (typeof body !== 'object' || body === null) return JSON.stringify(body);
  const b = body as { type?: unknown; text?: unknown; attachments?: { contentType?: unknown }[] };
  const parts = [`type=${String(b.type)}`];
  if (typeof b.text === 'string') parts.push(`text=${JSON.stringify(b.text.slice(0, 80))}`);
  if (Array.isArray(b.attachments)) parts.push(`attachments=${b.attachments.map((a) => String(a?.contentType)).join(',')}`);
  return parts.join(' ');
}
