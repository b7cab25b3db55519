import type { Request, Response, Server } from 'restify';
import type { Catalogue } from '../core/catalogue/types.js';
import { renderCfmSvg } from '../core/diagram/render-svg.js';
import { renderPng } from '../render/render-png.js';

export interface DiagramRouteDeps {
  /** The current catalogue (a reload swaps it; its version keys the cache and the ETag). */
  readonly catalogue: () => Catalogue;
  /** Most rendered diagrams kept in memory (default 200). */
  readonly cacheSize?: number;
}

const CONTENT_TYPES = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const;
type Format = keyof typeof CONTENT_TYPES;

/** `<code>.svg` or `<code>.png`, where a code is digits and letters separated by dots (01.2.a, 02.1.a.1). */
const FILE_NAME = /^([0-9]{2}(?:\.[0-9A-Za-z]{1,8}){0,6})\.(svg|png)$/u;
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/u;
const LANGS = ['id', 'en'] as const;

function sendError(res: Response, status: number, error: string): void {
  res.removeHeader('ETag');
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, { error });
}

/** Whether If-None-Match names this entity tag (or is "*"); weak tags match too. */
function matches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim().replace(/^W\//u, ''));
  return tags.includes('*') || tags.includes(etag);
}

/**
 * `GET /diagrams/<code>.svg|png[?step=<id>][&lang=id|en]`: a CFM drawn as a swimlane diagram, with
 * the step `step` marked "you are here". 400 for a malformed name, 404 (JSON) for a code or step not
 * in the catalogue. Rendered images are cached in memory by catalogue version, code, step, language
 * and format; the ETag is the catalogue version, so a client revalidates with If-None-Match (304).
 */
export function registerDiagramRoutes(server: Server, deps: DiagramRouteDeps): void {
  const limit = Math.max(1, deps.cacheSize ?? 200);
  const cache = new Map<string, Buffer>();

  server.get('/diagrams/:file', async (req: Request, res: Response) => {
    const file = String((req.params as Record<string, unknown> | undefined)?.file ?? '');
    const name = FILE_NAME.exec(file);
    if (!name) {
      sendError(res, 400, 'A diagram is named <code>.svg or <code>.png, e.g. 01.2.a.png.');
      return;
    }
    const code = name[1]!;
    const format = name[2] as Format;
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const steps = query.getAll('step');
    const langs = query.getAll('lang');
    if (steps.length > 1 || langs.length > 1 || (steps[0] !== undefined && !STEP_ID.test(steps[0]))) {
      sendError(res, 400, 'Give at most one step (?step=<step id>) and one language.');
      return;
    }
    const lang = langs[0] ?? 'id';
    if (!(LANGS as readonly string[]).includes(lang)) {
      sendError(res, 400, 'The language is id or en.');
      return;
    }
    const step = steps[0];

    const catalogue = deps.catalogue();
    const cfm = catalogue.cfms.find((c) => c.code === code);
    if (!cfm) {
      sendError(res, 404, `There is no CFM with the code ${code}.`);
      return;
    }
    if (step !== undefined && !cfm.steps.some((s) => s.id === step)) {
      sendError(res, 404, `CFM ${code} has no step "${step}".`);
      return;
    }

    const etag = `"${catalogue.version}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304);
      res.end();
      return;
    }

    const key = `${catalogue.version}|${code}|${step ?? ''}|${lang}|${format}`;
    let body = cache.get(key);
    if (body) {
      // Most recently used last: the oldest entry is the one evicted.
      cache.delete(key);
      cache.set(key, body);
    } else {
      const svg = renderCfmSvg(catalogue, code, { lang: lang as (typeof LANGS)[number], ...(step !== undefined ? { highlight: step } : {}) });
      if (svg === undefined) {
        sendError(res, 404, `There is no diagram for ${code}.`);
        return;
      }
      try {
        body = format === 'png' ? renderPng(svg) : Buffer.from(svg, 'utf8');
      } catch (error) {
        req.log?.error?.({ err: error, code, step, format }, 'diagram rendering failed');
        sendError(res, 500, `The diagram of ${code} could not be drawn.`);
        return;
      }
      cache.set(key, body);
      while (cache.size > limit) cache.delete(cache.keys().next().value!);
    }
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Length', body.length);
    res.writeHead(200);
    res.end(body);
  });
}
