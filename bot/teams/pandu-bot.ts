import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { handleTurn, type AppContext } from '../app/handle-turn.js';
import { loadTurnState, saveTurnState, stateKeys } from '../app/turn-state-io.js';
import { reminderBucketFor } from '../app/handle-runs.js';
import type { Reply, TurnInput, TurnResult } from '../app/turn-types.js';
import type { Catalogue } from '../core/catalogue/types.js';
import { detectLanguage } from '../core/i18n/detect-language.js';
import { t } from '../core/i18n/messages.js';
import type { Clock } from '../core/ports/clock.js';
import { StoreConflictError, type StateStore } from '../core/ports/state-store.js';
import type { Logger } from '../log/logger.js';
import { renderCard } from '../render/render-card.js';
import { diagramView } from '../core/views/guide-views.js';
import type { Knowledge, ReloadResult } from '../catalogue/catalogue-holder.js';
import type { CardView } from '../core/views/card-view.js';
import { RecentActivities } from './recent-activities.js';

/** How often a turn is computed again after an eTag conflict before it fails. */
const MAX_TURN_ATTEMPTS = 6;

/** A turn slower than this shows the typing indicator. */
const TYPING_AFTER_MS = 700;

export type { Knowledge };

export interface BotDeps {
  readonly knowledge: () => Knowledge;
  /** The https base URL of the bot, for diagram images Teams fetches; absent in local mode. */
  readonly publicUrl?: string;
  readonly store: StateStore;
  readonly log: Logger;
  readonly clock: Clock;
  readonly keepUnansweredText: boolean;
  readonly calendar: AppContext['calendar'];
  readonly runPolicy: AppContext['runPolicy'];
  /** Entra user ids (aadObjectId) of Pandu's admins. */
  readonly adminIds: readonly string[];
  /** Reloads the catalogue ("muat ulang katalog"); absent in tests that pin one. */
  readonly reloadCatalogue?: () => Promise<ReloadResult>;
}

/**
 * The Teams edge of Pandu: turns an activity into a TurnInput, loads the turn's state once, runs the
 * app, saves once (never after a failure), and sends the replies. Nothing else knows botbuilder.
 */
export class PanduBot extends TeamsActivityHandler {
  private readonly recent = new RecentActivities();

  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      const activity = context.activity;
      const input: TurnInput =
        activity.value !== undefined && activity.value !== null && !(activity.text ?? '').trim()
          ? { kind: 'button', data: activity.value, locale: activity.locale }
          : { kind: 'message', text: messageText(activity), locale: activity.locale };
      await this.runTurn(context, input);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.runTurn(context, { kind: 'installed', locale: context.activity.locale });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      // Welcome once when the bot itself joins a team or group chat, not on every member joining.
      const botJoined = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      if (botJoined) await this.runTurn(context, { kind: 'installed', locale: context.activity.locale });
      await next();
    });
  }

  /** Answers each activity id once; duplicates are acknowledged and dropped. */
  override async run(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.id && a.type !== ActivityTypes.Invoke && !this.recent.firstTime(`${a.conversation?.id}|${a.id}`, this.deps.clock.now().getTime())) {
      this.deps.log.info('duplicate activity ignored', { activityId: a.id, type: a.type });
      return;
    }
    await super.run(context);
  }

  private async runTurn(context: TurnContext, input: TurnInput, opts: { send: boolean } = { send: true }): Promise<TurnResult | undefined> {
    const a = context.activity;
    const userId = a.from?.aadObjectId ?? a.from?.id;
    const conversationId = a.conversation?.id;
    if (!userId || !conversationId) {
      this.deps.log.warn('activity without user or conversation id ignored', { type: a.type });
      return undefined;
    }
    const bucket = input.kind === 'button' || input.kind === 'action' ? reminderBucketFor(input.data, this.deps.calendar) : undefined;
    const keys = stateKeys(userId, conversationId, bucket);
    const { catalogue, index } = this.deps.knowledge();
    const type = a.conversation?.conversationType === 'channel' ? 'channel' : a.conversation?.conversationType === 'groupChat' ? 'groupChat' : 'personal';
    const started = Date.now();
    // A typing indicator when a message turn is slow; its failure never fails the turn.
    const typing = opts.send && input.kind === 'message' ? setTimeout(() => void context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined), TYPING_AFTER_MS) : undefined;
    // One read and one write per turn; the replies go out only once the new state is saved. When
    // another instance changed the same documents meanwhile (eTag conflict), the turn is computed
    // again on fresh state, so no step is lost and nothing is sent twice.
    let result: TurnResult | undefined;
    let written: number;
    for (let attempt = 1; ; attempt++) {
      const loaded = await loadTurnState(this.deps.store, keys);
      const ctx: AppContext = {
        catalogue,
        index,
        now: this.deps.clock.now(),
        keepUnansweredText: this.deps.keepUnansweredText,
        user: { id: userId, name: a.from?.name ?? userId, isAdmin: this.deps.adminIds.includes(userId.toLowerCase()) },
        conversation: { id: conversationId, type },
        reference: referenceOf(a),
        calendar: this.deps.calendar,
        runPolicy: this.deps.runPolicy,
        newId: () => randomUUID().slice(0, 12),
      };
      result = handleTurn(ctx, input, loaded.state);
      const archive = result.archive ? [{ key: `runs/done/${result.archive.id}`, value: result.archive, etag: null }] : [];
      try {
        written = await saveTurnState(this.deps.store, keys, loaded, result.state, archive);
        break;
      } catch (error) {
        if (!(error instanceof StoreConflictError) || attempt >= MAX_TURN_ATTEMPTS) throw error;
        this.deps.log.info('turn state changed meanwhile; computing the turn again', { attempt });
        // A short random pause, so that turns racing for the same shared document do not race again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
    clearTimeout(typing);
    if (opts.send) for (const reply of result.replies) await context.sendActivity(await this.toActivity(reply, catalogue, input.locale));
    if (result.outcome.endsWith('.refused')) this.deps.log.warn('admin-only action refused', { outcome: result.outcome, user: userId });
    this.deps.log.info('turn', { kind: input.kind, outcome: result.outcome, ms: Date.now() - started, replies: result.replies.length, writes: written });
    if (input.kind === 'message') this.deps.log.debug('turn text', { text: this.deps.log.debugText(input.text) });
    return result;
  }

  /** Compose-box search: the same lookup, its answers as cards to insert into any chat. */
  protected override async handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const text = String(query.parameters?.find((p) => p.name === 'query' || p.name === 'searchQuery')?.value ?? '');
    const result = await this.runTurn(context, { kind: 'search', query: query.parameters?.some((p) => p.name === 'initialRun') ? '' : text, locale: context.activity.locale }, { send: false });
    const attachments = (result?.searchResults ?? []).map((view) => {
      const card = CardFactory.adaptiveCard(renderCard(view));
      const preview = CardFactory.thumbnailCard(String(view.data['title'] ?? ''), String(view.data['code'] ?? ''));
      return { ...card, preview };
    });
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
  }

  /**
   * Universal Actions (Action.Execute): the answer replaces the card in place. The Action.Submit
   * fallback of the same buttons arrives as a message and reaches the same handler.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue.action as { verb?: unknown; data?: unknown } | undefined;
    const data = { ...(typeof action?.data === 'object' && action.data !== null ? (action.data as Record<string, unknown>) : {}), verb: action?.verb };
    const result = await this.runTurn(context, { kind: 'action', data, locale: context.activity.locale }, { send: false });
    const first = result?.replies[0];
    if (first?.kind === 'card') return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderCard(first.view) as unknown as Record<string, unknown> };
    if (first?.kind === 'diagram') {
      await context.sendActivity(await this.toActivity(first, this.deps.knowledge().catalogue, context.activity.locale));
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' as unknown as Record<string, unknown> };
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: (first?.kind === 'text' ? first.text : '') as unknown as Record<string, unknown> };
  }

  /** A reply as an activity: text, a rendered card, or a diagram (an image card, or an inline PNG). */
  private async toActivity(reply: Reply, catalogue: Catalogue, locale: string | undefined): Promise<Partial<Activity>> {
    switch (reply.kind) {
      case 'text':
        return MessageFactory.text(reply.text);
      case 'card':
        return toCardActivity(reply.view);
      case 'reload': {
        const lang = detectLanguage('', locale, undefined);
        if (!this.deps.reloadCatalogue) return MessageFactory.text(t(lang, 'reload.unchanged', { version: catalogue.version }));
        const result = await this.deps.reloadCatalogue();
        this.deps.log.info('catalogue reload requested', { status: result.status });
        if (result.status === 'reloaded') return MessageFactory.text(t(lang, 'reload.done', { version: result.version, previous: result.previous }));
        if (result.status === 'unchanged') return MessageFactory.text(t(lang, 'reload.unchanged', { version: result.version }));
        const first = result.problems[0]!;
        return MessageFactory.text(t(lang, 'reload.refused', { count: result.problems.length, version: result.keeping, first: `${first.file}${first.line ? `:${first.line}` : ''} — ${first.message}` }));
      }
      case 'diagram': {
        const lang = detectLanguage('', locale, undefined);
        if (this.deps.publicUrl) {
          const url = `${this.deps.publicUrl}/diagrams/${encodeURIComponent(reply.cfm)}.png${reply.step ? `?step=${encodeURIComponent(reply.step)}` : ''}`;
          const view = diagramView(catalogue, reply.cfm, url, lang, reply.step !== undefined);
          if (view) return MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(view)));
        }
        // The renderer (and its native PNG library) loads on first use only.
        const [{ renderCfmSvg }, { renderPng }] = await Promise.all([import('../core/diagram/render-svg.js'), import('../render/render-png.js')]);
        const svg = renderCfmSvg(catalogue, reply.cfm, { lang, ...(reply.step ? { highlight: reply.step } : {}) });
        if (!svg) return MessageFactory.text(t(lang, 'error.badButton'));
        const png = renderPng(svg);
        const message = MessageFactory.attachment({ contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}`, name: `${reply.cfm}.png` });
        message.text = t(lang, 'diagram.title', { code: reply.cfm });
        return message;
      }
    }
  }

  /** Unknown invokes get a clear 400, not the SDK's 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const response = await super.onInvokeActivity(context);
    if (response.status === 501) {
      this.deps.log.warn('unknown invoke refused', { name: context.activity.name?.slice(0, 60) });
      return { status: 400, body: { error: `Pandu does not handle the invoke "${String(context.activity.name).slice(0, 60)}".` } };
    }
    return response;
  }
}

/** The message text without the bot's @mention (channels and group chats). */
function messageText(activity: Activity): string {
  return (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
}

/** The conversation reference to keep for proactive messages, without the per-activity id. */
function referenceOf(activity: Activity): unknown {
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(activity);
  return JSON.parse(JSON.stringify(reference)) as unknown;
}

/** A card view as a message activity (for proactive deliveries). */
export function toCardActivity(view: CardView): Partial<Activity> {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(view)));
  message.summary = String(view.data.fallback);
  return message;
}

/** The reply sent when a turn fails: short, human, with a reference id that is also logged. */
export async function replyWithError(context: TurnContext, error: unknown, log: Logger): Promise<void> {
  const ref = randomUUID().slice(0, 8);
  log.error('turn failed', { ref, error, type: context.activity.type, name: context.activity.name });
  const lang = detectLanguage('', context.activity.locale, undefined);
  try {
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 500, body: { error: t(lang, 'error.turn', { ref }) } } });
    } else {
      await context.sendActivity(t(lang, 'error.turn', { ref }));
    }
  } catch (sendError) {
    log.error('could not tell the user about a failed turn', { ref, error: sendError });
  }
}
