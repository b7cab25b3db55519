/**
 * Working days and office hours of Dinas Sosial Provinsi NTT, in WITA (Waktu Indonesia Tengah,
 * Asia/Makassar): a fixed UTC+08:00 with no daylight saving. Local time is computed by adding eight
 * hours to the UTC instant and reading the UTC fields, so neither the machine's TZ nor Intl's
 * timezone data matter. Pure: the current time and the holiday lists come in as arguments.
 *
 * Days off are Saturdays, Sundays, and the hari libur nasional and cuti bersama of the SKB 3 Menteri
 * (data/holidays/<year>.yaml, read by bot/calendar/load-holidays.ts).
 */

/** A calendar day in WITA, "YYYY-MM-DD". */
export type LocalDate = string;

export type HolidayKind = 'libur' | 'cuti-bersama';

export const HOLIDAY_KINDS: readonly HolidayKind[] = ['libur', 'cuti-bersama'];

export interface Holiday {
  readonly date: LocalDate;
  /** The Indonesian name, as the SKB writes it. */
  readonly name: string;
  readonly kind: HolidayKind;
}

export type HolidayStatus = 'official' | 'provisional';

/** One year's holidays, from one data/holidays/<year>.yaml file. */
export interface HolidayYear {
  readonly year: number;
  /** `provisional` until the year's SKB is published: its list may be incomplete. */
  readonly status: HolidayStatus;
  readonly source: string;
  readonly days: readonly Holiday[];
}

export interface CalendarOptions {
  /** Start of office hours, "HH:MM" WITA; default "07:30". */
  readonly officeStart?: string;
  /** End of office hours, "HH:MM" WITA; default "16:00". Due dates fall at this time. */
  readonly officeEnd?: string;
  /** End of office hours on Fridays, "HH:MM" WITA; default the same as officeEnd. */
  readonly fridayEnd?: string;
}

export interface WorkCalendar {
  /** False on Saturdays, Sundays, national holidays and cuti bersama. */
  isWorkingDay(date: LocalDate): boolean;
  /** The holiday on `date`, if any. */
  holidayOn(date: LocalDate): Holiday | undefined;
  /**
   * The due instant of a task started at `from` that takes `days` working days: the end of office
   * hours of the `days`-th working day after the start day. The start day is the day of `from` when
   * that is a working day and `from` is not after the end of its office hours; otherwise it is the
   * next working day. So `days = 0` is the end of office hours of the start day. The end itself
   * (16:00) still belongs to its day, so due instants compose:
   * `addWorkingDays(addWorkingDays(x, a), b)` equals `addWorkingDays(x, a + b)`.
   */
  addWorkingDays(from: Date, days: number): Date;
  /** `at` itself when it is within office hours of a working day; otherwise the start of the next office hours. */
  nextOfficeTime(at: Date): Date;
  /** True within office hours (start inclusive, end exclusive) of a working day. */
  isOfficeTime(at: Date): boolean;
  /**
   * Working days after the WITA day of `a` up to and including the WITA day of `b` (negative when `b`
   * is before `a`). For a start within office hours on a working day,
   * `workingDaysBetween(from, addWorkingDays(from, n)) === n`; it also counts how many working days
   * a due date is overdue.
   */
  workingDaysBetween(a: Date | LocalDate, b: Date | LocalDate): number;
  /** The years that have a holiday file, ascending. */
  knownYears(): number[];
  /** The years with a provisional file (the SKB not yet published), ascending. */
  provisionalYears(): number[];
  /**
   * The WITA years from `from` to `to` (either order) with no holiday file: in those years only
   * weekends are days off. Callers log {@link missingHolidayYearWarning} for each.
   */
  missingYears(from: Date, to: Date): number[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** WITA is UTC+08:00 all year. */
export const WITA_OFFSET_MS = 8 * 60 * MINUTE;

/** The loud warning for a year without a holiday file. */
export function missingHolidayYearWarning(year: number): string {
  return `No holiday file for ${year}: due dates in ${year} count only weekends as days off. Add data/holidays/${year}.yaml from the SKB 3 Menteri as soon as it is published.`;
}

/** The warning for a year whose file is still provisional. */
export function provisionalHolidayYearWarning(year: number, listed: number): string {
  return `The holiday file for ${year} is provisional (${listed} day${listed === 1 ? '' : 's'} listed): the SKB 3 Menteri for ${year} is not in it yet, so due dates in ${year} may fall on national holidays or cuti bersama. Update data/holidays/${year}.yaml from the SKB as soon as it is published and set status: official.`;
}

/** The WITA calendar day of an instant. */
export function toLocalDate(at: Date): LocalDate {
  return formatDayNumber(Math.floor(witaMs(at) / DAY));
}

/** The WITA year of an instant. */
export function witaYear(at: Date): number {
  return new Date(witaMs(at)).getUTCFullYear();
}

/** The instant of `time` ("HH:MM") WITA on `date`. */
export function witaInstant(date: LocalDate, time: string): Date {
  return new Date(dayNumber(date) * DAY + parseTime(time, 'time') * MINUTE - WITA_OFFSET_MS);
}

/** True for a well-formed "YYYY-MM-DD" that names a real calendar day. */
export function isLocalDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

export function createCalendar(holidays: readonly HolidayYear[], opts: CalendarOptions = {}): WorkCalendar {
  const { officeStart = '07:30', officeEnd = '16:00' } = opts;
  const start = parseTime(officeStart, 'officeStart');
  const end = parseTime(officeEnd, 'officeEnd');
  const fridayEnd = opts.fridayEnd === undefined ? end : parseTime(opts.fridayEnd, 'fridayEnd');
  if (end <= start) throw new RangeError(`officeEnd (${officeEnd}) must be after officeStart (${officeStart}).`);
  if (fridayEnd <= start) throw new RangeError(`fridayEnd (${opts.fridayEnd ?? officeEnd}) must be after officeStart (${officeStart}).`);

  const byDate = new Map<LocalDate, Holiday>();
  const years = new Map<number, HolidayYear>();
  for (const year of holidays) {
    if (years.has(year.year)) throw new RangeError(`Two holiday lists for ${year.year}.`);
    years.set(year.year, year);
    for (const day of year.days) {
      if (!isLocalDate(day.date) || Number(day.date.slice(0, 4)) !== year.year) {
        throw new RangeError(`The holiday "${day.name}" (${day.date}) is not a date in ${year.year}.`);
      }
      byDate.set(day.date, day);
    }
  }

  /** Working-day test on a day number (days since 1970-01-01). */
  const isWorking = (n: number): boolean => {
    const weekday = mod(n + 4, 7); // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6 && !byDate.has(formatDayNumber(n));
  };
  const endOf = (n: number): number => (mod(n + 4, 7) === 5 ? fridayEnd : end);
  /** The first working day on or after `n`. */
  const workingOnOrAfter = (n: number): number => {
    let d = n;
    while (!isWorking(d)) d++;
    return d;
  };
  const officeEndMs = (n: number): number => n * DAY + endOf(n) * MINUTE - WITA_OFFSET_MS;
  const officeStartMs = (n: number): number => n * DAY + start * MINUTE - WITA_OFFSET_MS;

  const isOfficeTime = (at: Date): boolean => {
    const local = witaMs(at);
    const n = Math.floor(local / DAY);
    const minutes = (local - n * DAY) / MINUTE;
    return isWorking(n) && minutes >= start && minutes < endOf(n);
  };

  return {
    isWorkingDay: (date) => isWorking(dayNumber(date)),
    holidayOn: (date) => byDate.get(formatDayNumber(dayNumber(date))),
    addWorkingDays(from, days) {
      if (!Number.isInteger(days) || days < 0) throw new RangeError(`addWorkingDays needs a whole number of days of at least 0, got ${days}.`);
      const n = Math.floor(witaMs(from) / DAY);
      let d = isWorking(n) && from.getTime() <= officeEndMs(n) ? n : workingOnOrAfter(n + 1);
      for (let i = 0; i < days; i++) d = workingOnOrAfter(d + 1);
      return new Date(officeEndMs(d));
    },
    nextOfficeTime(at) {
      if (isOfficeTime(at)) return new Date(at.getTime());
      const n = Math.floor(witaMs(at) / DAY);
      if (isWorking(n) && at.getTime() < officeStartMs(n)) return new Date(officeStartMs(n));
      return new Date(officeStartMs(workingOnOrAfter(n + 1)));
    },
    isOfficeTime,
    workingDaysBetween(a, b) {
      const from = dayOf(a);
      const to = dayOf(b);
      const lo = Math.min(from, to);
      const hi = Math.max(from, to);
      let count = 0;
      for (let d = lo + 1; d <= hi; d++) if (isWorking(d)) count++;
      return from <= to ? count : -count;
    },
    knownYears: () => [...years.keys()].sort((x, y) => x - y),
    provisionalYears: () => [...years.values()].filter((y) => y.status === 'provisional').map((y) => y.year).sort((x, y) => x - y),
    missingYears(from, to) {
      const a = witaYear(from);
      const b = witaYear(to);
      const out: number[] = [];
      for (let y = Math.min(a, b); y <= Math.max(a, b); y++) if (!years.has(y)) out.push(y);
      return out;
    },
  };
}

function witaMs(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date.');
  return ms + WITA_OFFSET_MS;
}

function dayOf(value: Date | LocalDate): number {
  return typeof value === 'string' ? dayNumber(value) : Math.floor(witaMs(value) / DAY);
}

/** Days since 1970-01-01 of a "YYYY-MM-DD". */
function dayNumber(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`"${date}" is not a date of the form YYYY-MM-DD.`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

function formatDayNumber(n: number): LocalDate {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

/** Minutes after midnight of "HH:MM" (24-hour). */
function parseTime(value: string, what: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new RangeError(`${what} must be a time "HH:MM" (24-hour), got "${value}".`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
