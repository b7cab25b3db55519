/**
 * The stand-in Bot Connector of `npm run bench`: the bot's replies are POSTed here (its `serviceUrl`)
 * and answered at once with `200 {"id":"reply-N"}`, as the real connector does. It keeps the raw
 * bodies by the activity they answer (the `replyToId` at the end of the path) until the load
 * generator takes them, so memory stays bounded by the turns in flight. Lean on purpose: it shares
 * the generator's event loop and must not slow the bot down.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInConnector {
  /** Base URL without a trailing slash. */
  readonly url: string;
  /** Requests received so far (replies, typing indicators, anything else). */
  readonly received: () => number;
  /** The reply bodies (raw JSON) posted in answer to `activityId`, forgotten once taken. */
  take(activityId: string): string[];
  /** Forgets every reply not taken (between runs). */
  clear(): void;
  close(): Promise<void>;
}

const REPLY_PATH = /^\/v3\/conversations\/[^/?]+\/activities(?:\/([^/?]+))?/;

export async function startStandInConnector(): Promise<StandInConnector> {
  const byReplyTo = new Map<string, string[]>();
  let received = 0;
  let replies = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received++;
      const match = REPLY_PATH.exec(req.url ?? '');
      const replyTo = match?.[1] ? safeDecode(match[1]) : undefined;
      if (replyTo !== undefined) {
        const list = byReplyTo.get(replyTo);
        const body = Buffer.concat(chunks).toString('utf8');
        if (list) list.push(body);
        else byReplyTo.set(replyTo, [body]);
      }
      const payload = `{"id":"reply-${++replies}"}`;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    });
    req.on('error', () => res.destroy());
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    take(activityId) {
      const list = byReplyTo.get(activityId) ?? [];
      byReplyTo.delete(activityId);
      return list;
    },
    clear: () => byReplyTo.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
