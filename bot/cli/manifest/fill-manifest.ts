/**
 * The Teams app package, without the command line: checks the values, fills
 * manifest/manifest.template.json, validates the manifest and its localization files OFFLINE against
 * the JSON schemas bundled with @microsoft/app-manifest (for the manifest's own schema version), and
 * gathers the files of the package. `npm run manifest` (bot/cli/build-manifest.ts) zips them.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { PROJECT_ROOT } from '../../config/load-config.js';
import type { ZipEntry } from './write-zip.js';

/** The folder holding the template, its localization files and the icons. */
export const MANIFEST_DIR = path.join(PROJECT_ROOT, 'manifest');

/** The template, relative to {@link MANIFEST_DIR}. */
export const TEMPLATE_FILE = 'manifest.template.json';

/** The values filled into the template (each checked by {@link checkValues}). */
export interface ManifestValues {
  /** The bot's Microsoft App ID (a GUID), also used as the Teams app id: `${{BOT_ID}}`. */
  readonly appId: string;
  /** The domain the bot is served from, e.g. pandu.example.go.id: `${{BOT_DOMAIN}}`. */
  readonly host: string;
  /** The developer's website (https): `${{DEVELOPER_URL}}`. */
  readonly developerUrl: string;
  /** The privacy statement (https): `${{PRIVACY_URL}}`. */
  readonly privacyUrl: string;
  /** The terms of use (https): `${{TERMS_URL}}`. */
  readonly termsUrl: string;
  /** The app package version, MAJOR.MINOR.PATCH: `${{APP_VERSION}}`. */
  readonly appVersion: string;
}

/** Where each value came from, to name it in messages (e.g. "--app-id" or "MicrosoftAppId"). */
export type ValueSources = Partial<Record<keyof ManifestValues, string>>;

/** A JSON object, as parsed. */
export type JsonObject = { [key: string]: unknown };

/** A result: the value, or every problem found, each one line saying what to change. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/(v\d+\.\d+|vDevPreview)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/i;
const GUID_EXAMPLE = '00000000-0000-0000-0000-000000000000';
const DEFAULT_SOURCES: Required<ValueSources> = {
  appId: 'app id',
  host: 'host',
  developerUrl: 'developer URL',
  privacyUrl: 'privacy URL',
  termsUrl: 'terms of use URL',
  appVersion: 'app version',
};
/** Icon files and the size Teams requires of each. */
const ICON_SIZES: Readonly<Record<'color' | 'outline', number>> = { color: 192, outline: 32 };

/** The problem with `value` as a bot app id, or undefined when it is a GUID. */
export function checkAppId(value: string, source = DEFAULT_SOURCES.appId): string | undefined {
  if (value.trim() === '') return `${source}: not set; give the bot's Microsoft App ID (Azure Bot resource, Configuration page), e.g. ${GUID_EXAMPLE}.`;
  if (!GUID.test(value)) return `${source}: ${JSON.stringify(value)} is not a GUID; give the bot's Microsoft App ID (Azure Bot resource, Configuration page), e.g. ${GUID_EXAMPLE}.`;
  return undefined;
}

/**
 * The problem with `value` as the bot's domain, or undefined when it is a public DNS name: lower or
 * upper case letters, digits and hyphens, at least two labels, an alphabetic top-level domain; no
 * scheme, port, path, IP address or localhost (Teams reaches the bot over public https).
 */
export function checkHost(value: string, source = DEFAULT_SOURCES.host): string | undefined {
  const fix = 'give the public domain name Teams reaches the bot at, e.g. pandu.example.go.id';
  if (value.trim() === '') return `${source}: not set; ${fix}.`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `${source}: ${JSON.stringify(value)} is a URL, not a domain name; ${fix} (without https:// or a path).`;
  if (value.length > 253) return `${source}: ${JSON.stringify(value.slice(0, 60))}… is longer than a domain name can be; ${fix}.`;
  const labels = value.toLowerCase().split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !/^[a-z]{2,63}$/.test(tld)) {
    return `${source}: ${JSON.stringify(value)} is not a public domain name (no port, path, IP address or localhost); ${fix}.`;
  }
  return undefined;
}

/** The problem with `value` as an https link of the manifest, or undefined. */
export function checkHttpsUrl(value: string, source: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${source}: ${JSON.stringify(value)} is not a URL; give an https:// address, e.g. https://pandu.example.go.id/privacy.`;
  }
  if (url.protocol !== 'https:') return `${source}: ${JSON.stringify(value)} is not an https:// URL (Teams requires https); give an https:// address.`;
  if (url.username !== '' || url.password !== '') return `${source}: the URL holds a user name or password; give a public https:// address without credentials.`;
  return undefined;
}

/** Every problem with `values`, each naming its source (flag or variable). */
export function checkValues(values: ManifestValues, sources: ValueSources = {}): string[] {
  const name = { ...DEFAULT_SOURCES, ...sources };
  const problems = [
    checkAppId(values.appId, name.appId),
    checkHost(values.host, name.host),
    checkHttpsUrl(values.developerUrl, name.developerUrl),
    checkHttpsUrl(values.privacyUrl, name.privacyUrl),
    checkHttpsUrl(values.termsUrl, name.termsUrl),
    SEMVER.test(values.appVersion) ? undefined : `${name.appVersion}: ${JSON.stringify(values.appVersion)} is not a MAJOR.MINOR.PATCH version (Teams requires one), e.g. 1.0.0.`,
  ];
  return problems.filter((problem): problem is string => problem !== undefined);
}

/** The default links for a domain: https://<host>/, /privacy and /terms. */
export function defaultLinks(host: string): Pick<ManifestValues, 'developerUrl' | 'privacyUrl' | 'termsUrl'> {
  return { developerUrl: `https://${host}/`, privacyUrl: `https://${host}/privacy`, termsUrl: `https://${host}/terms` };
}

/**
 * Fills the `${{NAME}}` placeholders of the template text (BOT_ID, BOT_DOMAIN, DEVELOPER_URL,
 * PRIVACY_URL, TERMS_URL, APP_VERSION) and parses the result. The values are JSON-escaped, as the
 * placeholders sit inside JSON strings. An unknown placeholder or invalid JSON is an error.
 */
export function fillTemplate(templateText: string, values: ManifestValues): Outcome<JsonObject> {
  const fills: Record<string, string> = {
    BOT_ID: values.appId,
    BOT_DOMAIN: values.host,
    DEVELOPER_URL: values.developerUrl,
    PRIVACY_URL: values.privacyUrl,
    TERMS_URL: values.termsUrl,
    APP_VERSION: values.appVersion,
  };
  const unknown = new Set<string>();
  const text = templateText.replace(PLACEHOLDER, (whole, key: string) => {
    const fill = fills[key];
    if (fill === undefined) {
      unknown.add(whole);
      return whole;
    }
    return JSON.stringify(fill).slice(1, -1);
  });
  if (unknown.size > 0) {
    return { ok: false, errors: [`${TEMPLATE_FILE}: unknown placeholder(s) ${[...unknown].join(', ')}; known: ${Object.keys(fills).map((key) => `\${{${key}}}`).join(', ')}.`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${TEMPLATE_FILE}: not valid JSON after filling (${(error as Error).message}).`] };
  }
  if (!isObject(parsed)) return { ok: false, errors: [`${TEMPLATE_FILE}: the manifest must be a JSON object.`] };
  return { ok: true, value: parsed };
}

/** The schema version and file a Teams `$schema` URL names, when it is one. */
export function parseSchemaUrl(url: unknown): { version: string; file: string } | undefined {
  if (typeof url !== 'string') return undefined;
  const match = SCHEMA_URL.exec(url);
  if (!match) return undefined;
  const version = match[1]!.toLowerCase() === 'vdevpreview' ? 'vDevPreview' : match[1]!.toLowerCase();
  const file = match[2]!.toLowerCase() === 'microsoftteams.localization.schema.json' ? 'MicrosoftTeams.Localization.schema.json' : 'MicrosoftTeams.schema.json';
  return { version, file };
}

/** The folder of the JSON schemas that @microsoft/app-manifest ships (build/json-schemas/teams). */
export function bundledSchemaDir(): string {
  const entry = createRequire(import.meta.url).resolve('@microsoft/app-manifest');
  return path.join(path.dirname(entry), 'json-schemas', 'teams');
}

/**
 * Reads a schema bundled with @microsoft/app-manifest, for the version and file a `$schema` URL
 * names. Never goes to the network: a URL without a bundled schema is an error.
 */
async function bundledSchema(url: unknown, what: string): Promise<Outcome<{ version: string; schema: object }>> {
  const named = parseSchemaUrl(url);
  if (named === undefined) {
    return { ok: false, errors: [`${what}: $schema ${JSON.stringify(url)} is not a Microsoft Teams schema URL (https://developer.microsoft.com/json-schemas/teams/v1.NN/…schema.json).`] };
  }
  const file = path.join(bundledSchemaDir(), named.version, named.file);
  if (!existsSync(file)) {
    return { ok: false, errors: [`${what}: @microsoft/app-manifest does not bundle ${named.version}/${named.file}, so it cannot be validated offline; use a schema version it ships (see ${bundledSchemaDir()}).`] };
  }
  // Some published schemas contain the escapes \a and \v, which JSON lacks (the package does the same).
  const text = (await readFile(file, 'utf8')).replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return { ok: true, value: { version: named.version, schema: unicodeSafePatterns(JSON.parse(text)) as object } };
}

/**
 * The published Localization schemas (every version up to v1.30 and devPreview) hold a pattern with
 * a lone "]" (`…activityTypes\[\b(…)\b]\.description$`): valid JavaScript without the u flag, where
 * it means a literal "]", but a SyntaxError with the u flag, which ajv (and so @microsoft/app-manifest)
 * compiles with. Such patterns get that "]" escaped, which keeps their meaning; others are untouched.
 */
export function unicodeSafePatterns(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(unicodeSafePatterns);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'patternProperties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([pattern, sub]) => [unicodeSafePattern(pattern), unicodeSafePatterns(sub)]));
    } else if (key === 'pattern' && typeof value === 'string') {
      out[key] = unicodeSafePattern(value);
    } else {
      out[key] = unicodeSafePatterns(value);
    }
  }
  return out;
}

function unicodeSafePattern(pattern: string): string {
  if (compiles(pattern, 'u') || !compiles(pattern, '')) return pattern;
  let fixed = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      fixed += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      fixed += c;
    } else {
      if (c === '[') inClass = true;
      fixed += c === ']' ? '\\]' : c;
    }
  }
  return compiles(fixed, 'u') ? fixed : pattern;
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

/** Runs @microsoft/app-manifest's validator with a given schema, its messages prefixed with `what`. */
async function validateWith(document: JsonObject, schema: object, what: string): Promise<string[]> {
  // validateAgainstSchema is typed for manifests; it validates any JSON value against the schema given.
  let failures: string[];
  try {
    failures = await AppManifestUtils.validateAgainstSchema(document as never, schema as never);
  } catch (error) {
    return [`${what}: its schema could not be compiled for validation (${(error as Error).message}).`];
  }
  return failures.map((failure) => `${what}${failure.startsWith(' ') ? ':' : ': '}${failure}`);
}

/**
 * Validates a filled manifest offline against the bundled schema of its own version (the one its
 * `$schema` names), plus what the schema cannot say: manifestVersion matches the `$schema` URL, and
 * the message extension uses the bot's id. Returns every error (none: valid).
 */
export async function validateManifest(manifest: JsonObject): Promise<string[]> {
  const loaded = await bundledSchema(manifest['$schema'], 'manifest.json');
  if (!loaded.ok) return loaded.errors;
  const errors = await validateWith(manifest, loaded.value.schema, 'manifest.json');
  const expected = loaded.value.version === 'vDevPreview' ? 'devPreview' : loaded.value.version.slice(1);
  if (manifest['manifestVersion'] !== expected) {
    errors.push(`manifest.json: manifestVersion ${JSON.stringify(manifest['manifestVersion'])} does not match its $schema (${loaded.value.version}); set it to "${expected}".`);
  }
  const botId = lookup(manifest, 'bots[0].botId');
  const extensionBotId = lookup(manifest, 'composeExtensions[0].botId');
  if (extensionBotId !== undefined && extensionBotId !== botId) {
    errors.push(`manifest.json: composeExtensions[0].botId ${JSON.stringify(extensionBotId)} is not the bot's id ${JSON.stringify(botId)}; the compose-box search is answered by the bot.`);
  }
  return errors;
}

/**
 * Validates a localization file (`name`, e.g. en.json) offline against the bundled Localization
 * schema, which must be of the manifest's schema version, and checks that each localized key names
 * a string the manifest has (e.g. bots[0].commandLists[1].commands[2].description).
 */
export async function validateLocalization(name: string, file: JsonObject, manifest: JsonObject): Promise<string[]> {
  const loaded = await bundledSchema(file['$schema'], name);
  if (!loaded.ok) return loaded.errors;
  const errors = await validateWith(file, loaded.value.schema, name);
  const manifestSchema = parseSchemaUrl(manifest['$schema']);
  if (manifestSchema !== undefined && manifestSchema.version !== loaded.value.version) {
    errors.push(`${name}: its $schema is ${loaded.value.version} but the manifest's is ${manifestSchema.version}; use the same version.`);
  }
  for (const key of Object.keys(file)) {
    if (key === '$schema' || key === 'localizationKeys') continue;
    if (typeof lookup(manifest, key) !== 'string') errors.push(`${name}: "${key}" names nothing in the manifest; remove it or fix the index.`);
  }
  return errors;
}

/** The value at a localization-style path (`name.short`, `bots[0].commandLists[1].commands[2].title`). */
export function lookup(document: unknown, key: string): unknown {
  let value: unknown = document;
  for (const part of key.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      value = Array.isArray(value) ? (value as unknown[])[Number(part.slice(1, -1))] : undefined;
    } else {
      value = isObject(value) ? value[part] : undefined;
    }
  }
  return value;
}

/** The width and height of a PNG, from its IHDR chunk; undefined when it is not a PNG. */
export function pngSize(data: Uint8Array): { width: number; height: number } | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** What {@link buildPackage} returns: the filled manifest and the package's files. */
export interface AppPackage {
  readonly manifest: JsonObject;
  /** manifest.json, the localization files, then the icons, for the zip root. */
  readonly files: readonly ZipEntry[];
}

/**
 * Checks the values, fills the template of `manifestDir`, validates the manifest and every
 * localization file it lists offline, checks the icons' sizes, and returns the files of the Teams
 * app package. All problems are reported at once where they do not depend on each other.
 */
export async function buildPackage(values: ManifestValues, options: { manifestDir?: string; sources?: ValueSources } = {}): Promise<Outcome<AppPackage>> {
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const valueErrors = checkValues(values, options.sources);
  if (valueErrors.length > 0) return { ok: false, errors: valueErrors };

  const filled = fillTemplate(await readFile(path.join(dir, TEMPLATE_FILE), 'utf8'), values);
  if (!filled.ok) return filled;
  const manifest = filled.value;
  const errors = await validateManifest(manifest);

  const files: ZipEntry[] = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }];
  const languages = lookup(manifest, 'localizationInfo.additionalLanguages');
  for (const language of Array.isArray(languages) ? languages : []) {
    const name = isObject(language) && typeof language['file'] === 'string' ? language['file'] : undefined;
    if (name === undefined) continue; // the schema check reports it
    const data = await readPackageFile(dir, name, errors);
    if (data === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch (error) {
      errors.push(`${name}: not valid JSON (${(error as Error).message}).`);
      continue;
    }
    if (!isObject(parsed)) {
      errors.push(`${name}: must be a JSON object.`);
      continue;
    }
    errors.push(...(await validateLocalization(name, parsed, manifest)));
    files.push({ name, data });
  }

  for (const [kind, size] of Object.entries(ICON_SIZES)) {
    const name = lookup(manifest, `icons.${kind}`);
    if (typeof name !== 'string') continue; // the schema check reports it
    const data = await readPackageFile(dir, name, errors);
    if (data === undefined) continue;
    const actual = pngSize(data);
    if (actual === undefined) errors.push(`${name}: the ${kind} icon is not a PNG file.`);
    else if (actual.width !== size || actual.height !== size) errors.push(`${name}: the ${kind} icon is ${actual.width}×${actual.height}; Teams requires ${size}×${size} (npx tsx manifest/render-icons.ts renders it).`);
    files.push({ name, data });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { manifest, files } };
}

/** Reads a file the manifest names, which must sit in the manifest folder itself (the zip root). */
async function readPackageFile(dir: string, name: string, errors: string[]): Promise<Buffer | undefined> {
  if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') {
    errors.push(`manifest.json: "${name}" must be a plain file name; the package keeps every file at the zip root.`);
    return undefined;
  }
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    errors.push(`manifest.json names "${name}", but ${path.relative(PROJECT_ROOT, file) || file} does not exist.`);
    return undefined;
  }
  return readFile(file);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
