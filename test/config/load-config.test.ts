import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { botFrameworkEnv, loadConfig, type Config } from '../../bot/config/load-config.js';

type Env = Record<string, string | undefined>;

const APP_ID = '5f0c8a3e-1b2d-4c6e-8f9a-0b1c2d3e4f50';
const TENANT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const PASSWORD = 'Xq8~pandu.S3cret_value-DoNotLog';
/** A complete SingleTenant identity. */
const AUTH: Env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppTenantId: TENANT_ID };
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function configOf(env: Env): { config: Config; warnings: string[] } {
  const result = loadConfig(env);
  if (!result.ok) assert.fail(`expected a configuration, got errors:\n${result.errors.join('\n')}`);
  return result;
}

function errorsOf(env: Env): string[] {
  const result = loadConfig(env);
  if (result.ok) assert.fail('expected errors, got a configuration');
  return result.errors;
}

/** Every message a result carries, errors and warnings alike. */
function messagesOf(env: Env): string[] {
  const result = loadConfig(env);
  return result.ok ? result.warnings : result.errors;
}

describe('loadConfig', () => {
  it('runs in local mode on its defaults when nothing is set', () => {
    const { config } = configOf({});
    assert.deepEqual(config, {
      mode: 'local',
      production: false,
      bot: { appId: '', appPassword: '', tenantId: '', appType: 'MultiTenant' },
      host: '127.0.0.1',
      port: 3978,
      dataDir: path.join(PROJECT_ROOT, 'var'),
      store: { kind: 'lowdb' },
      catalogueDir: path.join(PROJECT_ROOT, 'data', 'catalogue'),
      allowedTenants: [],
      adminIds: [],
      logLevel: 'info',
      keepUnansweredText: false,
    });
    assert.ok(path.isAbsolute(config.dataDir) && path.isAbsolute(config.catalogueDir));
  });

  it('treats empty and blank values as unset, as in a copied .env.example', () => {
    const blank = Object.fromEntries(['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'PORT', 'PANDU_HOST', 'PANDU_DATA_DIR', 'PANDU_CATALOGUE_DIR', 'PANDU_ALLOWED_TENANTS', 'PANDU_ADMIN_IDS', 'PANDU_LOG_LEVEL', 'PANDU_KEEP_UNANSWERED_TEXT', 'PANDU_PUBLIC_URL', 'NODE_ENV', 'PANDU_ENV'].map((name) => [name, ' ']));
    assert.deepEqual(configOf(blank).config, configOf({}).config);
  });

  it('reports local mode as MultiTenant with no id, whatever MicrosoftAppType says', () => {
    for (const appType of ['SingleTenant', 'UserAssignedMSI', 'nonsense']) {
      const { config, warnings } = configOf({ MicrosoftAppType: appType, MicrosoftAppPassword: PASSWORD, MicrosoftAppTenantId: TENANT_ID });
      assert.deepEqual(config.bot, { appId: '', appPassword: '', tenantId: '', appType: 'MultiTenant' });
      assert.ok(warnings.some((w) => /^MicrosoftAppId: not set, so MicrosoftAppPassword, MicrosoftAppTenantId, MicrosoftAppType are ignored/.test(w)), warnings.join('\n'));
    }
  });

  it('reads a complete SingleTenant identity and listens on every address by default', () => {
    const { config, warnings } = configOf(AUTH);
    assert.equal(config.mode, 'authenticated');
    assert.deepEqual(config.bot, { appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID, appType: 'SingleTenant' });
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(warnings, []);
  });

  const accepted: [string, Env, Partial<Config>][] = [
    ['PORT=1', { PORT: '1' }, { port: 1 }],
    ['PORT=65535', { PORT: ' 65535 ' }, { port: 65535 }],
    ['PANDU_HOST=localhost in local mode', { PANDU_HOST: 'localhost' }, { host: 'localhost' }],
    ['PANDU_HOST=::1 in local mode', { PANDU_HOST: '::1' }, { host: '::1' }],
    ['PANDU_HOST=127.0.0.1 in local mode', { PANDU_HOST: '127.0.0.1' }, { host: '127.0.0.1' }],
    ['PANDU_HOST=10.0.0.5 when authenticated', { ...AUTH, PANDU_HOST: '10.0.0.5' }, { host: '10.0.0.5' }],
    ['MicrosoftAppType in any case, normalized', { ...AUTH, MicrosoftAppType: 'singletenant' }, { bot: { appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID, appType: 'SingleTenant' } }],
    ['UserAssignedMSI without a password', { MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ID, MicrosoftAppType: 'userassignedmsi' }, { bot: { appId: APP_ID, appPassword: '', tenantId: TENANT_ID, appType: 'UserAssignedMSI' } }],
    ['MultiTenant without a tenant id', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'MULTITENANT' }, { bot: { appId: APP_ID, appPassword: PASSWORD, tenantId: '', appType: 'MultiTenant' } }],
    ['PANDU_LOG_LEVEL=DEBUG', { PANDU_LOG_LEVEL: 'DEBUG' }, { logLevel: 'debug' }],
    ['PANDU_LOG_LEVEL=error', { PANDU_LOG_LEVEL: 'error' }, { logLevel: 'error' }],
    ['PANDU_KEEP_UNANSWERED_TEXT=true', { PANDU_KEEP_UNANSWERED_TEXT: 'true' }, { keepUnansweredText: true }],
    ['PANDU_KEEP_UNANSWERED_TEXT=YES', { PANDU_KEEP_UNANSWERED_TEXT: 'YES' }, { keepUnansweredText: true }],
    ['PANDU_KEEP_UNANSWERED_TEXT=1', { PANDU_KEEP_UNANSWERED_TEXT: '1' }, { keepUnansweredText: true }],
    ['PANDU_KEEP_UNANSWERED_TEXT=no', { PANDU_KEEP_UNANSWERED_TEXT: 'no' }, { keepUnansweredText: false }],
    ['PANDU_KEEP_UNANSWERED_TEXT=0', { PANDU_KEEP_UNANSWERED_TEXT: '0' }, { keepUnansweredText: false }],
    ['PANDU_PUBLIC_URL https, trailing slash dropped', { PANDU_PUBLIC_URL: 'https://pandu.example.go.id/' }, { publicUrl: 'https://pandu.example.go.id' }],
    ['PANDU_PUBLIC_URL https with a path', { PANDU_PUBLIC_URL: 'https://example.go.id/pandu/' }, { publicUrl: 'https://example.go.id/pandu' }],
    ['PANDU_PUBLIC_URL http://localhost', { PANDU_PUBLIC_URL: 'http://localhost:3978' }, { publicUrl: 'http://localhost:3978' }],
    ['PANDU_PUBLIC_URL http://127.0.0.1', { PANDU_PUBLIC_URL: 'http://127.0.0.1:3978/' }, { publicUrl: 'http://127.0.0.1:3978' }],
    ['NODE_ENV=production with credentials', { ...AUTH, NODE_ENV: 'production' }, { production: true }],
    ['PANDU_ENV=Production with credentials', { ...AUTH, PANDU_ENV: 'Production' }, { production: true }],
    ['NODE_ENV=development', { NODE_ENV: 'development' }, { production: false }],
    ['PANDU_ALLOWED_TENANTS trimmed, empty entries ignored, lower-cased, deduplicated', { PANDU_ALLOWED_TENANTS: ` ${TENANT_ID.toUpperCase()} ,, ${TENANT_ID},${APP_ID}, ` }, { allowedTenants: [TENANT_ID, APP_ID] }],
    ['PANDU_ADMIN_IDS trimmed, empty entries ignored', { PANDU_ADMIN_IDS: ` ${APP_ID} , ,${TENANT_ID.toUpperCase()}` }, { adminIds: [APP_ID, TENANT_ID] }],
    ['absolute PANDU_DATA_DIR kept', { PANDU_DATA_DIR: path.resolve('/srv/pandu/var') }, { dataDir: path.resolve('/srv/pandu/var') }],
    ['relative PANDU_DATA_DIR resolved against the working directory', { PANDU_DATA_DIR: 'state' }, { dataDir: path.resolve(process.cwd(), 'state') }],
    ['relative PANDU_CATALOGUE_DIR resolved against the working directory', { PANDU_CATALOGUE_DIR: './cat' }, { catalogueDir: path.resolve(process.cwd(), 'cat') }],
  ];
  for (const [name, env, expected] of accepted) {
    it(`accepts ${name}`, () => {
      const { config } = configOf(env);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(config[key as keyof Config], value, key);
    });
  }

  const refused: [string, Env, RegExp][] = [
    ['PORT=abc', { PORT: 'abc' }, /^PORT: "abc" is not a port number; set PORT to a whole number from 1 to 65535, or unset it for the default 3978\.$/],
    ['PORT=0', { PORT: '0' }, /^PORT: "0" is not a port number; set PORT to a whole number from 1 to 65535/],
    ['PORT=70000', { PORT: '70000' }, /^PORT: "70000" is not a port number; set PORT to a whole number from 1 to 65535/],
    ['PORT=3978.5', { PORT: '3978.5' }, /^PORT: "3978\.5" is not a port number/],
    ['PORT=-1', { PORT: '-1' }, /^PORT: "-1" is not a port number/],
    ['a non-loopback PANDU_HOST in local mode', { PANDU_HOST: '0.0.0.0' }, /^PANDU_HOST: "0\.0\.0\.0" is not a loopback address, and local mode has no authentication, so it only listens on 127\.0\.0\.1; set MicrosoftAppId\/MicrosoftAppPassword to listen on other addresses/],
    ['a LAN PANDU_HOST in local mode', { PANDU_HOST: '192.168.1.20' }, /^PANDU_HOST: "192\.168\.1\.20" is not a loopback address/],
    ['NODE_ENV=production without an app id', { NODE_ENV: 'production' }, /^MicrosoftAppId: not set, and Pandu refuses to start in production mode without credentials \(NODE_ENV=production\): set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId, or unset NODE_ENV to run locally\.$/],
    ['PANDU_ENV=production without an app id', { PANDU_ENV: 'production' }, /^MicrosoftAppId: not set, and Pandu refuses to start in production mode without credentials \(PANDU_ENV=production\)/],
    ['both production switches without an app id', { NODE_ENV: 'production', PANDU_ENV: 'production' }, /\(NODE_ENV=production, PANDU_ENV=production\).*or unset NODE_ENV and PANDU_ENV to run locally\.$/],
    ['SingleTenant without a tenant id', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD }, /^MicrosoftAppTenantId: not set, and a SingleTenant bot needs it; set it to the Directory \(tenant\) ID/],
    ['UserAssignedMSI without a tenant id', { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI' }, /^MicrosoftAppTenantId: not set, and a UserAssignedMSI bot needs it/],
    ['SingleTenant without a password', { MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ID }, /^MicrosoftAppPassword: not set, and a SingleTenant bot needs one; set it to a client secret/],
    ['MultiTenant without a password', { MicrosoftAppId: APP_ID, MicrosoftAppType: 'MultiTenant' }, /^MicrosoftAppPassword: not set, and a MultiTenant bot needs one/],
    ['UserAssignedMSI with a password', { ...AUTH, MicrosoftAppType: 'UserAssignedMSI' }, /^MicrosoftAppPassword: must be empty for MicrosoftAppType=UserAssignedMSI/],
    ['an app id that is not a GUID', { ...AUTH, MicrosoftAppId: 'my-bot' }, /^MicrosoftAppId: "my-bot" is not a GUID; set it to the bot's Microsoft App ID/],
    ['a tenant id that is not a GUID', { ...AUTH, MicrosoftAppTenantId: 'dinsos.onmicrosoft.com' }, /^MicrosoftAppTenantId: "dinsos\.onmicrosoft\.com" is not a GUID; set it to the Directory \(tenant\) ID/],
    ['an unknown MicrosoftAppType', { ...AUTH, MicrosoftAppType: 'Single' }, /^MicrosoftAppType: "Single" is not an app type; set it to SingleTenant \(the default\), MultiTenant or UserAssignedMSI/],
    ['a bad GUID in PANDU_ALLOWED_TENANTS', { PANDU_ALLOWED_TENANTS: `${TENANT_ID}, not-a-guid ` }, /^PANDU_ALLOWED_TENANTS: entry "not-a-guid" is not a GUID; set PANDU_ALLOWED_TENANTS to comma-separated Entra tenant ids/],
    ['PANDU_LOG_LEVEL=verbose', { PANDU_LOG_LEVEL: 'verbose' }, /^PANDU_LOG_LEVEL: "verbose" is not a log level; set it to error, warn, info, debug \(default info\)\.$/],
    ['PANDU_KEEP_UNANSWERED_TEXT=maybe', { PANDU_KEEP_UNANSWERED_TEXT: 'maybe' }, /^PANDU_KEEP_UNANSWERED_TEXT: "maybe" is not a yes\/no value; set it to true or false \(also accepted: 1\/0, yes\/no\), or unset it for the default false\.$/],
    ['an http PANDU_PUBLIC_URL', { PANDU_PUBLIC_URL: 'http://pandu.example.go.id' }, /^PANDU_PUBLIC_URL: "http:\/\/pandu\.example\.go\.id" is not an https:\/\/ URL .*; set PANDU_PUBLIC_URL to the https address/],
    ['an ftp PANDU_PUBLIC_URL', { PANDU_PUBLIC_URL: 'ftp://pandu.example.go.id' }, /^PANDU_PUBLIC_URL: "ftp:\/\/pandu\.example\.go\.id" is not an https:\/\/ URL/],
    ['a PANDU_PUBLIC_URL that is not a URL', { PANDU_PUBLIC_URL: 'pandu.example.go.id' }, /^PANDU_PUBLIC_URL: "pandu\.example\.go\.id" is not a URL; set PANDU_PUBLIC_URL/],
    ['a PANDU_PUBLIC_URL with a query', { PANDU_PUBLIC_URL: 'https://pandu.example.go.id/?x=1' }, /^PANDU_PUBLIC_URL: ".*" is not a plain base URL/],
  ];
  for (const [name, env, pattern] of refused) {
    it(`refuses ${name} with its own message`, () => {
      const errors = errorsOf(env);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0] ?? '', pattern);
    });
  }

  it('reports several errors together, one line each, in the order of the variables', () => {
    const errors = errorsOf({ NODE_ENV: 'production', PORT: 'abc', PANDU_HOST: '0.0.0.0', PANDU_ALLOWED_TENANTS: 'x,y', PANDU_LOG_LEVEL: 'loud', PANDU_KEEP_UNANSWERED_TEXT: 'maybe', PANDU_PUBLIC_URL: 'http://pandu.example.go.id' });
    assert.deepEqual(errors.map((e) => e.slice(0, e.indexOf(':'))), ['MicrosoftAppId', 'PORT', 'PANDU_HOST', 'PANDU_ALLOWED_TENANTS', 'PANDU_ALLOWED_TENANTS', 'PANDU_LOG_LEVEL', 'PANDU_KEEP_UNANSWERED_TEXT', 'PANDU_PUBLIC_URL']);
    for (const error of errors) assert.doesNotMatch(error, /[\n\r\u2028\u2029]/);
  });

  it('reports every identity error of an authenticated configuration together', () => {
    const errors = errorsOf({ MicrosoftAppId: 'bot', MicrosoftAppTenantId: 'tenant' });
    assert.deepEqual(errors.map((e) => e.slice(0, e.indexOf(':'))), ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId']);
  });

  it('keeps a value with a line break on one line in its message', () => {
    const [error] = errorsOf({ PORT: '39\n78' });
    assert.equal(error, 'PORT: "39\\n78" is not a port number; set PORT to a whole number from 1 to 65535, or unset it for the default 3978.');
  });

  const warned: [string, Env, RegExp[]][] = [
    ['local mode: authentication is off', {}, [/^Authentication is off \(local mode: MicrosoftAppId is not set\): anyone on this machine can talk to Pandu on 127\.0\.0\.1:3978 as any user; set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId to turn it on\.$/]],
    ['MultiTenant is deprecated', { ...AUTH, MicrosoftAppType: 'MultiTenant' }, [/^MicrosoftAppType: MultiTenant bots are deprecated by Azure Bot Service for new bots; SingleTenant is recommended/]],
    ['production without a tenant list', { ...AUTH, NODE_ENV: 'production' }, [/^PANDU_ALLOWED_TENANTS: not set, so any tenant is accepted; production deployments should set PANDU_ALLOWED_TENANTS/]],
    ['an admin id that is not a GUID', { ...AUTH, PANDU_ADMIN_IDS: `${APP_ID},29:1abc` }, [/^PANDU_ADMIN_IDS: entry "29:1abc" is not a GUID, so it will never match a Teams user/]],
    ['nothing for a complete production SingleTenant configuration', { ...AUTH, NODE_ENV: 'production', PANDU_ALLOWED_TENANTS: TENANT_ID }, []],
    ['nothing about tenants outside production', AUTH, []],
  ];
  for (const [name, env, patterns] of warned) {
    it(`warns: ${name}`, () => {
      const { warnings } = configOf(env);
      assert.equal(warnings.length, patterns.length, warnings.join('\n'));
      patterns.forEach((pattern, i) => assert.match(warnings[i] ?? '', pattern));
    });
  }

  it('never puts the password in a message', () => {
    const envs: Env[] = [
      { MicrosoftAppPassword: PASSWORD },
      { ...AUTH, MicrosoftAppType: 'MultiTenant', NODE_ENV: 'production' },
      { ...AUTH, MicrosoftAppType: 'UserAssignedMSI' },
      { ...AUTH, MicrosoftAppType: 'Bogus' },
      { ...AUTH, MicrosoftAppId: PASSWORD, MicrosoftAppTenantId: PASSWORD },
      { ...AUTH, PORT: PASSWORD, PANDU_LOG_LEVEL: PASSWORD, PANDU_KEEP_UNANSWERED_TEXT: PASSWORD, PANDU_PUBLIC_URL: `https://x/?k=${PASSWORD}`, PANDU_ALLOWED_TENANTS: PASSWORD, PANDU_ADMIN_IDS: PASSWORD },
      { MicrosoftAppPassword: PASSWORD, PANDU_HOST: PASSWORD, NODE_ENV: 'production' },
    ];
    for (const env of envs) {
      const messages = messagesOf(env);
      assert.ok(messages.length > 0, 'each case says something');
      for (const message of messages) {
        assert.ok(!message.includes(PASSWORD), `the password leaked: ${message}`);
        assert.ok(!message.includes(PASSWORD.slice(0, 12)), `part of the password leaked: ${message}`);
      }
    }
    assert.match(errorsOf({ ...AUTH, PORT: PASSWORD })[0] ?? '', /^PORT: \(value not shown: it contains the MicrosoftAppPassword\) is not a port number/);
  });
});

describe('botFrameworkEnv', () => {
  const cases: [string, Env, Record<string, string>][] = [
    ['local mode: an empty MultiTenant identity', { MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT_ID }, { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' }],
    ['SingleTenant', AUTH, { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT_ID }],
    ['MultiTenant', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'multitenant' }, { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' }],
    ['UserAssignedMSI: no password', { MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ID, MicrosoftAppType: 'UserAssignedMSI' }, { MicrosoftAppId: APP_ID, MicrosoftAppPassword: '', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT_ID }],
  ];
  for (const [name, env, expected] of cases) {
    it(`gives botbuilder ${name}`, () => assert.deepEqual(botFrameworkEnv(configOf(env).config), expected));
  }

  it('gives botbuilder an empty identity for any local-mode configuration', () => {
    const { config } = configOf({});
    const forged: Config = { ...config, bot: { appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID, appType: 'SingleTenant' } };
    assert.deepEqual(botFrameworkEnv(forged), { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' });
  });
});

describe('loadConfig: the state store', () => {
  /** A connection string shaped like a real one; its key must never appear in a message. */
  const ACCOUNT_KEY = 'c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS1kby1ub3QtbG9nLXRoaXMtdmFsdWU9PQ==';
  const CONNECTION = `DefaultEndpointsProtocol=https;AccountName=pandustate;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`;
  const SAS_CONNECTION = 'BlobEndpoint=https://pandustate.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=AbCdEfSecretSignature%3D';
  const BLOB: Env = { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: CONNECTION };

  it('uses lowdb when PANDU_STORE is unset, empty or lowdb in any case', () => {
    for (const env of [{}, { PANDU_STORE: ' ' }, { PANDU_STORE: 'lowdb' }, { PANDU_STORE: 'LowDB' }] as Env[]) {
      const { config, warnings } = configOf(env);
      assert.deepEqual(config.store, { kind: 'lowdb' });
      assert.ok(!warnings.some((w) => w.startsWith('PANDU_STORE')), warnings.join('\n'));
    }
  });

  it('reads a blob store with the default container "pandu"', () => {
    const { config, warnings } = configOf({ ...BLOB, PANDU_STORE: ' Blob ' });
    assert.deepEqual(config.store, { kind: 'blob', connectionString: CONNECTION, container: 'pandu' });
    assert.ok(Object.isFrozen(config.store));
    assert.ok(!warnings.some((w) => /PANDU_STORE|PANDU_BLOB/.test(w)), warnings.join('\n'));
  });

  const acceptedBlob: [string, Env, Partial<{ connectionString: string; container: string }>][] = [
    ['a container name with digits and single hyphens', { ...BLOB, PANDU_BLOB_CONTAINER: 'pandu-prod-2' }, { container: 'pandu-prod-2' }],
    ['a 3-character container name', { ...BLOB, PANDU_BLOB_CONTAINER: 'abc' }, { container: 'abc' }],
    ['a 63-character container name', { ...BLOB, PANDU_BLOB_CONTAINER: 'a'.repeat(63) }, { container: 'a'.repeat(63) }],
    ['a blank container as the default', { ...BLOB, PANDU_BLOB_CONTAINER: '  ' }, { container: 'pandu' }],
    ['a SAS connection string', { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: SAS_CONNECTION }, { connectionString: SAS_CONNECTION }],
    ['UseDevelopmentStorage=true (Azurite)', { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true' }, { connectionString: 'UseDevelopmentStorage=true' }],
    ['a connection string trimmed', { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: ` ${CONNECTION}\n` }, { connectionString: CONNECTION }],
  ];
  for (const [name, env, expected] of acceptedBlob) {
    it(`accepts ${name}`, () => {
      const { store } = configOf(env).config;
      assert.equal(store.kind, 'blob');
      for (const [key, value] of Object.entries(expected)) assert.equal((store as Record<string, unknown>)[key], value, key);
    });
  }

  const refusedBlob: [string, Env, RegExp][] = [
    ['an unknown PANDU_STORE', { PANDU_STORE: 'cosmos' }, /^PANDU_STORE: "cosmos" is not a store; set it to lowdb \(the default: files in PANDU_DATA_DIR, one Pandu process\) or blob \(Azure Blob Storage, for several instances\)\.$/],
    ['blob without a connection string', { PANDU_STORE: 'blob' }, /^PANDU_BLOB_CONNECTION_STRING: not set, and PANDU_STORE=blob needs it; set it to the storage account's connection string \(Azure portal: Storage account → Security \+ networking → Access keys\), or UseDevelopmentStorage=true for a local Azurite, or set PANDU_STORE=lowdb\.$/],
    ['blob with a blank connection string', { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: '   ' }, /^PANDU_BLOB_CONNECTION_STRING: not set, and PANDU_STORE=blob needs it/],
    ['a connection string without a key', { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: 'AccountName=pandustate' }, /^PANDU_BLOB_CONNECTION_STRING: \(value not shown: it may hold a key\) is not a storage connection string; it needs AccountName=…;AccountKey=…/],
    ['a URL instead of a connection string', { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: 'https://pandustate.blob.core.windows.net/' }, /^PANDU_BLOB_CONNECTION_STRING: \(value not shown: it may hold a key\) is not a storage connection string/],
    ['an upper-case container name', { ...BLOB, PANDU_BLOB_CONTAINER: 'Pandu' }, /^PANDU_BLOB_CONTAINER: "Pandu" is not a valid container name; use 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit \(in lowercase: "pandu"\), or unset it for the default pandu\.$/],
    ['a 2-character container name', { ...BLOB, PANDU_BLOB_CONTAINER: 'pa' }, /^PANDU_BLOB_CONTAINER: "pa" is not a valid container name/],
    ['a 64-character container name', { ...BLOB, PANDU_BLOB_CONTAINER: 'a'.repeat(64) }, /^PANDU_BLOB_CONTAINER: "a{60}…" is not a valid container name/],
    ['a container name with a double hyphen', { ...BLOB, PANDU_BLOB_CONTAINER: 'pandu--prod' }, /^PANDU_BLOB_CONTAINER: "pandu--prod" is not a valid container name/],
    ['a container name starting with a hyphen', { ...BLOB, PANDU_BLOB_CONTAINER: '-pandu' }, /^PANDU_BLOB_CONTAINER: "-pandu" is not a valid container name/],
    ['a container name ending with a hyphen', { ...BLOB, PANDU_BLOB_CONTAINER: 'pandu-' }, /^PANDU_BLOB_CONTAINER: "pandu-" is not a valid container name/],
    ['a container name with an underscore', { ...BLOB, PANDU_BLOB_CONTAINER: 'pandu_state' }, /^PANDU_BLOB_CONTAINER: "pandu_state" is not a valid container name/],
    ['a container name with a dot', { ...BLOB, PANDU_BLOB_CONTAINER: 'pandu.state' }, /^PANDU_BLOB_CONTAINER: "pandu\.state" is not a valid container name/],
  ];
  for (const [name, env, pattern] of refusedBlob) {
    it(`refuses ${name} with its own message`, () => {
      const errors = errorsOf(env);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0] ?? '', pattern);
    });
  }

  it('reports a missing connection string and a bad container together', () => {
    const errors = errorsOf({ PANDU_STORE: 'blob', PANDU_BLOB_CONTAINER: 'X', PORT: 'abc' });
    assert.deepEqual(errors.map((e) => e.slice(0, e.indexOf(':'))), ['PORT', 'PANDU_BLOB_CONNECTION_STRING', 'PANDU_BLOB_CONTAINER']);
  });

  it('warns when Blob settings are given but the store is lowdb, without showing them', () => {
    const { config, warnings } = configOf({ PANDU_BLOB_CONNECTION_STRING: CONNECTION, PANDU_BLOB_CONTAINER: 'pandu-x' });
    assert.deepEqual(config.store, { kind: 'lowdb' });
    const warning = warnings.find((w) => w.startsWith('PANDU_STORE'));
    assert.equal(warning, 'PANDU_STORE: lowdb (the default), so PANDU_BLOB_CONNECTION_STRING and PANDU_BLOB_CONTAINER are ignored; set PANDU_STORE=blob to keep the state in Azure Blob Storage.');
    assert.match(warnings.find((w) => w.startsWith('PANDU_STORE')) ?? '', /PANDU_BLOB_CONNECTION_STRING/);
    assert.equal(configOf({ PANDU_STORE: 'lowdb', PANDU_BLOB_CONTAINER: 'x' }).warnings.filter((w) => w.startsWith('PANDU_STORE')).length, 1);
  });

  it('treats the new variables left blank, as in a copied .env.example, as unset', () => {
    const blank = { PANDU_STORE: '', PANDU_BLOB_CONNECTION_STRING: ' ', PANDU_BLOB_CONTAINER: '' };
    assert.deepEqual(configOf(blank), configOf({}));
  });

  it('never puts the connection string or its key in a message', () => {
    const envs: Env[] = [
      { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: `AccountName=x;Key=${ACCOUNT_KEY}` },
      { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: ACCOUNT_KEY },
      { ...BLOB, PANDU_BLOB_CONTAINER: CONNECTION },
      { ...BLOB, PANDU_BLOB_CONTAINER: ACCOUNT_KEY },
      { PANDU_STORE: CONNECTION },
      { PANDU_STORE: 'blob', PANDU_BLOB_CONNECTION_STRING: SAS_CONNECTION, PANDU_BLOB_CONTAINER: SAS_CONNECTION },
      { PANDU_BLOB_CONNECTION_STRING: CONNECTION },
      { ...BLOB, PORT: CONNECTION, PANDU_HOST: CONNECTION, PANDU_LOG_LEVEL: ACCOUNT_KEY, PANDU_PUBLIC_URL: `https://x/?${CONNECTION}`, PANDU_ALLOWED_TENANTS: CONNECTION, PANDU_ADMIN_IDS: ACCOUNT_KEY, MicrosoftAppType: CONNECTION },
      // pasted into another variable while PANDU_BLOB_CONNECTION_STRING is empty: still recognised
      { PANDU_STORE: CONNECTION, PANDU_LOG_LEVEL: SAS_CONNECTION, PORT: `x;AccountKey=${ACCOUNT_KEY}` },
    ];
    for (const env of envs) {
      const messages = messagesOf(env);
      assert.ok(messages.length > 0, 'each case says something');
      for (const message of messages) {
        assert.ok(!message.includes(ACCOUNT_KEY.slice(0, 12)), `the account key leaked: ${message}`);
        assert.ok(!message.includes('AbCdEfSecret'), `the SAS signature leaked: ${message}`);
        assert.ok(!message.includes('AccountName=pandustate'), `the connection string leaked: ${message}`);
      }
    }
    assert.match(errorsOf({ ...BLOB, PANDU_BLOB_CONTAINER: CONNECTION })[0] ?? '', /^PANDU_BLOB_CONTAINER: \(value not shown: it contains the PANDU_BLOB_CONNECTION_STRING\) is not a valid container name/);
    assert.match(errorsOf({ PANDU_STORE: CONNECTION })[0] ?? '', /^PANDU_STORE: \(value not shown: it looks like a storage connection string, which holds a key\) is not a store/);
  });
});
