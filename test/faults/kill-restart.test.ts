// Fault: kill -9 under load. The real bot runs as a child process on a lowdb store in a temp folder;
// several users walk CFM 03.1.a through /api/messages (Action.Execute invokes with the previous
// card's data), start runs and set personal reminders, while the bot is SIGKILLed at random moments
// and restarted. After every restart: the store opens (the bot becomes healthy), every walkthrough
// resumes at a step it had reached, every run the user was told about is listed, every reminder that
// was acknowledged is in the store file.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotProcess, type BotProcess } from '../helpers/bot-process.js';
import { startFakeConnector, type FakeConnector, type RecordedRequest } from '../helpers/fake-connector.js';
import { createRng, seedFromEnv, type Rng } from '../helpers/fuzz-activities.js';
import { messageActivity, TEST_TENANT, type TestActivity } from '../helpers/http-bot.js';
import { parseJsonText } from '../../bot/core/format/json-text.js';

const KILLS = 8;
const USERS = 4;
const CARD = 'application/vnd.microsoft.card.adaptive';

interface CardAction {
  readonly title: string;
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

interface Walker {
  readonly tag: string;
  readonly from: { id: string; name: string; aadObjectId: string };
  readonly conversation: { id: string; conversationType: string; tenantId: string };
  /** The Action.Execute buttons of the card the user is looking at; undefined: (re)start with "pandu 03.1.a". */
  actions: CardAction[] | undefined;
  /** The highest walkthrough revision the user has seen (a card delivered or an invoke answered). */
  ackRev: number;
  /** The highest revision a button press was sent from (the bot may have applied it, or not). */
  sentRev: number;
  runs: number;
  reminders: number;
  readonly remindersAcked: string[];
  steps: number;
}

/** Every Action.Execute button in a card. */
function actionsOf(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'Action.Execute' && typeof o['verb'] === 'string') found.push({ title: String(o['title']), verb: o['verb'], data: (o['data'] ?? {}) as Record<string, unknown> });
      for (const value of Object.values(o)) walk(value);
    }
  };
  walk(card);
  return found;
}

/** The walkthrough revision a step card shows (its buttons carry it), if it is a 03.1.a step card. */
function revOf(actions: readonly CardAction[]): number | undefined {
  const button = actions.find((a) => a.verb.startsWith('guide.') && a.data['cfm'] === '03.1.a' && a.data['rev'] !== undefined);
  return button ? Number(button.data['rev']) : undefined;
}

function cardsOf(request: RecordedRequest | undefined): unknown[] {
  const attachments = (request?.body as { attachments?: { contentType?: string; content?: unknown }[] } | undefined)?.attachments ?? [];
  return attachments.filter((a) => a.contentType === CARD).map((a) => a.content);
}

function textOf(request: RecordedRequest): string {
  return String((request.body as { text?: unknown } | undefined)?.text ?? '');
}

interface Reply {
  readonly status: number;
  readonly json: unknown;
}

async function post(url: string, body: unknown): Promise<Reply> {
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  const json = parseJsonText(text);
  return { status: response.status, json };
}

/** A date 20 days from now (the reminders' date: always in the future). */
const REMIND_DATE = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

describe('fault: kill -9 under load (child process, lowdb store)', function () {
  this.timeout(120_000);

  let connector: FakeConnector;
  let dataDir: string;
  let bot: BotProcess | undefined;
  let rng: Rng;
  const seed = seedFromEnv('PANDU_KILL_SEED');

  before(async () => {
    connector = await startFakeConnector();
    dataDir = await mkdtemp(path.join(tmpdir(), 'pandu-kill-test-'));
    rng = createRng(seed);
  });
  after(async () => {
    await bot?.kill9();
    await connector?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged step, run and reminder across ${KILLS} SIGKILLs at random moments`, async () => {
    console.log(`      kill -9 seed: ${seed} (PANDU_KILL_SEED=${seed} reproduces the kill moments and choices)`);
    const walkers: Walker[] = Array.from({ length: USERS }, (_, i) => ({
      tag: `k${i + 1}`,
      from: { id: `29:1pandu-kill-user-${i + 1}`, name: `Pengguna ${i + 1}`, aadObjectId: `7c9e6679-7425-40de-944b-e07fc1f90a${String(i + 10).padStart(2, '0')}` },
      conversation: { id: `a:1pandu-kill-conv-${i + 1}`, conversationType: 'personal', tenantId: TEST_TENANT },
      actions: undefined,
      ackRev: -1,
      sentRev: -1,
      runs: 0,
      reminders: 0,
      remindersAcked: [],
      steps: 0,
    }));
    const activity = (w: Walker, text: string): TestActivity => messageActivity(text, connector.url, { from: w.from, conversation: w.conversation });
    const invoke = (w: Walker, verb: string, data: Record<string, unknown>): TestActivity => ({ ...activity(w, ''), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
    const replyTo = (a: TestActivity): RecordedRequest | undefined => connector.requests.find((r) => r.replyToId === a.id && r.conversationId === a.conversation.id && (r.body as { type?: string } | undefined)?.type === 'message');
    const adopt = (w: Walker, card: unknown): void => {
      const actions = actionsOf(card);
      const rev = revOf(actions);
      if (rev === undefined) {
        w.actions = undefined;
        return;
      }
      w.actions = actions;
      w.ackRev = Math.max(w.ackRev, rev);
    };
    /** Titles of the runs whose start the bot confirmed to the user ("Pelaksanaan "…" dimulai"). */
    const runsTold = (w: Walker): string[] =>
      connector.requests.filter((r) => r.conversationId === w.conversation.id).flatMap((r) => [.../Pelaksanaan "(Kasus k\d+-\d{3})" \(06\.1\.a\) dimulai/.exec(textOf(r))?.slice(1) ?? []]);

    let stopped = false;
    const stats = { kills: [] as number[], requests: 0, steps: 0, runs: 0, reminders: 0 };

    /** One user's load: walk, start a run now and then, set a reminder now and then; ends when the bot dies. */
    const load = async (w: Walker, url: string, own: Rng): Promise<void> => {
      while (!stopped) {
        const r = own.next();
        try {
          stats.requests++;
          if (r < 0.15) {
            const title = `Kasus ${w.tag}-${String(++w.runs).padStart(3, '0')}`;
            await post(url, activity(w, `mulai pelaksanaan 06.1.a untuk ${title}`));
          } else if (r < 0.27) {
            const note = `ingat ${w.tag}-${String(++w.reminders).padStart(3, '0')}`;
            const res = await post(url, invoke(w, 'remind.set', { verb: 'remind.set', cfm: '03.1.a', date: REMIND_DATE, time: `${String(8 + own.int(7)).padStart(2, '0')}:${own.pick(['00', '15', '30', '45'])}`, note }));
            if (res.status === 200 && /mengingatkan/.test(String((res.json as { value?: unknown } | undefined)?.value))) w.remindersAcked.push(note);
          } else if (!w.actions) {
            const a = activity(w, 'pandu 03.1.a');
            // Starting counts as a press: the turn saves before it replies, so a kill may leave a
            // walkthrough whose first card was never seen (at most one step ahead of the person).
            w.sentRev = Math.max(w.sentRev, 0);
            const res = await post(url, a);
            const card = res.status === 200 ? cardsOf(replyTo(a))[0] : undefined;
            if (card) adopt(w, card);
          } else {
            const forward = w.actions.filter((a) => (a.verb === 'guide.next' && a.title === 'Lanjut') || a.verb === 'guide.branch');
            // Never "Selesai" (it would close the walkthrough) nor "Berhenti": at an end step, go back.
            const action = forward.length > 0 ? own.pick(forward) : w.actions.find((a) => a.verb === 'guide.back');
            if (!action) {
              w.actions = undefined;
              continue;
            }
            w.sentRev = Math.max(w.sentRev, Number(action.data['rev']));
            const res = await post(url, invoke(w, action.verb, action.data));
            const body = res.json as { statusCode?: number; type?: string; value?: unknown } | undefined;
            if (res.status === 200 && body?.type === CARD) {
              adopt(w, body.value);
              w.steps++;
              stats.steps++;
            } else {
              w.actions = undefined;
            }
          }
        } catch (error) {
          if (stopped) return; // the bot was killed under this request
          throw error;
        }
      }
    };

    /** After a restart: resume every walkthrough, list every run, find every reminder in the file. */
    const check = async (url: string, round: number, killedPid: number): Promise<void> => {
      // (The new process may be saving right now: only the killed one's temp files must be gone.)
      const leftovers = (await readdir(dataDir)).filter((name) => name.endsWith('.tmp') && name.includes(`.${killedPid}-`));
      assert.deepEqual(leftovers, [], `round ${round}: temp files of saves the kill interrupted were left behind`);
      await Promise.all(
        walkers.map(async (w) => {
          const resume = activity(w, 'lanjutkan');
          const res = await post(url, resume);
          assert.equal(res.status, 200, `round ${round}, ${w.tag}: "lanjutkan" got ${res.status}`);
          const card = cardsOf(replyTo(resume))[0];
          if (w.ackRev >= 0) {
            assert.ok(card, `round ${round}, ${w.tag}: "lanjutkan" showed no step although revision ${w.ackRev} was acknowledged; got: ${textOf(replyTo(resume) ?? ({ body: {} } as RecordedRequest))}`);
            const rev = revOf(actionsOf(card));
            assert.ok(rev !== undefined, `round ${round}, ${w.tag}: "lanjutkan" answered with a card that is not a 03.1.a step`);
            assert.ok(rev >= w.ackRev, `round ${round}, ${w.tag}: resumed at revision ${rev}, but revision ${w.ackRev} had been acknowledged (a step was lost)`);
            assert.ok(rev <= w.sentRev + 1, `round ${round}, ${w.tag}: resumed at revision ${rev}, beyond anything pressed (${w.sentRev})`);
          }
          if (card) adopt(w, card);
          else w.actions = undefined;

          const told = runsTold(w);
          const list = activity(w, 'pelaksanaan saya');
          const listed = await post(url, list);
          assert.equal(listed.status, 200);
          const listCard = JSON.stringify(cardsOf(replyTo(list))[0] ?? null);
          const missing = told.filter((title) => !listCard.includes(title));
          assert.deepEqual(missing, [], `round ${round}, ${w.tag}: runs whose start was confirmed are not listed by "pelaksanaan saya"`);
        }),
      );
      const file = JSON.parse(await readFile(path.join(dataDir, 'pandu-store.json'), 'utf8')) as { documents: Record<string, { value: { items?: { note?: string }[] } }> };
      const notes = Object.entries(file.documents)
        .filter(([key]) => key.startsWith('remind/'))
        .flatMap(([, doc]) => (doc.value.items ?? []).map((item) => String(item.note)));
      for (const w of walkers) {
        const lost = w.remindersAcked.filter((note) => !notes.includes(note));
        assert.deepEqual(lost, [], `round ${round}, ${w.tag}: acknowledged reminders missing from the store file`);
      }
      const counts = new Map<string, number>();
      for (const note of notes) counts.set(note, (counts.get(note) ?? 0) + 1);
      assert.deepEqual([...counts].filter(([, n]) => n > 1), [], `round ${round}: a reminder was stored twice`);
    };

    let killedPid = -1;
    for (let round = 0; ; round++) {
      bot = await startBotProcess({ dataDir });
      if (round > 0) await check(bot.url, round, killedPid);
      if (round === KILLS) break;
      stopped = false;
      const url = bot.url;
      const loads = walkers.map((w) => load(w, url, createRng(rng.int(2 ** 31))));
      const killAfter = 100 + rng.int(501);
      stats.kills.push(killAfter);
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      stopped = true;
      const exit = await bot.kill9();
      assert.equal(exit.signal, 'SIGKILL');
      killedPid = bot.pid;
      const results = await Promise.allSettled(loads);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }

    // A graceful stop at the end: the file is whole, the lock released, the backup kept.
    const exit = await bot.stop();
    assert.equal(exit.code, 0, `the bot did not stop cleanly: ${bot.stderr().slice(-1000)}`);
    bot = undefined;
    const names = await readdir(dataDir);
    assert.ok(!names.includes('pandu-store.lock'), `the lock was not released: ${names.join(', ')}`);
    assert.ok(names.includes('pandu-store.json.bak'), `no backup file: ${names.join(', ')}`);
    const file = JSON.parse(await readFile(path.join(dataDir, 'pandu-store.json'), 'utf8')) as { documents: Record<string, { value: unknown }> };
    const runs = JSON.stringify(file.documents['runs/open']?.value ?? null);
    for (const w of walkers) for (const title of runsTold(w)) assert.ok(runs.includes(title), `${title} is not in runs/open after the final stop`);

    const told = walkers.reduce((n, w) => n + runsTold(w).length, 0);
    const reminders = walkers.reduce((n, w) => n + w.remindersAcked.length, 0);
    const errors = connector.requests.filter((r) => /gangguan|rujukan/.test(textOf(r))).length;
    console.log(`      ${KILLS} kills at ${stats.kills.join(', ')} ms into the load; ${stats.requests} requests; ${stats.steps} steps, ${told} runs and ${reminders} reminders acknowledged; revisions reached ${walkers.map((w) => `${w.tag}:${w.ackRev}`).join(' ')}; ${errors} error replies`);
    assert.ok(stats.steps >= KILLS, `the load acknowledged only ${stats.steps} steps: the test checked too little`);
    assert.ok(told > 0 && reminders > 0, `no run (${told}) or no reminder (${reminders}) was acknowledged: the test checked too little`);
  });
});
