/**
 * Scale case (b) of `npm run bench`: one scheduler sweep (bot/scheduler/scheduler.ts) with 10,000
 * pending personal reminders in their hour buckets (`remind/<YYYY-MM-DDTHH>`), in a memory store,
 * with the real calendar, a fake notifier that accepts every message at once, and a fixed clock at
 * 10:30 WITA on a working day. The reminders belong to 1,000 people (10 each), spread evenly over
 * the next four weeks and moved to office hours as "Ingatkan saya" does; the few that fell due in
 * the last hour are delivered. The cursor says the previous sweep ran a minute ago, as it does
 * when the bot is running. Each repeat builds a fresh store; the figure is the median.
 */
import { sweep, type SweepReport } from '../../scheduler/scheduler.js';
import type { Catalogue } from '../../core/catalogue/types.js';
import type { WorkCalendar } from '../../core/calendar/working-days.js';
import type { Delivery, Notifier, SendResult } from '../../core/ports/notifier.js';
import type { DocumentChange } from '../../core/ports/state-store.js';
import { bucketOf } from '../../core/schedule/due-index.js';
import type { PersonalReminder } from '../../core/schedule/plan-deliveries.js';
import { createLogger } from '../../log/logger.js';
import { DeliveryQueue } from '../../outbound/delivery-queue.js';
import { createMemoryStore } from '../../store/memory-store.js';
import { toCardActivity } from '../../teams/pandu-bot.js';
import { benchUser, referenceOf } from './activities.js';
import { median, msSince, round } from './stats.js';

export interface SweepBenchResult {
  readonly reminders: number;
  readonly buckets: number;
  /** Median of the repeats, ms. */
  readonly sweepMs: number;
  readonly runsMs: readonly number[];
  readonly report: SweepReport;
  readonly at: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A notifier that accepts every message at once (and can be reached through any reference). */
class AcceptingNotifier implements Notifier {
  sent = 0;
  register(reference: unknown): string | undefined {
    return (reference as { conversation?: { id?: string } } | undefined)?.conversation?.id;
  }
  async send(_delivery: Delivery): Promise<SendResult> {
    this.sent++;
    return { ok: true, activityId: `sent-${this.sent}` };
  }
}

export async function benchSweep(opts: { catalogue: Catalogue; calendar: WorkCalendar; reminders: number; people: number; repeats: number }): Promise<SweepBenchResult> {
  // 10:30 WITA on the first working day from Wednesday 25 November 2026.
  let now = new Date('2026-11-25T02:30:00Z');
  for (let i = 0; i < 30 && !opts.calendar.isOfficeTime(now); i++) now = new Date(now.getTime() + DAY);
  const changes = documents(now, opts);
  const buckets = changes.filter((c) => c.key.startsWith('remind/')).length;
  const runsMs: number[] = [];
  let report: SweepReport | undefined;
  for (let r = 0; r < opts.repeats; r++) {
    const store = createMemoryStore();
    await store.write(changes);
    const clock = { now: () => now };
    const notifier = new AcceptingNotifier();
    const queue = new DeliveryQueue({ notifier, clock, sleep: async () => undefined, random: () => 0.5 });
    const log = createLogger('error', () => undefined);
    const t0 = process.hrtime.bigint();
    report = await sweep({ store, catalogue: () => opts.catalogue, calendar: opts.calendar, queue, reach: notifier, clock, log, toActivity: (view) => toCardActivity(view) });
    runsMs.push(round(msSince(t0), 3));
    await queue.drain();
    await store.close();
    if (report.sent !== notifier.sent) throw new Error(`sweep bench: the sweep reported ${report.sent} sent, the notifier saw ${notifier.sent}`);
  }
  return { reminders: opts.reminders, buckets, sweepMs: round(median(runsMs), 3), runsMs, report: report!, at: now.toISOString() };
}

/** The store's documents: the reminders by hour bucket, each person's reference, and the cursor. */
function documents(now: Date, opts: { calendar: WorkCalendar; reminders: number; people: number }): DocumentChange[] {
  const from = now.getTime() - 50 * 60_000;
  const step = (28 * DAY) / opts.reminders;
  const buckets = new Map<string, PersonalReminder[]>();
  for (let k = 0; k < opts.reminders; k++) {
    const user = benchUser(k % opts.people);
    const set = new Date(from + k * step);
    const at = opts.calendar.nextOfficeTime(set);
    const reminder: PersonalReminder = { key: `personal:${user.aadObjectId}:${set.toISOString()}:r${k}`, userId: user.aadObjectId, at: at.toISOString(), note: `Tindak lanjut berkas ${k + 1}`, ref: { cfm: '03.1.a' } };
    const key = bucketOf(at);
    const list = buckets.get(key);
    if (list) list.push(reminder);
    else buckets.set(key, [reminder]);
  }
  const changes: DocumentChange[] = [...buckets].map(([key, items]) => ({ key, value: { schema: 1, items } }));
  for (let i = 0; i < opts.people; i++) {
    const user = benchUser(i);
    changes.push({ key: `refs/${user.aadObjectId}`, value: { schema: 1, name: user.name, reference: referenceOf(user, 'https://smba.trafficmanager.net/apac/'), updatedAt: new Date(now.getTime() - DAY).toISOString() } });
  }
  changes.push({ key: 'schedule/cursor', value: { schema: 1, at: new Date(now.getTime() - 60_000).toISOString() } });
  return changes;
}
