/**
 * The catalogue as one Excel workbook for staff who work in spreadsheets (issue 9 §4). The layout is
 * the contract of `importCatalogueFromXlsx`, which reads the same sheets back: the constants below are
 * shared by both sides.
 *
 * Sheets: Petunjuk (how to edit and re-import), Proses, Sub-proses, Unit (read-only reference for
 * choosing actors), then one sheet per CFM named by its code: a metadata block (label in column A,
 * value in column B) followed by the step table, one row per step.
 */
import ExcelJS from 'exceljs';
import type { Branch, Catalogue, Cfm, CodeAlias, Confirmation, LegalBasis, Process, RuleChange, Source, Step, Subprocess, Unit } from '../../core/catalogue/types.js';

export const SHEET_GUIDE = 'Petunjuk';
export const SHEET_PROCESSES = 'Proses';
export const SHEET_SUBPROCESSES = 'Sub-proses';
export const SHEET_UNITS = 'Unit';
export const FIXED_SHEETS: readonly string[] = [SHEET_GUIDE, SHEET_PROCESSES, SHEET_SUBPROCESSES, SHEET_UNITS];

export const PROCESS_COLUMNS = ['code', 'title', 'titleEn', 'kind', 'description', 'descriptionEn', 'targets', 'units', 'parties', 'aliases'] as const;
export const SUBPROCESS_COLUMNS = ['code', 'process', 'title', 'titleEn'] as const;
export const UNIT_COLUMNS = ['id', 'name', 'kind', 'type', 'nameEn', 'short', 'group'] as const;
/** The metadata block of a CFM sheet, one labelled row each, in this order. */
export const CFM_FIELDS = ['code', 'subprocess', 'title', 'titleEn', 'printedTitle', 'owner', 'status', 'confirmation', 'summary', 'summaryEn', 'legalBasis', 'sources', 'changes'] as const;
export const OPTIONAL_CFM_FIELDS: readonly string[] = ['printedTitle', 'confirmation', 'changes'];
export const STEP_COLUMNS = ['id', 'actor', 'action', 'actionEn', 'inputs', 'output', 'flow', 'question', 'questionEn', 'branches', 'slaDays', 'slaNote', 'basis', 'source'] as const;

export type ProcessColumn = (typeof PROCESS_COLUMNS)[number];
export type SubprocessColumn = (typeof SUBPROCESS_COLUMNS)[number];
export type CfmField = (typeof CFM_FIELDS)[number];
export type StepColumn = (typeof STEP_COLUMNS)[number];

/** Lists of ids or short texts in one cell. */
export const LIST_SEPARATOR = '; ';
/** Parts of one line of a multi-line cell ("ref | status | note"). */
export const PART_SEPARATOR = ' | ';
/** Between a branch's labels and the step it leads to. */
export const BRANCH_ARROW = ' → ';
export const FLOW_END = 'END';
export const FLOW_DECISION = 'DECISION';
/** Written for an absent optional part in the middle of a line (a change without a date). */
export const ABSENT = '-';

/** Rows of the step table that get a dropdown beyond the last step, for steps added by hand. */
const SPARE_ROWS = 40;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E2F3' } };
const LABEL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
/** The metadata values are merged over columns B..J of a CFM sheet. */
const META_LAST_COLUMN = 10;

/** An Excel sheet name for a CFM: at most 31 characters, none of : \ / ? * [ ]. */
export function cfmSheetName(code: string): string {
  const cleaned = code.replace(/[:\\/?*[\]]/g, '-').replace(/^'+|'+$/g, '');
  return (cleaned === '' ? 'CFM' : cleaned).slice(0, 31);
}

/** Column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

// Cell texts, shared with the importer's parsers.

export const formatList = (items: readonly string[]): string => items.join(LIST_SEPARATOR);
export const formatLines = (lines: readonly string[]): string => lines.join('\n');
export const formatLegalBasis = (b: LegalBasis): string => [b.ref, b.status, ...(b.note === undefined ? [] : [b.note])].join(PART_SEPARATOR);
export const formatSource = (s: Source): string => [s.id, s.title, ...(s.url === undefined ? [] : [s.url])].join(PART_SEPARATOR);
export const formatChange = (c: RuleChange): string => [c.since ?? ABSENT, c.note, c.noteEn, ...(c.ref === undefined ? [] : [c.ref])].join(PART_SEPARATOR);
export const formatConfirmation = (c: Confirmation): string =>
  [c.by, c.at, ...(c.catalogueVersion === undefined && c.fingerprint === undefined ? [] : [c.catalogueVersion ?? ABSENT]), ...(c.fingerprint === undefined ? [] : [c.fingerprint])].join(PART_SEPARATOR);
export const formatAlias = (a: CodeAlias): string => [a.scheme, a.code, a.title].join(PART_SEPARATOR);
export const formatBranch = (b: Branch): string => `${b.label}${PART_SEPARATOR}${b.labelEn}${BRANCH_ARROW}${b.next}`;

/** Writes the whole catalogue as one workbook. */
export async function exportCatalogueToXlsx(catalogue: Catalogue): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Pandu';
  workbook.title = 'Katalog proses Dinas Sosial Provinsi NTT';
  workbook.subject = `Katalog versi ${catalogue.version}`;
  // A fixed date keeps the same catalogue giving the same workbook.
  workbook.created = new Date(0);
  workbook.modified = new Date(0);

  addGuide(workbook, catalogue);
  addProcesses(workbook, catalogue.processes);
  addSubprocesses(workbook, catalogue.subprocesses);
  const units = [...catalogue.units].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'internal' ? -1 : 1));
  await addUnits(workbook, units);
  const unitRange = `${SHEET_UNITS}!$A$2:$A$${units.length + 1}`;
  const internalRange = `${SHEET_UNITS}!$A$2:$A$${units.filter((u) => u.kind === 'internal').length + 1}`;
  const used = new Set(FIXED_SHEETS.map((s) => s.toLowerCase()));
  for (const cfm of catalogue.cfms) {
    let name = cfmSheetName(cfm.code);
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${cfmSheetName(cfm.code).slice(0, 28)}~${n}`;
    used.add(name.toLowerCase());
    addCfm(workbook, name, cfm, unitRange, internalRange);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addGuide(workbook: ExcelJS.Workbook, catalogue: Catalogue): void {
  const sheet = workbook.addWorksheet(SHEET_GUIDE, { properties: { tabColor: { argb: 'FF4472C4' } } });
  sheet.getColumn(1).width = 110;
  const lines: [string, boolean?][] = [
    ['Katalog proses Pandu: cara menyunting dan mengimpor kembali', true],
    [`Versi katalog: ${catalogue.version}. ${catalogue.cfms.length} CFM, satu lembar per CFM dengan kodenya sebagai nama lembar.`],
    [''],
    ['1. Sunting sel pada lembar Proses, Sub-proses dan lembar CFM. Lembar Unit hanya rujukan (terkunci): daftar id untuk kolom actor dan owner; unit baru ditambahkan di organisation.yaml.'],
    ['2. Jangan mengganti nama lembar, judul kolom, atau label di kolom A blok metadata CFM.'],
    [`3. Daftar dalam satu sel dipisah "${LIST_SEPARATOR.trim()} " (titik koma dan spasi), mis. inputs, source, targets, units, parties.`],
    ['4. Sel berisi beberapa baris (Alt+Enter untuk baris baru), satu entri per baris, bagian dipisah " | ":'],
    ['     legalBasis: ref | verified atau unverified | catatan (boleh kosong)'],
    ['     sources: id | judul | url        changes: sejak (YYYY-MM-DD atau -) | catatan | catatan Inggris | ref (boleh kosong)'],
    ['     branches: label | label Inggris → id langkah berikutnya (minimal dua cabang)'],
    [`5. Kolom flow: id langkah berikutnya, ${FLOW_END} bila prosedur selesai di langkah ini, atau ${FLOW_DECISION} bila langkah ini keputusan (isi question, questionEn dan branches).`],
    ['6. Langkah pertama di tabel adalah awal prosedur. Untuk menambah langkah, sisipkan baris; id langkah huruf kecil dengan tanda hubung (mis. verifikasi-berkas).'],
    ['7. basis: sourced (sebutkan id sumber di kolom source) atau inferred. slaDays: jumlah hari kerja (bilangan bulat), hanya bila aturan menetapkannya.'],
    [''],
    ['Mengimpor kembali', true],
    ['npm run catalogue:import-xlsx -- <file.xlsx> memeriksa seluruh isi dan menampilkan perubahan per CFM. Setiap masalah menyebut lembar, baris dan kolomnya, mis. 03.1.a!B12.'],
    ['npm run catalogue:import-xlsx -- <file.xlsx> --write menulis CFM yang berubah ke data/catalogue/cfm/<kode>.yaml (komentar di awal file tetap). CFM yang berubah kembali berstatus draft sampai unit pemilik mengonfirmasi.'],
    ['Perubahan pada lembar Proses dan Sub-proses ikut diperiksa, tetapi harus disalin ke processes.yaml dengan tangan.'],
  ];
  lines.forEach(([text, bold], i) => {
    const cell = sheet.getCell(i + 1, 1);
    cell.value = text;
    cell.alignment = WRAP;
    if (bold) cell.font = { bold: true, size: 12 };
  });
}

function headerRow(sheet: ExcelJS.Worksheet, row: number, columns: readonly string[], notes: Readonly<Record<string, string>> = {}): void {
  columns.forEach((name, i) => {
    const cell = sheet.getCell(row, i + 1);
    cell.value = name;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = WRAP;
    cell.border = { bottom: { style: 'thin' } };
    const note = notes[name];
    if (note) cell.note = note;
  });
}

/** Writes a row of texts; every cell wrapped and stored as text so Excel keeps "01" as "01". */
function textRow(sheet: ExcelJS.Worksheet, row: number, values: readonly (string | number | undefined)[]): void {
  values.forEach((value, i) => {
    const cell = sheet.getCell(row, i + 1);
    if (value !== undefined && value !== '') cell.value = value;
    cell.alignment = WRAP;
    if (typeof value !== 'number') cell.numFmt = '@';
  });
}

function widths(sheet: ExcelJS.Worksheet, values: readonly number[]): void {
  values.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
}

function list(sheet: ExcelJS.Worksheet, address: string, formula: string, error: string): void {
  sheet.getCell(address).dataValidation = { type: 'list', allowBlank: true, formulae: [formula], showErrorMessage: true, errorStyle: 'stop', errorTitle: 'Nilai tidak dikenal', error };
}

function addProcesses(workbook: ExcelJS.Workbook, processes: readonly Process[]): void {
  const sheet = workbook.addWorksheet(SHEET_PROCESSES, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  headerRow(sheet, 1, PROCESS_COLUMNS, {
    kind: 'utama atau pendukung',
    targets: 'id sasaran RPJMD, dipisah "; "',
    units: 'unit internal Peta Relasi, urutan sesuai keputusan, dipisah "; "',
    parties: 'pihak luar Peta Relasi, dipisah "; "',
    aliases: 'satu per baris: skema | kode | judul',
  });
  processes.forEach((p, i) => {
    textRow(sheet, i + 2, [p.code, p.title, p.titleEn, p.kind, p.description, p.descriptionEn, formatList(p.targets), formatList(p.units), formatList(p.parties), formatLines(p.aliases.map(formatAlias))]);
    list(sheet, `D${i + 2}`, '"utama,pendukung"', 'Pilih utama atau pendukung.');
  });
  widths(sheet, [8, 40, 34, 12, 70, 50, 16, 36, 36, 40]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: PROCESS_COLUMNS.length } };
}

function addSubprocesses(workbook: ExcelJS.Workbook, subprocesses: readonly Subprocess[]): void {
  const sheet = workbook.addWorksheet(SHEET_SUBPROCESSES, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  headerRow(sheet, 1, SUBPROCESS_COLUMNS, { process: 'kode proses induk (lembar Proses)' });
  subprocesses.forEach((s, i) => textRow(sheet, i + 2, [s.code, s.process, s.title, s.titleEn]));
  widths(sheet, [10, 10, 80, 50]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SUBPROCESS_COLUMNS.length } };
}

async function addUnits(workbook: ExcelJS.Workbook, units: readonly Unit[]): Promise<void> {
  const sheet = workbook.addWorksheet(SHEET_UNITS, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }], properties: { tabColor: { argb: 'FFA5A5A5' } } });
  headerRow(sheet, 1, UNIT_COLUMNS, { id: 'Hanya rujukan: id untuk kolom actor dan owner. Unit baru ditambahkan di organisation.yaml.' });
  units.forEach((u, i) => textRow(sheet, i + 2, [u.id, u.name, u.kind, u.type, u.nameEn, u.short, u.group]));
  widths(sheet, [24, 50, 10, 12, 44, 24, 16]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: UNIT_COLUMNS.length } };
  await sheet.protect('', { autoFilter: true, sort: true, selectLockedCells: true, selectUnlockedCells: true });
}

const META_NOTES: Readonly<Record<CfmField, string>> = {
  code: 'Kode CFM: kode sub-proses + huruf, mis. 03.1.a',
  subprocess: 'Kode sub-proses (lembar Sub-proses)',
  title: 'Judul (bahasa Indonesia)',
  titleEn: 'Judul singkat bahasa Inggris',
  printedTitle: 'Judul persis seperti tercetak di keputusan (boleh kosong)',
  owner: 'Unit pemilik prosedur (id unit internal, lembar Unit)',
  status: 'draft sampai unit pemilik mengonfirmasi; lalu confirmed',
  confirmation: 'Bila confirmed: oleh | tanggal (YYYY-MM-DD) | versi katalog (atau -) | sidik jari langkah (boleh kosong)',
  summary: 'Ringkasan (bahasa Indonesia)',
  summaryEn: 'Ringkasan bahasa Inggris',
  legalBasis: 'Satu per baris: ref | verified/unverified | catatan',
  sources: 'Satu per baris: id | judul | url',
  changes: 'Satu per baris: sejak (YYYY-MM-DD atau -) | catatan | catatan Inggris | ref',
};

const STEP_NOTES: Readonly<Partial<Record<StepColumn, string>>> = {
  id: 'id langkah: huruf kecil dengan tanda hubung, unik dalam CFM ini',
  actor: 'Swimlane: id unit atau pihak dari lembar Unit',
  action: 'Kalimat perintah singkat (bahasa Indonesia)',
  inputs: 'Dokumen yang diperlukan, dipisah "; " (boleh kosong)',
  flow: `id langkah berikutnya, ${FLOW_END}, atau ${FLOW_DECISION}`,
  question: `Pertanyaan keputusan (hanya bila flow = ${FLOW_DECISION})`,
  branches: 'Satu cabang per baris: label | label Inggris → id langkah berikutnya',
  slaDays: 'Batas waktu dalam hari kerja, hanya bila aturan menetapkannya',
  basis: 'sourced atau inferred',
  source: 'id sumber (blok sources di atas), dipisah "; "',
};

function metaValue(cfm: Cfm, field: CfmField): string | undefined {
  switch (field) {
    case 'confirmation':
      return cfm.confirmation ? formatConfirmation(cfm.confirmation) : undefined;
    case 'legalBasis':
      return formatLines(cfm.legalBasis.map(formatLegalBasis));
    case 'sources':
      return formatLines(cfm.sources.map(formatSource));
    case 'changes':
      return formatLines(cfm.changes.map(formatChange));
    default:
      return cfm[field];
  }
}

/** The flow cell and the decision cells of a step. */
export function stepFlow(step: Step): { flow: string; question?: string; questionEn?: string; branches?: string } {
  switch (step.kind) {
    case 'task':
      return { flow: step.next };
    case 'end':
      return { flow: FLOW_END };
    case 'decision':
      return { flow: FLOW_DECISION, question: step.question, questionEn: step.questionEn, branches: formatLines(step.branches.map(formatBranch)) };
  }
}

const STEP_WIDTHS: Readonly<Record<StepColumn, number>> = { id: 22, actor: 20, action: 46, actionEn: 40, inputs: 36, output: 30, flow: 20, question: 30, questionEn: 28, branches: 46, slaDays: 9, slaNote: 34, basis: 11, source: 24 };

function addCfm(workbook: ExcelJS.Workbook, name: string, cfm: Cfm, unitRange: string, internalRange: string): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 1, ySplit: 0 }] });
  widths(sheet, STEP_COLUMNS.map((c) => STEP_WIDTHS[c]));
  const metaWidth = STEP_COLUMNS.slice(1, META_LAST_COLUMN).reduce((sum, c) => sum + STEP_WIDTHS[c], 0);
  CFM_FIELDS.forEach((field, i) => {
    const row = i + 1;
    const label = sheet.getCell(row, 1);
    label.value = field;
    label.font = { bold: true };
    label.fill = LABEL_FILL;
    label.alignment = WRAP;
    label.note = META_NOTES[field];
    sheet.mergeCells(row, 2, row, META_LAST_COLUMN);
    const value = metaValue(cfm, field);
    const cell = sheet.getCell(row, 2);
    if (value !== undefined && value !== '') cell.value = value;
    cell.alignment = WRAP;
    cell.numFmt = '@';
    // Excel does not fit the height of merged cells by itself.
    const lines = (value ?? '').split('\n').reduce((n, line) => n + Math.max(1, Math.ceil((line.length * 1.1) / metaWidth)), 0);
    if (lines > 1) sheet.getRow(row).height = Math.min(409, 15 * lines);
  });
  list(sheet, `B${CFM_FIELDS.indexOf('owner') + 1}`, internalRange, 'Pilih id unit internal dari lembar Unit.');
  list(sheet, `B${CFM_FIELDS.indexOf('status') + 1}`, '"draft,confirmed"', 'Pilih draft atau confirmed.');

  const header = CFM_FIELDS.length + 2;
  headerRow(sheet, header, STEP_COLUMNS, STEP_NOTES);
  cfm.steps.forEach((step, i) => {
    const f = stepFlow(step);
    const values: Record<StepColumn, string | number | undefined> = {
      id: step.id,
      actor: step.actor,
      action: step.action,
      actionEn: step.actionEn,
      inputs: formatList(step.inputs),
      output: step.output,
      flow: f.flow,
      question: f.question,
      questionEn: f.questionEn,
      branches: f.branches,
      slaDays: step.slaDays,
      slaNote: step.slaNote,
      basis: step.basis,
      source: formatList(step.source),
    };
    textRow(sheet, header + 1 + i, STEP_COLUMNS.map((c) => values[c]));
  });
  const actorColumn = columnLetter(STEP_COLUMNS.indexOf('actor') + 1);
  const basisColumn = columnLetter(STEP_COLUMNS.indexOf('basis') + 1);
  const slaColumn = STEP_COLUMNS.indexOf('slaDays') + 1;
  for (let row = header + 1; row <= header + cfm.steps.length + SPARE_ROWS; row++) {
    list(sheet, `${actorColumn}${row}`, unitRange, 'Pilih id unit atau pihak dari lembar Unit.');
    list(sheet, `${basisColumn}${row}`, '"sourced,inferred"', 'Pilih sourced atau inferred.');
    sheet.getCell(row, slaColumn).numFmt = '0';
  }
}
