/**
 * `npm run playground`: opens Pandu in the Microsoft 365 Agents Playground (a Teams-like web chat
 * that renders the real Adaptive Cards), against the bot running locally (`npm start`, at
 * http://127.0.0.1:$PORT, default 3978). It checks the bot first, starts the Playground without
 * telemetry or a browser, logs to var/m365agentsplayground.log, prints the URL to open, and stops
 * the Playground on Ctrl+C.
 *
 * The Playground listens on ALL network interfaces (not only this machine) and has no login: use it
 * on a trusted machine and network only.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const LOG_FILE = path.join(ROOT, 'var', 'm365agentsplayground.log');
const PLAYGROUND_PORT = 56150;
const HEALTH_TIMEOUT_MS = 3000;

const botPort = process.env['PORT']?.trim() || '3978';
const botUrl = `http://127.0.0.1:${botPort}`;

if (!/^\d{1,5}$/.test(botPort)) {
  process.stderr.write(`PORT is "${botPort}", not a port number; unset it or set it to the port of \`npm start\`.\n`);
  process.exit(2);
}

const health = await checkHealth();
if (!health.ok) {
  process.stderr.write(
    `Pandu is not reachable at ${botUrl} (${health.reason}).\n` +
      'Start it first: run `npm start` in another terminal, wait for "Pandu is running", then run `npm run playground` again.\n' +
      'If it runs on another port, give the same PORT to both, e.g. PORT=3990 npm start, and PORT=3990 npm run playground.\n',
  );
  process.exit(1);
}
if (!existsSync(CLI)) {
  process.stderr.write(`The Playground is not installed (${path.relative(ROOT, CLI)} is missing). It is a dev dependency: run \`npm ci\`.\n`);
  process.exit(1);
}
mkdirSync(path.dirname(LOG_FILE), { recursive: true });

process.stdout.write(
  `Starting the Microsoft 365 Agents Playground for Pandu at ${botUrl}/api/messages …\n` +
    `Warning: the Playground listens on ALL network interfaces (port ${PLAYGROUND_PORT}), not only on this\n` +
    'machine, and asks for no login: anyone who can reach this machine can use it and talk to Pandu as\n' +
    'a test user. Use it only on a trusted machine and network.\n',
);

const child = spawn(process.execPath, [CLI, '-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(PLAYGROUND_PORT), '--disable-telemetry'], {
  cwd: ROOT,
  env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: LOG_FILE },
  stdio: ['ignore', 'pipe', 'pipe'],
});

createInterface({ input: child.stdout }).on('line', (line) => {
  const listening = /Listening on (\d+)/.exec(line);
  if (listening) {
    const port = Number(listening[1]);
    const moved = port !== PLAYGROUND_PORT ? ` (port ${PLAYGROUND_PORT} was taken, so it took ${port}; it is open on all interfaces too)` : '';
    process.stdout.write(
      `\nOpen http://localhost:${port} in a browser${moved}.\n` +
        'Each page load sends Pandu an installation update, so the welcome card appears again.\n' +
        `Log: ${path.relative(ROOT, LOG_FILE)}   Stop: Ctrl+C\n\n`,
    );
    return;
  }
  process.stdout.write(`playground: ${line}\n`);
});
createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`playground: ${line}\n`));

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping the Playground…\n');
  if (child.exitCode === null && child.signalCode === null) child.kill(signal === 'SIGINT' ? 'SIGTERM' : signal);
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 3000).unref();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

child.on('error', (error) => {
  process.stderr.write(`The Playground could not start: ${error.message}\n`);
  process.exitCode = 1;
});
child.on('exit', (code, signal) => {
  if (stopping) {
    process.stdout.write('The Playground has stopped.\n');
    process.exit(0);
  }
  process.stderr.write(`The Playground exited (${signal ?? `status ${code}`}); see ${path.relative(ROOT, LOG_FILE)}.\n`);
  process.exit(code === 0 ? 0 : 1);
});

type Health = { readonly ok: true } | { readonly ok: false; readonly reason: string };

async function checkHealth(): Promise<Health> {
  try {
    const response = await fetch(`${botUrl}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (response.ok || (response.status === 503 && body?.status === 'degraded')) return { ok: true };
    return { ok: false, reason: `GET /healthz answered ${response.status}; is that Pandu?` };
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { ok: false, reason: 'connection refused' };
    if ((error as { name?: unknown }).name === 'TimeoutError') return { ok: false, reason: 'no answer in time' };
    return { ok: false, reason: typeof cause?.code === 'string' ? cause.code : (error as Error).message };
  }
}
