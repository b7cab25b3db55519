import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** Why a request body was refused, as an HTTP status and a message for the caller. */
export type BodyResult = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly status: 400 | 413 | 415; readonly message: string };

/**
 * Reads a JSON request body with hard limits: at most `limit` bytes on the wire and, after gzip,
 * deflate or br decompression, at most `limit` bytes of JSON (so a "zip bomb" is refused early).
 * Only application/json is accepted.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, message: 'Expected Content-Type: application/json.' };
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (!['identity', 'gzip', 'deflate', 'br'].includes(encoding)) return { ok: false, status: 415, message: `Unsupported Content-Encoding "${encoding.slice(0, 20)}".` };
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return { ok: false, status: 413, message: `The body is larger than ${limit} bytes.` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return { ok: false, status: 413, message: `The body is larger than ${limit} bytes.` };
    }
    chunks.push(chunk);
  }
  let raw = Buffer.concat(chunks);
  try {
    if (encoding === 'gzip') raw = gunzipSync(raw, { maxOutputLength: limit });
    else if (encoding === 'deflate') raw = inflateSync(raw, { maxOutputLength: limit });
    else if (encoding === 'br') raw = brotliDecompressSync(raw, { maxOutputLength: limit });
  } catch (error) {
    const tooBig = error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    return tooBig ? { ok: false, status: 413, message: `The decompressed body is larger than ${limit} bytes.` } : { ok: false, status: 400, message: `The ${encoding} body cannot be decompressed.` };
  }
  if (raw.length === 0) return { ok: false, status: 400, message: 'The body is empty; expected an activity in JSON.' };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, status: 400, message: 'The body is not valid JSON.' };
  }
  return { ok: true, body };
}
