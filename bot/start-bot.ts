import type { Server } from 'restify';
import { loadCatalogue } from './catalogue/load-catalogue.js';
import { botFrameworkEnv, type Config } from './config/load-config.js';
import { formatProblemReport } from './core/catalogue/problems.js';
import { buildLookupIndex } from './core/lookup/build-index.js';
import { systemClock, type Clock } from './core/ports/clock.js';
import type { StateStore } from './core/ports/state-store.js';
import type { Logger } from './log/logger.js';
import { createServer } from './server/create-server.js';
import { openLowdbStore } from './store/lowdb-store.js';
import { createAdapter } from './teams/create-adapter.js';
import { PanduBot, type Knowledge } from './teams/pandu-bot.js';

export interface RunningBot {
  readonly server: Server;
  readonly url: string;
  readonly store: StateStore;
  readonly knowledge: () => Knowledge;
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
export async function startBot(config: Config, log: Logger, opts: { store?: StateStore; clock?: Clock } = {}): Promise<RunningBot> {
  const loaded = await loadCatalogue(config.catalogueDir);
  if (!loaded.ok) throw new StartupError(`Pandu refuses to start on an invalid catalogue (${config.catalogueDir}).\n${formatProblemReport(loaded.problems)}Fix the files, check them with "npm run catalogue:check", then start again.`);
  let knowledge: Knowledge = { catalogue: loaded.catalogue, index: buildLookupIndex(loaded.catalogue) };
  let store: StateStore;
  try {
    store = opts.store ?? (await openLowdbStore(config.dataDir, { onWarning: (message) => log.warn(message) }));
  } catch (error) {
    throw new StartupError(`Pandu cannot open its store: ${(error as Error).message}`);
  }
  const adapter = createAdapter(botFrameworkEnv(config), log);
  const bot = new PanduBot({ knowledge: () => knowledge, store, log, clock: opts.clock ?? systemClock, keepUnansweredText: config.keepUnansweredText, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) });
  const server = createServer({
    processActivity: (req, res) => adapter.process(req, res, (context) => bot.run(context)),
    store,
    log,
    catalogueVersion: () => knowledge.catalogue.version,
    authenticated: config.mode === 'authenticated',
    allowedTenants: config.allowedTenants,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  log.info('Pandu is listening', { url, mode: config.mode, catalogueVersion: knowledge.catalogue.version });
  return {
    server,
    url,
    store,
    knowledge: () => knowledge,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      knowledge = { ...knowledge };
    },
  };
}
