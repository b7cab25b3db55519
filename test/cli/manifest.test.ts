import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 as zlibCrc32, inflateRawSync, inflateSync } from 'node:zlib';
import {
  checkValues,
  defaultLinks,
  fillTemplate,
  MANIFEST_DIR,
  TEMPLATE_FILE,
  validateLocalization,
  validateManifest,
  type JsonObject,
  type ManifestValues,
} from '../../bot/cli/manifest/fill-manifest.js';
import { crc32, createZip } from '../../bot/cli/manifest/write-zip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP_ID = '3f6c1b9e-2d4a-4c7b-9e1f-5a8d2c0b7e64';
const HOST = 'pandu.example.go.id';
const VALUES: ManifestValues = { appId: APP_ID, host: HOST, ...defaultLinks(HOST), appVersion: '1.0.0' };
const SCOPES = ['personal', 'team', 'groupChat'];
const COMMANDS = ['tanya', 'siapa', 'pandu', 'lanjutkan', 'orientasi', 'tugas saya', 'bantuan', 'daftar proses'];
const PACKAGE_FILES = ['manifest.json', 'en.json', 'color.png', 'outline.png'];

const tempDirs: string[] = [];
after(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The template filled with the test values, parsed. */
async function filledManifest(): Promise<JsonObject> {
  const filled = fillTemplate(await readFile(path.join(MANIFEST_DIR, TEMPLATE_FILE), 'utf8'), VALUES);
  assert.ok(filled.ok, filled.ok ? '' : filled.errors.join('\n'));
  return filled.value;
}

async function localization(): Promise<JsonObject> {
  return JSON.parse(await readFile(path.join(MANIFEST_DIR, 'en.json'), 'utf8')) as JsonObject;
}

/** Runs `fn` with fetch replaced by one that fails the test: proves that validation stays offline. */
async function offline<T>(fn: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  let called = '';
  globalThis.fetch = (async (input: unknown) => {
    called = String(input);
    throw new Error('network used');
  }) as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = original;
    assert.equal(called, '', `validation went to the network: ${called}`);
  }
}

/** Parsed JSON, read field by field in the checks below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** A deep copy, to break without touching the original. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// --- A minimal PNG decoder (8-bit RGBA or RGB, not interlaced), enough to check the icons -------------

interface Image {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes a pixel, row by row. */
  readonly rgba: Uint8Array;
}

function decodePng(png: Buffer): Image {
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'not a PNG signature');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const data = png.subarray(offset + 8, offset + 8 + length);
    assert.equal(png.readUInt32BE(offset + 8 + length), zlibCrc32(png.subarray(offset + 4, offset + 8 + length)), `bad CRC in ${type}`);
    offset += 12 + length;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [bitDepth, colorType, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      assert.equal(bitDepth, 8, 'only 8-bit PNGs are decoded here');
      assert.ok(colorType === 6 || colorType === 2, `colour type ${colorType} is not RGBA (6) or RGB (2)`);
      assert.equal(interlace, 0, 'interlaced PNGs are not decoded here');
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  assert.equal(raw.length, height * (stride + 1), 'unexpected image data length');
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels]! : 0; // left
      const b = y > 0 ? pixels[row - stride + x]! : 0; // up
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels]! : 0; // up-left
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: assert.fail(`unknown PNG filter ${filter} on row ${y}`);
      }
      pixels[row + x] = (line[x]! + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([pixels[i * 3]!, pixels[i * 3 + 1]!, pixels[i * 3 + 2]!, 255], i * 4);
  return { width, height, rgba };
}

// --- A minimal ZIP reader: the central directory, and each file's bytes ------------------------------------

function readZip(zip: Buffer): Map<string, Buffer> {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  assert.ok(end >= 0, 'no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${n} has a bad signature`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;

    assert.equal(zip.readUInt32LE(localOffset), 0x04034b50, `${name}: bad local header`);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const stored = zip.subarray(start, start + compressedSize);
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`);
    const data = method === 8 ? inflateRawSync(stored) : Buffer.from(stored);
    assert.equal(data.length, size, `${name}: size`);
    assert.equal(zlibCrc32(data), crc, `${name}: CRC`);
    files.set(name, data);
  }
  return files;
}

interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as `node --import tsx bot/cli/build-manifest.ts …`, with only PATH and HOME plus `env`. */
function runBuild(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string> = {};
    for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) base[name] = process.env[name]!;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/build-manifest.ts', ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('Teams app manifest', () => {
  it('fills the template and passes the official schema of its version, offline, with 0 errors', async () => {
    const manifest = await filledManifest();
    assert.match(String(manifest['$schema']), /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.\d+\/MicrosoftTeams\.schema\.json$/);
    assert.equal(manifest['$schema'], `https://developer.microsoft.com/json-schemas/teams/v${String(manifest['manifestVersion'])}/MicrosoftTeams.schema.json`);
    assert.deepEqual(await offline(() => validateManifest(manifest)), []);
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/, 'a placeholder was left unfilled');
  });

  it('describes Pandu: ids, names, links, scopes, commands, the compose-box search and the domain', async () => {
    const m = (await filledManifest()) as Loose;
    assert.equal(m.id, APP_ID);
    assert.equal(m.version, '1.0.0');
    assert.deepEqual(m.name, { short: 'Pandu', full: 'Pandu — Pemandu Proses Bisnis Dinas Sosial NTT' });
    assert.deepEqual(m.developer, { name: 'Dinas Sosial Provinsi NTT', websiteUrl: `https://${HOST}/`, privacyUrl: `https://${HOST}/privacy`, termsOfUseUrl: `https://${HOST}/terms` });
    assert.deepEqual(m.localizationInfo, { defaultLanguageTag: 'id-ID', additionalLanguages: [{ languageTag: 'en-US', file: 'en.json' }] });
    assert.deepEqual(m.icons, { color: 'color.png', outline: 'outline.png' });
    assert.match(m.accentColor, /^#[0-9A-F]{6}$/i);
    assert.deepEqual(m.validDomains, [HOST]);

    assert.equal(m.bots.length, 1);
    const bot = m.bots[0];
    assert.equal(bot.botId, APP_ID);
    assert.deepEqual(bot.scopes, SCOPES);
    assert.equal(bot.supportsFiles, false);
    assert.deepEqual(bot.commandLists.map((list: { scopes: string[] }) => list.scopes), SCOPES.map((scope) => [scope]));
    for (const list of bot.commandLists) {
      assert.deepEqual(list.commands.map((c: { title: string }) => c.title), COMMANDS);
      for (const command of list.commands) assert.ok(command.description.length > 10, `"${command.title}" needs a description`);
    }

    assert.equal(m.composeExtensions.length, 1);
    const extension = m.composeExtensions[0];
    assert.equal(extension.botId, APP_ID);
    assert.equal(extension.commands.length, 1);
    const search = extension.commands[0];
    assert.equal(search.id, 'cariProses');
    assert.equal(search.type, 'query');
    assert.equal(search.title, 'Cari proses');
    assert.equal(search.initialRun, true);
    assert.deepEqual(search.context, ['compose', 'commandBox']);
    assert.equal(search.parameters.length, 1);
    assert.equal(search.parameters[0].name, 'query', 'the bot reads the parameter "query"');
  });

  it('has English strings in en.json that pass the bundled Localization schema and point at real fields', async () => {
    const manifest = await filledManifest();
    const en = await localization();
    assert.equal(en['$schema'], `https://developer.microsoft.com/json-schemas/teams/v${String(manifest['manifestVersion'])}/MicrosoftTeams.Localization.schema.json`);
    assert.deepEqual(await offline(() => validateLocalization('en.json', en, manifest)), []);
    assert.equal(en['name.short'], 'Pandu');
    assert.match(String(en['description.short']), /step by step/);
    assert.match(String(en['composeExtensions[0].commands[0].title']), /Search/);
  });

  it('reports a broken manifest: a missing bot id, a bad scope, a version mismatch, a foreign bot id', async () => {
    const good = await filledManifest();

    const noBotId = copy(good) as Loose;
    delete noBotId.bots[0].botId;
    const missing = await offline(() => validateManifest(noBotId));
    assert.ok(missing.some((e) => /\/bots\/0 .*required property 'botId'/.test(e)), missing.join('\n'));

    const badScope = copy(good) as Loose;
    badScope.bots[0].scopes = ['personal', 'everyone'];
    const scope = await validateManifest(badScope);
    assert.ok(scope.some((e) => /\/bots\/0\/scopes\/1 must be equal to one of the allowed values/.test(e)), scope.join('\n'));

    const badId = await validateManifest({ ...copy(good), id: 'not-a-guid' });
    assert.ok(badId.some((e) => /^manifest\.json: \/id must match pattern/.test(e)), badId.join('\n'));

    const mismatch = await validateManifest({ ...copy(good), manifestVersion: '1.19' });
    assert.ok(mismatch.some((e) => /manifestVersion "1\.19" does not match its \$schema/.test(e)), mismatch.join('\n'));

    const otherBot = copy(good) as Loose;
    otherBot.composeExtensions[0].botId = '11111111-1111-1111-1111-111111111111';
    assert.ok((await validateManifest(otherBot)).some((e) => /composeExtensions\[0\]\.botId/.test(e)));

    const unbundled = await validateManifest({ ...copy(good), $schema: 'https://example.com/schema.json' });
    assert.match(unbundled.join('\n'), /not a Microsoft Teams schema URL/);
  });

  it('reports a broken localization file: a too-long name and a key that names nothing', async () => {
    const manifest = await filledManifest();
    const en = { ...(await localization()), 'name.short': 'Pandu, the business process guide', 'bots[0].commandLists[2].commands[11].description': 'nothing here' };
    const errors = await validateLocalization('en.json', en, manifest);
    assert.ok(errors.some((e) => /^en\.json: \/name\.short must NOT have more than 30 characters/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /"bots\[0\]\.commandLists\[2\]\.commands\[11\]\.description" names nothing/.test(e)), errors.join('\n'));
  });

  it('refuses bad values and unknown placeholders before filling', () => {
    const errors = checkValues({ ...VALUES, appId: 'abc', host: 'https://pandu.example.go.id/x', privacyUrl: 'http://pandu.example.go.id/privacy', appVersion: '1.0' }, { appId: '--app-id', host: '--host' });
    assert.equal(errors.length, 4, errors.join('\n'));
    assert.match(errors[0]!, /^--app-id: "abc" is not a GUID/);
    assert.match(errors[1]!, /^--host: .* is a URL, not a domain name/);
    assert.match(errors[2]!, /not an https:\/\/ URL/);
    assert.match(errors[3]!, /not a MAJOR\.MINOR\.PATCH version/);
    for (const host of ['localhost', '127.0.0.1', 'pandu.example.go.id:8443', 'pandu', '-x.example.com']) {
      assert.equal(checkValues({ ...VALUES, host }).length, 1, host);
    }
    assert.deepEqual(checkValues(VALUES), []);

    const unknown = fillTemplate('{"id": "${{BOT_ID}}", "x": "${{NOPE}}"}', VALUES);
    assert.ok(!unknown.ok);
    assert.match(unknown.errors[0]!, /unknown placeholder\(s\) \$\{\{NOPE\}\}/);
    const escaped = fillTemplate('{"websiteUrl": "${{DEVELOPER_URL}}"}', { ...VALUES, developerUrl: 'https://x.example.com/"quoted"' });
    assert.ok(escaped.ok);
    assert.equal(escaped.value['websiteUrl'], 'https://x.example.com/"quoted"');
  });
});

describe('Teams app icons', () => {
  it('color.png is 192×192 and not transparent', async () => {
    const image = decodePng(await readFile(path.join(MANIFEST_DIR, 'color.png')));
    assert.equal(image.width, 192);
    assert.equal(image.height, 192);
    let opaque = 0;
    for (let i = 3; i < image.rgba.length; i += 4) if (image.rgba[i] === 255) opaque++;
    assert.ok(opaque > 0, 'color.png is fully transparent');
  });

  it('outline.png is 32×32, and every pixel is fully transparent or white', async () => {
    const image = decodePng(await readFile(path.join(MANIFEST_DIR, 'outline.png')));
    assert.equal(image.width, 32);
    assert.equal(image.height, 32);
    let white = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      const [r, g, b, a] = image.rgba.subarray(i, i + 4);
      if (a === 0) continue;
      assert.deepEqual([r, g, b], [255, 255, 255], `pixel (${(i / 4) % 32}, ${Math.floor(i / 128)}) is rgba(${r}, ${g}, ${b}, ${a})`);
      white++;
    }
    assert.ok(white > 100 && white < 32 * 32 - 100, `${white} white pixels: the outline should be a shape, not empty or full`);
  });
});

describe('zip writer', () => {
  it('computes the CRC-32 that zlib does, and writes an archive the reader reads back', () => {
    const text = Buffer.from('Pandu — pemandu proses bisnis\n'.repeat(20), 'utf8');
    assert.equal(crc32(text), zlibCrc32(text));
    assert.equal(crc32(new Uint8Array()), 0);
    const files = readZip(createZip([{ name: 'a.txt', data: text }, { name: 'b.bin', data: new Uint8Array([1, 2, 3]) }]));
    assert.deepEqual([...files.keys()], ['a.txt', 'b.bin']);
    assert.deepEqual(files.get('a.txt'), text);
    assert.deepEqual([...files.get('b.bin')!], [1, 2, 3]);
    assert.throws(() => createZip([{ name: 'a', data: text }, { name: 'a', data: text }]), /twice/);
    assert.throws(() => createZip([{ name: '../a', data: text }]), /not a safe file name/);
  });
});

describe('npm run manifest', () => {
  it('writes a zip with manifest.json, en.json, color.png and outline.png at its root', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pandu-manifest-test-'));
    tempDirs.push(dir);
    const out = path.join(dir, 'app.zip');
    const result = await runBuild(['--app-id', APP_ID, '--host', HOST, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /validated offline/);

    const files = readZip(await readFile(out));
    assert.deepEqual([...files.keys()].sort(), [...PACKAGE_FILES].sort());
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Loose;
    assert.equal(manifest.id, APP_ID);
    assert.equal(manifest.bots[0].botId, APP_ID);
    assert.equal(manifest.composeExtensions[0].botId, APP_ID);
    assert.deepEqual(manifest.validDomains, [HOST]);
    assert.equal(manifest.developer.privacyUrl, `https://${HOST}/privacy`);
    assert.equal(manifest.version, JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version);
    assert.equal(JSON.parse(files.get('en.json')!.toString('utf8'))['name.short'], 'Pandu');
    assert.deepEqual(files.get('color.png'), await readFile(path.join(MANIFEST_DIR, 'color.png')));
    assert.equal(decodePng(files.get('outline.png')!).width, 32);
  });

  it('takes the app id and host from the configuration, and the links from PANDU_*_URL', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pandu-manifest-test-'));
    tempDirs.push(dir);
    const out = path.join(dir, 'nested', 'pandu.zip');
    const result = await runBuild(['--out', out, '--app-version', '2.3.4'], {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: '22222222-2222-2222-2222-222222222222',
      PANDU_PUBLIC_URL: 'https://bot.dinsos.example.go.id/pandu',
      PANDU_PRIVACY_URL: 'https://dinsos.example.go.id/privasi',
    });
    assert.equal(result.status, 0, result.stderr);
    const manifest = JSON.parse(readZip(await readFile(out)).get('manifest.json')!.toString('utf8')) as Loose;
    assert.equal(manifest.id, APP_ID);
    assert.equal(manifest.version, '2.3.4');
    assert.deepEqual(manifest.validDomains, ['bot.dinsos.example.go.id']);
    assert.equal(manifest.developer.websiteUrl, 'https://bot.dinsos.example.go.id/');
    assert.equal(manifest.developer.privacyUrl, 'https://dinsos.example.go.id/privasi');
    assert.equal(manifest.developer.termsOfUseUrl, 'https://bot.dinsos.example.go.id/terms');
  });

  it('exits 1 with a clear message when the app id is missing or not a GUID, or the host is missing', async () => {
    const out = path.join(tmpdir(), `pandu-manifest-never-${process.pid}.zip`);
    const missing = await runBuild(['--host', HOST, '--out', out]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No app id.*Microsoft App ID/s);
    assert.match(missing.stderr, /--app-id <guid>, or set MicrosoftAppId/);

    const notGuid = await runBuild(['--app-id', '1234', '--host', HOST, '--out', out]);
    assert.equal(notGuid.status, 1);
    assert.match(notGuid.stderr, /--app-id: "1234" is not a GUID/);

    const noHost = await runBuild(['--app-id', APP_ID, '--out', out]);
    assert.equal(noHost.status, 1);
    assert.match(noHost.stderr, /No host.*--host <domain>.*PANDU_PUBLIC_URL/s);

    const badHost = await runBuild(['--app-id', APP_ID, '--host', 'localhost', '--out', out]);
    assert.equal(badHost.status, 1);
    assert.match(badHost.stderr, /--host: "localhost" is not a public domain name/);
    await assert.rejects(readFile(out), { code: 'ENOENT' });
  });
});
