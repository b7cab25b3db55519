import restify, { type Request, type Response, type Server } from 'restify';
import type { StateStore } from '../core/ports/state-store.js';
import type { Logger } from '../log/logger.js';
import { readJsonBody } from './read-json-body.js';
import { checkActivity } from './check-activity.js';
import { registerInfoPages } from './info-pages.js';
import { registerDiagramRoutes } from './diagram-routes.js';
import type { Catalogue } from '../core/catalogue/types.js';

export interface ServerDeps {
  /** Hands a checked request to the Bot Framework adapter (bot/teams/), which answers it. */
  readonly processActivity: (req: Request, res: Response) => Promise<void>;
  readonly store: StateStore;
  readonly log: Logger;
  readonly catalogueVersion: () => string;
  /** The catalogue in use, for the diagram images. */
  readonly catalogue: () => Catalogue;
  /** Whether incoming requests must carry a Bot Framework token (an app id is configured). */
  readonly authenticated: boolean;
  /** Tenant ids accepted; empty accepts any. */
  readonly allowedTenants: readonly string[];
  /** Largest accepted body, compressed or not. */
  readonly bodyLimit?: number;
}

const DEFAULT_BODY_LIMIT = 256 * 1024;

/**
 * The HTTP edge: `POST /api/messages` for the Bot Connector and `GET /healthz` for probes. Bad
 * requests get a 4xx with a short JSON reason before they reach the SDK; the next request is served
 * normally.
 */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'pandu', handleUncaughtExceptions: false });
  const limit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (deps.authenticated && !req.headers.authorization) {
      res.send(401, { error: 'Unauthorized: a Bot Framework token is required.' });
      return;
    }
    const read = await readJsonBody(req, limit);
    if (!read.ok) {
      deps.log.warn('request refused', { status: read.status, reason: read.message });
      res.send(read.status, { error: read.message });
      return;
    }
    const activity = read.body as { type?: unknown; conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } } | null;
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity) || typeof activity.type !== 'string' || activity.type === '') {
      res.send(400, { error: 'The body is not an activity: it needs a "type".' });
      return;
    }
    const malformed = checkActivity(activity as Record<string, unknown>);
    if (malformed) {
      res.send(400, { error: malformed });
      return;
    }
    if (deps.allowedTenants.length > 0) {
      const tenant = String(activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '').toLowerCase();
      if (!deps.allowedTenants.includes(tenant)) {
        deps.log.warn('activity from a tenant outside the allowed list refused', { tenant: tenant || '(none)' });
        res.send(403, { error: 'This tenant is not allowed to use Pandu.' });
        return;
      }
    }
    (req as Request & { body: unknown }).body = activity;
    try {
      await deps.processActivity(req, res);
    } catch (error) {
      deps.log.error('request failed', { error });
      if (!res.headersSent) res.send(400, { error: 'The activity could not be processed.' });
    }
  });

  registerInfoPages(server);
  registerDiagramRoutes(server, { catalogue: deps.catalogue });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const store = await deps.store.health().catch((error: unknown) => ({ ok: false, detail: String(error) }));
    res.send(store.ok ? 200 : 503, { status: store.ok ? 'ok' : 'degraded', catalogueVersion: deps.catalogueVersion(), store: store.ok ? 'ok' : 'error', storeDetail: store.ok ? undefined : store.detail });
  });

  return server;
}
