/**
 * The deployment files (deploy/, .dockerignore) cannot be built or deployed on a developer's
 * machine (no Docker engine, no Azure), so these tests read them as text and check the properties
 * that matter for security and for the bot to run at all. Each check fails if a file regresses.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (relative: string): string => readFileSync(path.join(ROOT, relative), 'utf8');

/** The data directory every deployment uses. */
const DATA_DIR = '/var/lib/pandu';
const BOT_PORT = '3978';

/** The names of the variables documented in .env.example (`NAME=` lines). */
function documentedVariables(): Set<string> {
  return new Set([...read('.env.example').matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!));
}

/** True when `text` holds what looks like a real value of a secret (not a placeholder). */
function secretValuesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(MicrosoftAppPassword|PANDU_BLOB_CONNECTION_STRING)\s*[=:]\s*([^\s`<]\S*)/g)) {
    const value = m[2]!;
    // Allowed: a shell variable ("$X", $X), a Bicep/ARM parameter reference, a JSON/YAML key.
    if (/^"?\$/.test(value) || /^[a-z][A-Za-z0-9]*$/.test(value)) continue;
    found.push(m[0]);
  }
  for (const m of text.matchAll(/AccountKey=[A-Za-z0-9+/]{20,}={0,2}/g)) found.push(m[0]);
  for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g)) found.push(m[0]);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** Dockerfile instructions, with line continuations joined and comment lines dropped. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!.trim();
    if (first === '' || first.startsWith('#')) continue;
    const start = i;
    let joined = first;
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i]!.trim();
      joined = joined.slice(0, -1).trimEnd();
      if (next.startsWith('#')) continue;
      joined = `${joined} ${next}`;
    }
    const m = /^(\S+)\s*(.*)$/.exec(joined)!;
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return instructions;
}

/** The instructions grouped by stage (each starting with its FROM). */
function stagesOf(instructions: readonly Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push([instruction]);
    else stages.at(-1)?.push(instruction);
  }
  return stages;
}

/** KEY=value pairs of ENV/ARG/LABEL arguments (quoted values unquoted). */
function pairsOf(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    pairs.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return pairs;
}

/** The exec (JSON array) form of CMD, ENTRYPOINT or HEALTHCHECK CMD; undefined for the shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  assert.ok(Array.isArray(parsed) && parsed.every((part) => typeof part === 'string'), `not a JSON array of strings: ${args}`);
  return parsed as string[];
}

describe('deploy/Dockerfile', () => {
  const text = read('deploy/Dockerfile');
  const instructions = parseDockerfile(text);
  const stages = stagesOf(instructions);
  const final = stages.at(-1) ?? [];
  const inFinal = (keyword: string): Instruction[] => final.filter((i) => i.keyword === keyword);
  const globalArgs = new Map<string, string>();
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') break;
    if (instruction.keyword === 'ARG') for (const [k, v] of pairsOf(instruction.args)) globalArgs.set(k, v);
  }
  const finalEnv = new Map<string, string>();
  for (const env of inFinal('ENV')) for (const [k, v] of pairsOf(env.args)) finalEnv.set(k, v);

  it('is multi-stage, every stage on Node.js 22 (Debian bookworm slim)', () => {
    assert.ok(stages.length >= 2, `expected at least 2 FROM stages, found ${stages.length}`);
    for (const stage of stages) {
      const image = stage[0]!.args.split(/\s+/)[0]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_all, a?: string, b?: string) => globalArgs.get((a ?? b)!) ?? '');
      assert.match(image, /^node:22(\.\d+)*-bookworm-slim(@sha256:[0-9a-f]{64})?$/, `line ${stage[0]!.line}: FROM ${image}`);
    }
  });

  it('installs the production dependencies from the lock file, and tsx is one of them', () => {
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    assert.ok(
      runs.some((run) => /\bnpm ci\b/.test(run) && /--omit=dev\b/.test(run)),
      'expected `npm ci --omit=dev` in a RUN',
    );
    // The image runs `node --import tsx`, so tsx must survive --omit=dev.
    const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string> };
    assert.ok(pkg.dependencies?.tsx, 'package.json: tsx must be in "dependencies" (the image runs node --import tsx after npm ci --omit=dev)');
  });

  it('copies only what runs, and every copied path exists', () => {
    const allowed = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'bot', 'cards', 'data', 'manifest']);
    const copies = instructions.filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args));
    assert.ok(copies.length > 0);
    for (const copy of copies) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        const name = source.replace(/^\.\//, '').replace(/\/$/, '');
        assert.ok(allowed.has(name), `line ${copy.line}: COPY ${source} is not something Pandu runs`);
        assert.ok(existsSync(path.join(ROOT, name)), `line ${copy.line}: COPY ${source}, but ${name} does not exist in the repository`);
      }
    }
    assert.ok(
      final.some((i) => i.keyword === 'COPY' && /--from=\S+/.test(i.args) && /node_modules|\/app\b/.test(i.args)),
      'the runtime stage copies the installed application (node_modules) from the build stage',
    );
  });

  it('runs in production mode as a non-root user', () => {
    assert.equal(finalEnv.get('NODE_ENV'), 'production');
    assert.equal(finalEnv.get('PANDU_HOST'), '0.0.0.0');
    const users = inFinal('USER');
    assert.ok(users.length > 0, 'the runtime stage has no USER (it would run as root)');
    const user = users.at(-1)!.args.split(':')[0]!.trim();
    assert.ok(!['root', '0', ''].includes(user), `USER ${user}`);
    const cmdIndex = final.findIndex((i) => i.keyword === 'CMD');
    assert.ok(final.indexOf(users.at(-1)!) < cmdIndex, 'USER comes before CMD');
  });

  it('keeps the state in a VOLUME at PANDU_DATA_DIR, owned by that user', () => {
    assert.equal(finalEnv.get('PANDU_DATA_DIR'), DATA_DIR);
    const volume = inFinal('VOLUME')[0];
    assert.ok(volume, 'no VOLUME in the runtime stage');
    assert.ok(volume.args.includes(DATA_DIR), `VOLUME ${volume.args}`);
    const user = inFinal('USER').at(-1)!.args.split(':')[0]!;
    const chown = final.findIndex((i) => i.keyword === 'RUN' && new RegExp(`chown\\s+${user}(:\\S+)?\\s+${DATA_DIR}`).test(i.args));
    assert.ok(chown >= 0, `no RUN chown ${user} ${DATA_DIR}`);
    assert.ok(chown < final.indexOf(volume), 'the data directory is chowned before VOLUME (later changes to a volume path are discarded)');
  });

  it('has a HEALTHCHECK that asks /healthz with node (slim images have no curl)', () => {
    const healthchecks = inFinal('HEALTHCHECK');
    assert.equal(healthchecks.length, 1);
    const args = healthchecks[0]!.args;
    assert.doesNotMatch(args, /^NONE\b/i);
    const command = execForm(args.slice(args.indexOf('CMD') + 3).trim());
    assert.ok(command, 'HEALTHCHECK CMD should use the exec form');
    assert.equal(command[0], 'node');
    assert.match(command.join(' '), /127\.0\.0\.1:.*\/healthz/);
    assert.doesNotMatch(args, /\b(curl|wget)\b/);
    assert.ok(inFinal('EXPOSE').some((e) => e.args.split(/\s+/).includes(BOT_PORT)), `EXPOSE ${BOT_PORT}`);
  });

  it('starts node directly (exec form) under an init, so SIGTERM reaches the bot', () => {
    const cmd = execForm(inFinal('CMD').at(-1)?.args ?? '');
    const entrypoint = execForm(inFinal('ENTRYPOINT').at(-1)?.args ?? '');
    assert.ok(cmd, 'CMD should use the exec form');
    assert.ok(entrypoint, 'ENTRYPOINT should use the exec form');
    assert.match(entrypoint[0]!, /(^|\/)(tini|dumb-init)$/);
    assert.deepEqual(cmd, ['node', '--import', 'tsx', 'bot/main.ts']);
  });

  it('bakes in no secret', () => {
    for (const instruction of instructions.filter((i) => ['ENV', 'ARG'].includes(i.keyword))) {
      for (const name of pairsOf(instruction.args).keys()) {
        assert.doesNotMatch(name, /PASSWORD|SECRET|CONNECTION_STRING|KEY$/i, `line ${instruction.line}: ${instruction.keyword} ${name}`);
      }
      assert.doesNotMatch(instruction.args, /MicrosoftAppPassword/);
    }
    assert.deepEqual(secretValuesIn(text), []);
  });

  it('sets only variables that .env.example documents (besides tools\' own)', () => {
    const documented = documentedVariables();
    for (const name of finalEnv.keys()) {
      if (name === 'TSX_DISABLE_CACHE') continue;
      assert.ok(documented.has(name), `ENV ${name} is not in .env.example`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// .dockerignore
// ---------------------------------------------------------------------------------------------

/** A minimal .dockerignore matcher: `*`, `?`, `**`, leading `/`, and `!` exceptions. */
function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
      let source = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === '*' && pattern[i + 1] === '*') {
          source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += pattern[i + 2] === '/' ? 2 : 1;
        } else if (c === '*') source += '[^/]*';
        else if (c === '?') source += '[^/]';
        else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (file: string): boolean => {
    // A file is excluded when a rule matches it or one of its parent folders; the last match wins.
    const parts = file.split('/');
    const candidates = parts.map((_p, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regex.test(candidate))) excluded = !rule.negate;
    }
    return excluded;
  };
}

describe('.dockerignore', () => {
  const isIgnored = dockerignore(read('.dockerignore'));

  it('keeps dependencies, history, secrets, state, tests and logs out of the build context', () => {
    for (const file of [
      'node_modules/tsx/package.json',
      '.git/HEAD',
      '.env',
      '.env.production',
      '.env.example',
      'bot/.env',
      'var/pandu-store.json',
      'test/deploy/deploy-files.test.ts',
      'pandu-teams-app.zip',
      'coverage/lcov.info',
      'dist/main.js',
      'devTools/m365agentsplayground.log',
      'npm-debug.log',
    ]) {
      assert.ok(isIgnored(file), `${file} would be sent to the builder`);
    }
  });

  it('does not exclude what the Dockerfile copies', () => {
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'bot/main.ts', 'cards/answer.json', 'data/catalogue/profile.yaml', 'manifest/manifest.template.json', 'manifest/color.png']) {
      assert.ok(!isIgnored(file), `${file} is excluded, but the image needs it`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Bicep template
// ---------------------------------------------------------------------------------------------

interface BicepParam {
  readonly name: string;
  readonly type: string;
  readonly decorators: string;
  readonly hasDefault: boolean;
}

/** The template's parameters with their decorators (the lines above each `param`, up to a blank line). */
function bicepParams(text: string): BicepParam[] {
  const lines = text.split('\n');
  const params: BicepParam[] = [];
  lines.forEach((line, index) => {
    const m = /^param\s+(\w+)\s+(\w+)(.*)$/.exec(line.trim());
    if (!m) return;
    const above: string[] = [];
    for (let j = index - 1; j >= 0; j--) {
      const previous = lines[j]!.trim();
      if (previous === '' || previous.startsWith('//') || /^(param|var|resource|output|targetScope)\b/.test(previous)) break;
      above.unshift(previous);
    }
    params.push({ name: m[1]!, type: m[2]!, decorators: above.join('\n'), hasDefault: /^\s*=/.test(m[3]!) });
  });
  return params;
}

/** The value expression of an app setting `{ name: '<name>' value: <expr> }`. */
function appSetting(text: string, name: string): string | undefined {
  const m = new RegExp(`name:\\s*'${name}'\\s*\\n\\s*value:\\s*(.+)`).exec(text);
  return m?.[1]?.trim();
}

describe('deploy/azure/main.bicep', () => {
  const text = read('deploy/azure/main.bicep');
  const params = bicepParams(text);
  const param = (name: string): BicepParam => {
    const found = params.find((p) => p.name === name);
    assert.ok(found, `no param ${name}`);
    return found;
  };
  const secureParams = params.filter((p) => p.decorators.includes('@secure()'));

  it('takes the client secret as a @secure() parameter without a default value', () => {
    const password = param('microsoftAppPassword');
    assert.ok(password.decorators.includes('@secure()'), 'microsoftAppPassword is not @secure()');
    assert.equal(password.hasDefault, false, 'microsoftAppPassword has a default value');
    assert.equal(appSetting(text, 'MicrosoftAppPassword'), 'microsoftAppPassword');
  });

  it('gives no secret a default and no secret-like parameter a plain type', () => {
    for (const p of secureParams) assert.equal(p.hasDefault, false, `@secure() param ${p.name} has a default value`);
    for (const p of params.filter((q) => /password|secret|connectionstring|accountkey/i.test(q.name))) {
      assert.ok(p.decorators.includes('@secure()'), `param ${p.name} looks secret but is not @secure()`);
      assert.equal(p.hasDefault, false, `param ${p.name} looks secret but has a default`);
    }
  });

  it('puts the storage connection string into the app settings from listKeys() or a @secure() parameter, never from a file', () => {
    const value = appSetting(text, 'PANDU_BLOB_CONNECTION_STRING');
    assert.ok(value, 'no PANDU_BLOB_CONNECTION_STRING app setting');
    const fromSecureParam = secureParams.some((p) => value === p.name);
    assert.ok(fromSecureParam || value.includes('.listKeys()'), `PANDU_BLOB_CONNECTION_STRING = ${value}`);
  });

  it('outputs no secret', () => {
    for (const m of text.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)) {
      const expression = m[2]!;
      assert.doesNotMatch(expression, /listKeys|listSecrets|password|connectionString/i, `output ${m[1]}`);
      for (const p of secureParams) assert.ok(!expression.includes(p.name), `output ${m[1]} uses ${p.name}`);
    }
    assert.match(text, /^output\s+botEndpoint\s+string\s*=/m);
    assert.match(text, /^output\s+webAppHostName\s+string\s*=/m);
  });

  it('creates a single-tenant Azure Bot with the Microsoft Teams channel enabled', () => {
    assert.match(text, /resource\s+\w+\s+'Microsoft\.BotService\/botServices@[\d-]+'/);
    assert.match(text, /kind:\s*'azurebot'/);
    assert.match(text, /msaAppType:\s*'SingleTenant'/);
    assert.match(text, /msaAppTenantId:\s*\w+/);
    assert.match(text, /msaAppId:\s*microsoftAppId/);
    assert.match(text, /endpoint:\s*messagingEndpoint/);
    assert.match(text, /'\$\{baseUrl\}\/api\/messages'/);
    assert.match(text, /resource\s+\w+\s+'Microsoft\.BotService\/botServices\/channels@[\d-]+'/);
    assert.match(text, /channelName:\s*'MsTeamsChannel'/);
    assert.match(text, /isEnabled:\s*true/);
    assert.doesNotMatch(text, /'MultiTenant'/);
    assert.match(text, /@allowed\(\[\s*'F0'\s*'S1'\s*\]\)\s*param\s+botSku/);
  });

  it('serves the web app over https only, TLS 1.2+, no FTP, Always On, health check on /healthz', () => {
    assert.match(text, /httpsOnly:\s*true/);
    assert.match(text, /minTlsVersion:\s*'1\.2'/);
    assert.match(text, /ftpsState:\s*'Disabled'/);
    assert.match(text, /alwaysOn:\s*true/);
    assert.match(text, /healthCheckPath:\s*'\/healthz'/);
    assert.match(text, /reserved:\s*true/, 'the App Service plan is Linux');
  });

  it('configures Pandu through app settings named as in .env.example', () => {
    assert.equal(appSetting(text, 'NODE_ENV'), "'production'");
    assert.equal(appSetting(text, 'MicrosoftAppType'), "'SingleTenant'");
    assert.equal(appSetting(text, 'PANDU_STORE'), "'blob'");
    for (const name of ['MicrosoftAppId', 'MicrosoftAppTenantId', 'PANDU_ALLOWED_TENANTS', 'PANDU_PUBLIC_URL', 'PANDU_BLOB_CONTAINER']) {
      assert.ok(appSetting(text, name), `no app setting ${name}`);
    }
    const documented = documentedVariables();
    for (const m of text.matchAll(/name:\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*\n\s*value:/g)) {
      const name = m[1]!;
      if (/^(WEBSITES?_|DOCKER_)/.test(name)) continue; // App Service's own settings
      assert.ok(documented.has(name), `app setting ${name} is not in .env.example`);
    }
  });

  it('keeps the state in a private StorageV2 account: https, TLS 1.2, no public blob access', () => {
    assert.match(text, /kind:\s*'StorageV2'/);
    assert.match(text, /name:\s*'Standard_LRS'/);
    assert.match(text, /allowBlobPublicAccess:\s*false/);
    assert.match(text, /minimumTlsVersion:\s*'TLS1_2'/);
    assert.match(text, /supportsHttpsTrafficOnly:\s*true/);
    assert.match(text, /resource\s+\w+\s+'Microsoft\.Storage\/storageAccounts\/blobServices\/containers@[\d-]+'/);
    assert.match(text, /publicAccess:\s*'None'/);
    assert.doesNotMatch(text, /publicAccess:\s*'(Blob|Container)'/);
    assert.equal(param('blobContainerName').hasDefault, true);
    assert.match(text, /param\s+blobContainerName\s+string\s*=\s*'pandu'/);
  });

  it('uses stable API versions and comments every resource', () => {
    const lines = text.split('\n');
    let resources = 0;
    lines.forEach((line, index) => {
      const m = /^resource\s+(\w+)\s+'([^']+)@([^']+)'/.exec(line);
      if (!m) return;
      resources++;
      assert.match(m[3]!, /^\d{4}-\d{2}-\d{2}$/, `${m[1]}: API version ${m[3]} is not a stable one`);
      assert.match(lines[index - 1] ?? '', /^\s*\/\//, `resource ${m[1]} has no comment above it`);
    });
    assert.ok(resources >= 6, `only ${resources} resources`);
  });

  it('has a parameters example that matches the template and holds no secret', () => {
    const example = JSON.parse(read('deploy/azure/main.parameters.example.json')) as { parameters?: Record<string, unknown> };
    assert.ok(example.parameters);
    const names = new Set(params.map((p) => p.name));
    for (const name of Object.keys(example.parameters)) assert.ok(names.has(name), `parameters example: ${name} is not a parameter of main.bicep`);
    for (const p of secureParams) assert.ok(!(p.name in example.parameters), `parameters example sets the secret ${p.name}`);
    for (const p of params.filter((q) => !q.hasDefault && !secureParams.includes(q))) {
      assert.ok(p.name in example.parameters, `parameters example lacks the required ${p.name}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// nginx
// ---------------------------------------------------------------------------------------------

interface Directive {
  readonly name: string;
  readonly args: string[];
  readonly children?: Directive[];
}

/** Parses nginx configuration text into a directive tree (comments dropped, quotes honoured). */
function parseNginx(text: string): Directive[] {
  const tokens: string[] = [];
  const source = text.replace(/(^|\s)#.*$/gm, '$1');
  for (const m of source.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"']+)/g)) {
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  }
  let position = 0;
  const block = (): Directive[] => {
    const directives: Directive[] = [];
    let words: string[] = [];
    while (position < tokens.length) {
      const token = tokens[position++]!;
      if (token === ';') {
        if (words.length > 0) directives.push({ name: words[0]!, args: words.slice(1) });
        words = [];
      } else if (token === '{') {
        directives.push({ name: words[0]!, args: words.slice(1), children: block() });
        words = [];
      } else if (token === '}') {
        return directives;
      } else {
        words.push(token);
      }
    }
    return directives;
  };
  return block();
}

const named = (directives: readonly Directive[] | undefined, name: string): Directive[] => (directives ?? []).filter((d) => d.name === name);

/** Bytes of an nginx size (256k, 1m, 512). */
function sizeInBytes(size: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(size);
  assert.ok(m, `not an nginx size: ${size}`);
  const factor = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * factor;
}

/** Seconds of an nginx time (20s, 1m, 15). */
function timeInSeconds(time: string): number {
  const m = /^(\d+)(s|m)?$/.exec(time);
  assert.ok(m, `not an nginx time: ${time}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

describe('deploy/nginx/pandu.conf', () => {
  const tree = parseNginx(read('deploy/nginx/pandu.conf'));
  const servers = named(tree, 'server');
  const listensOn = (server: Directive, port: string): boolean => named(server.children, 'listen').some((l) => l.args[0]!.replace(/^\[::\]:/, '').replace(/^[\d.]+:/, '') === port);
  const tls = servers.find((s) => listensOn(s, '443'));
  const plain = servers.find((s) => listensOn(s, '80'));
  const location = (server: Directive | undefined, ...args: string[]): Directive | undefined =>
    named(server?.children, 'location').find((l) => l.args.join(' ') === args.join(' '));

  it('terminates TLS on 443 with TLS 1.2/1.3 only, a certificate and HSTS', () => {
    assert.ok(tls, 'no server listening on 443');
    assert.ok(named(tls.children, 'listen').every((l) => l.args.includes('ssl')), 'listen 443 without ssl');
    assert.equal(named(tls.children, 'ssl_certificate').length, 1);
    assert.equal(named(tls.children, 'ssl_certificate_key').length, 1);
    const protocols = named(tls.children, 'ssl_protocols')[0]?.args ?? [];
    assert.ok(protocols.length > 0, 'ssl_protocols not set (nginx defaults may include TLSv1/TLSv1.1)');
    for (const protocol of protocols) assert.ok(['TLSv1.2', 'TLSv1.3'].includes(protocol), `ssl_protocols allows ${protocol}`);
    assert.ok(named(tls.children, 'add_header').some((h) => h.args[0] === 'Strict-Transport-Security' && /max-age=\d{7,}/.test(h.args[1] ?? '')), 'no HSTS header');
  });

  it('limits bodies to the bot\'s own limit (256 KB)', () => {
    const limit = named(tls?.children, 'client_max_body_size')[0]?.args[0];
    assert.equal(limit, '256k');
    const server = read('bot/server/create-server.ts');
    const m = /DEFAULT_BODY_LIMIT\s*=\s*([\d\s*]+);/.exec(server);
    assert.ok(m, 'bot/server/create-server.ts: DEFAULT_BODY_LIMIT not found; update this test');
    const botLimit = m[1]!.split('*').reduce((product, factor) => product * Number(factor.trim()), 1);
    assert.equal(sizeInBytes(limit), botLimit, 'nginx and the bot disagree on the body limit');
  });

  it('proxies /api/messages, /healthz and /diagrams/ to the bot on the loopback address, with X-Forwarded-* headers', () => {
    const upstreams = new Map(named(tree, 'upstream').map((u) => [u.args[0]!, named(u.children, 'server').map((s) => s.args[0]!)]));
    for (const args of [['=', '/api/messages'], ['=', '/healthz'], ['/diagrams/']]) {
      const loc = location(tls, ...args);
      assert.ok(loc, `no location ${args.join(' ')}`);
      const target = named(loc.children, 'proxy_pass')[0]?.args[0] ?? '';
      const host = target.replace(/^http:\/\//, '').replace(/\/.*$/, '');
      const addresses = upstreams.get(host) ?? [host];
      assert.deepEqual(addresses, [`127.0.0.1:${BOT_PORT}`], `location ${args.join(' ')} proxies to ${target}`);
    }
    assert.ok(named(location(tls, '=', '/api/messages')?.children, 'limit_except').some((l) => l.args.join(' ') === 'POST'), '/api/messages is POST only');
    const headers = new Map(named(tls?.children, 'proxy_set_header').map((h) => [h.args[0]!, h.args[1]!]));
    assert.equal(headers.get('X-Forwarded-For'), '$proxy_add_x_forwarded_for');
    assert.equal(headers.get('X-Forwarded-Proto'), '$scheme');
    assert.ok(headers.has('X-Forwarded-Host'));
    const fallback = location(tls, '/');
    assert.ok(fallback && named(fallback.children, 'return')[0]?.args[0] === '404', 'other paths are not refused');
  });

  it('waits long enough for a Bot Framework turn (about 15 s), not forever', () => {
    const readTimeout = timeInSeconds(named(tls?.children, 'proxy_read_timeout')[0]?.args[0] ?? '60');
    assert.ok(readTimeout >= 15 && readTimeout <= 60, `proxy_read_timeout ${readTimeout}s`);
    const connect = timeInSeconds(named(tls?.children, 'proxy_connect_timeout')[0]?.args[0] ?? '60');
    assert.ok(connect <= 10, `proxy_connect_timeout ${connect}s`);
  });

  it('redirects port 80 to https', () => {
    assert.ok(plain, 'no server listening on 80');
    const returns = [...named(plain.children, 'return'), ...named(plain.children, 'location').flatMap((l) => named(l.children, 'return'))];
    assert.ok(returns.some((r) => ['301', '308'].includes(r.args[0]!) && (r.args[1] ?? '').startsWith('https://')), 'no 301/308 to https:// on port 80');
    assert.ok(!named(plain.children, 'location').some((l) => named(l.children, 'proxy_pass').length > 0), 'port 80 proxies to the bot');
  });
});

// ---------------------------------------------------------------------------------------------
// systemd
// ---------------------------------------------------------------------------------------------

/** A unit file as section -> key -> values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const m = /^([A-Za-z0-9]+)=(.*)$/.exec(line);
    assert.ok(m && current, `not a unit file line: ${line}`);
    current.set(m[1]!, [...(current.get(m[1]!) ?? []), m[2]!.trim()]);
  }
  return sections;
}

describe('deploy/systemd/pandu.service', () => {
  const text = read('deploy/systemd/pandu.service');
  const unit = parseUnit(text);
  const service = unit.get('Service') ?? new Map<string, string[]>();
  const one = (key: string): string | undefined => service.get(key)?.at(-1);

  it('runs node with tsx on bot/main.ts as the dedicated pandu user', () => {
    assert.equal(one('User'), 'pandu');
    assert.equal(one('WorkingDirectory'), '/opt/pandu');
    const exec = one('ExecStart') ?? '';
    assert.match(exec, /^\/\S*\/node --import tsx bot\/main\.ts$/);
    assert.equal(one('Restart'), 'on-failure');
    assert.deepEqual(unit.get('Install')?.get('WantedBy'), ['multi-user.target']);
  });

  it('reads the secrets from a required environment file, never from the unit', () => {
    assert.deepEqual(service.get('EnvironmentFile'), ['/etc/pandu/pandu.env'], 'EnvironmentFile (without "-": it must exist)');
    const environment = new Map((service.get('Environment') ?? []).map((e) => e.split('=') as [string, string]));
    assert.equal(environment.get('NODE_ENV'), 'production');
    assert.equal(environment.get('PANDU_DATA_DIR'), DATA_DIR);
    for (const name of environment.keys()) assert.doesNotMatch(name, /PASSWORD|SECRET|CONNECTION_STRING/i);
    const documented = documentedVariables();
    for (const name of environment.keys()) if (name !== 'TSX_DISABLE_CACHE') assert.ok(documented.has(name), `Environment=${name} is not in .env.example`);
    assert.deepEqual(secretValuesIn(text), []);
  });

  it('is hardened and may write only to its state directory', () => {
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['StateDirectory', 'pandu'],
      ['ReadWritePaths', DATA_DIR],
    ] as const) {
      assert.equal(one(key), value, `${key}=${value}`);
    }
    assert.equal(one('CapabilityBoundingSet'), '', 'CapabilityBoundingSet= (empty: no capabilities)');
    // V8's JIT needs writable+executable memory: this setting would crash node.
    assert.notEqual(one('MemoryDenyWriteExecute'), 'yes');
  });
});

// ---------------------------------------------------------------------------------------------
// Everything in deploy/
// ---------------------------------------------------------------------------------------------

describe('deploy/ as a whole', () => {
  it('holds no secret values in any file', () => {
    for (const file of ['deploy/README.md', 'deploy/Dockerfile', 'deploy/azure/main.bicep', 'deploy/azure/main.parameters.example.json', 'deploy/nginx/pandu.conf', 'deploy/systemd/pandu.service', '.dockerignore']) {
      assert.deepEqual(secretValuesIn(read(file)), [], file);
    }
  });
});
