import { TestAdapter, type Activity } from 'botbuilder';
import type { Catalogue } from '../../bot/core/catalogue/types.js';
import { realCalendar, realKnowledge } from './knowledge.js';
import type { Clock } from '../../bot/core/ports/clock.js';
import type { StateStore } from '../../bot/core/ports/state-store.js';
import { createLogger } from '../../bot/log/logger.js';
import { createMemoryStore } from '../../bot/store/memory-store.js';
import { PanduBot, type Knowledge } from '../../bot/teams/pandu-bot.js';

export { realKnowledge };

export interface Conversation {
  readonly bot: PanduBot;
  readonly store: StateStore;
  readonly logs: string[];
  /** Sends one activity through the real bot and returns what the bot sent back (typing left out). */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
}

/** A real PanduBot behind botbuilder's TestAdapter, over the given store (a fresh memory store by default). */
export async function conversation(opts: { store?: StateStore; clock?: Clock; knowledge?: () => Knowledge; keepUnansweredText?: boolean; adminIds?: readonly string[] } = {}): Promise<Conversation> {
  const knowledge = await realKnowledge();
  const store = opts.store ?? createMemoryStore();
  const logs: string[] = [];
  const log = createLogger('info', (line) => logs.push(line));
  const bot = new PanduBot({
    knowledge: opts.knowledge ?? (() => knowledge),
    store,
    log,
    clock: opts.clock ?? { now: () => new Date('2026-11-30T01:00:00Z') },
    keepUnansweredText: opts.keepUnansweredText ?? false,
    calendar: await realCalendar(),
    runPolicy: { defaultSlaDays: 5 },
    adminIds: opts.adminIds ?? [],
  });
  const adapter = new TestAdapter(async (context) => bot.run(context));
  adapter.onTurnError = async (context, error) => {
    const { replyWithError } = await import('../../bot/teams/pandu-bot.js');
    await replyWithError(context, error, log);
  };
  return {
    bot,
    store,
    logs,
    async send(activity) {
      await adapter.processActivity(activity);
      const out: Partial<Activity>[] = [];
      while (adapter.activeQueue.length > 0) {
        const next = adapter.activeQueue.shift()!;
        if (next.type !== 'typing') out.push(next);
      }
      return out;
    },
  };
}

/** The Adaptive Card of a reply, or undefined. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const attachment = activity?.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive' ? (attachment.content as Record<string, unknown>) : undefined;
}

/** All the text a card shows, for assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return parts.join('\n');
}

export type { Catalogue };
