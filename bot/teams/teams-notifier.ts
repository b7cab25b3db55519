import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Notifier, SendResult } from '../core/ports/notifier.js';
import type { Reach } from '../scheduler/scheduler.js';

/**
 * Proactive messages through the Bot Framework: the notifier port over CloudAdapter's
 * continueConversationAsync. It knows the conversation references the scheduler registers.
 */
export class TeamsNotifier implements Notifier, Reach {
  private readonly references = new Map<string, Partial<ConversationReference>>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  register(reference: unknown): string | undefined {
    const ref = reference as Partial<ConversationReference> | undefined;
    const id = ref?.conversation?.id;
    if (!id || !ref.serviceUrl) return undefined;
    this.references.set(id, ref);
    return id;
  }

  async send(delivery: { key: string; conversationId: string; activity: unknown }): Promise<SendResult> {
    const reference = this.references.get(delivery.conversationId);
    if (!reference) return { ok: false, status: 404, error: 'no conversation reference for this conversation' };
    let activityId: string | undefined;
    let failure: unknown;
    try {
      // The send's own error is caught here, inside the turn: the adapter's onTurnError would
      // otherwise take it for a failed chat turn (and post an apology into the person's chat).
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          activityId = (await context.sendActivity(delivery.activity as Parameters<typeof context.sendActivity>[0]))?.id;
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) return { ok: true, ...(activityId ? { activityId } : {}) };
    {
      const error = failure;
      const e = error as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get?: (name: string) => string | undefined } } };
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      const retryAfter = e.response?.headers?.get?.('retry-after');
      const retryAfterMs = retryAfter === undefined ? undefined : /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Math.max(0, Date.parse(retryAfter) - Date.now());
      // No status (timeout, reset) may mean the message reached Teams: the caller must not retry blindly.
      const ambiguous = status === 0 && ['ETIMEDOUT', 'ECONNRESET', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET'].includes(String(e.code));
      return { ok: false, status, error: String(e.message ?? error).slice(0, 200), ...(retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? { retryAfterMs } : {}), ...(ambiguous ? { ambiguous } : {}) };
    }
  }
}
