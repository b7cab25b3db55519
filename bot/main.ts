/**
 * `npm start`: runs Pandu. Configuration comes from the environment (see .env.example); with no
 * MicrosoftAppId it runs in local mode on 127.0.0.1 with authentication off.
 */
import { loadConfig } from './config/load-config.js';
import { createLogger } from './log/logger.js';
import { startBot, StartupError } from './start-bot.js';

const result = loadConfig(process.env);
if (!result.ok) {
  process.stderr.write(`Pandu cannot start: the configuration has ${result.errors.length} problem(s):\n${result.errors.map((e) => `  - ${e}`).join('\n')}\nSee .env.example for every setting.\n`);
  process.exit(1);
}
const { config } = result;
const log = createLogger(config.logLevel);
for (const warning of result.warnings) log.warn(warning);

try {
  const bot = await startBot(config, log);
  if (config.mode === 'local') {
    process.stderr.write(
      `\nPandu is running in local mode at ${bot.url}/api/messages (authentication is off; loopback only).\n` +
        `Talk to it with the Microsoft 365 Agents Playground or any Bot Framework client pointed at that URL.\n` +
        `Health: ${bot.url}/healthz   Stop: Ctrl+C\n\n`,
    );
  }
  const stop = async (signal: string): Promise<void> => {
    log.info('stopping', { signal });
    await bot.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  process.stderr.write(`${error instanceof StartupError ? error.message : `Pandu failed to start: ${String(error)}`}\n`);
  process.exit(1);
}
