/**
 * The outbound queue against a fake notifier, on sinon's fake clock: Teams' limits (per
 * conversation and per tenant), retries (429 with and without Retry-After, 5xx), permanent and
 * ambiguous failures, de-duplication, concurrency and stop().
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Delivery, Notifier, SendResult } from '../../bot/core/ports/notifier.js';
import { DeliveryQueue, QueueStoppedError, type DeliveryOutcome, type DeliveryQueueOptions } from '../../bot/outbound/delivery-queue.js';

interface Call {
  readonly key: string;
  readonly conversationId: string;
  readonly tenantId: string | undefined;
  /** Fake time (ms since the fake epoch) when send() was called. */
  readonly at: number;
}

type Script = (delivery: Delivery, attempt: number) => SendResult;

/** Records every call with its fake time; answers from a script (default: success), after `latencyMs`. */
class FakeNotifier implements Notifier {
  readonly calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly script: Script = () => ({ ok: true }),
    private readonly latencyMs = 0,
  ) {}

  async send(delivery: Delivery): Promise<SendResult> {
    const attempt = (this.attempts.get(delivery.key) ?? 0) + 1;
    this.attempts.set(delivery.key, attempt);
    this.calls.push({ key: delivery.key, conversationId: delivery.conversationId, tenantId: delivery.tenantId, at: Date.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      return this.script(delivery, attempt);
    } finally {
      this.inFlight--;
    }
  }

  callsFor(key: string): Call[] {
    return this.calls.filter((c) => c.key === key);
  }
}

/** The most events in any half-open window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && (sorted[j] ?? Infinity) < (sorted[i] ?? 0) + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

function gaps(calls: readonly Call[]): number[] {
  return calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
}

function delivery(key: string, conversationId = 'conv-1', tenantId: string | undefined = 'tenant-1'): Delivery {
  return { key, conversationId, ...(tenantId !== undefined ? { tenantId } : {}), activity: { type: 'message', text: key } };
}

const fail = (status: number, extra: { retryAfterMs?: number; ambiguous?: boolean } = {}): SendResult => ({ ok: false, status, error: `HTTP ${status}`, ...extra });

describe('DeliveryQueue', () => {
  let clock: sinon.SinonFakeTimers;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  function queueWith(notifier: Notifier, options: Partial<DeliveryQueueOptions> = {}): DeliveryQueue {
    return new DeliveryQueue({ notifier, clock: { now: () => new Date() }, sleep, random: () => 0.5, ...options });
  }

  /** Runs the fake clock until every outcome is in. */
  async function settle<T>(promises: Promise<T>[]): Promise<T[]> {
    const all = Promise.all(promises);
    await clock.runAllAsync();
    return all;
  }

  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });

  afterEach(() => {
    clock.restore();
  });

  describe('limits', () => {
    it('paces 20 messages to one conversation: at most 7 per second, 8 per 2 s, 60 per 30 s', async () => {
      const notifier = new FakeNotifier();
      const queue = queueWith(notifier);
      const start = Date.now();
      const outcomes = await settle(Array.from({ length: 20 }, (_, i) => queue.enqueue(delivery(`m${i}`))));
      await queue.drain();
      const elapsed = Date.now() - start;

      assert.ok(outcomes.every((o) => o.status === 'sent'));
      assert.equal(notifier.calls.length, 20);
      const times = notifier.calls.map((c) => c.at);
      assert.ok(elapsed >= 2_800, `20 messages took ${elapsed} ms of fake time`);
      assert.ok(maxInWindow(times, 1_000) <= 7, `max in 1 s: ${maxInWindow(times, 1_000)}`);
      assert.ok(maxInWindow(times, 2_000) <= 8, `max in 2 s: ${maxInWindow(times, 2_000)}`);
      assert.ok(maxInWindow(times, 30_000) <= 60);
      // Sliding windows: 7 at 0 s, 1 at 1 s, 7 at 2 s, 1 at 3 s, 4 at 4 s.
      assert.equal(times[times.length - 1]! - start, 4_000);
      // Enqueue order is kept within a conversation.
      assert.deepEqual(notifier.calls.map((c) => c.key), Array.from({ length: 20 }, (_, i) => `m${i}`));
    });

    it('keeps 70 messages to one conversation within 60 per 30 s', async () => {
      const notifier = new FakeNotifier();
      const queue = queueWith(notifier);
      const start = Date.now();
      await settle(Array.from({ length: 70 }, (_, i) => queue.enqueue(delivery(`m${i}`))));
      const times = notifier.calls.map((c) => c.at);
      assert.equal(times.length, 70);
      assert.ok(maxInWindow(times, 1_000) <= 7);
      assert.ok(maxInWindow(times, 2_000) <= 8);
      assert.equal(maxInWindow(times, 30_000), 60);
      assert.ok(times[60]! - start >= 30_000, `the 61st went at ${times[60]! - start} ms`);
    });

    it('sends 100 messages to 100 conversations of one tenant at no more than 50 per second', async () => {
      const notifier = new FakeNotifier();
      const queue = queueWith(notifier);
      const start = Date.now();
      const outcomes = await settle(Array.from({ length: 100 }, (_, i) => queue.enqueue(delivery(`m${i}`, `conv-${i}`))));
      const times = notifier.calls.map((c) => c.at);
      assert.ok(outcomes.every((o) => o.status === 'sent'));
      assert.equal(times.length, 100);
      assert.equal(maxInWindow(times, 1_000), 50);
      assert.equal(Math.max(...times) - start, 1_000);
    });

    it('does not hold one tenant back behind another tenant’s full second', async () => {
      const notifier = new FakeNotifier();
      const queue = queueWith(notifier);
      const start = Date.now();
      const busy = Array.from({ length: 60 }, (_, i) => queue.enqueue(delivery(`a${i}`, `a-conv-${i}`, 'tenant-a')));
      const other = queue.enqueue(delivery('b0', 'b-conv', 'tenant-b'));
      await settle([...busy, other]);
      assert.equal(notifier.callsFor('b0')[0]!.at, start);
    });

    it('does not hold a conversation back behind another conversation’s limit', async () => {
      const notifier = new FakeNotifier();
      const queue = queueWith(notifier);
      const start = Date.now();
      const busy = Array.from({ length: 10 }, (_, i) => queue.enqueue(delivery(`a${i}`, 'busy')));
      const other = queue.enqueue(delivery('b0', 'quiet'));
      await settle([...busy, other]);
      assert.equal(notifier.callsFor('b0')[0]!.at, start);
    });

    it('keeps at most `concurrency` sends in flight (8 by default)', async () => {
      const notifier = new FakeNotifier(undefined, 200);
      const queue = queueWith(notifier);
      const outcomes = await settle(Array.from({ length: 30 }, (_, i) => queue.enqueue(delivery(`m${i}`, `conv-${i}`))));
      assert.ok(outcomes.every((o) => o.status === 'sent'));
      assert.equal(notifier.maxInFlight, 8);
    });
  });

  describe('retries', () => {
    it('waits Retry-After after a 429, then sends, and pauses that conversation meanwhile', async () => {
      const notifier = new FakeNotifier((d, attempt) => (d.key === 'first' && attempt === 1 ? fail(429, { retryAfterMs: 3_000 }) : { ok: true, activityId: `act-${d.key}` }));
      const queue = queueWith(notifier);
      const start = Date.now();
      const first = queue.enqueue(delivery('first'));
      await clock.tickAsync(10);
      const second = queue.enqueue(delivery('second'));
      const [a, b] = await settle([first, second]);

      assert.deepEqual(a, { status: 'sent', key: 'first', conversationId: 'conv-1', attempts: 2, activityId: 'act-first' });
      assert.equal(b?.status, 'sent');
      const calls = notifier.callsFor('first');
      assert.equal(calls.length, 2);
      assert.ok(calls[1]!.at - calls[0]!.at >= 3_000, `retried after ${calls[1]!.at - calls[0]!.at} ms`);
      // The 429 slowed the whole conversation: the second message did not go before Retry-After either.
      assert.ok(notifier.callsFor('second')[0]!.at - start >= 3_000);
    });

    it('backs off exponentially with full jitter after a 429 without Retry-After', async () => {
      const randoms = [0.5, 0.25, 0.999];
      const notifier = new FakeNotifier((_d, attempt) => (attempt <= 3 ? fail(429) : { ok: true }));
      // slowdownMs 0: the conversation's limits are back to normal by the retry, so only the backoff shows.
      const queue = queueWith(notifier, { random: () => randoms.shift() ?? 0, baseBackoffMs: 1_000, maxBackoffMs: 60_000, slowdownMs: 0 });
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);

      assert.equal(outcome?.status, 'sent');
      assert.equal(outcome?.status === 'sent' && outcome.attempts, 4);
      const waited = gaps(notifier.calls);
      // Caps 1 s, 2 s, 4 s; delay = random * cap.
      assert.deepEqual(waited, [500, 500, 3_996]);
      const caps = [1_000, 2_000, 4_000];
      waited.forEach((ms, i) => assert.ok(ms >= 0 && ms < caps[i]!, `wait ${i + 1}: ${ms} ms`));
    });

    it('halves a conversation’s limits for slowdownMs after a 429', async () => {
      const notifier = new FakeNotifier((d, attempt) => (d.key === 'm0' && attempt === 1 ? fail(429, { retryAfterMs: 1_000 }) : { ok: true }));
      const queue = queueWith(notifier, { slowdownMs: 60_000 });
      const start = Date.now();
      const first = queue.enqueue(delivery('m0'));
      await clock.tickAsync(1);
      await settle([first, ...Array.from({ length: 12 }, (_, i) => queue.enqueue(delivery(`m${i + 1}`)))]);
      const times = notifier.calls.slice(1).map((c) => c.at);
      assert.ok(times.every((t) => t - start >= 1_000), 'nothing before Retry-After');
      // 7/s, 8/2s become 3/s, 4/2s: 13 messages take 6 s instead of 2.
      assert.equal(maxInWindow(times, 1_000), 3);
      assert.equal(maxInWindow(times, 2_000), 4);
      assert.equal(Math.max(...times) - start, 7_000);
    });

    it('caps the backoff at maxBackoffMs', async () => {
      const notifier = new FakeNotifier((_d, attempt) => (attempt <= 4 ? fail(503) : { ok: true }));
      const queue = queueWith(notifier, { random: () => 0.999, baseBackoffMs: 1_000, maxBackoffMs: 2_500 });
      await settle([queue.enqueue(delivery('m'))]);
      assert.deepEqual(gaps(notifier.calls), [999, 1_998, 2_497, 2_497]);
    });

    it('retries 503 twice, then sends with attempts 3', async () => {
      const notifier = new FakeNotifier((_d, attempt) => (attempt <= 2 ? fail(503) : { ok: true, activityId: 'a1' }));
      const queue = queueWith(notifier);
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.deepEqual(outcome, { status: 'sent', key: 'm', conversationId: 'conv-1', attempts: 3, activityId: 'a1' });
      assert.deepEqual(gaps(notifier.calls), [500, 1_000]);
    });

    for (const status of [412, 502, 504]) {
      it(`retries ${status}`, async () => {
        const notifier = new FakeNotifier((_d, attempt) => (attempt === 1 ? fail(status) : { ok: true }));
        const queue = queueWith(notifier);
        const [outcome] = await settle([queue.enqueue(delivery('m'))]);
        assert.equal(outcome?.status === 'sent' && outcome.attempts, 2);
      });
    }

    it('gives up on 500 after maxAttempts, without holding other deliveries back', async () => {
      const notifier = new FakeNotifier((d) => (d.key === 'bad' ? fail(500) : { ok: true }));
      const queue = queueWith(notifier);
      const bad = queue.enqueue(delivery('bad', 'conv-1'));
      const others = [
        queue.enqueue(delivery('same-conversation', 'conv-1')),
        queue.enqueue(delivery('other-conversation', 'conv-2')),
      ];
      await clock.tickAsync(600); // after the first retry of 'bad'
      const late = queue.enqueue(delivery('late', 'conv-1'));
      const [outcome, ...rest] = await settle([bad, ...others, late]);

      assert.deepEqual(outcome, { status: 'failed', key: 'bad', conversationId: 'conv-1', attempts: 5, lastStatus: 500, error: 'HTTP 500 (gave up after 5 attempts)', permanent: false });
      assert.equal(notifier.callsFor('bad').length, 5);
      assert.ok(rest.every((o) => o.status === 'sent'));
      const lastBad = notifier.callsFor('bad')[4]!.at;
      for (const key of ['same-conversation', 'other-conversation', 'late']) {
        assert.ok(notifier.callsFor(key)[0]!.at < lastBad, `${key} went before 'bad' gave up`);
      }
      assert.deepEqual(queue.stats(), { queued: 0, inFlight: 0, sent: 3, failed: 1, duplicates: 0 });
    });
  });

  describe('failures that are not retried', () => {
    it('fails a 403 at once, permanently, with the status (one call)', async () => {
      const notifier = new FakeNotifier(() => fail(403));
      const queue = queueWith(notifier);
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.deepEqual(outcome, { status: 'failed', key: 'm', conversationId: 'conv-1', attempts: 1, lastStatus: 403, error: 'HTTP 403', permanent: true, unreachable: true });
      assert.equal(notifier.calls.length, 1);
    });

    it('fails 404 as unreachable and 400 / 401 as permanent, one call each', async () => {
      const statuses: Record<string, number> = { a: 404, b: 400, c: 401 };
      const notifier = new FakeNotifier((d) => fail(statuses[d.key] ?? 500));
      const queue = queueWith(notifier);
      const outcomes = await settle(['a', 'b', 'c'].map((k) => queue.enqueue(delivery(k, `conv-${k}`))));
      assert.equal(notifier.calls.length, 3);
      assert.deepEqual(
        outcomes.map((o) => (o.status === 'failed' ? [o.lastStatus, o.permanent, o.unreachable ?? false] : o.status)),
        [[404, true, true], [400, true, false], [401, true, false]],
      );
    });

    it('does not retry an ambiguous timeout: one call, failed, not permanent, ambiguous', async () => {
      const notifier = new FakeNotifier(() => fail(0, { ambiguous: true }));
      const queue = queueWith(notifier);
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.deepEqual(outcome, { status: 'failed', key: 'm', conversationId: 'conv-1', attempts: 1, lastStatus: 0, error: 'HTTP 0', permanent: false, ambiguous: true });
      assert.equal(notifier.calls.length, 1);
    });

    it('does not retry an ambiguous 504 either (ambiguous wins over a retryable status)', async () => {
      const notifier = new FakeNotifier(() => fail(504, { ambiguous: true }));
      const queue = queueWith(notifier);
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.equal(outcome?.status === 'failed' && outcome.ambiguous, true);
      assert.equal(notifier.calls.length, 1);
    });

    it('treats a notifier that throws as ambiguous (one call)', async () => {
      const notifier: Notifier = { send: sinon.stub().rejects(new Error('socket hang up')) };
      const queue = queueWith(notifier);
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.deepEqual(outcome, { status: 'failed', key: 'm', conversationId: 'conv-1', attempts: 1, lastStatus: 0, error: 'The notifier threw: socket hang up', permanent: false, ambiguous: true });
      assert.equal((notifier.send as sinon.SinonStub).callCount, 1);
    });

    it('retries "no response" (status 0, not ambiguous): the request never reached Teams', async () => {
      const notifier = new FakeNotifier((_d, attempt) => (attempt === 1 ? fail(0) : { ok: true }));
      const queue = queueWith(notifier);
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.equal(outcome?.status === 'sent' && outcome.attempts, 2);
    });

    it('fails a 429 whose Retry-After is longer than maxRetryAfterMs instead of holding it', async () => {
      const notifier = new FakeNotifier(() => fail(429, { retryAfterMs: 600_000 }));
      const queue = queueWith(notifier, { maxRetryAfterMs: 120_000 });
      const [outcome] = await settle([queue.enqueue(delivery('m'))]);
      assert.equal(notifier.calls.length, 1);
      assert.equal(outcome?.status === 'failed' && outcome.permanent, false);
      assert.equal(outcome?.status === 'failed' && outcome.retryAfterMs, 600_000);
    });
  });

  describe('de-duplication, outcomes, stop', () => {
    it('answers "duplicate" for a key already queued, and sends once', async () => {
      const notifier = new FakeNotifier();
      const queue = queueWith(notifier);
      const [first, second] = await settle([queue.enqueue(delivery('same')), queue.enqueue(delivery('same'))]);
      assert.equal(first?.status, 'sent');
      assert.deepEqual(second, { status: 'duplicate', key: 'same', conversationId: 'conv-1' });
      assert.equal(notifier.calls.length, 1);
    });

    it('answers "duplicate" for a key already sent, but takes a failed key again', async () => {
      const notifier = new FakeNotifier((d, attempt) => (d.key === 'flaky' && attempt === 1 ? fail(400) : { ok: true }));
      const queue = queueWith(notifier);
      await settle([queue.enqueue(delivery('done')), queue.enqueue(delivery('flaky', 'conv-2'))]);
      const [again, retry] = await settle([queue.enqueue(delivery('done')), queue.enqueue(delivery('flaky', 'conv-2'))]);
      assert.equal(again?.status, 'duplicate');
      assert.equal(retry?.status, 'sent');
      assert.equal(notifier.callsFor('done').length, 1);
      assert.equal(queue.stats().duplicates, 1);
    });

    it('reports every outcome to onResult, and survives a listener that throws', async () => {
      const seen: DeliveryOutcome[] = [];
      const notifier = new FakeNotifier((d) => (d.key === 'x' ? fail(403) : { ok: true }));
      const queue = queueWith(notifier, {
        onResult: (o) => {
          seen.push(o);
          throw new Error('listener bug');
        },
      });
      await settle([queue.enqueue(delivery('a')), queue.enqueue(delivery('x', 'conv-2')), queue.enqueue(delivery('a'))]);
      assert.deepEqual(seen.map((o) => `${o.key}:${o.status}`).sort(), ['a:duplicate', 'a:sent', 'x:failed']);
    });

    it('drain() waits for everything queued, retries included', async () => {
      const notifier = new FakeNotifier((_d, attempt) => (attempt === 1 ? fail(503) : { ok: true }));
      const queue = queueWith(notifier);
      void queue.enqueue(delivery('a'));
      void queue.enqueue(delivery('b', 'conv-2'));
      let drained = false;
      const draining = queue.drain().then(() => (drained = true));
      await clock.tickAsync(100);
      assert.equal(drained, false);
      assert.equal(queue.stats().queued, 2);
      await clock.runAllAsync();
      await draining;
      assert.deepEqual(queue.stats(), { queued: 0, inFlight: 0, sent: 2, failed: 0, duplicates: 0 });
    });

    it('stop() refuses new work, lets the send in flight finish and fails what has not started', async () => {
      const notifier = new FakeNotifier(undefined, 500);
      const queue = queueWith(notifier);
      const inFlight = queue.enqueue(delivery('flying', 'conv-1'));
      const waiting = queue.enqueue(delivery('waiting', 'conv-1')); // behind 'flying' in the same conversation
      await clock.tickAsync(100);
      assert.deepEqual(queue.stats(), { queued: 1, inFlight: 1, sent: 0, failed: 0, duplicates: 0 });

      let stopped = false;
      const stopping = queue.stop().then(() => (stopped = true));
      await assert.rejects(queue.enqueue(delivery('new', 'conv-3')), QueueStoppedError);
      assert.deepEqual(await waiting, { status: 'failed', key: 'waiting', conversationId: 'conv-1', attempts: 0, lastStatus: 0, error: 'The queue stopped before this delivery was sent.', permanent: false });
      await clock.tickAsync(100);
      assert.equal(stopped, false, 'stop() waits for the send in flight');
      await clock.tickAsync(400);
      await stopping;
      assert.equal((await inFlight).status, 'sent');
      assert.deepEqual(notifier.calls.map((c) => c.key), ['flying']);
    });

    it('stop() does not retry a send in flight that fails transiently', async () => {
      const notifier = new FakeNotifier(() => fail(503), 500);
      const queue = queueWith(notifier);
      const outcome = queue.enqueue(delivery('m'));
      await clock.tickAsync(100);
      const stopping = queue.stop();
      await clock.runAllAsync();
      await stopping;
      const result = await outcome;
      assert.equal(result.status === 'failed' && result.lastStatus, 503);
      assert.equal(notifier.calls.length, 1);
    });

    it('rejects a delivery without key or conversation id', async () => {
      const queue = queueWith(new FakeNotifier());
      await assert.rejects(queue.enqueue({ key: '', conversationId: 'c', activity: {} }), TypeError);
      await assert.rejects(queue.enqueue({ key: 'k', conversationId: '', activity: {} }), TypeError);
    });
  });
});
