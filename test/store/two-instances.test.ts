import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config/load-config.js';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { bucketOf } from '../../bot/core/schedule/due-index.js';
import { createLogger } from '../../bot/log/logger.js';
import { startBot, type RunningBot } from '../../bot/start-bot.js';
import { openBlobStore } from '../../bot/store/blob-store.js';
import { startAzurite, type RunningAzurite } from '../helpers/azurite.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';
import { messageActivity, postActivity } from '../helpers/http-bot.js';
import { schedulerRig, TestClock } from '../helpers/scheduler-rig.js';

/** Two Pandu instances sharing one Blob container (Azurite), as behind a load balancer. */
describe('two bot instances sharing one Blob store', function () {
  this.timeout(90_000);
  let azurite: RunningAzurite;
  let connector: FakeConnector;
  const opened: StateStore[] = [];
  const open = async (container: string): Promise<StateStore> => {
    const store = await openBlobStore({ connectionString: azurite.connectionString, container });
    opened.push(store);
    return store;
  };

  before(async () => {
    azurite = await startAzurite();
    connector = await startFakeConnector();
  });
  after(async () => {
    for (const store of opened) await store.close().catch(() => undefined);
    await connector?.close();
    await azurite?.stop();
  });

  it('delivers each due reminder exactly once when both sweep at the same time', async () => {
    const clock = new TestClock(Date.parse('2026-11-30T01:00:00Z')); // Monday 09:00 WITA
    const [a, b] = [await open('reminders'), await open('reminders')];
    const now = clock.now();
    const items = Array.from({ length: 40 }, (_, i) => ({ key: `personal:u${i % 8}:${i}`, userId: `u${i % 8}`, at: new Date(now.getTime() - 60_000).toISOString(), note: `pengingat ${i}` }));
    await a.write([{ key: bucketOf(now), value: { schema: 1, items } }]);
    await a.write(Array.from({ length: 8 }, (_, i) => ({ key: `refs/u${i}`, value: { schema: 1, reference: { conversation: { id: `pc-u${i}` } } } })));
    const [rigA, rigB] = [await schedulerRig(a, clock), await schedulerRig(b, clock)];
    await Promise.all([rigA.sweep(), rigB.sweep(), rigA.sweep(), rigB.sweep()]);
    const keys = [...rigA.notifier.sent, ...rigB.notifier.sent].map((s) => s.key.split('#')[0]);
    assert.equal(keys.length, 40, `sent ${keys.length}`);
    assert.equal(new Set(keys).size, 40, 'no reminder twice');
    assert.ok(rigA.notifier.sent.length > 0 || rigB.notifier.sent.length > 0);
  });

  it("serves one user's walkthrough from both instances, alternating, without losing a step", async () => {
    const dirs: string[] = [];
    const bots: RunningBot[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const dir = await mkdtemp(path.join(tmpdir(), 'pandu-two-'));
        dirs.push(dir);
        const loaded = loadConfig({ PORT: '3978', PANDU_DATA_DIR: dir, PANDU_LOG_LEVEL: 'warn' });
        assert.ok(loaded.ok);
        bots.push(await startBot({ ...loaded.config, port: 0 }, createLogger('warn', () => undefined), { store: await open('walkthroughs'), scheduler: false }));
      }
      const conversation = { id: 'a:two-instances', conversationType: 'personal', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
      const start = messageActivity('pandu 01.2.a', connector.url, { conversation });
      assert.equal((await postActivity(bots[0]!.url, start)).status, 200);
      const first = await connector.waitFor((r) => r.conversationId === conversation.id && JSON.stringify(r.body).includes('Langkah 1 dari'), 5000);
      let card = JSON.stringify((first.body as { attachments: { content: unknown }[] }).attachments[0]!.content);
      const steps: string[] = [];
      for (let turn = 0; turn < 8; turn++) {
        const forward = [...card.matchAll(/"type":"Action\.Execute","title":"([^"]+)","verb":"guide\.(?:next|branch)","data":(\{[^}]*\})/g)];
        if (forward.length === 0) break;
        const data = JSON.parse(forward[0]![2]!) as Record<string, unknown>;
        steps.push(String(data['step']));
        const invoke = { ...messageActivity('', connector.url, { conversation }), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: data['verb'], data }, trigger: 'manual' } };
        const res = await postActivity(bots[turn % 2]!.url, invoke);
        assert.equal(res.status, 200, res.text);
        card = JSON.stringify((res.json as { value: unknown }).value);
        assert.match(card, new RegExp(`Langkah ${turn + 2} dari`), `turn ${turn} on instance ${turn % 2}: ${card.slice(0, 300)}`);
      }
      // A double click that reaches both instances at once is applied exactly once.
      const forward = [...card.matchAll(/"type":"Action\.Execute","title":"([^"]+)","verb":"guide\.(?:next|branch)","data":(\{[^}]*\})/g)];
      assert.ok(forward.length > 0, 'the walk is still open for the double-click check');
      {
        const data = JSON.parse(forward[0]![2]!) as Record<string, unknown>;
        const invoke = { ...messageActivity('', connector.url, { conversation }), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: data['verb'], data }, trigger: 'manual' } };
        const [x, y] = await Promise.all([postActivity(bots[0]!.url, invoke), postActivity(bots[1]!.url, invoke)]);
        assert.equal(x.status, 200);
        assert.equal(y.status, 200);
        const texts = [JSON.stringify(x.json), JSON.stringify(y.json)];
        assert.equal(texts.filter((t) => t.includes('kartu lama')).length, 1, 'one applied, the other told the card was old');
      }
      const store = opened.at(-1)!;
      const docs = await store.list('guides/');
      assert.equal(docs.length, 1);
      const doc = (await store.read(docs)).get(docs[0]!)!.value as { open: { cfm: string; path: { step: string }[] }[] };
      const walk = doc.open.find((w) => w.cfm === '01.2.a')!;
      assert.deepEqual(walk.path.slice(0, steps.length).map((p) => p.step), steps, 'every step taken, in order, none lost');
    } finally {
      for (const bot of bots) {
        bot.server.server.closeAllConnections?.();
        await bot.close();
      }
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  });
});
