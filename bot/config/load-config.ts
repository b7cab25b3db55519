// The configuration loader: every environment variable Pandu reads is read and checked here, once,
// at startup. `.env.example` lists them all with their defaults.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How the bot authenticates with the Azure Bot Service (botbuilder's `MicrosoftAppType`). */
export type AppType = 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';

/** The log levels Pandu knows, from the quietest to the most verbose. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * Where Pandu keeps its state: lowdb files under `dataDir` (the default; one process), or an Azure
 * Blob Storage container (several instances). The connection string holds the account key (or a
 * SAS): never log it.
 */
export type StoreConfig = { readonly kind: 'lowdb' } | { readonly kind: 'blob'; readonly connectionString: string; readonly container: string };

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
  /** The state store backend (PANDU_STORE); lowdb keeps its files in `dataDir`. */
  readonly store: StoreConfig;
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
/** The container used when PANDU_BLOB_CONTAINER is not set. */
export const DEFAULT_BLOB_CONTAINER = 'pandu';
/** Azure's rule (the same check as the Blob store's): 3–63 lowercase letters, digits and single hyphens, not at either end. */
const CONTAINER_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
/** Text that looks like a storage connection string or SAS, which carries a secret. */
const STORAGE_SECRET = /AccountKey\s*=|SharedAccessSignature\s*=|[?&;]sig=/i;

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
  const blobConnectionString = get('PANDU_BLOB_CONNECTION_STRING');
  // The whole connection string and its secret parts (a key pasted alone elsewhere is hidden too).
  const blobSecrets = [blobConnectionString, ...['accountkey', 'sharedaccesssignature'].map((name) => connectionSettings(blobConnectionString).get(name) ?? '')].filter((secret) => secret.length >= 8);
  /** Quotes a value for a message, on one line, shortened, and hidden if it holds a secret. */
  const show = (value: string): string => {
    if (appPassword !== '' && value.includes(appPassword)) return '(value not shown: it contains the MicrosoftAppPassword)';
    if (blobSecrets.some((secret) => value.includes(secret))) return '(value not shown: it contains the PANDU_BLOB_CONNECTION_STRING)';
    if (STORAGE_SECRET.test(value)) return '(value not shown: it looks like a storage connection string, which holds a key)';
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

  // --- The state store --------------------------------------------------------------------------
  const store = parseStore(get('PANDU_STORE'), blobConnectionString, get('PANDU_BLOB_CONTAINER'), show, errors, warnings);

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
    store: Object.freeze(store),
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

/**
 * PANDU_STORE (lowdb, the default, or blob, case-insensitive) with, for blob,
 * PANDU_BLOB_CONNECTION_STRING (required; its value is never put in a message, it holds the
 * account key) and PANDU_BLOB_CONTAINER (default "pandu").
 */
function parseStore(kind: string, connectionString: string, containerSetting: string, show: Show, errors: string[], warnings: string[]): StoreConfig {
  const choice = kind === '' ? 'lowdb' : kind.toLowerCase();
  if (choice !== 'lowdb' && choice !== 'blob') {
    errors.push(`PANDU_STORE: ${show(kind)} is not a store; set it to lowdb (the default: files in PANDU_DATA_DIR, one Pandu process) or blob (Azure Blob Storage, for several instances).`);
    return { kind: 'lowdb' };
  }
  if (choice === 'lowdb') {
    const ignored = ['PANDU_BLOB_CONNECTION_STRING', 'PANDU_BLOB_CONTAINER'].filter((name) => (name === 'PANDU_BLOB_CONTAINER' ? containerSetting : connectionString) !== '');
    if (ignored.length > 0) {
      warnings.push(`PANDU_STORE: lowdb (the default), so ${ignored.join(' and ')} ${ignored.length === 1 ? 'is' : 'are'} ignored; set PANDU_STORE=blob to keep the state in Azure Blob Storage.`);
    }
    return { kind: 'lowdb' };
  }
  const container = containerSetting === '' ? DEFAULT_BLOB_CONTAINER : containerSetting;
  let ok = true;
  if (connectionString === '') {
    errors.push('PANDU_BLOB_CONNECTION_STRING: not set, and PANDU_STORE=blob needs it; set it to the storage account\'s connection string (Azure portal: Storage account → Security + networking → Access keys), or UseDevelopmentStorage=true for a local Azurite, or set PANDU_STORE=lowdb.');
    ok = false;
  } else if (!looksLikeConnectionString(connectionString)) {
    errors.push('PANDU_BLOB_CONNECTION_STRING: (value not shown: it may hold a key) is not a storage connection string; it needs AccountName=…;AccountKey=… (or BlobEndpoint=…;SharedAccessSignature=…, or UseDevelopmentStorage=true). Copy it again from Storage account → Security + networking → Access keys.');
    ok = false;
  }
  if (!CONTAINER_NAME.test(container)) {
    const hint = CONTAINER_NAME.test(container.toLowerCase()) ? ` (in lowercase: ${show(container.toLowerCase())})` : '';
    errors.push(`PANDU_BLOB_CONTAINER: ${show(container)} is not a valid container name; use 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit${hint}, or unset it for the default ${DEFAULT_BLOB_CONTAINER}.`);
    ok = false;
  }
  return ok ? { kind: 'blob', connectionString, container } : { kind: 'lowdb' };
}

/** The settings of a connection string, `Name=value;…`, by lower-cased name. */
function connectionSettings(connectionString: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) settings.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return settings;
}

/** Whether a connection string has what the Blob SDK needs: a development flag, an account and key, or an endpoint and SAS. */
function looksLikeConnectionString(connectionString: string): boolean {
  const settings = connectionSettings(connectionString);
  const has = (name: string): boolean => (settings.get(name) ?? '') !== '';
  if (settings.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  if (has('accountname') && has('accountkey')) return true;
  return has('blobendpoint') && has('sharedaccesssignature');
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
