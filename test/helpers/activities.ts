import type { Activity } from 'botbuilder';

/** Small builders of Teams activities for conversation tests. */
export interface Who {
  readonly user?: string;
  readonly conversation?: string;
  readonly conversationType?: 'personal' | 'channel' | 'groupChat';
  readonly locale?: string;
  readonly id?: string;
  readonly tenant?: string;
}

let counter = 0;
export const BOT = { id: '28:pandu-bot', name: 'Pandu' };

function base(who: Who): Partial<Activity> {
  counter += 1;
  const user = who.user ?? 'user-a';
  return {
    id: who.id ?? `act-${counter}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.invalid/',
    timestamp: new Date('2026-11-28T01:00:00Z'),
    locale: who.locale ?? 'id-ID',
    from: { id: `29:${user}`, name: user, aadObjectId: `aad-${user}` },
    recipient: BOT,
    conversation: { id: who.conversation ?? `conv-${user}`, conversationType: who.conversationType ?? 'personal', tenantId: who.tenant ?? 'tenant-1', isGroup: (who.conversationType ?? 'personal') !== 'personal', name: '' },
    channelData: { tenant: { id: who.tenant ?? 'tenant-1' } },
  };
}

export function message(text: string, who: Who = {}): Partial<Activity> {
  return { ...base(who), type: 'message', text };
}

/** A message in a channel that @mentions the bot, as Teams sends it. */
export function mentionMessage(text: string, who: Who = {}): Partial<Activity> {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base({ conversationType: 'channel', ...who }),
    type: 'message',
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
  };
}

/** An Action.Submit press: a message with the button's data as `value` and no text. */
export function buttonPress(value: unknown, who: Who = {}): Partial<Activity> {
  return { ...base(who), type: 'message', value };
}

export function installed(who: Who = {}): Partial<Activity> {
  return { ...base(who), type: 'installationUpdate', action: 'add' };
}

export function membersAdded(memberIds: readonly string[], who: Who = {}): Partial<Activity> {
  return { ...base({ conversationType: 'channel', ...who }), type: 'conversationUpdate', membersAdded: memberIds.map((id) => ({ id, name: id })) };
}

export function searchInvoke(query: string, who: Who = {}): Partial<Activity> {
  return { ...base(who), type: 'invoke', name: 'composeExtension/query', value: { commandId: 'cariProses', parameters: [{ name: 'query', value: query }] } };
}

/** A Universal Action press (Action.Execute): an adaptiveCard/action invoke. */
export function executeAction(data: Record<string, unknown>, who: Who = {}): Partial<Activity> {
  const { verb, ...rest } = data;
  return { ...base(who), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: { verb, ...rest } }, trigger: 'manual' } };
}
