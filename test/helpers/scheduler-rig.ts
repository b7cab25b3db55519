import type { Activity } from 'botbuilder';
import type { Notifier, SendResult } from '../../bot/core/ports/notifier.js';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { createLogger } from '../../bot/log/logger.js';
import { DeliveryQueue } from '../../bot/outbound/delivery-queue.js';
import { sweep, type Reach, type SweepReport } from '../../bot/scheduler/scheduler.js';
import { toCardActivity } from '../../bot/teams/pandu-bot.js';
import { realCalendar, realKnowledge } from './knowledge.js';

/** A sent proactive message, as the fake notifier saw it. */
export interface Sent {
  readonly at: Date;
  readonly conversationId: string;
  readonly key: string;
  readonly text: string;
}

/** A notifier stand-in: records sends; `respond` can make Teams answer 429, 403, … for a while. */
export class FakeNotifier implements Notifier, Reach {
  readonly sent: Sent[] = [];
  readonly calls: { conversationId: string; at: Date }[] = [];
  respond: (conversationId: string, attempt: number) => SendResult = () => ({ ok: true });
  private readonly attempts = new Map<string, number>();

  constructor(private readonly clock: { now(): Date }) {}

  register(reference: unknown): string | undefined {
    return (reference as { conversation?: { id?: string } } | undefined)?.conversation?.id;
  }

  async send(delivery: { key: string; conversationId: string; activity: unknown }): Promise<SendResult> {
    const attempt = (this.attempts.get(delivery.key) ?? 0) + 1;
    this.attempts.set(delivery.key, attempt);
    this.calls.push({ conversationId: delivery.conversationId, at: this.clock.now() });
    const result = this.respond(delivery.conversationId, attempt);
    if (result.ok) this.sent.push({ at: this.clock.now(), conversationId: delivery.conversationId, key: delivery.key, text: JSON.stringify((delivery.activity as Partial<Activity>).attachments?.[0]?.content ?? delivery.activity) });
    return result;
  }

  /** The messages sent to a conversation (a person's personal chat is `pc-<user>`). */
  to(conversationId: string): Sent[] {
    return this.sent.filter((s) => s.conversationId === conversationId);
  }
}

/** A settable clock whose sleeps advance it (so rate limits and Retry-After take "time"). */
export class TestClock {
  waits: number[] = [];
  constructor(private t: number) {}
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = new Date(iso).getTime();
  }
  sleep = async (ms: number): Promise<void> => {
    this.waits.push(ms);
    this.t += ms;
  };
}

/** The scheduler wired to a store, the real catalogue and calendar, a fake notifier and a test clock. */
export async function schedulerRig(store: StateStore, clock: TestClock) {
  const { catalogue } = await realKnowledge();
  const calendar = await realCalendar();
  const notifier = new FakeNotifier(clock);
  const logs: string[] = [];
  const queue = new DeliveryQueue({ notifier, clock, sleep: clock.sleep, random: () => 0.5 });
  const run = (): Promise<SweepReport> => sweep({ store, catalogue: () => catalogue, calendar, queue, reach: notifier, clock, log: createLogger('info', (l) => logs.push(l)), toActivity: (view) => toCardActivity(view) });
  return { notifier, queue, sweep: run, logs, calendar };
}
