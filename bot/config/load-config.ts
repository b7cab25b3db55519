// The configuration loader: every environment variable Pandu reads is read and checked here, once,
// at startup. `.env.example` lists them all with their defaults.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How the bot authenticates with the Azure Bot Service (botbuilder's `MicrosoftAppType`). */
export type AppType = 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';

/** The log levels Pandu knows, from the quietest to the most verbose. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Pandu's checked configuration, built by {@link loadConfig} from the environment. */
export interface Config {
  /** `local` when MicrosoftAppId is empty or unset: no authentication, loopback only. */
  readonly mode: 'local' | 'authenticated';
  /** True when NODE_ENV=production or PANDU_ENV=production. */
  readonly production: boolean;
  /**
   * The Bot Framework identity. In local mode `appId`, `appPassword` and `tenantId` are '' and
   * `appType` is 'MultiTenant' (botbuilder refuses SingleTenant without an id).
   */
  readonly bot: { readonly appId: string; readonly appPassword: string; readonly tenantId: string; readonly appType: AppType };
  /** The address the HTTP server binds to. */
  readonly host: string;
  /** The port the HTTP server listens on. */
  readonly port: number;
  /** Where Pandu keeps its state (absolute path). */
  readonly dataDir: string;
  /** The catalogue folder (absolute path). */
  readonly catalogueDir: string;
  /** Entra tenant ids (lower-case GUIDs) allowed to talk to Pandu; empty = any tenant. */
  readonly allowedTenants: readonly string[];
  /** Teams (Entra) user ids (aadObjectId) of admins; GUIDs are lower-cased. */
  readonly adminIds: readonly string[];
  /** The most verbose level that is logged. */
  readonly logLevel: LogLevel;
  /** Keep the text of questions Pandu could not answer (off by default: message text is personal). */
  readonly keepUnansweredText: boolean;
  /** https base URL of the bot (no trailing slash), used for diagram links and the manifest. */
  readonly publicUrl?: string;
}

/**
 * What {@link loadConfig} returns: the configuration and the warnings to log, or every error at once
 * (each one line: the variable, what is wrong, what to set).
 */
export type ConfigResult = { ok: true; config: Config; warnings: string[] } | { ok: false; errors: string[] };

/** The project root (the folder holding package.json), two levels up from this file. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The default port, the Bot Framework's customary 3978. */
export const DEFAULT_PORT = 3978;

/** Where Pandu keeps its state when PANDU_DATA_DIR is not set. */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, 'var');

/** The shipped catalogue, used when PANDU_CATALOGUE_DIR is not set. */
export const DEFAULT_CATALOGUE_DIR = path.join(PROJECT_ROOT, 'data', 'catalogue');

const LOCAL_HOST = '127.0.0.1';
const ANY_HOST = '0.0.0.0';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const APP_TYPES: readonly AppType[] = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'];
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_EXAMPLE = '00000000-0000-0000-0000-000000000000';
const MAX_SHOWN = 60;

/** True when `value` is a GUID (any case), the form of every Entra app, tenant and user id. */
function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Splits a comma-separated list, trimming entries and dropping empty ones. */
function splitList(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/**
 * Reads and checks Pandu's configuration from `env` (normally `process.env`), once, at startup.
 *
 * Every value is trimmed and an empty value counts as unset, so a copied `.env.example` runs the bot
 * in local mode. All problems are reported together rather than the first one only, so that one
 * edit of the environment fixes them all. The value of MicrosoftAppPassword never appears in a
 * message, not even when it was pasted into another variable by mistake.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const get = (name: string): string => (env[name] ?? '').trim();

  const appPassword = get('MicrosoftAppPassword');
  /** Quotes a value for a message, on one line, shortened, and hidden if it holds the password. */
  const show = (value: string): string => {
    if (appPassword !== '' && value.includes(appPassword)) return '(value not shown: it contains the MicrosoftAppPassword)';
    const shown = JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
    return shown.replace(/[\u2028\u2029]/g, ' ');
  };

  const productionBy = ['NODE_ENV', 'PANDU_ENV'].filter((name) => get(name).toLowerCase() === 'production');
  const production = productionBy.length > 0;

  // --- The Bot Framework identity ------------------------------------------------------------
  const appId = get('MicrosoftAppId');
  const mode: Config['mode'] = appId === '' ? 'local' : 'authenticated';
  let bot: Config['bot'] = { appId: '', appPassword: '', tenantId: '', appType: 'MultiTenant' };

  if (mode === 'local') {
    if (production) {
      errors.push(`MicrosoftAppId: not set, and Pandu refuses to start in production mode without credentials (${productionBy.map((name) => `${name}=production`).join(', ')}): set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId, or unset ${productionBy.join(' and ')} to run locally.`);
    }
    const ignored = ['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType'].filter((name) => get(name) !== '');
    if (ignored.length > 0) {
      warnings.push(`MicrosoftAppId: not set, so ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored and Pandu runs in local mode; set MicrosoftAppId too to turn authentication on.`);
    }
  } else {
    const tenantId = get('MicrosoftAppTenantId');
    if (!isGuid(appId)) {
      errors.push(`MicrosoftAppId: ${show(appId)} is not a GUID; set it to the bot's Microsoft App ID (Azure Bot resource, Configuration page), e.g. ${GUID_EXAMPLE}.`);
    }
    const appType = parseAppType(get('MicrosoftAppType'), show, errors);
    if (appType !== undefined) {
      if (appType === 'UserAssignedMSI') {
        if (appPassword !== '') {
          errors.push('MicrosoftAppPassword: must be empty for MicrosoftAppType=UserAssignedMSI (the managed identity replaces the password); unset MicrosoftAppPassword, or set MicrosoftAppType=SingleTenant to use it.');
        }
      } else if (appPassword === '') {
        errors.push(`MicrosoftAppPassword: not set, and a ${appType} bot needs one; set it to a client secret of the bot's app registration (Certificates & secrets), or use MicrosoftAppType=UserAssignedMSI with a managed identity.`);
      }
      if (appType !== 'MultiTenant' && tenantId === '') {
        errors.push(`MicrosoftAppTenantId: not set, and a ${appType} bot needs it; set it to the Directory (tenant) ID of the bot's app registration, e.g. ${GUID_EXAMPLE}.`);
      }
      if (appType === 'MultiTenant') {
        warnings.push('MicrosoftAppType: MultiTenant bots are deprecated by Azure Bot Service for new bots; SingleTenant is recommended (set MicrosoftAppType=SingleTenant and MicrosoftAppTenantId).');
      }
      bot = { appId, appPassword: appType === 'UserAssignedMSI' ? '' : appPassword, tenantId, appType };
    }
    if (tenantId !== '' && !isGuid(tenantId)) {
      errors.push(`MicrosoftAppTenantId: ${show(tenantId)} is not a GUID; set it to the Directory (tenant) ID of the bot's app registration, e.g. ${GUID_EXAMPLE}.`);
    }
  }

  // --- The HTTP server ----------------------------------------------------------------------
  const port = parsePort(get('PORT'), show, errors);
  const hostSetting = get('PANDU_HOST');
  let host = hostSetting;
  if (mode === 'local') {
    if (hostSetting === '') {
      host = LOCAL_HOST;
    } else if (!LOOPBACK_HOSTS.has(hostSetting.toLowerCase())) {
      errors.push(`PANDU_HOST: ${show(hostSetting)} is not a loopback address, and local mode has no authentication, so it only listens on 127.0.0.1; set MicrosoftAppId/MicrosoftAppPassword to listen on other addresses, or unset PANDU_HOST.`);
    }
    warnings.push(`Authentication is off (local mode: MicrosoftAppId is not set): anyone on this machine can talk to Pandu on ${host}:${port} as any user; set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId to turn it on.`);
  } else if (hostSetting === '') {
    host = ANY_HOST;
  }

  // --- Folders --------------------------------------------------------------------------------
  const dataDir = resolveDir(get('PANDU_DATA_DIR'), DEFAULT_DATA_DIR);
  const catalogueDir = resolveDir(get('PANDU_CATALOGUE_DIR'), DEFAULT_CATALOGUE_DIR);

  // --- Who may use Pandu ----------------------------------------------------------------------
  const allowedTenants: string[] = [];
  for (const entry of splitList(get('PANDU_ALLOWED_TENANTS'))) {
    if (!isGuid(entry)) {
      errors.push(`PANDU_ALLOWED_TENANTS: entry ${show(entry)} is not a GUID; set PANDU_ALLOWED_TENANTS to comma-separated Entra tenant ids, e.g. ${GUID_EXAMPLE},11111111-1111-1111-1111-111111111111.`);
    } else if (!allowedTenants.includes(entry.toLowerCase())) {
      allowedTenants.push(entry.toLowerCase());
    }
  }
  if (production && allowedTenants.length === 0) {
    warnings.push('PANDU_ALLOWED_TENANTS: not set, so any tenant is accepted; production deployments should set PANDU_ALLOWED_TENANTS to the department\'s tenant id(s).');
  }

  const adminIds: string[] = [];
  for (const entry of splitList(get('PANDU_ADMIN_IDS'))) {
    const id = isGuid(entry) ? entry.toLowerCase() : entry;
    if (!isGuid(entry)) {
      warnings.push(`PANDU_ADMIN_IDS: entry ${show(entry)} is not a GUID, so it will never match a Teams user; use the user's Entra object id (aadObjectId), e.g. ${GUID_EXAMPLE}.`);
    }
    if (!adminIds.includes(id)) adminIds.push(id);
  }

  // --- Logging, privacy and links ---------------------------------------------------------------
  const logLevel = parseLogLevel(get('PANDU_LOG_LEVEL'), show, errors);
  const keepUnansweredText = parseBoolean('PANDU_KEEP_UNANSWERED_TEXT', get('PANDU_KEEP_UNANSWERED_TEXT'), false, show, errors);
  const publicUrl = parsePublicUrl(get('PANDU_PUBLIC_URL'), show, errors);

  if (errors.length > 0) return { ok: false, errors };
  const config: Config = {
    mode,
    production,
    bot: Object.freeze(bot),
    host,
    port,
    dataDir,
    catalogueDir,
    allowedTenants: Object.freeze(allowedTenants),
    adminIds: Object.freeze(adminIds),
    logLevel,
    keepUnansweredText,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  };
  return { ok: true, config: Object.freeze(config), warnings };
}

/**
 * The variables botbuilder's ConfigurationBotFrameworkAuthentication (and its credential factory)
 * reads, built from a checked configuration so that the SDK never sees the raw environment.
 *
 * Local mode yields an empty MultiTenant identity (authentication disabled; botbuilder rejects
 * SingleTenant without an id); UserAssignedMSI yields no password (botbuilder rejects one).
 */
export function botFrameworkEnv(config: Config): Record<string, string> {
  if (config.mode === 'local') {
    return { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
  }
  const { appId, appPassword, appType, tenantId } = config.bot;
  return {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: appType === 'UserAssignedMSI' ? '' : appPassword,
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: tenantId,
  };
}

type Show = (value: string) => string;

/** MicrosoftAppType, case-insensitive, default SingleTenant; undefined (and an error) when unknown. */
function parseAppType(value: string, show: Show, errors: string[]): AppType | undefined {
  if (value === '') return 'SingleTenant';
  const appType = APP_TYPES.find((known) => known.toLowerCase() === value.toLowerCase());
  if (appType === undefined) {
    errors.push(`MicrosoftAppType: ${show(value)} is not an app type; set it to SingleTenant (the default), MultiTenant or UserAssignedMSI, as on the Azure Bot resource.`);
  }
  return appType;
}

/** PORT: a whole number from 1 to 65535, default 3978. */
function parsePort(value: string, show: Show, errors: string[]): number {
  if (value === '') return DEFAULT_PORT;
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push(`PORT: ${show(value)} is not a port number; set PORT to a whole number from 1 to 65535, or unset it for the default ${DEFAULT_PORT}.`);
    return DEFAULT_PORT;
  }
  return port;
}

/** A folder setting: absolute, with relative paths resolved against the working directory. */
function resolveDir(value: string, fallback: string): string {
  return value === '' ? fallback : path.resolve(process.cwd(), value);
}

/** PANDU_LOG_LEVEL, case-insensitive, default info. */
function parseLogLevel(value: string, show: Show, errors: string[]): LogLevel {
  if (value === '') return 'info';
  const level = LOG_LEVELS.find((known) => known === value.toLowerCase());
  if (level === undefined) {
    errors.push(`PANDU_LOG_LEVEL: ${show(value)} is not a log level; set it to ${LOG_LEVELS.join(', ')} (default info).`);
    return 'info';
  }
  return level;
}

/** A yes/no setting: true/false, 1/0 or yes/no, case-insensitive. */
function parseBoolean(name: string, value: string, fallback: boolean, show: Show, errors: string[]): boolean {
  if (value === '') return fallback;
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  errors.push(`${name}: ${show(value)} is not a yes/no value; set it to true or false (also accepted: 1/0, yes/no), or unset it for the default ${String(fallback)}.`);
  return fallback;
}

/**
 * PANDU_PUBLIC_URL: an https base URL (http only for localhost/127.0.0.1, for local testing),
 * without credentials, query or fragment; returned without its trailing slash.
 */
function parsePublicUrl(value: string, show: Show, errors: string[]): string | undefined {
  if (value === '') return undefined;
  const fix = 'set PANDU_PUBLIC_URL to the https address Teams reaches the bot at, e.g. https://pandu.example.go.id, or unset it';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push(`PANDU_PUBLIC_URL: ${show(value)} is not a URL; ${fix}.`);
    return undefined;
  }
  const localHttp = url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  if (url.protocol !== 'https:' && !localHttp) {
    errors.push(`PANDU_PUBLIC_URL: ${show(value)} is not an https:// URL (Teams only opens https links; http is allowed for localhost and 127.0.0.1 only); ${fix}.`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    errors.push(`PANDU_PUBLIC_URL: ${show(value)} is not a plain base URL (it has a user name, password, query or fragment); ${fix}.`);
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
