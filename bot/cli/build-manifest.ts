/**
 * `npm run manifest [-- --out <file>] [--app-id <guid>] [--host <domain>] [--app-version <x.y.z>]`
 * builds the Teams app package (pandu-teams-app.zip in the project root by default): manifest.json
 * filled from manifest/manifest.template.json, en.json, color.png and outline.png, at the zip root.
 *
 * Values come from the flags, else from Pandu's configuration: MicrosoftAppId, and the host of
 * PANDU_PUBLIC_URL. The links come from PANDU_DEVELOPER_URL, PANDU_PRIVACY_URL and PANDU_TERMS_URL
 * (defaults https://<host>/, /privacy, /terms); the version from package.json. The manifest is
 * validated offline against the schema of its version; any problem is printed and exits 1.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../config/load-config.js';
import { buildPackage, defaultLinks, type ManifestValues, type ValueSources } from './manifest/fill-manifest.js';
import { createZip } from './manifest/write-zip.js';

const USAGE = `Usage: npm run manifest [-- --out <file>] [--app-id <guid>] [--host <domain>] [--app-version <x.y.z>]
  --out          where to write the package (default: pandu-teams-app.zip in the project root)
  --app-id       the bot's Microsoft App ID (default: MicrosoftAppId)
  --host         the bot's public domain, e.g. pandu.example.go.id (default: the host of PANDU_PUBLIC_URL)
  --app-version  the app version (default: "version" of package.json)
Links: PANDU_DEVELOPER_URL, PANDU_PRIVACY_URL, PANDU_TERMS_URL (default https://<host>/, /privacy, /terms).
`;
const DEFAULT_OUT = path.join(PROJECT_ROOT, 'pandu-teams-app.zip');

function fail(lines: readonly string[], code = 1): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(code);
}

let flags: { out?: string; 'app-id'?: string; host?: string; 'app-version'?: string; help?: boolean };
try {
  flags = parseArgs({
    args: process.argv.slice(2),
    options: {
      out: { type: 'string' },
      'app-id': { type: 'string' },
      host: { type: 'string' },
      'app-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  fail([(error as Error).message, '', USAGE], 2);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const sources: ValueSources = {};
let appId = flags['app-id']?.trim();
let host = flags.host?.trim();
if (appId !== undefined) sources.appId = '--app-id';
if (host !== undefined) sources.host = '--host';

// Only what the flags leave open is read from the configuration, so that the flags alone suffice.
if (appId === undefined || host === undefined) {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    fail(['Pandu\'s configuration has errors, so the app id and host cannot be read from it:', ...loaded.errors.map((e) => `  - ${e}`), 'Fix them, or pass --app-id <guid> and --host <domain>.']);
  }
  if (appId === undefined) {
    appId = loaded.config.bot.appId;
    sources.appId = 'MicrosoftAppId';
    if (appId === '') {
      fail(['No app id: the Teams package needs the bot\'s Microsoft App ID (a GUID, from the Azure Bot resource, Configuration page).', 'Pass --app-id <guid>, or set MicrosoftAppId.']);
    }
  }
  if (host === undefined) {
    sources.host = 'PANDU_PUBLIC_URL';
    if (loaded.config.publicUrl === undefined) {
      fail(['No host: the Teams package needs the public domain the bot is served from.', 'Pass --host <domain> (e.g. pandu.example.go.id), or set PANDU_PUBLIC_URL (e.g. https://pandu.example.go.id).']);
    }
    host = new URL(loaded.config.publicUrl).hostname;
  }
}

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};
const links = defaultLinks(host);
const packageJson = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
const values: ManifestValues = {
  appId,
  host,
  developerUrl: env('PANDU_DEVELOPER_URL') ?? links.developerUrl,
  privacyUrl: env('PANDU_PRIVACY_URL') ?? links.privacyUrl,
  termsUrl: env('PANDU_TERMS_URL') ?? links.termsUrl,
  appVersion: flags['app-version']?.trim() ?? String(packageJson.version ?? ''),
};
sources.developerUrl = env('PANDU_DEVELOPER_URL') ? 'PANDU_DEVELOPER_URL' : `developer URL (default from ${sources.host})`;
sources.privacyUrl = env('PANDU_PRIVACY_URL') ? 'PANDU_PRIVACY_URL' : `privacy URL (default from ${sources.host})`;
sources.termsUrl = env('PANDU_TERMS_URL') ? 'PANDU_TERMS_URL' : `terms URL (default from ${sources.host})`;
sources.appVersion = flags['app-version'] !== undefined ? '--app-version' : 'package.json version';

const built = await buildPackage(values, { sources });
if (!built.ok) {
  fail([`The Teams app package was not written: ${built.errors.length} problem${built.errors.length === 1 ? '' : 's'}.`, ...built.errors.map((e) => `  - ${e}`)]);
}

/** A path relative to the working directory when it lies inside it, else absolute. */
const shown = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};
const out = flags.out === undefined ? DEFAULT_OUT : path.resolve(process.cwd(), flags.out);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, createZip(built.value.files));
const manifest = built.value.manifest;
process.stdout.write(
  `Wrote ${shown(out)}: manifest ${String(manifest['manifestVersion'])} (validated offline), app ${String(manifest['version'])}, ` +
    `bot ${appId}, domain ${host}; files ${built.value.files.map((f) => f.name).join(', ')}.\n` +
    'Upload it in Teams (Apps > Manage your apps > Upload an app) or in the Teams admin center.\n',
);
