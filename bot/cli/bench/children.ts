/**
 * Child processes of `npm run bench` (Pandu's bot/main.ts and the echo bot), each run with
 * `node --import tsx` from the project root, with an explicit environment (never the caller's, so no
 * MicrosoftAppId can switch authentication on), stdout and stderr to a log file. Every child is
 * registered until it has exited, so that an error or Ctrl+C stops them all (see `killAllNow`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface BotChild {
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  readonly readyMs: number;
  /** CPU time the process had used by then, in ms (less sensitive to other work on the machine). */
  readonly readyCpuMs: number;
  /** Current and peak resident set size in MB (Linux /proc; NaN elsewhere). */
  rss(): { readonly rssMb: number; readonly hwmMb: number };
  /** CPU time (user + system) the process has used so far, in ms (Linux /proc; NaN elsewhere). */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills every child still running, synchronously (for process 'exit' and signal handlers). */
export function killAllNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** A free TCP port on 127.0.0.1 (bound and released; a child gets it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SpawnOptions {
  /** Script relative to the project root, e.g. bot/main.ts. */
  readonly script: string;
  /** The child's whole environment besides PATH, HOME and PORT. */
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Extra node options before the script (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Give up when /healthz has not answered 200 by then (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** Poll interval of /healthz (default 10 ms). */
  readonly pollMs?: number;
}

/** Starts a bot on a free port and waits for its /healthz; retries twice if the port was taken meanwhile. */
export async function startBotChild(opts: SpawnOptions): Promise<BotChild> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts, await freePort());
    } catch (error) {
      lastError = error;
      if (!/EADDRINUSE/.test(tail(opts.logFile, 2000))) break;
    }
  }
  throw lastError;
}

async function startOnce(opts: SpawnOptions, port: number): Promise<BotChild> {
  const fd = openSync(opts.logFile, 'w');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, ...opts.env, PORT: String(port) };
  const t0 = process.hrtime.bigint();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', ...(opts.nodeArgs ?? []), opts.script], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  live.add(child);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    });
    child.once('error', () => {
      exited ??= { code: null, signal: null };
      live.delete(child);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 5000): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  const pollMs = opts.pollMs ?? 10;
  for (;;) {
    if (exited) throw new Error(`${opts.script} exited (code ${exited.code}, signal ${exited.signal}) before it was ready; its log ${opts.logFile} ends with:\n${tail(opts.logFile, 1500)}`);
    if ((await getStatus(`${url}/healthz`, 1000)) === 200) break;
    if (Date.now() > deadline) {
      await stop(1000);
      throw new Error(`${opts.script} did not answer 200 on /healthz within ${opts.readyTimeoutMs ?? 30_000} ms; its log ${opts.logFile} ends with:\n${tail(opts.logFile, 1500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const pid = child.pid ?? -1;
  return {
    pid,
    url,
    logFile: opts.logFile,
    readyMs,
    readyCpuMs: procCpuMs(pid),
    rss: () => procRss(pid),
    cpuMs: () => procCpuMs(pid),
    stop,
  };
}

/** GET `url`, resolving with the status, or 0 on any connection error or after `timeoutMs`. */
export function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** VmRSS and VmHWM (peak) of a process from /proc/<pid>/status, in MB. */
export function procRss(pid: number): { rssMb: number; hwmMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, hwmMb: NaN };
  }
}

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every mainstream Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process from /proc/<pid>/stat (fields 14 and 15), in ms. */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** The last `chars` characters of a log file ('' when unreadable). */
export function tail(file: string, chars: number): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-chars);
  } catch {
    return '';
  }
}

export const logPath = (dir: string, name: string): string => path.join(dir, `${name}.log`);
