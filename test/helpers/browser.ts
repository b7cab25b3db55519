/**
 * The rig for the end-to-end browser test (test/browser/): the real bot as a child process
 * (`node --import tsx bot/main.ts`, local mode), the Microsoft 365 Agents Playground as a child
 * process pointed at it, and headless Debian Chromium driven by playwright-core.
 *
 * Every child process started here is tracked, so that {@link stopAllChildren} (and, as a last
 * resort, the process `exit` handler) can stop them even when a test fails half way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** What installs it (CI runs the same line from .ci/run). */
export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium';

/**
 * Headless, no sandbox (CI runs as root in a container), nothing that phones home, and no name
 * resolution at all: the Playground's page asks a Microsoft CDN for fonts and an animation, which
 * only costs a fallback font; the test talks to 127.0.0.1 and nothing else.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export const PLAYGROUND_CLI = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

/** Launches headless Chromium, or throws saying how to install it (the test fails; it does not skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed (${CHROMIUM_PATH} is missing), and the browser test needs it. Install it as root with:\n    ${CHROMIUM_INSTALL}\nthen run the test again.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], timeout: 30_000 });
}

/** A TCP port that is free right now on every interface (the Playground listens on all of them). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0);
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

// ---------------------------------------------------------------------------------------------
// Child processes

const children = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Stops a child: `signal` first, SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every child process this module started that is still running. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}

/** The last `lines` lines of a log file ('' if it does not exist). */
export function tailOf(file: string, lines = 25): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// The bot

export interface BotProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly logFile: string;
}

/**
 * Starts Pandu as `npm start` does (`node --import tsx bot/main.ts`) in local mode, on 127.0.0.1:`port`
 * with its lowdb files in `dataDir`, from a clean environment (no MicrosoftAppId, nothing of the
 * caller's). Its output is appended to `logFile`. Resolves once GET /healthz answers.
 */
export async function startBotProcess(opts: { port: number; dataDir: string; logFile: string; timeoutMs?: number }): Promise<BotProcess> {
  const fd = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = track(
      spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
        cwd: ROOT,
        env: { ...baseEnv(), PORT: String(opts.port), PANDU_DATA_DIR: opts.dataDir },
        stdio: ['ignore', fd, fd],
      }),
    );
  } finally {
    closeSync(fd);
  }
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  for (;;) {
    if (spawnError || !isRunning(child)) {
      throw new Error(`Pandu did not start (${spawnError?.message ?? `exit ${child.exitCode ?? child.signalCode}`}). Its log (${opts.logFile}):\n${tailOf(opts.logFile)}`);
    }
    if (await healthy(url)) return { child, url, logFile: opts.logFile };
    if (Date.now() > deadline) {
      await stopChild(child, 'SIGKILL');
      throw new Error(`Pandu did not answer ${url}/healthz in time. Its log (${opts.logFile}):\n${tailOf(opts.logFile)}`);
    }
    await delay(200);
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
    return response.ok || (response.status === 503 && body?.status === 'degraded');
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// The Playground

export interface PlaygroundProcess {
  readonly child: ChildProcess;
  /** The port it really took (it moves to a random one if the asked port is taken). */
  readonly port: number;
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  /** Its own log (M365_AGENTS_PLAYGROUND_LOGFILE). */
  readonly logFile: string;
  /** Its standard output and error. */
  readonly outFile: string;
}

/**
 * Starts the Microsoft 365 Agents Playground against `botUrl` as bot/cli/playground.ts does
 * (channel msteams, no telemetry, no browser), with `dir` as its working folder and for its logs.
 * Resolves once it prints "Listening on <port>".
 */
export async function startPlayground(opts: { botUrl: string; port: number; dir: string; timeoutMs?: number }): Promise<PlaygroundProcess> {
  if (!existsSync(PLAYGROUND_CLI)) throw new Error(`The Playground is not installed (${PLAYGROUND_CLI} is missing). It is a dev dependency: run \`npm ci\`.`);
  const logFile = path.join(opts.dir, 'playground.log');
  const outFile = path.join(opts.dir, 'playground.out');
  const out = createWriteStream(outFile, { flags: 'a' });
  const child = track(
    spawn(process.execPath, [PLAYGROUND_CLI, '-e', `${opts.botUrl}/api/messages`, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'], {
      cwd: opts.dir,
      env: { ...baseEnv(), TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: logFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.once('exit', () => out.end());
  createInterface({ input: child.stderr! }).on('line', (line) => out.write(`stderr: ${line}\n`));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('it did not print "Listening on <port>" in time')), opts.timeoutMs ?? 30_000);
    const onExit = (code: number | null, signal: string | null): void => fail(new Error(`it exited (${signal ?? `status ${code}`})`));
    function fail(error: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      void stopChild(child, 'SIGKILL');
      reject(new Error(`The Playground did not start: ${error.message}. Its output (${outFile}):\n${tailOf(outFile)}`));
    }
    child.once('error', fail);
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      out.write(`${line}\n`);
      const listening = /Listening on (\d+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(Number(listening[1]));
      }
    });
  });
  return { child, port, url: `http://127.0.0.1:${port}/`, logFile, outFile };
}

// ---------------------------------------------------------------------------------------------
// Page helpers

/** Polls until `locator` matches more than `before` elements (what a new or updated card does). */
export async function waitForMore(locator: Locator, before: number, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await locator.count()) <= before) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(100);
  }
}

/**
 * Saves a screenshot of the Playground window with `card` wholly in view: the window is made tall
 * enough for the card (cards of long procedures are taller than a laptop screen), then put back.
 */
export async function screenshotCard(page: Page, card: Locator, file: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  const box = await card.boundingBox();
  const height = Math.min(4000, Math.max(original.height, Math.ceil((box?.height ?? 0) + 320)));
  await page.setViewportSize({ width: original.width, height });
  try {
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: file });
  } finally {
    await page.setViewportSize(original);
  }
}
