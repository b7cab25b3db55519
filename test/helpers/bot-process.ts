/**
 * Runs the real Pandu as a child process (`node --import tsx bot/main.ts`, exactly what `npm start`
 * runs) for fault tests: kill -9 under load, refused starts on a broken store or catalogue. The child
 * gets only the variables given here (never the real environment, so no credentials leak in), binds
 * 127.0.0.1, and every child still running when the test process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (the child's working directory). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BotProcessOptions {
  /** PANDU_DATA_DIR (the lowdb folder). */
  readonly dataDir: string;
  /** PORT; default a free port. */
  readonly port?: number;
  /** PANDU_LOG_LEVEL; default info. */
  readonly logLevel?: string;
  /** Further variables (PANDU_CATALOGUE_DIR, PANDU_ADMIN_IDS, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node options before `--import tsx` (e.g. --expose-gc). */
  readonly nodeArgs?: readonly string[];
  /**
   * ES module code to run instead of bot/main.ts (with tsx, so it may import the .ts sources, e.g.
   * test/helpers/http-bot.ts to run startBot on a memory store in its own process). It must listen
   * on PORT and answer /healthz like the bot.
   */
  readonly script?: string;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface BotProcess {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the child wrote to stdout (its JSON log lines) and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** The child's JSON log lines, parsed (lines that are not JSON are left out). */
  logs(): Record<string, unknown>[];
  /** Resolves when the child has exited. */
  readonly exited: Promise<ExitInfo>;
  isAlive(): boolean;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill9(): Promise<ExitInfo>;
  /** SIGTERM (a graceful stop: the store is closed), SIGKILL after `graceMs`; waits for the exit. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** Sends a signal (e.g. SIGUSR2 to a script that reports on it). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the first stdout line starting with `prefix` written after `fromOffset` (a stdout length). */
  waitForLine(prefix: string, fromOffset: number, timeoutMs?: number): Promise<string>;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The environment of the child: PATH and HOME from ours, plus Pandu's variables only. */
function childEnv(opts: BotProcessOptions, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    PORT: String(port),
    PANDU_DATA_DIR: opts.dataDir,
    PANDU_LOG_LEVEL: opts.logLevel ?? 'info',
    ...opts.env,
  };
}

/** Spawns the bot; does not wait for anything. */
export async function spawnBot(opts: BotProcessOptions): Promise<BotProcess> {
  installExitHook();
  const port = opts.port ?? (await freePort());
  const entry = opts.script === undefined ? ['bot/main.ts'] : ['--input-type=module', '--eval', opts.script];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', ...entry], {
    cwd: REPO_ROOT,
    env: childEnv(opts, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let alive = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const waitExit = async (): Promise<ExitInfo> => {
    const info = await exited;
    // Let the pipes deliver what the child wrote last.
    await new Promise((resolve) => setImmediate(resolve));
    return info;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      out.split('\n').flatMap((line) => {
        try {
          const parsed: unknown = JSON.parse(line);
          return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
    exited,
    isAlive: () => alive,
    signal: (signal) => {
      if (alive) child.kill(signal);
    },
    waitForLine: async (prefix, fromOffset, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = out
          .slice(fromOffset)
          .split('\n')
          .find((l) => l.startsWith(prefix) && out.indexOf('\n', out.indexOf(l, fromOffset)) >= 0);
        if (line !== undefined) return line;
        if (!alive) throw new Error(`the process exited before writing "${prefix}…"; stderr:\n${err.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`no "${prefix}…" line within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    kill9: async () => {
      if (alive) child.kill('SIGKILL');
      return waitExit();
    },
    stop: async (graceMs = 10_000) => {
      if (alive) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await waitExit();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Spawns the bot and resolves once GET /healthz answers 200. Rejects (after killing the child) when
 * the child exits first or `timeoutMs` passes, with its stderr in the message.
 */
export async function startBotProcess(opts: BotProcessOptions, timeoutMs = 30_000): Promise<BotProcess> {
  const bot = await spawnBot(opts);
  const deadline = Date.now() + timeoutMs;
  while (bot.isAlive()) {
    try {
      const res = await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return bot;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await bot.kill9();
      throw new Error(`the bot did not become healthy within ${timeoutMs} ms; stderr:\n${bot.stderr().slice(-2000)}\nstdout:\n${bot.stdout().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const info = await bot.exited;
  throw new Error(`the bot exited (code ${info.code}, signal ${info.signal}) before it became healthy; stderr:\n${bot.stderr().slice(-3000)}`);
}

/**
 * Runs the bot until it exits on its own (a refused start), or kills it after `timeoutMs` and says so
 * (`timedOut`), for tests of startup refusals.
 */
export async function runBotUntilExit(opts: BotProcessOptions, timeoutMs = 30_000): Promise<ExitInfo & { readonly stdout: string; readonly stderr: string; readonly timedOut: boolean; readonly wasHealthy: boolean }> {
  const bot = await spawnBot(opts);
  let timedOut = false;
  let wasHealthy = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void bot.kill9();
  }, timeoutMs);
  // Meanwhile, look whether it ever answers /healthz (a silent start on an empty store would).
  const probe = (async () => {
    while (bot.isAlive()) {
      try {
        const res = await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(500) });
        await res.arrayBuffer();
        if (res.status === 200) {
          wasHealthy = true;
          void bot.kill9(); // a start that should have been refused: no need to wait for the timeout
        }
      } catch {
        // not listening
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const info = await bot.exited;
  clearTimeout(timer);
  await probe;
  await new Promise((resolve) => setImmediate(resolve));
  return { ...info, stdout: bot.stdout(), stderr: bot.stderr(), timedOut, wasHealthy };
}
