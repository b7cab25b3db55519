import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import { DEFAULT_CATALOGUE_DIR } from '../../bot/catalogue/read-catalogue-files.js';
import { exportCatalogueToXlsx, STEP_COLUMNS } from '../../bot/catalogue/xlsx/export-xlsx.js';
import { cellText, describeImportChanges, importCatalogueFromXlsx, renderCfmYaml, writeImportedCfmsAsYaml, type ImportResult } from '../../bot/catalogue/xlsx/import-xlsx.js';
import { parseYamlSource } from '../../bot/catalogue/read-catalogue-files.js';
import { readCfm } from '../../bot/core/catalogue/read-cfm.js';
import { RefCollector } from '../../bot/core/catalogue/references.js';
import type { Problem } from '../../bot/core/catalogue/problems.js';
import type { Catalogue, Cfm } from '../../bot/core/catalogue/types.js';

const BOOK = 'pandu-katalog.xlsx';

/** The header row of a CFM sheet's step table and the column of each header. */
function stepTable(sheet: ExcelJS.Worksheet): { header: number; col: (name: string) => number } {
  let header = 0;
  for (let row = 1; row <= sheet.rowCount && header === 0; row++) if (cellText(sheet.getCell(row, 1)) === 'id') header = row;
  assert.ok(header > 0, `no step table on ${sheet.name}`);
  return { header, col: (name) => STEP_COLUMNS.indexOf(name as (typeof STEP_COLUMNS)[number]) + 1 };
}

/** The row of step `id` on a CFM sheet. */
function stepRow(sheet: ExcelJS.Worksheet, id: string): number {
  const { header } = stepTable(sheet);
  for (let row = header + 1; row <= sheet.rowCount; row++) if (cellText(sheet.getCell(row, 1)) === id) return row;
  assert.fail(`no step ${id} on ${sheet.name}`);
}

const columnLetter = (n: number): string => String.fromCharCode(64 + n);

function problemsOf(result: ImportResult): Problem[] {
  assert.equal(result.ok, false, 'the import should have failed');
  return result.ok ? [] : result.problems;
}

/** The problem at `sheet`, `row`, `column`: its file, path and the Excel reference in its message. */
function problemAt(problems: readonly Problem[], sheet: string, row: number, column: string, col: number): Problem {
  const found = problems.find((p) => p.file === `${BOOK}#${sheet}` && p.path === `row ${row}, column ${column}`);
  assert.ok(found, `no problem at ${sheet} row ${row} column ${column}; got:\n${problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('\n')}`);
  assert.ok(found.message.includes(`${sheet}!${columnLetter(col)}${row}`), found.message);
  assert.equal(found.line, row);
  return found;
}

describe('catalogue spreadsheet (export and import xlsx)', () => {
  let catalogue: Catalogue;
  let exported: Buffer;

  before(async () => {
    const loaded = await loadCatalogue();
    assert.ok(loaded.ok);
    catalogue = loaded.catalogue;
    exported = await exportCatalogueToXlsx(catalogue);
  });

  /** The exported workbook opened with exceljs, edited by `edit`, and written back. */
  async function edited(edit: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(exported).buffer);
    edit(workbook);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  const importBook = (buffer: Buffer): Promise<ImportResult> => importCatalogueFromXlsx(buffer, { base: catalogue, name: BOOK });

  it('writes the guide, the maps, the units and one sheet per CFM, with dropdowns and a frozen header', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(exported).buffer);
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      ['Petunjuk', 'Proses', 'Sub-proses', 'Unit', ...catalogue.cfms.map((c) => c.code)],
    );
    const proses = workbook.getWorksheet('Proses')!;
    assert.deepEqual(proses.views[0], { ...proses.views[0], state: 'frozen', ySplit: 1 });
    assert.equal(cellText(proses.getCell('A4')), '03');
    assert.equal(cellText(proses.getCell('H4')), 'bidang-dayasos; bidang-linjamsos; bidang-rehsos');
    assert.equal(cellText(proses.getCell('I4')), 'pd-provinsi; pd-kabkota; lembaga-mitra');
    const units = workbook.getWorksheet('Unit')!;
    assert.deepEqual([1, 2, 3, 4].map((c) => cellText(units.getCell(1, c))), ['id', 'name', 'kind', 'type']);
    assert.equal(units.rowCount, catalogue.units.length + 1);
    const sheet = workbook.getWorksheet('03.1.a')!;
    assert.equal(cellText(sheet.getCell('B1')), '03.1.a');
    assert.match(cellText(sheet.getCell('B11')), /^UU 9\/1961 tentang Pengumpulan Uang atau Barang \| verified\n/);
    const row = stepRow(sheet, 'verifikasi');
    const { col } = stepTable(sheet);
    assert.equal(cellText(sheet.getCell(row, col('flow'))), 'DECISION');
    assert.equal(cellText(sheet.getCell(row, col('branches'))), 'Lengkap dan layak | Complete and acceptable → cek-wilayah\nBelum lengkap atau tidak layak | Incomplete or not acceptable → kembalikan-berkas');
    assert.equal(cellText(sheet.getCell(stepRow(sheet, 'pengawasan'), col('flow'))), 'END');
    assert.deepEqual(sheet.getCell(row, col('actor')).dataValidation.formulae, [`Unit!$A$2:$A$${catalogue.units.length + 1}`]);
    assert.deepEqual(sheet.getCell(row, col('basis')).dataValidation.formulae, ['"sourced,inferred"']);
    assert.ok(sheet.getCell(row, col('action')).alignment.wrapText);
  });

  it('round trip: every process, sub-process and CFM comes back deep-equal', async () => {
    const result = await importBook(exported);
    assert.ok(result.ok, result.ok ? '' : result.problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('\n'));
    assert.deepEqual(result.processes, catalogue.processes);
    assert.deepEqual(result.subprocesses, catalogue.subprocesses);
    assert.equal(result.cfms.length, catalogue.cfms.length);
    for (const cfm of catalogue.cfms) {
      assert.deepEqual(
        result.cfms.find((c) => c.code === cfm.code),
        cfm,
        `CFM ${cfm.code} changed in the round trip`,
      );
    }
    assert.equal(result.catalogue.version, catalogue.version);
    assert.deepEqual(describeImportChanges(catalogue, result), ['29 CFMs and 26 processes and sub-processes unchanged.']);
  });

  it('round trip of the optional fields the shipped catalogue does not use yet', async () => {
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const edited: Cfm = {
      ...cfm,
      status: 'confirmed',
      confirmation: { by: 'Kabid Pemberdayaan Sosial', at: '2025-03-03', fingerprint: 'a1b2c3d4' },
      legalBasis: [...cfm.legalBasis, { ref: 'Pergub NTT tentang PUB', status: 'unverified' }],
      sources: [...cfm.sources, { id: 'notulen', title: 'Notulen rapat bidang' }],
      changes: [...cfm.changes, { note: 'Catatan tanpa tanggal', noteEn: 'An undated note' }, { since: '2025-01-02', note: 'Dengan acuan', noteEn: 'With a reference', ref: 'SE Kadis 1/2025' }],
      steps: cfm.steps.map((s, i) => (i === 2 ? { ...s, slaDays: 14, slaNote: 'Contoh batas waktu', inputs: [] } : s)),
    };
    const base: Catalogue = { ...catalogue, cfms: catalogue.cfms.map((c) => (c.code === cfm.code ? edited : c)) };
    const result = await importCatalogueFromXlsx(await exportCatalogueToXlsx(base), { base });
    assert.ok(result.ok, result.ok ? '' : result.problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('\n'));
    assert.deepEqual(result.cfms.find((c) => c.code === cfm.code), edited);
    assert.equal(renderCfmYaml(edited).includes('confirmation: {by: Kabid Pemberdayaan Sosial, at: 2025-03-03, fingerprint: a1b2c3d4}'), true);
  });

  it('names the sheet, row and column of an unknown actor', async () => {
    let row = 0;
    const buffer = await edited((wb) => {
      const sheet = wb.getWorksheet('03.1.a')!;
      row = stepRow(sheet, 'verifikasi');
      sheet.getCell(row, 2).value = 'bidang-dayasoss';
    });
    const problems = problemsOf(await importBook(buffer));
    const p = problemAt(problems, '03.1.a', row, 'actor', 2);
    assert.match(p.message, /"bidang-dayasoss" is not a unit/);
    assert.match(p.fix, /Did you mean "bidang-dayasos"/);
    assert.equal(problems.length, 1, problems.map((x) => x.message).join('\n'));
  });

  it('names a flow that goes to a missing step, and a decision with one branch', async () => {
    let flowRow = 0;
    let decisionRow = 0;
    const buffer = await edited((wb) => {
      const sheet = wb.getWorksheet('03.1.a')!;
      const { col } = stepTable(sheet);
      flowRow = stepRow(sheet, 'disposisi');
      sheet.getCell(flowRow, col('flow')).value = 'verifkasi';
      const other = wb.getWorksheet('01.2.a')!;
      decisionRow = [...Array(other.rowCount).keys()].map((i) => i + 1).find((r) => cellText(other.getCell(r, col('flow'))) === 'DECISION')!;
      const branches = other.getCell(decisionRow, col('branches'));
      branches.value = cellText(branches).split('\n')[0]!;
    });
    const problems = problemsOf(await importBook(buffer));
    const flow = problemAt(problems, '03.1.a', flowRow, 'flow', 7);
    assert.match(flow.message, /"verifkasi", which is not a step id/);
    assert.match(flow.fix, /Did you mean "verifikasi"/);
    const branch = problemAt(problems, '01.2.a', decisionRow, 'branches', 10);
    assert.match(branch.message, /only one branch; a decision needs at least two/);
  });

  it('names an empty action, a bad slaDays, an unknown basis, a branch to nowhere and a broken metadata line', async () => {
    const rows: Record<string, number> = {};
    const buffer = await edited((wb) => {
      const sheet = wb.getWorksheet('01.1.a')!;
      const { col, header } = stepTable(sheet);
      rows['action'] = header + 2;
      sheet.getCell(rows['action'], col('action')).value = null;
      rows['slaDays'] = header + 3;
      sheet.getCell(rows['slaDays'], col('slaDays')).value = 'lima';
      rows['basis'] = header + 4;
      sheet.getCell(rows['basis'], col('basis')).value = 'guessed';
      const b = wb.getWorksheet('03.1.a')!;
      rows['branches'] = stepRow(b, 'cek-wilayah');
      b.getCell(rows['branches'], col('branches')).value = 'Gubernur | Governor → konsep-izin\nMenteri | Minister → rekomendasi-menteri';
      b.getCell('B11').value = 'UU 9/1961 tentang Pengumpulan Uang atau Barang';
    });
    const problems = problemsOf(await importBook(buffer));
    assert.match(problemAt(problems, '01.1.a', rows['action']!, 'action', 3).message, /The action is empty/);
    assert.match(problemAt(problems, '01.1.a', rows['slaDays']!, 'slaDays', 11).message, /"lima", which is not a whole number/);
    assert.match(problemAt(problems, '01.1.a', rows['basis']!, 'basis', 13).message, /basis "guessed" is unknown/);
    assert.match(problemAt(problems, '03.1.a', rows['branches']!, 'branches', 10).message, /Branch 2 \("Menteri"\) goes to "rekomendasi-menteri"/);
    assert.match(problemAt(problems, '03.1.a', 11, 'legalBasis', 2).message, /Line 1 of legalBasis .* has 1 part/);
    assert.equal(problems.length, 5, problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('\n'));
  });

  it('maps the problems of the full validation to their sheet, row and column', async () => {
    let row = 0;
    const buffer = await edited((wb) => {
      const sheet = wb.getWorksheet('03.1.a')!;
      sheet.getCell('B6').value = 'pemohon'; // owner: an outside party
      row = stepRow(sheet, 'disposisi');
      sheet.getCell(row, STEP_COLUMNS.indexOf('source') + 1).value = 'lebak-pub; tidak-ada';
      wb.getWorksheet('Sub-proses')!.getCell('B5').value = '09'; // 03.1 under process 09
    });
    const problems = problemsOf(await importBook(buffer));
    assert.match(problemAt(problems, '03.1.a', 6, 'owner', 2).message, /"pemohon" is an outside party, but an internal unit/);
    assert.match(problemAt(problems, '03.1.a', row, 'source', 14).message, /source "tidak-ada" is not in this CFM's "sources"/);
    assert.match(problemAt(problems, 'Sub-proses', 5, 'code', 1).message, /"03.1" does not start with its process code "09."/);
  });

  it('reports a missing sheet and a missing header before anything else', async () => {
    const buffer = await edited((wb) => {
      wb.removeWorksheet(wb.getWorksheet('06.1.b')!.id);
      wb.getWorksheet('Proses')!.getCell('C1').value = null;
    });
    const problems = problemsOf(await importBook(buffer));
    assert.ok(problems.some((p) => p.file === `${BOOK}#06.1.b` && /sheet of CFM 06.1.b is missing/.test(p.message)));
    const header = problems.find((p) => p.file === `${BOOK}#Proses`);
    assert.ok(header && header.path === 'row 1, column titleEn' && /Proses!K1: The column "titleEn" is missing/.test(header.message), header?.message);
    assert.equal(problems.length, 2);
  });

  it('imports a changed action, shows it, and writes only that CFM back as a draft YAML file', async () => {
    let row = 0;
    const action = 'Verifikasi kelengkapan berkas, nilai kelayakan dan dampak sosial, lalu catat hasilnya';
    const buffer = await edited((wb) => {
      const sheet = wb.getWorksheet('03.1.a')!;
      row = stepRow(sheet, 'verifikasi');
      sheet.getCell(row, 3).value = action;
    });
    const result = await importBook(buffer);
    assert.ok(result.ok, result.ok ? '' : result.problems.map((p) => p.message).join('\n'));
    const cfm = result.cfms.find((c) => c.code === '03.1.a')!;
    assert.equal(cfm.steps.find((s) => s.id === 'verifikasi')!.action, action);
    const original = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    assert.deepEqual(cfm, { ...original, steps: original.steps.map((s) => (s.id === 'verifikasi' ? { ...s, action } : s)) });
    for (const other of catalogue.cfms.filter((c) => c.code !== '03.1.a')) assert.deepEqual(result.cfms.find((c) => c.code === other.code), other);
    assert.deepEqual(describeImportChanges(catalogue, result), ['CFM 03.1.a: steps changed: verifikasi (action)', '28 CFMs and 26 processes and sub-processes unchanged.']);

    const dir = await mkdtemp(path.join(tmpdir(), 'pandu-xlsx-'));
    try {
      await cp(DEFAULT_CATALOGUE_DIR, dir, { recursive: true });
      const writes = await writeImportedCfmsAsYaml(result.cfms, dir);
      assert.deepEqual(writes.filter((w) => w.action !== 'unchanged'), [{ code: '03.1.a', file: 'cfm/03.1.a.yaml', action: 'updated' }]);
      const before = (await readFile(path.join(DEFAULT_CATALOGUE_DIR, 'cfm/03.1.a.yaml'), 'utf8')).split('\n');
      const after = (await readFile(path.join(dir, 'cfm/03.1.a.yaml'), 'utf8')).split('\n');
      // Only the changed step is written fresh; the comments and every other line stay as they were.
      assert.deepEqual(after.slice(0, 4), before.slice(0, 4));
      assert.ok(before[0]!.startsWith('# DINSOS 03.1.a'));
      const changed = after.filter((line, i) => line !== before[i]);
      assert.deepEqual(changed, [`    action: ${action}`]);
      assert.equal(after.length, before.length);
      const reloaded = await loadCatalogue(dir);
      assert.ok(reloaded.ok);
      assert.deepEqual(reloaded.catalogue.cfms.find((c) => c.code === '03.1.a'), cfm);
      assert.deepEqual(await writeImportedCfmsAsYaml(reloaded.catalogue.cfms, dir).then((w) => w.filter((x) => x.action !== 'unchanged')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes every CFM as YAML that reads back the same, and an unchanged file byte for byte', async () => {
    for (const cfm of catalogue.cfms) {
      const fresh = renderCfmYaml(cfm);
      const problems: Problem[] = [];
      const doc = parseYamlSource(`cfm/${cfm.code}.yaml`, fresh, problems);
      assert.deepEqual(problems, []);
      const read = readCfm(doc!, new RefCollector());
      assert.deepEqual(read.reader.problems, [], cfm.code);
      assert.deepEqual(read.cfm, cfm, `CFM ${cfm.code} does not read back from its fresh YAML`);
      const original = await readFile(path.join(DEFAULT_CATALOGUE_DIR, `cfm/${cfm.code}.yaml`), 'utf8');
      assert.equal(renderCfmYaml(cfm, original), original, `CFM ${cfm.code} is not kept as written`);
    }
  });
});
