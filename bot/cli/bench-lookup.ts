/**
 * `npm run bench:lookup [-- --set <questions.yaml>] [--rounds <n>] [--json]`: measures, in one run and
 * on the same labelled questions, Pandu's lookup and a baseline, and prints them side by side.
 *
 * - Pandu: `lookupReport` over `buildLookupIndex(catalogue)`, the code path the bot and `npm run ask` use.
 * - Baseline: plain fuse.js with its default options (`new Fuse(items, { keys: ['title'] })`) over the
 *   titles of every process, sub-process, CFM and internal unit (the same candidates Pandu's index
 *   holds; roles such as "Pegawai yang bersangkutan" are not units). Its answer is its ranked list;
 *   plain Fuse cannot refuse, so it counts as confident whenever it returns anything.
 *
 * Accuracy (top-1 and top-3 in scope, refusals out of scope, per style) comes from `evaluateLookup`.
 * Latency is per question, with process.hrtime.bigint(): the scored pass is also the warm-up round
 * (reported as "first pass"), then `--rounds` (default 5) timed rounds over the whole set, each
 * starting with an empty typo-correction cache so that repeating the set does not flatter Pandu. The index
 * build is timed once cold and then as the median of 5 rebuilds. The default set is the tuning set
 * test/fixtures/questions.yaml. Not part of `npm test`.
 */
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { parse } from 'yaml';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import type { Catalogue } from '../core/catalogue/types.js';
import { formatProblemReport } from '../core/catalogue/problems.js';
import { buildLookupIndex, type EntryKind } from '../core/lookup/build-index.js';
import { evaluateLookup, type Answer, type Evaluation, type LabelledQuestion } from '../core/lookup/evaluate.js';
import { lookupReport } from '../core/lookup/lookup-report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_SET = path.join(ROOT, 'test', 'fixtures', 'questions.yaml');
const USAGE = 'Usage: npm run bench:lookup [-- --set <questions.yaml>] [--rounds <n>] [--json]\n';
const BUILD_REPEATS = 5;

// ---------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2);
const json = args.includes('--json');
let setPath = DEFAULT_SET;
let rounds = 5;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--json') continue;
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const value = args[i + 1];
  if ((arg === '--set' || arg === '--rounds') && (value === undefined || value.startsWith('--'))) fail(`${arg} needs a value.`);
  if (arg === '--set') {
    // npm runs scripts in the project root; a relative path means the folder npm was started in.
    setPath = path.resolve(process.env.INIT_CWD ?? process.cwd(), value!);
    i++;
  } else if (arg === '--rounds') {
    rounds = Number(value);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) fail(`--rounds must be a whole number from 1 to 1000, not "${value}".`);
    i++;
  } else fail(`Unknown argument "${arg}".`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Inputs

const questions = await readQuestionSet(setPath);
const loaded = await loadCatalogue();
if (!loaded.ok) {
  process.stderr.write(formatProblemReport(loaded.problems, 'data/catalogue/'));
  process.exit(1);
}
const catalogue = loaded.catalogue;

/** Reads a labelled set: a YAML list of {q, style, expect: [codes]}; every problem is reported at once. */
async function readQuestionSet(file: string): Promise<LabelledQuestion[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    process.stderr.write(`Could not read the question set ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    process.stderr.write(`The question set ${file} is not valid YAML: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (!Array.isArray(doc) || doc.length === 0) {
    process.stderr.write(`The question set ${file} must be a non-empty YAML list of {q, style, expect}.\n`);
    process.exit(1);
  }
  const problems: string[] = [];
  const list: LabelledQuestion[] = [];
  doc.forEach((item: unknown, i) => {
    const e = (item ?? {}) as Record<string, unknown>;
    const ok =
      typeof e.q === 'string' && e.q.trim() !== '' && typeof e.style === 'string' && Array.isArray(e.expect) && e.expect.every((c): c is string => typeof c === 'string');
    if (!ok) problems.push(`  entry ${i + 1}: needs q (text), style (text) and expect (a list of codes, [] for out of scope)`);
    else list.push({ q: e.q as string, style: e.style as string, expect: e.expect as string[] });
  });
  if (problems.length > 0) {
    process.stderr.write(`The question set ${file} has ${problems.length} bad ${problems.length === 1 ? 'entry' : 'entries'}:\n${problems.slice(0, 20).join('\n')}\n`);
    process.exit(1);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// The two systems

interface BaselineItem {
  readonly kind: EntryKind;
  readonly code: string;
  readonly title: string;
}

/** The baseline's candidates: every process, sub-process, CFM and internal unit, by its title. */
function baselineItems(c: Catalogue): BaselineItem[] {
  return [
    ...c.processes.map((p) => ({ kind: 'process' as const, code: p.code, title: p.title })),
    ...c.subprocesses.map((s) => ({ kind: 'subprocess' as const, code: s.code, title: s.title })),
    ...c.cfms.map((x) => ({ kind: 'cfm' as const, code: x.code, title: x.title })),
    ...c.units.filter((u) => u.kind === 'internal' && u.type !== 'peran').map((u) => ({ kind: 'unit' as const, code: u.id, title: u.name })),
  ];
}

interface Built {
  readonly ask: (q: string) => unknown;
  readonly reset: () => void;
}

interface System {
  readonly id: 'pandu' | 'baseline';
  readonly name: string;
  /**
   * Builds the system's index; returns the function that answers one question, and one that forgets
   * what the index learnt from earlier questions (Pandu's cache of typo corrections).
   */
  readonly build: () => Built;
  /** Turns the raw result into what evaluateLookup scores (outside the timed region). */
  readonly toAnswer: (raw: unknown) => Answer;
}

const items = baselineItems(catalogue);
const systems: readonly System[] = [
  {
    id: 'pandu',
    name: 'Pandu lookup',
    build: () => {
      const index = buildLookupIndex(catalogue);
      return { ask: (q) => lookupReport(catalogue, index, q), reset: () => index.corrections.clear() };
    },
    toAnswer: (raw) => {
      const r = raw as ReturnType<typeof lookupReport>;
      return { confident: r.confident, codes: r.matches.map((m) => m.code) };
    },
  },
  {
    id: 'baseline',
    name: 'Plain Fuse.js',
    build: () => {
      const fuse = new Fuse(items, { keys: ['title'] });
      return { ask: (q) => fuse.search(q), reset: () => undefined };
    },
    toAnswer: (raw) => {
      const hits = raw as { item: BaselineItem }[];
      return { confident: hits.length > 0, codes: hits.map((h) => h.item.code) };
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Measuring

const elapsedUs = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1000;

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  readonly samples: number;
}

/** Nearest-rank percentiles, in microseconds rounded to 0.1. */
function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { p50: r(at(50)), p99: r(at(99)), max: r(sorted[sorted.length - 1] ?? 0), mean: r(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)), samples: sorted.length };
}

interface Measured {
  readonly system: System;
  readonly build: { readonly coldUs: number; readonly warmMedianUs: number };
  readonly evaluation: Evaluation;
  readonly firstPass: Latency;
  readonly timed: number[];
  built: Built;
}

const measured: Measured[] = systems.map((system) => {
  const t0 = process.hrtime.bigint();
  let built = system.build();
  const coldUs = elapsedUs(t0);
  const rebuilds: number[] = [];
  for (let i = 0; i < BUILD_REPEATS; i++) {
    const t = process.hrtime.bigint();
    built = system.build();
    rebuilds.push(elapsedUs(t));
  }
  // The scored pass is the warm-up round: each call is timed, scoring happens outside the timing.
  const first: number[] = [];
  const evaluation = evaluateLookup(questions, (q) => {
    const t = process.hrtime.bigint();
    const raw = built.ask(q);
    first.push(elapsedUs(t));
    return system.toAnswer(raw);
  });
  return { system, build: { coldUs: Math.round(coldUs), warmMedianUs: Math.round(latency(rebuilds).p50) }, evaluation, firstPass: latency(first), timed: [], built };
});

// Timed rounds, the systems taking turns round by round so that neither always runs on a warmer machine.
// Each round starts with an empty correction cache: a repeated set must not turn every typo into a hit.
let sink = 0;
for (let round = 0; round < rounds; round++) {
  for (const m of measured) {
    m.built.reset();
    for (const q of questions) {
      const t = process.hrtime.bigint();
      const raw = m.built.ask(q.q);
      m.timed.push(elapsedUs(t));
      if (raw) sink++;
    }
  }
}
if (sink < 0) process.stdout.write(''); // keeps the results observably used

// ---------------------------------------------------------------------------------------------
// Report

const rate = (n: number, of: number): number => (of === 0 ? 0 : Math.round((n / of) * 1000) / 1000);

function summary(m: Measured) {
  const e = m.evaluation;
  return {
    name: m.system.name,
    accuracy: {
      inScope: e.inScope.total,
      top1: e.inScope.top1,
      top3: e.inScope.top3,
      confidentRight: e.inScope.confidentRight,
      top1Rate: rate(e.inScope.top1, e.inScope.total),
      top3Rate: rate(e.inScope.top3, e.inScope.total),
      confidentRightRate: rate(e.inScope.confidentRight, e.inScope.total),
      outOfScope: e.outOfScope.total,
      refused: e.outOfScope.refused,
      refusalRate: rate(e.outOfScope.refused, e.outOfScope.total),
    },
    byStyle: e.byStyle.map((s) => ({ ...s, top1Rate: rate(s.top1, s.total), top3Rate: rate(s.top3, s.total) })),
    indexBuildUs: m.build,
    latencyUs: latency(m.timed),
    firstPassLatencyUs: m.firstPass,
  };
}

const [pandu, baseline] = measured.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>];
const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 100) / 100);
const cpus = os.cpus();
const shownSet = path.relative(ROOT, setPath).startsWith('..') ? setPath : path.relative(ROOT, setPath);
const result = {
  machine: { cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, node: process.version, platform: `${process.platform} ${process.arch}` },
  set: { path: shownSet, questions: questions.length, inScope: pandu.accuracy.inScope, outOfScope: pandu.accuracy.outOfScope },
  catalogue: { version: catalogue.version, baselineItems: items.length },
  method: { warmupRounds: 1, timedRounds: rounds, timedCallsPerSystem: rounds * questions.length, buildRepeats: BUILD_REPEATS, clock: 'process.hrtime.bigint', unit: 'microseconds' },
  systems: { pandu, baseline },
  ratio: {
    note: 'Pandu / baseline',
    latencyP50: ratio(pandu.latencyUs.p50, baseline.latencyUs.p50),
    latencyP99: ratio(pandu.latencyUs.p99, baseline.latencyUs.p99),
    latencyMax: ratio(pandu.latencyUs.max, baseline.latencyUs.max),
    indexBuild: ratio(pandu.indexBuildUs.warmMedianUs, baseline.indexBuildUs.warmMedianUs),
  },
};

if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  process.stdout.write(markdown());
}

function markdown(): string {
  const pct = (n: number, of: number): string => (of === 0 ? '–' : `${((n / of) * 100).toFixed(1)} % (${n}/${of})`);
  const us = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const times = (x: number | null): string => (x === null ? '–' : `×${x.toFixed(2)}`);
  const a = pandu.accuracy;
  const b = baseline.accuracy;
  const rows: [string, string, string, string][] = [
    ['Top-1 accuracy, in scope', pct(a.top1, a.inScope), pct(b.top1, b.inScope), ''],
    ['Top-3 accuracy, in scope', pct(a.top3, a.inScope), pct(b.top3, b.inScope), ''],
    ['Confident and right (top-1), in scope', pct(a.confidentRight, a.inScope), pct(b.confidentRight, b.inScope), ''],
    ['Out-of-scope refusal rate', pct(a.refused, a.outOfScope), pct(b.refused, b.outOfScope), ''],
    ['Index build, cold (µs)', us(pandu.indexBuildUs.coldUs), us(baseline.indexBuildUs.coldUs), times(ratio(pandu.indexBuildUs.coldUs, baseline.indexBuildUs.coldUs))],
    [`Index build, median of ${BUILD_REPEATS} (µs)`, us(pandu.indexBuildUs.warmMedianUs), us(baseline.indexBuildUs.warmMedianUs), times(result.ratio.indexBuild)],
    ['Latency p50 (µs)', us(pandu.latencyUs.p50), us(baseline.latencyUs.p50), times(result.ratio.latencyP50)],
    ['Latency p99 (µs)', us(pandu.latencyUs.p99), us(baseline.latencyUs.p99), times(result.ratio.latencyP99)],
    ['Latency max (µs)', us(pandu.latencyUs.max), us(baseline.latencyUs.max), times(result.ratio.latencyMax)],
    ['Latency mean (µs)', us(pandu.latencyUs.mean), us(baseline.latencyUs.mean), times(ratio(pandu.latencyUs.mean, baseline.latencyUs.mean))],
    ['First pass (warm-up) p50 / p99 / max (µs)', firstPass(pandu.firstPassLatencyUs), firstPass(baseline.firstPassLatencyUs), ''],
  ];
  const styleRows = pandu.byStyle.map((s, i) => {
    const o = baseline.byStyle[i]!;
    const isOut = s.style === 'out-of-scope';
    return `| ${s.style}${isOut ? ' (refused)' : ''} | ${s.total} | ${pct(s.top1, s.total)} | ${isOut ? '–' : pct(s.top3, s.total)} | ${pct(o.top1, o.total)} | ${isOut ? '–' : pct(o.top3, o.total)} |`;
  });
  const m = result.machine;
  return [
    '## Lookup benchmark: Pandu vs plain Fuse.js',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.platform}`,
    `Set: ${shownSet}: ${questions.length} questions (${a.inScope} in scope, ${a.outOfScope} out of scope); catalogue ${catalogue.version}, ${items.length} baseline items`,
    `Timing: per question with process.hrtime.bigint(); 1 warm-up (scored) pass, then ${rounds} timed rounds = ${rounds * questions.length} calls per system`,
    '',
    `| | ${pandu.name} | ${baseline.name} (defaults, titles only) | Pandu / Fuse |`,
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '### Per style (evaluateLookup: top-1 / top-3 in scope; for out-of-scope, the share refused)',
    '',
    `| Style | n | Pandu top-1 | Pandu top-3 | Fuse top-1 | Fuse top-3 |`,
    '|---|---:|---:|---:|---:|---:|',
    ...styleRows,
    '',
    'Notes: plain Fuse cannot refuse, so it is "confident" whenever it returns any result. Pandu\'s index caches typo corrections;',
    'the cache is emptied before each timed round, so a round reuses a correction only for a word repeated within the set.',
    'The first pass runs on freshly built indexes before the JIT has warmed up.',
    '',
  ].join('\n');

  function firstPass(l: Latency): string {
    return `${us(l.p50)} / ${us(l.p99)} / ${us(l.max)}`;
  }
}
