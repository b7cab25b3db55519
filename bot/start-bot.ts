import { loadCatalogue } from './catalogue/load-catalogue.js';
import { botFrameworkEnv, type Config } from './config/load-config.js';
import { formatProblemReport } from './core/catalogue/problems.js';
import { CatalogueHolder } from './catalogue/catalogue-holder.js';
import { t } from './core/i18n/messages.js';
import { systemClock, type Clock } from './core/ports/clock.js';
import type { StateStore } from './core/ports/state-store.js';
import type { Logger } from './log/logger.js';
import { createServer } from './server/create-server.js';
import { openConfiguredStore, storeSettingsOf } from './store/open-store.js';
import { loadHolidays } from './calendar/load-holidays.js';
import { createCalendar } from './core/calendar/working-days.js';
import { DeliveryQueue } from './outbound/delivery-queue.js';
import { startScheduler } from './scheduler/scheduler.js';
import { TeamsNotifier } from './teams/teams-notifier.js';
import { createAdapter } from './teams/create-adapter.js';
import { PanduBot, toCardActivity, type Knowledge } from './teams/pandu-bot.js';

export interface RunningBot {
  readonly server: ReturnType<typeof createServer>;
  readonly url: string;
  readonly store: StateStore;
  readonly knowledge: () => Knowledge;
  readonly holder: CatalogueHolder;
  close(): Promise<void>;
}

/** Why the bot could not start, with what to do; the caller prints it and exits 1. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Wires Pandu together: catalogue (refused if invalid), store, lookup index, Bot Framework adapter
 * and HTTP server. Used by `npm start` and by the tests, so both run the same bot.
 */
/** Working days for a step whose CFM sets no time limit (the reminders' default). */
export const DEFAULT_SLA_DAYS = 5;

export async function startBot(config: Config, log: Logger, opts: { store?: StateStore; clock?: Clock; scheduler?: boolean } = {}): Promise<RunningBot> {
  const loaded = await loadCatalogue(config.catalogueDir);
  if (!loaded.ok) throw new StartupError(`Pandu refuses to start on an invalid catalogue (${config.catalogueDir}).\n${formatProblemReport(loaded.problems)}Fix the files, check them with "npm run catalogue:check", then start again.`);
  const holder = new CatalogueHolder(config.catalogueDir, loaded.catalogue);
  const knowledge = holder.knowledge;
  const holidays = await loadHolidays();
  if (!holidays.ok) throw new StartupError(`Pandu refuses to start on invalid holiday files.\n${formatProblemReport(holidays.problems)}`);
  for (const warning of holidays.warnings) log.warn(warning);
  const calendar = createCalendar(holidays.holidays);
  let store: StateStore;
  try {
    store = opts.store ?? (await openConfiguredStore(storeSettingsOf(config), (message) => log.warn(message)));
  } catch (error) {
    throw new StartupError(`Pandu cannot open its store: ${(error as Error).message}`);
  }
  const clock = opts.clock ?? systemClock;
  const adapter = createAdapter(botFrameworkEnv(config), log);
  const bot = new PanduBot({
    knowledge,
    store,
    log,
    clock,
    keepUnansweredText: config.keepUnansweredText,
    calendar,
    runPolicy: { defaultSlaDays: DEFAULT_SLA_DAYS },
    adminIds: config.adminIds,
    reloadCatalogue: () => holder.reload(),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  });
  const notifier = new TeamsNotifier(adapter, config.bot.appId);
  const queue = new DeliveryQueue({ notifier, clock });
  const scheduler = opts.scheduler === false ? undefined : startScheduler({ store, catalogue: () => knowledge().catalogue, calendar, queue, reach: notifier, clock, log, keepers: config.adminIds, toActivity: (view) => toCardActivity(view) });
  const server = createServer({
    processActivity: (req, res) => adapter.process(req, res, (context) => bot.run(context)),
    store,
    log,
    catalogueVersion: () => knowledge().catalogue.version,
    catalogue: () => knowledge().catalogue,
    authenticated: config.mode === 'authenticated',
    allowedTenants: config.allowedTenants,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  log.info('Pandu is listening', { url, mode: config.mode, catalogueVersion: knowledge().catalogue.version });
  // Edits of the catalogue files are picked up without a restart; a broken edit is refused.
  holder.watch((result) => {
    if (result.status === 'reloaded') log.info('catalogue reloaded', { version: result.version, previous: result.previous });
    if (result.status === 'refused') {
      log.error('catalogue edit refused; the last good catalogue stays in use', { keeping: result.keeping, problems: result.problems.length, report: formatProblemReport(result.problems) });
      void notifyAdmins(store, notifier, queue, config.adminIds, t('id', 'reload.refusedNotice', { count: result.problems.length, version: result.keeping }), log);
    }
  });
  return {
    server,
    url,
    store,
    knowledge,
    holder,
    close: async () => {
      holder.close();
      await scheduler?.stop();
      await queue.drain();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** A short message to every admin Pandu can reach (for a refused catalogue edit, and the like). */
async function notifyAdmins(store: StateStore, notifier: TeamsNotifier, queue: DeliveryQueue, adminIds: readonly string[], text: string, log: Logger): Promise<void> {
  if (adminIds.length === 0) return;
  const refs = await store.read(adminIds.map((id) => `refs/${id}`));
  for (const [key, doc] of refs) {
    const conversationId = notifier.register((doc.value as { reference?: unknown }).reference);
    if (!conversationId) continue;
    const outcome = await queue.enqueue({ key: `admin-notice:${key}:${Date.now()}`, conversationId, activity: { type: 'message', text } });
    if (outcome.status === 'failed') log.warn('admin notice not delivered', { admin: key, status: outcome.lastStatus });
  }
}
