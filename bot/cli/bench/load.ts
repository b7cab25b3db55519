/**
 * The load generator of `npm run bench`: simulated staff talk to a bot over loopback HTTP, as the
 * Bot Connector would, at a fixed concurrency.
 *
 * - `concurrency` workers; each takes the user who has waited longest (a FIFO of idle users), so a
 *   user never has two turns in flight and every user gets a turn in every `users` turns.
 * - The turn mix (seeded, so every run sends the same sequence): ~50 % "who handles" questions from
 *   the labelled set; ~15 % walkthrough starts ("pandu <cfm>"); ~20 % presses of a step button
 *   (an adaptiveCard/action invoke carrying the data of the card the user last saw: Lanjut or a
 *   branch, sometimes Kembali; a user without a walkthrough card starts one instead); ~7.5 %
 *   "lanjutkan"; ~7.5 % "tugas saya".
 * - A turn's latency runs from the POST to the end of the HTTP response. The bot answers only once
 *   its replies have been posted to the connector, so it is the whole turn, replies included.
 * - Errors: a non-2xx status; a message turn with no reply at the connector, or an invoke whose
 *   response carries no card; Pandu's "something went wrong" reply; no response within the
 *   timeout (15 s, the Bot Connector's own limit), or a connection error.
 *
 * The echo floor gets the same sequence, with every turn sent as a message (an echo bot has no
 * cards to press); it must answer each with one reply.
 */
import { Agent, request } from 'node:http';
import { t } from '../../core/i18n/messages.js';
import { executeActivity, messageActivity, newActivityId, type BenchUser } from './activities.js';
import type { StandInConnector } from './connector.js';
import { msSince, percentiles, seededRandom, type Percentiles } from './stats.js';

export type TurnKind = 'question' | 'guideStart' | 'step' | 'resume' | 'tasks';
export const TURN_KINDS: readonly TurnKind[] = ['question', 'guideStart', 'step', 'resume', 'tasks'];

export interface LoadOptions {
  readonly target: 'pandu' | 'echo';
  readonly botUrl: string;
  readonly connector: StandInConnector;
  readonly users: readonly BenchUser[];
  readonly concurrency: number;
  readonly warmupTurns: number;
  readonly turns: number;
  /** Each phase stops issuing turns after this long (the turns in flight still finish). */
  readonly maxPhaseMs: number;
  readonly timeoutMs: number;
  readonly questions: readonly string[];
  readonly cfmCodes: readonly string[];
  readonly seed: number;
  /** Called about every 250 ms while the load runs (RSS sampling). */
  readonly onTick?: () => void;
  /** The bot process's CPU time so far, in ms: each phase reports what it used. */
  readonly botCpuMs?: () => number;
}

export interface ErrorCounts {
  /** Answered with a status outside 200–299. */
  non2xx: number;
  /** A message with no reply at the connector, or an invoke response without a card. */
  missingReply: number;
  /** Pandu answered with its "something went wrong" message. */
  botError: number;
  /** No response within the timeout. */
  timeout: number;
  /** The connection failed. */
  network: number;
}

export interface PhaseResult {
  /** Turns completed (answered or failed). */
  readonly turns: number;
  readonly durationMs: number;
  readonly throughput: number;
  readonly latencyMs: Percentiles;
  readonly byKind: Readonly<Partial<Record<TurnKind, Percentiles>>>;
  readonly errors: ErrorCounts;
  readonly errorTotal: number;
  /** Up to five error descriptions, for the report. */
  readonly examples: readonly string[];
  /** True when the time limit stopped the phase before all its turns were sent. */
  readonly cut: boolean;
  /**
   * CPU time per turn, in ms, of the bot process and of this (generator + connector) process. Less
   * sensitive to other work on the machine than latency and throughput are.
   */
  readonly botCpuMsPerTurn: number;
  readonly generatorCpuMsPerTurn: number;
  /** Share of one core the bot process used during the phase (1 = one core busy all the time). */
  readonly botCpuShare: number;
}

export interface LoadResult {
  readonly warmup: PhaseResult;
  readonly measured: PhaseResult;
}

interface SimUser {
  readonly user: BenchUser;
  /** The step button of the walkthrough card this user last saw. */
  next?: { readonly verb: string; readonly data: Record<string, unknown> };
}

interface Response {
  readonly status: number;
  readonly body: string;
}

const STEP_VERBS = new Set(['guide.next', 'guide.branch']);
const ERROR_MARKS = [t('id', 'error.turn', { ref: '' }).slice(0, 32), t('en', 'error.turn', { ref: '' }).slice(0, 32)];

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (opts.users.length < opts.concurrency) throw new Error(`--users (${opts.users.length}) must be at least --concurrency (${opts.concurrency}): a user has one turn in flight at a time.`);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency, maxFreeSockets: opts.concurrency });
  const random = seededRandom(opts.seed);
  const idle: SimUser[] = opts.users.map((user) => ({ user }));
  const tick = opts.onTick ? setInterval(opts.onTick, 250) : undefined;
  try {
    const warmup = await phase(opts.warmupTurns, Math.min(opts.maxPhaseMs, 60_000));
    const measured = await phase(opts.turns, opts.maxPhaseMs);
    return { warmup, measured };
  } finally {
    if (tick) clearInterval(tick);
    agent.destroy();
  }

  async function phase(turns: number, maxMs: number): Promise<PhaseResult> {
    const latencies: number[] = [];
    const byKind = new Map<TurnKind, number[]>();
    const errors: ErrorCounts = { non2xx: 0, missingReply: 0, botError: 0, timeout: 0, network: 0 };
    const examples: string[] = [];
    const fail = (kind: keyof ErrorCounts, what: string): void => {
      errors[kind]++;
      if (examples.length < 5) examples.push(`${kind}: ${what}`);
    };
    let issued = 0;
    let cut = false;
    const botCpu0 = opts.botCpuMs?.() ?? NaN;
    const ownCpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    const worker = async (): Promise<void> => {
      for (;;) {
        if (issued >= turns) return;
        if (msSince(start) > maxMs) {
          cut = true;
          return;
        }
        issued++;
        const sim = idle.shift();
        if (!sim) throw new Error('load generator: no idle user (a bug: users >= concurrency)');
        try {
          const { kind, ms } = await oneTurn(sim, fail);
          latencies.push(ms);
          const list = byKind.get(kind);
          if (list) list.push(ms);
          else byKind.set(kind, [ms]);
        } finally {
          idle.push(sim);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const durationMs = msSince(start);
    const botCpu = (opts.botCpuMs?.() ?? NaN) - botCpu0;
    const ownCpu = process.cpuUsage(ownCpu0);
    const perTurn = (ms: number): number => (latencies.length === 0 ? 0 : ms / latencies.length);
    const errorTotal = Object.values(errors).reduce((s, n) => s + n, 0);
    return {
      turns: latencies.length,
      durationMs,
      throughput: latencies.length / (durationMs / 1000),
      latencyMs: percentiles(latencies),
      byKind: Object.fromEntries([...byKind].map(([kind, list]) => [kind, percentiles(list)])),
      errors,
      errorTotal,
      examples,
      cut,
      botCpuMsPerTurn: perTurn(botCpu),
      generatorCpuMsPerTurn: perTurn((ownCpu.user + ownCpu.system) / 1000),
      botCpuShare: botCpu / durationMs,
    };
  }

  /** Picks, sends and checks one turn of `sim`; returns its kind and latency. */
  async function oneTurn(sim: SimUser, fail: (kind: keyof ErrorCounts, what: string) => void): Promise<{ kind: TurnKind; ms: number }> {
    const r = random();
    let kind: TurnKind = r < 0.5 ? 'question' : r < 0.65 ? 'guideStart' : r < 0.85 ? 'step' : r < 0.925 ? 'resume' : 'tasks';
    // Without a walkthrough card to press, the user starts a walkthrough instead.
    if (kind === 'step' && !sim.next && opts.target === 'pandu') kind = 'guideStart';
    const question = opts.questions[Math.floor(random() * opts.questions.length)]!;
    const code = opts.cfmCodes[Math.floor(random() * opts.cfmCodes.length)]!;
    const choice = random();
    const serviceUrl = opts.connector.url;
    const id = newActivityId();
    let activity: Record<string, unknown>;
    let invoke = false;
    if (opts.target === 'echo') {
      const text = kind === 'question' ? question : kind === 'guideStart' ? `pandu ${code}` : kind === 'tasks' ? 'tugas saya' : 'lanjutkan';
      activity = messageActivity(sim.user, serviceUrl, text, id);
    } else if (kind === 'step' && sim.next) {
      activity = executeActivity(sim.user, serviceUrl, sim.next.verb, sim.next.data, id);
      invoke = true;
    } else {
      const text = kind === 'question' ? question : kind === 'resume' ? 'lanjutkan' : kind === 'tasks' ? 'tugas saya' : `pandu ${code}`;
      activity = messageActivity(sim.user, serviceUrl, text, id);
    }
    const activityId = activity['id'] as string;
    const body = JSON.stringify(activity);
    const t0 = process.hrtime.bigint();
    let response: Response;
    try {
      response = await post(`${opts.botUrl}/api/messages`, body, opts.timeoutMs);
    } catch (error) {
      const ms = msSince(t0);
      opts.connector.take(activityId);
      if ((error as Error).message === 'timeout') fail('timeout', `${kind} turn of user ${sim.user.index}: no response within ${opts.timeoutMs} ms`);
      else fail('network', `${kind} turn of user ${sim.user.index}: ${(error as Error).message}`);
      return { kind, ms };
    }
    const ms = msSince(t0);
    const replies = opts.connector.take(activityId);
    if (response.status < 200 || response.status > 299) {
      fail('non2xx', `${kind} turn of user ${sim.user.index}: HTTP ${response.status} ${response.body.slice(0, 120)}`);
      return { kind, ms };
    }
    if (invoke) {
      const card = invokeCard(response.body);
      if (!card) fail('missingReply', `step press of user ${sim.user.index}: the invoke response holds no card: ${response.body.slice(0, 120)}`);
      sim.next = card ? stepButton(card, choice) : undefined;
      return { kind, ms };
    }
    if (replies.length === 0) {
      fail('missingReply', `${kind} turn of user ${sim.user.index}: no reply reached the connector`);
      return { kind, ms };
    }
    if (replies.some((reply) => ERROR_MARKS.some((mark) => reply.includes(mark)))) fail('botError', `${kind} turn of user ${sim.user.index}: Pandu answered with its error message`);
    if (opts.target === 'pandu' && (kind === 'guideStart' || kind === 'resume' || kind === 'step')) {
      // The walkthrough card (if any) among the replies gives the user's next press.
      const cards = replies.flatMap((reply) => messageCards(reply));
      const found = cards.map((card) => stepButton(card, choice)).find((b) => b !== undefined);
      if (found || kind !== 'resume') sim.next = found;
    }
    return { kind, ms };
  }

  function post(url: string, body: string, timeoutMs: number): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  }
}

/** The card of an adaptiveCard/action invoke response, if it carries one. */
function invokeCard(body: string): unknown {
  try {
    const parsed = JSON.parse(body) as { type?: unknown; value?: unknown };
    return parsed.type === 'application/vnd.microsoft.card.adaptive' && parsed.value ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

/** The Adaptive Cards a message activity (as posted to the connector) carries. */
function messageCards(raw: string): unknown[] {
  try {
    const activity = JSON.parse(raw) as { attachments?: { contentType?: unknown; content?: unknown }[] };
    return (activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content);
  } catch {
    return [];
  }
}

/**
 * The step button a person would press on a walkthrough card: Lanjut or one of the branches, and
 * about one time in ten Kembali when the card has it. Undefined for a card without them.
 */
function stepButton(card: unknown, choice: number): { verb: string; data: Record<string, unknown> } | undefined {
  const forward: { verb: string; data: Record<string, unknown> }[] = [];
  let back: { verb: string; data: Record<string, unknown> } | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Execute' && o['data'] && typeof o['data'] === 'object') {
      const data = o['data'] as Record<string, unknown>;
      const verb = String(o['verb'] ?? data['verb']);
      if (STEP_VERBS.has(verb)) forward.push({ verb, data });
      else if (verb === 'guide.back') back = { verb, data };
    }
    for (const [key, value] of Object.entries(o)) if (key !== 'fallback') walk(value);
  };
  walk(card);
  if (back && choice < 0.1) return back;
  if (forward.length === 0) return undefined;
  return forward[Math.min(forward.length - 1, Math.floor(((choice - 0.1) / 0.9) * forward.length))] ?? forward[0];
}
