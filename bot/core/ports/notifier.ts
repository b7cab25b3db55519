/**
 * The notifier port: sends one proactive activity (reminder, digest, escalation, hand-off notice)
 * to one Teams conversation. The outbound queue (bot/outbound/delivery-queue.ts) is its only
 * caller: the queue owns rate limiting, retries and de-duplication; the notifier makes one attempt.
 *
 * Contract for implementations (the botbuilder adapter in bot/teams/, fakes in tests):
 * - **One HTTP request per call.** Turn the SDK's own retry policy off. botbuilder 4.23 retries
 *   5xx by itself (and 429 with Retry-After), and the Bot Connector's "create activity" takes no
 *   idempotency key, so an SDK retry after an ambiguous error can post the same message twice,
 *   behind the queue's back (platform-facts §1.2).
 * - **Never throw** for an HTTP or network failure: return `{ ok: false, ... }`. The queue treats
 *   a thrown error as an ambiguous failure (it may have reached Teams) and does not retry it.
 * - `status` is the HTTP status, or 0 when no HTTP response arrived.
 * - `retryAfterMs`: the `Retry-After` header (delay-seconds or HTTP-date), or `retry-after-ms`,
 *   converted to milliseconds from now; absent when the response had none.
 * - `ambiguous: true` when the request may have reached Teams although no success came back
 *   (timeout after the body was sent, connection reset while waiting for the response). The
 *   queue never retries such a failure. A failure without `ambiguous` asserts that Teams did not
 *   post the message (e.g. connection refused, DNS failure, or an HTTP error response).
 */

/** One proactive message to one conversation. */
export interface Delivery {
  /**
   * Idempotency key, deterministic for the message (e.g. `reminder:<id>:2026-03-25@WITA`).
   * The caller records it durably as "sending" before the send and "sent" after.
   */
  readonly key: string;
  /** The Teams conversation id (1:1 chat, group chat or channel thread). */
  readonly conversationId: string;
  /** The Entra tenant of the conversation; Teams limits each app to 50 requests/second per tenant. */
  readonly tenantId?: string;
  /** The activity to post, opaque to the queue (the adapter knows its shape). */
  readonly activity: unknown;
}

export type SendResult =
  | { readonly ok: true; readonly activityId?: string }
  | {
      readonly ok: false;
      /** HTTP status, or 0 when no HTTP response arrived. */
      readonly status: number;
      /** From `Retry-After` / `retry-after-ms`, in milliseconds from now; absent when not given. */
      readonly retryAfterMs?: number;
      readonly error: string;
      /** The request may have reached Teams (timeout, connection reset after send). */
      readonly ambiguous?: boolean;
    };

export interface Notifier {
  send(delivery: Delivery): Promise<SendResult>;
}
