/**
 * Runs Azurite (the Azure Storage emulator, an npm dev dependency) for the Blob store tests: its blob
 * service only, in memory, on 127.0.0.1 and a free port, in a child process of the test run.
 */
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AZURITE_BLOB = path.join(ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');

/** Azurite's well-known development account (public: it is in Microsoft's documentation). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  /** A connection string for the development account on this Azurite. */
  readonly connectionString: string;
  /** The blob endpoint, e.g. http://127.0.0.1:41234/devstoreaccount1. */
  readonly blobEndpoint: string;
  readonly port: number;
  /** Stops Azurite (SIGTERM, then SIGKILL) and removes its work folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startAzurite}. */
export interface StartAzuriteOptions {
  /** How long to wait for Azurite to accept connections; default 30 s. */
  readonly startTimeoutMs?: number;
}

/** Builds the connection string of the development account for a blob endpoint. */
export function devConnectionString(blobEndpoint: string, accountKey = DEV_ACCOUNT_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${accountKey};BlobEndpoint=${blobEndpoint};`;
}

/** A port that was free a moment ago: the one the system gives a listener on port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts Azurite's blob service and resolves once it accepts connections. Rejects, with Azurite's
 * own output, when it exits early or does not listen within the timeout. The process is killed by
 * `stop()`, also when the test process exits without calling it, and ends by itself when the test
 * process dies.
 */
export async function startAzurite(opts: StartAzuriteOptions = {}): Promise<RunningAzurite> {
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const port = await freePort();
  // Azurite keeps nothing on disk with --inMemoryPersistence (which it refuses together with
  // --location), but run it in a folder of its own anyway so that nothing ever lands in the repository.
  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pandu-azurite-'));
  // A watchdog loaded into Azurite: it exits when its parent (this test process) is gone, even
  // when the parent was killed without running its exit handlers (SIGKILL, a crash of the runner).
  const watchdog = path.join(workDir, 'watchdog.cjs');
  await fsp.writeFile(watchdog, 'const ppid = process.ppid;\nsetInterval(() => { if (process.ppid !== ppid) process.exit(0); }, 500).unref();\n');
  const args = ['--require', watchdog, AZURITE_BLOB, '--silent', '--disableTelemetry', '--inMemoryPersistence', '--blobHost', '127.0.0.1', '--blobPort', String(port)];
  const child = spawn(process.execPath, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const killOnExit = (): void => {
    if (exited === undefined) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exited === undefined && spawnError === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    await fsp.rm(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError !== undefined || exited !== undefined) {
      await stop();
      const how = spawnError !== undefined ? `could not be started (${spawnError.message})` : `exited at start (code ${String(exited?.code)}, signal ${String(exited?.signal)})`;
      throw new Error(`Azurite ${how}. Is the azurite dev dependency installed (${AZURITE_BLOB})? Its output:\n${output || '(none)'}`);
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Azurite did not accept connections on 127.0.0.1:${port} within ${startTimeoutMs} ms. Its output:\n${output || '(none)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return { connectionString: devConnectionString(blobEndpoint), blobEndpoint, port, stop };
}
