/**
 * `npm run chat [-- --bot http://127.0.0.1:3978] [--user <name>] [--lang id|en] [--no-color]`
 *
 * Talk to a locally running Pandu (`npm start`) from the terminal, without Teams: each line is sent
 * as a Teams message activity; a line that is just a number presses that button of the most recent
 * card (Action.Submit as a message with `value`, Action.Execute as an `adaptiveCard/action` invoke
 * whose answer replaces the card, Action.OpenUrl prints its URL). The bot's replies reach a local
 * stand-in for the Bot Connector (the activity's serviceUrl) and are printed as they arrive.
 * `--user` picks who you are, so two terminals can be two people.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startConnectorStandIn, type ConnectorStandIn, type ReceivedActivity } from './connector-stand-in.js';
import { plainMarkdown, renderCardText, wrap, type CardButton } from './render-card-text.js';
import { parseJsonText } from '../../core/format/json-text.js';

const USAGE = `Usage: npm run chat [-- --bot <url>] [--user <name>] [--lang id|en] [--no-color]

  --bot <url>     where Pandu runs (default http://127.0.0.1:$PORT, or :3978)
  --user <name>   who you are (default: your login name); two terminals, two names, two people
  --lang id|en    your Teams language (default id: id-ID; en: en-US)
  --no-color      plain text (also when NO_COLOR is set or the output is not a terminal)
`;

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const TENANT_ID = '00000000-0000-0000-0000-000000000001';
const BOT_ACCOUNT = { id: '28:pandu-local-bot', name: 'Pandu' };
const HEALTH_TIMEOUT_MS = 3000;
const TURN_TIMEOUT_MS = 60_000;

/** The few words of the conversation itself, in the person's language. */
const LABELS = {
  id: { updated: 'kartu diperbarui', saved: 'disimpan di', pressed: 'menekan', deleted: '(Pandu menghapus sebuah pesan)' },
  en: { updated: 'card updated', saved: 'saved to', pressed: 'pressing', deleted: '(Pandu deleted a message)' },
} as const;

interface LastCard {
  readonly buttons: readonly CardButton[];
  /** The id of the activity that carried the card (the replyToId of a button press). */
  readonly activityId: string;
  readonly text: string;
  /** Its input fields' values, sent with a pressed button as Teams does. */
  readonly inputs: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Arguments

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const { botUrl, lang, userName } = parsed;
const color = !parsed.noColor && process.env['NO_COLOR'] === undefined && process.stdout.isTTY === true;
const locale = lang === 'en' ? 'en-US' : 'id-ID';
const labels = LABELS[lang];
const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;

function parseOptions(argv: string[]): { botUrl: string; lang: 'id' | 'en'; userName: string; noColor: boolean; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      bot: { type: 'string' },
      user: { type: 'string' },
      lang: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const rawBot = values.bot ?? `http://127.0.0.1:${process.env['PORT']?.trim() || '3978'}`;
  let url: URL;
  try {
    url = new URL(rawBot);
  } catch {
    throw new Error(`--bot: "${rawBot}" is not a URL; use e.g. --bot http://127.0.0.1:3978`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--bot: "${rawBot}" is not an http(s) URL.`);
  const langValue = (values.lang ?? 'id').toLowerCase();
  if (langValue !== 'id' && langValue !== 'en') throw new Error(`--lang: "${values.lang}" is neither id nor en.`);
  const user = (values.user ?? loginName()).trim();
  if (user === '') throw new Error('--user: the name is empty.');
  return {
    botUrl: `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/messages$/, '')}`,
    lang: langValue,
    userName: user.slice(0, 60),
    noColor: values['no-color'] === true,
    help: values.help === true,
  };
}

function loginName(): string {
  try {
    return userInfo().username || 'tamu';
  } catch {
    return 'tamu';
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const width = Math.max(40, Math.min(process.stdout.columns || 80, 100)) - 2;
const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = (text: string): string => paint('1', text);
const dim = (text: string): string => paint('2', text);
const promptText = `${bold(userName)} › `;

let rl: ReturnType<typeof createInterface> | undefined;
/** True while a line is being handled: replies print straight away, and the prompt comes after. */
let busy = true;

/** Prints a block of lines; when the prompt is showing, above it. */
function print(text: string): void {
  if (!busy && rl && interactive) process.stdout.write('\r\x1b[K');
  process.stdout.write(`${text}\n`);
  if (!busy && rl) rl.prompt(true);
}

/** A message from Pandu: "Pandu:" and the content indented under it. */
function printFromPandu(lines: readonly string[], note?: string): void {
  const head = `${paint('1;36', 'Pandu')}${note ? ` ${dim(`(${note})`)}` : ''}:`;
  print(`\n${head}\n${lines.map((l) => (l === '' ? '' : `  ${l}`)).join('\n')}\n`);
}

function printNote(text: string): void {
  print(dim(text));
}

function printError(text: string): void {
  print(paint('33', text));
}

// ---------------------------------------------------------------------------------------------
// The conversation

const userKey = userName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'tamu';
const from = { id: `29:pandu-chat-${userKey}`, name: userName, aadObjectId: uuidFrom(`pandu-chat|${userName.toLowerCase()}`) };
// A fresh conversation each run (so the welcome card comes), the same person every run (so their
// walkthroughs are there to resume).
const conversation = { id: `a:pandu-chat-${userKey}-${randomUUID().slice(0, 8)}`, conversationType: 'personal', tenantId: TENANT_ID };
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Makassar';
let sequence = 0;
let lastCard: LastCard | undefined;
let diagramDir: string | undefined;

/** A Teams activity from this person in this personal chat, as the Bot Connector would post it. */
function activity(type: string, serviceUrl: string, extra: Record<string, unknown>): Record<string, unknown> {
  const now = new Date();
  sequence += 1;
  return {
    type,
    id: String(now.getTime() * 10 + (sequence % 10)),
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    conversation,
    recipient: BOT_ACCOUNT,
    textFormat: 'plain',
    locale,
    entities: [{ type: 'clientInfo', locale, country: lang === 'en' ? 'US' : 'ID', platform: 'Web', timezone: timeZone }],
    channelData: { tenant: { id: TENANT_ID } },
    ...extra,
  };
}

type PostResult = { readonly ok: true; readonly status: number; readonly json: unknown; readonly text: string } | { readonly ok: false; readonly reason: string };

async function postToBot(body: Record<string, unknown>): Promise<PostResult> {
  try {
    const response = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
    });
    const text = await response.text();
    const json = parseJsonText(text);
    return { ok: true, status: response.status, json, text };
  } catch (error) {
    return { ok: false, reason: describeFetchError(error) };
  }
}

/** Says what went wrong with a POST, and returns false, when it did not succeed. */
function reportFailure(result: PostResult): boolean {
  if (!result.ok) {
    printError(`Pandu did not answer (${result.reason}). Is \`npm start\` still running?`);
    return true;
  }
  if (result.status >= 400) {
    const error = (result.json as { error?: unknown } | undefined)?.error;
    const detail = typeof error === 'string' ? error : typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : result.text.slice(0, 200);
    printError(`Pandu refused it (HTTP ${result.status})${detail ? `: ${detail}` : ''}`);
    if (result.status === 401) printError('The bot runs with authentication on; the chat needs it in local mode (no MicrosoftAppId).');
    return true;
  }
  return false;
}

/** Everything Pandu sends to the stand-in: text, cards, diagrams. */
function onActivity(received: ReceivedActivity): void {
  if (received.op === 'delete') {
    printNote(labels.deleted);
    return;
  }
  const a = received.activity;
  if (a['type'] !== 'message') return; // typing indicators and the like
  const lines: string[] = [];
  if (typeof a['text'] === 'string' && a['text'].trim() !== '') lines.push(...wrap(plainMarkdown(a['text'], color), width));
  const attachments = Array.isArray(a['attachments']) ? (a['attachments'] as unknown[]) : [];
  for (const attachment of attachments) {
    if (lines.length > 0) lines.push('');
    lines.push(...attachmentLines(attachment, received.id));
  }
  if (lines.length === 0) return;
  printFromPandu(lines, received.op === 'update' ? labels.updated : undefined);
}

function attachmentLines(value: unknown, activityId: string): string[] {
  const attachment = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const contentType = String(attachment['contentType'] ?? '');
  const name = typeof attachment['name'] === 'string' && attachment['name'] !== '' ? attachment['name'] : undefined;
  if (contentType === CARD_TYPE) return showCard(attachment['content'], activityId);
  if (contentType.startsWith('image/')) return imageLines(name ?? 'gambar', String(attachment['contentUrl'] ?? ''));
  return [`[lampiran: ${name ?? contentType}]`];
}

/** Renders a card and makes it the card whose buttons the numbers press. */
function showCard(content: unknown, activityId: string): string[] {
  const rendered = renderCardText(content, { width, color });
  lastCard = { buttons: rendered.buttons, activityId, text: rendered.text, inputs: rendered.inputs };
  const lines = rendered.text.split('\n');
  if (Object.keys(rendered.inputs).length > 0) lines.push('', ...wrap('(The chat cannot fill in fields: a button sends the values shown. Use the Playground or Teams for forms.)', width - 2).map(dim));
  return lines;
}

/** "[diagram: 03.1.a.png — 84 KB]", saving an inline (data:) image to a temporary file. */
function imageLines(name: string, contentUrl: string): string[] {
  const data = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(contentUrl);
  if (!data) return [`[diagram: ${name}]`, ...(contentUrl ? [contentUrl] : [])];
  const bytes = /;base64/i.test(data[2] ?? '') ? Buffer.from(data[3] ?? '', 'base64') : Buffer.from(decodeURIComponent(data[3] ?? ''), 'utf8');
  const kb = bytes.length / 1024;
  const head = `[diagram: ${name} — ${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB]`;
  try {
    diagramDir ??= mkdtempSync(path.join(tmpdir(), 'pandu-chat-'));
    const safe = path.basename(name).replace(/[^\w.-]+/g, '_') || 'gambar.png';
    const ext = path.extname(safe);
    let file = path.join(diagramDir, safe);
    for (let k = 2; existsSync(file); k++) file = path.join(diagramDir, `${safe.slice(0, safe.length - ext.length)}-${k}${ext}`);
    writeFileSync(file, bytes);
    return [head, `${labels.saved} ${file}`];
  } catch (error) {
    return [head, `(could not save it: ${(error as Error).message})`];
  }
}

/** Presses button `n` of the most recent card. */
async function press(n: number, serviceUrl: string): Promise<void> {
  if (!lastCard || lastCard.buttons.length === 0) {
    printNote('There is no card with buttons yet. Type a question for Pandu.');
    return;
  }
  const button = lastCard.buttons.find((b) => b.n === n);
  if (!button) {
    printNote(`The last card has buttons 1–${lastCard.buttons.length}; there is no [${n}]. (/card shows it again.)`);
    return;
  }
  // As in Teams, the card's input values travel with the action's data.
  const filled = Object.fromEntries(Object.entries(lastCard.inputs).filter(([, v]) => v !== ''));
  const data = Object.keys(filled).length > 0 && typeof button.data === 'object' && button.data !== null ? { ...button.data, ...filled } : (button.data ?? {});
  printNote(`→ ${labels.pressed} [${n}] ${button.title.length > 60 ? `${button.title.slice(0, 59)}…` : button.title}`);
  switch (button.kind) {
    case 'openUrl':
      print(`  ${button.url ?? ''}`);
      return;
    case 'submit': {
      // Teams posts an Action.Submit as a message whose value is the action's data, without text.
      const result = await postToBot(activity('message', serviceUrl, { value: data, replyToId: lastCard.activityId }));
      reportFailure(result);
      return;
    }
    case 'execute': {
      const cardId = lastCard.activityId;
      const value = { action: { type: 'Action.Execute', verb: button.verb, data }, trigger: 'manual' };
      const result = await postToBot(activity('invoke', serviceUrl, { name: 'adaptiveCard/action', value, replyToId: cardId }));
      if (reportFailure(result) || !result.ok) return;
      showInvokeResponse(result.json, cardId);
      return;
    }
  }
}

/** The answer to an Action.Execute: a card that replaces the old one, a message, or an error. */
function showInvokeResponse(json: unknown, cardId: string): void {
  const body = typeof json === 'object' && json !== null ? (json as { statusCode?: unknown; type?: unknown; value?: unknown }) : {};
  const statusCode = typeof body.statusCode === 'number' ? body.statusCode : 200;
  if (statusCode >= 400) {
    const message = typeof body.value === 'object' && body.value !== null ? String((body.value as { message?: unknown }).message ?? JSON.stringify(body.value)) : String(body.value ?? '');
    printError(`Pandu answered the button with an error (${statusCode})${message ? `: ${message}` : ''}`);
    return;
  }
  if (body.type === CARD_TYPE) {
    printFromPandu(showCard(body.value, cardId), labels.updated);
    return;
  }
  if (typeof body.value === 'string' && body.value.trim() !== '') printFromPandu(wrap(plainMarkdown(body.value, color), width));
}

async function handleLine(raw: string, serviceUrl: string): Promise<'quit' | void> {
  const line = raw.trim();
  if (line === '') return;
  if (/^[1-9]\d{0,2}$/.test(line)) return press(Number(line), serviceUrl);
  if (line.startsWith('/')) {
    const command = line.slice(1).split(/\s+/)[0]!.toLowerCase();
    switch (command) {
      case 'quit':
      case 'exit':
      case 'q':
        return 'quit';
      case 'help':
      case '?':
        print(
          [
            'Chat commands:',
            '  <text>    send a message to Pandu (e.g. "siapa yang menangani izin PUB?", "pandu 03.1.a")',
            '  <number>  press that button of the last card, e.g. 1',
            '  /card     show the last card again',
            '  /help     this list',
            '  /quit     leave (Ctrl+D works too)',
            'Codes such as "03" or "03.1.a" are sent as text.',
          ].join('\n'),
        );
        return;
      case 'card':
        if (lastCard) printFromPandu(lastCard.text.split('\n'));
        else printNote('No card yet.');
        return;
      default:
        printNote(`Unknown command "/${command}". /help lists the commands.`);
        return;
    }
  }
  reportFailure(await postToBot(activity('message', serviceUrl, { text: line })));
}

// ---------------------------------------------------------------------------------------------
// Start

type Health = { readonly ok: true; readonly version?: string; readonly degraded: boolean } | { readonly ok: false; readonly reason: string };

async function checkHealth(): Promise<Health> {
  try {
    const response = await fetch(`${botUrl}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown; catalogueVersion?: unknown } | undefined;
    if (response.ok || (response.status === 503 && body?.status === 'degraded')) {
      return { ok: true, degraded: !response.ok, ...(typeof body?.catalogueVersion === 'string' ? { version: body.catalogueVersion } : {}) };
    }
    return { ok: false, reason: `GET /healthz answered ${response.status}; is that Pandu?` };
  } catch (error) {
    return { ok: false, reason: describeFetchError(error) };
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (typeof cause?.code === 'string') return cause.code;
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') return 'no answer in time';
  return (error as Error | undefined)?.message ?? String(error);
}

/** A UUID-shaped id derived from a name, so the same --user is the same person every run. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function main(): Promise<number> {
  const health = await checkHealth();
  if (!health.ok) {
    process.stderr.write(
      `Pandu is not reachable at ${botUrl} (${health.reason}).\n` +
        'Start it first: run `npm start` in another terminal, wait for "Pandu is running", then run `npm run chat` again.\n' +
        `If it runs on another port, point the chat at it: npm run chat -- --bot http://127.0.0.1:<port>\n`,
    );
    return 1;
  }
  let standIn: ConnectorStandIn;
  try {
    standIn = await startConnectorStandIn(onActivity);
  } catch (error) {
    process.stderr.write(`The chat could not start its local connector: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    print(
      dim(
        `Pandu chat · ${botUrl}${health.version ? ` · catalogue ${health.version}` : ''} · you are "${userName}" (${locale})\n` +
          'Type a question, or a number to press a button of the last card. /help for more, /quit to leave.',
      ),
    );
    if (health.degraded) printError('Note: Pandu reports its store as degraded (GET /healthz); answers may not be saved.');
    const installed = await postToBot(activity('installationUpdate', standIn.url, { action: 'add' }));
    // Pandu that cannot be reached, or refuses this client altogether (authentication, tenant): stop here.
    if (reportFailure(installed) && (!installed.ok || installed.status === 401 || installed.status === 403)) return 1;

    rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: promptText });
    rl.on('SIGINT', () => rl?.close());
    busy = false;
    rl.prompt();
    for await (const line of rl) {
      busy = true;
      if (!interactive) process.stdout.write(`${line}\n`); // piped input: show what was "typed"
      const outcome = await handleLine(line, standIn.url);
      if (outcome === 'quit') break;
      busy = false;
      rl.prompt();
    }
    rl.close();
    if (!interactive) process.stdout.write('\n');
    return 0;
  } finally {
    await standIn.close();
  }
}

// Ctrl+C (or a kill) ends the loop, so the stand-in closes; before the loop there is nothing to close.
const leave = (): void => (rl ? rl.close() : process.exit(130));
process.once('SIGTERM', leave);
process.once('SIGINT', leave);
process.exitCode = await main();
