import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadHolidays } from '../../../bot/calendar/load-holidays.js';
import { formatProblemReport } from '../../../bot/core/catalogue/problems.js';
import {
  createCalendar,
  missingHolidayYearWarning,
  toLocalDate,
  witaInstant,
  type HolidayYear,
  type LocalDate,
  type WorkCalendar,
} from '../../../bot/core/calendar/working-days.js';

/** An instant given as WITA wall-clock time, e.g. wita('2026-01-09 16:30'). Independent of the machine's TZ. */
function wita(local: string): Date {
  const date = new Date(`${local.replace(' ', 'T')}:00+08:00`);
  assert.ok(!Number.isNaN(date.getTime()), `bad test time ${local}`);
  return date;
}

/** Renders an instant as WITA wall-clock time, for readable failures. */
function show(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

let holidays: HolidayYear[];
let cal: WorkCalendar;

describe('WorkCalendar (WITA, real 2026 holidays)', () => {
  before(async () => {
    const result = await loadHolidays(undefined, { now: wita('2026-06-01 09:00') });
    assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
    holidays = result.holidays;
    cal = createCalendar(holidays);
  });

  describe('isWorkingDay', () => {
    const table: [LocalDate, boolean, string][] = [
      ['2026-01-09', true, 'an ordinary Friday'],
      ['2026-01-10', false, 'Saturday'],
      ['2026-01-11', false, 'Sunday'],
      ['2026-01-01', false, 'Tahun Baru (libur)'],
      ['2026-01-16', false, 'Isra Mikraj (libur)'],
      ['2026-02-16', false, 'cuti bersama Imlek'],
      ['2026-03-17', true, 'the last working day before Idul Fitri'],
      ['2026-03-18', false, 'cuti bersama Nyepi'],
      ['2026-03-19', false, 'Nyepi'],
      ['2026-03-20', false, 'cuti bersama Idul Fitri'],
      ['2026-03-23', false, 'cuti bersama Idul Fitri'],
      ['2026-03-24', false, 'cuti bersama Idul Fitri'],
      ['2026-03-25', true, 'the first working day after Idul Fitri'],
      ['2026-05-15', false, 'cuti bersama Kenaikan'],
      ['2026-05-28', false, 'cuti bersama Idul Adha'],
      ['2026-08-17', false, 'Proklamasi Kemerdekaan'],
      ['2026-12-24', false, 'cuti bersama Natal'],
      ['2026-12-25', false, 'Natal'],
      ['2026-12-28', true, 'Monday after Christmas'],
    ];
    for (const [date, expected, what] of table) {
      it(`${date} (${what}) → ${expected ? 'working' : 'day off'}`, () => assert.equal(cal.isWorkingDay(date), expected));
    }

    it('names the holiday of a day', () => {
      assert.deepEqual(cal.holidayOn('2026-03-20'), { date: '2026-03-20', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'cuti-bersama' });
      assert.equal(cal.holidayOn('2026-03-25'), undefined);
    });

    it('rejects a malformed or impossible date', () => {
      assert.throws(() => cal.isWorkingDay('2026-02-30'), RangeError);
      assert.throws(() => cal.isWorkingDay('9/1/2026'), RangeError);
    });
  });

  describe('addWorkingDays: the due instant is the end of office hours (16:00 WITA)', () => {
    const table: [string, string, number, string][] = [
      ['across a weekend: Friday + 1 → Monday', '2026-01-09 10:00', 1, '2026-01-12 16:00'],
      ['an ordinary Monday + 3 → Thursday', '2026-01-05 09:00', 3, '2026-01-08 16:00'],
      ['days=0 within office hours → the same day', '2026-01-09 10:00', 0, '2026-01-09 16:00'],
      ['days=0 one minute before closing → the same day', '2026-01-09 15:59', 0, '2026-01-09 16:00'],
      ['days=0 before office hours → the same day', '2026-01-12 06:00', 0, '2026-01-12 16:00'],
      ['days=0 at closing time exactly → the same day (a due instant plus 0 is itself)', '2026-01-09 16:00', 0, '2026-01-09 16:00'],
      ['days=0 one minute after closing → the next working day', '2026-01-09 16:01', 0, '2026-01-12 16:00'],
      ['a due instant (Monday 16:00) + 2 → Wednesday', '2026-01-12 16:00', 2, '2026-01-14 16:00'],
      ['after office hours: Friday 16:30, days=0 → Monday', '2026-01-09 16:30', 0, '2026-01-12 16:00'],
      ['after office hours: Friday 16:30 + 1 → counting from Monday → Tuesday', '2026-01-09 16:30', 1, '2026-01-13 16:00'],
      ['start on a Saturday, days=0 → Monday', '2026-01-10 11:00', 0, '2026-01-12 16:00'],
      ['start on a Saturday + 1 → counting from Monday → Tuesday', '2026-01-10 11:00', 1, '2026-01-13 16:00'],
      ['start on a Sunday night + 2 → Wednesday', '2026-01-11 23:00', 2, '2026-01-14 16:00'],
      ['Isra Mikraj on Friday: Thursday + 1 → Monday', '2026-01-15 10:00', 1, '2026-01-19 16:00'],
      ['Imlek with cuti bersama: Friday + 1 → Wednesday', '2026-02-13 10:00', 1, '2026-02-18 16:00'],
      ['Idul Fitri block: Tuesday 17 Mar + 1 → Wednesday 25 Mar', '2026-03-17 10:00', 1, '2026-03-25 16:00'],
      ['Idul Fitri block: Monday 16 Mar + 2 → Wednesday 25 Mar', '2026-03-16 10:00', 2, '2026-03-25 16:00'],
      ['Idul Fitri block: Friday 13 Mar + 5 → Friday 27 Mar', '2026-03-13 10:00', 5, '2026-03-27 16:00'],
      ['started inside the Idul Fitri block, days=0 → Wednesday 25 Mar', '2026-03-20 09:00', 0, '2026-03-25 16:00'],
      ['Tuesday 17 Mar after closing + 0 → Wednesday 25 Mar', '2026-03-17 16:30', 0, '2026-03-25 16:00'],
      ['Kenaikan + cuti bersama: Wednesday 13 May + 1 → Monday 18 May', '2026-05-13 10:00', 1, '2026-05-18 16:00'],
      ['Idul Adha + cuti bersama: Tuesday 26 May + 1 → Friday 29 May', '2026-05-26 10:00', 1, '2026-05-29 16:00'],
      ['Idul Adha, Waisak (Sunday), Pancasila: Friday 29 May + 1 → Tuesday 2 Jun', '2026-05-29 10:00', 1, '2026-06-02 16:00'],
      ['Christmas + cuti bersama: Wednesday 23 Dec + 1 → Monday 28 Dec', '2026-12-23 10:00', 1, '2026-12-28 16:00'],
      ['Christmas + cuti bersama: Tuesday 22 Dec + 2 → Monday 28 Dec', '2026-12-22 10:00', 2, '2026-12-28 16:00'],
    ];
    for (const [what, from, days, expected] of table) {
      it(`${what}`, () => {
        const due = cal.addWorkingDays(wita(from), days);
        assert.equal(show(due), expected);
        assert.equal(due.getTime(), wita(expected).getTime());
      });
    }

    it('UTC vs WITA: 23:30 UTC Thursday is 07:30 WITA Friday, so days=0 is due Friday 16:00 WITA (08:00 UTC)', () => {
      const due = cal.addWorkingDays(new Date('2026-01-08T23:30:00Z'), 0);
      assert.equal(due.toISOString(), '2026-01-09T08:00:00.000Z');
    });

    it('UTC vs WITA: 08:00 UTC Friday is 16:00 WITA, the last instant that counts as Friday', () => {
      assert.equal(cal.addWorkingDays(new Date('2026-01-09T07:59:59Z'), 0).toISOString(), '2026-01-09T08:00:00.000Z');
      assert.equal(cal.addWorkingDays(new Date('2026-01-09T08:00:00Z'), 0).toISOString(), '2026-01-09T08:00:00.000Z');
      assert.equal(cal.addWorkingDays(new Date('2026-01-09T08:00:01Z'), 0).toISOString(), '2026-01-12T08:00:00.000Z');
    });

    it('due instants compose: (x + a) + b = x + (a + b), across holidays', () => {
      for (const from of ['2026-03-13 10:00', '2026-03-17 17:00', '2026-05-09 12:00', '2026-12-21 07:00', '2026-12-23 15:59']) {
        for (const [a, b] of [[0, 0], [1, 1], [2, 3], [0, 4], [5, 0]] as const) {
          const x = wita(from);
          assert.equal(show(cal.addWorkingDays(cal.addWorkingDays(x, a), b)), show(cal.addWorkingDays(x, a + b)), `${from}: (${a}) + ${b}`);
        }
      }
    });

    it('a shorter Friday moves Friday due times and the Friday cut-off', () => {
      const short = createCalendar(holidays, { fridayEnd: '11:00' });
      assert.equal(show(short.addWorkingDays(wita('2026-01-08 10:00'), 1)), '2026-01-09 11:00');
      assert.equal(show(short.addWorkingDays(wita('2026-01-09 11:30'), 0)), '2026-01-12 16:00');
      assert.equal(show(short.addWorkingDays(wita('2026-01-09 10:59'), 0)), '2026-01-09 11:00');
    });

    it('rejects negative, fractional and invalid input', () => {
      assert.throws(() => cal.addWorkingDays(wita('2026-01-09 10:00'), -1), RangeError);
      assert.throws(() => cal.addWorkingDays(wita('2026-01-09 10:00'), 1.5), RangeError);
      assert.throws(() => cal.addWorkingDays(new Date(Number.NaN), 1), RangeError);
    });
  });

  describe('nextOfficeTime / isOfficeTime: reminders only in office hours (07:30–16:00 WITA)', () => {
    const table: [string, string, string][] = [
      ['inside office hours → itself', '2026-01-13 10:15', '2026-01-13 10:15'],
      ['exactly 07:30 → itself', '2026-01-13 07:30', '2026-01-13 07:30'],
      ['before office hours → 07:30 the same day', '2026-01-13 06:00', '2026-01-13 07:30'],
      ['22:00 on a weekday → 07:30 the next working day', '2026-01-12 22:00', '2026-01-13 07:30'],
      ['16:00 exactly → 07:30 the next working day', '2026-01-12 16:00', '2026-01-13 07:30'],
      ['Friday 16:30 → Monday 07:30', '2026-01-09 16:30', '2026-01-12 07:30'],
      ['Saturday noon → Monday 07:30', '2026-01-10 12:00', '2026-01-12 07:30'],
      ['Sunday → Monday 07:30', '2026-01-11 10:00', '2026-01-12 07:30'],
      ['on a holiday (17 Aug) → the next working day', '2026-08-17 09:00', '2026-08-18 07:30'],
      ['inside the Idul Fitri block → Wednesday 25 Mar 07:30', '2026-03-18 10:00', '2026-03-25 07:30'],
      ['Christmas Eve (cuti bersama) → Monday 28 Dec 07:30', '2026-12-24 08:00', '2026-12-28 07:30'],
    ];
    for (const [what, at, expected] of table) {
      it(what, () => {
        const next = cal.nextOfficeTime(wita(at));
        assert.equal(show(next), expected);
        assert.ok(cal.isOfficeTime(next));
        assert.equal(cal.isOfficeTime(wita(at)), at === expected);
      });
    }

    it('UTC vs WITA: 23:30 UTC is 07:30 WITA the next day', () => {
      const at = new Date('2026-01-12T23:30:00Z'); // Tuesday 13 Jan 07:30 WITA
      assert.equal(toLocalDate(at), '2026-01-13');
      assert.ok(cal.isOfficeTime(at));
      assert.equal(cal.nextOfficeTime(at).getTime(), at.getTime());
      assert.equal(cal.isOfficeTime(new Date('2026-01-12T23:29:59Z')), false);
      assert.equal(cal.nextOfficeTime(new Date('2026-01-12T15:00:00Z')).toISOString(), '2026-01-12T23:30:00.000Z');
      // 23:30 UTC on Friday is Saturday 07:30 WITA: not office time; next is Monday 07:30 WITA.
      assert.equal(cal.nextOfficeTime(new Date('2026-01-09T23:30:00Z')).toISOString(), '2026-01-11T23:30:00.000Z');
    });

    it('honours custom office hours', () => {
      const custom = createCalendar(holidays, { officeStart: '08:00', officeEnd: '15:30' });
      assert.equal(show(custom.nextOfficeTime(wita('2026-01-12 15:30'))), '2026-01-13 08:00');
      assert.equal(show(custom.addWorkingDays(wita('2026-01-12 09:00'), 0)), '2026-01-12 15:30');
      assert.throws(() => createCalendar(holidays, { officeStart: '16:00', officeEnd: '07:30' }), RangeError);
      assert.throws(() => createCalendar(holidays, { officeEnd: '4pm' }), RangeError);
    });
  });

  describe('workingDaysBetween', () => {
    const table: [LocalDate, LocalDate, number, string][] = [
      ['2026-01-09', '2026-01-12', 1, 'Friday → Monday'],
      ['2026-01-12', '2026-01-09', -1, 'backwards'],
      ['2026-01-12', '2026-01-12', 0, 'the same day'],
      ['2026-03-17', '2026-03-25', 1, 'across the Idul Fitri block'],
      ['2026-12-23', '2026-12-31', 4, 'across Christmas'],
      ['2025-12-31', '2026-12-31', 240, 'all of 2026: 261 weekdays − 21 weekday holidays'],
    ];
    for (const [a, b, expected, what] of table) {
      it(`${a} → ${b} = ${expected} (${what})`, () => assert.equal(cal.workingDaysBetween(a, b), expected));
    }

    it('takes instants in WITA and undoes addWorkingDays for a start in office hours', () => {
      for (const from of ['2026-01-09 10:00', '2026-03-16 08:00', '2026-05-26 15:00', '2026-12-21 07:30']) {
        for (const n of [0, 1, 2, 5, 10]) {
          const start = wita(from);
          assert.equal(cal.workingDaysBetween(start, cal.addWorkingDays(start, n)), n, `${from} + ${n}`);
        }
      }
      assert.equal(cal.workingDaysBetween(new Date('2026-01-08T23:30:00Z'), '2026-01-12'), 1);
    });
  });

  describe('years', () => {
    it('knows 2026 (official) and 2027 (provisional)', () => {
      assert.deepEqual(cal.knownYears(), [2026, 2027]);
      assert.deepEqual(cal.provisionalYears(), [2027]);
    });

    it('reports 2028 as missing, with a loud and specific warning', () => {
      assert.deepEqual(cal.missingYears(wita('2026-12-01 09:00'), wita('2028-02-01 09:00')), [2028]);
      assert.deepEqual(cal.missingYears(wita('2028-02-01 09:00'), wita('2026-12-01 09:00')), [2028]);
      assert.deepEqual(cal.missingYears(wita('2026-01-01 00:00'), wita('2026-12-31 23:59')), []);
      // 31 Dec 2025 20:00 UTC is already 1 Jan 2026 WITA.
      assert.deepEqual(cal.missingYears(new Date('2025-12-31T16:00:00Z'), new Date('2026-01-02T00:00:00Z')), []);
      assert.deepEqual(cal.missingYears(new Date('2025-12-31T15:59:00Z'), new Date('2026-01-02T00:00:00Z')), [2025]);
      assert.equal(
        missingHolidayYearWarning(2028),
        'No holiday file for 2028: due dates in 2028 count only weekends as days off. Add data/holidays/2028.yaml from the SKB 3 Menteri as soon as it is published.',
      );
    });

    it('without a holiday file only weekends are days off', () => {
      assert.equal(cal.isWorkingDay('2028-01-03'), true);
      assert.equal(cal.isWorkingDay('2028-01-01'), false); // a Saturday
    });

    it('refuses two lists for one year and dates outside their year', () => {
      const y2026 = holidays.find((h) => h.year === 2026)!;
      assert.throws(() => createCalendar([y2026, y2026]), /Two holiday lists for 2026/);
      assert.throws(() => createCalendar([{ ...y2026, year: 2025 }]), /not a date in 2025/);
    });
  });

  describe("independent of the machine's timezone", () => {
    const script = (url: string) => `
      const { createCalendar } = await import(${JSON.stringify(url)});
      const { loadHolidays } = await import(${JSON.stringify(fileURLToPath(new URL('../../../bot/calendar/load-holidays.ts', import.meta.url)))});
      const r = await loadHolidays(undefined, { now: new Date('2026-06-01T00:00:00Z') });
      const cal = createCalendar(r.holidays);
      const out = [
        new Date(2026, 0, 1).getTimezoneOffset(),
        cal.addWorkingDays(new Date('2026-03-17T02:00:00Z'), 1).toISOString(),
        cal.addWorkingDays(new Date('2026-01-08T23:30:00Z'), 0).toISOString(),
        cal.addWorkingDays(new Date('2026-12-23T02:00:00Z'), 1).toISOString(),
        cal.nextOfficeTime(new Date('2026-01-12T14:00:00Z')).toISOString(),
        cal.nextOfficeTime(new Date('2026-01-09T23:30:00Z')).toISOString(),
        cal.isWorkingDay('2026-03-24'),
        cal.workingDaysBetween('2025-12-31', '2026-12-31'),
      ];
      console.log(JSON.stringify(out));
    `;
    const run = promisify(execFile);
    const moduleUrl = new URL('../../../bot/core/calendar/working-days.ts', import.meta.url).href;

    it('gives the same instants under TZ=UTC, America/Los_Angeles and Pacific/Kiritimati (UTC+14)', async function () {
      this.timeout(60_000);
      const results: unknown[][] = [];
      for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(moduleUrl)], { env: { ...process.env, TZ: tz } });
        results.push(JSON.parse(stdout.trim()) as unknown[]);
      }
      // The machine's offsets really differ…
      assert.deepEqual(results.map((r) => r[0]), [0, 480, -840]);
      // …and the answers do not.
      const expected = [
        '2026-03-25T08:00:00.000Z',
        '2026-01-09T08:00:00.000Z',
        '2026-12-28T08:00:00.000Z',
        '2026-01-12T23:30:00.000Z',
        '2026-01-11T23:30:00.000Z',
        false,
        240,
      ];
      for (const r of results) assert.deepEqual(r.slice(1), expected);
      assert.equal(witaInstant('2026-03-25', '16:00').toISOString(), expected[0]);
    });
  });
});
