/**
 * `npm run report:unanswered [-- --data <dir>] [--json]`: what staff asked that Pandu could not answer,
 * from the store document `stats/unanswered`: the total, the counts per day over the last 30 days
 * (UTC days, as the bot records them), the nearest catalogue codes of the recent ones (which topics
 * the catalogue may lack), and the recent texts when the admin chose to keep them
 * (PANDU_KEEP_UNANSWERED_TEXT; off by default).
 *
 * The data folder is PANDU_DATA_DIR (default var/) unless --data says otherwise. The lowdb store is
 * owned by one process, so while the bot runs, stop it or point --data at a copy of the store file.
 * Exit status 0 with a report (also for an empty store), 1 when the store cannot be opened or the
 * configuration is invalid, 2 on bad arguments.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { UnansweredDoc } from '../app/turn-types.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { DEFAULT_STORE_FILE, LOCK_FILE, openLowdbStore } from '../store/lowdb-store.js';

const KEY = 'stats/unanswered';
const DAYS = 30;
const SHOWN_TEXTS = 50;
const USAGE = 'Usage: npm run report:unanswered [-- --data <dir>] [--json]\n';

// ---------------------------------------------------------------------------------------------
// Arguments and configuration

const args = process.argv.slice(2);
const json = args.includes('--json');
let dataArg: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--json') continue;
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (arg === '--data') {
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) fail('--data needs a folder.');
    dataArg = value;
    i++;
  } else fail(`Unknown argument "${arg}".`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

const loaded = loadConfig(process.env);
const config: Config | undefined = loaded.ok ? loaded.config : undefined;
if (dataArg === undefined && !config) {
  process.stderr.write(`The configuration is invalid, so the data folder is unknown:\n${loaded.ok ? '' : loaded.errors.map((e) => `  ${e}`).join('\n')}\nFix it, or name the folder: npm run report:unanswered -- --data <dir>\n`);
  process.exit(1);
}
// npm runs scripts in the project root; a relative --data means the folder npm was started in.
const dataDir = dataArg !== undefined ? path.resolve(process.env.INIT_CWD ?? process.cwd(), dataArg) : config!.dataDir;
const storeFile = path.join(dataDir, DEFAULT_STORE_FILE);

// ---------------------------------------------------------------------------------------------
// Reading the store

const doc = existsSync(storeFile) ? await readUnanswered() : undefined;

async function readUnanswered(): Promise<UnansweredDoc | undefined> {
  let store;
  try {
    store = await openLowdbStore(dataDir);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // A failed open releases its own lock, so a lock file left after the failure is another process's.
    if (existsSync(path.join(dataDir, LOCK_FILE))) {
      const copy = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-copy`);
      process.stderr.write(
        `The store in ${dataDir} is locked: the bot (or another Pandu process) is using it, and the store allows one process at a time.\n` +
          `  ${reason}\n` +
          `Either stop the bot and run this again, or report on a copy of the store file (without its lock file):\n` +
          `  mkdir -p ${sh(copy)} && cp ${sh(storeFile)} ${sh(copy)}/\n` +
          `  npm run report:unanswered -- --data ${sh(copy)}\n`,
      );
    } else {
      process.stderr.write(`Could not open the store in ${dataDir}: ${reason}\n`);
    }
    process.exit(1);
  }
  try {
    // One document per person (`stats/unanswered/<userId>`), and the older single document, merged.
    const keys = [KEY, ...(await store.list(`${KEY}/`))];
    const docs = [...(await store.read(keys))].map(([key, d]) => ({ key, value: d.value }));
    if (docs.length === 0) return undefined;
    for (const { key, value } of docs) {
      if (!isUnansweredDoc(value)) {
        process.stderr.write(`The document "${key}" in ${storeFile} is not in the form this Pandu knows (schema 1 with total, byDay and recent); the bot starts it afresh on the next unanswered question.\n`);
        process.exit(1);
      }
    }
    return mergeUnanswered(docs.map((d) => d.value as UnansweredDoc));
  } finally {
    await store.close();
  }
}

function mergeUnanswered(docs: readonly UnansweredDoc[]): UnansweredDoc {
  const byDay: Record<string, number> = {};
  for (const doc of docs) for (const [day, n] of Object.entries(doc.byDay)) byDay[day] = (byDay[day] ?? 0) + n;
  const recent = docs.flatMap((d) => d.recent).sort((a, b) => a.at.localeCompare(b.at));
  return { schema: 1, total: docs.reduce((sum, d) => sum + d.total, 0), byDay, recent };
}

function isUnansweredDoc(value: unknown): value is UnansweredDoc {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.schema === 1 &&
    typeof v.total === 'number' &&
    typeof v.byDay === 'object' &&
    v.byDay !== null &&
    Object.values(v.byDay).every((n) => typeof n === 'number') &&
    Array.isArray(v.recent) &&
    v.recent.every((r: unknown) => typeof r === 'object' && r !== null && typeof (r as { at?: unknown }).at === 'string')
  );
}

// ---------------------------------------------------------------------------------------------
// The report

const HOW_TO_KEEP =
  'Question texts are not kept by default (message text is personal). To keep them, set PANDU_KEEP_UNANSWERED_TEXT=true in the bot\'s environment and restart it; texts are kept for questions asked after that.';

if (!doc || doc.total === 0) {
  if (json) process.stdout.write(`${JSON.stringify({ dataDir, total: 0, recentRecorded: 0, lastDays: [], lastDaysTotal: 0, nearest: [], withoutNearest: 0, textsKept: false, texts: [] })}\n`);
  else process.stdout.write(`No unanswered questions recorded yet${existsSync(storeFile) ? '' : ` (there is no store file ${storeFile})`}.\n`);
  process.exit(0);
}

const today = new Date();
const days = Array.from({ length: DAYS }, (_, i) => new Date(today.getTime() - (DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10));
const lastDays = days.map((day) => ({ day, count: doc.byDay[day] ?? 0 }));
const inWindow = lastDays.reduce((sum, d) => sum + d.count, 0);

const titles = await catalogueTitles();
const nearestCounts = new Map<string, number>();
for (const r of doc.recent) nearestCounts.set(r.nearest ?? '', (nearestCounts.get(r.nearest ?? '') ?? 0) + 1);
const nearest = [...nearestCounts]
  .filter(([code]) => code !== '')
  .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  .map(([code, count]) => ({ code, title: titles?.get(code) ?? null, count }));
const withoutNearest = nearestCounts.get('') ?? 0;
const texts = doc.recent.filter((r) => typeof r.text === 'string' && r.text !== '');
const textsKept = texts.length > 0;

if (json) {
  process.stdout.write(
    `${JSON.stringify({
      dataDir,
      total: doc.total,
      recentRecorded: doc.recent.length,
      lastDays: lastDays.filter((d) => d.count > 0),
      lastDaysTotal: inWindow,
      nearest,
      withoutNearest,
      textsKept,
      texts: [...texts].reverse().map((r) => ({ at: r.at, text: r.text, ...(r.nearest ? { nearest: r.nearest } : {}) })),
    })}\n`,
  );
  process.exit(0);
}

const out: string[] = [];
out.push(`Unanswered questions in ${storeFile}`, '', `Total: ${doc.total} since records began.`, '');
out.push(`Per day, last ${DAYS} days (UTC, ${days[0]} to ${days[DAYS - 1]}): ${inWindow} in all.`);
const peak = Math.max(1, ...lastDays.map((d) => d.count));
const width = String(peak).length;
for (const d of lastDays) if (d.count > 0) out.push(`  ${d.day}  ${String(d.count).padStart(width)}  ${'#'.repeat(Math.max(1, Math.round((d.count / peak) * 40)))}`);
if (inWindow === 0) out.push('  (none)');
else out.push('  (days without unanswered questions are not shown)');
out.push('');
out.push(`Nearest catalogue topics of the last ${doc.recent.length} recorded (topics staff ask about that the catalogue may lack or word differently):`);
const codeWidth = Math.max(4, ...nearest.map((n) => n.code.length));
for (const n of nearest) out.push(`  ${String(n.count).padStart(4)}  ${n.code.padEnd(codeWidth)}  ${n.title ?? (titles ? '(no longer in the catalogue)' : '(title unknown: the catalogue did not load)')}`);
if (withoutNearest > 0) out.push(`  ${String(withoutNearest).padStart(4)}  ${'—'.padEnd(codeWidth)}  no topic came near`);
out.push('');
if (textsKept) {
  const shown = [...texts].reverse().slice(0, SHOWN_TEXTS);
  out.push(`Recent texts (newest first, ${shown.length} of ${texts.length} kept${texts.length < doc.recent.length ? `; ${doc.recent.length - texts.length} recorded without text` : ''}):`);
  for (const r of shown) out.push(`  ${r.at.slice(0, 16).replace('T', ' ')}  ${r.nearest ? `[${r.nearest}] ` : ''}${oneLine(r.text!)}`);
} else {
  out.push(HOW_TO_KEEP);
  if (config?.keepUnansweredText) out.push('(PANDU_KEEP_UNANSWERED_TEXT is on in this environment: texts will appear once the bot, running with it, misses a question.)');
}
process.stdout.write(`${out.join('\n')}\n`);

/** Code → title of every process, sub-process, CFM and unit, to name the nearest topics; undefined if the catalogue does not load. */
async function catalogueTitles(): Promise<Map<string, string> | undefined> {
  const result = await loadCatalogue(config?.catalogueDir);
  if (!result.ok) return undefined;
  const c = result.catalogue;
  return new Map<string, string>([
    ...c.processes.map((p) => [p.code, p.title] as const),
    ...c.subprocesses.map((s) => [s.code, s.title] as const),
    ...c.cfms.map((x) => [x.code, x.title] as const),
    ...c.units.map((u) => [u.id, u.name] as const),
  ]);
}

/** A stored question on one line, without control characters (it is user input, shown in a terminal). */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A path quoted for a POSIX shell when it needs it. */
function sh(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}
