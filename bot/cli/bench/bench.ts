/**
 * `npm run bench [-- --users <n>] [--concurrency <n>] [--turns <n>] [--quick] [--json]`: Pandu under
 * load on this machine, next to the framework's floor, with its scale cases. Not part of `npm test`.
 *
 * 1. Echo floor: a minimal echo bot on the same stack (restify 11 + CloudAdapter, bench/echo-bot.ts)
 *    as a child process, under the same load.
 * 2. Pandu: the real bot (`node --import tsx bot/main.ts`, local mode: authentication off) as a child
 *    process, its lowdb store pre-populated with 100 returning users (populate.ts), under a turn mix
 *    of questions, walkthrough starts, step presses, "lanjutkan" and "tugas saya" (load.ts) from
 *    `--users` simulated staff at `--concurrency`, `--turns` turns after a warm-up. Replies go to a
 *    stand-in Bot Connector in this process (connector.ts), which answers at once.
 * 3. The same with 10,000 users in the store: the ratio of the p99s is the store scale ratio.
 * 4. One scheduler sweep over 10,000 pending personal reminders (sweep-bench.ts).
 * 5. Startup: `node --import tsx bot/main.ts` with a fresh data folder until /healthz answers 200, 3×.
 * 6. whoHandles alone over the labelled questions (lookup-bench.ts).
 *
 * The load generator and the bots are separate processes, so the generator does not take the bot's
 * event loop; on a 2-core machine each gets about one core. Besides wall-clock figures it reports
 * the bots' CPU time per turn (/proc/<pid>/stat) and the load average, because other work on the
 * machine inflates latency and throughput but hardly the CPU per turn. Every child process, server
 * and temp folder is removed at the end, also after an error or Ctrl+C (--keep keeps the bots' logs).
 * `--help` lists the options.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHolidays } from '../../calendar/load-holidays.js';
import { loadCatalogue } from '../../catalogue/load-catalogue.js';
import { createCalendar } from '../../core/calendar/working-days.js';
import { formatProblemReport } from '../../core/catalogue/problems.js';
import { buildLookupIndex } from '../../core/lookup/build-index.js';
import { DEFAULT_SLA_DAYS } from '../../start-bot.js';
import { benchUser } from './activities.js';
import { killAllNow, logPath, ROOT, startBotChild, tail } from './children.js';
import { startStandInConnector, type StandInConnector } from './connector.js';
import { benchLookup, readQuestions } from './lookup-bench.js';
import { runLoad, TURN_KINDS, type LoadResult, type PhaseResult } from './load.js';
import { populateStore } from './populate.js';
import { median, round } from './stats.js';
import { benchSweep } from './sweep-bench.js';

const USAGE = `Usage: npm run bench [-- options]
  --users <n>         simulated staff (default 100; at least --concurrency)
  --concurrency <n>   turns in flight at once (default 32)
  --turns <n>         measured turns per run, after the warm-up (default 3000)
  --warmup <n>        warm-up turns per run (default the larger of --users and 10 % of --turns)
  --large-store <n>   users in the large store of the store-scale case (default 10000)
  --set <file>        the labelled questions asked (default test/fixtures/questions.yaml)
  --cpu-prof <dir>    write CPU profiles of each Pandu run to <dir>/<run>/ (node --cpu-prof)
  --keep              keep the temp folder (the bots' logs) and print where it is
  --quick             a short run (for tests): 16 users, 8 concurrent, 150 turns, 1000-user large store, 1 startup
  --json              print the figures as one JSON object
`;

// ---------------------------------------------------------------------------------------------
// Arguments

interface Options {
  users: number;
  concurrency: number;
  turns: number;
  warmup: number | undefined;
  largeStore: number;
  smallStore: number;
  cpuProf: string | undefined;
  set: string;
  keep: boolean;
  quick: boolean;
  json: boolean;
  maxPhaseMs: number;
  timeoutMs: number;
  startups: number;
  sweepRepeats: number;
  lookupRounds: number;
  seed: number;
}

function parseArgs(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const o: Options = {
    users: quick ? 16 : 100,
    concurrency: quick ? 8 : 32,
    turns: quick ? 150 : 3000,
    warmup: quick ? 40 : undefined,
    largeStore: quick ? 1000 : 10_000,
    smallStore: 100,
    cpuProf: undefined,
    set: path.join(ROOT, 'test', 'fixtures', 'questions.yaml'),
    keep: argv.includes('--keep'),
    quick,
    json: argv.includes('--json'),
    maxPhaseMs: quick ? 15_000 : 120_000,
    timeoutMs: 15_000,
    startups: quick ? 1 : 3,
    sweepRepeats: quick ? 3 : 5,
    lookupRounds: quick ? 3 : 20,
    seed: 1,
  };
  const whole = (flag: string, value: string | undefined, min: number, max: number): number => {
    const n = Number(value);
    if (value === undefined || !/^\d+$/.test(value) || n < min || n > max) fail(`${flag} must be a whole number from ${min} to ${max}, not "${value ?? ''}".`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    switch (arg) {
      case '--quick':
      case '--json':
      case '--keep':
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      case '--users':
        o.users = whole(arg, value, 1, 100_000);
        i++;
        break;
      case '--concurrency':
        o.concurrency = whole(arg, value, 1, 1024);
        i++;
        break;
      case '--turns':
        o.turns = whole(arg, value, 1, 1_000_000);
        i++;
        break;
      case '--warmup':
        o.warmup = whole(arg, value, 0, 1_000_000);
        i++;
        break;
      case '--large-store':
        o.largeStore = whole(arg, value, 1, 1_000_000);
        i++;
        break;
      case '--set':
        if (value === undefined || value.startsWith('--')) fail('--set needs a file.');
        o.set = path.resolve(process.env.INIT_CWD ?? process.cwd(), value);
        i++;
        break;
      case '--cpu-prof':
        if (value === undefined || value.startsWith('--')) fail('--cpu-prof needs a folder.');
        o.cpuProf = path.resolve(process.env.INIT_CWD ?? process.cwd(), value);
        i++;
        break;
      default:
        fail(`Unknown argument "${arg}".`);
    }
  }
  if (o.users < o.concurrency) fail(`--users (${o.users}) must be at least --concurrency (${o.concurrency}): each simulated user has one turn in flight at a time.`);
  return o;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const warmupTurns = opts.warmup ?? Math.max(opts.users, Math.round(opts.turns / 10));
const benchStart = process.hrtime.bigint();
const progress = (line: string): void => {
  process.stderr.write(`bench [${(Number(process.hrtime.bigint() - benchStart) / 1e9).toFixed(1)} s]: ${line}\n`);
};

// ---------------------------------------------------------------------------------------------
// Clean-up: children, servers and the temp folder go, whatever happens.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pandu-bench-'));
let connector: StandInConnector | undefined;
const removeTmp = (): void => {
  if (opts.keep) process.stderr.write(`bench: kept ${tmp}\n`);
  else rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', () => {
  killAllNow();
  removeTmp();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}: stopping the bots\n`);
    process.exit(130); // the 'exit' handler kills the children and removes the temp folder
  });
}
const loadAverageAtStart = os.loadavg()[0]!;

// ---------------------------------------------------------------------------------------------
// Inputs

const loaded = await loadCatalogue();
if (!loaded.ok) {
  process.stderr.write(formatProblemReport(loaded.problems, 'data/catalogue/'));
  process.exit(1);
}
const catalogue = loaded.catalogue;
const index = buildLookupIndex(catalogue);
const holidays = await loadHolidays();
if (!holidays.ok) {
  process.stderr.write(formatProblemReport(holidays.problems));
  process.exit(1);
}
const calendar = createCalendar(holidays.holidays);
const questions = await readQuestions(opts.set).catch((error: unknown) => fail(`Could not read the question set: ${error instanceof Error ? error.message : String(error)}`));
const cfmCodes = catalogue.cfms.map((c) => c.code);
const users = Array.from({ length: opts.users }, (_, i) => benchUser(i));

// ---------------------------------------------------------------------------------------------
// The runs

interface RunFigures {
  readonly name: string;
  readonly load: LoadResult;
  /** Peak RSS of the bot process in MB: the larger of VmHWM and the sampled VmRSS. */
  readonly peakRssMb: number;
  readonly readyMs: number;
  readonly logErrors: readonly string[];
  /** 1-minute load average at the end of the run. */
  readonly loadAverage: number;
}

async function loadRun(name: string, script: string, env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<RunFigures> {
  const logFile = logPath(tmp, name);
  const child = await startBotChild({ script, env, logFile, nodeArgs });
  progress(`${name}: ready in ${Math.round(child.readyMs)} ms (pid ${child.pid})`);
  let sampled = 0;
  try {
    const load = await runLoad({
      target: script.endsWith('echo-bot.ts') ? 'echo' : 'pandu',
      botUrl: child.url,
      connector: connector!,
      users,
      concurrency: opts.concurrency,
      warmupTurns,
      turns: opts.turns,
      maxPhaseMs: opts.maxPhaseMs,
      timeoutMs: opts.timeoutMs,
      questions,
      cfmCodes,
      seed: opts.seed,
      onTick: () => {
        const now = child.rss().rssMb;
        if (now > sampled) sampled = now;
      },
      botCpuMs: () => child.cpuMs(),
    });
    const { rssMb, hwmMb } = child.rss();
    const peak = Math.max(sampled, rssMb, Number.isFinite(hwmMb) ? hwmMb : 0);
    const failed = load.warmup.errorTotal + load.measured.errorTotal > 0;
    const logErrors = failed ? tail(logFile, 200_000).split('\n').filter((l) => l.includes('"level":"error"')).slice(-5).map((l) => l.slice(0, 400)) : [];
    return { name, load, peakRssMb: round(peak, 1), readyMs: round(child.readyMs, 0), logErrors, loadAverage: round(os.loadavg()[0]!, 2) };
  } finally {
    await child.stop();
    connector?.clear();
  }
}

async function panduRun(name: string, storeUsers: number): Promise<RunFigures & { store: Awaited<ReturnType<typeof populateStore>> }> {
  const dataDir = path.join(tmp, `data-${name}`);
  mkdirSync(dataDir);
  progress(`${name}: pre-populating the store with ${storeUsers.toLocaleString('en-US')} users`);
  const store = await populateStore({ dir: dataDir, users: storeUsers, serviceUrl: connector!.url, catalogue, index, calendar, defaultSlaDays: DEFAULT_SLA_DAYS });
  progress(`${name}: ${(store.fileBytes / 1e6).toFixed(1)} MB store file; running ${warmupTurns} + ${opts.turns} turns`);
  // One folder per run: node writes one profile per thread (the main thread and tsx's loader thread).
  const nodeArgs = opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.join(opts.cpuProf, name)] : [];
  const run = await loadRun(name, 'bot/main.ts', { PANDU_DATA_DIR: dataDir, PANDU_LOG_LEVEL: 'info' }, nodeArgs);
  if (!opts.keep) rmSync(dataDir, { recursive: true, force: true });
  return { ...run, store };
}

async function startupTimes(): Promise<{ ms: number[]; cpuMs: number[] }> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < opts.startups; i++) {
    const dataDir = path.join(tmp, `data-startup-${i}`);
    mkdirSync(dataDir);
    const child = await startBotChild({ script: 'bot/main.ts', env: { PANDU_DATA_DIR: dataDir, PANDU_LOG_LEVEL: 'info' }, logFile: logPath(tmp, `startup-${i}`), pollMs: 5, readyTimeoutMs: 30_000 });
    ms.push(round(child.readyMs, 0));
    cpuMs.push(round(child.readyCpuMs, 0));
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { ms, cpuMs };
}

let result: ReturnType<typeof figures> | undefined;
try {
  connector = await startStandInConnector();
  progress(`echo floor: ${warmupTurns} + ${opts.turns} turns, ${opts.concurrency} concurrent, ${opts.users} users`);
  const echo = await loadRun('echo', 'bot/cli/bench/echo-bot.ts', {});
  const small = await panduRun('pandu', opts.smallStore);
  const large = await panduRun('pandu-large-store', opts.largeStore);
  progress(`startup: ${opts.startups} start(s) of bot/main.ts with a fresh data folder`);
  const startups = await startupTimes();
  progress('scheduler sweep and lookup');
  const sweep = await benchSweep({ catalogue, calendar, reminders: 10_000, people: 1000, repeats: opts.sweepRepeats });
  const lookup = benchLookup(index, questions, opts.lookupRounds);
  result = figures(echo, small, large, startups, sweep, lookup);
  progress('done');
} finally {
  await connector?.close();
}

// ---------------------------------------------------------------------------------------------
// Report

function phaseSummary(p: PhaseResult) {
  return {
    turns: p.turns,
    seconds: round(p.durationMs / 1000, 2),
    throughput: round(p.throughput, 1),
    latencyMs: p.latencyMs,
    byKind: p.byKind,
    errors: p.errors,
    errorTotal: p.errorTotal,
    errorExamples: p.examples,
    cutByTimeLimit: p.cut,
    botCpuMsPerTurn: round(p.botCpuMsPerTurn, 3),
    botCpuShare: round(p.botCpuShare, 2),
    generatorCpuMsPerTurn: round(p.generatorCpuMsPerTurn, 3),
  };
}

function figures(echo: RunFigures, small: RunFigures & { store: { users: number; documents: number; fileBytes: number } }, large: typeof small, startups: { ms: number[]; cpuMs: number[] }, sweep: Awaited<ReturnType<typeof benchSweep>>, lookup: ReturnType<typeof benchLookup>) {
  const e = echo.load.measured;
  const s = small.load.measured;
  const l = large.load.measured;
  const errorsOf = (r: RunFigures): number => r.load.warmup.errorTotal + r.load.measured.errorTotal;
  const cpus = os.cpus();
  const startupMs = median(startups.ms);
  const out = {
    throughputRatio: round(s.throughput / e.throughput, 3),
    p50Ms: s.latencyMs.p50,
    p95Ms: s.latencyMs.p95,
    p99Ms: s.latencyMs.p99,
    rssMb: small.peakRssMb,
    errors: errorsOf(echo) + errorsOf(small) + errorsOf(large),
    storeScaleRatio: round(l.latencyMs.p99 / s.latencyMs.p99, 3),
    startupMs,
    lookupP99Ms: round(lookup.latencyUs.p99 / 1000, 4),
    throughput: round(s.throughput, 1),
    echoThroughput: round(e.throughput, 1),
    echoP99Ms: e.latencyMs.p99,
    echoRssMb: echo.peakRssMb,
    p99SmallStoreMs: s.latencyMs.p99,
    p99LargeStoreMs: l.latencyMs.p99,
    largeStoreThroughput: round(l.throughput, 1),
    largeStoreRssMb: large.peakRssMb,
    sweepMs: sweep.sweepMs,
    /** Bot CPU time per turn: less sensitive to other work on the machine than throughput. */
    cpuMsPerTurn: round(s.botCpuMsPerTurn, 3),
    echoCpuMsPerTurn: round(e.botCpuMsPerTurn, 3),
    largeStoreCpuMsPerTurn: round(l.botCpuMsPerTurn, 3),
    /** The throughput ratio the CPU costs imply for a CPU-bound bot: echo CPU per turn / Pandu CPU per turn. */
    cpuThroughputRatio: round(e.botCpuMsPerTurn / s.botCpuMsPerTurn, 3),
    lookupP50Ms: round(lookup.latencyUs.p50 / 1000, 4),
    lookupCpuP99Ms: round(lookup.cpuUs.p99 / 1000, 4),
    startupCpuMs: median(startups.cpuMs),
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      /** 1-minute load average before and after the run: other work on the machine skews every figure. */
      loadAverage: { start: round(loadAverageAtStart, 2), end: round(os.loadavg()[0]!, 2) },
    },
    options: { set: path.relative(ROOT, opts.set).startsWith('..') ? opts.set : path.relative(ROOT, opts.set), users: opts.users, concurrency: opts.concurrency, turns: opts.turns, warmupTurns, smallStoreUsers: opts.smallStore, largeStoreUsers: opts.largeStore, quick: opts.quick, timeoutMs: opts.timeoutMs, maxPhaseMs: opts.maxPhaseMs, seed: opts.seed },
    runs: {
      echo: { ...phaseSummary(e), warmup: phaseSummary(echo.load.warmup), peakRssMb: echo.peakRssMb, readyMs: echo.readyMs, loadAverage: echo.loadAverage },
      pandu: { ...phaseSummary(s), warmup: phaseSummary(small.load.warmup), peakRssMb: small.peakRssMb, readyMs: small.readyMs, loadAverage: small.loadAverage, store: small.store, logErrors: small.logErrors },
      panduLargeStore: { ...phaseSummary(l), warmup: phaseSummary(large.load.warmup), peakRssMb: large.peakRssMb, readyMs: large.readyMs, loadAverage: large.loadAverage, store: large.store, logErrors: large.logErrors },
    },
    startup: { runsMs: startups.ms, medianMs: startupMs, cpuMsAtReady: startups.cpuMs },
    sweep,
    lookup: { questions: questions.length, ...lookup },
  };
  const targets = {
    throughputRatio: { target: '>= 0.7', pass: out.throughputRatio >= 0.7 },
    p99Ms: { target: '< 50', pass: out.p99Ms < 50 },
    storeScaleRatio: { target: '<= 1.5', pass: out.storeScaleRatio <= 1.5 },
    startupMs: { target: '< 2000', pass: out.startupMs < 2000 },
    lookupP99Ms: { target: '< 2', pass: out.lookupP99Ms < 2 },
    errors: { target: '= 0', pass: out.errors === 0 },
  };
  return { ...out, targets };
}

type Result = ReturnType<typeof figures>;
const r: Result = result;
if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
else process.stdout.write(markdown(r));
for (const run of [r.runs.pandu, r.runs.panduLargeStore]) for (const line of run.logErrors) process.stderr.write(`bench: bot log: ${line}\n`);

function markdown(x: Result): string {
  const n = (v: number, digits = 1): string => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const mark = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
  const o = x.options;
  const p = x.runs.pandu;
  const big = x.runs.panduLargeStore;
  const rows = [
    ['Throughput, Pandu / echo floor', `${n(x.throughputRatio, 2)} (${n(x.throughput)} / ${n(x.echoThroughput)} turns/s)`, '≥ 0.70', mark(x.targets.throughputRatio.pass)],
    [`Turn latency p99, ${o.concurrency} concurrent users`, `${n(x.p99Ms)} ms (p50 ${n(x.p50Ms)}, p95 ${n(x.p95Ms)})`, '< 50 ms', mark(x.targets.p99Ms.pass)],
    ['Errors (non-2xx, missing replies, timeouts), all runs', String(x.errors), '0', mark(x.targets.errors.pass)],
    [`Store scale: p99 with ${o.largeStoreUsers.toLocaleString('en-US')} / ${o.smallStoreUsers} users stored`, `${n(x.storeScaleRatio, 2)} (${n(x.p99LargeStoreMs)} / ${n(x.p99SmallStoreMs)} ms)`, '≤ 1.5', mark(x.targets.storeScaleRatio.pass)],
    [`Startup to a ready /healthz (median of ${x.startup.runsMs.length})`, `${n(x.startupMs, 0)} ms (${x.startup.runsMs.map((v) => n(v, 0)).join(', ')}; CPU used by then: ${n(x.startupCpuMs, 0)} ms)`, '< 2 s', mark(x.targets.startupMs.pass)],
    ['Lookup p99, whoHandles alone', `${n(x.lookupP99Ms, 3)} ms (p50 ${n(x.lookupP50Ms, 3)}; CPU time p99 ${n(x.lookupCpuP99Ms, 3)})`, '< 2 ms', mark(x.targets.lookupP99Ms.pass)],
    ['Peak RSS of the bot process', `${n(x.rssMb)} MB (echo ${n(x.echoRssMb)} MB; ${o.largeStoreUsers.toLocaleString('en-US')}-user store ${n(x.largeStoreRssMb)} MB)`, '–', 'info'],
    ['Bot CPU per turn, echo / Pandu', `${n(x.cpuThroughputRatio, 2)} (${n(x.echoCpuMsPerTurn, 2)} / ${n(x.cpuMsPerTurn, 2)} ms; ${n(x.largeStoreCpuMsPerTurn, 2)} ms with the ${o.largeStoreUsers.toLocaleString('en-US')}-user store)`, '–', 'info'],
    [`Scheduler sweep, ${x.sweep.reminders.toLocaleString('en-US')} pending reminders`, `${n(x.sweepMs, 2)} ms (median of ${x.sweep.runsMs.length}; ${x.sweep.report.bucketsRead} buckets read, ${x.sweep.report.remindersConsidered} due, ${x.sweep.report.sent} sent)`, '–', 'info'],
  ];
  const runRow = (name: string, run: Result['runs']['echo'] & { peakRssMb: number }): string =>
    `| ${name} | ${run.turns}${run.cutByTimeLimit ? ' (time limit)' : ''} | ${n(run.seconds, 2)} | ${n(run.throughput)} | ${n(run.latencyMs.p50)} | ${n(run.latencyMs.p95)} | ${n(run.latencyMs.p99)} | ${n(run.latencyMs.max)} | ${n(run.botCpuMsPerTurn, 2)} | ${n(run.botCpuShare, 2)} | ${n(run.peakRssMb)} | ${run.errorTotal + run.warmup.errorTotal} |`;
  const kindRows = TURN_KINDS.map((kind) => {
    const a = p.byKind[kind];
    const b = big.byKind[kind];
    const cell = (v: typeof a): string => (v ? `${v.samples} | ${n(v.p50)} | ${n(v.p99)}` : '0 | – | –');
    return `| ${kind} | ${cell(a)} | ${cell(b)} |`;
  });
  const m = x.machine;
  const examples = [x.runs.echo, p, big].flatMap((run) => [...run.warmup.errorExamples, ...run.errorExamples]).slice(0, 5);
  return [
    '## Pandu load benchmark',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${n(m.memoryGb)} GB, Node ${m.node}, ${m.platform}; load average ${n(m.loadAverage.start, 2)} at the start, ${n(m.loadAverage.end, 2)} at the end${Math.max(m.loadAverage.start, m.loadAverage.end) > m.cores / 2 ? ' (other work was running: the figures are pessimistic)' : ''}`,
    `Load: ${o.users} simulated users, ${o.concurrency} concurrent, ${o.turns} measured turns per run after ${o.warmupTurns} warm-up turns; bots in child processes, stand-in connector on loopback; lowdb store (the default)`,
    '',
    '| Figure | Measured | Target | |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    '### Runs (measured phase; errors include the warm-up)',
    '',
    '| Run | turns | s | turns/s | p50 ms | p95 ms | p99 ms | max ms | bot CPU ms/turn | bot CPU share | peak RSS MB | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    runRow('Echo floor (restify + CloudAdapter)', x.runs.echo),
    runRow(`Pandu, ${o.smallStoreUsers} users stored (${n(p.store.fileBytes / 1e6, 2)} MB file)`, p),
    runRow(`Pandu, ${o.largeStoreUsers.toLocaleString('en-US')} users stored (${n(big.store.fileBytes / 1e6, 2)} MB file)`, big),
    '',
    `### Pandu by turn kind (n, p50 ms, p99 ms)`,
    '',
    `| Kind | n | p50 | p99 | n (${o.largeStoreUsers.toLocaleString('en-US')}) | p50 | p99 |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...kindRows,
    '',
    ...(examples.length > 0 ? ['Errors, first few:', '', ...examples.map((e) => `- ${e}`), ''] : []),
    'Mix: ~50 % "who handles" questions from test/fixtures/questions.yaml, ~15 % "pandu <cfm>", ~20 % step presses (adaptiveCard/action with the data of the last card), ~7.5 % "lanjutkan", ~7.5 % "tugas saya".',
    'Latency: from the POST to the end of the HTTP response; the bot answers after its replies reached the connector. Timeout 15 s.',
    'Bot CPU: user + system time of the bot process in the measured phase (/proc/<pid>/stat), per turn and as a share of one core.',
    'CPU figures do not count the time other processes held the core; on a busy machine they are the steadier comparison.',
    '',
  ].join('\n');
}
