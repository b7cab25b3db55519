/**
 * The outbound queue: every proactive delivery (reminders, digests, escalations, hand-off notices)
 * goes through one DeliveryQueue, which keeps to Teams' limits, retries what is safe to retry,
 * and reports every failure without holding up the other deliveries. It talks to the Notifier
 * port only; it knows nothing of botbuilder.
 *
 * **Delivery guarantee: at-least-once with an idempotency key.** The scheduler records the key
 * as 'sending' before send and 'sent' after; after a crash between the two, the message is sent
 * once more at most. The queue's part of that bargain:
 * - It never retries a failure that may have reached Teams. A result with `ambiguous: true`
 *   (timeout or connection reset after the request went out), or a notifier that throws, ends as
 *   `failed` with `permanent: false, ambiguous: true` after one call; the caller, which holds the
 *   durable key, decides whether to send again (e.g. after checking the conversation).
 * - Any other `failed` outcome means Teams did not post the message: the caller may send it again.
 * - It de-duplicates keys in memory (queued, in flight, or sent recently by this queue:
 *   `duplicate`). That is a convenience, not the guard: the caller's durable "sent" log is.
 *
 * **Limits** (platform-facts §1.1), counted on every attempt, in sliding windows:
 * per conversation 7 in 1 s, 8 in 2 s, 60 in 30 s and 1800 in 1 h; per tenant 50 in 1 s. A
 * delivery waits for capacity; deliveries to other conversations (and tenants) are not held up by
 * it. At most `concurrency` sends are in flight overall, `perConversationConcurrency` (1) per
 * conversation, so a conversation receives its messages in the order they were enqueued, except
 * that a delivery waiting to be retried does not hold back the ones behind it.
 *
 * **Retries** (platform-facts §1.2), up to `maxAttempts` attempts in all:
 * - 429: wait `retryAfterMs` when the notifier gives one, else exponential backoff with full
 *   jitter. The whole conversation pauses for that long and its limits are halved for
 *   `slowdownMs` (a second 429 halves them again, down to one message per window).
 *   A Retry-After longer than `maxRetryAfterMs` is not waited for: the delivery fails
 *   (`permanent: false`, with `retryAfterMs`) so the scheduler can try again later.
 * - 412, 500, 502, 503, 504, and 0 without `ambiguous` (no response, never reached Teams):
 *   exponential backoff with full jitter: `random() * min(maxBackoffMs, baseBackoffMs * 2^(n-1))`
 *   after the n-th attempt.
 * - 400, 401, 403, 404 and other 4xx: permanent failure after one call. 403 (app removed or
 *   blocked) and 404 (conversation gone) also carry `unreachable: true`: mark the conversation
 *   reference unreachable.
 * - Other statuses (408, 501, ...): not retried here, `permanent: false`.
 *
 * `stop()` refuses new work, fails the deliveries that have not started (`permanent: false`,
 * not sent) and lets the ones in flight finish (without further retries).
 */
import type { Clock } from '../core/ports/clock.js';
import type { Delivery, Notifier, SendResult } from '../core/ports/notifier.js';

export type { Delivery } from '../core/ports/notifier.js';

export interface DeliveryLimits {
  /** Sends to one conversation in any 1 s window (Teams: 7). */
  readonly perConversationPerSecond: number;
  /** Sends to one conversation in any 2 s window (Teams: 8). */
  readonly perConversationPer2s: number;
  /** Sends to one conversation in any 30 s window (Teams: 60). */
  readonly perConversationPer30s: number;
  /** Sends to one conversation in any hour (Teams: 1800). */
  readonly perConversationPerHour: number;
  /** Sends for one tenant (this app) in any 1 s window (Teams: 50). */
  readonly perTenantPerSecond: number;
}

export const TEAMS_LIMITS: DeliveryLimits = {
  perConversationPerSecond: 7,
  perConversationPer2s: 8,
  perConversationPer30s: 60,
  perConversationPerHour: 1800,
  perTenantPerSecond: 50,
};

export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly key: string; readonly conversationId: string; readonly attempts: number; readonly activityId?: string }
  | {
      readonly status: 'failed';
      readonly key: string;
      readonly conversationId: string;
      /** Calls made to the notifier (0 when stopped before the first). */
      readonly attempts: number;
      /** HTTP status of the last attempt; 0 when there was no HTTP response (or no attempt). */
      readonly lastStatus: number;
      readonly error: string;
      /** Sending this message again will not help (400, 401, 403, 404, other 4xx). */
      readonly permanent: boolean;
      /** The last attempt may have reached Teams: the queue did not retry it; the caller decides. */
      readonly ambiguous?: true;
      /** 403 or 404: the bot can no longer reach this conversation. */
      readonly unreachable?: true;
      /** Teams asked to wait this long (longer than the queue's `maxRetryAfterMs`). */
      readonly retryAfterMs?: number;
    }
  | { readonly status: 'duplicate'; readonly key: string; readonly conversationId: string };

export interface DeliveryQueueStats {
  /** Waiting for capacity or for a retry (not in flight). */
  readonly queued: number;
  readonly inFlight: number;
  readonly sent: number;
  readonly failed: number;
  readonly duplicates: number;
}

export interface DeliveryQueueOptions {
  readonly notifier: Notifier;
  readonly clock: Clock;
  /** Waits `ms`; defaults to setTimeout (looked up at call time, so fake timers drive it). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly limits?: Partial<DeliveryLimits>;
  /** Attempts per delivery, the first included (default 5). */
  readonly maxAttempts?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A Retry-After longer than this fails the delivery instead of holding it (default 5 min). */
  readonly maxRetryAfterMs?: number;
  /** How long a conversation's limits stay reduced after a 429 (default 60 s). */
  readonly slowdownMs?: number;
  /** Sends in flight overall (default 8). */
  readonly concurrency?: number;
  /** Sends in flight per conversation (default 1, which keeps the conversation's order). */
  readonly perConversationConcurrency?: number;
  /** Keys of sent deliveries remembered for in-memory de-duplication (default 10 000). */
  readonly rememberSentKeys?: number;
  /** Uniform in [0, 1), for jitter (default Math.random). */
  readonly random?: () => number;
  /** Called with every outcome (logging, metrics); its errors are ignored. */
  readonly onResult?: (outcome: DeliveryOutcome) => void;
}

/** enqueue() after stop(). */
export class QueueStoppedError extends Error {
  constructor() {
    super('The delivery queue is stopped; it takes no new deliveries.');
    this.name = 'QueueStoppedError';
  }
}

interface Window {
  readonly ms: number;
  readonly max: number;
}

/** Timestamps (ms, ascending) of the sends counted against one conversation or tenant. */
class SendLog {
  private times: number[] = [];

  constructor(private readonly windows: readonly Window[]) {}

  private get longestMs(): number {
    return Math.max(...this.windows.map((w) => w.ms));
  }

  record(now: number): void {
    this.times.push(now);
  }

  /** Drops what no window counts any more. */
  prune(now: number): void {
    const from = firstAfter(this.times, now - this.longestMs);
    if (from > 0) this.times = this.times.slice(from);
  }

  /** Whether nothing is counted any more at `now`. */
  isEmpty(now: number): boolean {
    const last = this.times[this.times.length - 1];
    return last === undefined || last <= now - this.longestMs;
  }

  /** The earliest time >= now at which one more send fits every window, with limits scaled by `scale`. */
  nextFreeAt(now: number, scale = 1): number {
    let at = now;
    for (const w of this.windows) {
      const max = Math.max(1, Math.floor(w.max * scale));
      const from = firstAfter(this.times, now - w.ms);
      const count = this.times.length - from;
      if (count < max) continue;
      // The oldest sends must leave the window until only max - 1 remain in it.
      const leaving = this.times[from + count - max];
      if (leaving !== undefined) at = Math.max(at, leaving + w.ms);
    }
    return at;
  }
}

/** Index of the first element > t in an ascending array. */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? Infinity) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Job {
  readonly seq: number;
  readonly delivery: Delivery;
  attempts: number;
  notBefore: number;
  lastStatus: number;
  lastError: string;
  readonly resolve: (outcome: DeliveryOutcome) => void;
}

interface ConversationState {
  readonly id: string;
  /** Waiting jobs (not in flight), in enqueue order. */
  readonly waiting: Job[];
  readonly log: SendLog;
  inFlight: number;
  /** After a 429: nothing goes to this conversation before this time. */
  pausedUntil: number;
  /** After a 429: the limits are multiplied by `scale` until `slowUntil`. */
  scale: number;
  slowUntil: number;
}

const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);
const SWEEP_EVERY_MS = 60_000;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}.`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, not ${value}.`);
  return value;
}

export class DeliveryQueue {
  private readonly notifier: Notifier;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onResult: ((outcome: DeliveryOutcome) => void) | undefined;
  private readonly conversationWindows: readonly Window[];
  private readonly tenantWindows: readonly Window[];
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly slowdownMs: number;
  private readonly concurrency: number;
  private readonly perConversationConcurrency: number;
  private readonly rememberSentKeys: number;

  private readonly conversations = new Map<string, ConversationState>();
  /** Conversations with waiting jobs, in round-robin order (served ones move to the back). */
  private readonly active = new Map<string, ConversationState>();
  private readonly tenants = new Map<string, SendLog>();
  /** Keys queued or in flight. */
  private readonly pending = new Set<string>();
  /** Keys sent, oldest first, at most rememberSentKeys. */
  private readonly sentKeys = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private idleWaiters: (() => void)[] = [];

  private seq = 0;
  private queuedCount = 0;
  private inFlightCount = 0;
  private sentCount = 0;
  private failedCount = 0;
  private duplicateCount = 0;
  private stopped = false;
  private wakeAt: number | undefined;
  private wakeToken = 0;
  private lastSweep = -Infinity;

  constructor(options: DeliveryQueueOptions) {
    this.notifier = options.notifier;
    this.clock = options.clock;
    this.sleep = options.sleep ?? ((ms) => this.defaultSleep(ms));
    this.random = options.random ?? Math.random;
    this.onResult = options.onResult;
    const limits = { ...TEAMS_LIMITS, ...options.limits };
    this.conversationWindows = [
      { ms: 1_000, max: positiveInteger('limits.perConversationPerSecond', limits.perConversationPerSecond) },
      { ms: 2_000, max: positiveInteger('limits.perConversationPer2s', limits.perConversationPer2s) },
      { ms: 30_000, max: positiveInteger('limits.perConversationPer30s', limits.perConversationPer30s) },
      { ms: 3_600_000, max: positiveInteger('limits.perConversationPerHour', limits.perConversationPerHour) },
    ];
    this.tenantWindows = [{ ms: 1_000, max: positiveInteger('limits.perTenantPerSecond', limits.perTenantPerSecond) }];
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 5);
    this.baseBackoffMs = nonNegative('baseBackoffMs', options.baseBackoffMs ?? 1_000);
    this.maxBackoffMs = nonNegative('maxBackoffMs', options.maxBackoffMs ?? 60_000);
    this.maxRetryAfterMs = nonNegative('maxRetryAfterMs', options.maxRetryAfterMs ?? 300_000);
    this.slowdownMs = nonNegative('slowdownMs', options.slowdownMs ?? 60_000);
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? 8);
    this.perConversationConcurrency = positiveInteger('perConversationConcurrency', options.perConversationConcurrency ?? 1);
    this.rememberSentKeys = nonNegative('rememberSentKeys', options.rememberSentKeys ?? 10_000);
  }

  /**
   * Queues one delivery; resolves with its outcome once it is sent, has failed, or is a duplicate.
   * Never rejects for a send failure; rejects with QueueStoppedError after stop(), and with a
   * TypeError for a delivery without key or conversation id.
   */
  enqueue(delivery: Delivery): Promise<DeliveryOutcome> {
    if (this.stopped) return Promise.reject(new QueueStoppedError());
    if (typeof delivery.key !== 'string' || delivery.key === '') return Promise.reject(new TypeError('A delivery needs a non-empty key.'));
    if (typeof delivery.conversationId !== 'string' || delivery.conversationId === '') {
      return Promise.reject(new TypeError(`Delivery "${delivery.key}" needs a conversation id.`));
    }
    if (this.pending.has(delivery.key) || this.sentKeys.has(delivery.key)) {
      this.duplicateCount++;
      const outcome: DeliveryOutcome = { status: 'duplicate', key: delivery.key, conversationId: delivery.conversationId };
      this.report(outcome);
      return Promise.resolve(outcome);
    }
    return new Promise<DeliveryOutcome>((resolve) => {
      const job: Job = { seq: this.seq++, delivery, attempts: 0, notBefore: -Infinity, lastStatus: 0, lastError: '', resolve };
      this.pending.add(delivery.key);
      this.queuedCount++;
      this.addWaiting(this.conversationOf(delivery.conversationId), job);
      this.pump();
    });
  }

  /** Resolves once nothing is queued or in flight (including deliveries enqueued meanwhile). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Refuses new deliveries, fails those that have not started (not sent, `permanent: false`) and
   * resolves once the sends in flight have finished.
   */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (const conversation of this.active.values()) {
        for (const job of conversation.waiting.splice(0)) {
          this.queuedCount--;
          const error = job.attempts === 0 ? 'The queue stopped before this delivery was sent.' : `${job.lastError} (the queue stopped before the retry)`;
          this.finish(job, { status: 'failed', key: job.delivery.key, conversationId: job.delivery.conversationId, attempts: job.attempts, lastStatus: job.lastStatus, error, permanent: false });
        }
      }
      this.active.clear();
      this.wakeToken++;
      this.wakeAt = undefined;
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.notifyIfIdle();
    }
    return this.drain();
  }

  stats(): DeliveryQueueStats {
    return { queued: this.queuedCount, inFlight: this.inFlightCount, sent: this.sentCount, failed: this.failedCount, duplicates: this.duplicateCount };
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private defaultSleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private conversationOf(id: string): ConversationState {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = { id, waiting: [], log: new SendLog(this.conversationWindows), inFlight: 0, pausedUntil: -Infinity, scale: 1, slowUntil: -Infinity };
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  private tenantOf(tenantId: string | undefined): SendLog {
    const id = tenantId ?? '';
    let log = this.tenants.get(id);
    if (!log) {
      log = new SendLog(this.tenantWindows);
      this.tenants.set(id, log);
    }
    return log;
  }

  /** Puts a job back among the waiting ones, in enqueue order. */
  private addWaiting(conversation: ConversationState, job: Job): void {
    const at = conversation.waiting.findIndex((other) => other.seq > job.seq);
    if (at < 0) conversation.waiting.push(job);
    else conversation.waiting.splice(at, 0, job);
    if (!this.active.has(conversation.id)) this.active.set(conversation.id, conversation);
  }

  /**
   * When the conversation could send next: `job` is the one to send now (ready at <= now), or
   * undefined with `at` the earliest time worth looking again (Infinity: wait for a send to end).
   */
  private readiness(conversation: ConversationState, now: number): { job?: Job; at: number } {
    if (conversation.inFlight >= this.perConversationConcurrency) return { at: Infinity };
    if (now >= conversation.slowUntil) conversation.scale = 1;
    const job = conversation.waiting.find((j) => j.notBefore <= now);
    const jobAt = job ? now : Math.min(...conversation.waiting.map((j) => j.notBefore));
    conversation.log.prune(now);
    const at = Math.max(jobAt, conversation.pausedUntil, conversation.log.nextFreeAt(now, conversation.scale));
    // While the limits are reduced, look again when they are restored (capacity may free then).
    if (at > now) return { at: conversation.scale < 1 ? Math.min(at, Math.max(conversation.slowUntil, now + 1)) : at };
    if (!job) return { at: Infinity };
    const tenant = this.tenantOf(job.delivery.tenantId);
    tenant.prune(now);
    const tenantAt = tenant.nextFreeAt(now);
    if (tenantAt > now) return { at: tenantAt };
    return { job, at: now };
  }

  /** Starts every send that may start now, and arranges to look again when the next one may. */
  private pump(): void {
    if (this.stopped) return;
    const now = this.now();
    let progressed = true;
    while (progressed && this.inFlightCount < this.concurrency) {
      progressed = false;
      for (const conversation of [...this.active.values()]) {
        if (this.inFlightCount >= this.concurrency) break;
        const { job } = this.readiness(conversation, now);
        if (!job) continue;
        this.start(conversation, job, now);
        progressed = true;
      }
    }
    if (this.inFlightCount < this.concurrency) {
      let next = Infinity;
      for (const conversation of this.active.values()) next = Math.min(next, this.readiness(conversation, now).at);
      if (next < Infinity) this.wakeUpAt(Math.max(next, now + 1), now);
    }
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
  }

  private wakeUpAt(at: number, now: number): void {
    if (this.wakeAt !== undefined && this.wakeAt <= at && this.wakeAt > now) return;
    this.wakeAt = at;
    const token = ++this.wakeToken;
    void this.sleep(Math.ceil(at - now)).then(() => {
      if (token !== this.wakeToken) return;
      this.wakeAt = undefined;
      this.pump();
    });
  }

  /** Forgets conversations and tenants that no window counts any more. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [id, conversation] of this.conversations) {
      if (conversation.waiting.length === 0 && conversation.inFlight === 0 && conversation.pausedUntil <= now && conversation.slowUntil <= now && conversation.log.isEmpty(now)) {
        this.conversations.delete(id);
      }
    }
    for (const [id, log] of this.tenants) if (log.isEmpty(now)) this.tenants.delete(id);
  }

  private start(conversation: ConversationState, job: Job, now: number): void {
    conversation.waiting.splice(conversation.waiting.indexOf(job), 1);
    this.active.delete(conversation.id);
    if (conversation.waiting.length > 0) this.active.set(conversation.id, conversation); // to the back: round robin
    this.queuedCount--;
    this.inFlightCount++;
    conversation.inFlight++;
    conversation.log.record(now);
    this.tenantOf(job.delivery.tenantId).record(now);
    job.attempts++;
    void this.attempt(job).then((result) => {
      this.inFlightCount--;
      conversation.inFlight--;
      this.settle(conversation, job, result);
      this.notifyIfIdle();
      this.pump();
    });
  }

  private async attempt(job: Job): Promise<SendResult> {
    try {
      const result = await this.notifier.send(job.delivery);
      if (result && typeof result === 'object' && typeof result.ok === 'boolean') return result;
      return { ok: false, status: 0, error: 'The notifier returned no result.', ambiguous: true };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, status: 0, error: `The notifier threw: ${message}`, ambiguous: true };
    }
  }

  private settle(conversation: ConversationState, job: Job, result: SendResult): void {
    const { key, conversationId } = job.delivery;
    const base = { key, conversationId, attempts: job.attempts };
    if (result.ok) {
      this.rememberSent(key);
      this.finish(job, { status: 'sent', ...base, ...(result.activityId !== undefined ? { activityId: result.activityId } : {}) });
      return;
    }
    const { status, error } = result;
    job.lastStatus = status;
    job.lastError = error;
    const failed = { status: 'failed' as const, ...base, lastStatus: status, error };
    if (result.ambiguous) return this.finish(job, { ...failed, permanent: false, ambiguous: true });
    if (status === 403 || status === 404) return this.finish(job, { ...failed, permanent: true, unreachable: true });
    const retryable = RETRYABLE.has(status) || status === 0;
    if (!retryable) return this.finish(job, { ...failed, permanent: status >= 400 && status < 500 && status !== 408 });

    const now = this.now();
    const retryAfter = result.retryAfterMs;
    const hasRetryAfter = status === 429 && typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0;
    const delay = hasRetryAfter ? Math.ceil(retryAfter) : this.backoff(job.attempts);
    if (status === 429) {
      conversation.pausedUntil = Math.max(conversation.pausedUntil, now + Math.min(delay, this.maxRetryAfterMs));
      conversation.scale = Math.max(conversation.scale / 2, 1 / 64);
      conversation.slowUntil = now + Math.max(delay, this.slowdownMs);
      if (hasRetryAfter && delay > this.maxRetryAfterMs) {
        return this.finish(job, { ...failed, permanent: false, retryAfterMs: delay, error: `${error} (Retry-After ${delay} ms is longer than the queue waits)` });
      }
    }
    if (job.attempts >= this.maxAttempts || this.stopped) {
      const why = this.stopped ? 'the queue stopped before the retry' : `gave up after ${job.attempts} attempts`;
      return this.finish(job, { ...failed, permanent: false, error: `${error} (${why})` });
    }
    job.notBefore = now + delay;
    this.queuedCount++;
    this.addWaiting(conversation, job);
  }

  /** Full jitter: uniform in [0, min(maxBackoffMs, baseBackoffMs * 2^(attempts-1))). */
  private backoff(attempts: number): number {
    const cap = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    const r = this.random();
    const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5;
    return Math.floor(unit * cap);
  }

  private rememberSent(key: string): void {
    if (this.rememberSentKeys === 0) return;
    this.sentKeys.add(key);
    while (this.sentKeys.size > this.rememberSentKeys) {
      const oldest = this.sentKeys.values().next();
      if (oldest.done) break;
      this.sentKeys.delete(oldest.value);
    }
  }

  private finish(job: Job, outcome: DeliveryOutcome): void {
    this.pending.delete(job.delivery.key);
    if (outcome.status === 'sent') this.sentCount++;
    else if (outcome.status === 'failed') this.failedCount++;
    job.resolve(outcome);
    this.report(outcome);
  }

  private report(outcome: DeliveryOutcome): void {
    try {
      this.onResult?.(outcome);
    } catch {
      // A broken listener must not break deliveries.
    }
  }

  private isIdle(): boolean {
    return this.queuedCount === 0 && this.inFlightCount === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
