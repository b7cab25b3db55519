import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHolidays, type LoadHolidaysResult } from '../../bot/calendar/load-holidays.js';
import { formatProblemReport, type Problem } from '../../bot/core/catalogue/problems.js';

const GOOD_2026 = `year: 2026
status: official
source: "SKB test"
days:
  - {date: "2026-01-01", name: "Tahun Baru 2026 Masehi", kind: libur}
  - {date: "2026-12-24", name: "Cuti Bersama Kelahiran Yesus Kristus", kind: cuti-bersama}
`;

describe('loadHolidays', () => {
  describe('the real files', () => {
    it('load with no problems: 2026 official (17 libur + 8 cuti bersama), 2027 provisional', async () => {
      const result = await loadHolidays(undefined, { now: new Date('2026-06-01T01:00:00Z') });
      assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
      assert.deepEqual(result.holidays.map((h) => [h.year, h.status]), [[2026, 'official'], [2027, 'provisional']]);
      const y2026 = result.holidays[0]!;
      assert.equal(y2026.days.filter((d) => d.kind === 'libur').length, 17);
      assert.equal(y2026.days.filter((d) => d.kind === 'cuti-bersama').length, 8);
      assert.match(y2026.source, /1497 Tahun 2025/);
      assert.deepEqual(
        y2026.days.filter((d) => d.kind === 'cuti-bersama').map((d) => d.date),
        ['2026-02-16', '2026-03-18', '2026-03-20', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24'],
      );
      assert.deepEqual(
        y2026.days.filter((d) => d.kind === 'libur').map((d) => d.date),
        ['2026-01-01', '2026-01-16', '2026-02-17', '2026-03-19', '2026-03-21', '2026-03-22', '2026-04-03', '2026-04-05', '2026-05-01',
          '2026-05-14', '2026-05-27', '2026-05-31', '2026-06-01', '2026-06-16', '2026-08-17', '2026-08-25', '2026-12-25'],
      );
      assert.equal(y2026.days.find((d) => d.date === '2026-03-21')?.name, 'Idul Fitri 1447 Hijriah');
      assert.deepEqual(result.holidays[1]!.days, []);
      assert.deepEqual(result.warnings, []);
    });

    it('warn loudly when the coming months reach a provisional or missing year', async () => {
      const late2026 = await loadHolidays(undefined, { now: new Date('2026-11-28T01:00:00Z') });
      assert.ok(late2026.ok);
      assert.equal(late2026.warnings.length, 1);
      assert.match(late2026.warnings[0]!, /^The holiday file for 2027 is provisional \(0 days listed\)/);

      const late2027 = await loadHolidays(undefined, { now: new Date('2027-11-01T01:00:00Z') });
      assert.ok(late2027.ok);
      assert.equal(late2027.warnings.length, 2);
      assert.match(late2027.warnings[0]!, /2027 is provisional/);
      assert.equal(
        late2027.warnings[1],
        'No holiday file for 2028: due dates in 2028 count only weekends as days off. Add data/holidays/2028.yaml from the SKB 3 Menteri as soon as it is published.',
      );
    });
  });

  describe('broken files', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'pandu-holidays-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function load(files: Record<string, string>): Promise<LoadHolidaysResult> {
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
      return loadHolidays(dir, { now: new Date('2026-06-01T01:00:00Z') });
    }

    async function problemsOf(files: Record<string, string>): Promise<Problem[]> {
      const result = await load(files);
      assert.ok(!result.ok, 'expected problems');
      return result.problems;
    }

    /** Replaces one day line of GOOD_2026 (line 5). */
    const withDay = (line: string) => GOOD_2026.replace('  - {date: "2026-01-01", name: "Tahun Baru 2026 Masehi", kind: libur}', line);

    it('accepts a good fixture and ignores files that are not YAML', async () => {
      const result = await load({ '2026.yaml': GOOD_2026, 'README.md': '# not read' });
      assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
      assert.equal(result.holidays[0]!.days.length, 2);
      assert.deepEqual(result.warnings, []);
    });

    it('reports a date of another year, with file and line', async () => {
      const problems = await problemsOf({ '2026.yaml': withDay('  - {date: "2027-01-01", name: "Tahun Baru 2027 Masehi", kind: libur}') });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.file, '2026.yaml');
      assert.equal(problems[0]!.line, 5);
      assert.equal(problems[0]!.path, 'days[0].date');
      assert.match(problems[0]!.message, /2027-01-01 is not in 2026/);
      assert.match(problems[0]!.fix, /2027\.yaml/);
    });

    it('reports a duplicate date on its second line, naming the first', async () => {
      const text = `${GOOD_2026}  - {date: "2026-12-24", name: "Dobel", kind: libur}\n`;
      const problems = await problemsOf({ '2026.yaml': text });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.line, 7);
      assert.match(problems[0]!.message, /2026-12-24 is listed twice \(first on line 6\)/);
    });

    it('reports a bad kind with the allowed ones', async () => {
      const problems = await problemsOf({ '2026.yaml': withDay('  - {date: "2026-01-01", name: "Tahun Baru 2026 Masehi", kind: cuti bersama}') });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.line, 5);
      assert.equal(problems[0]!.path, 'days[0].kind');
      assert.match(problems[0]!.message, /"kind" is "cuti bersama"/);
      assert.match(problems[0]!.fix, /libur, cuti-bersama/);
    });

    it('reports bad YAML with its line', async () => {
      const problems = await problemsOf({ '2026.yaml': withDay('  - {date: "2026-01-01", name: "Tahun Baru 2026 Masehi", kind: libur') });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.file, '2026.yaml');
      assert.equal(problems[0]!.line, 6); // the parser notices the missing "}" where the next entry starts
      assert.match(problems[0]!.message, /^The YAML cannot be read: Flow map .* end with a \}/);
    });

    it('reports an impossible date, an empty name and an unknown field', async () => {
      const text = GOOD_2026.replace('status: official', 'status: official\nnote: x').replace(
        '  - {date: "2026-01-01", name: "Tahun Baru 2026 Masehi", kind: libur}',
        '  - {date: "2026-02-30", name: "Tanggal aneh", kind: libur}\n  - {date: "2026-01-02", name: "", kind: libur}',
      );
      const problems = await problemsOf({ '2026.yaml': text });
      assert.deepEqual(problems.map((p) => [p.line, p.path]), [[3, 'note'], [6, 'days[0].date'], [7, 'days[1].name']]);
      assert.match(problems[1]!.message, /"2026-02-30" is not a real date/);
      assert.match(problems[2]!.message, /"name" is empty/);
    });

    it('reports a year that does not match the file name', async () => {
      const problems = await problemsOf({ '2026.yaml': GOOD_2026.replace('year: 2026', 'year: 2025') });
      assert.equal(problems[0]!.line, 1);
      assert.match(problems[0]!.message, /"year" is 2025, but the file is 2026\.yaml/);
    });

    it('reports an official file with no days, a bad status and a file not named after a year', async () => {
      const problems = await problemsOf({
        '2027.yaml': 'year: 2027\nstatus: official\nsource: "SKB"\ndays: []\n',
        '2028.yaml': 'year: 2028\nstatus: draft\nsource: "SKB"\ndays: []\n',
        'libur-2029.yaml': 'year: 2029\n',
      });
      assert.deepEqual(problems.map((p) => [p.file, p.line, p.path]), [['2027.yaml', 4, 'days'], ['2028.yaml', 2, 'status'], ['libur-2029.yaml', undefined, '']]);
    });

    it('reports two files for one year', async () => {
      const problems = await problemsOf({ '2026.yaml': GOOD_2026, '2026.yml': GOOD_2026 });
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.message, /second holiday file for 2026/);
    });

    it('accepts a provisional file with no days but warns when it is near', async () => {
      const result = await load({ '2026.yaml': 'year: 2026\nstatus: provisional\nsource: "belum ada SKB"\ndays: []\n' });
      assert.ok(result.ok);
      assert.match(result.warnings[0]!, /2026 is provisional/);
    });

    it('reports a folder that cannot be read', async () => {
      const result = await loadHolidays(path.join(dir, 'nope'));
      assert.ok(!result.ok);
      assert.match(result.problems[0]!.message, /holiday folder cannot be read \(ENOENT\)/);
    });
  });
});
