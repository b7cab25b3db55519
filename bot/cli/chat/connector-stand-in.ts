/**
 * A tiny local stand-in for the Bot Connector, for `npm run chat`: the bot in local mode POSTs its
 * replies to the serviceUrl of the activity it answers, so the chat tool names this server as its
 * serviceUrl. It accepts `POST /v3/conversations/{id}/activities[/{replyToId}]` (new replies) and
 * `PUT /v3/conversations/{id}/activities/{activityId}` (updates), answers `{"id": …}` as the real
 * connector does, and hands every activity it receives to a callback. It listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One activity the bot sent. */
export interface ReceivedActivity {
  /** 'send' for a new activity (POST), 'update' for a replacement (PUT), 'delete' for DELETE. */
  readonly op: 'send' | 'update' | 'delete';
  /** The id this stand-in gave the activity (for an update or delete: the id it targets). */
  readonly id: string;
  /** The decoded conversation id of the path. */
  readonly conversationId: string;
  /** The activity it answers (POST …/activities/{replyToId}), if any. */
  readonly replyToId?: string;
  /** The activity as sent (an empty object for a delete). */
  readonly activity: Readonly<Record<string, unknown>>;
}

export interface ConnectorStandIn {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:43121/ (use it as the serviceUrl). */
  readonly url: string;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Largest request body accepted, in bytes (default 25 MB: diagrams arrive inline as data: URIs). */
  readonly bodyLimit?: number;
}

const ACTIVITY_PATH = /^\/v3\/conversations\/([^/?]+)\/activities(?:\/([^/?]+))?\/?(?:\?.*)?$/;
const DEFAULT_BODY_LIMIT = 25 * 1024 * 1024;

/** Starts the stand-in on 127.0.0.1 and a free port; `onActivity` is called for each activity received. */
export async function startConnectorStandIn(onActivity: (received: ReceivedActivity) => void, opts: StandInOptions = {}): Promise<ConnectorStandIn> {
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let sent = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const match = ACTIVITY_PATH.exec(req.url ?? '');
    const method = req.method ?? '';
    if (!match || !['POST', 'PUT', 'DELETE'].includes(method) || (method !== 'POST' && !match[2])) {
      // Anything else the bot may try (members, conversations, attachments) is not stood in for.
      req.resume();
      answer(res, 404, { error: { code: 'NotSupported', message: `The chat's connector stand-in does not handle ${method} ${req.url ?? ''}.` } });
      return;
    }
    const body = await readBody(req, limit);
    if (body === undefined) {
      answer(res, 413, { error: { code: 'BodyTooLarge', message: `The body is larger than ${limit} bytes.` } });
      return;
    }
    let activity: unknown = {};
    if (method !== 'DELETE') {
      try {
        activity = JSON.parse(body.toString('utf8'));
      } catch {
        answer(res, 400, { error: { code: 'BadSyntax', message: 'The body is not JSON.' } });
        return;
      }
      if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
        answer(res, 400, { error: { code: 'BadArgument', message: 'The body is not an activity.' } });
        return;
      }
    }
    const conversationId = safeDecode(match[1]!);
    const pathId = match[2] === undefined ? undefined : safeDecode(match[2]);
    const op = method === 'POST' ? 'send' : method === 'PUT' ? 'update' : 'delete';
    const id = op === 'send' ? `stand-in-${++sent}` : pathId!;
    const received: ReceivedActivity = { op, id, conversationId, ...(op === 'send' && pathId !== undefined ? { replyToId: pathId } : {}), activity: activity as Record<string, unknown> };
    try {
      onActivity(received);
    } finally {
      answer(res, 200, op === 'delete' ? {} : { id });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { error: { code: 'StandInError', message: String(error) } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The whole body, or undefined once it passes `limit` bytes (the rest is drained). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
