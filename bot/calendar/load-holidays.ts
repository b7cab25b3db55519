import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { FieldReader, type SourceDoc } from '../core/catalogue/field-reader.js';
import type { Problem } from '../core/catalogue/problems.js';
import {
  HOLIDAY_KINDS,
  isLocalDate,
  missingHolidayYearWarning,
  provisionalHolidayYearWarning,
  witaYear,
  type Holiday,
  type HolidayStatus,
  type HolidayYear,
} from '../core/calendar/working-days.js';
import { parseYamlSource } from '../catalogue/read-catalogue-files.js';

/** The holiday files shipped with Pandu: data/holidays/<year>.yaml. */
export const DEFAULT_HOLIDAYS_DIR = fileURLToPath(new URL('../../data/holidays/', import.meta.url));

export type LoadHolidaysResult =
  | { readonly ok: true; readonly holidays: HolidayYear[]; readonly warnings: string[] }
  | { readonly ok: false; readonly problems: Problem[] };

export interface LoadHolidaysOptions {
  /** The current time, for the warnings about missing or provisional years; default now. */
  readonly now?: Date;
  /**
   * Warn about every year from now up to this many days ahead (default 92: from October on, a
   * missing file for next year is reported, when the SKB is normally out).
   */
  readonly lookaheadDays?: number;
}

const STATUSES: readonly HolidayStatus[] = ['official', 'provisional'];
const FILE_NAME = /^(\d{4})\.ya?ml$/;
const DAY_MS = 86_400_000;

/**
 * Reads and checks every data/holidays/*.yaml. Problems (with file and line) make the whole load
 * fail, so a mistyped date is never silently treated as a working day; missing or provisional years
 * in the coming months are warnings the caller must log loudly.
 */
export async function loadHolidays(dir: string = DEFAULT_HOLIDAYS_DIR, opts: LoadHolidaysOptions = {}): Promise<LoadHolidaysResult> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    return { ok: false, problems: [{ file: dir, path: '', message: `The holiday folder cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, fix: 'Check that data/holidays/ exists and holds one <year>.yaml file per year.' }] };
  }
  const problems: Problem[] = [];
  const byYear = new Map<number, { file: string; year: HolidayYear }>();
  for (const file of entries.filter((e) => /\.ya?ml$/.test(e)).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      problems.push({ file, path: '', message: `"${file}" is not named after a year.`, fix: 'Name each holiday file after its year, e.g. 2027.yaml (other files in this folder are not read).' });
      continue;
    }
    const fileYear = Number(match[1]);
    let text: string;
    try {
      text = await readFile(path.join(dir, file), 'utf8');
    } catch (error) {
      problems.push({ file, path: '', message: `The file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, fix: 'Check the file exists and is readable.' });
      continue;
    }
    const doc = parseYamlSource(file, text, problems);
    if (!doc) continue;
    const checked = checkHolidayFile(doc, fileYear);
    problems.push(...checked.problems);
    if (!checked.year) continue;
    const earlier = byYear.get(fileYear);
    if (earlier) {
      problems.push({ file, path: '', message: `A second holiday file for ${fileYear} (the first is ${earlier.file}).`, fix: `Keep one file per year: merge the two into ${fileYear}.yaml.` });
      continue;
    }
    byYear.set(fileYear, { file, year: checked.year });
  }
  if (problems.length > 0) return { ok: false, problems };

  const holidays = [...byYear.values()].map((v) => v.year).sort((a, b) => a.year - b.year);
  const now = opts.now ?? new Date();
  const lookahead = opts.lookaheadDays ?? 92;
  const warnings: string[] = [];
  for (let y = witaYear(now); y <= witaYear(new Date(now.getTime() + lookahead * DAY_MS)); y++) {
    const year = byYear.get(y)?.year;
    if (!year) warnings.push(missingHolidayYearWarning(y));
    else if (year.status === 'provisional') warnings.push(provisionalHolidayYearWarning(y, year.days.length));
  }
  return { ok: true, holidays, warnings };
}

/** Checks one parsed holiday file against the year in its name. */
export function checkHolidayFile(doc: SourceDoc, fileYear: number): { year?: HolidayYear; problems: Problem[] } {
  const r = new FieldReader(doc);
  const top = r.object(doc.data, [], ['year', 'status', 'source', 'days']);
  if (!top) return { problems: r.problems };

  const year = r.integer(top, 'year', [], { min: 1900 });
  if (year !== undefined && year !== fileYear) {
    r.report(['year'], `"year" is ${year}, but the file is ${doc.file}.`, `Write year: ${fileYear}, or rename the file to ${year}.yaml.`);
  }
  const status = r.oneOf(top, 'status', [], STATUSES);
  const source = r.text(top, 'source', []);

  const seen = new Map<string, number | undefined>();
  const days = r.list(top, 'days', [], (value, p): Holiday | undefined => {
    const day = r.object(value, p, ['date', 'name', 'kind']);
    if (!day) return undefined;
    const date = r.text(day, 'date', p);
    const name = r.text(day, 'name', p);
    const kind = r.oneOf(day, 'kind', p, HOLIDAY_KINDS);
    let dateOk = false;
    if (date !== undefined) {
      if (!isLocalDate(date)) {
        r.report([...p, 'date'], `"${date}" is not a real date of the form YYYY-MM-DD.`, `Write the date in quotes as "YYYY-MM-DD", e.g. date: "${fileYear}-03-21".`);
      } else if (Number(date.slice(0, 4)) !== fileYear) {
        r.report([...p, 'date'], `The date ${date} is not in ${fileYear}, but this file is for ${fileYear}.`, `Correct the year, or move the day to data/holidays/${date.slice(0, 4)}.yaml.`);
      } else if (seen.has(date)) {
        const line = seen.get(date);
        r.report([...p, 'date'], `The date ${date} is listed twice${line === undefined ? '' : ` (first on line ${line})`}.`, 'Keep one entry per day: remove this one or correct its date (a holiday of two days is two entries with different dates).');
      } else {
        seen.set(date, doc.locate([...p, 'date']));
        dateOk = true;
      }
    }
    return dateOk && date !== undefined && name !== undefined && kind !== undefined ? { date, name, kind } : undefined;
  });
  if (status === 'official' && Array.isArray(top['days']) && top['days'].length === 0) {
    r.report(['days'], `The list "days" is empty, but the file says status: official.`, 'Copy the days from the SKB 3 Menteri, or write status: provisional until it is published.');
  }

  if (r.problems.length > 0 || year === undefined || status === undefined || source === undefined) return { problems: r.problems };
  return { year: { year, status, source, days: [...days].sort((a, b) => a.date.localeCompare(b.date)) }, problems: [] };
}
