// GET /diagrams/<code>.png|svg on a restify server with only the diagram routes, on a loopback port.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import type { Catalogue } from '../../bot/core/catalogue/types.js';
import { pngSize } from '../../bot/render/render-png.js';
import { registerDiagramRoutes } from '../../bot/server/diagram-routes.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A GET with the path sent exactly as given (fetch would normalise "../"). */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as { error?: string };

describe('diagram routes', function () {
  this.timeout(60000);
  let server: Server;
  let base: string;
  let catalogue: Catalogue;
  let current: Catalogue;

  before(async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok);
    catalogue = result.catalogue;
    current = catalogue;
    server = restify.createServer({ name: 'diagram-test', handleUncaughtExceptions: false });
    registerDiagramRoutes(server, { catalogue: () => current });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  afterEach(() => {
    current = catalogue;
  });

  it('serves a CFM as PNG, cacheable, with the catalogue version as ETag', async () => {
    const res = await get(base, '/diagrams/01.2.a.png');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers.etag, `"${catalogue.version}"`);
    const size = pngSize(res.body);
    assert.ok(size && size.width <= 1024 && size.height > 300, JSON.stringify(size));
    assert.equal(Number(res.headers['content-length']), res.body.length);
    // The second time comes from the cache: the same bytes.
    const again = await get(base, '/diagrams/01.2.a.png');
    assert.ok(again.body.equals(res.body));
  });

  it('serves SVG for .svg', async () => {
    const res = await get(base, '/diagrams/03.1.a.svg');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^image\/svg\+xml/u);
    const text = res.body.toString('utf8');
    assert.ok(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(text.includes('DINSOS 03.1.a'));
    assert.ok(!text.includes('Anda di sini'));
  });

  it('highlights the step given with ?step=', async () => {
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const step = cfm.steps[3]!.id;
    const svg = await get(base, `/diagrams/03.1.a.svg?step=${encodeURIComponent(step)}`);
    assert.equal(svg.status, 200);
    assert.ok(svg.body.toString('utf8').includes('Anda di sini'));
    const en = await get(base, `/diagrams/03.1.a.svg?step=${encodeURIComponent(step)}&lang=en`);
    assert.ok(en.body.toString('utf8').includes('You are here'));
    const plain = await get(base, '/diagrams/03.1.a.png');
    const marked = await get(base, `/diagrams/03.1.a.png?step=${encodeURIComponent(step)}`);
    assert.equal(marked.status, 200);
    assert.equal(marked.headers['content-type'], 'image/png');
    assert.ok(!marked.body.equals(plain.body), 'the highlighted picture differs');
  });

  it('answers 404 with a JSON error for an unknown code or step', async () => {
    const code = await get(base, '/diagrams/99.9.z.png');
    assert.equal(code.status, 404);
    assert.match(String(code.headers['content-type']), /json/u);
    assert.match(json(code).error ?? '', /99\.9\.z/u);
    const step = await get(base, '/diagrams/01.2.a.png?step=no-such-step');
    assert.equal(step.status, 404);
    assert.match(json(step).error ?? '', /no-such-step/u);
    assert.equal(step.headers.etag, undefined);
  });

  it('answers 400 for a bad name, and never reads a file', async () => {
    for (const path of ['/diagrams/..%2F..%2Fetc%2Fpasswd.png', '/diagrams/..%2f..%2fetc%2fpasswd.png', '/diagrams/01.2.a.gif', '/diagrams/01.2.a', '/diagrams/%00.png', '/diagrams/.png', '/diagrams/1.2.png', '/diagrams/01.2.a%20.png']) {
      const res = await get(base, path);
      assert.equal(res.status, 400, `${path}: ${res.status} ${res.body.toString('utf8')}`);
      assert.ok(json(res).error, path);
    }
    // Not even routed: the dots and slashes never reach a file name.
    const raw = await get(base, '/diagrams/../../etc/passwd.png');
    assert.ok(raw.status === 400 || raw.status === 404, String(raw.status));
    assert.ok(!raw.body.toString('utf8').includes('root:'));
    const twoSteps = await get(base, '/diagrams/01.2.a.png?step=a&step=b');
    assert.equal(twoSteps.status, 400);
    const lang = await get(base, '/diagrams/01.2.a.png?lang=fr');
    assert.equal(lang.status, 400);
  });

  it('answers 304 to If-None-Match with the current version, and 200 once the catalogue changes', async () => {
    const etag = `"${catalogue.version}"`;
    const res = await get(base, '/diagrams/01.1.a.png', { 'If-None-Match': etag });
    assert.equal(res.status, 304);
    assert.equal(res.body.length, 0);
    assert.equal(res.headers.etag, etag);
    assert.equal((await get(base, '/diagrams/01.1.a.svg', { 'If-None-Match': `W/${etag}, "other"` })).status, 304);
    assert.equal((await get(base, '/diagrams/01.1.a.svg', { 'If-None-Match': '"stale"' })).status, 200);
    current = { ...catalogue, version: `${catalogue.version}-next` };
    const changed = await get(base, '/diagrams/01.1.a.svg', { 'If-None-Match': etag });
    assert.equal(changed.status, 200);
    assert.equal(changed.headers.etag, `"${catalogue.version}-next"`);
  });
});
