import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Logger } from '../log/logger.js';
import { replyWithError } from './pandu-bot.js';

/**
 * The Bot Framework adapter: validates incoming tokens (when an app id is configured), sends replies
 * through the Bot Connector, and turns an error into a
 * short human reply with a reference id.
 */
export function createAdapter(botFrameworkEnv: Record<string, string>, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(botFrameworkEnv as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => replyWithError(context, error, log);
  return adapter;
}
