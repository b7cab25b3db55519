// The HTTP edge end to end: the real server (startBot) on a loopback port, activities posted with
// fetch, replies caught by an in-process fake Bot Connector.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startFakeConnector, type FakeConnector, type RecordedRequest } from '../helpers/fake-connector.js';
import { getPath, messageActivity, newConversationId, postActivity, startTestBot, TEST_TENANT, type PostResult, type TestActivity, type TestBot } from '../helpers/http-bot.js';

const QUESTION = 'siapa yang menangani izin PUB?';
/** A string that appears in message texts of this file and must never appear in a log line. */
const MARKER = 'Zebrakuda7731';
const CARD = 'application/vnd.microsoft.card.adaptive';
const APP_ID = '3f1c8a52-6d4e-4b7a-9c21-5e8f0a1b2c3d';
const APP_TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const TENANT_A = 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5';
const TENANT_B = 'b2b2b2b2-c3c3-4d4d-9e5e-f6f6f6f6f6f6';

/** Log lines of every bot started in this file, checked at the end. */
const allLogs: string[][] = [];
/** Distinctive message texts sent in this file. */
const sentTexts = new Set<string>();

async function startBotFor(env: Record<string, string> = {}): Promise<TestBot> {
  const bot = await startTestBot(env);
  allLogs.push(bot.logs);
  return bot;
}

function send(bot: TestBot, activity: TestActivity, opts: Parameters<typeof postActivity>[2] = {}): Promise<PostResult> {
  if (typeof activity.text === 'string' && activity.text.trim().length >= 8) sentTexts.add(activity.text.slice(0, 200));
  return postActivity(bot.url, activity, opts);
}

const isMessageTo = (conversationId: string) => (r: RecordedRequest): boolean => r.conversationId === conversationId && (r.body as { type?: string } | undefined)?.type === 'message';

function attachmentsOf(request: RecordedRequest): { contentType: string; content: unknown }[] {
  return ((request.body as { attachments?: { contentType: string; content: unknown }[] }).attachments ?? []);
}

function textOf(request: RecordedRequest): string {
  return String((request.body as { text?: unknown }).text ?? '');
}

/** Posts the reference question in a fresh conversation and waits for its card reply. */
async function assertAnswersNormally(bot: TestBot, connector: FakeConnector, why: string): Promise<void> {
  const activity = messageActivity(QUESTION, connector.url);
  const res = await send(bot, activity);
  assert.equal(res.status, 200, `${why}: the next normal message got ${res.status} ${res.text}`);
  const reply = await connector.waitFor(isMessageTo(activity.conversation.id), 5000);
  assert.ok(attachmentsOf(reply).some((a) => a.contentType === CARD), `${why}: the next normal message got no card:\n${connector.describe()}`);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('HTTP server (real server, fake Bot Connector)', function () {
  this.timeout(20000);

  describe('local mode', () => {
    let connector: FakeConnector;
    let bot: TestBot;

    before(async () => {
      connector = await startFakeConnector();
      bot = await startBotFor();
    });
    after(async () => {
      await bot?.close();
      await connector?.close();
    });

    it('answers a question with an Adaptive Card posted to the conversation, in reply to the activity', async () => {
      const activity = messageActivity(QUESTION, connector.url);
      const res = await send(bot, activity);
      assert.equal(res.status, 200, res.text);
      const reply = await connector.waitFor(isMessageTo(activity.conversation.id), 5000);
      assert.equal(reply.method, 'POST');
      assert.equal(reply.path, `/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${encodeURIComponent(activity.id)}`);
      assert.ok(reply.path.includes('a%3A1pandu-test-'), `conversation id not URL-encoded: ${reply.path}`);
      assert.equal((reply.body as { replyToId?: string }).replyToId, activity.id);
      assert.equal(reply.headers.authorization, undefined, 'local mode sends no Authorization header');
      const cards = attachmentsOf(reply).filter((a) => a.contentType === CARD);
      assert.equal(cards.length, 1, connector.describe());
      assert.match(JSON.stringify(cards[0]!.content), /03\.1\.a/);
    });

    it('answers an adaptiveCard/action invoke with the next step\'s card in the invoke response', async () => {
      const start = messageActivity('pandu 03.1.a', connector.url);
      assert.equal((await send(bot, start)).status, 200);
      const first = await connector.waitFor(isMessageTo(start.conversation.id), 5000);
      const card = JSON.stringify(attachmentsOf(first)[0]!.content);
      const data = JSON.parse(/"type":"Action\.Execute","title":"Lanjut","verb":"guide\.next","data":(\{[^}]*\})/.exec(card)![1]!) as Record<string, unknown>;
      const invoke = { ...messageActivity('', connector.url, { conversation: start.conversation }), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'guide.next', data }, trigger: 'manual' } };
      const res = await send(bot, invoke as unknown as typeof start);
      assert.equal(res.status, 200, res.text);
      const body = res.json as { statusCode: number; type: string; value: unknown };
      assert.equal(body.statusCode, 200);
      assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
      assert.match(JSON.stringify(body.value), /Langkah 2 dari/);
    });

    it('GET /healthz: 200, status ok and a 12-hex catalogue version', async () => {
      const res = await getPath(bot.url, '/healthz');
      assert.equal(res.status, 200, res.text);
      const body = res.json as { status?: unknown; catalogueVersion?: unknown };
      assert.equal(body.status, 'ok');
      assert.match(String(body.catalogueVersion), /^[0-9a-f]{12}$/);
    });

    it('answers a duplicate delivery (same activity id) once', async () => {
      const activity = messageActivity(QUESTION, connector.url);
      const first = await send(bot, activity);
      const second = await send(bot, activity);
      assert.equal(first.status, 200, first.text);
      assert.ok(second.status >= 200 && second.status < 300, `duplicate got ${second.status} ${second.text}`);
      await connector.waitFor(isMessageTo(activity.conversation.id), 5000);
      await sleep(300);
      const replies = connector.requests.filter(isMessageTo(activity.conversation.id));
      assert.equal(replies.length, 1, connector.describe());
    });

    it(`does not put message text in the logs (marker ${MARKER})`, async () => {
      const activity = messageActivity(`${MARKER} ${QUESTION}`, connector.url);
      const res = await send(bot, activity);
      assert.equal(res.status, 200, res.text);
      await connector.waitFor(isMessageTo(activity.conversation.id), 5000);
      assert.ok(bot.logs.length > 0, 'the bot logged nothing at all');
      const leaking = bot.logs.filter((line) => line.includes(MARKER));
      assert.deepEqual(leaking, []);
    });

    describe('bad input is refused cleanly and the next message is still answered', () => {
      let bomb: Buffer;
      before(() => {
        bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
      });

      interface Case {
        readonly name: string;
        /** Posts the request; `conversationId` is a fresh one for this case. */
        readonly post: (conversationId: string) => Promise<PostResult>;
        readonly status: number | '2xx';
        /** Nothing may reach the connector for this conversation. */
        readonly noReply?: boolean;
        /** Checks the replies (message activities) for this conversation. */
        readonly replies?: (replies: RecordedRequest[]) => void;
        readonly maxMs?: number;
      }

      const act = (conversationId: string, text: string, overrides: Partial<TestActivity> = {}): TestActivity =>
        messageActivity(text, connector.url, { conversation: { id: conversationId, conversationType: 'personal', tenantId: TEST_TENANT }, ...overrides });

      const cases: Case[] = [
        { name: 'a body that is not JSON', post: (c) => postActivity(bot.url, null, { rawBody: JSON.stringify(act(c, `${MARKER} ${QUESTION}`)).slice(0, -20) }), status: 400, noReply: true },
        { name: 'a text/plain body', post: (c) => send(bot, act(c, `${MARKER} ${QUESTION}`), { contentType: 'text/plain' }), status: 415, noReply: true },
        { name: 'a 300 KB JSON body', post: (c) => send(bot, act(c, `${MARKER} ${QUESTION}`, { channelData: { tenant: { id: TEST_TENANT }, padding: 'x'.repeat(300 * 1024) } })), status: 413, noReply: true },
        { name: 'a gzip bomb (50 MB of spaces)', post: () => postActivity(bot.url, null, { rawBody: bomb, encoding: 'gzip' }), status: 413, maxMs: 2000 },
        { name: 'an unsupported Content-Encoding', post: (c) => send(bot, act(c, `${MARKER} ${QUESTION}`), { encoding: 'compress' }), status: 415, noReply: true },
        { name: 'a JSON array', post: (c) => postActivity(bot.url, [act(c, `${MARKER} ${QUESTION}`)]), status: 400, noReply: true },
        { name: 'JSON null', post: () => postActivity(bot.url, null, { rawBody: 'null' }), status: 400 },
        { name: 'an object without type', post: (c) => send(bot, act(c, `${MARKER} ${QUESTION}`, { type: undefined })), status: 400, noReply: true },
        { name: 'an unknown activity type (fooBar)', post: (c) => send(bot, act(c, `${MARKER} ${QUESTION}`, { type: 'fooBar' })), status: '2xx', noReply: true },
        {
          name: 'an unknown invoke name',
          post: (c) => send(bot, act(c, '', { type: 'invoke', name: 'pandu/noSuchInvoke', value: { x: 1 }, text: undefined })),
          status: 400,
          noReply: true,
        },
        {
          name: 'an empty message text',
          post: (c) => send(bot, act(c, '')),
          status: '2xx',
          replies: (replies) => {
            for (const r of replies) assert.doesNotMatch(textOf(r), /gangguan|rujukan/, `the empty message got an error reply: ${textOf(r)}`);
          },
        },
        {
          name: 'a message with a 100 KB text',
          post: (c) => send(bot, act(c, `${MARKER} izin PUB `.repeat(Math.ceil((100 * 1024) / (MARKER.length + 10))).slice(0, 100 * 1024))),
          status: '2xx',
          replies: (replies) => {
            for (const r of replies) assert.doesNotMatch(textOf(r), /gangguan|rujukan/, `the long message got an error reply: ${textOf(r)}`);
          },
        },
        {
          name: 'a button press (lookup.show cfm 03.1.a)',
          post: (c) => send(bot, act(c, '', { text: undefined, value: { verb: 'lookup.show', kind: 'cfm', code: '03.1.a' } })),
          status: '2xx',
          replies: (replies) => {
            assert.equal(replies.length, 1);
            const cards = attachmentsOf(replies[0]!).filter((a) => a.contentType === CARD);
            assert.equal(cards.length, 1, 'the button press got no card');
            assert.match(JSON.stringify(cards[0]!.content), /03\.1\.a/);
          },
        },
        {
          name: 'a tampered button (verb drop.tables)',
          post: (c) => send(bot, act(c, '', { text: undefined, value: { verb: 'drop.tables' } })),
          status: '2xx',
          replies: (replies) => {
            assert.equal(replies.length, 1);
            assert.equal(attachmentsOf(replies[0]!).length, 0, 'expected a text reply, not a card');
            assert.match(textOf(replies[0]!), /tombol/);
            assert.doesNotMatch(textOf(replies[0]!), /gangguan|rujukan/);
          },
        },
      ];

      for (const c of cases) {
        it(`${c.name} → ${c.status}`, async () => {
          const conversationId = newConversationId();
          const started = Date.now();
          const res = await c.post(conversationId);
          const elapsed = Date.now() - started;
          if (c.status === '2xx') assert.ok(res.status >= 200 && res.status < 300, `got ${res.status} ${res.text}`);
          else assert.equal(res.status, c.status, `got ${res.status} ${res.text}`);
          assert.notEqual(res.status, 500);
          if (c.maxMs !== undefined) assert.ok(elapsed < c.maxMs, `took ${elapsed} ms (limit ${c.maxMs} ms)`);
          if (c.replies) {
            // Replies are sent before the HTTP answer; a short pause catches any late extra one.
            await sleep(100);
            c.replies(connector.requests.filter(isMessageTo(conversationId)));
          }
          if (c.noReply) {
            await sleep(100);
            assert.deepEqual(connector.forConversation(conversationId).map((r) => `${r.method} ${r.path}`), []);
          }
          await assertAnswersNormally(bot, connector, `after ${c.name}`);
        });
      }

      it('after the whole table the process is alive and /healthz is 200', async () => {
        const res = await getPath(bot.url, '/healthz');
        assert.equal(res.status, 200, res.text);
        assert.equal((res.json as { status?: unknown }).status, 'ok');
        await assertAnswersNormally(bot, connector, 'after the table');
      });
    });
  });

  describe('with an app id configured (authenticated mode)', () => {
    let connector: FakeConnector;
    let bot: TestBot;

    before(async () => {
      connector = await startFakeConnector();
      bot = await startBotFor({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: APP_TENANT, MicrosoftAppType: 'SingleTenant', PANDU_HOST: '127.0.0.1' });
    });
    after(async () => {
      await bot?.close();
      await connector?.close();
    });

    it('refuses a request without Authorization with 401, and sends nothing', async () => {
      assert.equal(bot.config.mode, 'authenticated');
      const activity = messageActivity(`${MARKER} ${QUESTION}`, connector.url);
      const res = await send(bot, activity);
      assert.equal(res.status, 401, res.text);
      await sleep(100);
      assert.deepEqual(connector.requests.map((r) => `${r.method} ${r.path}`), []);
    });

    it('refuses a malformed bearer token with 401, and sends nothing', async () => {
      const activity = messageActivity(`${MARKER} ${QUESTION}`, connector.url);
      const res = await send(bot, activity, { headers: { authorization: 'Bearer abc.def.ghi' } });
      assert.equal(res.status, 401, res.text);
      await sleep(100);
      assert.deepEqual(connector.requests.map((r) => `${r.method} ${r.path}`), []);
    });
  });

  describe('allowed tenants', () => {
    let connector: FakeConnector;
    let bot: TestBot;

    before(async () => {
      connector = await startFakeConnector();
      bot = await startBotFor({ PANDU_ALLOWED_TENANTS: TENANT_A });
    });
    after(async () => {
      await bot?.close();
      await connector?.close();
    });

    const fromTenant = (tenantId: string): TestActivity =>
      messageActivity(`${MARKER} ${QUESTION}`, connector.url, { conversation: { id: newConversationId(), conversationType: 'personal', tenantId } });

    it('refuses an activity from another tenant with 403, and sends nothing', async () => {
      const activity = fromTenant(TENANT_B);
      const res = await send(bot, activity);
      assert.equal(res.status, 403, res.text);
      await sleep(100);
      assert.deepEqual(connector.requests.map((r) => `${r.method} ${r.path}`), []);
    });

    it('answers an activity from the allowed tenant', async () => {
      const activity = fromTenant(TENANT_A);
      const res = await send(bot, activity);
      assert.equal(res.status, 200, res.text);
      const reply = await connector.waitFor(isMessageTo(activity.conversation.id), 5000);
      assert.ok(attachmentsOf(reply).some((a) => a.contentType === CARD), connector.describe());
    });
  });

  describe('privacy', () => {
    it('no log line of any bot in this file contains the text of a message sent', () => {
      const lines = allLogs.flat();
      assert.ok(lines.length > 0, 'no logs were captured');
      assert.ok(sentTexts.size > 0);
      const leaks: string[] = [];
      for (const line of lines) {
        if (line.includes(MARKER)) leaks.push(`marker in: ${line.slice(0, 300)}`);
        for (const text of sentTexts) if (line.includes(text)) leaks.push(`${JSON.stringify(text.slice(0, 40))} in: ${line.slice(0, 300)}`);
        if (line.includes('menangani izin')) leaks.push(`question text in: ${line.slice(0, 300)}`);
      }
      assert.deepEqual(leaks, []);
    });
  });
});
