/**
 * The floor of `npm run bench`: a minimal echo bot on Pandu's stack (restify 11, botbuilder's
 * CloudAdapter with authentication off, an ActivityHandler that replies with one text per message),
 * the way the Bot Framework samples write it. Run as a child process by bench.ts:
 * `PORT=<port> node --import tsx bot/cli/bench/echo-bot.ts`. GET /healthz answers 200 once it listens.
 */
// The floor must be the bare SDK, so this benchmark fixture imports botbuilder outside bot/teams/.
// eslint-disable-next-line no-restricted-imports
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import restify from 'restify';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('echo-bot: set PORT to a port number.\n');
  process.exit(2);
}

const auth = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' } as ConfigurationBotFrameworkAuthenticationOptions);
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
  process.stderr.write(`echo-bot: turn failed: ${String(error)}\n`);
  await context.sendActivity('The echo bot failed.');
};

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}
const bot = new EchoBot();

const server = restify.createServer({ name: 'echo-bot' });
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.get('/healthz', (_req, res, next) => {
  res.send(200, { status: 'ok' });
  return next();
});
server.listen(port, '127.0.0.1', () => process.stderr.write(`echo-bot listening on 127.0.0.1:${port}\n`));

const stop = (): void => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
