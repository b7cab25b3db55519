import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { startConnectorStandIn, type ReceivedActivity } from '../../bot/cli/chat/connector-stand-in.js';
import { renderCardText, type CardButton } from '../../bot/cli/chat/render-card-text.js';
import { startWalkthrough } from '../../bot/core/guide/walkthrough.js';
import { answerView } from '../../bot/core/views/answer-view.js';
import type { CardView } from '../../bot/core/views/card-view.js';
import { diagramView, guideStepView } from '../../bot/core/views/guide-views.js';
import { processListView, welcomeView } from '../../bot/core/views/simple-views.js';
import { renderCard } from '../../bot/render/render-card.js';
import { startTestBot, type TestBot } from '../helpers/http-bot.js';
import { realKnowledge } from '../helpers/knowledge.js';
import { ROOT } from '../helpers/run-cli.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (line: string): number => [...line.replace(ANSI, '')].length;

function rendered(view: CardView | undefined, opts: { width?: number; color?: boolean } = {}): { text: string; buttons: readonly CardButton[] } {
  assert.ok(view, 'the view exists');
  return renderCardText(renderCard(view), { width: 80, ...opts });
}

/** Action.Submit/Execute/OpenUrl in a card, fallbacks excluded: what a person can press. */
function pressables(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + pressables(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'fallback') continue;
    n += pressables(v);
  }
  const type = (value as { type?: unknown }).type;
  return n + (type === 'Action.Submit' || type === 'Action.Execute' || type === 'Action.OpenUrl' ? 1 : 0);
}

function assertNumbered(buttons: readonly CardButton[], text: string): void {
  assert.deepEqual(
    buttons.map((b) => b.n),
    buttons.map((_, i) => i + 1),
    'buttons are numbered 1, 2, 3… in order',
  );
  for (const b of buttons) assert.ok(text.includes(`[${b.n}] `), `the text shows [${b.n}] (${b.title})`);
}

describe('render-card-text: Pandu cards as terminal text', () => {
  it('shows an answer card with its code, title, "Yang menangani" and numbered buttons', async () => {
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const { text, buttons } = rendered(answerView(catalogue, { kind: 'cfm', code: '03.1.a' }, 'id'));
    assert.match(text, /DINSOS 03\.1\.a/);
    // The title may be wrapped over lines; compare with the line breaks folded.
    assert.ok(text.replace(/\s+/g, ' ').includes(cfm.title), `the title "${cfm.title}" is shown`);
    assert.match(text, /^Yang menangani$/m);
    assert.match(text, /^Proses: 03 /m, 'a fact reads "Title: value"');
    assert.match(text, /^⚠ Langkah-langkah prosedur ini disusun ulang/m, 'the draft notice is a warning');
    assertNumbered(buttons, text);
    const guide = buttons.find((b) => b.title === 'Pandu langkah-langkahnya');
    assert.ok(guide, `a "Pandu langkah-langkahnya" button: ${JSON.stringify(buttons)}`);
    assert.equal(guide.kind, 'submit');
    assert.deepEqual(guide.data, { verb: 'guide.start', cfm: '03.1.a' });
    assert.match(text, new RegExp(`\\[${guide.n}\\] Pandu langkah-langkahnya`));
    assert.doesNotMatch(text, ANSI, 'no colour unless asked');
  });

  it('lists a guide step\'s "Lanjut" as an execute button with its data, once (its fallback is ignored)', async () => {
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const walkthrough = startWalkthrough(cfm, catalogue.version, new Date('2026-11-30T01:00:00Z'));
    const card = renderCard(guideStepView(catalogue, walkthrough, 'id')!);
    const { text, buttons } = renderCardText(card, { width: 80 });
    assert.match(text, /Langkah 1 dari \d+/);
    const next = buttons.filter((b) => b.title === 'Lanjut');
    assert.equal(next.length, 1, `one "Lanjut": ${JSON.stringify(buttons)}`);
    assert.equal(next[0]!.kind, 'execute');
    assert.equal(next[0]!.verb, 'guide.next');
    assert.deepEqual(next[0]!.data, { verb: 'guide.next', cfm: '03.1.a', step: cfm.steps[0]!.id, rev: '1' });
    assert.equal(buttons.length, pressables(card), 'every pressable action once, none from a fallback');
    assert.equal(buttons.filter((b) => b.kind === 'submit' && (b.data as { verb?: string }).verb === 'guide.next').length, 0);
    const stop = buttons.find((b) => b.title === 'Berhenti');
    assert.equal(stop?.kind, 'execute');
    assert.equal(buttons.find((b) => b.title === 'Lihat diagram')?.kind, 'submit');
    assertNumbered(buttons, text);
  });

  it('numbers the rows that carry a selectAction (Containers and ColumnSets)', async () => {
    const { catalogue } = await realKnowledge();
    // ColumnSets with a selectAction: the process map.
    const list = rendered(processListView(catalogue, 'id'));
    const empowerment = list.buttons.find((b) => (b.data as { code?: string }).code === '03');
    assert.ok(empowerment, 'process 03 can be pressed');
    assert.equal(empowerment.kind, 'submit');
    assert.deepEqual(empowerment.data, { verb: 'lookup.show', kind: 'process', code: '03' });
    assert.match(list.text, new RegExp(`^\\[${empowerment.n}\\] 03  Pemberdayaan Sosial$`, 'm'), 'the row is numbered in place, its columns on one line');
    assertNumbered(list.buttons, list.text);
    // Containers with a selectAction: the CFMs inside a process, titled by their text.
    const process = rendered(answerView(catalogue, { kind: 'process', code: '03' }, 'id'));
    const row = process.buttons.find((b) => (b.data as { code?: string }).code === '03.1.a');
    assert.ok(row, `the CFM 03.1.a row can be pressed: ${JSON.stringify(process.buttons)}`);
    assert.ok(row.title.startsWith('03.1.a '), row.title);
    assert.match(process.text, new RegExp(`^\\[${row.n}\\] 03\\.1\\.a `, 'm'));
    assertNumbered(process.buttons, process.text);
  });

  it('shows an image as "[gambar: …]" and its link as an openUrl button', async () => {
    const { catalogue } = await realKnowledge();
    const { text, buttons } = rendered(diagramView(catalogue, '03.1.a', 'https://pandu.example.go.id/diagrams/03.1.a.png', 'id', false));
    assert.match(text, /\[gambar: [^\]]+03\.1\.a[^\]]*\]/);
    const link = buttons.find((b) => b.kind === 'openUrl');
    assert.equal(link?.url, 'https://pandu.example.go.id/diagrams/03.1.a.png');
  });

  it('shows input fields with their initial values and returns them, so a press can send them', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'Input.Date', id: 'date', label: 'Tanggal', value: '2026-11-30' },
        { type: 'Input.Text', id: 'note', label: 'Catatan' },
        { type: 'Input.ChoiceSet', id: 'role', label: 'Peran', value: 'kabid', choices: [{ title: 'Kepala Bidang', value: 'kabid' }, { title: 'Staf', value: 'staf' }] },
        { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Simpan', data: { verb: 'remind.set' } }] },
      ],
    };
    const { text, buttons, inputs } = renderCardText(card);
    assert.match(text, /^Tanggal: 2026-11-30 \(isian\)$/m);
    assert.match(text, /^Catatan: — \(isian\)$/m);
    assert.match(text, /^ {2}◉ Kepala Bidang$/m);
    assert.match(text, /^ {2}○ Staf$/m);
    assert.match(text, /^\[1\] Simpan$/m);
    assert.deepEqual(inputs, { date: '2026-11-30', note: '', role: 'kabid' });
    assert.equal(buttons.length, 1);
  });

  it('wraps to the width, and is bold only when colour is on', async () => {
    const { catalogue } = await realKnowledge();
    for (const width of [40, 72]) {
      const { text } = rendered(answerView(catalogue, { kind: 'cfm', code: '03.1.a' }, 'id'), { width });
      for (const line of text.split('\n')) assert.ok(visible(line) <= width, `"${line}" fits ${width} columns`);
    }
    const plain = rendered(welcomeView('id'));
    const coloured = rendered(welcomeView('id'), { color: true });
    assert.ok(coloured.text.includes('\x1b[1mSelamat datang di Pandu'), 'the heading is bold');
    assert.equal(coloured.text.replace(ANSI, ''), plain.text);
    assert.deepEqual(coloured.buttons, plain.buttons);
  });

  it('renders every CFM answer and every walkthrough step with each action once and every line within the width', async () => {
    const { catalogue } = await realKnowledge();
    for (const cfm of catalogue.cfms) {
      const start = startWalkthrough(cfm, catalogue.version, new Date('2026-11-30T01:00:00Z'));
      const cards = [
        renderCard(answerView(catalogue, { kind: 'cfm', code: cfm.code }, 'en')!),
        ...cfm.steps.map((step, i) => renderCard(guideStepView(catalogue, { ...start, current: step.id, path: i === 0 ? [] : [{ step: cfm.steps[0]!.id }] }, 'id')!)),
      ];
      for (const card of cards) {
        const { text, buttons } = renderCardText(card, { width: 60 });
        assert.equal(buttons.length, pressables(card), `${cfm.code}: ${JSON.stringify(buttons.map((b) => b.title))}`);
        assertNumbered(buttons, text);
        for (const line of text.split('\n')) assert.ok(visible(line) <= 60, `${cfm.code}: "${line}" fits`);
      }
    }
  });
});

describe('connector stand-in', () => {
  it('takes replies (POST) and updates (PUT), answers {id}, and refuses anything else', async () => {
    const received: ReceivedActivity[] = [];
    const standIn = await startConnectorStandIn((r) => received.push(r));
    try {
      assert.match(standIn.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const conv = encodeURIComponent('a:pandu-chat-x');
      const send = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
        const response = await fetch(`${standIn.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return { status: response.status, json: await response.json() };
      };
      assert.deepEqual(await send('POST', `v3/conversations/${conv}/activities/1700000000001`, { type: 'message', text: 'Halo' }), { status: 200, json: { id: 'stand-in-1' } });
      assert.deepEqual(await send('POST', `v3/conversations/${conv}/activities`, { type: 'typing' }), { status: 200, json: { id: 'stand-in-2' } });
      assert.deepEqual(await send('PUT', `v3/conversations/${conv}/activities/stand-in-1`, { type: 'message', text: 'Diperbarui' }), { status: 200, json: { id: 'stand-in-1' } });
      assert.equal((await send('GET', `v3/conversations/${conv}/members`)).status, 404);
      assert.equal((await send('POST', `v3/conversations/${conv}/activities`, 'not an activity')).status, 400);
      assert.deepEqual(
        received.map((r) => [r.op, r.id, r.conversationId, r.replyToId, r.activity['text']]),
        [
          ['send', 'stand-in-1', 'a:pandu-chat-x', '1700000000001', 'Halo'],
          ['send', 'stand-in-2', 'a:pandu-chat-x', undefined, undefined],
          ['update', 'stand-in-1', 'a:pandu-chat-x', undefined, 'Diperbarui'],
        ],
      );
    } finally {
      await standIn.close();
    }
  });
});

/** A chat CLI child with its output collected, and a way to wait for something in it. */
interface ChatChild {
  readonly child: ChildProcessWithoutNullStreams;
  out(): string;
  err(): string;
  waitFor(pattern: RegExp, after?: number, timeoutMs?: number): Promise<RegExpExecArray & { end: number }>;
  exited(timeoutMs?: number): Promise<number | null>;
}

function spawnChat(args: readonly string[]): ChatChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/chat/chat.ts', ...args], { cwd: ROOT, env: process.env });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const l of listeners) l();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    out: () => stdout,
    err: () => stderr,
    waitFor(pattern, after = 0, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
          const m = re.exec(stdout.slice(after));
          if (!m) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(Object.assign(m, { end: after + m.index + m[0].length }));
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`chat: no ${pattern} within ${timeoutMs} ms.\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        void exit.then(() => {
          if (listeners.has(check) && !check()) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`chat exited before ${pattern}.\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
          }
        });
        check();
      });
    },
    exited(timeoutMs = 5000) {
      return Promise.race([exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`chat did not exit within ${timeoutMs} ms`)), timeoutMs).unref())]);
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm run chat', () => {
  let bot: TestBot | undefined;
  let chat: ChatChild | undefined;

  afterEach(async () => {
    if (chat && chat.child.exitCode === null && chat.child.signalCode === null) chat.child.kill('SIGKILL');
    chat = undefined;
    await bot?.close();
    bot = undefined;
  });

  it('talks to the real bot: welcome, "pandu 03.1.a", presses "Lanjut" to step 2, and /quit', async function () {
    this.timeout(15_000);
    bot = await startTestBot();
    chat = spawnChat(['--bot', bot.url, '--no-color', '--user', 'Maria Lobo']);
    await chat.waitFor(/Selamat datang di Pandu/, 0, 8000);
    chat.child.stdin.write('pandu 03.1.a\n');
    const step1 = await chat.waitFor(/Langkah 1 dari \d+/);
    const next = await chat.waitFor(/\[(\d+)\] Lanjut/, step1.end);
    chat.child.stdin.write(`${next[1]}\n`);
    await chat.waitFor(/Langkah 2 dari \d+/, next.end);
    assert.match(chat.out().slice(next.end), /Pandu \(kartu diperbarui\):/, 'the step card is replaced in place');
    chat.child.stdin.write('/quit\n');
    assert.equal(await chat.exited(), 0, chat.err());
    assert.doesNotMatch(chat.out(), ANSI, '--no-color');
  });

  it('exits 1 and says to run `npm start` when no bot answers', async () => {
    const port = await freePort();
    chat = spawnChat(['--bot', `http://127.0.0.1:${port}`]);
    assert.equal(await chat.exited(8000), 1);
    assert.match(chat.err(), /not reachable at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(chat.err(), /run `npm start` in another terminal/);
  });
});
