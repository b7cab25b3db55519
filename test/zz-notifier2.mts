import { startFakeConnector } from '/work/main/test/helpers/fake-connector.js';
import { createAdapter } from '/work/main/bot/teams/create-adapter.js';
import { TeamsNotifier } from '/work/main/bot/teams/teams-notifier.js';
import { createLogger } from '/work/main/bot/log/logger.js';
process.on('unhandledRejection', (e) => console.log('UNHANDLED', e));
const connector = await startFakeConnector();
const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = await import('botbuilder'); const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' } as any));
const n = new TeamsNotifier(adapter, '');
const ref = { serviceUrl: connector.url + '/', channelId: 'msteams', conversation: { id: 'a:conv1', conversationType: 'personal' }, bot: { id: '28:bot', name: 'Pandu' }, user: { id: '29:u' } };
console.log(n.register(ref));
const faults: [string, any][] = [
  ['ok', () => undefined],
  ['429 RA', () => ({ status: 429, headers: { 'retry-after': '1' } })],
  ['429', () => ({ status: 429 })],
  ['500', () => ({ status: 500 })],
  ['503', () => ({ status: 503 })],
  ['403', () => ({ status: 403 })],
  ['hang', () => ({ hang: true })],
];
for (const [name, hook] of faults) {
  connector.requests.length = 0; connector.hook = hook;
  const t0 = Date.now();
  const r = await Promise.race([n.send({ key: 'k', conversationId: 'a:conv1', activity: { type: 'message', text: 'hi' } }), new Promise((res) => setTimeout(() => res('TIMEOUT 30s'), 30000))]);
  console.log(name, JSON.stringify(r), Date.now() - t0, 'ms', connector.requests.length, 'reqs');
}
connector.hook = undefined;
const url = connector.url; await connector.close();
const t0 = Date.now();
console.log('refused', JSON.stringify(await n.send({ key: 'k', conversationId: 'a:conv1', activity: { type: 'message', text: 'hi' } })), Date.now() - t0);
process.exit(0);
